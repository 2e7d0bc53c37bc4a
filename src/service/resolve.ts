import { UvPythonServiceOptions, ResolvedService } from './options';
import { isNpmSpecOfLibrary, libraryEntryFor, resolveToolchainDeps } from './toolchain-deps';
import { resolveCiOptions } from '../ci/resolve';
import { checkKnownOptions } from '../core/known-options';
import { DIR_SEGMENT, OptionReader, PYTHON_IDENTIFIER, PYTHON_KEYWORDS, pythonPackageNameProblem, checkNoSecrets } from '../core/option-reader';
import { Problems } from '../core/problems';
import { DEFAULT_PYTHON_DEPS, DEFAULT_PYTHON_DEV_DEPS, VERSIONS } from '../core/versions';
import { IWorkspaceModel } from '../core/workspace';
import { LOCAL_DB } from '../database/compose';
import { memberVersionTable, resolveDatabaseOptions } from '../database/resolve';
import { resolveDockerOptions } from '../docker/resolve';
import { resolveKubernetesOptions } from '../k8s/resolve';
import { AppEntrypoint } from '../python/options';
import {
  isRequirementError,
  isValidDistributionName,
  mergeRequirements,
  readRequirement,
  Requirement,
  requirementProblem,
} from '../python/pep508';

/**
 * Names the sample application module defines or imports (with or without the database), and names
 * linters reject as ambiguous (E741).
 */
const SAMPLE_NAMES = new Set([
  'FastAPI', 'HTTPException', 'health', 'select', 'SessionDep', 'lifespan', 'Item', 'ItemCreate',
  'ItemUpdate', '_get_item', 'create_item', 'list_items', 'read_item', 'update_item', 'delete_item',
  'l', 'I', 'O',
]);
const PEP440 = /^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?$/;

function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}

