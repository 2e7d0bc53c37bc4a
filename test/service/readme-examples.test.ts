import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as lib from '../../src';
import { listFiles, tempDir, withoutPost } from '../support/synth';
import { validateTree } from '../support/validate-tree';

/** The README's complete `.projenrc.ts` examples: ts blocks that create a service and synthesize it. */
function examples(): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .filter((code) => code.includes('new UvPythonService(') && code.includes('project.synth()'));
}

/**
 * Runs an example as `.projenrc.ts` would run, with `projen-uv-service` resolved to this checkout's
 * sources and the service written to a fresh temp dir (post-synth steps off: no npm, no uv).
 */
function runExample(code: string, outdir: string): void {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const Service = class extends lib.UvPythonService {
    constructor(options: lib.UvPythonServiceOptions) {
      super({ ...options, outdir });
    }
  };
  const requireFor = (name: string) => {
    if (name === 'projen-uv-service') return { ...lib, UvPythonService: Service };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name);
  };
  withoutPost(() => new Function('require', 'exports', js)(requireFor, {}));
}

describe('the README examples synthesize, and their files pass the validators', () => {
  const found = examples();

  test('there are examples to run', () => {
    expect(found.length).toBeGreaterThanOrEqual(2);
  });

  test.each(found.map((code, i) => [i + 1, code]))('example %i', async (_i, code) => {
    const dir = tempDir();
    runExample(code as string, dir);
    const files = listFiles(dir);
    expect(files).toContain('pyproject.toml');
    expect(await validateTree(dir, files)).toEqual([]);
  });
});
