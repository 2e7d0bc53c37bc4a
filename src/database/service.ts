import { NeonDatabase } from './neon-database';
import { ResolvedService } from '../service/resolved';
import type { UvPythonService } from '../service/uv-python-service';

/** The database layer a {@link UvPythonService} gets by default, derived from its resolved options. */
export function createServiceDatabase(project: UvPythonService, service: ResolvedService): NeonDatabase {
  const docker = service.docker;
  const database = NeonDatabase._fromResolved(project, service.database!, {
    appPackage: service.app.packageDir,
    composeApp: docker
      ? { buildContext: docker.context, dockerfile: docker.dockerfile, buildTarget: docker.runtimeStage, port: service.port }
      : undefined,
  });
  for (const f of database.files) project.describeFile(f.path, f.purpose);
  return database;
}