/** Orders two `MAJOR.MINOR.PATCH` releases numerically. */
function compareReleases(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
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

/** Why an entrypoint cannot be used, or undefined when it can. */
function entrypointProblem(entrypoint: string): string | undefined {
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
  if (SAMPLE_NAMES.has(variable)) {
    return `the variable name "${variable}" clashes with the sample module or is ambiguous (ruff E741); use e.g. "app".`;
  }
  return undefined;
}

function checkApp(problems: Problems, value: unknown): AppEntrypoint {
  if (value === undefined) return DEFAULT_APP;
  if (typeof value !== 'string') {
    problems.add('app', value, 'expected a string "package.module:variable" such as "app.main:app".');
    return DEFAULT_APP;
  }
  const problem = entrypointProblem(value);
  if (problem) {
    problems.add('app', value, problem);
    return DEFAULT_APP;
  }
  const [module, variable] = value.split(':');
  return entrypointOf(value, module, variable);
}

/** How the service is used: on its own (the default) or as a member of a uv workspace. */
export interface ServiceContext {
  /** A member of a `UvWorkspace`: no toolchain and no CI of its own. */
  readonly member?: boolean;
}

/** The import package of a distribution name: `orders-api` -> `orders_api`. */
export function importNameOf(name: string): string {
  return name.toLowerCase().replace(/[-.]+/g, '_');
}

/**
 * The defaults of a workspace member, applied before its options are read: the workspace's Python and
 * uv, and an application package named after the service (`orders-api` -> `orders_api.main:app`), so
 * that the members' packages, which share one virtualenv, do not collide. An option given wins.
 */
export function memberDefaults(options: UvPythonServiceOptions, workspace: IWorkspaceModel): UvPythonServiceOptions {
  const name = options.name;
  const importName = typeof name === 'string' && isValidDistributionName(name) ? importNameOf(name) : undefined;
  const app = importName && entrypointProblem(`${importName}.main:app`) === undefined ? `${importName}.main:app` : undefined;
  // Each member records its migrations in a version table of its own, so that services sharing one
  // database (WorkspaceDatabaseMode.SHARED) keep separate Alembic histories.
  const appPackage = (typeof options.app === 'string' ? options.app : app)?.split('.')[0];
  const versionTable = options.database !== false && options.databaseOptions?.versionTable === undefined && appPackage !== undefined &&
    PYTHON_IDENTIFIER.test(appPackage) ? memberVersionTable(appPackage) : undefined;
  return {
    ...options,
    ...(versionTable !== undefined ? { databaseOptions: { ...options.databaseOptions, versionTable } } : {}),
    ...(options.pythonVersion === undefined && workspace.pythonVersion !== undefined ? { pythonVersion: workspace.pythonVersion } : {}),
    ...(options.uvVersion === undefined && workspace.uvVersion !== undefined ? { uvVersion: workspace.uvVersion } : {}),
    ...(options.app === undefined && app !== undefined ? { app } : {}),
  };
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
 * Applies defaults and validates every option. Throws one {@link ServiceConfigError} listing every
 * problem; returns the read-only model otherwise.
 */
export function resolveServiceOptions(options: UvPythonServiceOptions, context: ServiceContext = {}): ResolvedService {
  const problems = new Problems();
  const r = new OptionReader(problems, '');
  checkKnownOptions(problems, options, 'UvPythonServiceOptions', 'UvPythonService');
  checkNoSecrets(problems, options, '');

  const name = options.name;
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

  const port = r.int('port', options.port, 8000, 1, 65535, 'expected an integer TCP port from 1 to 65535, e.g. 8000.');
  const healthPath = r.str('healthPath', options.healthPath, '/health', /^\/[A-Za-z0-9._~/-]*$/,
    'expected a URL path starting with "/" using letters, digits, ".", "_", "~", "-" and "/", e.g. "/health".');

  const app = checkApp(problems, options.app);

  const testsDir = r.str('testsDir', options.testsDir, 'tests', DIR_SEGMENT, 'expected one directory name such as "tests" (letters, digits, "_", "-").');
  if (testsDir === app.packageDir) {
    problems.add('testsDir', testsDir, `must differ from the application package "${app.packageDir}" (the first part of "app").`);
  }

  const deps = checkRequirements(problems, 'deps', options.deps);

  const devDeps = checkRequirements(problems, 'devDeps', options.devDeps);
  const toolchainDeps = resolveToolchainDeps(problems, options.toolchainDeps);
  if (context.member && options.toolchainDeps !== undefined) {
    problems.add('toolchainDeps', options.toolchainDeps,
      'a workspace member has no package.json of its own: the workspace root runs .projenrc.ts. Set toolchainDeps on the UvWorkspace instead.');
  }
  if (context.member && (options.ci === true || options.ciOptions !== undefined)) {
    problems.add(options.ciOptions !== undefined ? 'ciOptions' : 'ci', options.ciOptions ?? options.ci,
      'a workspace member has no CI workflow of its own: the workspace\'s one workflow has a job per service. Set ciOptions on the UvWorkspace instead, and remove it here.');
  }

  const database = options.database === false
    ? undefined
    : resolveDatabaseOptions(options.databaseOptions, problems, 'databaseOptions');
  if (database && (port === LOCAL_DB.postgresPort || port === LOCAL_DB.pgbouncerPort)) {
    problems.add(
      'port',
      port,
      `is taken by the local database stack in compose.yaml (Postgres ${LOCAL_DB.postgresPort}, PgBouncer ${LOCAL_DB.pgbouncerPort}); choose another port, e.g. 8000.`,
    );
  }
  if (database && typeof healthPath === 'string' && /^\/items(\/|$)/.test(healthPath)) {
    problems.add('healthPath', healthPath, 'is a route of the sample CRUD API (/items); choose another path, e.g. "/health".');
  }
  const migrationsRoot = database?.migrationsDir.split('/')[0];
  if (migrationsRoot !== undefined && (migrationsRoot === app.packageDir || migrationsRoot === testsDir)) {
    problems.add(
      'databaseOptions.migrationsDir',
      database!.migrationsDir,
      `must not be inside the application package "${app.packageDir}" nor the tests directory "${testsDir}"; e.g. "migrations".`,
    );
  }
  const docker = options.docker === false
    ? undefined
    : resolveDockerOptions(options.dockerOptions, problems, 'dockerOptions', typeof name === 'string' ? name : undefined, pythonVersion);
  const ci = options.ci === false || context.member
    ? undefined
    : resolveCiOptions(options.ciOptions, problems, 'ciOptions', { database: database !== undefined, docker: docker !== undefined });
  const kubernetes = r.bool('kubernetes', options.kubernetes, false)
    ? resolveKubernetesOptions(options.kubernetesOptions, problems, 'kubernetesOptions', {
      serviceName: typeof name === 'string' && isValidDistributionName(name) ? name : undefined,
      docker,
      ci,
      ciImageNameOption: 'ciOptions.imageName',
    })
    : undefined;

  const check = new OptionReader(problems, 'importCheckOptions');
  const importCheck = options.importCheck === false ? undefined : {
    strict: check.bool('strict', options.importCheckOptions?.strict, false),
    unusedDeps: check.bool('unusedDeps', options.importCheckOptions?.unusedDeps, false),
  };

  problems.throwIfAny('UvPythonService');

  return {
    name,
    importName: importNameOf(name),
    description,
    version,
    pythonVersion,
    pythonTarget: `py${pythonVersion.replace('.', '')}`,
    uvVersion,
    deps: mergeRequirements([...DEFAULT_PYTHON_DEPS, ...(database?.deps ?? [])], deps),
    devDeps: mergeRequirements(DEFAULT_PYTHON_DEV_DEPS, devDeps),
    toolchainDeps,
    app,
    port,
    healthPath,
    testsDir,
    database,
    docker,
    ci,
    importCheck,
    kubernetes,
  };
}

/**
 * One line saying that `uvVersion`, pinned in `.projenrc.ts`, is below the minor of the library's
 * default uv, and how to move; undefined when it is not pinned, not a release, or current.
 */
export function staleUvPin(uvVersion: unknown, libraryDefault: string = VERSIONS.uv): string | undefined {
  if (typeof uvVersion !== 'string' || !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(uvVersion)) return undefined;
  const [major, minor] = uvVersion.split('.').map(Number);
  const [defaultMajor, defaultMinor] = libraryDefault.split('.').map(Number);
  if (major > defaultMajor || (major === defaultMajor && minor >= defaultMinor)) return undefined;
  return `uvVersion "${uvVersion}" in .projenrc.ts is older than this library's default uv ${libraryDefault} ` +
    `(the ${defaultMajor}.${defaultMinor} series): remove uvVersion to follow the library's default, ` +
    `or set uvVersion: '${libraryDefault}', then run "npx projen".`;
}
