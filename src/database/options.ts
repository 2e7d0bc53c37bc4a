/**
 * Options of {@link NeonDatabase}.
 */
export interface NeonDatabaseOptions {
  /**
   * Environment variable holding the pooled URL (Neon host with `-pooler`, PgBouncer in transaction
   * mode). The application connects through it.
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
   * Directory of the Alembic environment. `<dir>/versions/` belongs to the user: synth never touches it.
   *
   * @default "migrations"
   */
  readonly migrationsDir?: string;
}
