/**
 * Database facts other constructs read (Docker, CI, compose).
 */
export interface ResolvedDatabase {
  /** Env var of the pooled URL, read by the app. */
  readonly pooledUrlEnv: string;
  /** Env var of the direct URL, read by migrations. */
  readonly directUrlEnv: string;
  /** Alembic environment directory. */
  readonly migrationsDir: string;
  /** Runtime Python requirements the database code needs (PEP 508). */
  readonly deps: string[];
}
