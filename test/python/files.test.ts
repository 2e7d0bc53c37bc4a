import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseToml } from 'smol-toml';
import * as ts from 'typescript';
import { UvPythonService } from '../../src';
import { uvMissingMessage, UvLockRefresh } from '../../src/python/uv-lock';
import { synthService, tempDir, withoutPost } from '../support/synth';
import { ruffFindings } from '../support/validators';

const variants: Array<[string, Record<string, unknown>]> = [
  ['defaults', {}],
  ['python 3.13, port 9000, custom health path', { pythonVersion: '3.13', port: 9000, healthPath: '/healthz' }],
  ['nested entrypoint and custom tests dir', { app: 'svc.api.main:application', testsDir: 'checks' }],
  ['extra deps, description with quotes', { deps: ['httpx>=0.27'], description: 'Orders "API" \\ v2' }],
  ['an app variable named as a module the tests import (db)', { app: 'a.a:db' }],
  ['long name, deep entrypoint, long URL variables', {
    name: 'a-very-long-service-name-for-orders-billing-and-invoices',
    app: 'orders_billing_and_invoices.web.application.main:application',
    databaseOptions: { pooledUrlEnv: 'ORDERS_BILLING_AND_INVOICES_POOLED_URL', directUrlEnv: 'ORDERS_BILLING_AND_INVOICES_DIRECT_URL' },
  }],
];

describe.each(variants)('generated files (%s)', (_label, options) => {
  const s = synthService(options);
  const pyFiles = s.files.filter((f) => f.endsWith('.py'));

  test('every TOML file parses with smol-toml', () => {
    const tomls = s.files.filter((f) => f.endsWith('.toml'));
    expect(tomls).toContain('pyproject.toml');
    for (const f of tomls) expect(() => parseToml(s.read(f))).not.toThrow();
  });

  test('every Python file is clean under Ruff with the service\'s own ruff config', () => {
    expect(pyFiles.length).toBeGreaterThanOrEqual(3);
    const sources = Object.fromEntries(pyFiles.map((f) => [f, s.read(f)]));
    expect(ruffFindings(s.read('pyproject.toml'), sources)).toEqual([]);
  });

  test('every JSON file parses (tsconfig files as TypeScript reads them)', () => {
    for (const f of s.files.filter((x) => x.endsWith('.json'))) {
      if (path.basename(f).startsWith('tsconfig')) {
        expect(ts.parseConfigFileTextToJson(f, s.read(f)).error).toBeUndefined();
      } else {
        expect(() => JSON.parse(s.read(f))).not.toThrow();
      }
    }
  });
});

