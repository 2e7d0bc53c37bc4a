import { Component, github, Project, YamlFile } from 'projen';
import { PinnedActionsYamlFile, ActionRefs } from './actions';
import {
  dockerJob,
  JobContext,
  neonCleanupJob,
  neonPreviewJob,
  neonSchemaDiffJob,
  publishJob,
  synthJob,
  testJob,
} from './jobs';
import { JobId, plannedJobs } from './plan';
import { ResolvedCi } from './resolved';
import type { ResolvedService } from '../service/resolved';
import { CI_VERSIONS } from '../versions';

/** Path of the generated workflow. */
export const CI_WORKFLOW_PATH = '.github/workflows/ci.yml';
/** Path of the generated Dependabot config. */
export const DEPENDABOT_PATH = '.github/dependabot.yml';

/**
 * The GitHub Actions CI workflow and Dependabot config of a service, derived from the same resolved
 * options as every other file: the Python and uv versions, the database URL variables, the Docker
 * stages. Jobs of components that are off are left out.
 */
export class CiWorkflow extends Component {
  /** The workflow (`.github/workflows/ci.yml`); use it for escape hatches (`workflow.file?.addOverride`). */
  public readonly workflow: github.GithubWorkflow;
  /** `.github/dependabot.yml`; undefined when `dependabot: false`. */
  public readonly dependabot?: YamlFile;
  /** Ids of the jobs the workflow has. */
  public readonly jobIds: string[];

  constructor(project: Project, service: ResolvedService, ci: ResolvedCi) {
    super(project);
    const gh = github.GitHub.of(project) ?? new github.GitHub(project, { mergify: false, pullRequestLint: false });
    const refs = new ActionRefs(ci);
    const planned = plannedJobs(ci, { database: service.database !== undefined, docker: service.docker !== undefined });
    const neon = planned.includes('neon-preview');
    const ctx: JobContext = { service, ci, refs, notClosed: neon ? "github.event.action != 'closed'" : undefined };

    this.workflow = new github.GithubWorkflow(gh, 'ci', {
      limitConcurrency: true,
      // A new push to the same pull request or branch cancels the run it supersedes.
      concurrencyOptions: { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: true },
    });
    this.workflow.on({
      pullRequest: neon ? { types: ['opened', 'synchronize', 'reopened', 'closed'] } : {},
      push: { branches: [ci.defaultBranch] },
      workflowDispatch: {},
    });

    const build: Record<JobId, () => github.workflows.Job> = {
      'test': () => testJob(ctx),
      'synth': () => synthJob(ctx, CI_VERSIONS.node),
      'docker': () => dockerJob(ctx),
      // The image is pushed only when every other check of the commit passed.
      'publish': () => publishJob(ctx, planned.slice(0, planned.indexOf('publish'))),
      'neon-preview': () => neonPreviewJob(ctx),
      'neon-schema-diff': () => neonSchemaDiffJob(ctx),
      'neon-cleanup': () => neonCleanupJob(ctx),
    };
    const jobs: Record<string, github.workflows.Job> = {};
    for (const id of planned) jobs[id] = build[id]();
    this.workflow.addJobs(jobs);
    this.jobIds = planned;

    const file = this.workflow.file!;
    // Least privilege: every job reads the repository; a job raises only what it needs.
    file.addOverride('permissions', { contents: 'read' });
    if (ci.pinActionsToSha) PinnedActionsYamlFile.adopt(file, refs.comments);

    describe(project, CI_WORKFLOW_PATH, `GitHub Actions CI: ${this.jobIds.join(', ')}.`);

    if (ci.dependabot) {
      this.dependabot = new YamlFile(project, DEPENDABOT_PATH, {
        obj: dependabotConfig(service, ci),
        committed: true,
      });
      describe(project, DEPENDABOT_PATH, 'Dependabot: weekly uv, Docker and GitHub Actions updates, with a cooldown.');
    }
  }
}

/** The `.github/dependabot.yml` content. */
export function dependabotConfig(service: ResolvedService, ci: ResolvedCi): Record<string, unknown> {
  const update = (ecosystem: string) => ({
    'package-ecosystem': ecosystem,
    'directory': '/',
    'schedule': { interval: 'weekly' },
    // Semver-specific cooldowns are not supported by every ecosystem (docker, github-actions).
    'cooldown': { 'default-days': ci.dependabotCooldownDays },
  });
  return {
    version: 2,
    updates: [update('uv'), ...(service.docker ? [update('docker')] : []), update('github-actions')],
  };
}

function describe(project: Project, path: string, purpose: string): void {
  const p = project as Project & { describeFile?: (path: string, purpose: string) => void };
  p.describeFile?.(path, purpose);
}
