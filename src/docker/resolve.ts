import { UvDockerOptions } from './options';
import { ResolvedDocker } from './resolved';
import { Problems } from '../service/problems';

/**
 * Applies defaults to {@link UvDockerOptions} and records every problem under `optionPath`.
 * Never throws: the caller throws once for all problems.
 */
export function resolveDockerOptions(
  options: UvDockerOptions | undefined,
  _problems: Problems,
  _optionPath: string,
): ResolvedDocker {
  return {
    runtimeStage: 'runtime',
    testingStage: (options?.testingStage ?? true) ? 'testing' : undefined,
  };
}
