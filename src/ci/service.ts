import { CiWorkflow } from './ci-workflow';
import { checkCiComponents } from './resolve';
import { Problems } from '../service/problems';
import { ResolvedService } from '../service/resolved';
import type { UvPythonService } from '../service/uv-python-service';

/** The CI a {@link UvPythonService} gets by default. */
export function createServiceCi(project: UvPythonService, service: ResolvedService): CiWorkflow {
  const ci = service.ci!;
  // The rules between the CI and the other components, in case the resolver was not given them.
  const problems = new Problems();
  checkCiComponents(ci, { database: service.database !== undefined, docker: service.docker !== undefined }, problems, 'ciOptions');
  problems.throwIfAny('UvPythonService');
  return new CiWorkflow(project, service, ci);
}
