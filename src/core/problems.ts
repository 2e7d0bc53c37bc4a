import { findSecret } from './secrets';

/**
 * One invalid option: where it is, what was given, and what would be accepted.
 */
export interface OptionProblem {
  /** Option path as written in `.projenrc.ts`, e.g. `docker.stages[1].name`. */
  readonly option: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What is accepted instead (the fix). */
  readonly expected: string;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json;
  } catch {
    return String(value);
  }
}

/** Renders one problem as the line the error message shows. */
export function formatProblem(p: OptionProblem): string {
  return `${p.option}: got ${show(p.value)}; ${p.expected}`;
}

/**
 * The single error thrown when options or generated files are invalid. It lists every problem found,
 * so a user fixes them all in one pass. Thrown before any file is written.
 */
export class ServiceConfigError extends Error {
  public readonly problems: OptionProblem[];

  constructor(scope: string, problems: OptionProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `${scope}: ${count} found, no file was written:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ServiceConfigError';
    this.problems = problems;
  }
}

/**
 * Collects problems while options are checked, then throws them together.
 */
export class Problems {
  private readonly list: OptionProblem[] = [];

  /** Records a problem. A value that holds a credential is recorded as `<redacted>`. */
  public add(option: string, value: unknown, expected: string): void {
    const secret = findSecret(typeof value === 'string' ? value : JSON.stringify(value) ?? '');
    this.list.push({ option, value: secret ? '<redacted>' : value, expected });
  }

  /** Problems recorded so far. */
  public get all(): readonly OptionProblem[] {
    return this.list;
  }

  /** Throws one {@link ServiceConfigError} listing every problem, if there is any. */
  public throwIfAny(scope: string): void {
    if (this.list.length > 0) {
      throw new ServiceConfigError(scope, [...this.list]);
    }
  }
}
