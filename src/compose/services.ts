import * as path from 'path';
import { PortOwner } from './checks';
import { DATABASE_VERSIONS } from '../core/versions';
import { LOCAL_DB, LOCAL_MAX_PREPARED_STATEMENTS, LOCAL_STACK, localUrl } from '../database/local-stack';
import type { ResolvedDatabase } from '../database/resolve';

/**
 * How compose.yaml builds and runs an application, read from its `DockerStages` at synth: paths from
 * the directory of compose.yaml.
 */
export interface ComposeApp {
  /** Build context. */
  readonly buildContext: string;
  /** The Dockerfile. */
  readonly dockerfile: string;
  /** The stage that runs the application. */
  readonly buildTarget: string;
  /** The port the application listens on in its container, published on 127.0.0.1. */
  readonly port: number;
  /** Seconds from the stop signal to the kill (`stop_grace_period`); unset: compose's default. */
  readonly gracePeriodSeconds?: number;
}

const healthcheck = (test: string[]) => ({ test, interval: '2s', timeout: '5s', retries: 30 });
const healthy = { condition: 'service_healthy' };
/** A `depends_on` condition: the one-shot service ran and exited 0. */
export const COMPLETED = { condition: 'service_completed_successfully' } as const;

/**
 * Postgres with a healthcheck and PgBouncer in transaction mode in front of it (so the local pooled and
 * direct URLs behave like Neon's), their ports published on 127.0.0.1 only. PgBouncer passes every
 * database name through to Postgres. `postgres` may carry more settings (a workspace's init script).
 */
export function databaseStackServices(): Record<string, Record<string, unknown>> {
  return {
    [LOCAL_STACK.postgres]: {
      image: DATABASE_VERSIONS.postgresImage,
      volumes: [`${LOCAL_STACK.volume}:/var/lib/postgresql/data`],
      environment: {
        POSTGRES_USER: LOCAL_DB.user,
        POSTGRES_PASSWORD: LOCAL_DB.password,
        POSTGRES_DB: LOCAL_DB.database,
      },
      ports: [`127.0.0.1:${LOCAL_DB.postgresPort}:5432`],
      healthcheck: healthcheck(['CMD', 'pg_isready', '-U', LOCAL_DB.user, '-d', LOCAL_DB.database]),
    },
    [LOCAL_STACK.pgbouncer]: {
      image: DATABASE_VERSIONS.pgbouncerImage,
      depends_on: { [LOCAL_STACK.postgres]: healthy },
      environment: {
        DB_HOST: LOCAL_STACK.postgres,
        DB_PORT: '5432',
        DB_USER: LOCAL_DB.user,
        DB_PASSWORD: LOCAL_DB.password,
        AUTH_TYPE: 'scram-sha-256',
        POOL_MODE: 'transaction',
        MAX_PREPARED_STATEMENTS: String(LOCAL_MAX_PREPARED_STATEMENTS),
        MAX_CLIENT_CONN: '200',
        DEFAULT_POOL_SIZE: '20',
        LISTEN_PORT: String(LOCAL_DB.pgbouncerPort),
      },
      ports: [`127.0.0.1:${LOCAL_DB.pgbouncerPort}:${LOCAL_DB.pgbouncerPort}`],
      healthcheck: healthcheck([
        'CMD', 'pg_isready', '-h', '127.0.0.1', '-p', String(LOCAL_DB.pgbouncerPort),
        '-U', LOCAL_DB.user, '-d', LOCAL_DB.database,
      ]),
    },
  };
}

/** How {@link appServices} names and connects an application's compose services. */
export interface AppServiceNames {
  /** The application's compose service. */
  readonly app: string;
  /** Its one-shot migration service. */
  readonly migrate: string;
  /** The database its URLs open. */
  readonly database: string;
  /** More `depends_on` entries of the migration service (e.g. the service that creates the database). */
  readonly migrateAfter?: Record<string, unknown>;
}

