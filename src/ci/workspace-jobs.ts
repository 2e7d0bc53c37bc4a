import { CiOptions } from './options';
import { CI_WORKFLOW_PATH } from './plan';
import { ResolvedCi, resolveCiOptions } from './resolve';
import { checkKnownOptions } from '../core/known-options';
import { Problems } from '../core/problems';
/**
 * Files at the workspace root that every member's job depends on: the workspace's pyproject.toml,
 * the one lock file, the Python version, this workflow, and the projen files every file is generated
 * from. A change to any of them runs every member's job.
 */
export const WORKSPACE_SHARED_PATHS: readonly string[] = [
  'pyproject.toml',
  'uv.lock',
  '.python-version',
  CI_WORKFLOW_PATH,
  '.projenrc.ts',
  'package.json',
  'package-lock.json',
];

/**
 * The CI job of one workspace member, as {@link WorkspaceCiWorkflow} derives it from the workspace.
 */
export interface WorkspaceMemberJob {
  /** The job id, also the name of the `changes` job's output that turns it on (e.g. `service-orders`). */
  readonly id: string;
  /** The member's normalized distribution name. */
  readonly member: string;
  /**
   * The repository paths whose change runs the job: the directory of every member in the member's
   * dependency closure, then {@link WORKSPACE_SHARED_PATHS}. A directory covers every file below it.
   */
  readonly paths: string[];
}

/** CiOptions that the workspace CI does not implement, with why; a boolean one may be given as false. */
const UNSUPPORTED_OPTIONS: Readonly<Record<string, string>> = {
  publishImage: 'the workspace CI builds and tests each service\'s image but does not publish it yet',
  imageRegistry: 'no image is published',
  imageName: 'each service\'s image name is its Dockerfile\'s (DockerStages imageName), so it is set per service',
  registryUsername: 'no image is published',
  registryPasswordSecret: 'no image is published',
  neonPreview: 'Neon preview branches are a single-service feature so far',
  neonTimeoutMinutes: 'Neon preview branches are a single-service feature so far',
  dependabot: 'the workspace writes no Dependabot config yet',
  dependabotCooldownDays: 'the workspace writes no Dependabot config yet',
  upgradeWorkflow: 'the workspace writes no upgrade workflow yet',
  upgradeSchedule: 'the workspace writes no upgrade workflow yet',
  upgradeCooldownDays: 'the workspace writes no upgrade workflow yet',
  upgradeTokenSecret: 'the workspace writes no upgrade workflow yet',
  upgradeAppIdVariable: 'the workspace writes no upgrade workflow yet',
  upgradeAppPrivateKeySecret: 'the workspace writes no upgrade workflow yet',
};

/**
 * Applies defaults to the CI options of a workspace and records every problem under `optionPath`,
 * including the options only a single service's CI has (see {@link WorkspaceCiWorkflow}).
 */
export function resolveWorkspaceCiOptions(options: CiOptions | undefined, problems: Problems, optionPath: string): ResolvedCi {
  checkKnownOptions(problems, options, 'CiOptions', 'WorkspaceCiWorkflow', optionPath);
  const given = (options ?? {}) as Record<string, unknown>;
  for (const [key, why] of Object.entries(UNSUPPORTED_OPTIONS)) {
    const value = given[key];
    if (value === undefined || value === false) continue;
    problems.add(`${optionPath}.${key}`, value, `is not supported by the workspace CI (${why}); remove it.`);
  }
  // The single-service defaults of the options left out above do not apply.
  return { ...resolveCiOptions(options, problems, optionPath), publishImage: false, neonPreview: false, dependabot: false, upgradeWorkflow: false };
}

/** A word bash reads literally: as it is when it holds no special character, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9._\/-]+$/.test(word) ? word : `'${word.replace(/'/g, String.raw`'\''`)}'`;
}

/** All-zero SHA: GitHub's `before` of a push that created the branch. */
const ZERO_SHA = '0'.repeat(40);

/**
 * The `changes` step: lists the files changed since the pull request's base (or the push's previous
 * head) with `git diff --name-only`, and writes `<job id>=true|false` to `$GITHUB_OUTPUT` for each
 * member job, true when a changed file is one of its paths or below one. Every job runs when there is
 * nothing to compare with: a manual run, the first push of a branch, a base the clone does not have.
 */
export function changesScript(jobs: readonly WorkspaceMemberJob[]): string {
  return [
    '# Files changed since the pull request\'s base, or since the commit before the push. Anything else',
    '# (a manual run, the first push of a branch, a base not in the clone) runs every job.',
    'base=""',
    'case "$EVENT_NAME" in',
    '  pull_request) base="$PULL_REQUEST_BASE" ;;',
    '  push) base="$PUSH_BEFORE" ;;',
    'esac',
    'all=true',
    'changed=""',
    `if [ -n "$base" ] && [ "$base" != "${ZERO_SHA}" ] && git cat-file -e "$base^{commit}" 2>/dev/null; then`,
    '  # --no-renames: a file moved out of a directory changes that directory too.',
    '  changed="$(git -c core.quotePath=false diff --name-only --no-renames "$base" HEAD)"',
    '  all=false',
    '  printf \'Changed since %s:\\n%s\\n\' "$base" "$changed"',
    'else',
    '  echo "Nothing to compare with (event ${EVENT_NAME}, base \\"${base}\\"): every job runs."',
    'fi',
    '',
    '# true when a changed file is one of the given paths or below one of them.',
    'touches() {',
    '  local file prefix',
    '  if [ "$all" = true ]; then echo true; return; fi',
    '  while IFS= read -r file; do',
    '    for prefix in "$@"; do',
    '      case "$file" in',
    '        "$prefix" | "$prefix"/*) echo true; return ;;',
    '      esac',
    '    done',
    '  done <<< "$changed"',
    '  echo false',
    '}',
    '',
    '# emit <output> <path>...: writes <output>=true|false.',
    'emit() {',
    '  local name="$1" value',
    '  shift',
    '  value="$(touches "$@")"',
    '  echo "$name=$value" >> "$GITHUB_OUTPUT"',
    '  echo "$name: $value"',
    '}',
    '',
    ...jobs.map((j) => `emit ${[j.id, ...j.paths].map(shellQuote).join(' ')}`),
  ].join('\n');
}
