import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UvPythonService, UvPythonServiceOptions } from '../../src';

/** A synthesized service in its own temporary directory. */
export interface Synthesized {
  readonly dir: string;
  readonly project: UvPythonService;
  /** Relative paths of every file written, sorted. */
  readonly files: string[];
  read(file: string): string;
}

/** Lists files below `dir`, relative, sorted; skips node_modules and .git. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk('');
  return out.sort();
}

/** The directory holding every temporary directory of this test file (created on first use). */
let parent: string | undefined;

/**
 * Creates a fresh temporary directory (never the current one: a synth cleans its outdir), inside one parent
 * directory per test file that {@link removeTempDirs} removes after the file's tests.
 */
export function tempDir(prefix = 'uvsvc-'): string {
  if (!parent || !fs.existsSync(parent)) parent = fs.mkdtempSync(path.join(os.tmpdir(), 'uvsvc-test-'));
  return fs.mkdtempSync(path.join(parent, prefix));
}

/** Removes every directory {@link tempDir} created so far, with everything in them. */
export function removeTempDirs(): void {
  if (parent) fs.rmSync(parent, { recursive: true, force: true });
  parent = undefined;
}

// Jest gives each test file its own instance of this module: the hook removes what that file created.
if (typeof afterAll === 'function') afterAll(removeTempDirs);

/**
 * Creates and synthesizes a service in a fresh temporary directory, without post-synth steps
 * (no npm install, no uv lock).
 */
export function synthService(
  options: Partial<UvPythonServiceOptions> = {},
  configure?: (project: UvPythonService) => void,
  dir: string = tempDir(),
): Synthesized {
  const project = new UvPythonService({ name: 'orders-api', ...options, outdir: dir });
  configure?.(project);
  withoutPost(() => project.synth());
  return {
    dir,
    project,
    files: listFiles(dir),
    read: (file: string) => fs.readFileSync(path.join(dir, file), 'utf-8'),
  };
}

/** Runs `fn` with projen's post-synth steps disabled. */
export function withoutPost<T>(fn: () => T): T {
  const prev = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    return fn();
  } finally {
    if (prev === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = prev;
  }
}
