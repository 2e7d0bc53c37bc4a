import { Component } from 'projen/lib/component';
import * as github from 'projen/lib/github';
import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';
import { PinnedActionsYamlFile, ActionRefs } from './actions';
import { DependabotUpdates } from './dependabot';
import { DerivedJobs } from './derived-jobs';
import {
  dockerJob,
  DockerFacts,
  JobContext,
  neonCleanupJob,
  neonPreviewJob,
  neonSchemaDiffJob,
  publishJob,
  synthJob,
  testJob,
} from './jobs';
import { CiOptions } from './options';
import { CI_WORKFLOW_PATH, checkCiComponents, JobId, plannedJobs } from './plan';
import { REPOSITORY_EXPRESSION, resolveCiOptions } from './resolve';
import { checkKnownOptions } from '../core/known-options';
import { OptionProblem, Problems, ServiceConfigError } from '../core/problems';
import { modelObject, overridden, renderedObject } from '../core/rendered';
import { CI_VERSIONS, GITHUB_ACTIONS } from '../core/versions';
import { NeonDatabase } from '../database/neon-database';
import { DockerStageRole, DockerStages } from '../docker/docker-stages';
import { Pyproject } from '../python/pyproject';

/** What each job reads of the Docker model (named in the model's errors). */
const DOCKER_READERS: Partial<Record<JobId, DockerStageRole[]>> = {
  docker: [DockerStageRole.RUNTIME, DockerStageRole.TESTING],
  publish: [DockerStageRole.RUNTIME],
};

/** The Docker facts the jobs read, from the live model. */
function dockerFacts(d: DockerStages): DockerFacts {
  return {
    runtimeStage: d.runtimeTarget,
    testingStage: d.testingStage,
    dockerfile: d.dockerfilePath,
    context: d.context,
    imageName: d.imageName,
  };
}

/**
 * The GitHub Actions CI workflow and Dependabot config of a service. Which jobs it has follows the
 * components the project has (`DockerStages.of(project)`, `NeonDatabase.of(project)`) and the CI
 * options; what the jobs build and run (stage targets, Dockerfile, context, image name, database
 * variable names, migration command) is read from those components again at synth, so an edit made
 * in `.projenrc.ts` after construction (`project.docker.removeStage('testing')`) reaches the workflow.
 *
 * The jobs exist from construction on, for escape hatches (`workflow.patchStep`, `updateJob`): at synth
 * a job that was not edited is rebuilt from the live components; an edited one is kept while what it
 * is built from did not change, and the synth fails when both changed.
 */
export class CiWorkflow extends Component {
  /** The project's `CiWorkflow`, or undefined when it has none. */
  public static of(project: Project): CiWorkflow | undefined {
    const isCiWorkflow = (c: Component): c is CiWorkflow => c instanceof CiWorkflow;
    return project.components.find(isCiWorkflow);
  }

  /** The workflow (`.github/workflows/ci.yml`); use it for escape hatches (`workflow.file?.addOverride`). */
  public readonly workflow: github.GithubWorkflow;
  /** Dependabot version updates that can pass (see {@link DependabotUpdates}); undefined when `dependabot: false`. */
  public readonly dependabotUpdates?: DependabotUpdates;
  /** Ids of the jobs the workflow has. */
  public readonly jobIds: string[];
  private readonly builders: Map<string, () => github.workflows.Job>;
  private readonly derived: DerivedJobs;

  /**
   * Add it after the project's `Pyproject` (and its `DockerStages` and `NeonDatabase`, when it has
   * them): which jobs the workflow has follows the components the project has then.
   */
  constructor(project: Project, options: CiOptions = {}) {
    super(project);
    const docker = DockerStages.of(project);
    const database = NeonDatabase.of(project);
    const problems = new Problems();
    checkKnownOptions(problems, options, 'CiOptions', 'CiWorkflow');
    const ci = resolveCiOptions(options, problems, '');
    checkCiComponents(ci, { database: database !== undefined, docker: docker !== undefined }, problems, '');
    problems.throwIfAny(`CiWorkflow (${CI_WORKFLOW_PATH})`);
    const pyproject = Pyproject.of(project);
    if (!pyproject) throw new Error(`CiWorkflow: ${project.name} has no Pyproject; add it before the workflow (the jobs set up its Python and uv, and run its tests).`);
    const gh = github.GitHub.of(project) ?? new github.GitHub(project, { mergify: false, pullRequestLint: false });
    const refs = new ActionRefs(ci);
    const planned = plannedJobs(ci, { database: database !== undefined, docker: docker !== undefined });
    const neon = planned.includes('neon-preview');
    // Read from their owners each time a job is built: at construction, then at synth.
    const ctx = (): JobContext => ({
      python: pyproject._resolved,
      docker: docker ? dockerFacts(docker) : undefined,
      database: database?._resolved,
      ci,
      refs,
      notClosed: neon ? "github.event.action != 'closed'" : undefined,
    });

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
      'test': () => testJob(ctx()),
      'synth': () => synthJob(ctx(), CI_VERSIONS.node),
      'docker': () => dockerJob(ctx()),
      // The image is pushed only when every other check of the commit passed.
      'publish': () => publishJob(ctx(), planned.slice(0, planned.indexOf('publish'))),
      'neon-preview': () => neonPreviewJob(ctx()),
      'neon-schema-diff': () => neonSchemaDiffJob(ctx()),
      'neon-cleanup': () => neonCleanupJob(ctx()),
    };
    this.builders = new Map(planned.map((id) => [id, build[id]]));
    this.derived = new DerivedJobs(this.workflow, {
      workflow: 'project.ci.workflow',
      builtFrom: 'the Docker stages and the database',
      file: CI_WORKFLOW_PATH,
    });
    this.jobIds = planned;
    this.syncJobs();
    for (const role of Object.values(DockerStageRole)) {
      const jobs = planned.filter((id) => DOCKER_READERS[id]?.includes(role));
      if (jobs.length > 0) docker?.addRoleReader(role, `${CI_WORKFLOW_PATH} (${jobs.length === 1 ? 'job' : 'jobs'} ${jobs.join(', ')})`);
    }