/**
 * An application's compose services: with a database, a one-shot migration service over the direct URL,
 * then the app with both URLs, started once the migrations completed; without one, the app alone. The
 * app listens on `$PORT`, published on 127.0.0.1. `app.buildContext` and `app.dockerfile` are relative
 * to the directory of compose.yaml.
 */
export function appServices(
  db: ResolvedDatabase | undefined,
  app: ComposeApp,
  names: AppServiceNames,
): Record<string, Record<string, unknown>> {
  const build = {
    context: app.buildContext,
    // Compose resolves the Dockerfile from the build context; the caller gives it from compose's directory.
    dockerfile: path.posix.relative(app.buildContext, app.dockerfile),
    ...(app.buildTarget ? { target: app.buildTarget } : {}),
  };
  const appService = (environment: Record<string, string>, dependsOn?: Record<string, unknown>) => ({
    build,
    ...(dependsOn ? { depends_on: dependsOn } : {}),
    // The runtime CMD listens on $PORT: the port published below, whatever the image's default.
    environment: { ...environment, PORT: String(app.port) },
    ports: [`127.0.0.1:${app.port}:${app.port}`],
    // The image's grace period: uvicorn lets requests in flight finish before compose kills it.
    ...(app.gracePeriodSeconds !== undefined ? { stop_grace_period: `${app.gracePeriodSeconds}s` } : {}),
  });
  if (!db) return { [names.app]: appService({}) };
  const direct = localUrl(LOCAL_STACK.postgres, 5432, names.database);
  return {
    [names.migrate]: {
      build,
      depends_on: { [LOCAL_STACK.postgres]: healthy, ...names.migrateAfter },
      environment: { [db.directUrlEnv]: direct },
      command: db.migrateCommand.split(' '),
    },
    [names.app]: appService({
      [db.pooledUrlEnv]: localUrl(LOCAL_STACK.pgbouncer, LOCAL_DB.pgbouncerPort, names.database),
      [db.directUrlEnv]: direct,
    }, {
      [LOCAL_STACK.postgres]: healthy,
      [LOCAL_STACK.pgbouncer]: healthy,
      [names.migrate]: COMPLETED,
    }),
  };
}

/**
 * The compose model of one service: the database stack ({@link databaseStackServices}) when it has a
 * database, and the application with its one-shot migration service when it has an image
 * ({@link appServices}).
 */
export function composeModel(db: ResolvedDatabase | undefined, app: ComposeApp | undefined): Record<string, unknown> {
  const services = {
    ...(db ? databaseStackServices() : {}),
    ...(app ? appServices(db, app, { app: 'app', migrate: 'migrate', database: LOCAL_DB.database }) : {}),
  };
  return { services: inComposeOrder(services), ...(db ? { volumes: { [LOCAL_STACK.volume]: {} } } : {}) };
}

const byName = <T>(entries: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Services by name, each one's `depends_on` by name, as dclint's style rules want them (the services'
 * own keys are written in its order: image, build, depends_on, volumes, environment, ports, command,
 * healthcheck).
 */
export function inComposeOrder(services: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  return byName(Object.fromEntries(Object.entries(services).map(([name, service]) => [
    name,
    service.depends_on ? { ...service, depends_on: byName(service.depends_on as Record<string, unknown>) } : service,
  ])));
}

/** Path of the compose file. */
export const COMPOSE_FILE = 'compose.yaml';

/** The owner of a port of the local database stack: fixed (`.env.example` and the `db:up` task use it). */
export function stackPortOwner(service: string): PortOwner {
  return {
    option: `port (service "${service}")`,
    label: `"${service}" (the local database stack)`,
    fix: (free) => `the local database stack keeps its ports; move the other one, e.g. to ${free}`,
    rank: 0,
  };
}

/** The compose service running a member's migrations. */
export function migrateServiceName(member: string): string {
  return `${member}-migrate`;
}

/**
 * The compose project name (what containers, networks and the data volume are prefixed with): the
 * workspace root's name in the characters compose accepts (lower-case letters, digits, `-`, `_`).
 */
export function composeProjectName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return cleaned || 'workspace';
}
