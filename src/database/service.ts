import { NeonDatabase } from './neon-database';
import { PoolStrategy } from './options';
import { ResolvedService } from '../service/resolved';
import type { UvPythonService } from '../service/uv-python-service';

/** The database layer a {@link UvPythonService} gets by default, derived from its resolved options. */
export function createServiceDatabase(project: UvPythonService, service: ResolvedService): NeonDatabase {
  const db = service.database!;
  const docker = service.docker;
  const database = new NeonDatabase(project, {
    pooledUrlEnv: db.pooledUrlEnv,
    directUrlEnv: db.directUrlEnv,
    driver: db.driver,
    poolStrategy: db.poolStrategy,
    poolSize: db.poolStrategy === PoolStrategy.CLIENT_POOL ? db.poolSize : undefined,
    prePing: db.prePing,
    migrationsDir: db.migrationsDir,
    appPackage: service.app.packageDir,
    composeApp: docker
      ? { buildContext: docker.context, dockerfile: docker.dockerfile, buildTarget: docker.runtimeStage, port: service.port }
      : undefined,
  });
  for (const f of database.files) project.describeFile(f.path, f.purpose);
  return database;
}