    const file = this.workflow.file!;
    // Least privilege: every job reads the repository; a job raises only what it needs.
    file.addOverride('permissions', { contents: 'read' });
    if (ci.pinActionsToSha) PinnedActionsYamlFile.adopt(file, refs.comments);

    if (ci.dependabot) {
      this.dependabotUpdates = new DependabotUpdates(project, options);
    }
  }

  /**
   * The image repository the workflow publishes (`<registry>/<name>`, no tag), as the rendered
   * workflow says it (escape hatches on {@link workflow} included): the image the Kubernetes manifests
   * run. Undefined when it publishes none, or under a name known only inside GitHub Actions
   * (`${{ github.repository }}`).
   */
  public get publishedImage(): string | undefined {
    const steps: any[] = renderedObject(this.workflow.file!).jobs?.publish?.steps ?? [];
    const images = steps.find((s) => s.id === 'meta')?.with?.images;
    return typeof images === 'string' && !images.includes('${{') && !images.includes(REPOSITORY_EXPRESSION) ? images : undefined;
  }

  /** `.github/dependabot.yml`: known at synth, and only when some updater can pass. */
  public get dependabot(): YamlFile | undefined {
    return this.dependabotUpdates?.file;
  }

  /**
   * Jobs edited in `.projenrc.ts` whose components changed too, as problems; when there is none, the
   * jobs are brought in line with the components and the rendered workflow (overrides included) is
   * checked against the Dockerfile it builds ({@link buildProblems}).
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    const conflicts = this.syncJobs(true);
    if (conflicts.length > 0) return conflicts;
    this.syncJobs();
    return this.buildProblems();
  }

  /**
   * What the rendered workflow builds: every `docker/build-push-action` step builds the Dockerfile of
   * the project's `DockerStages`, from its context, and a stage of it (an override of `.projenrc.ts`
   * that names another is refused, naming it).
   */
  private buildProblems(): OptionProblem[] {
    const docker = DockerStages.of(this.project);
    if (!docker) return [];
    const rendered = renderedObject(this.workflow.file!);
    const model = modelObject(this.workflow.file!);
    const stages = docker.stages.map((s) => s.name);
    const problems: OptionProblem[] = [];
    for (const [id, job] of Object.entries<any>(rendered.jobs ?? {})) {
      (job.steps ?? []).forEach((step: any, i: number) => {
        if (typeof step.uses !== 'string' || !step.uses.startsWith(`${GITHUB_ACTIONS.buildPush.repo}@`)) return;
        const changed = (key: string) => overridden(rendered, model, ['jobs', id, 'steps', i, 'with', key]);
        // The jobs the model built agree with the Dockerfile by construction (a missing stage is the
        // Dockerfile's own error, naming this workflow): only an override can put them out of step.
        const at = (key: string) => `${CI_WORKFLOW_PATH} jobs.${id}.steps[${i}] (${step.id ?? step.name}) with.${key} (an override in .projenrc.ts)`;
        const w = step.with ?? {};
        if ((changed('file') || changed('context')) && (w.file !== docker.dockerfilePath || w.context !== docker.context)) {
          problems.push({
            option: at(changed('file') ? 'file' : 'context'),
            value: { file: w.file ?? null, context: w.context ?? null },
            expected: `must build ${docker.dockerfilePath} from its context "${docker.context}", which its .dockerignore and COPY checks are about; leave them to project.docker.`,
          });
        }
        if (changed('target') && w.target !== undefined && !stages.includes(w.target)) {
          problems.push({
            option: at('target'),
            value: w.target,
            expected: `names no stage of ${docker.dockerfilePath} (stages: ${stages.map((s) => `"${s}"`).join(', ')}); name one of them, or change the roles on project.docker (runtimeStage, testingStage), which the jobs follow.`,
          });
        }
      });
    }
    return problems;
  }

  public preSynthesize(): void {
    const found = this._checkProblems();
    if (found.length > 0) throw new ServiceConfigError(`CiWorkflow (${CI_WORKFLOW_PATH})`, found);
    this.syncJobs();
  }

  /**
   * Brings each job in line with the live components (see {@link DerivedJobs}). With `dryRun`,
   * changes nothing and returns the conflicts.
   */
  private syncJobs(dryRun = false): OptionProblem[] {
    return this.derived.sync(this.builders, dryRun);
  }
}
