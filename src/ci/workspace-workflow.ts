import * as path from 'path';
import { Component } from 'projen/lib/component';
import * as github from 'projen/lib/github';
import { Project } from 'projen/lib/project';
import { ActionRefs, PinnedActionsYamlFile } from './actions';
import { DerivedJobs } from './derived-jobs';
import { base, checkout, DockerFacts, imageSteps, lintAndTestSteps, postgresService, setupUv, synthJob, UV_LOCK_CHECK } from './jobs';
import { CiOptions } from './options';
import { CI_WORKFLOW_PATH } from './plan';
import { ResolvedCi } from './resolve';
import { changesScript, resolveWorkspaceCiOptions, shellQuote, WORKSPACE_SHARED_PATHS, WorkspaceMemberJob } from './workspace-jobs';
import { OptionProblem, Problems, ServiceConfigError } from '../core/problems';
import { CI_VERSIONS, VERSIONS } from '../core/versions';
import { IWorkspaceModel, WorkspaceMember, WorkspaceMemberKind, workspaceOf } from '../core/workspace';
import { NeonDatabase } from '../database/neon-database';
import { DockerStageRole, DockerStages } from '../docker/docker-stages';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;
const { JobPermission } = github.workflows;

/** Id of the job that tells which members changed. */
const CHANGES_JOB = 'changes';
/** Id of the drift job (projen synth at the root). */
const SYNTH_JOB = 'synth';
/** Id of the step of the `changes` job that writes one output per member job. */
const CHANGES_STEP = 'changed';
/** A GitHub Actions job id (also used as the output name of the `changes` job). */
const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The GitHub Actions CI of a uv workspace (`.github/workflows/ci.yml` at the workspace root): one job
 * per member, run only when a file in that member's dependency closure (or a file every member
 * shares) changed, and one drift job.
 *
 * - `changes`: compares the commit with the pull request's base or the push's previous head
 *   (`git diff --name-only`, no third-party action) and turns each member job on or off.
 * - one job per member (`service-<name>`, `library-<name>`): `uv sync --locked --package <name>`,
 *   ruff check, ruff format --check, mypy (strict, the member's `[tool.mypy]`), the migrations (a service with a database) and pytest, in the
 *   member's directory; for a service with a Dockerfile, its runtime and testing images built from its
 *   `DockerStages` (Dockerfile, context, targets, image name) and the tests run in the testing image.
 * - `synth`: projen synth at the root, then fails on any difference (drift).
 *
 * Everything about the members is read from the workspace model at synth: a member added, a
 * dependency declared or a Dockerfile changed after this component was constructed reaches the
 * workflow. The jobs are built at synth; an escape hatch goes through `workflow.file.addOverride(...)`,
 * which applies on top of them.
 */
export class WorkspaceCiWorkflow extends Component {
  /** The project's `WorkspaceCiWorkflow`, or undefined when it has none. */
  public static of(project: Project): WorkspaceCiWorkflow | undefined {
    const isIt = (c: Component): c is WorkspaceCiWorkflow => c instanceof WorkspaceCiWorkflow;
    return project.components.find(isIt);
  }

  /** The workflow; use it for escape hatches (`workflow.file?.addOverride`). */
  public readonly workflow: github.GithubWorkflow;
  private readonly ci: ResolvedCi;
  private readonly refs: ActionRefs;
  private readonly derived: DerivedJobs;

  /**
   * @param project the workspace's root project (the one its model was registered on)
   * @param options the CI options; those only a single service's CI has (publishing, Neon previews,
   *   Dependabot, the upgrade workflow) are refused
   */
  constructor(project: Project, options: CiOptions = {}) {
    super(project);
    const problems = new Problems();
    this.ci = resolveWorkspaceCiOptions(options, problems, 'ciOptions');
    if (problems.all.length > 0) throw new ServiceConfigError(`WorkspaceCiWorkflow (${CI_WORKFLOW_PATH})`, [...problems.all]);
    this.refs = new ActionRefs(this.ci);

    const gh = github.GitHub.of(project) ?? new github.GitHub(project, { mergify: false, pullRequestLint: false });
    this.workflow = new github.GithubWorkflow(gh, 'ci', {
      limitConcurrency: true,
      // A new push to the same pull request or branch cancels the run it supersedes.
      concurrencyOptions: { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: true },
    });
    this.workflow.on({ pullRequest: {}, push: { branches: [this.ci.defaultBranch] }, workflowDispatch: {} });
    this.derived = new DerivedJobs(this.workflow, {
      workflow: 'WorkspaceCiWorkflow.of(root).workflow',
      builtFrom: 'the workspace\'s members, their dependencies and Dockerfiles',
      file: CI_WORKFLOW_PATH,
    });

    const file = this.workflow.file!;
    // Least privilege: every job reads the repository, and none needs more.
    file.addOverride('permissions', { contents: 'read' });
    if (this.ci.pinActionsToSha) PinnedActionsYamlFile.adopt(file, this.refs.comments);
    // The jobs are built at synth, from the members the workspace has by then.
  }

  /**
   * Each member's job, read from the workspace model now: its id, and the paths whose change runs it.
   * A member whose job has no step (every job option off) has none.
   *
   * @internal
   */
  public _memberJobs(): WorkspaceMemberJob[] {
    const model = this.model();
    const jobs: WorkspaceMemberJob[] = [];
    const byId = new Map<string, string>();
    for (const member of model.members()) {
      if (!this.hasJob(member)) continue;
      const id = `${member.kind === WorkspaceMemberKind.SERVICE ? 'service' : 'library'}-${member.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
      const clash = byId.get(id);
      if (clash !== undefined || !JOB_ID.test(id)) {
        throw new ServiceConfigError(`WorkspaceCiWorkflow (${CI_WORKFLOW_PATH})`, [{
          option: `workspace member "${member.name}" (its CI job id)`,
          value: id,
          expected: clash === undefined
            ? 'is not a valid job id; a member name is a normalized distribution name (letters, digits, "-").'
            : `is also the job id of member "${clash}"; give one of them another name.`,
        }]);
      }
      byId.set(id, member.name);
      const closureDirs = model.closureOf(member.name).map((m) => m.dir);
      jobs.push({ id, member: member.name, paths: [...new Set([...closureDirs, ...WORKSPACE_SHARED_PATHS])] });
    }
    return jobs;
  }

  /**
   * Jobs edited in `.projenrc.ts` whose members changed too, as problems (empty: none).
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    return this.derived.sync(this.builders(), true);
  }

  public preSynthesize(): void {
    const found = this._checkProblems();
    if (found.length > 0) throw new ServiceConfigError(`WorkspaceCiWorkflow (${CI_WORKFLOW_PATH})`, found);
    const builders = this.builders();
    if (builders.size === 0) {
      throw new ServiceConfigError(`WorkspaceCiWorkflow (${CI_WORKFLOW_PATH})`, [{
        option: 'ciOptions',
        value: { testJob: this.ci.testJob, dockerJob: this.ci.dockerJob, synthJob: this.ci.synthJob },
        expected: `leaves the workflow without a job (${this.model().members().length} members); keep the synth job or the test job on, or leave the workspace without a CI workflow.`,
      }]);
    }
    this.derived.sync(builders);
    // Errors about a member's stages name this workflow as one of their readers.
    for (const job of this._memberJobs()) {
      const docker = this.memberDocker(job.member);
      if (!docker || !this.ci.dockerJob) continue;
      docker.addRoleReader(DockerStageRole.RUNTIME, `${CI_WORKFLOW_PATH} (job ${job.id})`);
      docker.addRoleReader(DockerStageRole.TESTING, `${CI_WORKFLOW_PATH} (job ${job.id})`);
    }
  }

  private model(): IWorkspaceModel {
    const model = workspaceOf(this.project);
    if (!model || model.root !== this.project) {
      throw new Error(`WorkspaceCiWorkflow belongs on the root project of a uv workspace (one with registerWorkspace(model)); "${this.project.name}" is ${model ? 'a member of one' : 'not in one'}.`);
    }
    return model;
  }

  /** Job id -> builder, for the jobs the live model has. */
  private builders(): Map<string, () => Job> {
    const builders = new Map<string, () => Job>();
    const jobs = this._memberJobs();
    if (jobs.length > 0) builders.set(CHANGES_JOB, () => this.changesJob(this._memberJobs()));
    for (const job of jobs) builders.set(job.id, () => this.memberJob(job));
    if (this.ci.synthJob) builders.set(SYNTH_JOB, () => synthJob({ ci: this.ci, refs: this.refs }, CI_VERSIONS.node));
    return builders;
  }

  private hasJob(member: WorkspaceMember): boolean {
    return this.ci.testJob || (this.ci.dockerJob && this.memberDocker(member.name) !== undefined);
  }

  /** The project of member `name`: the first project below the root that the model says is it. */
  private memberProject(name: string): Project | undefined {
    const model = this.model();
    const walk = (p: Project): Project | undefined => {
      for (const sub of p.subprojects) {
        if (model.memberOf(sub)?.name === name) return sub;
        const found = walk(sub);
        if (found) return found;
      }
      return undefined;
    };
    return walk(model.root);
  }

  private memberDocker(name: string): DockerStages | undefined {
    const member = this.model().members().find((m) => m.name === name);
    const project = this.memberProject(name);
    return member?.kind === WorkspaceMemberKind.SERVICE && project ? DockerStages.of(project) : undefined;
  }

  private changesJob(jobs: readonly WorkspaceMemberJob[]): Job {
    return {
      ...base({ ci: this.ci }, 'Which members changed', 5),
      permissions: { contents: JobPermission.READ },
      outputs: Object.fromEntries(jobs.map((j) => [j.id, { stepId: CHANGES_STEP, outputName: j.id }])),
      steps: [
        // The whole history: the base of a pull request or of a push can be any number of commits back.
        { ...checkout(this.refs), with: { 'persist-credentials': false, 'fetch-depth': 0 } },
        {
          name: 'Tell which members\' dependency closures changed',
          id: CHANGES_STEP,
          run: changesScript(jobs),
          // Event data reaches the script as variables, never spliced into its text.
          env: {
            EVENT_NAME: '${{ github.event_name }}',
            PULL_REQUEST_BASE: '${{ github.event.pull_request.base.sha }}',
            PUSH_BEFORE: '${{ github.event.before }}',
          },
        },
      ],
    };
  }

  private memberJob(job: WorkspaceMemberJob): Job {
    const model = this.model();
    const member = model.members().find((m) => m.name === job.member)!;
    const project = this.memberProject(member.name);
    const database = project ? NeonDatabase.of(project)?._resolved : undefined;
    const stages = this.ci.dockerJob ? this.memberDocker(member.name) : undefined;
    const python = { uvVersion: model.uvVersion ?? VERSIONS.uv, pythonVersion: model.pythonVersion ?? VERSIONS.python };

    // uv.lock is read by every member job (setup-uv's cache key, uv sync --locked, the image's bind
    // mount): the same check as a single service's jobs, before anything reads it; at the root, where
    // the one uv.lock of the workspace is (the job's other steps run in the member's directory).
    const steps: JobStep[] = [checkout(this.refs), { ...UV_LOCK_CHECK, workingDirectory: '.' }];
    if (this.ci.testJob) {
      const sync: JobStep = {
        name: `Install the locked dependencies of ${member.name}`,
        id: 'sync',
        run: `uv sync --locked --package ${shellQuote(member.name)}`,
      };
      // pytest runs in the member's directory, on the tests its pyproject.toml names (testpaths).
      // The drift check names the member's own db:revision task, run in its directory.
      const revisionHint = `cd ${member.dir} && npx projen db:revision "message"`;
      steps.push(setupUv({ refs: this.refs, python }), ...lintAndTestSteps({ database, typeCheck: true, revisionHint }, sync));
    }
    if (stages) {
      steps.push(...imageSteps({ refs: this.refs, docker: imageFacts(member, stages), database, cacheScopePrefix: `${job.id}-` }));
    }
    const minutes = (this.ci.testJob ? this.ci.testTimeoutMinutes : 0) + (stages ? this.ci.dockerTimeoutMinutes : 0);
    return {
      ...base({ ci: this.ci }, `${member.name} (${member.kind})`, minutes),
      needs: [CHANGES_JOB],
      if: `needs.${CHANGES_JOB}.outputs.${job.id} == 'true'`,
      permissions: { contents: JobPermission.READ },
      services: database ? postgresService() : undefined,
      defaults: { run: { workingDirectory: member.dir } },
      steps,
    };
  }
}

/** A member's Dockerfile facts, with its paths made relative to the repository root. */
function imageFacts(member: WorkspaceMember, d: DockerStages): DockerFacts {
  const fromRoot = (p: string, what: string) => {
    const rel = path.posix.normalize(path.posix.join(member.dir, p));
    if (rel === '..' || rel.startsWith('../')) {
      throw new ServiceConfigError(`WorkspaceCiWorkflow (${CI_WORKFLOW_PATH})`, [{
        option: `member "${member.name}" DockerStages ${what}`,
        value: p,
        expected: `is "${rel}" from the workspace root, outside the repository; CI builds from the root checkout, so keep it inside.`,
      }]);
    }
    return rel;
  };
  return {
    runtimeStage: d.runtimeTarget,
    testingStage: d.testingStage,
    dockerfile: fromRoot(d.dockerfilePath, 'dockerfile'),
    context: fromRoot(d.context, 'context'),
    // One image name per service: its Dockerfile's, else the member's name.
    imageName: d.imageName ?? member.name,
  };
}
