/** A file the database layer generates or creates once, with what it is for (for the service README). */
export interface DatabaseFile {
  /** Path relative to the project root. */
  readonly path: string;
  /** One line on what the file is. */
  readonly purpose: string;
}

/**
 * The managed database module of an application package (`<package>/db.py`): what user code imports
 * the session and engine from.
 */
export function databaseModuleFile(appPackage: string): string {
  return `${appPackage}/db.py`;
}

/**
 * Requests per second of POST /items measured by scripts/bench/bench-service.sh: one uvicorn worker, wrk
 * with 4 connections, through PgBouncer 1.24 in transaction mode with TLS and SCRAM-SHA-256 (as
 * Neon's pooler) to PostgreSQL 15, Debian trixie's Python stack, asyncpg, on 2 CPUs shared with other
 * work. Quoted in db.py and the README section, where they say when each pool strategy is right.
 */
export const MEASURED_POST_ITEMS_PER_SECOND = { clientPool: 197, nullPool: 15.1 } as const;

/** Revision id of the first migration (a sample, written once). */
export const FIRST_REVISION = '0001';
