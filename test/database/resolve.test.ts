import { Project } from 'projen';
import { DatabaseDriver, PoolStrategy, UvPythonService, UvPythonServiceOptions } from '../../src';
import { Problems, ServiceConfigError } from '../../src/core/problems';
import { NeonDatabase } from '../../src/database';
import { resolveDatabaseOptions } from '../../src/database/resolve';
import { problemLinesOf } from '../support/errors';
import { listFiles, tempDir } from '../support/synth';

function resolve(options: Record<string, unknown> = {}) {
  const problems = new Problems();
  const resolved = resolveDatabaseOptions(options as any, problems, 'databaseOptions');
  return { resolved, problems: problems.all.map((p) => `${p.option}: ${JSON.stringify(p.value)}: ${p.expected}`) };
}

describe('defaults', () => {
  test('Neon\'s variable names, asyncpg, a client pool of 10 without overflow or pre-ping, migrations/', () => {
    const { resolved, problems } = resolve();
    expect(problems).toEqual([]);
    expect(resolved).toMatchObject({
      pooledUrlEnv: 'DATABASE_URL',
      directUrlEnv: 'DATABASE_URL_UNPOOLED',
      driver: DatabaseDriver.ASYNCPG,
      poolStrategy: PoolStrategy.CLIENT_POOL,
      poolSize: 10,
      poolMaxOverflow: 0,
      prePing: false,
      verifyServerCertificate: true,
      migrationsDir: 'migrations',
      alembicConfig: 'alembic.ini',
    });
    expect(resolved.deps.map((d) => d.split(/[[>=]/)[0])).toEqual(['sqlmodel', 'sqlalchemy', 'asyncpg', 'alembic', 'pydantic-settings']);
  });

  test('pool size, overflow and pre-ping are taken as given; NullPool stays available', () => {
    expect(resolve({ prePing: true, poolSize: 3, poolMaxOverflow: 2 }).resolved)
      .toMatchObject({ poolStrategy: PoolStrategy.CLIENT_POOL, prePing: true, poolSize: 3, poolMaxOverflow: 2 });
    expect(resolve({ poolStrategy: PoolStrategy.NULL_POOL }).resolved)
      .toMatchObject({ poolStrategy: PoolStrategy.NULL_POOL, prePing: false });
  });

  test('verifyServerCertificate can be turned off', () => {
    expect(resolve({ verifyServerCertificate: false })).toEqual({
      resolved: expect.objectContaining({ verifyServerCertificate: false }),
      problems: [],
    });
  });

  test('psycopg replaces asyncpg in the dependencies', () => {
    const deps = resolve({ driver: DatabaseDriver.PSYCOPG }).resolved.deps.join(' ');
    expect(deps).toContain('psycopg[binary]');
    expect(deps).not.toContain('asyncpg');
  });
});

describe('every bad option is reported with its path, value and fix', () => {
  test.each([
    [{ pooledUrlEnv: 'database_url' }, 'databaseOptions.pooledUrlEnv: "database_url": expected the NAME of an environment variable'],
    [{ directUrlEnv: '1URL' }, 'databaseOptions.directUrlEnv: "1URL": expected the NAME'],
    [{ directUrlEnv: `A${'B'.repeat(64)}` }, 'at most 64 characters'],
    [{ pooledUrlEnv: 'DB', directUrlEnv: 'DB' }, 'databaseOptions.directUrlEnv: "DB": must differ from pooledUrlEnv ("DB")'],
    [{ driver: 'psycopg2' }, 'databaseOptions.driver: "psycopg2": expected one of DatabaseDriver.ASYNCPG, DatabaseDriver.PSYCOPG.'],
    [{ poolStrategy: 'queue' }, 'databaseOptions.poolStrategy: "queue": expected one of PoolStrategy.NULL_POOL, PoolStrategy.CLIENT_POOL.'],
    [{ poolStrategy: PoolStrategy.CLIENT_POOL, poolSize: 0 }, 'databaseOptions.poolSize: 0: expected an integer from 1 to 100'],
    [{ poolStrategy: PoolStrategy.CLIENT_POOL, poolSize: 2.5 }, 'databaseOptions.poolSize: 2.5: expected an integer'],
    [{ poolStrategy: PoolStrategy.NULL_POOL, poolSize: 5 }, 'databaseOptions.poolSize: 5: only applies with poolStrategy PoolStrategy.CLIENT_POOL'],
    [{ poolStrategy: PoolStrategy.NULL_POOL, poolMaxOverflow: 0 }, 'databaseOptions.poolMaxOverflow: 0: only applies with poolStrategy PoolStrategy.CLIENT_POOL'],
    [{ poolMaxOverflow: -1 }, 'databaseOptions.poolMaxOverflow: -1: expected an integer from 0 to 100, e.g. 0.'],
    [{ poolMaxOverflow: 101 }, 'databaseOptions.poolMaxOverflow: 101: expected an integer from 0 to 100'],
    [{ prePing: 'yes' }, 'databaseOptions.prePing: "yes": expected true or false.'],
    [{ verifyServerCertificate: 'always' }, 'databaseOptions.verifyServerCertificate: "always": expected true or false.'],
    [{ verifyServerCertificate: 0 }, 'databaseOptions.verifyServerCertificate: 0: expected true or false.'],
    [{ migrationsDir: '/abs/migrations' }, 'databaseOptions.migrationsDir: "/abs/migrations": expected a relative directory'],
    [{ migrationsDir: '../migrations' }, 'databaseOptions.migrationsDir: "../migrations": expected a relative directory'],
    [{ migrationsDir: 'db/versions' }, 'databaseOptions.migrationsDir: "db/versions": must not end in "versions"'],
    [{ pooledUrlEnv: 'PGHOST' }, 'databaseOptions.pooledUrlEnv: "PGHOST": is a variable the shell, Python, uv, libpq or GitHub Actions read for their own purpose; choose a name of your own, e.g. "DATABASE_URL".'],
    [{ directUrlEnv: 'UV_CACHE_DIR' }, 'databaseOptions.directUrlEnv: "UV_CACHE_DIR": is a variable the shell'],
    [{ poolStrategy: PoolStrategy.CLIENT_POOL, poolSize: '5' }, 'databaseOptions.poolSize: "5": expected an integer from 1 to 100, e.g. 10.'],
    [{ poolSize: 0 }, 'databaseOptions.poolSize: 0: expected an integer from 1 to 100'],
    [{ migrationsDir: 'a/b/c/d/e' }, 'databaseOptions.migrationsDir: "a/b/c/d/e": expected a relative directory'],
    [{ migrationsDir: 7 }, 'databaseOptions.migrationsDir: 7: expected a relative directory'],
    [{ migrationsDir: '' }, 'databaseOptions.migrationsDir: "": expected a relative directory'],
  ])('%j', (options, message) => {
    const { problems } = resolve(options);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  test('a URL given where a variable name belongs is refused and redacted', () => {
    const { problems } = resolve({ pooledUrlEnv: 'postgresql://neondb_owner:s3cret@ep-x-pooler.neon.tech/neondb' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"<redacted>"');
    expect(problems[0]).not.toContain('s3cret');
    expect(problems[0]).toContain('the URL itself belongs in the environment');
  });

  test('the service throws one error listing database problems with the others, before writing', () => {
    const dir = tempDir();
    expect(() => new UvPythonService({
      name: 'orders-api',
      outdir: dir,
      port: 0,
      databaseOptions: { pooledUrlEnv: 'X', directUrlEnv: 'X', poolStrategy: PoolStrategy.NULL_POOL, poolSize: 4 },
    } as UvPythonServiceOptions)).toThrow(ServiceConfigError);
    try {
      new UvPythonService({
        name: 'orders-api',
        outdir: dir,
        port: 0,
        databaseOptions: { pooledUrlEnv: 'X', directUrlEnv: 'X', poolStrategy: PoolStrategy.NULL_POOL, poolSize: 4 },
      } as UvPythonServiceOptions);
    } catch (e) {
      const options = (e as ServiceConfigError).problems.map((p) => p.option);
      expect(options).toEqual(expect.arrayContaining(['port', 'databaseOptions.directUrlEnv', 'databaseOptions.poolSize']));
    }
    expect(listFiles(dir)).toEqual([]);
  });
});

describe('NeonDatabase on its own', () => {
  test('checks its own properties and refuses credentials anywhere in them', () => {
    const project = new Project({ name: 'x', outdir: tempDir() });
    let error: ServiceConfigError | undefined;
    try {
      new NeonDatabase(project, {
        appPackage: 'my-app',
        directUrlEnv: 'postgres://u:hunter22@host/db',
        poolSize: 0,
      });
    } catch (e) {
      error = e as ServiceConfigError;
    }
    expect(error).toBeInstanceOf(ServiceConfigError);
    expect(error!.message).toMatch(/^NeonDatabase: \d+ problems found/);
    expect(error!.message).not.toContain('hunter22');
    const byOption = Object.fromEntries(error!.problems.map((p) => [p.option, p.expected]));
    const direct = error!.problems.filter((p) => p.option === 'directUrlEnv').map((p) => p.expected);
    expect(direct).toEqual([expect.stringContaining('looks like a URL with a password'), expect.stringContaining('the NAME')]);
    expect(byOption.appPackage).toContain('Python package name');
    expect(byOption.poolSize).toBe('expected an integer from 1 to 100, e.g. 10.');
    expect(error!.problems.map((p) => p.option)).toEqual(['directUrlEnv', 'directUrlEnv', 'poolSize', 'appPackage']);
  });

  test('a service gives the database the package of its app: databaseOptions.appPackage is refused, naming app', () => {
    expect(problemLinesOf(() => new UvPythonService({ name: 'orders-api', outdir: tempDir(), app: 'svc.main:app', databaseOptions: { appPackage: 'other' } }))).toEqual([
      'databaseOptions.appPackage: got "other"; is the application package of the app option ("svc.main:app" -> "svc"); remove it here, and change app to move the database module with the app.',
    ]);
  });

  test.each([
    ['class', '"class" is a Python keyword and cannot name a package, module or variable.'],
    ['None', '"None" is a Python keyword and cannot name a package, module or variable.'],
    ['sqlmodel', 'a package named "sqlmodel" would shadow the library of that name; choose another package name, e.g. "app".'],
    ['FastAPI', 'a package named "FastAPI" would shadow the library of that name; choose another package name, e.g. "app".'],
  ])('refuses appPackage %j as the service refuses it in "app"', (appPackage, expected) => {
    const project = new Project({ name: 'x', outdir: tempDir() });
    const error = catchConfigError(() => new NeonDatabase(project, { appPackage }));
    expect(error.problems).toEqual([{ option: 'appPackage', value: appPackage, expected }]);
    // The same name as the package of the service's `app` is refused with the same words.
    const service = catchConfigError(() => new UvPythonService({ name: 'svc', outdir: tempDir(), app: `${appPackage}.main:app` }));
    expect(service.problems.map((p) => p.expected)).toEqual([expected]);
  });

  test('an ordinary package name passes', () => {
    const project = new Project({ name: 'x', outdir: tempDir() });
    expect(new NeonDatabase(project, { appPackage: 'orders' }).appPackage).toBe('orders');
  });
});

function catchConfigError(build: () => unknown): ServiceConfigError {
  try {
    build();
  } catch (e) {
    if (e instanceof ServiceConfigError) return e;
    throw e;
  }
  throw new Error('expected a ServiceConfigError');
}
