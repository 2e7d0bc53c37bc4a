import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as lib from '../../src';
import { listFiles, tempDir, withoutPost } from '../support/synth';
import { validateTree } from '../support/validate-tree';

const ROOT = path.join(__dirname, '..', '..');

/** The documents with examples: the README and every page of the manual in docs/. */
function documentPages(): string[] {
  return ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

/** The complete `.projenrc.ts` examples of the documents: ts blocks that create a service and synthesize it. */
function examples(): Array<[string, string]> {
  return documentPages().flatMap((page) =>
    [...fs.readFileSync(path.join(ROOT, page), 'utf-8').matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((code) => code.includes('new UvPythonService(') && code.includes('project.synth()'))
      .map((code, i) => [`${page} #${i + 1}`, code] as [string, string]));
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

describe('the examples of the README and docs/ synthesize, and their files pass the validators', () => {
  const found = examples();

  test('there are examples to run, in the README and in the pages of each component they show', () => {
    const pages = new Set(found.map(([where]) => where.split(' #')[0]));
    expect([...pages].sort()).toEqual(expect.arrayContaining(['README.md', 'docs/cross-file-rules.md', 'docs/docker.md', 'docs/kubernetes.md', 'docs/service.md']));
  });

  test.each(found)('%s', async (_where, code) => {
    const dir = tempDir();
    runExample(code as string, dir);
    const files = listFiles(dir);
    expect(files).toContain('pyproject.toml');
    expect(await validateTree(dir, files)).toEqual([]);
  });
});
