import * as path from 'path';
import { ResolvedComposeApp } from './resolve';
import { ResolvedDatabase } from './resolved';
import { DATABASE_VERSIONS } from '../core/versions';

/**
 * Credentials of the throwaway local database that compose.yaml starts. They are not secrets: the
 * containers publish their ports on 127.0.0.1 only and hold development data.
 */
export const LOCAL_DB = {
  user: 'app',
  password: 'local-only',
  database: 'app',
  postgresPort: 5432,
  pgbouncerPort: 6432,
} as const;

/** PgBouncer's prepared-statement slots per server connection (Neon's pooler has them too). */
export const LOCAL_MAX_PREPARED_STATEMENTS = 100;

/**
 * A connection string of the local compose stack, from the host (127.0.0.1) or from another container
 * on the compose network. It says `sslmode=disable`: the local stack has no TLS, and its traffic never
 * leaves this machine (`verifyServerCertificate` keeps an explicit `disable`).
 */
export function localUrl(host: string, port: number): string {
  return `postgresql://${LOCAL_DB.user}:${LOCAL_DB.password}@${host}:${port}/${LOCAL_DB.database}?sslmode=disable`;
}

const healthcheck = (test: string[]) => ({ test, interval: '2s', timeout: '5s', retries: 30 });
const healthy = { condition: 'service_healthy' };

/**
 * The compose model: Postgres with a healthcheck, PgBouncer in transaction mode in front of it (so the
 * local pooled and direct URLs behave like Neon's), and optionally the application and a one-shot
 * migration service. Ports are published on 127.0.0.1 only.
 */
export function composeModel(db: ResolvedDatabase, app?: ResolvedComposeApp): Record<string, unknown> {
  const services: Record<string, unknown> = {
    postgres: {
      image: DATABASE_VERSIONS.postgresImage,
      environment: {
        POSTGRES_USER: LOCAL_DB.user,
        POSTGRES_PASSWORD: LOCAL_DB.password,
        POSTGRES_DB: LOCAL_DB.database,
      },
      ports: [`127.0.0.1:${LOCAL_DB.postgresPort}:5432`],
      volumes: ['postgres-data:/var/lib/postgresql/data'],
      healthcheck: healthcheck(['CMD', 'pg_isready', '-U', LOCAL_DB.user, '-d', LOCAL_DB.database]),
    },
    pgbouncer: {
      image: DATABASE_VERSIONS.pgbouncerImage,
      environment: {
        DB_HOST: 'postgres',
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
      depends_on: { postgres: healthy },
      healthcheck: healthcheck([
        'CMD', 'pg_isready', '-h', '127.0.0.1', '-p', String(LOCAL_DB.pgbouncerPort),
        '-U', LOCAL_DB.user, '-d', LOCAL_DB.database,
      ]),
    },
  };
  if (app) {
    const build = {
      context: app.buildContext,
      // Compose resolves the Dockerfile from the build context; the options give it from the project root.
      dockerfile: path.posix.relative(app.buildContext, app.dockerfile),
      ...(app.buildTarget ? { target: app.buildTarget } : {}),
    };
    const direct = localUrl('postgres', 5432);
    services.migrate = {
      build,
      command: db.migrateCommand.split(' '),
      environment: { [db.directUrlEnv]: direct },
      depends_on: { postgres: healthy },
    };
    services.app = {
      build,
      environment: {
        [db.pooledUrlEnv]: localUrl('pgbouncer', LOCAL_DB.pgbouncerPort),
        [db.directUrlEnv]: direct,
        // The runtime CMD listens on $PORT: the port published below, whatever the image's default.
        PORT: String(app.port),
      },
      ports: [`127.0.0.1:${app.port}:${app.port}`],
      depends_on: {
        postgres: healthy,
        pgbouncer: healthy,
        migrate: { condition: 'service_completed_successfully' },
      },
    };
  }
  return { services, volumes: { 'postgres-data': {} } };
}
