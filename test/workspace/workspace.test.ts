import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseToml } from 'smol-toml';
import { synthWorkspace, threeMembers } from './support';
import { UvPythonLibrary, UvPythonService, UvWorkspace, WorkspaceMemberKind } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { normalizeDistName, workspaceOf } from '../../src/core/workspace';
import { problemLinesOf, thrownBy } from '../support/errors';
import { listFiles, tempDir } from '../support/synth';
import { validateTree } from '../support/validate-tree';

jest.setTimeout(120_000);

const toml = (text: string): any => parseToml(text);

describe('a workspace of two services and a library', () => {
  const s = synthWorkspace();

  test('every file passes its validator: the root, then each member with its own pyproject (ruff config)', async () => {
    const memberDirs = ['services/orders', 'services/billing', 'libs/common'];
    const rootFiles = s.files.filter((f) => !memberDirs.some((d) => f.startsWith(`${d}/`)));
    expect(await validateTree(s.dir, rootFiles)).toEqual([]);
    for (const d of memberDirs) {
      const files = s.files.filter((f) => f.startsWith(`${d}/`)).map((f) => f.slice(d.length + 1));
      expect(files).toContain('pyproject.toml');
      expect({ member: d, findings: await validateTree(path.join(s.dir, d), files) }).toEqual({ member: d, findings: [] });
    }
  });

  test('the root pyproject.toml is a virtual root listing every member, with the shared dev group', () => {
    const root = toml(s.read('pyproject.toml'));
    expect(root.project).toBeUndefined();
    expect(root.tool.uv.workspace.members).toEqual(['libs/common', 'services/orders', 'services/billing']);
    // uv reads [tool.uv] from the workspace root only: the root pins the workspace's uv.
    expect(root.tool.uv['required-version']).toBe(`==${s.workspace.uvVersion}`);
    for (const m of root.tool.uv.workspace.members) expect(fs.existsSync(path.join(s.dir, m, 'pyproject.toml'))).toBe(true);
    expect(root['dependency-groups'].dev.map((d: string) => d.split(/[<>=]/)[0])).toEqual(['pytest', 'ruff', 'mypy']);
    expect(s.read('.python-version').trim()).toBe(s.workspace.pythonVersion);
  });

  test('a member dependency becomes a workspace source; a member that depends on none has no sources', () => {
    const orders = toml(s.read('services/orders/pyproject.toml'));
    expect(orders.project.dependencies).toContain('common');
    expect(orders.tool.uv.sources).toEqual({ common: { workspace: true } });
    expect(orders.tool.ruff.lint.isort['known-first-party']).toEqual(['orders', 'common']);
    const billing = toml(s.read('services/billing/pyproject.toml'));
    expect(billing.tool.uv.sources).toBeUndefined();
    const common = toml(s.read('libs/common/pyproject.toml'));
    expect(common.project.name).toBe('common');
    expect(common.tool.uv['build-backend']).toEqual({ 'module-name': 'common', 'module-root': '' });
    expect(common['build-system']['build-backend']).toBe('uv_build');
  });

  test('each service gets an app package of its own name, so the members\' packages do not collide in the one virtualenv', () => {
    expect(toml(s.read('services/orders/pyproject.toml')).tool.uv['build-backend']['module-name']).toBe('orders');
    expect(toml(s.read('services/billing/pyproject.toml')).tool.uv['build-backend']['module-name']).toBe('billing');
    expect(s.files).toEqual(expect.arrayContaining(['services/orders/orders/main.py', 'services/billing/billing/main.py', 'libs/common/common/__init__.py']));
    // Their Alembic histories too: each member records its migrations in a version table of its own.
    expect(s.read('services/orders/migrations/env.py')).toContain('"alembic_version_orders"');
    expect(s.read('services/billing/migrations/env.py')).toContain('"alembic_version_billing"');
  });

  test('the root owns the toolchain, the lock and .python-version; members have none of them, nor a CI workflow or compose.yaml of their own', () => {
    expect(s.files).toEqual(expect.arrayContaining(['package.json', '.python-version', 'pyproject.toml', '.projen/tasks.json']));
    for (const d of ['services/orders', 'services/billing', 'libs/common']) {
      for (const f of ['package.json', '.projenrc.ts', 'tsconfig.projen.json', '.python-version', 'compose.yaml', 'uv.lock']) {
        expect(s.files).not.toContain(`${d}/${f}`);
      }
    }
    // The one CI workflow and the one compose.yaml are the root's.
    expect(s.files.filter((f) => f.includes('.github/') || f.endsWith('compose.yaml'))).toEqual(['.github/workflows/ci.yml', 'compose.yaml']);
    // Their generated files name the root's .projenrc.ts, relative to themselves.
    expect(s.read('services/orders/pyproject.toml')).toContain('edit ../../.projenrc.ts');
  });

  test('the root test task runs every member\'s tests in its directory; lint and sync run across members', () => {
    const tasks = JSON.parse(s.read('.projen/tasks.json')).tasks;
    // Two steps per member: one loads the member's .env, one runs without it; their conditions pick one.
    expect(tasks.test.steps.map((x: any) => x.cwd)).toEqual(
      ['libs/common', 'libs/common', 'services/orders', 'services/orders', 'services/billing', 'services/billing']);
    // The conditions run at the root, as projen runs them: with services/orders/.env only, orders' tests
    // load it and the others' run without one.
    fs.writeFileSync(path.join(s.dir, 'services/orders/.env'), 'DATABASE_URL=postgresql://u@127.0.0.1/x\n');
    try {
      const run = tasks.test.steps.filter((x: any) => spawnSync('sh', ['-c', x.condition], { cwd: s.dir }).status === 0);
      expect(run.map((x: any) => [x.cwd, x.exec])).toEqual([
        ['libs/common', 'uv run pytest'],
        ['services/orders', 'uv run --env-file .env pytest'],
        ['services/billing', 'uv run pytest'],
      ]);
    } finally {
      fs.rmSync(path.join(s.dir, 'services/orders/.env'));
    }
    expect(tasks.sync.steps[0].exec).toBe('uv sync --all-packages');
    expect(tasks.lint.steps.map((x: any) => [x.exec, x.cwd])).toEqual([
      ['uv run ruff check .', undefined],
      ['uv run ruff format --check .', undefined],
      ['uv run mypy', 'libs/common'],
      ['uv run mypy', 'services/orders'],
      ['uv run mypy', 'services/billing'],
    ]);
  });

  test('every member, library or service, has mypy in its dev group and the same strict [tool.mypy]; the library ships py.typed', () => {
    for (const d of ['libs/common', 'services/orders', 'services/billing']) {
      const member = toml(s.read(`${d}/pyproject.toml`));
      expect({ d, dev: member['dependency-groups'].dev.some((x: string) => /^mypy\b/.test(x)) }).toEqual({ d, dev: true });
      expect({ d, mypy: member.tool.mypy }).toEqual({ d, mypy: { python_version: s.workspace.pythonVersion, strict: true, files: ['.'] } });
    }
    expect(s.files).toContain('libs/common/common/py.typed');
    expect(s.read('libs/common/common/py.typed')).toBe('');
  });

  test('a resynth is byte-identical', () => {
    const before = Object.fromEntries(s.files.map((f) => [f, s.read(f)]));
    const again = synthWorkspace(threeMembers, s.dir);
    expect(again.files).toEqual(s.files);
    expect(Object.fromEntries(again.files.map((f) => [f, again.read(f)]))).toEqual(before);
  });
});

