import { DatabaseDriver, NeonDatabaseOptions, NeonDatabaseProps, PoolStrategy } from './options';
import { ResolvedDatabase } from './resolved';
import { Problems } from '../service/problems';
import { DATABASE_VERSIONS } from '../versions';

/** POSIX-style environment variable name, upper case (as Neon and most platforms write them). */
export const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;

/** One path segment of a directory the service owns. */
const DIR_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The file Alembic reads from the project root. */
export const ALEMBIC_CONFIG = 'alembic.ini';

function enumValues(e: Record<string, string>): string[] {
  return Object.values(e);
}

function checkEnum<T extends string>(
  problems: Problems,
  option: string,
  value: unknown,
  e: Record<string, string>,
  enumName: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && enumValues(e).includes(value)) return value as T;
  const members = Object.keys(e).map((k) => `${enumName}.${k}`).join(', ');
  problems.add(option, value, `expected one of ${members}.`);
  return fallback;
}

/**
 * Variables the tools around the service read for their own purposes: a database URL stored in one
 * of them would break the shell (PATH, HOME), Python (PYTHON*), uv (UV_*) or libpq (PG*).
 */
const RESERVED_ENV = /^(PATH|HOME|USER|SHELL|PWD|LANG|TERM|TMPDIR|HOSTNAME|CI|GITHUB_.*|RUNNER_.*|PYTHON.*|UV_.*|PG.*|VIRTUAL_ENV|LD_.*)$/;

function checkEnvName(problems: Problems, option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !ENV_VAR_NAME.test(value)) {
    problems.add(
      option,
      value,
      `expected the NAME of an environment variable (upper case letters, digits and "_", not starting with a digit, at most 64 characters), e.g. "${fallback}"; the URL itself belongs in the environment, never in .projenrc.ts.`,
    );
    return fallback;
  }
  if (RESERVED_ENV.test(value)) {
    problems.add(
      option,
      value,
      `is a variable the shell, Python, uv, libpq or GitHub Actions read for their own purpose; choose a name of your own, e.g. "${fallback}".`,
    );
    return fallback;
  }
  return value;
}

function checkBoolean(problems: Problems, option: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  problems.add(option, value, 'expected true or false.');
  return undefined;
}

