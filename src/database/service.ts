import { NeonDatabase } from './neon-database';
import type { UvPythonService } from '../service/uv-python-service';
import { ResolvedService } from '../service/resolved';

/** The database layer a {@link UvPythonService} gets by default. */
export function createServiceDatabase(project: UvPythonService, _service: ResolvedService): NeonDatabase {
  return new NeonDatabase(project);
}
