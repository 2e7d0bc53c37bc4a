import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';

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
 * After synth, refreshes `uv.lock` with `uv lock` when uv is installed and there is something to
 * refresh: `pyproject.toml` changed in this synth, or there is no `uv.lock` yet. Otherwise nothing
 * runs (a resynth that changes nothing pays no `uv lock`). Without uv, synth still succeeds and
 * prints one warning saying how to refresh the lock later.
 */
export class UvLockRefresh extends Component {
  /** pyproject.toml as it was before this synth. */
  private readonly previous: string | undefined;
  /** The workspace members' pyproject.toml files as they were before this synth, by path. */
  private previousMembers = new Map<string, string | undefined>();

  /**
   * @param pyprojectPath `pyproject.toml`, relative to the project root (owned by the Pyproject component).
   * @param memberPyprojects in a uv workspace, the members' pyproject.toml files, relative to the root,
   *   read at synth: a change in any of them refreshes the one lock too.
   */
  constructor(project: Project, private readonly pyprojectPath: string, private readonly memberPyprojects?: () => string[]) {
    super(project);
    this.previous = readIfExists(path.join(project.outdir, pyprojectPath));
  }

  /** Before anything is written (the members' files included): what the members' pyproject.toml hold now. */
  public preSynthesize(): void {
    this.previousMembers = new Map((this.memberPyprojects?.() ?? []).map((p) => [p, readIfExists(path.join(this.project.outdir, p))]));
  }

  public postSynthesize(): void {
    const outdir = this.project.outdir;
    const unchanged = readIfExists(path.join(outdir, this.pyprojectPath)) === this.previous &&
      [...this.previousMembers].every(([p, before]) => readIfExists(path.join(outdir, p)) === before);
    if (unchanged && fs.existsSync(path.join(outdir, 'uv.lock'))) return;
    const uv = findOnPath('uv');
    if (!uv) {
      this.project.logger.warn(uvMissingMessage(fs.existsSync(path.join(outdir, 'uv.lock'))));
      return;
    }
    try {
      execFileSync(uv, ['lock'], { cwd: outdir, stdio: ['ignore', 'pipe', 'pipe'] });
      this.project.logger.info('uv.lock refreshed (uv lock).');
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e);
      this.project.logger.warn(`"uv lock" failed, so uv.lock was not refreshed: ${stderr}`);
    }
  }
}

/** Where to install uv from (its installation guide). */
export const UV_INSTALL_URL = 'https://docs.astral.sh/uv/getting-started/installation/';

/**
 * The synth's one line when uv is not installed: what was not done, and what to run (the service
 * README's Getting started says the same). `hasLock`: whether a uv.lock exists already.
 */
export function uvMissingMessage(hasLock: boolean): string {
  return hasLock
    ? `uv is not on PATH, so uv.lock was not refreshed for the new pyproject.toml: install uv (${UV_INSTALL_URL}), run "npx projen lock" and commit uv.lock (CI's "uv sync --locked" fails on a stale lock).`
    : `uv is not on PATH, so uv.lock was not written: install uv (${UV_INSTALL_URL}), run "npx projen lock" and commit uv.lock (the Docker build and CI install exactly what it pins, and fail without it).`;
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : undefined;
}