describe('the workspace model', () => {
  test('members, memberOf and closureOf: the member first, then its dependencies depth-first in declaration order, each once', () => {
    const ws = new UvWorkspace({ name: 'shop', outdir: tempDir('uvws-') });
    const base = new UvPythonLibrary({ parent: ws, name: 'Base_Lib', outdir: 'libs/base' });
    new UvPythonLibrary({ parent: ws, name: 'money', outdir: 'libs/money', deps: ['base-lib>=0.1'] });
    const orders = new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001, deps: ['money', 'httpx', 'base.lib'] });
    expect(workspaceOf(orders)).toBe(ws);
    expect(ws.members().map((m) => [m.name, m.dir, m.kind, m.packageDir, m.dependsOn])).toEqual([
      ['base-lib', 'libs/base', WorkspaceMemberKind.LIBRARY, 'base_lib', []],
      ['money', 'libs/money', WorkspaceMemberKind.LIBRARY, 'money', ['base-lib']],
      ['orders', 'services/orders', WorkspaceMemberKind.SERVICE, 'orders', ['money', 'base-lib']],
    ]);
    expect(ws.closureOf('orders').map((m) => m.name)).toEqual(['orders', 'money', 'base-lib']);
    expect(ws.closureOf('Base_Lib').map((m) => m.name)).toEqual(['base-lib']);
    expect(ws.memberOf(base)?.name).toBe('base-lib');
    expect(ws.memberOf(ws)).toBeUndefined();
    expect(() => ws.closureOf('nope')).toThrow('"nope" is no member of the workspace; its members are: "base-lib", "money", "orders".');
    expect(normalizeDistName('Orders_API..v2')).toBe('orders-api-v2');
  });

  test('live: a library added after the service that depends on it counts, in the model and in the service\'s pyproject', () => {
    const s = synthWorkspace((ws) => {
      new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', deps: ['late-lib'] });
      expect(ws.closureOf('orders').map((m) => m.name)).toEqual(['orders']);
      new UvPythonLibrary({ parent: ws, name: 'late-lib', outdir: 'libs/late' });
      expect(ws.closureOf('orders').map((m) => m.name)).toEqual(['orders', 'late-lib']);
    });
    expect(toml(s.read('services/orders/pyproject.toml')).tool.uv.sources).toEqual({ 'late-lib': { workspace: true } });
  });
});

