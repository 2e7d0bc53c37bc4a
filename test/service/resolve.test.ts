import { UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { VERSIONS } from '../../src/core/versions';
import { resolveServiceOptions } from '../../src/service/resolve';
import { problemLinesOf } from '../support/errors';

function resolve(extra: Partial<UvPythonServiceOptions> = {}) {
  return resolveServiceOptions({ name: 'orders-api', ...extra } as UvPythonServiceOptions);
}

function problemsOf(extra: Record<string, unknown>): string[] {
  return problemLinesOf(() => resolve(extra as Partial<UvPythonServiceOptions>));
}

describe('defaults', () => {
  test('a minimal service resolves to documented defaults', () => {
    const r = resolve();
    expect(r.pythonVersion).toBe(VERSIONS.python);
    expect(r.pythonTarget).toBe(`py${VERSIONS.python.replace('.', '')}`);
    expect(r.uvVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(r.port).toBe(8000);
    expect(r.healthPath).toBe('/health');
    expect(r.readyPath).toBe('/ready');
    expect(r.app).toEqual({
      entrypoint: 'app.main:app',
      module: 'app.main',
      variable: 'app',
      packageDir: 'app',
      moduleFile: 'app/main.py',
      packageInits: ['app/__init__.py'],
    });
    expect(r.testsDir).toBe('tests');
    // No FastAPI Cloud CLI (nor jinja2, python-multipart, email-validator) in production.
    expect(r.deps.some((d) => d.startsWith('fastapi>='))).toBe(true);
    expect(r.deps.some((d) => d.startsWith('fastapi['))).toBe(false);
    expect(r.devDeps.map((d) => d.split(/[><=]/)[0])).toEqual(['pytest', 'ruff', 'httpx', 'mypy']);
    expect(r.importName).toBe('orders_api');
  });

  test('a user dependency replaces the default with the same normalized name', () => {
    const r = resolve({ database: false, deps: ['FastAPI>=0.120', 'sqlmodel>=0.0.22'], devDeps: ['PyTest==8.3.0'] });
    expect(r.deps).toEqual(['FastAPI>=0.120', 'uvicorn[standard]>=0.30', 'pydantic-settings>=2.8', 'sqlmodel>=0.0.22']);
    expect(r.devDeps).toEqual(['PyTest==8.3.0', 'ruff>=0.8', 'httpx>=0.27', 'mypy>=1.15']);
  });

  test('the database component adds its runtime deps, which the user can still override', () => {
    const names = (deps: string[]) => deps.map((d) => d.split(/[[><=~ ]/)[0].toLowerCase());
    // pydantic-settings with or without a database: <package>/settings.py builds on it.
    expect(names(resolve({ database: false }).deps)).toEqual(['fastapi', 'uvicorn', 'pydantic-settings']);
    const withDb = resolve({ deps: ['asyncpg==0.30.0'] });
    expect(names(withDb.deps)).toEqual(expect.arrayContaining(['fastapi', 'sqlmodel', 'alembic', 'asyncpg']));
    expect(withDb.deps).toContain('asyncpg==0.30.0');
    expect(withDb.deps.filter((d) => d.startsWith('asyncpg'))).toHaveLength(1);
  });

  test('uvicorn, which the image and the dev task run, stays declared when fastapi loses its extra', () => {
    const r = resolve({ database: false, deps: ['fastapi>=0.100'] });
    expect(r.deps).toEqual(['fastapi>=0.100', 'uvicorn[standard]>=0.30', 'pydantic-settings>=2.8']);
  });

  test('the same port and paths are fine without the database', () => {
    expect(() => resolve({ database: false, port: 5432, healthPath: '/items' })).not.toThrow();
  });

  test('a nested entrypoint yields its package and module file', () => {
    const r = resolve({ app: 'svc.api.main:application' });
    expect(r.app.packageDir).toBe('svc');
    expect(r.app.moduleFile).toBe('svc/api/main.py');
    expect(r.app.packageInits).toEqual(['svc/__init__.py', 'svc/api/__init__.py']);
    expect(r.app.variable).toBe('application');
  });
});

describe('validation errors name the option, the value and the fix', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['python version with a patch part', { pythonVersion: '3.12.1' }, /^pythonVersion: got "3\.12\.1"; expected a CPython minor version "3\.N" from 3\.10 to 3\.15/],
    ['python version with a wildcard', { pythonVersion: '3.12.x' }, /^pythonVersion: got "3\.12\.x"/],
    ['python 2', { pythonVersion: '2.7' }, /^pythonVersion: got "2\.7"/],
    ['a too old python', { pythonVersion: '3.8' }, /^pythonVersion: got "3\.8"/],
    ['python version as a number', { pythonVersion: 3.13 }, /^pythonVersion: got 3\.13; must be a string: as a number, 3\.10 reads as 3\.1/],
    ['port above the range', { port: 80000 }, /^port: got 80000; expected an integer TCP port from 1 to 65535/],
    ['port zero', { port: 0 }, /^port: got 0;/],
    ['fractional port', { port: 80.5 }, /^port: got 80\.5;/],
    ['port as a string', { port: '8000' }, /^port: got "8000";/],
    ['uv latest', { uvVersion: 'latest' }, /^uvVersion: got "latest"; expected an exact uv release "MAJOR\.MINOR\.PATCH"/],
    ['uv range', { uvVersion: '^0.9' }, /^uvVersion: got "\^0\.9"/],
    ['uv minor only', { uvVersion: '0.9' }, /^uvVersion: got "0\.9"/],
    ['uv older than the stable uv_build backend', { uvVersion: '0.4.0' }, /^uvVersion: got "0\.4\.0"; expected uv 0\.7\.19 or newer: the project builds with the uv_build backend/],
    ['base image with another Python', { pythonVersion: '3.13', dockerOptions: { baseImage: 'python:3.11-slim' } }, /^dockerOptions\.baseImage: got "python:3\.11-slim"; has Python 3\.11, but pythonVersion is "3\.13"/],
    ['health path on the sample CRUD routes', { healthPath: '/items' }, /^healthPath: got "\/items"; is a route of the sample CRUD API/],
    ['reserved env var for the pooled URL', { databaseOptions: { pooledUrlEnv: 'PATH' } }, /^databaseOptions\.pooledUrlEnv: got "PATH"; is a variable the shell, Python, uv, libpq or GitHub Actions read/],
    ['uv-owned env var for the direct URL', { databaseOptions: { directUrlEnv: 'UV_PROJECT_ENVIRONMENT' } }, /^databaseOptions\.directUrlEnv: got "UV_PROJECT_ENVIRONMENT"; is a variable/],
    ['malformed dependency', { deps: ['fastapi>>1'] }, /^deps\[0\]: got "fastapi>>1"; not a PEP 508 requirement/],
    ['dependency with a space in the name', { deps: ['ok', 'my package'] }, /^deps\[1\]: got "my package"/],
    ['malformed dev dependency', { devDeps: ['pytest=8'] }, /^devDeps\[0\]: got "pytest=8"/],
    ['deps not an array', { deps: 'fastapi' }, /^deps: got "fastapi"; expected an array of PEP 508 strings/],
    ['entrypoint without variable', { app: 'app.main' }, /^app: got "app\.main"; expected "package\.module:variable"/],
    ['entrypoint without package', { app: 'main:app' }, /^app: got "main:app"/],
    ['entrypoint with a dash', { app: 'my-app.main:app' }, /^app: got "my-app\.main:app"/],
    ['entrypoint with a keyword module', { app: 'app.import:app' }, /^app: got "app\.import:app"; "import" is a Python keyword/],
    ['entrypoint shadowing a dependency', { app: 'fastapi.main:app' }, /^app: got "fastapi\.main:app"; a package named "fastapi" would shadow/],
    ['entrypoint variable clashing with the sample', { app: 'app.main:health' }, /^app: got "app\.main:health"; the variable name "health" clashes with the sample module/],
    ['ambiguous entrypoint variable', { app: 'app.main:l' }, /^app: got "app\.main:l"; the variable name "l" clashes with the sample module or is ambiguous \(ruff E741\)/],
    ['migrations inside the tests dir', { databaseOptions: { migrationsDir: 'tests' } }, /^databaseOptions\.migrationsDir: got "tests"; must not be inside the application package/],
    ['health path without slash', { healthPath: 'health' }, /^healthPath: got "health"; expected a URL path starting with "\/"/],
    ['ready path without slash', { readyPath: 'ready' }, /^readyPath: got "ready"; expected a URL path starting with "\/"/],
    ['ready path with CR/LF', { readyPath: '/ready\r\n' }, /^readyPath: got "\/ready\\r\\n"; expected a URL path/],
    ['ready path on the health path', { healthPath: '/status', readyPath: '/status' }, /^readyPath: got "\/status"; is also healthPath: liveness must not depend on the database/],
    ['ready path on the sample CRUD routes', { readyPath: '/items/ready' }, /^readyPath: got "\/items\/ready"; is a route of the sample CRUD API/],
    ['health path with a space', { healthPath: '/he alth' }, /^healthPath: got "\/he alth"/],
    ['name with a space', { name: 'orders api' }, /^name: got "orders api"; expected a Python distribution name/],
    ['name ending with a dash', { name: 'orders-' }, /^name: got "orders-"/],
    ['version not PEP 440', { version: 'v1' }, /^version: got "v1"; expected a PEP 440 version/],
    ['multi-line description', { description: 'a\nb' }, /^description: got "a\\nb"; expected a one-line string/],
    ['tests dir with a slash', { testsDir: 'a/b' }, /^testsDir: got "a\/b"; expected one directory name/],
    ['an app package named like the default tests dir', { app: 'tests.main:app' }, /^testsDir: got "tests"; must differ from the application package "tests"/],
    ['tests dir equal to the app package', { testsDir: 'app' }, /^testsDir: got "app"; must differ from the application package "app"/],
  ])('%s', (_label, options, expected) => {
    const problems = problemsOf(options);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  test.each(['exc', 'logger', 'ready', 'math', 'configure_logging', 'service_settings', 'database_error'])(
    'an app variable named %s, a name the sample entrypoint binds (read from its templates), is refused', (name) => {
      expect(problemsOf({ app: `app.main:${name}` })).toEqual([
        expect.stringMatching(new RegExp(`^app: got "app\\.main:${name}"; the variable name "${name}" clashes with the sample module`)),
      ]);
    });

  test('every problem is reported in one error, with a header naming the count', () => {
    let error: ServiceConfigError | undefined;
    try {
      resolve({ port: 80000, pythonVersion: '3.12.x', deps: ['fastapi>>1'], uvVersion: 'latest' });
    } catch (e) {
      error = e as ServiceConfigError;
    }
    expect(error).toBeInstanceOf(ServiceConfigError);
    expect(error!.message.split('\n')[0]).toBe('UvPythonService: 4 problems found, no file was written:');
    expect(error!.problems.map((p) => p.option).sort()).toEqual(['deps[0]', 'port', 'pythonVersion', 'uvVersion']);
  });
});

describe('PEP 508 strings that are accepted', () => {
  test.each([
    'fastapi',
    'fastapi[standard]>=0.115',
    'uvicorn[standard] >= 0.30, < 1',
    'sqlmodel==0.0.22',
    'requests~=2.32',
    'pkg (>=1.0)',
    'tomli>=2; python_version < "3.11"',
    'mylib @ https://example.com/mylib-1.0.tar.gz',
    'zope.interface>=6',
  ])('%s', (dep) => {
    expect(() => resolve({ deps: [dep] })).not.toThrow();
  });
});
