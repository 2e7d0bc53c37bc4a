import { CiWorkflow } from './ci-workflow';
import type { UvPythonService } from '../service/uv-python-service';
import { ResolvedService } from '../service/resolved';

/** The CI a {@link UvPythonService} gets by default. */
export function createServiceCi(project: UvPythonService, _service: ResolvedService): CiWorkflow {
  return new CiWorkflow(project);
}
