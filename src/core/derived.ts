/**
 * What to do at synth with a part of a generated file that a component builds from its model (a task,
 * a workflow job) and that `.projenrc.ts` may also edit directly (`task.exec`, `workflow.patchStep`).
 */
export enum DerivedAction {
  /** Nothing to do: the part is what the model gives, or the component never made it and nothing is wanted. */
  NONE = 'none',
  /** Add the part: the model wants it and it was never made. */
  CREATE = 'create',
  /** Rebuild the part from the live model (it was not edited since it was built). */
  REPLACE = 'replace',
  /** Remove the part: the model no longer has what it is built from (and it was not edited). */
  REMOVE = 'remove',
  /** Leave the part as it stands: an edit (or removal) of the user's that the model does not contradict. */
  KEEP = 'keep',
  /** The part was edited and the model it is built from changed too: neither can win silently. */
  CONFLICT = 'conflict',
}

/**
 * Decides what happens to a derived part at synth, from three snapshots (any stable serialization,
 * e.g. JSON): the part as it stands now, as the component last built it, and as the live model builds
 * it now. `undefined` means absent (never built, removed by the user, not wanted by the model).
 *
 * - never built: created when wanted; a part of that name the component did not make is the user's (kept);
 * - removed by the user after it was built: stays removed;
 * - untouched since built: follows the model (replaced, or removed when the model no longer wants it);
 * - edited since built: kept while the model still gives what it gave; a conflict when the model changed.
 */
export function reconcileDerived(current: string | undefined, built: string | undefined, wanted: string | undefined): DerivedAction {
  if (built === undefined) {
    if (current !== undefined) return DerivedAction.KEEP;
    return wanted === undefined ? DerivedAction.NONE : DerivedAction.CREATE;
  }
  if (current === undefined) return DerivedAction.KEEP;
  if (current === built) {
    if (wanted === undefined) return DerivedAction.REMOVE;
    return wanted === current ? DerivedAction.NONE : DerivedAction.REPLACE;
  }
  return wanted === built ? DerivedAction.KEEP : DerivedAction.CONFLICT;
}
