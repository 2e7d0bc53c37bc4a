import { CiOptions } from './options';
import { ResolvedCi } from './resolved';
import { Problems } from '../service/problems';

/**
 * Applies defaults to {@link CiOptions} and records every problem under `optionPath`.
 * Never throws: the caller throws once for all problems.
 */
export function resolveCiOptions(options: CiOptions | undefined, _problems: Problems, _optionPath: string): ResolvedCi {
  return { defaultBranch: options?.defaultBranch ?? 'main' };
}
