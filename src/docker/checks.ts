import { ContextExclusion } from './dockerignore';
import { IgnoreMatcher } from './ignore-matcher';
import { ArgInstruction, CopyInstruction, DockerStage, EnvInstruction, ExecFormInstruction, ExposeInstruction, HealthcheckInstruction, IDockerInstruction, LabelInstruction, MountType, RawInstruction, RunInstruction, UserInstruction, WorkdirInstruction } from './model';
import { hasLineBreak } from './render';
import { IMAGE_WITH_TAG } from './resolve';
import { DIGEST } from '../core/option-reader';
import { OptionProblem, Problems } from '../core/problems';
import { VERSIONS } from '../core/versions';

/** Stage names Docker accepts (BuildKit: a letter, then letters, digits, `-`, `_`, `.`; lowercase). */
const STAGE_NAME = /^[a-z][a-z0-9._-]*$/;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UV_REPOS = ['ghcr.io/astral-sh/uv', 'astral/uv', 'docker.io/astral/uv', 'docker.io/library/astral/uv'];
/** An exact uv release tag, optionally with a variant suffix (`0.9.7`, `0.9.7-python3.12-trixie-slim`). */
const UV_EXACT_TAG = /^[0-9]+\.[0-9]+\.[0-9]+(-[A-Za-z0-9._-]+)?$/;
const KNOWN_KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** What the Dockerfile checks need besides the stages. */
export interface DockerfileCheckOptions {
  /** Path of the Dockerfile, used in messages. */
  readonly dockerfile: string;
  /** Stages, in file order. */
  readonly stages: readonly DockerStage[];
  /** Name of the stage that runs in production (checked for a non-root USER), if that check is on. */
  readonly runtimeStage?: string;
  /** Whether the runtime stage must end with a non-root USER. */
  readonly requireNonRootUser: boolean;
  /** Whether CMD and ENTRYPOINT must be in exec form (a raw shell-form line is an error). */
  readonly requireExecForm: boolean;
  /** .dockerignore lines and the file's path, when there is one. */
  readonly dockerignore?: DockerignoreCheck;
}

/** The ignore file and what it must let in and keep out. */
export interface DockerignoreCheck {
  /** Path of the ignore file, used in messages. */
  readonly path: string;
  /** Its lines, in order. */
  readonly lines: readonly string[];
  /** The option a line came from (`dockerOptions.ignorePatterns[0]`), if the user wrote it as an option. */
  readonly originOf?: (line: string) => string | undefined;
  /** Context files the image needs besides the COPY and bind sources. */
  readonly required?: readonly string[];
  /** Paths that must stay out of the context (secrets). */
  readonly exclusions?: readonly ContextExclusion[];
}

interface StageRef {
  readonly from: number;
  readonly to: string;
  readonly where: string;
}

/** Whether an image reference names uv's image. */
function uvRepoOf(ref: string): string | undefined {
  const noDigest = ref.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  const repo = colon >= 0 ? noDigest.slice(0, colon) : noDigest;
  return UV_REPOS.includes(repo.toLowerCase()) ? repo : undefined;
}

/** Whether `ref` is a Docker image reference, roughly: a name with an optional tag, and an optional `@<digest>`. */
function isImageRef(ref: string): boolean {
  const [name, digest, ...more] = ref.split('@');
  return more.length === 0 && IMAGE_WITH_TAG.test(name) && (digest === undefined || DIGEST.test(digest));
}

/** The problem with a uv image reference that is not pinned to an exact release, if any. */
function uvPinProblem(ref: string): string | undefined {
  const repo = uvRepoOf(ref);
  if (repo === undefined || ref.includes('$')) return undefined;
  const [name, digest] = ref.split('@');
  if (digest !== undefined && DIGEST.test(digest)) return undefined;
  const tag = name.slice(repo.length + 1);
  if (name.length > repo.length && UV_EXACT_TAG.test(tag)) return undefined;
  return `uv's image must be pinned to an exact release (e.g. "${repo}:${VERSIONS.uv}", the service's uvVersion) or a digest; a moving tag ("latest", "0.9", none) makes builds unreproducible.`;
}

