import { NeonDatabaseOptions } from './options';
import { ResolvedDatabase } from './resolved';
import { Problems } from '../service/problems';

/**
 * Applies defaults to {@link NeonDatabaseOptions} and records every problem under `optionPath`.
 * Never throws: the caller throws once for all problems.
 */
export function resolveDatabaseOptions(
  options: NeonDatabaseOptions | undefined,
  _problems: Problems,
  _optionPath: string,
): ResolvedDatabase {
  return {
    pooledUrlEnv: options?.pooledUrlEnv ?? 'DATABASE_URL',
    directUrlEnv: options?.directUrlEnv ?? 'DATABASE_URL_UNPOOLED',
    migrationsDir: options?.migrationsDir ?? 'migrations',
    deps: [],
  };
}
