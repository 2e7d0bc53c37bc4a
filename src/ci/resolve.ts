import { ActionShaPin, CiOptions } from './options';
import { IMAGE_REPOSITORY, OptionReader } from '../core/option-reader';
import { Problems } from '../core/problems';
import { CI_VERSIONS, GITHUB_ACTIONS } from '../core/versions';

const SHA = /^[0-9a-f]{40}$/;
const RELEASE = /^v[0-9]+(\.[0-9]+){0,2}$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REGISTRY = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
/** A `${{ … }}` expression over the contexts that are safe in a login step. */
const LOGIN_EXPRESSION = /^\$\{\{ (github\.actor|vars\.[A-Za-z_][A-Za-z0-9_]*) \}\}$/;
/** The default CI image name: the repository, known only inside GitHub Actions. */
export const REPOSITORY_EXPRESSION = '${{ github.repository }}';

/** `owner/repo` of every action in the library's table. */
const KNOWN_ACTIONS: readonly string[] = Object.values(GITHUB_ACTIONS).map((a) => a.repo);

function isBranchName(v: string): boolean {
  return (
    /^[A-Za-z0-9._/-]+$/.test(v) &&
    !v.startsWith('/') && !v.endsWith('/') && !v.startsWith('-') && !v.endsWith('.') &&
    !v.includes('..') && !v.includes('//') && !v.endsWith('.lock')
  );
}

/** A whole number of `unit` from `min` to `max`, in the CI's wording. */
function wholeNumber(r: OptionReader, name: string, value: unknown, fallback: number, min: number, max: number, unit: string): number {
  return r.int(name, value, fallback, min, max, `expected a whole number of ${unit} from ${min} to ${max}, e.g. ${fallback}.`);
}


/** The major tag the CI references an action of the library's table by. */
export function majorOf(repo: string): string | undefined {
  return Object.values(GITHUB_ACTIONS).find((a) => a.repo === repo)?.major;
}

function readActionShas(r: OptionReader, value: unknown): { [repo: string]: ActionShaPin } {
  // The user's pins; ActionRefs falls back on the library's table for the others.
  const merged: { [repo: string]: ActionShaPin } = {};
  if (value === undefined) return merged;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    r.problem('actionShas', value, 'expected an object from "owner/repo" to { sha, release }.');
    return merged;
  }
  for (const [repo, pin] of Object.entries(value as Record<string, unknown>)) {
    const at = `actionShas["${repo}"]`;
    const major = majorOf(repo);
    if (!major) {
      r.problem(at, pin, `"${repo}" is not an action the CI uses; known: ${KNOWN_ACTIONS.join(', ')}.`);
      continue;
    }
    const p = pin as Partial<ActionShaPin> | undefined;
    let ok = true;
    if (typeof p?.sha !== 'string' || !SHA.test(p.sha)) {
      r.problem(`${at}.sha`, p?.sha, 'expected the full 40-character lowercase commit SHA (git ls-remote prints it).');
      ok = false;
    }
    if (typeof p?.release !== 'string' || !RELEASE.test(p.release) || p.release.split('.')[0] !== major) {
      r.problem(`${at}.release`, p?.release, `expected the release tag of that commit, within ${major} (e.g. "${major}.1.0"): the CI uses ${repo}@${major}.`);
      ok = false;
    }
    if (ok) merged[repo] = { sha: p!.sha!, release: p!.release! };
  }
  return merged;
}

/** A cron field: digits, `*`, ranges, lists and steps (GitHub's schedule syntax). */
const CRON_FIELD = /^(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?)*$/;
const SECRET_EXPECTED = 'expected the name of a repository secret (letters, digits, "_"; not starting with GITHUB_), e.g. "UPGRADE_TOKEN".';

type UpgradeFields = Pick<ResolvedCi, 'upgradeWorkflow' | 'upgradeSchedule' | 'upgradeCooldownDays' | 'upgradeTokenSecret' | 'upgradeAppIdVariable' | 'upgradeAppPrivateKeySecret'>;

