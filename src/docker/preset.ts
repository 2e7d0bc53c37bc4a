import { DockerStages } from './docker-stages';
import type { UvPythonService } from '../service/uv-python-service';
import { ResolvedService } from '../service/resolved';

/** The uv preset a {@link UvPythonService} gets by default. */
export function createServiceDocker(project: UvPythonService, _service: ResolvedService): DockerStages {
  return new DockerStages(project);
}
