/**
 * The Python driver SQLAlchemy uses to reach Postgres.
 */
export enum DatabaseDriver {
  /**
   * asyncpg (`postgresql+asyncpg://`). The generated code turns libpq's `sslmode`, `sslrootcert`,
   * `sslcert`, `sslkey`, `connect_timeout`, `application_name` and `options` query parameters into
   * asyncpg's arguments (asyncpg rejects them in a SQLAlchemy URL) and names prepared statements
   * uniquely for PgBouncer's transaction mode. asyncpg has no SCRAM channel binding: a URL with
   * `channel_binding=require` is connected with `sslmode=verify-full` instead (the server is
   * authenticated by its certificate), or refused.
   */
  ASYNCPG = 'asyncpg',
  /**
   * psycopg 3 (`postgresql+psycopg://`). libpq reads the URL's query parameters itself (SCRAM channel
   * binding with `channel_binding=require` included); server-side
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
   * closes it afterwards, paying a TLS handshake and a SCRAM login per request (about 17-20 ms of
   * event-loop CPU with asyncpg). Right for serverless runtimes, where a process is frozen between
   * requests or serves one request: nothing is kept that could go stale while it sleeps.
   */
  NULL_POOL = 'null',
  /**
   * A client-side pool per uvicorn worker in front of the pooler: `poolSize` connections kept open
   * (plus `poolMaxOverflow` during a burst). Connections are recycled after 240 s (before Neon's
   * scale-to-zero closes them), and one found closed at checkout (pooler or compute restarted) is
   * replaced without a round trip. Right for a long-running service: about ten times the write
   * throughput of `NULL_POOL` through a TLS + SCRAM pooler (scripts/bench/bench-service.sh).
   */
  CLIENT_POOL = 'client',
}
