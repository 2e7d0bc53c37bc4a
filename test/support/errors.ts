import { ServiceConfigError } from '../../src/core/problems';

/**
 * Runs `fn`, which must throw a {@link ServiceConfigError}, and returns its problem lines as the
 * user reads them (`option: got value; fix`), without the header.
 */
export function problemLinesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceConfigError);
    return (e as Error).message.split('\n').slice(1).map((l) => l.trim().replace(/^- /, ''));
  }
  throw new Error('expected a ServiceConfigError');
}

/** What `fn` throws (undefined when it returns). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