describe('pyproject.toml', () => {
  const s = synthService({ pythonVersion: '3.13', uvVersion: '0.9.9', deps: ['sqlmodel>=0.0.22'], database: false });
  const toml = parseToml(s.read('pyproject.toml')) as any;

  test('PEP 621 project table is derived from the options', () => {
    expect(toml.project.name).toBe('orders-api');
    expect(toml.project.version).toBe('0.1.0');
    expect(toml.project['requires-python']).toBe('>=3.13');
    expect(toml.project.dependencies).toEqual(['fastapi>=0.115', 'uvicorn[standard]>=0.30', 'pydantic-settings>=2.8', 'sqlmodel>=0.0.22']);
    expect(toml['dependency-groups'].dev).toEqual(['pytest>=8', 'ruff>=0.8', 'httpx>=0.27', 'mypy>=1.15']);
  });

  test('the uv build backend is bounded by the pinned uv release', () => {
    expect(toml['build-system']).toEqual({ 'requires': ['uv_build>=0.9.9,<0.10.0'], 'build-backend': 'uv_build' });
    expect(toml.tool.uv['build-backend']['module-name']).toBe('app');
  });

  test('[tool.uv] required-version admits exactly the uv that the Dockerfile and CI run', () => {
    expect(toml.tool.uv['required-version']).toBe('==0.9.9');
    const uvImages = [...s.read('Dockerfile').matchAll(/ghcr\.io\/astral-sh\/uv:([^\s@]+)/g)].map((m) => m[1]);
    expect(uvImages.length).toBeGreaterThan(0);
    expect(new Set(uvImages)).toEqual(new Set(['0.9.9']));
    const setupUv = [...s.read('.github/workflows/ci.yml').matchAll(/setup-uv@.*\n(?:\s+.*\n)*?\s+version: (\S+)/g)].map((m) => m[1]);
    expect(setupUv.length).toBeGreaterThan(0);
    expect(new Set(setupUv)).toEqual(new Set(['0.9.9']));
  });

  test('ruff and pytest follow the python version and paths', () => {
    expect(toml.tool.ruff['target-version']).toBe('py313');
    expect(toml.tool.ruff.lint.isort['known-first-party']).toEqual(['app']);
    expect(toml.tool.pytest.ini_options.testpaths).toEqual(['tests']);
  });

  test('.python-version holds the same version, newline-terminated', () => {
    expect(s.read('.python-version')).toBe('3.13\n');
  });

  test('ruff leaves the managed Python files to the library, and checks every user file', () => {
    const t = synthService({ app: 'svc.main:app', databaseOptions: { migrationsDir: 'db/migrations' } });
    const excluded = (parseToml(t.read('pyproject.toml')) as any).tool.ruff['extend-exclude'];
    expect(excluded).toEqual(['db/migrations/env.py', 'svc/db.py', 'svc/logs.py', 'svc/settings.py']);
    const withoutDb = parseToml(synthService({ database: false }).read('pyproject.toml')) as any;
    expect(withoutDb.tool.ruff['extend-exclude']).toEqual(['app/logs.py', 'app/settings.py']);
  });

  test('the escape hatch reaches the file', () => {
    const t = synthService({}, (p) => p.pyproject.file.addOverride('tool.ruff.line-length', 120));
    expect((parseToml(t.read('pyproject.toml')) as any).tool.ruff['line-length']).toBe(120);
  });

  test.each([120, 140])('with line-length %i (an override), every Python file is still clean and formatted as ruff writes it', (n) => {
    for (const options of [{}, { database: false }]) {
      const t = synthService(options, (p) => p.pyproject.file.addOverride('tool.ruff.line-length', n));
      const sources = Object.fromEntries(t.files.filter((f) => f.endsWith('.py')).map((f) => [f, t.read(f)]));
      expect(Object.keys(sources)).toEqual(expect.arrayContaining(['app/main.py', 'tests/test_health.py']));
      expect(ruffFindings(t.read('pyproject.toml'), sources)).toEqual([]);
    }
  });
});

