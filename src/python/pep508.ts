/**
 * A small PEP 508 reader: enough to validate dependency strings and compare them by name.
 * It accepts `name[extras] specifiers ; marker` and `name[extras] @ url ; marker`.
 */

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const OP = '(?:~=|===|==|!=|<=|>=|<|>)';
const VERSION = '[0-9A-Za-z*+!._-]+';
const SPEC = `${OP}\\s*${VERSION}`;
const SPECS = `${SPEC}(?:\\s*,\\s*${SPEC})*`;
const EXTRAS = `\\[\\s*(?:${NAME}(?:\\s*,\\s*${NAME})*)?\\s*\\]`;

const REQUIREMENT = new RegExp(
  `^\\s*(${NAME})\\s*(${EXTRAS})?\\s*` +
    `(?:(?:\\(\\s*${SPECS}\\s*\\)|${SPECS})|@\\s*[a-zA-Z][a-zA-Z0-9+.-]*://\\S+)?` +
    '\\s*(?:;\\s*(\\S.*))?$',
);

/** A parsed requirement: its normalized name, its extras (normalized) and the original text. */
export interface Requirement {
  readonly name: string;
  readonly extras: string[];
  readonly text: string;
}

/** PEP 503 normalization: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Returns the requirement, or undefined when the string is not valid PEP 508. */
export function parseRequirement(text: string): Requirement | undefined {
  if (typeof text !== 'string') return undefined;
  const m = REQUIREMENT.exec(text);
  if (!m) return undefined;
  const extras = (m[2] ?? '').slice(1, -1).split(',').map((e) => e.trim()).filter(Boolean).map(normalizeName);
  return { name: normalizeName(m[1]), extras, text: text.trim() };
}

/** Whether `name` is a valid Python distribution name. */
export function isValidDistributionName(name: string): boolean {
  return new RegExp(`^${NAME}$`).test(name);
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
