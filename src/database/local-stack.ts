import { Project } from 'projen/lib/project';
import { WorkspaceDatabaseMode, workspaceOf } from '../core/workspace';

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

/**
 * Names of the local database stack's compose services and volume (the `db:up` task starts them by
 * name); `databases` is the one-shot service of a workspace creating each service's database
 * (`WorkspaceDatabaseMode.PER_SERVICE`).
 */
export const LOCAL_STACK = { postgres: 'postgres', pgbouncer: 'pgbouncer', databases: 'databases', volume: 'postgres-data' } as const;

/** PgBouncer's prepared-statement slots per server connection (Neon's pooler has them too). */
export const LOCAL_MAX_PREPARED_STATEMENTS = 100;

/** The database layout of a workspace whose model states none. */
export const DEFAULT_DATABASE_MODE = WorkspaceDatabaseMode.PER_SERVICE;

/** The database of a workspace member with `WorkspaceDatabaseMode.PER_SERVICE`: its name with `_` for `-`. */
export function memberDatabaseName(member: string): string {
  return member.replace(/-/g, '_');
}

/**
 * The database of the local compose stack a project's URLs open: the member's own in a workspace with
 * `WorkspaceDatabaseMode.PER_SERVICE`, otherwise the stack's one database (`app`). Fixed once the
 * project is constructed: a member's name and the workspace's mode are.
 */
export function localDatabaseOf(project: Project): string {
  const workspace = workspaceOf(project);
  const member = workspace?.memberOf(project);
  const perService = (workspace?.databaseMode ?? DEFAULT_DATABASE_MODE) === WorkspaceDatabaseMode.PER_SERVICE;
  return member && perService ? memberDatabaseName(member.name) : LOCAL_DB.database;
}

/**
 * A connection string of the local compose stack, from the host (127.0.0.1) or from another container
 * on the compose network. It says `sslmode=disable`: the local stack has no TLS, and its traffic never
 * leaves this machine (`verifyServerCertificate` keeps an explicit `disable`). `database` is the one
 * the URL opens (a workspace with a database per service names each service's own).
 */
export function localUrl(host: string, port: number, database: string = LOCAL_DB.database): string {
  return `postgresql://${LOCAL_DB.user}:${LOCAL_DB.password}@${host}:${port}/${database}?sslmode=disable`;
}