/** The options of the `upgrade` workflow. */
function readUpgrade(r: OptionReader, o: CiOptions): UpgradeFields {
  const name = (v: string) => SECRET_NAME.test(v) && !v.toUpperCase().startsWith('GITHUB_');
  const upgradeSchedule = r.str('upgradeSchedule', o.upgradeSchedule, '0 6 * * 1',
    (v) => v.trim().split(/\s+/).length === 5 && v.trim().split(/\s+/).every((f) => CRON_FIELD.test(f)),
    'expected a cron expression of five fields (minute hour day month weekday, UTC), e.g. "0 6 * * 1".');
  const upgradeTokenSecret = r.str('upgradeTokenSecret', o.upgradeTokenSecret, undefined, name, SECRET_EXPECTED);
  const upgradeAppIdVariable = r.str('upgradeAppIdVariable', o.upgradeAppIdVariable, undefined, name,
    'expected the name of a repository variable holding the App\'s client ID (letters, digits, "_"; not starting with GITHUB_), e.g. "UPGRADE_APP_ID".');
  const upgradeAppPrivateKeySecret = r.str('upgradeAppPrivateKeySecret', o.upgradeAppPrivateKeySecret, undefined, name, SECRET_EXPECTED);
  if ((upgradeAppIdVariable === undefined) !== (upgradeAppPrivateKeySecret === undefined)) {
    const [given, missing] = upgradeAppIdVariable === undefined
      ? ['upgradeAppPrivateKeySecret', 'upgradeAppIdVariable'] : ['upgradeAppIdVariable', 'upgradeAppPrivateKeySecret'];
    r.problem(given, given === 'upgradeAppIdVariable' ? upgradeAppIdVariable : upgradeAppPrivateKeySecret,
      `a GitHub App needs both upgradeAppIdVariable and upgradeAppPrivateKeySecret; give ${missing} too, or neither.`);
  }
  if (upgradeTokenSecret !== undefined && (upgradeAppIdVariable !== undefined || upgradeAppPrivateKeySecret !== undefined)) {
    r.problem('upgradeTokenSecret', upgradeTokenSecret,
      'the upgrade pull request is opened with either a token or a GitHub App, not both; remove upgradeTokenSecret or the upgradeApp* options.');
  }
  return {
    upgradeWorkflow: r.bool('upgradeWorkflow', o.upgradeWorkflow, true),
    upgradeSchedule: upgradeSchedule.trim().split(/\s+/).join(' '),
    upgradeCooldownDays: wholeNumber(r, 'upgradeCooldownDays', o.upgradeCooldownDays, 7, 0, 90, 'days'),
    upgradeTokenSecret,
    upgradeAppIdVariable,
    upgradeAppPrivateKeySecret,
  };
}

/**
 * Applies defaults to {@link CiOptions} and records every problem under `optionPath`.
 * Never throws: the caller throws once for all problems. The rules between the CI and the other
 * components are `checkCiComponents`'s (plan.ts).
 */