describe('samples and tasks', () => {
  test('the sample app serves the configured health path with the configured variable', () => {
    const s = synthService({ app: 'svc.api.main:application', healthPath: '/healthz' });
    expect(s.files).toEqual(expect.arrayContaining(['svc/__init__.py', 'svc/api/__init__.py', 'svc/api/main.py']));
    expect(s.read('svc/api/main.py')).toContain('@application.get("/healthz")');
    expect(s.read('tests/test_health.py')).toContain('from svc.api.main import application');
  });

  test('written-once files keep the user\'s edits across a resynth', () => {
    const s = synthService();
    const edited = `${s.read('app/main.py')}\n# my change\n`;
    fs.chmodSync(path.join(s.dir, 'app/main.py'), 0o644);
    fs.writeFileSync(path.join(s.dir, 'app/main.py'), edited);
    fs.writeFileSync(path.join(s.dir, 'README.md'), 'mine\n');
    synthService({ port: 9000 }, undefined, s.dir);
    expect(fs.readFileSync(path.join(s.dir, 'app/main.py'), 'utf-8')).toBe(edited);
    expect(fs.readFileSync(path.join(s.dir, 'README.md'), 'utf-8')).toBe('mine\n');
  });

  test('tasks wrap uv and use the configured entrypoint and port', () => {
    const s = synthService({ port: 9100 });
    const tasks = JSON.parse(s.read('.projen/tasks.json')).tasks;
    const execs = (name: string) => tasks[name].steps.map((st: any) => st.exec);
    expect(execs('install')).toEqual(['uv sync']);
    expect(execs('lock')).toEqual(['uv lock']);
    // The tasks that run the service's code go through the one `run` task (.env loaded when it exists).
    const spawned = (name: string) => tasks[name].steps.map((st: any) => [st.spawn, ...(st.args ?? []), st.receiveArgs === true]);
    expect(spawned('dev')).toEqual([['run', 'uvicorn', 'app.main:app', '--reload', '--host', '127.0.0.1', '--port', '9100', true]]);
    expect(spawned('test')).toEqual([['run', 'pytest', true]]);
    expect(tasks.run.steps).toEqual([
      { exec: 'uv run --env-file .env "$@"', condition: 'test -f .env', receiveArgs: true },
      { exec: 'uv run "$@"', condition: '! test -f .env', receiveArgs: true },
    ]);
    expect(execs('lint')).toEqual(['uv run ruff check .', 'uv run ruff format --check .', 'uv run mypy']);
    expect(execs('format')).toEqual(['uv run ruff format .', 'uv run ruff check --fix .']);
    // .projenrc.ts runs in one Node process, by the library's own runner from the service's node_modules.
    const [node, runner, rc, ...rest] = execs('default')[0].split(' ');
    expect([node, rc, rest]).toEqual(['node', '.projenrc.ts', []]);
    const inPackage = runner.match(/^node_modules\/projen-uv-service\/lib\/(.+)\.js$/);
    expect(inPackage).not.toBeNull();
    // the compiled file of a source file of the library
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'src', `${inPackage![1]}.ts`))).toBe(true);
  });

  test('tsconfig.projen.json is written on every synth: projen\'s layout, strict, without checking the libraries\' declarations', () => {
    // skipLibCheck: the library's declarations name cdk8s, installed only with Kubernetes on (the e2e
    // kubernetes-packages test type-checks .projenrc.ts with it, with and without cdk8s).
    const tsconfig = synthService().read('tsconfig.projen.json');
    expect(JSON.parse(tsconfig.replace(/^\/\/.*$/m, ''))).toEqual({
      compilerOptions: { strict: true, skipLibCheck: true, noEmit: true },
      include: ['**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
      exclude: ['node_modules'],
    });
    expect(synthService().read('.gitignore').split('\n')).toContain('!/.projenrc.ts');
    expect(tsconfig.split('\n')[0]).toContain('edit .projenrc.ts');
  });

  test('package.json carries the projen toolchain the .projenrc.ts imports', () => {
    const s = synthService();
    const pkg = JSON.parse(s.read('package.json'));
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['constructs', 'projen', 'projen-uv-service', 'tsx']);
    expect(pkg.private).toBe(true);
  });

  test('.gitignore keeps secrets and local state out of git', () => {
    const lines = synthService().read('.gitignore').split('\n');
    expect(lines).toEqual(expect.arrayContaining(['.venv/', '.env', '.env.*', '!.env.example', 'node_modules/']));
  });

  test('the README says which files are managed and which are written once', () => {
    const readme = synthService().read('README.md');
    expect(readme).toContain('| `pyproject.toml` | managed |');
    expect(readme).toContain('| `app/main.py` | written once |');
    expect(readme).toContain('| `dev` | Run the service with auto-reload on http://127.0.0.1:8000 (.env loaded when it exists; text logs unless LOG_FORMAT is set in the shell) |');
  });

  test('the dev task logs text unless the shell sets LOG_FORMAT, as projen\'s task runtime evaluates its env', () => {
    const value = JSON.parse(synthService().read('.projen/tasks.json')).tasks.dev.env.LOG_FORMAT;
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.projen'));
    const show = { name: 'show', env: { LOG_FORMAT: value }, steps: [{ exec: 'echo "LOG_FORMAT=[$LOG_FORMAT]"' }] };
    fs.writeFileSync(path.join(dir, '.projen', 'tasks.json'), JSON.stringify({ tasks: { show } }));
    const projen = require.resolve('projen/bin/projen');
    const shown = (logFormat?: string): string => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.LOG_FORMAT;
      if (logFormat !== undefined) env.LOG_FORMAT = logFormat;
      return spawnSync(process.execPath, [projen, 'show'], { cwd: dir, env, encoding: 'utf-8' }).stdout;
    };
    expect(shown()).toContain('LOG_FORMAT=[text]');
    expect(shown('json')).toContain('LOG_FORMAT=[json]');
  });

  test('invalid options throw before any file is written', () => {
    const dir = tempDir();
    expect(() => new UvPythonService({ name: 'x', port: 70000, outdir: dir })).toThrow(/port: got 70000/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('uv.lock refresh after synth', () => {
  function refresher(pathEnv: string) {
    const s = synthService();
    const comp = s.project.components.find((c) => c instanceof UvLockRefresh) as UvLockRefresh;
    const warn = jest.spyOn(s.project.logger, 'warn').mockImplementation(() => {});
    const prev = process.env.PATH;
    process.env.PATH = pathEnv;
    try {
      withoutPost(() => comp.postSynthesize());
    } finally {
      process.env.PATH = prev;
    }
    return { s, warn };
  }

  test('without uv, synth succeeds and warns once with the fix', () => {
    const { warn } = refresher(tempDir());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^uv is not on PATH, so uv\.lock was not written: install uv \(https:\/\/docs\.astral\.sh\/uv\/getting-started\/installation\/\), run "npx projen lock" and commit uv\.lock/);
  });

  test('without uv and with a uv.lock to refresh, the warning says the lock is stale', () => {
    expect(uvMissingMessage(true)).toMatch(/^uv is not on PATH, so uv\.lock was not refreshed for the new pyproject\.toml: .*run "npx projen lock" and commit uv\.lock/);
  });

  test('with uv on PATH, `uv lock` runs in the service directory', () => {
    const bin = tempDir();
    fs.writeFileSync(path.join(bin, 'uv'), '#!/bin/sh\necho "$@" > "$PWD/uv-called"\n', { mode: 0o755 });
    const { s, warn } = refresher(`${bin}:/usr/bin:/bin`);
    expect(warn).not.toHaveBeenCalled();
    expect(fs.readFileSync(path.join(s.dir, 'uv-called'), 'utf-8').trim()).toBe('lock');
  });

  test('a resynth that leaves pyproject.toml as it was runs no `uv lock` (when uv.lock exists)', () => {
    const bin = tempDir();
    fs.writeFileSync(path.join(bin, 'uv'), '#!/bin/sh\necho lock >> "$PWD/uv-called"\n', { mode: 0o755 });
    const prev = process.env.PATH;
    process.env.PATH = `${bin}:/usr/bin:/bin`;
    try {
      const dir = synthService().dir;
      const calls = () => (fs.existsSync(path.join(dir, 'uv-called')) ? fs.readFileSync(path.join(dir, 'uv-called'), 'utf-8').trim().split('\n').length : 0);
      /** A resynth in the same directory, then the refresh step as projen's post-synth runs it. */
      const resynth = (options = {}) => {
        const again = synthService(options, undefined, dir);
        (again.project.components.find((c) => c instanceof UvLockRefresh) as UvLockRefresh).postSynthesize();
      };
      fs.writeFileSync(path.join(dir, 'uv.lock'), '');
      resynth(); // the same options: pyproject.toml unchanged
      expect(calls()).toBe(0);
      resynth({ deps: ['httpx>=0.27'] }); // pyproject.toml changes
      expect(calls()).toBe(1);
      resynth({ deps: ['httpx>=0.27'] }); // unchanged again
      expect(calls()).toBe(1);
      fs.rmSync(path.join(dir, 'uv.lock'));
      resynth({ deps: ['httpx>=0.27'] }); // unchanged, but no uv.lock yet
      expect(calls()).toBe(2);
    } finally {
      process.env.PATH = prev;
    }
  });
});
