import * as path from 'path';
import { parse as parseToml } from 'smol-toml';
import { hashTree, newFromTarball, read, resynth, write } from './helpers';
import { listFiles } from '../support/synth';
import { validateTree } from '../support/validate-tree';

jest.setTimeout(600_000);

const MEMBERS = ['libs/common', 'services/orders', 'services/billing'];

describe('projen new --from <tarball> uv-workspace', () => {
  let dir: string;
  beforeAll(() => {
    dir = newFromTarball('uv-workspace', 'shop');
  });

  test('.projenrc.ts defines the workspace and its three sample members, which the new tree holds', () => {
    const rc = read(dir, '.projenrc.ts');
    expect(rc).toMatch(/^import \{ UvPythonLibrary, UvPythonService, UvWorkspace \} from "projen-uv-service";$/m);
    expect(rc).toContain('new UvPythonLibrary({ parent: project, name: "common", outdir: "libs/common" });');
    expect(rc).toContain('new UvPythonService({ parent: project, name: "orders", outdir: "services/orders", port: 8001, deps: ["common"] });');
    expect(rc).toMatch(/toolchainDeps: \["projen-uv-service@file:.*\.tgz"\]/);
    const root = parseToml(read(dir, 'pyproject.toml')) as any;
    expect(root.tool.uv.workspace.members).toEqual(MEMBERS);
    expect((parseToml(read(dir, 'services/orders/pyproject.toml')) as any).tool.uv.sources).toEqual({ common: { workspace: true } });
    expect(listFiles(dir)).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', '.python-version', 'libs/common/common/__init__.py',
      'services/orders/orders/main.py', 'services/billing/billing/main.py', 'services/orders/Dockerfile']));
  });

  test('the generated .projenrc.ts synthesizes out of the box, and a second synth changes nothing', () => {
    const before = hashTree(dir);
    const out = resynth(dir);
    expect(out).toContain('node node_modules/projen-uv-service/lib/service/run-projenrc.js .projenrc.ts');
    expect(out).not.toContain('Installing the projen toolchain');
    expect(hashTree(dir)).toEqual(before);
  });

  test('every generated file passes its third-party validator (each member with its own pyproject)', async () => {
    const files = listFiles(dir);
    const rootFiles = files.filter((f) => !MEMBERS.some((m) => f.startsWith(`${m}/`)) && f !== 'package-lock.json');
    expect(await validateTree(dir, rootFiles)).toEqual([]);
    for (const m of MEMBERS) {
      const own = files.filter((f) => f.startsWith(`${m}/`)).map((f) => f.slice(m.length + 1));
      expect({ member: m, findings: await validateTree(path.join(dir, m), own) }).toEqual({ member: m, findings: [] });
    }
  });

  test('a member added in .projenrc.ts reaches the root pyproject and the root test task; removed, it leaves them', () => {
    const rc = read(dir, '.projenrc.ts');
    write(dir, '.projenrc.ts', rc.replace('project.synth();',
      'new UvPythonLibrary({ parent: project, name: "money", outdir: "libs/money" });\nproject.synth();'));
    try {
      resynth(dir);
      expect((parseToml(read(dir, 'pyproject.toml')) as any).tool.uv.workspace.members).toEqual([...MEMBERS, 'libs/money']);
      const testDirs = JSON.parse(read(dir, '.projen/tasks.json')).tasks.test.steps.map((s: any) => s.cwd);
      // Two steps per member, with its .env and without: their conditions pick one.
      expect(testDirs).toEqual([...MEMBERS, 'libs/money'].flatMap((m) => [m, m]));
      expect(read(dir, 'libs/money/pyproject.toml')).toContain('name = "money"');
    } finally {
      write(dir, '.projenrc.ts', rc);
    }
    resynth(dir);
    expect((parseToml(read(dir, 'pyproject.toml')) as any).tool.uv.workspace.members).toEqual(MEMBERS);
  });
});
