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
 */
export function newServiceFromTarball(name: string, extraArgs: string[] = [], from?: (dir: string) => string): string {
  return newFromTarball('uv-python-service', name, extraArgs, from);
}

/**
 * `projen new --from <spec> <type> --name <name> --no-git` in a fresh temp dir, as a user runs it
 * (the spec as for newServiceFromTarball).
 *
 * With `SRV_PROJEN_CACHE` set (scripts/test sets one per run), a project from the packed tarball is
 * made by scripts/lib/servers.sh's srv_projen_new: once per run for the tarball, type, name and
 * arguments, shared with the shell suites that ask for the same, and copied here. A copy takes well
 * under a second, `projen new` about 12 CPU-seconds. Every caller gets a directory of its own.
 */
export function newFromTarball(type: string, name: string, extraArgs: string[] = [], from?: (dir: string) => string): string {
  const dir = path.join(tempDir('uvsvc-e2e-'), name);
  if (!from && process.env.SRV_PROJEN_CACHE) {
    run('env', [`TARBALL=${packedTarball()}`, 'bash', '-c', '. scripts/lib/servers.sh && srv_projen_new "$@"', 'srv_projen_new',
      dir, type, name, ...extraArgs], ROOT);
    return dir;
  }
  fs.mkdirSync(dir);
  run(path.join(ROOT, 'node_modules', '.bin', 'projen'), [
    'new', '--from', from ? from(dir) : packedTarball(), type, '--name', name, '--no-git', ...extraArgs,
  ], dir);
  return dir;
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
