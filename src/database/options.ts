import { DatabaseDriver, PoolStrategy } from './enums';

/**
 * Options of {@link NeonDatabase}, and the `databaseOptions` of `UvPythonService` (which gives
 * `appPackage` itself, from its `app`).
 */
export interface NeonDatabaseOptions {
  /**
   * Python package the database module (`<package>/db.py`) and the sample models
   * (`<package>/models.py`) go to.
   *
   * @default "app" (`UvPythonService`: the package of its `app`)
   */
  readonly appPackage?: string;

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
   * Client-side connection pooling of the application: `PoolStrategy.CLIENT_POOL` for a long-running
   * service, `PoolStrategy.NULL_POOL` for serverless runtimes.
   *
   * @default PoolStrategy.CLIENT_POOL
   */
  readonly poolStrategy?: PoolStrategy;

  /**
   * Connections the client pool keeps open, per uvicorn worker: at most this many transactions of one
   * worker run at once, the others wait (up to `poolTimeoutSeconds`) for a free connection. The default of
   * the `DB_POOL_SIZE` variable. Only with
   * `PoolStrategy.CLIENT_POOL`. A replica holds up to `WEB_CONCURRENCY * (poolSize + poolMaxOverflow)`
   * connections to the pooler; Neon's pooler accepts 10,000 clients and runs at most its pool size
   * (90% of the compute's `max_connections`) transactions at once, for all replicas together.
   *
   * @default 10
   */
  readonly poolSize?: number;

  /**
   * Connections the client pool may open beyond `poolSize` during a burst, per uvicorn worker. Each one
   * is closed when returned, so under sustained load every overflow checkout pays a new TLS handshake
   * and SCRAM login: measured with 16 concurrent clients, overflow 5 on a pool of 5 gave a third of
   * the writes per second of a pool of 10 without overflow. Only with `PoolStrategy.CLIENT_POOL`.
   *
   * @default 0
   */
  readonly poolMaxOverflow?: number;

  /**
   * Default of `DB_STATEMENT_TIMEOUT_SECONDS`: the longest one statement of the application runs, in
   * seconds; a request whose statement is cut gets a JSON 504. Set at the start of every transaction
   * (`SET LOCAL statement_timeout`), so it holds through PgBouncer in transaction mode (Neon's pooler
   * ignores startup `options`); with asyncpg, the driver's own `command_timeout` (2 s later) also cuts a
   * wait the server cannot see (a server connection queued in the pooler).
   *
   * @default 15
   */
  readonly statementTimeoutSeconds?: number;

  /**
   * Default of `DB_POOL_TIMEOUT_SECONDS`: how long a request waits for a free connection of the client
   * pool, in seconds, before it gets a JSON 503. Only with `PoolStrategy.CLIENT_POOL`.
   *
   * @default 10
   */
  readonly poolTimeoutSeconds?: number;

  /**
   * Default of `DB_CONNECT_TIMEOUT_SECONDS`: the longest a new connection (TCP, TLS, login) takes, in
   * seconds. A `connect_timeout` in the URL wins.
   *
   * @default 10
   */
  readonly connectTimeoutSeconds?: number;

  /**
   * Default of `DB_MIGRATION_LOCK_TIMEOUT_SECONDS`: how long a migration waits for a lock, in seconds,
   * before it fails. Without it, an `ALTER TABLE` queued behind a long transaction blocks every query
   * queued behind it, on a live database.
   *
   * @default 5
   */
  readonly migrationLockTimeoutSeconds?: number;

  /**
   * Test each connection with SQLAlchemy's `pool_pre_ping` before a session uses it: a round trip
   * through the pooler (with asyncpg: BEGIN, a query, ROLLBACK) on every checkout. The client pool
   * already replaces, without a round trip, a connection found closed at checkout, and recycles
   * connections before Neon's scale-to-zero; turn this on only if connections can die silently (a
   * network that drops idle flows without closing them).
   *
   * @default false
   */
  readonly prePing?: boolean;

  /**
   * Use protocol-level prepared statements on the pooled URL: the driver's statement cache (asyncpg's
   * and SQLAlchemy's, or psycopg's `prepare_threshold`), so each statement is parsed once per
   * connection rather than on every execution. PgBouncer 1.21 and later track them in transaction
   * mode when `max_prepared_statements` is above 0, as Neon's pooler does (PgBouncer 1.22); a
   * connection that is recycled or that a pooler restart closes takes its cache with it. Turn this off
   * for an older pooler, or one run with `max_prepared_statements = 0` (errors such as `prepared
   * statement "…" does not exist`).
   *
   * Measured (`scripts/bench/bench-service.sh`, one run, one uvicorn worker, through PgBouncer 1.24 with
   * TLS and SCRAM): the app's CPU per request with / without it, 1.39 / 1.82 ms for POST /items and
   * 1.32 / 2.19 ms for GET /items/{id}; on by default because it pays on every statement.
   *
   * @default true
   */
  readonly preparedStatements?: boolean;

  /**
   * Authenticate every database server by its certificate. With `true`, a connection to a host
   * other than this machine (anything but `localhost`, a loopback address or a Unix socket; names
   * are not resolved) that uses TLS at all is made with `sslmode=verify-full`, whatever its URL
   * says: the certificate must come from `sslrootcert` (or, without it, the system trust store) and
   * name the URL's host. An explicit `sslmode=disable` is kept (e.g. a private compose network), and
   * so is psycopg's `channel_binding=require` (libpq authenticates the server by it). Neon's
   * certificates are publicly trusted, so its URLs connect unchanged.
   *
   * With `false`, the URL's `sslmode` means exactly what it means to libpq (`require`: encrypted,
   * server not authenticated). Either way `channel_binding=require` is honoured: libpq does it with
   * psycopg; asyncpg, which cannot, gets `verify-full` instead, or refuses to connect.
   *
   * Measured (`scripts/suites/integration-tls.sh`): with asyncpg, verifying costs no measurable CPU per
   * connection (the trust store is loaded once per engine); with psycopg, libpq loads the system
   * store on every connection (8-13 ms of CPU each, unless the URL has `channel_binding=require`).
   *
   * @default true
   */
  readonly verifyServerCertificate?: boolean;

  /**
   * Directory of the Alembic environment, relative to the project root (e.g. `migrations` or
   * `db/migrations`). `<dir>/versions/` belongs to the user: synth never touches it.
   *
   * @default "migrations"
   */
  readonly migrationsDir?: string;

  /**
   * Table in which Alembic records the revision the database is at (`context.configure(version_table=...)`
   * in `<migrationsDir>/env.py`). Services that migrate one shared database each need a table of their
   * own, or one service's `upgrade` reads (and overwrites) the other's revision: members of a
   * `UvWorkspace` get `alembic_version_<import package>` (`memberVersionTable`). Changing it on a database
   * that has been migrated makes Alembic start from the first revision again: rename the table by hand
   * first (`ALTER TABLE alembic_version RENAME TO ...`).
   *
   * @default "alembic_version"
   */
  readonly versionTable?: string;
}

