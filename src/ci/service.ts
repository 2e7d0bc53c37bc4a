import { CiWorkflow } from './ci-workflow';
import { ResolvedService } from '../service/resolved';
import type { UvPythonService } from '../service/uv-python-service';

/**
 * The CI a {@link UvPythonService} gets by default. Its options, including the rules between the CI
 * and the other components, were checked by `resolveServiceOptions` with every other option.
 */
export function createServiceCi(project: UvPythonService, service: ResolvedService): CiWorkflow {
  return new CiWorkflow(project, service, service.ci!);
}
