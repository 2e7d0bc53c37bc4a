/**
 * The Python driver SQLAlchemy uses to reach Postgres.
 */
export enum DatabaseDriver {
  /**
   * asyncpg (`postgresql+asyncpg://`). The generated code turns libpq's `sslmode`, `sslrootcert`,
   * `sslcert`, `sslkey`, `connect_timeout`, `application_name` and `options` query parameters into
   * asyncpg's arguments (asyncpg rejects them in a SQLAlchemy URL) and names prepared statements
   * uniquely for PgBouncer's transaction mode.
   */
  ASYNCPG = 'asyncpg',
  /**
   * psycopg 3 (`postgresql+psycopg://`). libpq reads the URL's query parameters itself; server-side
   * prepared statements are turned off (`prepare_threshold=None`) for PgBouncer's transaction mode.
   */
  PSYCOPG = 'psycopg',
}

/**
 * How the application holds connections to the pooled URL.
 */
export enum PoolStrategy {
  /**
   * No client-side pool (SQLAlchemy `NullPool`): every session opens a connection to the pooler and
   * closes it afterwards. Neon's PgBouncer does the pooling; nothing goes stale when the compute
   * scales to zero.
   */
  NULL_POOL = 'null',
  /**
   * A small client-side pool (`poolSize` connections, no overflow) in front of the pooler, with a
   * recycle time below Neon's idle timeouts. Saves a TLS handshake per request on busy services.
   */
  CLIENT_POOL = 'client',
}

/**
 * Options of the database layer (`databaseOptions` of `UvPythonService`).
 */
export interface NeonDatabaseOptions {
  /**
   * Environment variable holding the pooled URL (Neon host with `-pooler`, PgBouncer in transaction
   * mode). The application connects through it. Named as Neon's integrations name it.
   *
   * @default "DATABASE_URL"
   */
  readonly pooledUrlEnv?: string;

  /**
   * Environment variable holding the direct (unpooled) URL. Migrations connect through it.
   *
   * @default "DATABASE_URL_UNPOOLED"
   */
  readonly directUrlEnv?: string;

  /**
   * Python driver.
   *
   * @default DatabaseDriver.ASYNCPG
   */
  readonly driver?: DatabaseDriver;

  /**
   * Client-side connection pooling of the application.
   *
   * @default PoolStrategy.NULL_POOL
   */
  readonly poolStrategy?: PoolStrategy;

  /**
   * Connections kept by the client pool. Only with `PoolStrategy.CLIENT_POOL`.
   *
   * @default 5
   */
  readonly poolSize?: number;

  /**
   * Test each connection with a round trip before a session uses it (SQLAlchemy `pool_pre_ping`).
   * Useful with the client pool, where a pooled connection may have been closed by the server.
   *
   * @default - true with `PoolStrategy.CLIENT_POOL`, false with `PoolStrategy.NULL_POOL` (every
   * connection is new)
   */
  readonly prePing?: boolean;

  /**
   * Directory of the Alembic environment, relative to the project root (e.g. `migrations` or
   * `db/migrations`). `<dir>/versions/` belongs to the user: synth never touches it.
   *
   * @default "migrations"
   */
  readonly migrationsDir?: string;
}

/**
 * Properties of a {@link NeonDatabase} added to any projen project. `UvPythonService` derives them
 * from its own options.
 */
export interface NeonDatabaseProps extends NeonDatabaseOptions {
  /**
   * Python package the database module (`<package>/db.py`) and the sample models
   * (`<package>/models.py`) go to.
   *
   * @default "app"
   */
  readonly appPackage?: string;

  /**
   * Add the application to `compose.yaml`, built from the project's Dockerfile: a one-shot `migrate`
   * service applies the migrations over the direct URL, then `app` starts with both URLs.
   *
   * @default - compose runs Postgres and PgBouncer only
   */
  readonly composeApp?: NeonComposeApp;
}

/**
 * How `compose.yaml` builds and runs the application.
 */
export interface NeonComposeApp {
  /**
   * Build context, relative to the project root.
   *
   * @default "."
   */
  readonly buildContext?: string;

  /**
   * Dockerfile, relative to the project root.
   *
   * @default "Dockerfile"
   */
  readonly dockerfile?: string;

  /**
   * Stage to build (the one that runs the service; its image must have `alembic` on `PATH` and
   * `alembic.ini` in its working directory, for the `migrate` service).
   *
   * @default - the Dockerfile's last stage
   */
  readonly buildTarget?: string;

  /**
   * Port the application listens on in its container, published on 127.0.0.1.
   *
   * @default 8000
   */
  readonly port?: number;
}
