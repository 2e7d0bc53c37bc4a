import * as path from 'path';

/** npm name of this library. */
export const LIBRARY_NAME = 'projen-uv-service';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const LIBRARY_VERSION: string = require('../../package.json').version;

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
