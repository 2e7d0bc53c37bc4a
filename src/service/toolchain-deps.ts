import { PROJEN_NEW_KEY } from '../core/known-options';
import { defaultLibraryVersion, LIBRARY_NAME, libraryEntryFor } from '../core/library';
import { Problems } from '../core/problems';
import { VERSIONS } from '../core/versions';

/** fqn of the project type, as `projen new` records it under `__new__`. */
export const PROJECT_FQN = `${LIBRARY_NAME}.UvPythonService`;

/** npm package name, scoped or not (npm's rules for new packages: lower case, URL-safe). */
const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

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
