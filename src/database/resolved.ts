import { DatabaseDriver, PoolStrategy } from './options';

/**
 * The database facts after defaults and validation, owned by the `NeonDatabase` built from them:
 * other components read them there (`NeonDatabase.of(project).resolved`).
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
  /** Whether every TLS connection to another machine is made with `sslmode=verify-full`. */
  readonly verifyServerCertificate: boolean;
  /** Alembic configuration file at the project root (`alembic.ini`). */
  readonly alembicConfig: string;
  /** Table Alembic records the database's revision in (`alembic_version` unless set). */
  readonly versionTable: string;
  /** Command that applies every migration, run from the project root with the direct URL set. */
  readonly migrateCommand: string;
}