/** Whether a USER value is root (name `root` or uid 0), ignoring the group. */
function isRootUser(value: string): boolean {
  const user = value.split(':')[0].trim();
  return user === 'root' || user === '0';
}

/** Shells an exec-form CMD may wrap a script in (`["sh", "-c", "…"]`). */
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);

/** The words of an exec-form (JSON array of strings) argument, or undefined when it is not one. */
function jsonWords(args: string): string[] | undefined {
  try {
    const words: unknown = JSON.parse(args);
    return Array.isArray(words) && words.every((w) => typeof w === 'string') ? words : undefined;
  } catch {
    return undefined;
  }
}

/** `--from=<x>` and `from=<x>` references in a raw line. */
function rawFromRefs(line: string): string[] {
  return [...line.matchAll(/(?:--from=|[\s,"]from=)([^\s,"]+)/g)].map((m) => m[1]);
}

/** The `location: value; fix` lines of every problem of a Dockerfile and its .dockerignore. */
export function checkDockerfile(o: DockerfileCheckOptions): OptionProblem[] {
  const problems = new Problems();
  const file = o.dockerfile;
  const stageIndex = new Map<string, number>();
  const refs: StageRef[] = [];

  if (o.stages.length === 0) {
    problems.add(file, [], 'has no stage; add one with addStage({ name, image }).');
  }

  // Stage names first: references are resolved against them.
  o.stages.forEach((stage, i) => {
    const at = `${file} stage #${i + 1} "${stage.name}"`;
    if (typeof stage.name !== 'string' || !STAGE_NAME.test(stage.name)) {
      problems.add(at, stage.name, 'is not a valid stage name; use lowercase letters, digits, "-", "_" or ".", starting with a letter (e.g. "builder").');
    }
    const key = String(stage.name).toLowerCase();
    const first = stageIndex.get(key);
    if (first !== undefined) {
      problems.add(at, stage.name, `duplicates the name of stage #${first + 1}; give every stage its own name.`);
    } else {
      stageIndex.set(key, i);
    }
  });

  const checkImage = (where: string, ref: string) => {
    if (!isImageRef(ref) && !ref.includes('$')) {
      problems.add(where, ref, 'is not an image reference; write "name[:tag][@sha256:<digest>]", e.g. "python:3.12-slim".');
    }
    if (stageIndex.has(ref.toLowerCase())) {
      problems.add(where, ref, `names a stage of this Dockerfile, not an image; use fromStage: "${ref}" instead.`);
    }
    const uv = uvPinProblem(ref);
    if (uv) problems.add(where, ref, uv);
  };

  const checkText = (where: string, value: string | undefined, what: string) => {
    if (value !== undefined && hasLineBreak(value)) {
      problems.add(where, value, `${what} contains a line break, which a Dockerfile cannot hold; write it on one line.`);
    }
  };

  o.stages.forEach((stage, si) => {
    const at = `${file} stage "${stage.name}"`;
    if ((stage.image === undefined) === (stage.fromStage === undefined)) {
      problems.add(`${at} FROM`, { image: stage.image, fromStage: stage.fromStage }, 'give exactly one of image (a base image) and fromStage (an earlier stage).');
    } else if (stage.fromStage !== undefined) {
      refs.push({ from: si, to: stage.fromStage, where: `${at} FROM` });
    } else if (stage.image !== undefined) {
      checkImage(`${at} FROM`, stage.image);
    }
    checkText(`${at} FROM --platform`, stage.platform, 'the platform');

    stage.instructions.forEach((ins, ii) => {
      const where = `${at} instruction #${ii + 1} (${ins.kind})`;
      checkInstruction(ins, where, si);
    });
  });

  /**
   * An exec-form CMD or ENTRYPOINT that runs a shell script (`["sh", "-c", "…"]`, e.g. to expand `$PORT`)
   * keeps the shell as PID 1, and the stop signal never reaches the server, unless the script's last
   * command replaces the shell with `exec`: the same reason shell form is refused.
   */
  function checkShellWrapper(where: string, kw: string, args: readonly string[]): void {
    const shell = args[0] === undefined ? '' : args[0].split('/').pop()!;
    if (!SHELLS.has(shell) || !/^-[a-z]*c[a-z]*$/.test(args[1] ?? '') || args[2] === undefined) return;
    const last = args[2].split(/;|&&|\|\||\n/).map((c) => c.trim()).filter((c) => c !== '').pop() ?? '';
    // a pipe, or "&" at the end, runs the command in a child of the shell even after exec
    if (!/^exec\s+\S/.test(last) || /\|/.test(last) || /&\s*$/.test(last)) {
      problems.add(where, args, `${kw} runs a shell script whose last command does not replace the shell, so ${args[0]} stays PID 1 and the process never gets the stop signal; end the script with "exec <command>" (e.g. ["sh", "-c", "exec uvicorn app.main:app --port \${PORT:-8000}"]).`);
    }
  }

  function checkInstruction(ins: IDockerInstruction, where: string, si: number): void {
    if (ins instanceof CopyInstruction) {
      const opt = ins.options;
      if (opt.fromStage !== undefined && opt.fromImage !== undefined) {
        problems.add(where, { fromStage: opt.fromStage, fromImage: opt.fromImage }, 'give at most one of fromStage and fromImage.');
      }
      if (opt.fromStage !== undefined) refs.push({ from: si, to: opt.fromStage, where: `${where} --from` });
      if (opt.fromImage !== undefined) checkImage(`${where} --from`, opt.fromImage);
      if (ins.sources.length === 0) problems.add(where, ins.sources, 'needs at least one source path.');
      if (ins.destination === '') problems.add(where, ins.destination, 'needs a destination path.');
      for (const p of [...ins.sources, ins.destination]) checkText(where, p, 'a path');
      checkText(where, opt.chown, '--chown');
      if (opt.chmod !== undefined && !/^([0-7]{3,4}|[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*)$/.test(opt.chmod)) {
        problems.add(`${where} --chmod`, opt.chmod, 'expected an octal mode such as "0755" or a symbolic one such as "u=rwX,go=rX".');
      }
    } else if (ins instanceof RunInstruction) {
      if (ins.commands.length === 0 || ins.commands.some((c) => c.trim() === '')) {
        problems.add(where, ins.commands, 'needs at least one command, and no empty one.');
      }
      if (!ins.execForm) for (const c of ins.commands) checkText(where, c, 'a command');
      ins.mounts.forEach((m, mi) => {
        const mw = `${where} --mount #${mi + 1} (type=${m.type})`;
        if (m.fromStage !== undefined) refs.push({ from: si, to: m.fromStage, where: `${mw} from` });
        if (m.fromImage !== undefined) checkImage(`${mw} from`, m.fromImage);
        if (m.type !== MountType.SECRET && (m.target === undefined || m.target.trim() === '')) {
          problems.add(mw, m.target, 'needs a target path.');
        }
        const rendered = m.render();
        if (m.type === MountType.SECRET && rendered.indexOf(',id=') < 0) {
          problems.add(mw, undefined, 'needs the secret id.');
        }
        checkText(mw, rendered, 'the mount');
      });
    } else if (ins instanceof EnvInstruction || ins instanceof LabelInstruction) {
      const pairs = Object.entries(ins instanceof EnvInstruction ? ins.variables : ins.labels);
      if (pairs.length === 0) problems.add(where, {}, 'needs at least one key.');
      for (const [k, v] of pairs) {
        if (k === '' || /[=\s]/.test(k)) problems.add(where, k, 'keys must be non-empty, without "=" or whitespace.');
        checkText(`${where} ${k}`, v, 'the value');
      }
    } else if (ins instanceof ArgInstruction) {
      if (!ARG_NAME.test(ins.name)) problems.add(where, ins.name, 'expected a build argument name: letters, digits and "_", not starting with a digit.');
      checkText(where, ins.defaultValue, 'the default value');
    } else if (ins instanceof WorkdirInstruction) {
      if (!ins.path.startsWith('/') && !ins.path.startsWith('$')) {
        problems.add(where, ins.path, 'expected an absolute path such as "/app": a relative WORKDIR depends on the base image.');
      }
      checkText(where, ins.path, 'the path');
    } else if (ins instanceof UserInstruction) {
      for (const part of [ins.name, ins.group]) {
        if (part !== undefined && !/^[A-Za-z0-9_$][A-Za-z0-9_.${}-]*$/.test(part)) {
          problems.add(where, part, 'expected a user or group name or a numeric id (no ":" or whitespace; give the group separately).');
        }
      }
    } else if (ins instanceof ExposeInstruction) {
      if (!Number.isInteger(ins.port) || ins.port < 1 || ins.port > 65535) {
        problems.add(where, ins.port, 'expected an integer port from 1 to 65535.');
      }
    } else if (ins instanceof HealthcheckInstruction) {
      if (ins.command !== undefined && ins.command.length === 0) {
        problems.add(where, ins.command, 'needs a command (use healthcheckNone() to disable the check).');
      }
      for (const [k, v] of Object.entries(ins.options)) {
        if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
          problems.add(`${where} ${k}`, v, 'expected a whole number of at least 1 (leave it out for the Docker default).');
        }
      }
    } else if (ins instanceof ExecFormInstruction) {
      if (o.requireExecForm) checkShellWrapper(where, ins.kind, ins.args);
    } else if (ins instanceof RawInstruction) {
      const kw = ins.keyword;
      if (kw === 'FROM') {
        problems.add(where, ins.line, 'a stage cannot start inside another one; add it with addStage() (or insertStage()).');
      } else if (kw !== '' && !KNOWN_KEYWORDS.has(kw)) {
        problems.add(where, ins.line, `"${kw}" is not a Dockerfile instruction; use a comment() for text.`);
      }
      const args = ins.line.trim().slice(kw.length).trim();
      if (o.requireExecForm && (kw === 'CMD' || kw === 'ENTRYPOINT')) {
        if (!args.startsWith('[')) {
          problems.add(where, ins.line, `${kw} must be in exec form (a JSON array) so the process gets signals as PID 1; use DockerInstruction.${kw === 'CMD' ? 'cmd' : 'entrypoint'}(["executable", "arg"]).`);
        } else {
          const words = jsonWords(args);
          if (words) checkShellWrapper(where, kw, words);
        }
      }
      for (const ref of rawFromRefs(ins.line)) {
        // Docker reads a name that matches a stage as that stage, anything else as an image.
        if (stageIndex.has(ref.toLowerCase())) {
          refs.push({ from: si, to: ref, where: `${where} --from` });
        } else {
          checkImage(`${where} --from`, ref);
        }
      }
    }
  }

  // References to stages: they must exist and come earlier.
  for (const ref of refs) {
    const target = stageIndex.get(ref.to.toLowerCase());
    if (target === undefined) {
      const earlier = o.stages.slice(0, ref.from).map((s) => `"${s.name}"`);
      problems.add(ref.where, ref.to, `names no stage of this Dockerfile; use ${earlier.length > 0 ? `an earlier stage (${earlier.join(', ')})` : 'a stage defined before this one'}, or fromImage for an image.`);
    } else if (target >= ref.from) {
      problems.add(ref.where, ref.to, target === ref.from
        ? 'names its own stage; a stage can only use stages defined before it.'
        : `names stage #${target + 1}, which comes later; move "${o.stages[target].name}" before "${o.stages[ref.from].name}" (stages can only use earlier stages).`);
    }
  }

  // Cycles in the stage graph (each one reported once, by its path).
  const edges = new Map<number, Set<number>>();
  for (const ref of refs) {
    const t = stageIndex.get(ref.to.toLowerCase());
    if (t === undefined) continue;
    if (!edges.has(ref.from)) edges.set(ref.from, new Set());
    edges.get(ref.from)!.add(t);
  }
  const state = new Map<number, 'open' | 'done'>();
  const seen = new Set<string>();
  const visit = (n: number, pathSoFar: number[]) => {
    state.set(n, 'open');
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') {
        const cycle = [...pathSoFar.slice(pathSoFar.indexOf(m)), m].map((i) => o.stages[i].name);
        const key = [...new Set(cycle)].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          problems.add(`${file} stages`, cycle.join(' -> '), 'form a cycle; a stage can only depend on stages built before it.');
        }
      } else if (state.get(m) === undefined) {
        visit(m, [...pathSoFar, m]);
      }
    }
    state.set(n, 'done');
  };
  for (let i = 0; i < o.stages.length; i++) if (!state.has(i)) visit(i, [i]);

  // The runtime stage must not run as root.
  if (o.requireNonRootUser && o.runtimeStage !== undefined) {
    const ri = stageIndex.get(o.runtimeStage.toLowerCase());
    if (ri === undefined) {
      problems.add(`${file} runtimeStage`, o.runtimeStage, `names no stage; use one of ${o.stages.map((s) => `"${s.name}"`).join(', ')}.`);
    } else {
      const user = lastUser(o.stages, ri, stageIndex);
      if (user === undefined) {
        problems.add(`${file} stage "${o.stages[ri].name}" USER`, null, 'the runtime stage sets no USER, so it runs as root; add DockerInstruction.user("10001", "10001") (a non-root user) after installing files.');
      } else if (isRootUser(user)) {
        problems.add(`${file} stage "${o.stages[ri].name}" USER`, user, 'the last USER of the runtime stage is root; end the stage with a non-root user, e.g. DockerInstruction.user("10001", "10001").');
      }
    }
  }

  if (o.dockerignore) checkContext(problems, file, o.stages, o.dockerignore);

  return [...problems.all];
}

