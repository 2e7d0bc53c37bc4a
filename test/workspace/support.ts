import * as fs from 'fs';
import * as path from 'path';
import { UvPythonLibrary, UvPythonService, UvWorkspace } from '../../src';
import { listFiles, tempDir, withoutPost } from '../support/synth';

/** A synthesized workspace in its own temporary directory. */
export interface SynthesizedWorkspace {
  readonly dir: string;
  readonly workspace: UvWorkspace;
  /** Relative paths of every file written, sorted. */
  readonly files: string[];
  read(file: string): string;
}

/**
 * The workspace of the tests: a library `common` (libs/common) and two services, `orders`
 * (services/orders, port 8001, depends on common) and `billing` (services/billing, port 8002).
 */
export function threeMembers(ws: UvWorkspace): void {
  new UvPythonLibrary({ parent: ws, name: 'common', outdir: 'libs/common' });
  new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001, deps: ['common'] });
  new UvPythonService({ parent: ws, name: 'billing', outdir: 'services/billing', port: 8002 });
}

/** Creates a workspace in `dir` (a fresh temp dir by default), adds members with `configure`, synthesizes it without post steps. */
export function synthWorkspace(configure: (ws: UvWorkspace) => void = threeMembers, dir: string = tempDir('uvws-')): SynthesizedWorkspace {
  const workspace = new UvWorkspace({ name: 'shop', outdir: dir });
  configure(workspace);
  withoutPost(() => workspace.synth());
  return { dir, workspace, files: listFiles(dir), read: (f) => fs.readFileSync(path.join(dir, f), 'utf-8') };
}
