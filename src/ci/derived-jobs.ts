import * as github from 'projen/lib/github';
import { DerivedAction, reconcileDerived } from '../core/derived';
import { OptionProblem, Problems } from '../core/problems';

/**
 * The jobs of a workflow that a component builds from live models, kept in line with them at synth
 * (see {@link reconcileDerived}): a job that was not edited in `.projenrc.ts` is rebuilt (or removed
 * when its model no longer wants it), an edited one is kept while what it is built from did not
 * change, and a conflict is reported when both changed.
 */
export class DerivedJobs {
  /**
   * Each job as it was last built (JSON: the builder's output, and the job as the workflow stored it),
   * to tell the user's edits from the models' changes.
   */
  private readonly built = new Map<string, { readonly built: string; readonly stored: string }>();

  /**
   * @param workflow the workflow the jobs are in
   * @param names how the conflict message names the workflow in `.projenrc.ts` (`project.ci.workflow`),
   *   what the jobs are built from (`the Docker stages and the database`) and the workflow file
   */
  constructor(
    private readonly workflow: github.GithubWorkflow,
    private readonly names: { readonly workflow: string; readonly builtFrom: string; readonly file: string },
  ) {}

  /**
   * Brings the jobs in line with `builders` (job id -> builder): a job built before whose id is no
   * longer there is removed unless edited. With `dryRun`, changes nothing and returns the conflicts.
   */
  public sync(builders: ReadonlyMap<string, () => github.workflows.Job>, dryRun = false): OptionProblem[] {
    const problems = new Problems();
    const ids = [...new Set([...this.built.keys(), ...builders.keys()])];
    for (const id of ids) {
      const job = this.workflow.getJob(id);
      const current = job === undefined ? undefined : JSON.stringify(job);
      const build = builders.get(id);
      const wanted = build?.();
      const wantedJson = wanted === undefined ? undefined : JSON.stringify(wanted);
      // The workflow stores a job normalized (step ids); compare the builder's output with its own.
      const last = this.built.get(id);
      const stored = last?.stored;
      const action = reconcileDerived(current, stored, wantedJson !== undefined && last?.built === wantedJson ? stored : wantedJson);
      if (action === DerivedAction.CONFLICT) {
        problems.add(`${this.names.workflow} job "${id}"`, 'edited in .projenrc.ts',
          `is built from ${this.names.builtFrom}, and they changed too, so the edit (workflow.updateJob, patchStep, ...) would hide their change from ${this.names.file}; ` +
          'make the change in one place: change the component and leave the job to it, or write the edit as workflow.file.addOverride(...), which applies on top of the rebuilt job.');
        continue;
      }
      if (dryRun) continue;
      if ((action === DerivedAction.CREATE || action === DerivedAction.REPLACE) && wanted !== undefined && wantedJson !== undefined) {
        this.workflow.updateJob(id, wanted);
        this.built.set(id, { built: wantedJson, stored: JSON.stringify(this.workflow.getJob(id)) });
      } else if (action === DerivedAction.REMOVE) {
        this.workflow.removeJob(id);
        this.built.delete(id);
      }
    }
    return [...problems.all];
  }
}
