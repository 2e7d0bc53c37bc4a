/**
 * The workspace of scripts/integration-workspace-db.sh: a library `common` and two services, `orders`
 * (port 8001, depends on common) and `billing` (port 8002), synthesized into OUTDIR with the given
 * WorkspaceDatabaseMode (no post-synth steps). With `shared`, each service records its migrations in
 * its own version table (memberVersionTable).
 *
 * Usage: `tsx scripts/lib/workspace-db-fixture.ts OUTDIR shared|per-service`
 */
import { UvPythonLibrary, UvPythonService, UvWorkspace, WorkspaceCompose } from '../../src';
import { WorkspaceDatabaseMode } from '../../src/core/workspace';
import { memberVersionTable } from '../../src/database/resolve';
import { withPorts } from '../../test/support/workspace-ports';

const [outdir, mode] = process.argv.slice(2) as [string, WorkspaceDatabaseMode];
if (!outdir || !Object.values(WorkspaceDatabaseMode).includes(mode)) {
  throw new Error('usage: workspace-db-fixture.ts OUTDIR shared|per-service');
}
const ws = new UvWorkspace({ name: 'shop', outdir, databaseMode: mode });
new UvPythonLibrary({ parent: ws, name: 'common', outdir: 'libs/common' });
const own = (name: string) => (mode === WorkspaceDatabaseMode.SHARED ? { databaseOptions: { versionTable: memberVersionTable(name) } } : {});
new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001, deps: ['common'], ...own('orders') });
new UvPythonService({ parent: ws, name: 'billing', outdir: 'services/billing', port: 8002, ...own('billing') });
withPorts(ws);
if (!WorkspaceCompose.of(ws)) new WorkspaceCompose(ws);
process.env.PROJEN_DISABLE_POST = 'true';
ws.synth();
