/**
 * PEP 508 dependency specifications, read in full: `name [extras] versionspec ; marker` and
 * `name [extras] @ url ; marker`, with the environment-marker grammar (`and`/`or`, parentheses,
 * comparisons of marker variables and quoted strings with a version operator, `in` or `not in`).
 *
 * A recursive-descent reader of the grammar in PEP 508 (and the PyPA "Dependency specifiers" spec
 * that continues it, which adds the `extras` and `dependency_groups` marker variables). It checks
 * syntax only: it evaluates nothing.
 */

import { findSecret } from '../core/secrets';

/** Marker variables (PEP 508, plus `extras` and `dependency_groups` from the PyPA spec). */
export const MARKER_VARIABLES: readonly string[] = [
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release',
  'platform_system', 'platform_version', 'platform_machine', 'platform_python_implementation',
  'implementation_name', 'implementation_version', 'extra', 'extras', 'dependency_groups',
];

/** A parsed requirement. */
export interface Requirement {
  /** PEP 503-normalized name. */
  readonly name: string;
  /** The requirement as written, without surrounding whitespace. */
  readonly text: string;
  /** Extras, as written. */
  readonly extras: readonly string[];
  /** Version specifiers without whitespace (`>=1,<2`), or '' when there are none. */
  readonly specifier: string;
  /** The URL of a `name @ url` requirement. */
  readonly url?: string;
  /** The environment marker after `;`, as written (trimmed). */
  readonly marker?: string;
}

/** Why a string is not a PEP 508 requirement. */
export interface RequirementError {
  /** 0-based index in the string where reading stopped. */
  readonly position: number;
  /** What the grammar accepts there. */
  readonly expected: string;
  /** Whether the error is inside the environment marker (after `;`). */
  readonly inMarker: boolean;
}

const LETTER_OR_DIGIT = /[A-Za-z0-9]/;
const VERSION_CHAR = /[A-Za-z0-9\-_.*+!]/;
/** Characters of a marker string besides letters, digits and the other kind of quote (PEP 508's python_str_c). */
const STRING_CHARS = new Set(' \t().{}-_*#:;,/?[]!~`@$%^&=+|<>'.split(''));
const VERSION_CMP = ['===', '==', '<=', '>=', '!=', '~=', '<', '>'];

class ParseError extends Error {
  constructor(readonly position: number, readonly expected: string, readonly inMarker: boolean) {
    super(expected);
  }
}

class Reader {
  public pos = 0;
  public inMarker = false;

  constructor(private readonly s: string) {}

  public get done(): boolean {
    return this.pos >= this.s.length;
  }

  public peek(n = 1): string {
    return this.s.slice(this.pos, this.pos + n);
  }

  public fail(expected: string, at = this.pos): never {
    throw new ParseError(at, expected, this.inMarker);
  }

  /** Skips spaces and tabs; returns how many. */
  public wsp(): number {
    const start = this.pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    return this.pos - start;
  }

  public take(literal: string): boolean {
    if (this.s.startsWith(literal, this.pos)) {
      this.pos += literal.length;
      return true;
    }
    return false;
  }

  public expect(literal: string, expected: string): void {
    if (!this.take(literal)) this.fail(expected);
  }

  /** Reads characters while `re` matches each. */
  public run(re: RegExp): string {
    const start = this.pos;
    while (!this.done && re.test(this.s[this.pos])) this.pos++;
    return this.s.slice(start, this.pos);
  }

  public slice(from: number, to = this.pos): string {
    return this.s.slice(from, to);
  }

  /** identifier: letterOrDigit, then letters, digits, `-`, `_`, `.`, ending with a letter or digit. */
  public identifier(what: string): string {
    const start = this.pos;
    if (!LETTER_OR_DIGIT.test(this.peek())) this.fail(what);
    const id = this.run(/[A-Za-z0-9._-]/);
    if (!LETTER_OR_DIGIT.test(id[id.length - 1])) this.fail(`${what} ending with a letter or digit`, start + id.length - 1);
    return id;
  }

