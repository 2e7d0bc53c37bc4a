import { Problems } from './problems';
import { findSecret } from './secrets';

/** A Python identifier (package, module, variable). */
export const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One segment of a directory the service owns (tests, migrations, ...). */
export const DIR_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** An image digest. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * A Docker image repository without tag (distribution's grammar: lowercase components separated by
 * ".", "_", "__" or dashes, joined by "/").
 */
export const IMAGE_REPOSITORY = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;

/**
 * Typed readers for the options of one construct: each checks one value, records a problem under
 * `<path>.<name>` (with the caller's exact wording of what is accepted) and falls back to the
 * default, so every problem is collected before one error is thrown.
 */
export class OptionReader {
  constructor(private readonly problems: Problems, private readonly path: string) {}

  /** The option path of `name`, as the error shows it. */
  public at(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  /** Records a problem for `name`. */
  public problem(name: string, value: unknown, expected: string): void {
    this.problems.add(this.at(name), value, expected);
  }

  public bool(name: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(name, value, 'expected true or false.');
      return fallback;
    }
    return value;
  }

  /** A whole number from `min` to `max`; `expected` is the message when it is not. */
  public int(name: string, value: unknown, fallback: number, min: number, max: number, expected: string): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(name, value, expected);
      return fallback;
    }
    return value;
  }

  /** A string that passes `ok`; the fallback (possibly undefined) otherwise. */
  public str<F extends string | undefined>(
    name: string,
    value: unknown,
    fallback: F,
    ok: RegExp | ((v: string) => boolean),
    expected: string,
  ): string | F {
    if (value === undefined) return fallback;
    const passes = typeof value === 'string' && (ok instanceof RegExp ? ok.test(value) : ok(value));
    if (!passes) {
      this.problem(name, value, expected);
      return fallback;
    }
    return value as string;
  }

  /** A member of a string enum, named in the message as `EnumName.MEMBER`. */
  public enum<T extends string>(name: string, value: unknown, e: Record<string, string>, enumName: string, fallback: T): T {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && Object.values(e).includes(value)) return value as T;
    const members = Object.keys(e).map((k) => `${enumName}.${k}`).join(', ');
    this.problem(name, value, `expected one of ${members}.`);
    return fallback;
  }
}

/** Python keywords: not usable as a package, module or variable name. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def',
  'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is',
  'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Top-level packages the service imports: an application package with such a name would shadow them. */
export const SHADOWED_PACKAGES: ReadonlySet<string> = new Set([
  'fastapi', 'starlette', 'pydantic', 'uvicorn', 'sqlmodel', 'sqlalchemy', 'alembic', 'asyncpg',
  'httpx', 'pytest', 'typing', 'asyncio', 'json', 'os', 'sys', 're', 'uuid', 'logging', 'test', 'psycopg',
]);

/**
 * Why a Python identifier cannot name the application's top-level package (a keyword, or the name of
 * a library the service imports), or undefined when it can. Callers check identifier syntax first,
 * each with its own message.
 */
export function pythonPackageNameProblem(name: string): string | undefined {
  if (PYTHON_KEYWORDS.has(name)) {
    return `"${name}" is a Python keyword and cannot name a package, module or variable.`;
  }
  if (SHADOWED_PACKAGES.has(name.toLowerCase())) {
    return `a package named "${name}" would shadow the library of that name; choose another package name, e.g. "app".`;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Records a problem for every option value (at any depth of plain objects and arrays) that looks like
 * a credential. Secrets belong in the environment or in CI secrets, never in generated files.
 */
export function checkNoSecrets(problems: Problems, value: unknown, optionPath: string): void {
  if (typeof value === 'string') {
    const what = findSecret(value);
    if (what) {
      problems.add(
        optionPath,
        value,
        `looks like ${what}; secrets are never written to generated files: keep it in the environment (.env, not committed) or in CI secrets, and reference the variable's name instead.`,
      );
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkNoSecrets(problems, v, `${optionPath}[${i}]`));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      checkNoSecrets(problems, v, optionPath ? `${optionPath}.${k}` : k);
    }
  }
}