/** Runtime requirements of the generated database code for a driver. */
export function databaseDeps(driver: DatabaseDriver): string[] {
  return [
    DATABASE_VERSIONS.sqlmodel,
    DATABASE_VERSIONS.sqlalchemy,
    driver === DatabaseDriver.PSYCOPG ? DATABASE_VERSIONS.psycopg : DATABASE_VERSIONS.asyncpg,
    DATABASE_VERSIONS.alembic,
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
  const at = (key: string) => (optionPath ? `${optionPath}.${key}` : key);

  const pooledUrlEnv = checkEnvName(problems, at('pooledUrlEnv'), o.pooledUrlEnv, 'DATABASE_URL');
  const directUrlEnv = checkEnvName(problems, at('directUrlEnv'), o.directUrlEnv, 'DATABASE_URL_UNPOOLED');
  if (pooledUrlEnv === directUrlEnv) {
    problems.add(
      at('directUrlEnv'),
      directUrlEnv,
      `must differ from pooledUrlEnv ("${pooledUrlEnv}"): the app uses the pooled URL, migrations the direct one (Neon: DATABASE_URL and DATABASE_URL_UNPOOLED).`,
    );
  }

  const driver = checkEnum<DatabaseDriver>(problems, at('driver'), o.driver, DatabaseDriver, 'DatabaseDriver', DatabaseDriver.ASYNCPG);
  const poolStrategy = checkEnum<PoolStrategy>(
    problems, at('poolStrategy'), o.poolStrategy, PoolStrategy, 'PoolStrategy', PoolStrategy.NULL_POOL,
  );

  let poolSize = 5;
  if (o.poolSize !== undefined) {
    if (typeof o.poolSize !== 'number' || !Number.isInteger(o.poolSize) || o.poolSize < 1 || o.poolSize > 100) {
      problems.add(at('poolSize'), o.poolSize, 'expected an integer from 1 to 100, e.g. 5.');
    } else if (poolStrategy !== PoolStrategy.CLIENT_POOL) {
      problems.add(
        at('poolSize'),
        o.poolSize,
        'only applies with poolStrategy PoolStrategy.CLIENT_POOL; remove it, or set poolStrategy: PoolStrategy.CLIENT_POOL.',
      );
    } else {
      poolSize = o.poolSize;
    }
  }

  const prePing = checkBoolean(problems, at('prePing'), o.prePing) ?? poolStrategy === PoolStrategy.CLIENT_POOL;

  let migrationsDir = 'migrations';
  if (o.migrationsDir !== undefined) {
    const segments = typeof o.migrationsDir === 'string' ? o.migrationsDir.split('/') : [];
    if (segments.length === 0 || segments.length > 4 || !segments.every((s) => DIR_SEGMENT.test(s))) {
      problems.add(
        at('migrationsDir'),
        o.migrationsDir,
        'expected a relative directory such as "migrations" or "db/migrations" (letters, digits, "_", "-"; no leading "/", no "..").',
      );
    } else if (segments[segments.length - 1] === 'versions') {
      problems.add(at('migrationsDir'), o.migrationsDir, 'must not end in "versions": Alembic keeps the revisions in <migrationsDir>/versions.');
    } else {
      migrationsDir = o.migrationsDir;
    }
  }

  return {
    pooledUrlEnv,
    directUrlEnv,
    migrationsDir,
    deps: databaseDeps(driver),
    driver,
    poolStrategy,
    poolSize,
    prePing,
    alembicConfig: ALEMBIC_CONFIG,
    migrateCommand: `alembic -c ${ALEMBIC_CONFIG} upgrade head`,
  };
}

/** The application facts a {@link NeonDatabase} needs, after defaults and validation. */
export interface ResolvedDatabaseApp {
  readonly appPackage: string;
  readonly composeApp?: ResolvedComposeApp;
}

/** {@link NeonComposeApp} with defaults applied. */
export interface ResolvedComposeApp {
  readonly buildContext: string;
  readonly dockerfile: string;
  readonly buildTarget?: string;
  readonly port: number;
}

const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\/-]+$/;

/**
 * Checks the properties a standalone `NeonDatabase` takes on top of {@link NeonDatabaseOptions}.
 */
export function resolveDatabaseApp(props: NeonDatabaseProps, problems: Problems): ResolvedDatabaseApp {
  const appPackage = props.appPackage ?? 'app';
  if (typeof appPackage !== 'string' || !PYTHON_IDENTIFIER.test(appPackage)) {
    problems.add('appPackage', appPackage, 'expected a Python package name (an identifier), e.g. "app".');
  }
  const c = props.composeApp;
  if (c === undefined) return { appPackage };
  const path = (key: 'buildContext' | 'dockerfile', fallback: string): string => {
    const v = c[key] ?? fallback;
    if (typeof v !== 'string' || !RELATIVE_PATH.test(v)) {
      problems.add(`composeApp.${key}`, v, `expected a path relative to the project root, e.g. "${fallback}".`);
    }
    return v;
  };
  const buildContext = path('buildContext', '.');
  const dockerfile = path('dockerfile', 'Dockerfile');
  if (c.buildTarget !== undefined && (typeof c.buildTarget !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(c.buildTarget))) {
    problems.add('composeApp.buildTarget', c.buildTarget, 'expected a Dockerfile stage name, e.g. "runtime".');
  }
  const port = c.port ?? 8000;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    problems.add('composeApp.port', port, 'expected an integer TCP port from 1 to 65535, e.g. 8000.');
  }
  return { appPackage, composeApp: { buildContext, dockerfile, buildTarget: c.buildTarget, port } };
}
