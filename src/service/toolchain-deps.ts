import * as path from 'path';
import { PROJEN_NEW_KEY } from '../core/known-options';
import { Problems } from '../core/problems';
import { VERSIONS } from '../core/versions';

/** npm name of this library. */
export const LIBRARY_NAME = 'projen-uv-service';

/** fqn of the project type, as `projen new` records it under `__new__`. */
export const PROJECT_FQN = `${LIBRARY_NAME}.UvPythonService`;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const LIBRARY_VERSION: string = require('../../package.json').version;

/** npm package name, scoped or not (npm's rules for new packages: lower case, URL-safe). */
const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** The package.json version of this library when nothing else is asked for: the running release. */
export function defaultLibraryVersion(): string {
  return LIBRARY_VERSION === '0.0.0' ? '*' : `^${LIBRARY_VERSION}`;
}

/** Whether an npm spec is a local path (a tarball of any file name, or a directory): npm reads those as `file:`. */
function isLocalPath(spec: string): boolean {
  return /^(\.{1,2}([\\/]|$)|[\\/]|~[\\/]|[A-Za-z]:[\\/])/.test(spec) || /\.(tgz|tar\.gz|tar)$/i.test(spec);
}

/**
 * Whether a string is an npm spec of this library rather than a Python requirement: the library's
 * name (with or without `@version`), a `file:` spec, or a local path such as a tarball of any name.
 */
export function isNpmSpecOfLibrary(spec: string): boolean {
  return spec === LIBRARY_NAME || spec.startsWith(`${LIBRARY_NAME}@`) || spec.startsWith('file:') ||
    // Not a Python URL requirement ("pkg @ file:///x/pkg-1.0.tar.gz"): no "@", no whitespace, no marker.
    (isLocalPath(spec) && !/[\s@;]/.test(spec));
}

/**
 * The `toolchainDeps` entry that installs this library from the spec `projen new --from` was given:
 * `projen-uv-service` -> `projen-uv-service@^<running version>`; `projen-uv-service@<range>` as is; a
 * tarball or directory path (any file name) -> `projen-uv-service@file:<absolute path>`; `file:<path>`
 * kept as written; anything else npm installs (git, URL) -> `projen-uv-service@<spec>`.
 */
export function libraryEntryFor(spec: string): string {
  if (spec === LIBRARY_NAME) return `${LIBRARY_NAME}@${defaultLibraryVersion()}`;
  if (spec.startsWith(`${LIBRARY_NAME}@`)) return spec;
  if (spec.startsWith('file:')) return `${LIBRARY_NAME}@${spec}`;
  if (isLocalPath(spec)) return `${LIBRARY_NAME}@file:${path.resolve(spec)}`;
  return `${LIBRARY_NAME}@${spec}`;
}

/** Splits `name@spec` (scoped names start with `@`); spec '' for a bare name. */
function splitSpec(entry: string): { name: string; spec: string } {
  const at = entry.indexOf('@', 1);
  return at < 0 ? { name: entry, spec: '' } : { name: entry.slice(0, at), spec: entry.slice(at + 1) };
}

/**
 * `toolchainDeps` resolved to package.json devDependencies: the defaults (projen, constructs, tsx and
 * this library), each replaced by an entry of the same name, then the other entries.
 */
export function resolveToolchainDeps(problems: Problems, value: unknown): { [name: string]: string } {
  const deps: { [name: string]: string } = {
    constructs: VERSIONS.constructs,
    projen: VERSIONS.projen,
    [LIBRARY_NAME]: defaultLibraryVersion(),
    tsx: VERSIONS.tsx,
  };
  if (value === undefined) return deps;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.add('toolchainDeps', value,
      `expected an array of npm specs such as "${LIBRARY_NAME}@^1.2.0" or "${LIBRARY_NAME}@file:../${LIBRARY_NAME}-1.2.0.tgz".`);
    return deps;
  }
  const seen = new Set<string>();
  value.forEach((entry: string, i) => {
    const { name, spec } = splitSpec(entry.trim());
    if (!NPM_NAME.test(name) || /\s/.test(spec) || (entry.includes('@', 1) && spec === '')) {
      problems.add(`toolchainDeps[${i}]`, entry,
        `expected an npm spec "name" or "name@<version range, file:path or url>", e.g. "${LIBRARY_NAME}@^1.2.0"; a tarball path alone is written "${LIBRARY_NAME}@file:<path>".`);
      return;
    }
    if (seen.has(name)) {
      problems.add(`toolchainDeps[${i}]`, entry, `names "${name}" a second time; give each npm package once.`);
      return;
    }
    seen.add(name);
    deps[name] = spec || (name === LIBRARY_NAME ? defaultLibraryVersion() : '*');
  });
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

interface ProjenNew {
  readonly fqn?: unknown;
  readonly args?: Record<string, unknown>;
}

/**
 * `projen new --from <spec>` hands the spec it installed the library from to the project as
 * `devDeps: [spec]` (replacing any `--dev-deps`), and writes `.projenrc.ts` from the same arguments
 * (`__new__.args`). `devDeps` here are Python dev dependencies, so the options are rewritten before
 * anything reads them: the spec becomes a `toolchainDeps` entry (see {@link libraryEntryFor}), both
 * in the options and in what `.projenrc.ts` is written from. Other options are returned unchanged.
 */
export function fromProjenNew<T extends object>(options: T, fqn: string = PROJECT_FQN): T {
  const bootstrap = (options as Record<string, unknown>)[PROJEN_NEW_KEY] as ProjenNew | undefined;
  const specs = bootstrap?.args?.devDeps;
  if (bootstrap?.fqn !== fqn || !Array.isArray(specs) || !specs.every((s) => typeof s === 'string')) return options;
  const move = (o: Record<string, unknown>): Record<string, unknown> => {
    const { devDeps: _spec, ...rest } = o;
    const existing = Array.isArray(o.toolchainDeps) ? (o.toolchainDeps as string[]) : [];
    return { ...rest, toolchainDeps: [...existing, ...(specs as string[]).map(libraryEntryFor)] };
  };
  return {
    ...move(options as Record<string, unknown>),
    [PROJEN_NEW_KEY]: { ...bootstrap, args: move(bootstrap.args!) },
  } as T;
}
