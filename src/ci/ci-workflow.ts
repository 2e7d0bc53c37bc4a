import { Component } from 'projen/lib/component';
import * as github from 'projen/lib/github';
import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';
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
import { CI_VERSIONS } from '../core/versions';
import type { ResolvedDatabase } from '../database/resolved';
import type { ResolvedDocker } from '../docker/resolved';
import type { ResolvedPython } from '../python/model';

/** Path of the generated workflow. */
export const CI_WORKFLOW_PATH = '.github/workflows/ci.yml';
/** Path of the generated Dependabot config. */
export const DEPENDABOT_PATH = '.github/dependabot.yml';

/**
 * The other components a {@link CiWorkflow} builds, tests and publishes: a job exists only for a
 * component that is given.
 */
export interface CiComponents {
  /**
   * The Docker facts (stages, Dockerfile, context, image name).
   *
   * @default - no Docker jobs
   */
  readonly docker?: ResolvedDocker;
  /**
   * The database facts (URL variables, migration command).
   *
   * @default - no migration steps, no Postgres service container
   */
  readonly database?: ResolvedDatabase;
}

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

  constructor(project: Project, python: ResolvedPython, ci: ResolvedCi, components: CiComponents = {}) {
    super(project);
    const gh = github.GitHub.of(project) ?? new github.GitHub(project, { mergify: false, pullRequestLint: false });
    const refs = new ActionRefs(ci);
    const planned = plannedJobs(ci, { database: components.database !== undefined, docker: components.docker !== undefined });
    const neon = planned.includes('neon-preview');
    const ctx: JobContext = { python, docker: components.docker, database: components.database, ci, refs, notClosed: neon ? "github.event.action != 'closed'" : undefined };

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

    if (ci.dependabot) {
      this.dependabot = new YamlFile(project, DEPENDABOT_PATH, {
        obj: dependabotConfig(ci, components.docker !== undefined),
        committed: true,
      });
    }
  }
}

/** The `.github/dependabot.yml` content. */
export function dependabotConfig(ci: ResolvedCi, docker: boolean): Record<string, unknown> {
  const update = (ecosystem: string) => ({
    'package-ecosystem': ecosystem,
    'directory': '/',
    'schedule': { interval: 'weekly' },
    // Semver-specific cooldowns are not supported by every ecosystem (docker, github-actions).
    'cooldown': { 'default-days': ci.dependabotCooldownDays },
  });
  return {
    version: 2,
    updates: [update('uv'), ...(docker ? [update('docker')] : []), update('github-actions')],
  };
}
