import * as fs from 'fs';
import * as path from 'path';
import * as github from 'projen/lib/github';
import { ActionRefs } from './actions';
import { CI_DATABASE_URL, ciDatabaseEnv, migrate, postgresService } from './jobs';
import { ResolvedCi } from './resolve';
import { ASSETS_DIR } from '../core/template';
import { CI_VERSIONS, VERSIONS } from '../core/versions';
import type { ResolvedDatabase } from '../database/resolve';
import { compareReleases, type ResolvedPyproject } from '../python/resolve';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;
const { JobPermission } = github.workflows;
/** The one branch the upgrade pull request lives on: each run updates it rather than opening another. */
export const UPGRADE_BRANCH = 'projen-uv-service/upgrade';

/** Title and commit message of the upgrade pull request. */
export const UPGRADE_TITLE = 'chore(deps): upgrade the toolchain and the locked dependencies';

/** Name of the artifact that carries the patch and the pull request body from one job to the other. */
const ARTIFACT = 'upgrade';

/** Where the upgrade job writes (and the pull-request job reads) the artifact. */
const ARTIFACT_DIR = '${{ runner.temp }}/upgrade';

/** npm packages of the projen toolchain the upgrade moves within the ranges of package.json. */
export const UPGRADED_NPM_PACKAGES: readonly string[] = ['projen', 'constructs', 'tsx', 'projen-uv-service'];

/**
 * The script of the `summarize` step: stages every change, stops when there is none, otherwise
 * writes the patch and the pull request body (assets/ci/upgrade_summary.py, run with the job's uv
 * and Python; a quoted here-document, so the shell expands nothing inside it).
 */
export function summarizeScript(): string {
  const summary = fs.readFileSync(path.join(ASSETS_DIR, 'ci', 'upgrade_summary.py'), 'utf-8').trimEnd();
  return [
    'git add --all',
    'if git diff --cached --quiet; then',
    '  echo "Everything is current: no pull request."',
    '  echo "changed=false" >> "$GITHUB_OUTPUT"',
    '  exit 0',
    'fi',
    'mkdir -p "$RUNNER_TEMP/upgrade"',
    'git diff --cached --binary > "$RUNNER_TEMP/upgrade/upgrade.patch"',
    "uv run --no-project python - \"$RUNNER_TEMP/upgrade/body.md\" <<'PYTHON'",
    summary,
    'PYTHON',
    'cat "$RUNNER_TEMP/upgrade/body.md" >> "$GITHUB_STEP_SUMMARY"',
    'echo "changed=true" >> "$GITHUB_OUTPUT"',
  ].join('\n');
}

/** The token the pull request is opened with, as a workflow expression. */
function tokenExpression(ci: ResolvedCi): string {
  if (ci.upgradeAppIdVariable) return '${{ steps.app-token.outputs.token }}';
  return `\${{ secrets.${ci.upgradeTokenSecret ?? 'GITHUB_TOKEN'} }}`;
}

/** A shell expression for the UTC time `days` days before the run, RFC 3339 (`2026-10-02T06:00:00Z`). */
function utcDaysAgo(days: number): string {
  return `"$(date -u -d '${days} days ago' +%Y-%m-%dT%H:%M:%SZ)"`;
}

/**
 * The days of uv's side of the upgrade cooldown, written as `[tool.uv] exclude-newer = "<N> days"` in
 * pyproject.toml (see {@link uvExcludeNewer}); 0 writes none. It is `upgradeCooldownDays` when the upgrade
 * workflow is on and `uvVersion` reads a relative duration there (uv ${VERSIONS.uvRelativeExcludeNewer} and
 * later), else 0: an older uv reads only a timestamp, and a fixed timestamp in pyproject.toml would stop
 * every later upgrade at that date (the service's rules warn about, or refuse, that combination).
 */
