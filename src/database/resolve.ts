import { DatabaseDriver, PoolStrategy } from './enums';
import { NeonDatabaseOptions } from './options';
import { DIR_SEGMENT, OptionReader, PYTHON_IDENTIFIER, pythonPackageNameProblem } from '../core/option-reader';
import { Problems } from '../core/problems';
import { DATABASE_VERSIONS } from '../core/versions';

/** POSIX-style environment variable name, upper case (as Neon and most platforms write them). */
export const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;

/** The file Alembic reads from the project root. */
export const ALEMBIC_CONFIG = 'alembic.ini';

/**
 * Variables the tools around the service read for their own purposes: a database URL stored in one
 * of them would break the shell (PATH, HOME), Python (PYTHON*), uv (UV_*) or libpq (PG*).
 */
const RESERVED_ENV = /^(PATH|HOME|USER|SHELL|PWD|LANG|TERM|TMPDIR|HOSTNAME|CI|GITHUB_.*|RUNNER_.*|PYTHON.*|UV_.*|PG.*|VIRTUAL_ENV|LD_.*)$/;

function envName(r: OptionReader, name: string, value: unknown, fallback: string): string {
  const env = r.str(
    name,
    value,
    fallback,
    ENV_VAR_NAME,
    `expected the NAME of an environment variable (upper case letters, digits and "_", not starting with a digit, at most 64 characters), e.g. "${fallback}"; the URL itself belongs in the environment, never in .projenrc.ts.`,
  );
  if (RESERVED_ENV.test(env)) {
    r.problem(
      name,
      env,
      `is a variable the shell, Python, uv, libpq or GitHub Actions read for their own purpose; choose a name of your own, e.g. "${fallback}".`,
    );
    return fallback;
  }
  return env;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_POOL_MAX_OVERFLOW = 0;
const DEFAULT_MIGRATIONS_DIR = 'migrations';

/** Alembic's own name for the table holding the revision a database is at. */
export const DEFAULT_VERSION_TABLE = 'alembic_version';

/** An unquoted PostgreSQL table name: lower case (unquoted names fold to it), at most 63 bytes. */
export const SQL_TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The Alembic version table of a workspace member whose top-level import package is `importName`
 * (`orders_api` -> `alembic_version_orders_api`): distinct per member, so that services migrating one
 * shared database keep separate histories. Lower case, cut to PostgreSQL's 63 bytes.
 */
export function memberVersionTable(importName: string): string {
  return `${DEFAULT_VERSION_TABLE}_${importName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** Runtime requirements of the generated database code for a driver. */
export function databaseDeps(driver: DatabaseDriver): string[] {
  return [
    DATABASE_VERSIONS.sqlmodel,
    DATABASE_VERSIONS.sqlalchemy,
    driver === DatabaseDriver.PSYCOPG ? DATABASE_VERSIONS.psycopg : DATABASE_VERSIONS.asyncpg,
    DATABASE_VERSIONS.alembic,
    DATABASE_VERSIONS.pydanticSettings,
  ];
}

/**
 * Applies defaults to {@link NeonDatabaseOptions} and records every problem under `optionPath`.
 * Never throws: the caller throws once for all problems.
 */
export function resolveDatabaseOptions(
  options: NeonDatabaseOptions | undefined,
  problems: Problems,
  optionPath: string,
): ResolvedDatabase {
  const o = options ?? {};
  const r = new OptionReader(problems, optionPath);

  const pooledUrlEnv = envName(r, 'pooledUrlEnv', o.pooledUrlEnv, 'DATABASE_URL');
  const directUrlEnv = envName(r, 'directUrlEnv', o.directUrlEnv, 'DATABASE_URL_UNPOOLED');
  if (pooledUrlEnv === directUrlEnv) {
    r.problem(
      'directUrlEnv',
      directUrlEnv,
      `must differ from pooledUrlEnv ("${pooledUrlEnv}"): the app uses the pooled URL, migrations the direct one (Neon: DATABASE_URL and DATABASE_URL_UNPOOLED).`,
    );
  }

  const driver = r.enum<DatabaseDriver>('driver', o.driver, DatabaseDriver, 'DatabaseDriver', DatabaseDriver.ASYNCPG);
  const poolStrategy = r.enum<PoolStrategy>('poolStrategy', o.poolStrategy, PoolStrategy, 'PoolStrategy', PoolStrategy.CLIENT_POOL);
  const clientPool = poolStrategy === PoolStrategy.CLIENT_POOL;

  // A valid size given without the client pool would be silently ignored.
  const clientPoolOnly = (name: 'poolSize' | 'poolMaxOverflow', value: number, fallback: number): number => {
    if (clientPool || o[name] === undefined || value !== o[name]) return value;
    r.problem(
      name,
      o[name],
      'only applies with poolStrategy PoolStrategy.CLIENT_POOL; remove it, or set poolStrategy: PoolStrategy.CLIENT_POOL.',
    );
    return fallback;
  };
  const poolSize = clientPoolOnly('poolSize',
    r.int('poolSize', o.poolSize, DEFAULT_POOL_SIZE, 1, 100, 'expected an integer from 1 to 100, e.g. 10.'),
    DEFAULT_POOL_SIZE);
  const poolMaxOverflow = clientPoolOnly('poolMaxOverflow',
    r.int('poolMaxOverflow', o.poolMaxOverflow, DEFAULT_POOL_MAX_OVERFLOW, 0, 100, 'expected an integer from 0 to 100, e.g. 0.'),
    DEFAULT_POOL_MAX_OVERFLOW);

  const seconds = (name: 'statementTimeoutSeconds' | 'poolTimeoutSeconds' | 'connectTimeoutSeconds' | 'migrationLockTimeoutSeconds',
    fallback: number, max: number): number =>
    r.int(name, o[name], fallback, 1, max, `expected a whole number of seconds from 1 to ${max}, e.g. ${fallback}.`);
  const statementTimeoutSeconds = seconds('statementTimeoutSeconds', 15, 30);
  const poolTimeoutSeconds = seconds('poolTimeoutSeconds', 10, 300);
  const connectTimeoutSeconds = seconds('connectTimeoutSeconds', 10, 300);
  const migrationLockTimeoutSeconds = seconds('migrationLockTimeoutSeconds', 5, 3600);
  if (!clientPool && o.poolTimeoutSeconds !== undefined && poolTimeoutSeconds === o.poolTimeoutSeconds) {
    r.problem('poolTimeoutSeconds', o.poolTimeoutSeconds,
      'only applies with poolStrategy PoolStrategy.CLIENT_POOL; remove it, or set poolStrategy: PoolStrategy.CLIENT_POOL.');
  }
  const prePing = r.bool('prePing', o.prePing, false);
  const preparedStatements = r.bool('preparedStatements', o.preparedStatements, true);
  const verifyServerCertificate = r.bool('verifyServerCertificate', o.verifyServerCertificate, true);

  let migrationsDir = r.str(
    'migrationsDir',
    o.migrationsDir,
    DEFAULT_MIGRATIONS_DIR,
    (dir) => {
      const segments = dir.split('/');
      return segments.length <= 4 && segments.every((s) => DIR_SEGMENT.test(s));
    },
    'expected a relative directory such as "migrations" or "db/migrations" (letters, digits, "_", "-"; no leading "/", no "..").',
  );
  if (migrationsDir.split('/').pop() === 'versions') {
    r.problem('migrationsDir', migrationsDir, 'must not end in "versions": Alembic keeps the revisions in <migrationsDir>/versions.');
    migrationsDir = DEFAULT_MIGRATIONS_DIR;
  }

  const versionTable = r.str('versionTable', o.versionTable, DEFAULT_VERSION_TABLE, SQL_TABLE_NAME,
    `expected an unquoted PostgreSQL table name (lower-case letters, digits and "_", not starting with a digit, at most 63 characters), e.g. "${DEFAULT_VERSION_TABLE}_orders".`);

  return {
    pooledUrlEnv,
    directUrlEnv,
    migrationsDir,
    deps: databaseDeps(driver),
    driver,
    poolStrategy,
    poolSize,
    poolMaxOverflow,
    prePing,
    preparedStatements,
    verifyServerCertificate,
    statementTimeoutSeconds,
    poolTimeoutSeconds,
    connectTimeoutSeconds,
    migrationLockTimeoutSeconds,
    versionTable,
    alembicConfig: ALEMBIC_CONFIG,
    migrateCommand: `alembic -c ${ALEMBIC_CONFIG} upgrade head`,
  };
}

/** Reads the `appPackage` option of a standalone {@link NeonDatabase} (`UvPythonService` gives its app's). */
export function resolveAppPackage(value: unknown, problems: Problems): string {
  const r = new OptionReader(problems, '');
  const appPackage = r.str('appPackage', value, 'app', PYTHON_IDENTIFIER, 'expected a Python package name (an identifier), e.g. "app".');
  const nameProblem = pythonPackageNameProblem(appPackage);
  if (nameProblem) r.problem('appPackage', appPackage, nameProblem);
  return appPackage;
}

/**
 * The database facts after defaults and validation, owned by the `NeonDatabase` built from them:
 * other components read them there (`NeonDatabase.of(project)`).
 */
export interface ResolvedDatabase {
  /** Env var of the pooled URL, read by the app. */
  readonly pooledUrlEnv: string;
  /** Env var of the direct URL, read by migrations. */
  readonly directUrlEnv: string;
  /** Alembic environment directory, relative to the project root. */
  readonly migrationsDir: string;
  /** Runtime Python requirements the database code needs (PEP 508). */
  readonly deps: string[];
  /** Python driver. */
  readonly driver: DatabaseDriver;
  /** Client-side pooling of the application. */
  readonly poolStrategy: PoolStrategy;
  /** Connections of the client pool (meaningful with `PoolStrategy.CLIENT_POOL`). */
  readonly poolSize: number;
  /** Connections the client pool may open beyond `poolSize` in a burst (meaningful with `PoolStrategy.CLIENT_POOL`). */
  readonly poolMaxOverflow: number;
  /** Whether connections are pinged before use. */
  readonly prePing: boolean;
  /** Whether the drivers' statement caches are on for the pooled URL. */
  readonly preparedStatements: boolean;
  /** Whether every TLS connection to another machine is made with `sslmode=verify-full`. */
  readonly verifyServerCertificate: boolean;
  /** Default of DB_STATEMENT_TIMEOUT_SECONDS. */
  readonly statementTimeoutSeconds: number;
  /** Default of DB_POOL_TIMEOUT_SECONDS. */
  readonly poolTimeoutSeconds: number;
  /** Default of DB_CONNECT_TIMEOUT_SECONDS. */
  readonly connectTimeoutSeconds: number;
  /** Default of DB_MIGRATION_LOCK_TIMEOUT_SECONDS. */
  readonly migrationLockTimeoutSeconds: number;
  /** Alembic configuration file at the project root (`alembic.ini`). */
  readonly alembicConfig: string;
  /** Table Alembic records the database's revision in (`alembic_version` unless set). */
  readonly versionTable: string;
  /** Command that applies every migration, run from the project root with the direct URL set. */
  readonly migrateCommand: string;
}
