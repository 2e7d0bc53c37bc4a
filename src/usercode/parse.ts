import type { parser as lezerParser } from '@lezer/python';

type Parser = typeof lezerParser;
type SyntaxNode = ReturnType<Parser['parse']>['topNode'];

/** One module an `import` or `from … import` statement names. */
export interface PythonImport {
  /** 1-based line of the statement. */
  readonly line: number;
  /** Dotted module as written after `import` or `from` (without the leading dots); empty for `from . import x`. */
  readonly module: string;
  /** Leading dots of a relative import (`from ..a import b`: 2); 0 for an absolute import. */
  readonly level: number;
  /** Names after `from … import` (`*` for a star import); empty for `import a.b`. */
  readonly names: string[];
  /** Inside `if TYPE_CHECKING:` (or `if typing.TYPE_CHECKING:`): never executed at run time. */
  readonly typeOnly: boolean;
  /**
   * Inside a `try:` whose handlers catch `ImportError`, `ModuleNotFoundError`, `Exception`,
   * `BaseException` or everything, or a `with contextlib.suppress(ImportError…):` block: the code
   * copes with the module's absence.
   */
  readonly guarded: boolean;
  /** Inside a function or method body (imported when it runs, not when the module loads). */
  readonly inFunction: boolean;
}

let loaded: Parser | undefined;

/** The parser, loaded on first use: a synth with no Python file to read never loads it. */
function pythonParser(): Parser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (require('@lezer/python') as { parser: Parser }).parser;
  return loaded;
}

/** Whether the parser module has been loaded in this process (for the synth-speed test). */
export function parserLoaded(): boolean {
  return loaded !== undefined;
}

const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);

interface Context {
  readonly typeOnly: boolean;
  readonly guarded: boolean;
  readonly inFunction: boolean;
}

/**
 * Every import statement of a Python source, wherever it is (module level, inside `if`, `try`,
 * functions, classes, `match` cases), with the context that decides how it is judged. Dynamic imports
 * (`importlib.import_module`, `__import__`) are not statements and are not listed. A syntax error
 * loses only the statement it is in: the parser recovers and the rest is read.
 *
 * With the service's `pythonVersion` (the oldest it supports: `requires-python >= 3.N`), a branch
 * of `if sys.version_info >= (3, 11): … else: …` (or `<`, `>`, `<=`, `sys.version_info[:2]`) that
 * no supported version takes is skipped: `import tomli` under `if sys.version_info < (3, 11):`
 * never runs on 3.12.
 */
export function pythonImports(source: string, pythonVersion?: string): PythonImport[] {
  const minPython = pythonVersion?.split('.').map(Number);
  const tree = pythonParser().parse(source);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const text = (n: SyntaxNode): string => source.slice(n.from, n.to);
  const out: PythonImport[] = [];

  const visit = (node: SyntaxNode, ctx: Context): void => {
    switch (node.name) {
      case 'ImportStatement':
        out.push(...importsOf(node, text, lineOf(node.from), ctx));
        return;
      case 'FunctionDefinition':
      case 'LambdaExpression':
        children(node).forEach((c) => visit(c, { ...ctx, inFunction: true }));
        return;
      case 'IfStatement': {
        // `if TYPE_CHECKING:` — only its first body is type-only; elif/else bodies run. A branch a
        // `sys.version_info` test rules out on every Python the service supports never runs.
        const kids = children(node);
        let typeOnly = false;
        let dead = false;
        let earlierAlwaysTrue = false;
        let first = true;
        for (let i = 0; i < kids.length; i++) {
          const c = kids[i];
          if (c.name === 'if' || c.name === 'elif') {
            const cond = kids[i + 1];
            const value = cond && minPython ? versionTest(cond, text, minPython) : undefined;
            typeOnly = first && cond !== undefined && isTypeChecking(cond, text);
            dead = earlierAlwaysTrue || value === false;
            earlierAlwaysTrue ||= value === true;
            first = false;
          } else if (c.name === 'else') {
            typeOnly = false;
            dead = earlierAlwaysTrue;
          } else if (c.name === 'Body') {
            if (!dead) visit(c, typeOnly ? { ...ctx, typeOnly: true } : ctx);
          } else {
            visit(c, ctx);
          }
        }
        return;
      }
      case 'TryStatement': {
        const kids = children(node);
        const guarded = catchesImportError(kids, text);
        let firstBody = true;
        for (const c of kids) {
          const isBody = c.name === 'Body';
          visit(c, isBody && firstBody && guarded ? { ...ctx, guarded: true } : ctx);
          if (isBody) firstBody = false;
        }
        return;
      }
      case 'WithStatement': {
        const kids = children(node);
        const guarded = kids.some((c) => c.name !== 'Body' && suppressesImportError(c, text));
        kids.forEach((c) => visit(c, c.name === 'Body' && guarded ? { ...ctx, guarded: true } : ctx));
        return;
      }
      default:
        children(node).forEach((c) => visit(c, ctx));
    }
  };
  visit(tree.topNode, { typeOnly: false, guarded: false, inFunction: false });
  return out;
}

/**
 * The value of `sys.version_info OP (3, N)` on every Python from `min` on: `true` or `false` when
 * all agree, undefined when they do not or the condition is not such a test. `version_info` is
 * `(3, N, patch, …)`: against a 1- or 2-tuple it is greater when the prefix is equal;
 * `version_info[:2]` is exactly `(3, N)`.
 */
