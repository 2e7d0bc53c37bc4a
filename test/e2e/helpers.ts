import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { listFiles, tempDir } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');

/** The tarball made by `npx projen pack:tarball` in $PACK_DIR (the test:e2e task runs it first). */
export function packedTarball(): string {
  const dir = path.resolve(ROOT, process.env.PACK_DIR ?? path.join('.tmp', 'pack'));
  const tgz = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (tgz.length !== 1) {
    throw new Error(`expected one tarball in ${dir}; run "npx projen pack:tarball" first`);
  }
  return path.join(dir, tgz[0]);
}

/** Runs a command, returning stdout and stderr together; throws with both when it fails. */
export function run(cmd: string, args: string[], cwd: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
  delete env.PROJEN_DISABLE_POST;
  delete env.NODE_ENV; // jest sets it to "test", which silences projen's log
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], env });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}) in ${cwd}:\n${output}`);
  }
  return output;
}

/**
 * `projen new --from <spec> uv-python-service` in a fresh temp dir, as a user runs it; the spec is
 * the packed tarball unless given (`from` receives the service directory, e.g. to place a copy).
 *
 * With `E2E_SERVICE_CACHE` set to a directory (scripts/test sets a per-run one), a service made from
 * the packed tarball is made once per tarball, name and arguments, kept there, and copied for each
 * later caller: a copy takes well under a second, `projen new` about 12 CPU-seconds. Every caller
 * still gets a directory of its own to edit.
 */
export function newServiceFromTarball(name: string, extraArgs: string[] = [], from?: (dir: string) => string): string {
  const dir = path.join(tempDir('uvsvc-e2e-'), name);
  const cacheRoot = process.env.E2E_SERVICE_CACHE;
  const cached = !from && cacheRoot ? path.join(cacheRoot, serviceKey(name, extraArgs), name) : undefined;
  if (cached && fs.existsSync(cached)) {
    fs.cpSync(cached, dir, { recursive: true, verbatimSymlinks: true });
    return dir;
  }
  fs.mkdirSync(dir);
  run(path.join(ROOT, 'node_modules', '.bin', 'projen'), [
    'new', '--from', from ? from(dir) : packedTarball(), 'uv-python-service', '--name', name, '--no-git', ...extraArgs,
  ], dir);
  if (cached) {
    // Copied in under another name, then renamed: a concurrent caller sees the whole tree or none.
    const partial = `${path.dirname(cached)}.partial-${process.pid}`;
    fs.cpSync(dir, path.join(partial, name), { recursive: true, verbatimSymlinks: true });
    try {
      fs.renameSync(partial, path.dirname(cached));
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another caller got there first
    }
  }
  return dir;
}

/** The cache key of a service: the packed tarball's content, the name and the extra arguments. */
function serviceKey(name: string, extraArgs: string[]): string {
  return crypto.createHash('sha256')
    .update(fs.readFileSync(packedTarball()))
    .update(JSON.stringify([name, ...extraArgs]))
    .digest('hex')
    .slice(0, 16);
}

/** Copies the packed tarball to `<dir>/../<fileName>` (a name that is not npm pack's) and returns its path. */
export function renamedTarball(serviceDir: string, fileName: string): string {
  const target = path.join(path.dirname(serviceDir), fileName);
  fs.copyFileSync(packedTarball(), target);
  return target;
}

/** Runs the service's own synth (`npx projen`), returning its output. */
export function resynth(dir: string): string {
  return run('npx', ['projen'], dir);
}

/** sha256 of every file (not node_modules), by relative path. */
export function hashTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')]),
  );
}

/** Edits `.projenrc.ts` by inserting option lines right after the constructor's opening brace. */
export function addProjenrcOptions(dir: string, lines: string[]): void {
  const file = path.join(dir, '.projenrc.ts');
  const text = fs.readFileSync(file, 'utf-8');
  const marker = 'new UvPythonService({';
  if (!text.includes(marker)) throw new Error(`.projenrc.ts does not contain "${marker}":\n${text}`);
  fs.writeFileSync(file, text.replace(marker, `${marker}\n${lines.map((l) => `  ${l}`).join('\n')}`));
}

export function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf-8');
}

/** Replaces a (read-only or user) file's content. */
export function write(dir: string, file: string, content: string): void {
  const p = path.join(dir, file);
  if (fs.existsSync(p)) fs.chmodSync(p, 0o644);
  fs.writeFileSync(p, content);
}

/** Parses a YAML file of a generated service (the `yaml` package, as the CI tests do). */
export function readYaml(dir: string, file: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  return YAML.parse(read(dir, file));
}

/** Edits `.projenrc.ts` by inserting statements right before `project.synth()` (escape hatches). */
export function addProjenrcStatements(dir: string, lines: string[]): void {
  const file = path.join(dir, '.projenrc.ts');
  const text = fs.readFileSync(file, 'utf-8');
  const marker = 'project.synth();';
  if (!text.includes(marker)) throw new Error(`.projenrc.ts does not contain "${marker}":\n${text}`);
  fs.writeFileSync(file, text.replace(marker, `${lines.join('\n')}\n${marker}`));
}