describe('checks across members, before anything is written', () => {
  /** The problem lines of a workspace whose synth must fail; asserts that nothing was written. */
  const problemsOf = (configure: (ws: UvWorkspace) => void): string[] => {
    const dir = tempDir('uvws-bad-');
    const lines = problemLinesOf(() => synthWorkspace(configure, dir));
    expect(listFiles(dir)).toEqual([]);
    return lines;
  };

  test('names, image names and import packages must be unique; one error lists them all', () => {
    const lines = problemsOf((ws) => {
      new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001 });
      new UvPythonService({ parent: ws, name: 'Orders', outdir: 'services/orders2', port: 8001, app: 'orders2.main:app', dockerOptions: { imageName: 'orders-two' } });
      new UvPythonService({ parent: ws, name: 'billing', outdir: 'services/billing', port: 8002, app: 'orders.main:app', dockerOptions: { imageName: 'orders' } });
    });
    expect(lines).toEqual([
      'services/orders2: name: got "Orders"; is the name of "orders" (services/orders) too (names compare as "orders", normalized): give every member its own name.',
      'services/billing: dockerOptions.imageName: got "orders"; is the image of "orders" (services/orders) too; give each service its own image: remove dockerOptions.imageName to get one named after the service, or set another (e.g. "orders-2").',
      'services/billing: app: got "orders.main:app"; its import package "orders" is the package of "orders" (services/orders) too, and the members share one virtualenv, where one would hide the other: ' +
        'give each member its own package (for a service, leave app unset to get "<name>.main:app", or set e.g. app: "<name>_api.main:app"; for a library, packageName).',
    ]);
  });

  test('two services on one port: compose.yaml\'s check names the port option, in the workspace\'s one error', () => {
    const lines = problemsOf((ws) => {
      new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001 });
      new UvPythonService({ parent: ws, name: 'billing', outdir: 'services/billing', port: 8001 });
    });
    expect(lines).toEqual([
      'services/billing: port: got 8001; is the port of "orders" (services/orders) too, and compose.yaml publishes every service\'s port ' +
        'on 127.0.0.1 side by side: set another port on "billing", e.g. port: 8002.',
    ]);
  });

  test('a dependency cycle between members is refused, naming the cycle', () => {
    const lines = problemsOf((ws) => {
      new UvPythonLibrary({ parent: ws, name: 'a', outdir: 'libs/a', deps: ['b'] });
      new UvPythonLibrary({ parent: ws, name: 'b', outdir: 'libs/b', deps: ['c>=1'] });
      new UvPythonLibrary({ parent: ws, name: 'c', outdir: 'libs/c', deps: ['a'] });
      new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', deps: ['a'] });
    });
    expect(lines).toEqual([
      'libs/a: deps[0]: got "b"; the members depend on each other in a cycle (a -> b -> c -> a), which uv cannot build or install: remove one of these dependencies, e.g. by moving the code they share into a library both depend on.',
    ]);
  });

  test('a member outside the root, and a member on another Python or uv, are refused', () => {
    const lines = problemsOf((ws) => {
      new UvPythonService({ parent: ws, name: 'orders', outdir: '../elsewhere', pythonVersion: '3.12', uvVersion: '0.12.0' });
    });
    expect(lines).toEqual([
      expect.stringMatching(/^orders: outdir: got "\.\.\/elsewhere"; a member lives in a directory below the workspace root \(.*\), so that the root pyproject.toml can list it and the images can copy it from the root context; use e.g. outdir: "services\/orders"\.$/),
      '../elsewhere: pythonVersion: got "3.12"; differs from the workspace\'s pythonVersion "3.14": the members share one virtualenv and one .python-version. Remove pythonVersion here (members follow the workspace), or change it on the UvWorkspace.',
      '../elsewhere: uvVersion: got "0.12.0"; differs from the workspace\'s uvVersion "0.13.0": one uv.lock is written by one uv. Remove uvVersion here (members follow the workspace), or change it on the UvWorkspace.',
    ]);
  });

  test('a member has no toolchain nor CI of its own; a library needs a workspace parent', () => {
    const ws = new UvWorkspace({ name: 'shop', outdir: tempDir('uvws-') });
    expect(problemLinesOf(() => new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', toolchainDeps: ['tsx@^4'], ciOptions: {} }))).toEqual([
      'toolchainDeps: got ["tsx@^4"]; a workspace member has no package.json of its own: the workspace root runs .projenrc.ts. Set toolchainDeps on the UvWorkspace instead.',
      'ciOptions: got {}; a workspace member has no CI workflow of its own: the workspace\'s one workflow has a job per service. Set ciOptions on the UvWorkspace instead, and remove it here.',
    ]);
    expect(problemLinesOf(() => new UvPythonLibrary({ name: 'common', outdir: tempDir('uvlib-') }))).toEqual([
      'parent: got undefined; a UvPythonLibrary is a member of a uv workspace: pass parent: <your UvWorkspace> and an outdir below it (e.g. outdir: "libs/<name>").',
    ]);
    expect(problemLinesOf(() => new UvWorkspace({ name: 'shop', outdir: tempDir('uvws-'), databaseMode: 'one' as any, pythonVersion: '3.9' }))).toEqual([
      expect.stringMatching(/^pythonVersion: got "3.9"; expected a CPython minor version/),
      expect.stringMatching(/^databaseMode: got "one"; /),
    ]);
  });

  test('the options of a library and of the workspace: every problem at once, with the fix', () => {
    const ws = new UvWorkspace({ name: 'shop', outdir: tempDir('uvws-') });
    expect(problemLinesOf(() => new UvPythonLibrary({
      parent: ws, name: 'common-', outdir: 'libs/common', packageName: 'class', testsDir: 'a/b', deps: ['common-x', 'httpx >>= 1'], devDeps: ['pytest'], versoin: '1',
    } as any))).toEqual([
      expect.stringMatching(/^versoin: got "1"; .*did you mean "version"/),
      'name: got "common-"; expected a Python distribution name: letters, digits, ".", "_" or "-", starting and ending with a letter or digit (e.g. "shared-utils").',
      'packageName: got "class"; expected a Python identifier that is no keyword and shadows no library, e.g. "shared_utils".',
      'testsDir: got "a/b"; expected one directory name such as "tests" (letters, digits, "_", "-").',
      expect.stringMatching(/^deps\[1\]: got "httpx >>= 1"; /),
    ]);
    expect(problemLinesOf(() => new UvPythonLibrary({ parent: ws, name: 'common', outdir: 'libs/common', packageName: 'tests', deps: ['Common>=1'] }))).toEqual([
      'testsDir: got "tests"; must differ from the package "tests".',
      'deps[0]: got "Common>=1"; names the library itself ("common"); remove it.',
    ]);
    expect(problemLinesOf(() => new UvWorkspace({ name: 'shop!', outdir: tempDir('uvws-'), parent: ws, devDeps: ['projen-uv-service@^1'] }))).toEqual([
      'name: got "shop!"; expected a name of letters, digits, ".", "_" or "-", starting and ending with a letter or digit (e.g. "shop").',
      'parent: got "shop"; a UvWorkspace is the root of its repository: remove parent.',
      expect.stringMatching(/^devDeps\[0\]: got "projen-uv-service@\^1"; is an npm spec of the projen toolchain/),
    ]);
  });

  test('a service that imports a member\'s package without declaring it fails the synth, before anything is written; declared, it passes', () => {
    const dir = tempDir('uvws-import-');
    const s = synthWorkspace(threeMembers, dir);
    fs.writeFileSync(path.join(dir, 'services/billing/billing/money.py'), 'from common import greeting\n\nprint(greeting("x"))\n');
    fs.writeFileSync(path.join(dir, 'services/orders/orders/money.py'), 'from common import greeting\n\nprint(greeting("x"))\n');
    const before = fs.readFileSync(path.join(dir, 'services/billing/pyproject.toml'), 'utf-8');
    const error = thrownBy(() => synthWorkspace(threeMembers, dir)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ServiceConfigError);
    expect(error.message).toContain('billing/money.py\n    1: common: the package of workspace member "common", which deps does not declare (its image would not contain it). ' +
      'Add "common" to deps in .projenrc.ts (a workspace dependency), or remove the import.');
    expect(error.message).not.toContain('orders/money.py');
    // Nothing written or deleted: the root's files are still there, the member's unchanged.
    expect(listFiles(dir)).toEqual([...s.files, 'services/billing/billing/money.py', 'services/orders/orders/money.py'].sort());
    expect(fs.readFileSync(path.join(dir, 'services/billing/pyproject.toml'), 'utf-8')).toBe(before);
    // Declared: no finding.
    synthWorkspace((ws) => {
      new UvPythonLibrary({ parent: ws, name: 'common', outdir: 'libs/common' });
      new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001, deps: ['common'] });
      new UvPythonService({ parent: ws, name: 'billing', outdir: 'services/billing', port: 8002, deps: ['common'] });
    }, dir);
    expect(s.files.length).toBeGreaterThan(0);
  });
});