export function uvCooldownDays(ci: Pick<ResolvedCi, 'upgradeWorkflow' | 'upgradeCooldownDays'> | undefined, uvVersion: string): number {
  if (!ci?.upgradeWorkflow || !uvReadsRelativeExcludeNewer(uvVersion)) return 0;
  return ci.upgradeCooldownDays;
}

/** Whether uv `uvVersion` reads a relative duration ("7 days") in `exclude-newer`. */
export function uvReadsRelativeExcludeNewer(uvVersion: string): boolean {
  return compareReleases(uvVersion, VERSIONS.uvRelativeExcludeNewer) >= 0;
}

/**
 * The one synth warning for a cooldown left at its default with a uv too old for it: the upgrade
 * workflow's uv lock then takes releases of the same day (npm's side keeps its `--before`). A default
 * should not fail a synth that worked before, so this warns; an explicit `upgradeCooldownDays` is
 * refused instead ({@link uvCooldownProblem}). Undefined when there is nothing to say.
 */
export function uvCooldownNote(ci: Pick<ResolvedCi, 'upgradeWorkflow' | 'upgradeCooldownDays'> | undefined, uvVersion: string): string | undefined {
  if (!ci?.upgradeWorkflow || ci.upgradeCooldownDays === 0 || uvReadsRelativeExcludeNewer(uvVersion)) return undefined;
  return `uvVersion "${uvVersion}" reads no relative [tool.uv] exclude-newer (uv ${VERSIONS.uvRelativeExcludeNewer} and later do), ` +
    `so the upgrade workflow's uv lock has no ${ci.upgradeCooldownDays}-day cooldown: set uvVersion to "${VERSIONS.uvRelativeExcludeNewer}" ` +
    `or newer (the library's default is "${VERSIONS.uv}"), or ciOptions.upgradeCooldownDays: 0 to say no cooldown is wanted.`;
}

/**
 * Why an explicit `ciOptions.upgradeCooldownDays` (`given`) cannot hold with `uvVersion`, or undefined.
 * A fixed timestamp in pyproject.toml instead of the relative duration would freeze every later
 * upgrade at that date, and one on the command line only makes a lock the other uv commands reject
 * (see {@link uvExcludeNewer}), so an old uv gets no cooldown, and asking for one is an error.
 */
export function uvCooldownProblem(given: unknown, ci: Pick<ResolvedCi, 'upgradeWorkflow' | 'upgradeCooldownDays'>, uvVersion: string): string | undefined {
  if (given === undefined || !ci.upgradeWorkflow || ci.upgradeCooldownDays === 0 || uvReadsRelativeExcludeNewer(uvVersion)) return undefined;
  return `needs uv ${VERSIONS.uvRelativeExcludeNewer} or newer: the cooldown is [tool.uv] exclude-newer = "${ci.upgradeCooldownDays} days" ` +
    `in pyproject.toml, a relative duration uvVersion "${uvVersion}" cannot read. Set uvVersion to "${VERSIONS.uvRelativeExcludeNewer}" ` +
    `or newer (the library's default is "${VERSIONS.uv}"), or set upgradeCooldownDays: 0.`;
}

/**
 * The `[tool.uv] exclude-newer` value of a cooldown of `days` (a relative duration uv resolves against
 * the time of each command), or undefined for none.
 *
 * It lives in pyproject.toml, not on the upgrade job's command line: uv records the resolution's
 * exclude-newer in uv.lock's `[options]` (for a relative value the span, `exclude-newer-span = "P7D"`),
 * and every later `uv sync --locked` / `uv lock --check` whose settings lack the same value finds the
 * lock out of date ("needs to be updated, but `--locked` was provided": astral-sh/uv#18775). Written
 * here, CI, the Docker build and every developer's uv read the same setting and accept the lock.
 */
export function uvExcludeNewer(days: number): string | undefined {
  return days > 0 ? `${days} days` : undefined;
}

