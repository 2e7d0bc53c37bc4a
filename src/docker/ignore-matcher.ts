/**
 * What every Dockerfile's build context leaves out, whatever the language: version control, node
 * modules, projen's own files. (The uv preset adds the Python ones.)
 */
export const BASE_DOCKERIGNORE: readonly string[] = [
  '.git',
  '.github',
  '**/node_modules',
  '.projen',
  '.projenrc.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.projen.json',
];

/** Whether Docker leaves a path out of the build context, and the line that decided it. */
export interface IgnoreDecision {
  /** Whether the path is left out. */
  readonly ignored: boolean;
  /**
   * The line, as written, that decided: the last pattern that excluded the path, or the last `!` exception
   * that re-included it.
   *
   * @default - none: no line matched, so the path is in the context
   */
  readonly line?: string;
}

/** `path.Clean` on slash-separated paths, as Go's filepath.Clean does it. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined === '' ? '.' : joined;
}

/**
 * Compiles one pattern to a regular expression with the semantics of Docker's pattern matcher
 * (Go's filepath.Match extended with `**`): `*` any run of non-`/` characters, `?` one non-`/`
 * character, `[...]` a character class (`[^...]` negated), `\` escapes the next character, and `**`
 * any number of directories (`**` at the end matches everything below).
 */
export function compileIgnorePattern(pattern: string): RegExp {
  let re = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++; // "**/" is read as "**"
        re += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) {
        re += '\\\\';
      } else {
        re += escapeChar(next);
        i++;
      }
    } else if (ch === '[') {
      const end = chars.indexOf(']', i + 1 + (chars[i + 1] === '^' ? 1 : 0) + 1);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      const negate = chars[i + 1] === '^';
      const body = chars.slice(i + (negate ? 2 : 1), end).map((c) => (c === '\\' || c === ']' || c === '[' ? `\\${c}` : c)).join('');
      re += negate ? `[^${body}]` : `[${body}]`;
      i = end;
    } else {
      re += escapeChar(ch);
    }
  }
  return new RegExp(`${re}$`);
}

/**
 * .dockerignore lines parsed and compiled once, to test many paths against them: build one per set of
 * lines and ask it for each path (parsing is the costly part).
 */
export class IgnoreMatcher {
  private readonly rules: IgnoreRule[];

  /** @param lines the .dockerignore lines, in order (comments and blank lines included) */
  constructor(lines: string[]) {
    this.rules = parseRules(lines);
  }

  /**
   * Whether Docker leaves `file` (a context-relative path) out of the build context, and the line that
   * decided: the last matching rule wins, and a rule that matches a parent directory matches everything
   * below it.
   */
  public decision(file: string): IgnoreDecision {
    const target = cleanPath(file.replace(/^\.\//, ''));
    // The path and each of its parent directories, shortest first.
    const parts = target.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let matched = false;
    let decidedBy: string | undefined;
    for (const rule of this.rules) {
      if (rule.exclusion !== matched) continue;
      if (candidates.some((c) => rule.regex.test(c))) {
        matched = !rule.exclusion;
        decidedBy = rule.line;
      }
    }
    return { ignored: matched, line: decidedBy };
  }

  /** Whether Docker leaves `file` (a context-relative path) out of the build context. */
  public ignores(file: string): boolean {
    return this.decision(file).ignored;
  }
}

/**
 * Whether Docker leaves `file` (a context-relative path) out of the build context under these
 * .dockerignore lines (one path; use an {@link IgnoreMatcher} for many).
 */
export function isIgnored(lines: readonly string[], file: string): boolean {
  return new IgnoreMatcher([...lines]).ignores(file);
}

/**
 * Like {@link isIgnored}, and also the line that decided (so a message can name the pattern to change).
 */
export function ignoreDecision(lines: readonly string[], file: string): IgnoreDecision {
  return new IgnoreMatcher([...lines]).decision(file);
}

/**
 * One .dockerignore line, normalized the way Docker reads it: trimmed, `!` split off, the path cleaned
 * (`a//b/../c` -> `a/c`) and a leading `/` dropped.
 */
interface IgnoreRule {
  readonly exclusion: boolean;
  readonly regex: RegExp;
  /** The line as written. */
  readonly line: string;
}

/** One literal character as regular-expression text. */
function escapeChar(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** Parses .dockerignore lines into rules, skipping comments and blank lines as Docker does. */
function parseRules(lines: readonly string[]): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exclusion = pattern.startsWith('!');
    if (exclusion) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    rules.push({ exclusion, regex: compileIgnorePattern(pattern), line });
  }
  return rules;
}