  public versionCmp(): string | undefined {
    for (const op of VERSION_CMP) if (this.take(op)) return op;
    return undefined;
  }

  /** version_one: version_cmp wsp* version wsp*. */
  public versionOne(): string {
    const op = this.versionCmp();
    if (!op) this.fail('a version operator (==, !=, <=, >=, <, >, ~=, ===)');
    this.wsp();
    const version = this.run(VERSION_CHAR);
    if (!version) this.fail('a version (letters, digits, ".", "*", "+", "!", "-", "_")');
    this.wsp();
    return `${op}${version}`;
  }

  /** version_many: version_one ("," version_one)* ("," wsp*)?  (the PEP's own example `name>=3,`). */
  public versionMany(): string {
    const specs = [this.versionOne()];
    while (this.take(',')) {
      this.wsp();
      if (!VERSION_CMP.some((op) => this.peek(op.length) === op)) break;
      specs.push(this.versionOne());
    }
    return specs.join(',');
  }

  // ---- markers ----

  public marker(): void {
    this.markerAnd();
    while (this.keyword('or')) this.markerAnd();
  }

  private markerAnd(): void {
    this.markerExpr();
    while (this.keyword('and')) this.markerExpr();
  }

  /** `and`/`or` after optional whitespace, not the start of a longer word. */
  private keyword(word: string): boolean {
    const save = this.pos;
    this.wsp();
    if (this.take(word) && !/[A-Za-z0-9_]/.test(this.peek())) return true;
    this.pos = save;
    return false;
  }

  private markerExpr(): void {
    this.wsp();
    if (this.take('(')) {
      this.marker();
      this.wsp();
      this.expect(')', 'closing ")" of the parenthesized marker, "and" or "or"');
      return;
    }
    this.markerVar();
    this.markerOp();
    this.markerVar();
  }

  private markerVar(): void {
    this.wsp();
    const q = this.peek();
    if (q === '"' || q === "'") {
      this.pos++;
      for (;;) {
        if (this.done) this.fail(`closing ${q} of the marker string`);
        const c = this.peek();
        if (c === q) break;
        if (!LETTER_OR_DIGIT.test(c) && !STRING_CHARS.has(c) && !(c === '"' || c === "'")) {
          this.fail(`a character PEP 508 allows in a marker string (not ${JSON.stringify(c)})`);
        }
        this.pos++;
      }
      this.pos++;
      return;
    }
    const start = this.pos;
    const word = this.run(/[A-Za-z0-9_.]/);
    if (!MARKER_VARIABLES.includes(word)) {
      this.fail(`a marker variable (${MARKER_VARIABLES.join(', ')}) or a quoted string`, start);
    }
  }

  private markerOp(): void {
    const before = this.wsp();
    if (this.versionCmp()) return;
    const save = this.pos;
    if (before > 0 && this.take('in') && this.wsp() > 0) return;
    this.pos = save;
    if (before > 0 && this.take('not') && this.wsp() > 0 && this.take('in') && this.wsp() > 0) return;
    this.pos = save;
    this.fail('a marker operator (==, !=, <=, >=, <, >, ~=, ===, "in", "not in")');
  }
}

