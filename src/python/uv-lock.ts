import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Component, Project } from 'projen';

/** Full path of an executable on PATH, or undefined. */
export function findOnPath(command: string, envPath: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * After synth, refreshes `uv.lock` with `uv lock` when uv is installed. Without uv, synth still
 * succeeds and prints one warning saying how to refresh the lock later.
 */
export class UvLockRefresh extends Component {
  constructor(project: Project) {
    super(project);
  }

  public postSynthesize(): void {
    const uv = findOnPath('uv');
    if (!uv) {
      this.project.logger.warn(
        'uv is not on PATH, so uv.lock was not refreshed. Install uv (https://docs.astral.sh/uv/) and run "npx projen lock" (or "uv lock").',
      );
      return;
    }
    try {
      execFileSync(uv, ['lock'], { cwd: this.project.outdir, stdio: ['ignore', 'pipe', 'pipe'] });
      this.project.logger.info('uv.lock refreshed (uv lock).');
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e);
      this.project.logger.warn(`"uv lock" failed, so uv.lock was not refreshed: ${stderr}`);
    }
  }
}