/** One path, or several as a list (for the `got ...` part of a message). */
function oneOrMany(paths: readonly string[]): string | string[] {
  return paths.length === 1 ? paths[0] : [...paths];
}

/** Groups context paths by the ignore line that decided them (undefined: none matched), keeping order. */
function byDecidingLine(matcher: IgnoreMatcher, paths: readonly string[], ignored: boolean): Map<string | undefined, string[]> {
  const groups = new Map<string | undefined, string[]>();
  for (const p of paths) {
    const d = matcher.decision(p);
    if (d.ignored === ignored) groups.set(d.line, [...(groups.get(d.line) ?? []), p]);
  }
  return groups;
}

/**
 * The build context against the ignore file: every context path a COPY or bind mount reads, and every
 * required file, must be in it; every path that must stay out (secrets) must be left out. A problem caused
 * by a pattern the user gave as an option names that option and the pattern.
 */
function checkContext(problems: Problems, file: string, stages: readonly DockerStage[], ignore: DockerignoreCheck): void {
  const matcher = new IgnoreMatcher([...ignore.lines]);
  const origin = (line: string | undefined) => (line === undefined ? undefined : ignore.originOf?.(line));
  const reported = new Set<string>();

  stages.forEach((stage) => {
    stage.instructions.forEach((ins, ii) => {
      const where = `${file} stage "${stage.name}" instruction #${ii + 1} (${ins.kind})`;
      for (const src of contextSources(ins)) {
        if (/[*?[]/.test(src) || src.includes('$')) continue;
        const clean = src.replace(/^\.?\//, '').replace(/\/+$/, '');
        if (clean === '' || clean === '.') continue;
        const self = matcher.decision(clean);
        const inside = self.ignored ? self : matcher.decision(`${clean}/__dockerignore_probe__`);
        if (!inside.ignored) continue;
        reported.add(inside.line!);
        const from = origin(inside.line);
        const [what, exception] = self.ignored ? ['is excluded', clean] : ['everything inside it is excluded', `${clean}/**`];
        problems.add(where, src, from
          ? `${what} from the build context by ${from} (${JSON.stringify(inside.line)}) in ${ignore.path}; remove that pattern or add "!${exception}" after it.`
          : `${what} from the build context by ${ignore.path}; remove the matching pattern or add "!${exception}" after it.`);
      }
    });
  });

  // Files the image needs inside what it copies (a COPY of a directory does not fail on a missing file).
  for (const [line, paths] of byDecidingLine(matcher, ignore.required ?? [], true)) {
    if (reported.has(line!)) continue; // already reported for the COPY of the directory it is in
    const from = origin(line);
    const them = paths.length === 1 ? 'it' : 'them';
    const needed = paths.length === 1 ? 'is a file the image needs' : 'are files the image needs';
    const exceptions = paths.map((p) => `"!${p}"`).join(', ');
    problems.add(ignore.path, oneOrMany(paths), from
      ? `${needed}, but ${from} (${JSON.stringify(line)}) excludes ${them} from the build context; remove that pattern or add ${exceptions} after it.`
      : `${needed}, but the pattern ${JSON.stringify(line)} excludes ${them} from the build context; remove that pattern or add ${exceptions} after it.`);
  }

  // Paths that must stay out (secrets).
  for (const exclusion of ignore.exclusions ?? []) {
    for (const [line, paths] of byDecidingLine(matcher, exclusion.paths, false)) {
      const start = `must stay out of the build context (${exclusion.reason}), but`;
      const them = paths.length === 1 ? 'it' : 'them';
      if (line === undefined) {
        const patterns = exclusion.pattern !== undefined ? [exclusion.pattern] : paths;
        problems.add(ignore.path, oneOrMany(paths),
          `${start} no pattern of ${ignore.path} leaves ${them} out; add ${patterns.map((x) => `"${x}"`).join(', ')} at the end (ignore.addPatterns(${patterns.map((x) => JSON.stringify(x)).join(', ')})).`);
      } else {
        const from = origin(line);
        problems.add(ignore.path, oneOrMany(paths), from
          ? `${start} ${from} (${JSON.stringify(line)}) lets ${them} in; remove that pattern.`
          : `${start} the exception ${JSON.stringify(line)} lets ${them} in; remove that exception.`);
      }
    }
  }
}

/** Paths an instruction reads from the build context. */
function contextSources(ins: IDockerInstruction): string[] {
  if (ins instanceof CopyInstruction) {
    return ins.fromStage === undefined && ins.fromImage === undefined ? ins.sources : [];
  }
  if (ins instanceof RunInstruction) {
    return ins.mounts
      .filter((m) => m.type === MountType.BIND && m.fromStage === undefined && m.fromImage === undefined)
      .map((m) => m.source ?? '.');
  }
  return [];
}

/** The USER in effect at the end of a stage, following `fromStage` to earlier stages. */
export function lastUser(stages: readonly DockerStage[], index: number, names: Map<string, number>): string | undefined {
  const visited = new Set<number>();
  let i: number | undefined = index;
  while (i !== undefined && !visited.has(i)) {
    visited.add(i);
    const list = stages[i].instructions;
    for (let k = list.length - 1; k >= 0; k--) {
      const ins = list[k];
      if (ins instanceof UserInstruction) return ins.group === undefined ? ins.name : `${ins.name}:${ins.group}`;
      if (ins instanceof RawInstruction && ins.keyword === 'USER') return ins.line.trim().slice(4).trim();
    }
    const from: string | undefined = stages[i].fromStage;
    const next: number | undefined = from === undefined ? undefined : names.get(from.toLowerCase());
    i = next !== undefined && next < i ? next : undefined;
  }
  return undefined;
}