export function resolveCiOptions(
  options: CiOptions | undefined,
  problems: Problems,
  optionPath: string,
): ResolvedCi {
  const o = (options ?? {}) as CiOptions;
  const r = new OptionReader(problems, optionPath);

  let runsOn: string[] = [CI_VERSIONS.runner];
  if (o.runsOn !== undefined) {
    if (!Array.isArray(o.runsOn) || o.runsOn.length === 0 || !o.runsOn.every((l) => typeof l === 'string' && /^[A-Za-z0-9._-]+$/.test(l))) {
      r.problem('runsOn', o.runsOn, `expected a non-empty list of runner labels such as ["${CI_VERSIONS.runner}"].`);
    } else {
      runsOn = [...o.runsOn];
    }
  }

  const imageRegistry = r.str('imageRegistry', o.imageRegistry, 'ghcr.io', REGISTRY,
    'expected a registry host name in lowercase, e.g. "ghcr.io" or "registry.example.com:5000".');
  const registryPasswordSecret = r.str('registryPasswordSecret', o.registryPasswordSecret, 'GITHUB_TOKEN',
    (v) => SECRET_NAME.test(v) && (v === 'GITHUB_TOKEN' || !v.startsWith('GITHUB_')),
    'expected the name of a repository secret (letters, digits, "_"; not starting with GITHUB_ except GITHUB_TOKEN), e.g. "REGISTRY_PASSWORD".');
  if (registryPasswordSecret === 'GITHUB_TOKEN' && imageRegistry !== 'ghcr.io') {
    r.problem('registryPasswordSecret', registryPasswordSecret,
      `GITHUB_TOKEN only logs in to ghcr.io; for "${imageRegistry}" name the secret that holds its password, e.g. "REGISTRY_PASSWORD".`);
  }

  const resolved: ResolvedCi = {
    defaultBranch: r.str('defaultBranch', o.defaultBranch, 'main', isBranchName,
      'expected a git branch name such as "main" (letters, digits, ".", "_", "-", "/"; no "..").'),
    runsOn,
    testJob: r.bool('testJob', o.testJob, true),
    testTimeoutMinutes: wholeNumber(r, 'testTimeoutMinutes', o.testTimeoutMinutes, 15, 1, 360, 'minutes'),
    synthJob: r.bool('synthJob', o.synthJob, true),
    synthTimeoutMinutes: wholeNumber(r, 'synthTimeoutMinutes', o.synthTimeoutMinutes, 10, 1, 360, 'minutes'),
    dockerJob: r.bool('dockerJob', o.dockerJob, true),
    publishImage: r.bool('publishImage', o.publishImage, true),
    dockerTimeoutMinutes: wholeNumber(r, 'dockerTimeoutMinutes', o.dockerTimeoutMinutes, 30, 1, 360, 'minutes'),
    imageRegistry,
    imageName: r.str('imageName', o.imageName, REPOSITORY_EXPRESSION, (v) => v === REPOSITORY_EXPRESSION || IMAGE_REPOSITORY.test(v),
      `expected a lowercase image repository such as "acme/orders-api", or "${REPOSITORY_EXPRESSION}".`),
    registryUsername: r.str('registryUsername', o.registryUsername, '${{ github.actor }}',
      (v) => LOGIN_EXPRESSION.test(v) || /^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(v),
      'expected a user name, "${{ github.actor }}" or "${{ vars.NAME }}" (never a password: that goes in registryPasswordSecret).'),
    registryPasswordSecret,
    neonPreview: r.bool('neonPreview', o.neonPreview, false),
    neonTimeoutMinutes: wholeNumber(r, 'neonTimeoutMinutes', o.neonTimeoutMinutes, 10, 1, 360, 'minutes'),
    pinActionsToSha: r.bool('pinActionsToSha', o.pinActionsToSha, true),
    actionShas: readActionShas(r, o.actionShas),
    dependabot: r.bool('dependabot', o.dependabot, true),
    dependabotCooldownDays: wholeNumber(r, 'dependabotCooldownDays', o.dependabotCooldownDays, 7, 1, 90, 'days'),
    ...readUpgrade(r, o),
  };
  return resolved;
}

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
  /** The user's SHA pins by `owner/repo` (`actionShas`); the library's table gives the others. */
  readonly actionShas: { [repo: string]: ActionShaPin };
  readonly dependabot: boolean;
  readonly dependabotCooldownDays: number;
  readonly upgradeWorkflow: boolean;
  readonly upgradeSchedule: string;
  readonly upgradeCooldownDays: number;
  readonly upgradeTokenSecret?: string;
  readonly upgradeAppIdVariable?: string;
  readonly upgradeAppPrivateKeySecret?: string;
}
