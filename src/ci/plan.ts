import type { ActionKey } from './actions';
import { ResolvedCi } from './resolve';
import { Problems } from '../core/problems';
import { GITHUB_ACTIONS } from '../core/versions';

/** Which components of the service are on; the CI's jobs follow them. */
export interface CiComponents {
  readonly database: boolean;
  readonly docker: boolean;
}

/** Id of a job of the workflow. */
export type JobId = 'test' | 'synth' | 'docker' | 'publish' | 'neon-preview' | 'neon-schema-diff' | 'neon-cleanup';

/**
 * The actions each job's steps use: its builder in `jobs.ts` calls `refs.uses` with exactly these
 * (the tests compare them with the rendered workflow).
 */
const JOB_ACTIONS: Readonly<Record<JobId, readonly ActionKey[]>> = {
  'test': ['checkout', 'setupUv'],
  'synth': ['checkout', 'setupNode'],
  'docker': ['checkout', 'setupBuildx', 'buildPush'],
  'publish': ['checkout', 'setupBuildx', 'login', 'metadata', 'buildPush'],
  'neon-preview': ['checkout', 'neonCreateBranch', 'setupUv'],
  'neon-schema-diff': ['neonSchemaDiff'],
  'neon-cleanup': ['neonDeleteBranch'],
};

/** The jobs the workflow of `ci` has, in workflow order, given the components that are on. */
export function plannedJobs(ci: ResolvedCi, components: CiComponents): JobId[] {
  const neon = components.database && ci.neonPreview;
  const on: Record<JobId, boolean> = {
    'test': ci.testJob,
    'synth': ci.synthJob,
    'docker': components.docker && ci.dockerJob,
    'publish': components.docker && ci.publishImage,
    'neon-preview': neon,
    'neon-schema-diff': neon,
    'neon-cleanup': neon,
  };
  return (Object.keys(on) as JobId[]).filter((id) => on[id]);
}

/** `owner/repo` of the actions the jobs of `ci` use, given the components that are on; sorted. */
export function actionsInUse(ci: ResolvedCi, components: CiComponents): string[] {
  const repos = plannedJobs(ci, components).flatMap((id) => JOB_ACTIONS[id].map((key) => GITHUB_ACTIONS[key].repo));
  return [...new Set(repos)].sort();
}

/** The actions the upgrade workflow uses, by key of the library's table. */
function actionKeys(ci: ResolvedCi): ActionKey[] {
  const keys: ActionKey[] = ['checkout', 'setupNode', 'setupUv', 'uploadArtifact', 'downloadArtifact', 'createPullRequest'];
  if (ci.upgradeAppIdVariable) keys.push('createAppToken');
  return keys;
}

/** `owner/repo` of the actions the upgrade workflow of `ci` uses; none when it is off. */
export function upgradeActions(ci: ResolvedCi): string[] {
  return ci.upgradeWorkflow ? actionKeys(ci).map((k) => GITHUB_ACTIONS[k].repo) : [];
}

/** Path of the generated workflow. */
export const CI_WORKFLOW_PATH = '.github/workflows/ci.yml';

/**
 * Rules between the CI options and the components that are on. Records problems under `optionPath`.
 */
export function checkCiComponents(ci: ResolvedCi, components: CiComponents, problems: Problems, optionPath: string): void {
  if (ci.neonPreview && !components.database) {
    problems.add(`${optionPath}.neonPreview`, true, 'needs the database component: set "database: true", or "neonPreview: false".');
  }
  if (plannedJobs(ci, components).length === 0) {
    problems.add(optionPath, { testJob: ci.testJob, synthJob: ci.synthJob }, 'turns every job off, which leaves an empty workflow; keep at least one job on, or set "ci: false".');
  }
}

/** Path of the Dependabot config, written only when some updater can open pull requests that pass. */
export const DEPENDABOT_PATH = '.github/dependabot.yml';

/** Path of the generated upgrade workflow. */
export const UPGRADE_WORKFLOW_PATH = '.github/workflows/upgrade.yml';