/**
 * The `npm-update` step's script: `npm update` within package.json's ranges. With a cooldown of N days it
 * is npm's `--before <the date N days ago>` (npm's `min-release-age` would say it in days, but needs npm
 * 11.x; the job's Node ${CI_VERSIONS.node} bundles npm 10, which has `--before`), one package at a time:
 * npm refuses the whole update when no release a range allows is that old (ENOVERSIONS, or ETARGET for
 * an exact pin), as in the first days after a service adopts a new release. That package then stays as
 * locked, with a notice on the run; any other error fails the step.
 */
function npmUpdateScript(ci: Pick<ResolvedCi, 'upgradeCooldownDays'>): string {
  const days = ci.upgradeCooldownDays;
  const update = 'npm update --no-audit --no-fund';
  if (days === 0) return `${update} ${UPGRADED_NPM_PACKAGES.join(' ')}`;
  return [
    `before=${utcDaysAgo(days)}`,
    `for package in ${UPGRADED_NPM_PACKAGES.join(' ')}; do`,
    `  if out=$(${update} --before "$before" "$package" 2>&1); then`,
    '    printf \'%s\\n\' "$out"',
    '  else',
    '    case "$out" in',
    `      *ETARGET*|*ENOVERSIONS*) echo "::notice title=Upgrade cooldown::$package stays as locked: no release its range in package.json allows is ${days} days old yet (ciOptions.upgradeCooldownDays)" ;;`,
    '      *) printf \'%s\\n\' "$out"; exit 1 ;;',
    '    esac',
    '  fi',
    'done',
    '',
  ].join('\n');
}

function checkout(refs: ActionRefs): JobStep {
  return { name: 'Check out', id: 'checkout', uses: refs.uses('checkout'), with: { 'persist-credentials': false } };
}

export function upgradeJob(python: ResolvedPyproject, ci: ResolvedCi, refs: ActionRefs, db?: ResolvedDatabase): Job {
  return {
    name: 'Upgrade the toolchain and the lock, then lint and test',
    runsOn: [...ci.runsOn],
    // Runs npm and uv with freshly released packages: read-only, no credentials kept.
    permissions: { contents: JobPermission.READ },
    timeoutMinutes: 30,
    services: db ? postgresService() : undefined,
    outputs: { changed: { stepId: 'summarize', outputName: 'changed' } },
    steps: [
      checkout(refs),
      {
        name: `Set up Node.js ${CI_VERSIONS.node}`,
        id: 'setup-node',
        uses: refs.uses('setupNode'),
        with: { 'node-version': CI_VERSIONS.node, 'cache': 'npm', 'cache-dependency-path': 'package-lock.json' },
      },
      {
        // No python-version input: it would pin UV_PYTHON for the whole job, while a new release of
        // the library may move .python-version; uv reads that file (after the synth) and fetches it.
        name: `Set up uv ${python.uvVersion}`,
        id: 'setup-uv',
        uses: refs.uses('setupUv'),
        with: { version: python.uvVersion },
      },
      { name: 'Install the projen toolchain', id: 'npm-ci', run: 'npm ci --no-audit --no-fund' },
      {
        name: 'Update the projen toolchain within the ranges of package.json',
        id: 'npm-update',
        run: npmUpdateScript(ci),
      },
      // A new release of this library carries new defaults (uv, Python, pins): the synth moves them
      // into every managed file, and refreshes uv.lock for a changed pyproject.toml.
      { name: 'Synthesize (npx projen)', id: 'synth', run: 'npx projen' },
      // The cooldown is pyproject.toml's [tool.uv] exclude-newer (uvCooldownDays), read by this uv and by
      // every later uv sync --locked alike: no --exclude-newer here, or the lock would not match it.
      { name: 'Upgrade the locked Python packages (uv lock --upgrade)', id: 'lock', run: 'uv lock --upgrade' },
      { name: 'Install the upgraded lock', id: 'sync', run: 'uv sync --locked' },
      { name: 'Lint (npx projen lint)', id: 'lint', run: 'npx projen lint' },
      ...(db ? [migrate(db, CI_DATABASE_URL)] : []),
      {
        name: 'Test (npx projen test)',
        id: 'test',
        run: 'npx projen test',
        env: db ? ciDatabaseEnv(db) : undefined,
      },
      { name: 'Summarize what moved', id: 'summarize', run: summarizeScript() },
      {
        name: 'Upload the patch and the pull request body',
        id: 'upload',
        if: "steps.summarize.outputs.changed == 'true'",
        uses: refs.uses('uploadArtifact'),
        with: { 'name': ARTIFACT, 'path': ARTIFACT_DIR, 'retention-days': 1, 'if-no-files-found': 'error' },
      },
    ],
  };
}

