import { DerivedAction, reconcileDerived } from '../../src/core/derived';

/** (current, built, wanted) → action: every case of a part built from a model that the user may also edit. */
describe('reconcileDerived', () => {
  test.each([
    ['never built, wanted: created', undefined, undefined, 'a', DerivedAction.CREATE],
    ['never built, not wanted: nothing', undefined, undefined, undefined, DerivedAction.NONE],
    ['never built, one of that name exists: the user\'s, kept', 'u', undefined, 'a', DerivedAction.KEEP],
    ['built, removed by the user: stays removed', undefined, 'a', 'b', DerivedAction.KEEP],
    ['built, untouched, model unchanged: nothing', 'a', 'a', 'a', DerivedAction.NONE],
    ['built, untouched, model changed: replaced', 'a', 'a', 'b', DerivedAction.REPLACE],
    ['built, untouched, model gives none: removed', 'a', 'a', undefined, DerivedAction.REMOVE],
    ['built, edited, model unchanged: the edit is kept', 'e', 'a', 'a', DerivedAction.KEEP],
    ['built, edited, model changed: conflict', 'e', 'a', 'b', DerivedAction.CONFLICT],
    ['built, edited, model gives none: conflict', 'e', 'a', undefined, DerivedAction.CONFLICT],
  ])('%s', (_label, current, built, wanted, action) => {
    expect(reconcileDerived(current, built, wanted)).toBe(action);
  });
});
