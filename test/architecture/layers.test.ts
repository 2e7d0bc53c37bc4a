import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The layers of src/, bottom first: a module may import its own folder and the folders of lower
 * layers, never a higher one. core/ imports nothing above it; components import core and the
 * components below them; the project types sit on top. A new folder must be placed here.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  // pyproject.toml: the Python facts (versions, the app, the tests, the dependencies).
  ['python'],
  // NeonDatabase: the URLs' variables, Alembic, the local database stack's facts.
  ['database'],
  // The import check of the user's Python files: reads the Python and database facts from their owners.
  ['usercode'],
  // DockerStages: the Dockerfile model, its checks, .dockerignore, the uv presets.
  ['docker'],
  // compose.yaml of a service and of a workspace: reads DockerStages and NeonDatabase.
  ['compose'],
  ['ci'],
  ['k8s'],
  ['service'],
  // UvWorkspace and UvPythonLibrary: several services and libraries in one uv workspace.
  ['workspace'],
];
const TOP_FILES = new Set(['index.ts']);

const SRC = path.join(__dirname, '..', '..', 'src');

interface Graph { readonly edges: Map<string, string[]> }

/** Every relative import of every module under `root`, parsed by TypeScript (type-only imports too). */
export function importGraph(root: string): Graph {
  const edges = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {walk(full);} else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const info = ts.preProcessFile(fs.readFileSync(full, 'utf-8'), true, true);
        const targets = info.importedFiles
          .map((f) => f.fileName)
          .filter((spec) => spec.startsWith('.'))
          .map((spec) => path.relative(root, resolveModule(path.dirname(full), spec)))
          // package.json and the like, outside the source tree, belong to no layer.
          .filter((rel) => !rel.startsWith('..'));
        edges.set(path.relative(root, full), targets);
      }
    }
  };
  walk(root);
  return { edges };
}

function resolveModule(fromDir: string, spec: string): string {
  const base = path.resolve(fromDir, spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return `${base}.ts`;
}

/** The cycles of the graph, each as the list of modules on it (Tarjan's strongly connected components). */
export function cycles(graph: Graph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      const selfLoop = (graph.edges.get(v) ?? []).includes(v);
      if (scc.length > 1 || selfLoop) found.push(scc.sort());
    }
  };
  for (const v of graph.edges.keys()) if (!idx.has(v)) visit(v);
  return found;
}

function layerOf(module: string): number | undefined {
  if (TOP_FILES.has(module)) return LAYERS.length;
  const folder = module.split(path.sep)[0];
  const i = LAYERS.findIndex((l) => l.includes(folder));
  return i < 0 ? undefined : i;
}

/** Imports that go up a layer, or sideways into another folder of the same layer, as `from -> to`. */
export function layerViolations(graph: Graph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph.edges) {
    const lf = layerOf(from);
    if (lf === undefined) {
      out.push(`${from}: its folder is in no layer (add it to LAYERS in test/architecture/layers.test.ts)`);
      continue;
    }
    for (const to of targets) {
      const lt = layerOf(to);
      const sameFolder = from.split(path.sep)[0] === to.split(path.sep)[0];
      if (lt === undefined || lt > lf || (lt === lf && !sameFolder && lf < LAYERS.length)) out.push(`${from} -> ${to}`);
    }
  }
  return out;
}

/** Folder-level edges (`a -> b`, a ≠ b), for the record in the closing note. */
export function folderEdges(graph: Graph): string[] {
  const set = new Set<string>();
  for (const [from, targets] of graph.edges) {
    for (const to of targets) {
      const a = from.includes(path.sep) ? from.split(path.sep)[0] : '.';
      const b = to.includes(path.sep) ? to.split(path.sep)[0] : '.';
      if (a !== b) set.add(`${a} -> ${b}`);
    }
  }
  return [...set].sort();
}

describe('the import graph of src/', () => {
  const graph = importGraph(SRC);

  test('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('imports only downward: core imports nothing above it, components never import the project types', () => {
    expect(layerViolations(graph)).toEqual([]);
    // Printed for the record (folders and edges).
    console.log(`src/ folder edges:\n  ${folderEdges(graph).join('\n  ')}`);
  });
});

describe('the checks themselves', () => {
  const tmp = (): string => fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'layers-'));
  const write = (root: string, file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  test('find a cycle, type-only imports included', () => {
    const root = tmp();
    try {
      write(root, 'core/a.ts', "import type { B } from './b';\nexport type A = B;\n");
      write(root, 'core/b.ts', "import { A } from './a';\nexport type B = A | 1;\n");
      write(root, 'core/c.ts', "import { A } from './a';\nexport const c: A | undefined = undefined;\n");
      expect(cycles(importGraph(root))).toEqual([[path.join('core', 'a.ts'), path.join('core', 'b.ts')]]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('find core importing a component, a component importing the project type, and an unplaced folder', () => {
    const root = tmp();
    try {
      write(root, 'core/a.ts', "import { d } from '../docker/d';\nexport const a = d;\n");
      write(root, 'docker/d.ts', "import type { S } from '../service/s';\nexport const d: S | 1 = 1;\n");
      write(root, 'service/s.ts', 'export type S = 2;\n');
      write(root, 'misc/m.ts', 'export const m = 1;\n');
      expect(layerViolations(importGraph(root)).sort()).toEqual([
        `${path.join('core', 'a.ts')} -> ${path.join('docker', 'd.ts')}`,
        `${path.join('docker', 'd.ts')} -> ${path.join('service', 's.ts')}`,
        `${path.join('misc', 'm.ts')}: its folder is in no layer (add it to LAYERS in test/architecture/layers.test.ts)`,
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
