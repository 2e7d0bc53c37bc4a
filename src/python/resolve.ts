import { PyprojectOptions } from './options';
import { isRequirementError, isValidDistributionName, mergeRequirements, readRequirement, Requirement, requirementProblem } from './pep508';
import { isNpmSpecOfLibrary, libraryEntryFor } from '../core/library';
import { DIR_SEGMENT, OptionReader, PYTHON_IDENTIFIER, PYTHON_KEYWORDS, pythonPackageNameProblem } from '../core/option-reader';
import { Problems } from '../core/problems';
import { DEFAULT_PYTHON_DEPS, DEFAULT_PYTHON_DEV_DEPS, VERSIONS } from '../core/versions';

/** A PEP 440 version. */
export const PEP440 = /^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?$/;

function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}

/** Orders two `MAJOR.MINOR.PATCH` releases numerically. */
export function compareReleases(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** The import package of a distribution name: `orders-api` -> `orders_api`. */
export function importNameOf(name: string): string {
  return name.toLowerCase().replace(/[-.]+/g, '_');
}

/** Reads a list of PEP 508 requirements, recording a problem for each bad entry. */
export function checkRequirements(problems: Problems, option: string, value: unknown): Requirement[] {
  if (value === undefined) return [];
  if (!isStringArray(value)) {
    problems.add(option, value, 'expected an array of PEP 508 strings such as "httpx>=0.27".');
    return [];
  }
  const out: Requirement[] = [];
  value.forEach((text, i) => {
    if (isNpmSpecOfLibrary(text.trim())) {
      problems.add(
        `${option}[${i}]`,
        text,
        `is an npm spec of the projen toolchain, not a Python package: pin the library in package.json with toolchainDeps: ["${libraryEntryFor(text.trim())}"] instead.`,
      );
      return;
    }
    const r = readRequirement(text);
    if (isRequirementError(r)) {
      problems.add(`${option}[${i}]`, text, requirementProblem(text)!);
    } else {
      out.push(r);
    }
  });
  return out;
}

/** The facts of a well-formed `package.module:variable` entrypoint. */
function entrypointOf(entrypoint: string, module: string, variable: string): AppEntrypoint {
  const parts = module.split('.');
  return {
    entrypoint,
    module,
    variable,
    packageDir: parts[0],
    moduleFile: `${parts.join('/')}.py`,
    packageInits: parts.slice(0, -1).map((_p, i) => `${parts.slice(0, i + 1).join('/')}/__init__.py`),
  };
}

const DEFAULT_APP = entrypointOf('app.main:app', 'app.main', 'app');

/**
 * Why an entrypoint cannot be used, or undefined when it can. `reservedVariables` are names the
 * caller's own modules define (the samples of a service), which the app's variable must not take.
 */
export function entrypointProblem(entrypoint: string, reservedVariables: ReadonlySet<string> = new Set()): string | undefined {
  const [module, variable, extra] = entrypoint.split(':');
  const parts = (module ?? '').split('.');
  if (
    extra !== undefined ||
    variable === undefined ||
    !PYTHON_IDENTIFIER.test(variable) ||
    parts.length < 2 ||
    !parts.every((p) => PYTHON_IDENTIFIER.test(p))
  ) {
    return 'expected "package.module:variable" (at least a package and a module, Python identifiers), e.g. "app.main:app".';
  }
  const keyword = [...parts, variable].find((p) => PYTHON_KEYWORDS.has(p));
  if (keyword) return `"${keyword}" is a Python keyword and cannot name a package, module or variable.`;
  const packageProblem = pythonPackageNameProblem(parts[0]);
  if (packageProblem) return packageProblem;
  if (reservedVariables.has(variable)) {
    return `the variable name "${variable}" clashes with the sample module or is ambiguous (ruff E741); use e.g. "app".`;
  }
  return undefined;
}

function checkApp(problems: Problems, value: unknown, reservedVariables: ReadonlySet<string>): AppEntrypoint {
  if (value === undefined) return DEFAULT_APP;
  if (typeof value !== 'string') {
    problems.add('app', value, 'expected a string "package.module:variable" such as "app.main:app".');
    return DEFAULT_APP;
  }
  const problem = entrypointProblem(value, reservedVariables);
  if (problem) {
    problems.add('app', value, problem);
    return DEFAULT_APP;
  }
  const [module, variable] = value.split(':');
  return entrypointOf(value, module, variable);
}

/** Reads `pythonVersion` (a CPython `MAJOR.MINOR` within the supported range); the default when unset. */
export function checkPythonVersion(problems: Problems, value: unknown): string {
  const pythonVersion: unknown = value ?? VERSIONS.python;
  const minMinor = minorOf(VERSIONS.pythonMinimum);
  const maxMinor = minorOf(VERSIONS.pythonMaximum);
  if (typeof pythonVersion === 'number') {
    problems.add(
      'pythonVersion',
      pythonVersion,
      `must be a string: as a number, 3.10 reads as 3.1. Write pythonVersion: '${VERSIONS.python}' in .projenrc.ts (projen new's --python-version flag passes a number: set it in .projenrc.ts afterwards).`,
    );
  } else if (
    typeof pythonVersion !== 'string' ||
    !/^3\.[0-9]{1,2}$/.test(pythonVersion) ||
    minorOf(pythonVersion) < minMinor ||
    minorOf(pythonVersion) > maxMinor
  ) {
    problems.add(
      'pythonVersion',
      pythonVersion,
      `expected a CPython minor version "3.N" from ${VERSIONS.pythonMinimum} to ${VERSIONS.pythonMaximum} (no patch part), e.g. "${VERSIONS.python}".`,
    );
  }
  return pythonVersion as string;
}

/** Reads `uvVersion` (an exact uv release, not older than the minimum); the default when unset. */
export function checkUvVersion(problems: Problems, value: unknown): string {
  const uvVersion: unknown = value ?? VERSIONS.uv;
  if (typeof uvVersion !== 'string' || !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(uvVersion)) {
    problems.add(
      'uvVersion',
      uvVersion,
      `expected an exact uv release "MAJOR.MINOR.PATCH" such as "${VERSIONS.uv}" (not "latest" nor a range): builds must be reproducible.`,
    );
  } else if (compareReleases(uvVersion, VERSIONS.uvMinimum) < 0) {
    problems.add(
      'uvVersion',
      uvVersion,
      `expected uv ${VERSIONS.uvMinimum} or newer: the project builds with the uv_build backend, stable from that release on.`,
    );
  }
  return uvVersion as string;
}

/**
 * Applies defaults to {@link PyprojectOptions} of the distribution `name` and records every problem.
 * Never throws: the caller throws once for all problems.
 *
 * @param reservedVariables variable names the app's entrypoint must not take (see {@link entrypointProblem})
 */
export function resolvePyprojectOptions(
  name: unknown,
  options: PyprojectOptions,
  problems: Problems,
  reservedVariables: ReadonlySet<string> = new Set(),
): ResolvedPyproject {
  return { ...resolvePyprojectIdentity(name, options, problems), ...resolvePyprojectLayout(options, problems, reservedVariables) };
}

/** The name, description, version and toolchain of {@link resolvePyprojectOptions}, read first. */
export function resolvePyprojectIdentity(name: unknown, options: PyprojectOptions, problems: Problems) {
  const r = new OptionReader(problems, '');
  if (typeof name !== 'string' || !isValidDistributionName(name)) {
    problems.add(
      'name',
      name,
      'expected a Python distribution name: letters, digits, ".", "_" or "-", starting and ending with a letter or digit (e.g. "orders-api").',
    );
  }
  const description = r.str('description', options.description, 'A Python web service.', (v) => !/[\r\n]/.test(v), 'expected a one-line string.');
  const version = r.str('version', options.version, '0.1.0', PEP440, 'expected a PEP 440 version such as "0.1.0" or "1.2.0rc1".');
  const pythonVersion = checkPythonVersion(problems, options.pythonVersion);
  const uvVersion = checkUvVersion(problems, options.uvVersion);
  return {
    name: name as string,
    importName: importNameOf(String(name)),
    description,
    version,
    pythonVersion,
    pythonTarget: `py${String(pythonVersion).replace('.', '')}`,
    uvVersion,
  };
}

/** The app, the tests directory and the dependencies of {@link resolvePyprojectOptions}, read after the identity. */
export function resolvePyprojectLayout(options: PyprojectOptions, problems: Problems, reservedVariables: ReadonlySet<string> = new Set()) {
  const r = new OptionReader(problems, '');
  const app = checkApp(problems, options.app, reservedVariables);
  const testsDir = r.str('testsDir', options.testsDir, 'tests', DIR_SEGMENT, 'expected one directory name such as "tests" (letters, digits, "_", "-").');
  if (testsDir === app.packageDir) {
    problems.add('testsDir', testsDir, `must differ from the application package "${app.packageDir}" (the first part of "app").`);
  }
  const requirements = checkRequirements(problems, 'deps', options.deps);
  const devDeps = checkRequirements(problems, 'devDeps', options.devDeps);
  return {
    app,
    testsDir,
    requirements,
    deps: mergeRequirements(DEFAULT_PYTHON_DEPS, requirements),
    devDeps: mergeRequirements(DEFAULT_PYTHON_DEV_DEPS, devDeps),
  };
}

/**
 * The ASGI application a service runs.
 */
export interface AppEntrypoint {
  /** `package.module:variable`, e.g. `app.main:app`. */
  readonly entrypoint: string;
  /** Dotted module, e.g. `app.main`. */
  readonly module: string;
  /** Name of the ASGI variable inside the module, e.g. `app`. */
  readonly variable: string;
  /** Top-level package directory, e.g. `app`. */
  readonly packageDir: string;
  /** Path of the module's file, e.g. `app/main.py`. */
  readonly moduleFile: string;
  /** The `__init__.py` of every package on the module's path, e.g. `["app/__init__.py"]`. */
  readonly packageInits: string[];
}

/**
 * {@link PyprojectOptions} after defaults and validation: what `pyproject.toml` states and the other
 * components read from its owner (`Pyproject.of(project)`).
 */
export interface ResolvedPyproject {
  /** Distribution name, as given. */
  readonly name: string;
  /** Importable name of the distribution (`orders-api` -> `orders_api`). */
  readonly importName: string;
  readonly description: string;
  readonly version: string;
  /** `MAJOR.MINOR`, e.g. `3.12`. */
  readonly pythonVersion: string;
  /** ruff's target, e.g. `py312`. */
  readonly pythonTarget: string;
  /** Exact uv release. */
  readonly uvVersion: string;
  /** Runtime requirements, PEP 508, defaults merged with the given ones. */
  readonly deps: string[];
  /** The runtime requirements as given, parsed (a caller merges them over more defaults). */
  readonly requirements: Requirement[];
  /** `dev` dependency group, PEP 508. */
  readonly devDeps: string[];
  readonly app: AppEntrypoint;
  readonly testsDir: string;
}

/**
 * The Python facts of a service after defaults and validation: its pyproject's, and the port and
 * health path its app serves (what the samples, the tasks and the image are built from).
 */
export interface ResolvedPython extends ResolvedPyproject {
  readonly port: number;
  readonly healthPath: string;
  readonly readyPath: string;
}
