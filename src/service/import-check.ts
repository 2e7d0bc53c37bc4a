import { ResolvedService } from './options';
import { DEFAULT_PYTHON_DEPS } from '../core/versions';
import { databaseModuleFile } from '../database/neon-database';
import { DatabaseDriver } from '../database/options';
import { databaseDeps } from '../database/resolve';
import { parseRequirement } from '../python/pep508';
import { UserCodeCheckProps } from '../usercode/import-check';

const names = (requirements: readonly string[]): string[] =>
  requirements.map((r) => parseRequirement(r)?.name).filter((n): n is string => n !== undefined);

/**
 * What the import check needs to know of the service's components: the managed modules and the
 * dependencies an option would bring back, and the dependencies the generated files use themselves.
 * Each fact is read from the component that owns it (the database module's path, the database
 * dependencies of each driver).
 */
export function importCheckProps(service: ResolvedService, migrationsDir: string | undefined): Omit<UserCodeCheckProps, 'options'> {
  const optionalFiles = new Map<string, string>();
  const optionalDistributions = new Map<string, string>();
  const db = service.database;
  if (!db) {
    optionalFiles.set(databaseModuleFile(service.app.packageDir), 'database: true');
    for (const name of names(databaseDeps(DatabaseDriver.ASYNCPG))) optionalDistributions.set(name, 'database: true');
  } else {
    const current = new Set(names(db.deps));
    for (const driver of Object.values(DatabaseDriver)) {
      for (const name of names(databaseDeps(driver))) {
        if (!current.has(name)) optionalDistributions.set(name, `databaseOptions.driver: DatabaseDriver.${driver.toUpperCase()}`);
      }
    }
  }
  return {
    python: service,
    migrationsDir,
    optionalFiles,
    optionalDistributions,
    libraryDistributions: new Set(names([...DEFAULT_PYTHON_DEPS, ...(db?.deps ?? [])])),
  };
}
