import { ActionShaPin } from './options';

/**
 * CI facts after defaults and validation (see {@link CiOptions} for each field's meaning).
 */
export interface ResolvedCi {
  readonly defaultBranch: string;
  readonly runsOn: string[];
  readonly testJob: boolean;
  readonly testTimeoutMinutes: number;
  readonly synthJob: boolean;
  readonly synthTimeoutMinutes: number;
  readonly dockerJob: boolean;
  readonly publishImage: boolean;
  readonly dockerTimeoutMinutes: number;
  readonly imageRegistry: string;
  readonly imageName: string;
  readonly registryUsername: string;
  readonly registryPasswordSecret: string;
  readonly neonPreview: boolean;
  readonly neonTimeoutMinutes: number;
  readonly pinActionsToSha: boolean;
  /** SHA pins by `owner/repo`: the library's table merged with `actionShas`. */
  readonly actionShas: { [repo: string]: ActionShaPin };
  readonly dependabot: boolean;
  readonly dependabotCooldownDays: number;
  readonly upgradeWorkflow: boolean;
  readonly upgradeSchedule: string;
  readonly upgradeTokenSecret?: string;
  readonly upgradeAppIdVariable?: string;
  readonly upgradeAppPrivateKeySecret?: string;
}
