import * as path from 'path';
import { Component } from 'projen/lib/component';
import * as github from 'projen/lib/github';
import { Project } from 'projen/lib/project';
import { ActionRefs, PinnedActionsYamlFile } from './actions';
import { DerivedJobs } from './derived-jobs';
import { CiOptions } from './options';
import { CI_WORKFLOW_PATH, UPGRADE_WORKFLOW_PATH } from './plan';
import { resolveCiOptions } from './resolve';
import { dispatchCiJob, pullRequestJob, upgradeJob, upgradeNeedsDispatch } from './upgrade-jobs';
import { OptionProblem, Problems, ServiceConfigError } from '../core/problems';
import { NeonDatabase } from '../database/neon-database';
import { Pyproject } from '../python/pyproject';

type Job = github.workflows.Job;


/**
 * `.github/workflows/upgrade.yml`: keeps a service current through ONE pull request, projen's way
 * (projen's Node projects have an `upgrade` workflow of the same shape: an upgrade job that makes a
 * patch with a read-only token, and a pull-request job that applies it with write permissions).
 *
 * The `upgrade` job updates the projen toolchain in package-lock.json within the ranges of
 * package.json (`npm update`), resynthesizes (`npx projen`), upgrades uv.lock (`uv lock --upgrade`),
 * runs the lint and the tests, and uploads the staged diff and a body listing what moved. The `pr`
 * job, which runs no code of the project, applies the patch and opens or updates the pull request on
 * {@link UPGRADE_BRANCH} with `peter-evans/create-pull-request`.
 */
export class UpgradeWorkflow extends Component {
  /** The workflow; use it for escape hatches (`workflow.file?.addOverride`). */
  public readonly workflow: github.GithubWorkflow;
  private readonly builders: Map<string, () => Job>;
  private readonly derived: DerivedJobs;

  /**
   * Add it after the project's `Pyproject` (the uv it sets up) and its `NeonDatabase`, if any: with a
   * database, the tests run against a Postgres service container after the migrations, as in the CI's
   * `test` job (pull requests opened with the default GITHUB_TOKEN get no CI run, so this is their
   * test run). Both are read from their owners when the jobs are built (at construction, then at synth).
   *
   * @param options the CI options (their `upgrade*` options, the runners, the action pins)
   */
  constructor(project: Project, options: CiOptions = {}) {
    super(project);
    const problems = new Problems();
    const ci = resolveCiOptions(options, problems, '');
    problems.throwIfAny(`UpgradeWorkflow (${UPGRADE_WORKFLOW_PATH})`);
    const pyproject = Pyproject.of(project);
    if (!pyproject) throw new Error(`UpgradeWorkflow: ${project.name} has no Pyproject; add it before the workflow (the upgrade job sets up its uv).`);
    const gh = github.GitHub.of(project) ?? new github.GitHub(project, { mergify: false, pullRequestLint: false });
    const refs = new ActionRefs(ci);

    this.workflow = new github.GithubWorkflow(gh, 'upgrade', {
      limitConcurrency: true,
      // Never two upgrades at once; a running one finishes (it may be pushing the branch).
      concurrencyOptions: { group: '${{ github.workflow }}', cancelInProgress: false },
    });
    this.workflow.on({ schedule: [{ cron: ci.upgradeSchedule }], workflowDispatch: {} });
    this.builders = new Map<string, () => Job>([
      ['upgrade', () => upgradeJob(pyproject._resolved, ci, refs, NeonDatabase.of(project)?._resolved)],
      ['pr', () => pullRequestJob(ci, refs)],
      ...(upgradeNeedsDispatch(ci) ? [['ci', () => dispatchCiJob(ci, path.basename(CI_WORKFLOW_PATH))] as [string, () => Job]] : []),
    ]);
    this.derived = new DerivedJobs(this.workflow, {
      workflow: 'project.upgrade.workflow',
      builtFrom: 'the Python toolchain and the database',
      file: UPGRADE_WORKFLOW_PATH,
    });
    this.derived.sync(this.builders);

    const file = this.workflow.file!;
    file.addOverride('permissions', { contents: 'read' });
    if (ci.pinActionsToSha) PinnedActionsYamlFile.adopt(file, refs.comments);
  }

  /**
   * Jobs edited in `.projenrc.ts` whose facts changed too, as problems (empty: none).
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    return this.derived.sync(this.builders, true);
  }

  public preSynthesize(): void {
    const found = this._checkProblems();
    if (found.length > 0) throw new ServiceConfigError(`UpgradeWorkflow (${UPGRADE_WORKFLOW_PATH})`, found);
    this.derived.sync(this.builders);
  }
}