function versionTest(cond: SyntaxNode, text: (n: SyntaxNode) => string, min: number[]): boolean | undefined {
  if (cond.name !== 'BinaryExpression') return undefined;
  const [left, op, right] = children(cond);
  if (!left || op?.name !== 'CompareOp' || right?.name !== 'TupleExpression') return undefined;
  // `sys.version_info`, or `sys.version_info[:2]` / `[0:2]`.
  const isVersionInfo = (n: SyntaxNode): boolean => n.name === 'MemberExpression'
    && children(n).map((c) => `${c.name}:${text(c)}`).join(' ') === 'VariableName:sys .:. PropertyName:version_info';
  const leftKids = children(left);
  const sliced = left.name === 'MemberExpression' && leftKids.length > 0 && isVersionInfo(leftKids[0])
    && ['[:2]', '[0:2]'].includes(leftKids.slice(1).map(text).join(''));
  if (!sliced && !isVersionInfo(left)) return undefined;
  const numbers = children(right).filter((c) => c.name === 'Number').map((c) => Number(text(c)));
  if (numbers.length === 0 || numbers.length > 2 || numbers.some((n) => !Number.isInteger(n))) return undefined;
  const prefix = min.slice(0, numbers.length);
  const cmp = prefix[0] - numbers[0] || (prefix[1] ?? 0) - (numbers[1] ?? 0);
  // The version's own sign against the tuple: equal prefixes make the full version_info greater.
  const sign = cmp !== 0 ? Math.sign(cmp) : sliced && numbers.length === 2 ? 0 : 1;
  const atMin: Record<string, boolean> = { '>=': sign >= 0, '>': sign > 0, '<': sign < 0, '<=': sign <= 0 };
  const value = atMin[text(op)];
  if (value === undefined) return undefined;
  // Newer versions only make `>`/`>=` truer and `<`/`<=` falser.
  const growsTrue = text(op).startsWith('>');
  if (growsTrue && value) return true;
  if (!growsTrue && !value) return false;
  return undefined;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Names (`VariableName`, `PropertyName`) anywhere below a node. */
function namesIn(node: SyntaxNode, text: (n: SyntaxNode) => string): string[] {
  if (node.name === 'VariableName' || node.name === 'PropertyName') return [text(node)];
  return children(node).flatMap((c) => namesIn(c, text));
}

function isTypeChecking(cond: SyntaxNode, text: (n: SyntaxNode) => string): boolean {
  if (cond.name === 'VariableName') return text(cond) === 'TYPE_CHECKING';
  if (cond.name === 'MemberExpression') {
    const last = cond.lastChild;
    return last?.name === 'PropertyName' && text(last) === 'TYPE_CHECKING';
  }
  return false;
}

/** Whether one of a try statement's `except` clauses catches a failed import. */
function catchesImportError(kids: SyntaxNode[], text: (n: SyntaxNode) => string): boolean {
  for (let i = 0; i < kids.length; i++) {
    if (kids[i].name !== 'except') continue;
    // The clause: `except` [type] [`as` name] Body.
    const clause: SyntaxNode[] = [];
    for (let j = i + 1; j < kids.length && kids[j].name !== 'Body' && kids[j].name !== 'as'; j++) clause.push(kids[j]);
    if (clause.length === 0) return true; // bare `except:`
    if (clause.flatMap((c) => namesIn(c, text)).some((n) => IMPORT_ERRORS.has(n))) return true;
  }
  return false;
}

/** `with suppress(ImportError):` / `with contextlib.suppress(ModuleNotFoundError, …):`. */
function suppressesImportError(node: SyntaxNode, text: (n: SyntaxNode) => string): boolean {
  if (node.name === 'CallExpression') {
    const callee = node.firstChild;
    const args = node.lastChild;
    const name = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
    if (name && text(name) === 'suppress' && args?.name === 'ArgList' && namesIn(args, text).some((n) => IMPORT_ERRORS.has(n))) {
      return true;
    }
  }
  return children(node).some((c) => suppressesImportError(c, text));
}

/** The modules one import statement names (the parse tree of an import is a flat run of tokens). */
function importsOf(node: SyntaxNode, text: (n: SyntaxNode) => string, line: number, ctx: Context): PythonImport[] {
  const tokens = children(node).filter((c) => !c.type.isError && c.name !== 'Comment');
  const base = { line, ...ctx };
  if (tokens[0]?.name === 'from') {
    let i = 1;
    let level = 0;
    for (; i < tokens.length && (tokens[i].name === '.' || tokens[i].name === 'Ellipsis'); i++) {
      level += tokens[i].name === 'Ellipsis' ? 3 : 1;
    }
    const parts: string[] = [];
    for (; i < tokens.length && tokens[i].name !== 'import'; i++) {
      if (tokens[i].name === 'VariableName') parts.push(text(tokens[i]));
    }
    const names: string[] = [];
    let afterAs = false;
    for (i++; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.name === 'as') afterAs = true;
      else if (t.name === ',') afterAs = false;
      else if (t.name === '*') names.push('*');
      else if (t.name === 'VariableName' && !afterAs) names.push(text(t));
    }
    if (parts.length === 0 && level === 0) return [];
    return [{ ...base, module: parts.join('.'), level, names }];
  }
  if (tokens[0]?.name !== 'import') return [];
  // `import a.b as c, d`: dotted names separated by commas, each with an optional alias.
  const out: PythonImport[] = [];
  let parts: string[] = [];
  let afterAs = false;
  const flush = (): void => {
    if (parts.length > 0) out.push({ ...base, module: parts.join('.'), level: 0, names: [] });
    parts = [];
    afterAs = false;
  };
  for (const t of tokens.slice(1)) {
    if (t.name === ',') flush();
    else if (t.name === 'as') afterAs = true;
    else if (t.name === 'VariableName' && !afterAs) parts.push(text(t));
  }
  flush();
  return out;
}
