/**
 * Reading a runtime CMD the way the checks at synth need it: the arguments uvicorn gets, whether the
 * CMD runs it directly (`["uvicorn", ...]`, `["python", "-m", "uvicorn", ...]`) or through a shell
 * (`["sh", "-c", "exec uvicorn ... --port \"${PORT:-8000}\""]`), and what a shell word such as
 * `"${PORT:-8000}"` stands for.
 */

const SHELLS = new Set(['sh', 'bash', 'dash', '/bin/sh', '/bin/bash', '/usr/bin/sh', '/usr/bin/bash', '/bin/dash']);
const SEPARATORS = new Set([';', '&&', '||', '|', '&']);

/**
 * Splits a shell script into words, POSIX quoting rules for single quotes, double quotes and
 * backslashes; `;`, `&&`, `||`, `|` and `&` outside quotes are words of their own. Parameter
 * expansions are kept as written (`${PORT:-8000}`), for {@link shellWordValue}.
 */
export function shellWords(script: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const push = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '\'') {
      const end = script.indexOf('\'', i + 1);
      const stop = end < 0 ? script.length : end;
      word = (word ?? '') + script.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      let s = '';
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '\\' && i + 1 < script.length && '$`"\\\n'.includes(script[i + 1])) i++;
        s += script[i];
      }
      word = (word ?? '') + s;
    } else if (c === '\\' && i + 1 < script.length) {
      word = (word ?? '') + script[++i];
    } else if (/\s/.test(c)) {
      push();
    } else if (c === ';' || c === '|' || c === '&') {
      push();
      const two = script.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        words.push(two);
        i++;
      } else {
        words.push(c);
      }
    } else {
      word = (word ?? '') + c;
    }
  }
  push();
  return words;
}

/**
 * The arguments after `uvicorn` in a CMD (exec form), looked for in the command itself or, for
 * `sh -c '<script>'`, in the script's words (up to the end of that command); undefined when the CMD
 * runs no uvicorn that can be read.
 */
export function uvicornArgs(cmd: readonly string[]): string[] | undefined {
  let words: readonly string[] = cmd;
  const c = cmd.indexOf('-c');
  if (cmd.length > 0 && SHELLS.has(cmd[0]) && c >= 1 && c + 1 < cmd.length) words = shellWords(cmd[c + 1]);
  const at = words.findIndex((w) => w === 'uvicorn' || w.endsWith('/uvicorn'));
  if (at < 0) return undefined;
  const rest = words.slice(at + 1);
  const end = rest.findIndex((w) => SEPARATORS.has(w));
  return end < 0 ? rest : rest.slice(0, end);
}

/** What one argument stands for: a literal, or a variable with the value used when it is unset. */
export interface ShellWordValue {
  /** The variable read (`PORT` of `${PORT:-8000}`), if the word is one expansion. */
  readonly variable?: string;
  /** The literal, or the expansion's default (`8000` of `${PORT:-8000}`); undefined for `$PORT`. */
  readonly value?: string;
}

/** Reads `8000`, `$PORT`, `${PORT}`, `${PORT:-8000}` or `${PORT-8000}` (anything else is a literal). */
export function shellWordValue(word: string): ShellWordValue {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}$/.exec(word) ?? /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
  if (!m) return { value: word };
  return { variable: m[1], value: m[2] };
}

/** The value of `--name V` or `--name=V` in an argument list, if present. */
export function flagValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/**
 * The uvicorn server a runtime CMD starts, read once from the CMD (see {@link uvicornArgs}): what the
 * rules of the files that reach the running image compare with their own facts. Each flag is the word
 * as written (`8000`, `${PORT:-8000}`; {@link shellWordValue} tells what it stands for).
 */
export interface ServeCommand {
  /** The CMD, exec form. */
  readonly cmd: string[];
  /** uvicorn's arguments. */
  readonly args: string[];
  /** The application (`package.module:variable`), when the first argument names one. */
  readonly app?: string;
  readonly host?: string;
  readonly port?: string;
  readonly workers?: string;
  readonly gracefulShutdown?: string;
}

/** The uvicorn server `cmd` starts; undefined when it runs no uvicorn that can be read. */
export function serveCommandOf(cmd: readonly string[] | undefined): ServeCommand | undefined {
  const args = cmd ? uvicornArgs(cmd) : undefined;
  if (!cmd || !args) return undefined;
  const first = args[0];
  return {
    cmd: [...cmd],
    args,
    app: first !== undefined && !first.startsWith('-') ? first : undefined,
    host: flagValue(args, '--host'),
    port: flagValue(args, '--port'),
    workers: flagValue(args, '--workers'),
    gracefulShutdown: flagValue(args, '--timeout-graceful-shutdown'),
  };
}