export function pullRequestJob(ci: ResolvedCi, refs: ActionRefs): Job {
  const steps: JobStep[] = [];
  if (ci.upgradeAppIdVariable) {
    steps.push({
      name: 'Get a token of the GitHub App',
      id: 'app-token',
      uses: refs.uses('createAppToken'),
      with: { 'app-id': `\${{ vars.${ci.upgradeAppIdVariable} }}`, 'private-key': `\${{ secrets.${ci.upgradeAppPrivateKeySecret} }}` },
    });
  }
  steps.push(
    checkout(refs),
    { name: 'Download the patch', id: 'download', uses: refs.uses('downloadArtifact'), with: { name: ARTIFACT, path: ARTIFACT_DIR } },
    { name: 'Apply the patch', id: 'apply', run: 'git apply --index "$RUNNER_TEMP/upgrade/upgrade.patch"' },
    {
      name: 'Open or update the upgrade pull request',
      id: 'create-pr',
      uses: refs.uses('createPullRequest'),
      with: {
        'token': tokenExpression(ci),
        'branch': UPGRADE_BRANCH,
        'base': ci.defaultBranch,
        'title': UPGRADE_TITLE,
        'commit-message': UPGRADE_TITLE,
        'body-path': `${ARTIFACT_DIR}/body.md`,
        'delete-branch': true,
      },
    },
  );
  return {
    name: 'Open or update the upgrade pull request',
    needs: ['upgrade'],
    if: "needs.upgrade.outputs.changed == 'true'",
    runsOn: [...ci.runsOn],
    // The only job that writes: it applies a patch and calls the pull request action, and runs no
    // code of the project.
    permissions: { contents: JobPermission.WRITE, pullRequests: JobPermission.WRITE },
    timeoutMinutes: 10,
    outputs: { operation: { stepId: 'create-pr', outputName: 'pull-request-operation' } },
    steps,
  };
}

/**
 * Whether the upgrade pull request gets no CI run of its own: opened with the workflow's GITHUB_TOKEN,
 * it triggers no `pull_request` workflow (GitHub's rule against recursive runs); a token or an App's does.
 */
export function upgradeNeedsDispatch(ci: ResolvedCi): boolean {
  return ci.upgradeTokenSecret === undefined && ci.upgradeAppIdVariable === undefined;
}

/**
 * `ci`: runs the CI workflow on the upgrade branch when the pull request was opened or updated, by a
 * `workflow_dispatch` (the one event a GITHUB_TOKEN may start): its checks appear on the pull
 * request's head commit. It runs no code of the project and can only start workflows.
 */
export function dispatchCiJob(ci: ResolvedCi, ciWorkflowFile: string): Job {
  return {
    name: 'Run CI on the upgrade pull request',
    needs: ['pr'],
    if: "needs.pr.outputs.operation == 'created' || needs.pr.outputs.operation == 'updated'",
    runsOn: [...ci.runsOn],
    permissions: { actions: JobPermission.WRITE },
    timeoutMinutes: 5,
    steps: [
      {
        name: `Dispatch ${ciWorkflowFile} on ${UPGRADE_BRANCH}`,
        id: 'dispatch',
        env: { GH_TOKEN: '${{ github.token }}', GH_REPO: '${{ github.repository }}', BRANCH: UPGRADE_BRANCH },
        run: `gh workflow run ${ciWorkflowFile} --ref "$BRANCH"`,
      },
    ],
  };
}
