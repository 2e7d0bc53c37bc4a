import * as path from 'path';
import { UvPythonService, UvWorkspace } from '../../src';
import { registerWorkspace, WorkspaceMember } from '../../src/core/workspace';

/**
 * Registers the UvWorkspace as the model with each service's port (its `port` option) in its members:
 * what the workspace's compose.yaml publishes. Glue until the workspace's own model states
 * `WorkspaceMember.port`; a port the model states is kept.
 */
export function withPorts(ws: UvWorkspace): void {
  const portOf = (m: WorkspaceMember) => ws.subprojects.find((p): p is UvPythonService =>
    p instanceof UvPythonService && path.relative(ws.outdir, p.outdir).split(path.sep).join('/') === m.dir)?.resolved.port;
  registerWorkspace({
    root: ws,
    databaseMode: ws.databaseMode,
    pythonVersion: ws.pythonVersion,
    uvVersion: ws.uvVersion,
    members: () => ws.members().map((m) => ({ ...m, port: m.port ?? portOf(m) })),
    memberOf: (p) => ws.memberOf(p),
    closureOf: (n) => ws.closureOf(n),
  });
}