/** Reads a full requirement; throws {@link ParseError}. */
function read(text: string): Requirement {
  const r = new Reader(text);
  r.wsp();
  const name = r.identifier('a distribution name (letters, digits, ".", "_", "-", starting with a letter or digit)');
  r.wsp();
  let extras: string[] = [];
  if (r.take('[')) {
    r.wsp();
    if (!r.take(']')) {
      extras = [r.identifier('an extra name')];
      r.wsp();
      while (r.take(',')) {
        r.wsp();
        extras.push(r.identifier('an extra name'));
        r.wsp();
      }
      r.expect(']', 'a "," or the closing "]" of the extras');
    }
    r.wsp();
  }
  let specifier = '';
  let url: string | undefined;
  let canMark = true;
  if (r.take('@')) {
    r.wsp();
    const start = r.pos;
    url = r.run(/\S/);
    if (!isUrl(url)) r.fail('a URL with a scheme after "@", e.g. "https://example.com/pkg-1.0.tar.gz"', start);
    // A URL may contain ";": a marker after it must be separated by whitespace.
    canMark = r.wsp() > 0 || r.done;
  } else if (r.take('(')) {
    r.wsp();
    specifier = r.versionMany();
    r.expect(')', 'a "," or the closing ")" of the version specifiers');
    r.wsp();
  } else if (VERSION_CMP.some((op) => r.peek(op.length) === op)) {
    specifier = r.versionMany();
  }
  r.wsp();
  let marker: string | undefined;
  if (canMark && r.take(';')) {
    r.inMarker = true;
    const start = r.pos;
    r.wsp();
    if (r.done) r.fail('an environment marker after ";", e.g. python_version < "3.13"');
    r.marker();
    r.wsp();
    if (!r.done) r.fail('"and", "or" or the end of the marker');
    marker = r.slice(start).trim();
  }
  if (!r.done) {
    r.fail(url !== undefined
      ? 'whitespace then ";" and a marker, or the end, after the URL'
      : 'a version specifier, "[extras]", "@ url", "; marker" or the end');
  }
  return { name: normalizeName(name), text: text.trim(), extras, specifier, url, marker };
}

function isUrl(s: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** PEP 503 normalization: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Reads a requirement, or says where and why it is not PEP 508. */
export function readRequirement(text: string): Requirement | RequirementError {
  if (typeof text !== 'string') return { position: 0, expected: 'a string', inMarker: false };
  try {
    return read(text);
  } catch (e) {
    if (e instanceof ParseError) return { position: e.position, expected: e.expected, inMarker: e.inMarker };
    throw e;
  }
}

/** Whether {@link readRequirement} failed. */
export function isRequirementError(r: Requirement | RequirementError): r is RequirementError {
  return (r as RequirementError).expected !== undefined;
}

/** Returns the requirement, or undefined when the string is not valid PEP 508. */
export function parseRequirement(text: string): Requirement | undefined {
  const r = readRequirement(text);
  return isRequirementError(r) ? undefined : r;
}

/**
 * Why `text` is not a PEP 508 requirement, as the error shows it (position 1-based, with the text
 * from there), or undefined when it is one.
 */
export function requirementProblem(text: string): string | undefined {
  const r = readRequirement(text);
  if (!isRequirementError(r)) return undefined;
  const rest = typeof text === 'string' ? text.slice(r.position) : '';
  // The text from the position on helps find the mistake; never quoted when it holds a credential.
  const quoted = findSecret(text) ? '' : ` (${JSON.stringify(rest.length > 24 ? `${rest.slice(0, 24)}…` : rest)})`;
  const where = `at character ${r.position + 1}${rest ? quoted : ' (the end)'}`;
  return r.inMarker
    ? `invalid environment marker ${where}: expected ${r.expected}. A marker compares marker variables and quoted strings, joined by "and"/"or", e.g. "pywin32; sys_platform == 'win32'".`
    : `not a PEP 508 requirement ${where}: expected ${r.expected}; write "name", "name>=1.2", "name[extra]>=1,<2" or "name @ https://…".`;
}

/** Whether `name` is a valid Python distribution name. */
export function isValidDistributionName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}

/**
 * Merges user requirements over defaults: a user requirement replaces the default with the same
 * normalized name; order is defaults first, then new user entries.
 */
export function mergeRequirements(defaults: readonly string[], user: readonly Requirement[]): string[] {
  const byName = new Map<string, string>();
  for (const d of defaults) {
    const r = parseRequirement(d);
    if (!r) throw new Error(`internal: invalid default requirement ${d}`);
    byName.set(r.name, r.text);
  }
  for (const r of user) byName.set(r.name, r.text);
  return [...byName.values()];
}
