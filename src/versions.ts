/**
 * Every version pin the library writes into a generated service, in one place.
 *
 * An upgrade of uv, the default Python, or the projen toolchain is a one-line change here;
 * no other module types a version number.
 */
export const VERSIONS = {
  /** Default CPython minor for new services. */
  python: '3.12',
  /** Oldest and newest CPython minors a service may target. */
  pythonMinimum: '3.10',
  pythonMaximum: '3.15',
  /** Default uv release: an exact version, never `latest`. */
  uv: '0.9.7',
  /** Toolchain the generated service installs to run its `.projenrc.ts`. */
  projen: '^0.103.25',
  constructs: '^10.4.2',
  tsx: '^4.20.0',
} as const;

/**
 * Default Python dependencies of a service, PEP 508 strings. A user dependency with the same
 * normalized name replaces the default.
 */
export const DEFAULT_PYTHON_DEPS: readonly string[] = ['fastapi[standard]>=0.115'];

/** Default `dev` dependency group. */
export const DEFAULT_PYTHON_DEV_DEPS: readonly string[] = ['pytest>=8', 'ruff>=0.8', 'httpx>=0.27'];
