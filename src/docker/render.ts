/**
 * Text helpers for rendering Dockerfile instructions. Every value the model holds goes through one of
 * these, so quoting is decided in one place.
 */

/** Characters that may appear in an unquoted Dockerfile word (variable references `$X`/`${X}` included). */
const BARE_WORD = /^[A-Za-z0-9_./:@%+=,$\-{}]+$/;

/** Characters of an unquoted ENV/LABEL/ARG key. */
const BARE_KEY = /^[A-Za-z0-9_.\-/]+$/;

/**
 * A value for ENV, LABEL or ARG: bare when it is one safe word, otherwise double-quoted with `\` and `"`
 * escaped. `$NAME` and `${NAME}` stay variable references, as Docker reads them.
 */
export function quoteValue(value: string): string {
  if (value !== '' && BARE_WORD.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A value written literally: like {@link quoteValue}, but a `$` is escaped as `\$`, so Docker keeps it
 * as text instead of expanding a variable (for text the user wrote, such as a description).
 */
export function quoteLiteral(value: string): string {
  if (!value.includes('$')) return quoteValue(value);
  return `"${value.replace(/[\\"$]/g, (ch) => `\\${ch}`)}"`;
}

/** A key for ENV, LABEL or ARG: bare when safe, otherwise double-quoted. */
export function quoteKey(key: string): string {
  return BARE_KEY.test(key) ? key : quoteValue(key);
}

/** An exec-form argument list: a JSON array of strings, one space after each comma. */
export function jsonArray(args: readonly string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/** Whether a path can be written unquoted in a COPY (otherwise the JSON form is used). */
export function isBarePath(p: string): boolean {
  return p !== '' && BARE_WORD.test(p);
}

/**
 * One field of a `--mount=` flag. BuildKit reads the flag as CSV: a field holding a comma or a quote is
 * wrapped in double quotes with inner quotes doubled.
 */
export function csvField(key: string, value?: string): string {
  const field = value === undefined ? key : `${key}=${value}`;
  return /[",\s]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Joins the parts of one instruction, continuing on the next line (indented) after each part but the first. */
export function continued(first: string, rest: readonly string[]): string {
  return rest.length === 0 ? first : [first, ...rest].join(' \\\n    ');
}

/** Whether the text contains a line break (Dockerfile values cannot). */
export function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}

/**
 * `KEYWORD key=value`, one pair per continued line (ENV, LABEL). With `literal`, a `$` in a value is text,
 * not a variable reference.
 */
export function renderPairs(keyword: string, pairs: { [key: string]: string }, literal: boolean = false): string {
  const quote = literal ? quoteLiteral : quoteValue;
  const items = Object.entries(pairs).map(([k, v]) => `${quoteKey(k)}=${quote(v)}`);
  return continued(`${keyword} ${items[0] ?? ''}`, items.slice(1));
}
