import { UvPythonServiceOptions } from './options';
import { resolveToolchainDeps } from './toolchain-deps';
import { checkCiComponents } from '../ci/plan';
import { ResolvedCi, resolveCiOptions } from '../ci/resolve';
import { uvCooldownProblem } from '../ci/upgrade-jobs';
import { checkKnownOptions } from '../core/known-options';
import { OptionReader, PYTHON_IDENTIFIER, checkNoSecrets } from '../core/option-reader';
import { Problems } from '../core/problems';
import { DEFAULT_PYTHON_DEPS, VERSIONS } from '../core/versions';
import { IWorkspaceModel } from '../core/workspace';
import { memberVersionTable, ResolvedDatabase, resolveDatabaseOptions } from '../database/resolve';
import { ResolvedDocker, resolveDockerOptions } from '../docker/resolve';
import { imageNamedByOptions, ResolvedKubernetes, resolveKubernetesOptions } from '../k8s/resolve';
import { isValidDistributionName, mergeRequirements } from '../python/pep508';
import { entrypointProblem, importNameOf, ResolvedPython, resolvePyprojectIdentity, resolvePyprojectLayout } from '../python/resolve';
import { sampleEntrypointNames } from '../python/samples';
import { ResolvedImportCheck } from '../usercode/resolve';

/**
 * Names the sample application module defines or imports (with or without the database), and names
 * linters reject as ambiguous (E741).
 */
const SAMPLE_NAMES: ReadonlySet<string> = new Set([...sampleEntrypointNames(), 'l', 'I', 'O']);

/** How the service is used: on its own (the default) or as a member of a uv workspace. */
export interface ServiceContext {
  /** A member of a `UvWorkspace`: no toolchain and no CI of its own. */
  readonly member?: boolean;
}

/**
 * The defaults of a workspace member, applied before its options are read: the workspace's Python and
 * uv, and an application package named after the service (`orders-api` -> `orders_api.main:app`), so
 * that the members' packages, which share one virtualenv, do not collide. An option given wins.
 */
export function memberDefaults(options: UvPythonServiceOptions, workspace: IWorkspaceModel): UvPythonServiceOptions {
  const name = options.name;
  const importName = typeof name === 'string' && isValidDistributionName(name) ? importNameOf(name) : undefined;
  const app = importName && entrypointProblem(`${importName}.main:app`, SAMPLE_NAMES) === undefined ? `${importName}.main:app` : undefined;
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
  const identity = resolvePyprojectIdentity(name, options, problems);

  const port = r.int('port', options.port, 8000, 1, 65535, 'expected an integer TCP port from 1 to 65535, e.g. 8000.');
  const healthPath = r.str('healthPath', options.healthPath, '/health', /^\/[A-Za-z0-9._~/-]*$/,
    'expected a URL path starting with "/" using letters, digits, ".", "_", "~", "-" and "/", e.g. "/health".');

  const readyPath = r.str('readyPath', options.readyPath, '/ready', /^\/[A-Za-z0-9._~/-]*$/,
    'expected a URL path starting with "/" using letters, digits, ".", "_", "~", "-" and "/", e.g. "/ready".');
  if (typeof readyPath === 'string' && readyPath === healthPath) {
    problems.add('readyPath', readyPath, 'is also healthPath: liveness must not depend on the database, readiness does; choose another path, e.g. "/ready".');
  }

  const layout = resolvePyprojectLayout(options, problems, SAMPLE_NAMES);
  const { app, testsDir } = layout;
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
  if (options.databaseOptions?.appPackage !== undefined) {
    problems.add('databaseOptions.appPackage', options.databaseOptions.appPackage,
      `is the application package of the app option ("${app.entrypoint}" -> "${app.packageDir}"); remove it here, and change app to move the database module with the app.`);
  }
  for (const [option, path, example] of [['healthPath', healthPath, '/health'], ['readyPath', readyPath, '/ready']] as const) {
    if (database && typeof path === 'string' && /^\/items(\/|$)/.test(path)) {
      problems.add(option, path, `is a route of the sample CRUD API (/items); choose another path, e.g. "${example}".`);
    }
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
    : resolveDockerOptions(options.dockerOptions, problems, 'dockerOptions', typeof name === 'string' ? name : undefined, identity.pythonVersion);
  const ci = options.ci === false || context.member ? undefined : resolveCiOptions(options.ciOptions, problems, 'ciOptions');
  if (ci) checkCiComponents(ci, { database: database !== undefined, docker: docker !== undefined }, problems, 'ciOptions');
  const cooldown = ci && typeof identity.uvVersion === 'string'
    ? uvCooldownProblem(options.ciOptions?.upgradeCooldownDays, ci, identity.uvVersion) : undefined;
  if (cooldown) problems.add('ciOptions.upgradeCooldownDays', options.ciOptions!.upgradeCooldownDays, cooldown);
  const kubernetes = r.bool('kubernetes', options.kubernetes, false)
    ? resolveKubernetesOptions(options.kubernetesOptions, problems, 'kubernetesOptions', {
      serviceName: typeof name === 'string' && isValidDistributionName(name) ? name : undefined,
      hasImage: docker !== undefined,
      imageNamed: imageNamedByOptions(ci),
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
    ...identity,
    ...layout,
    deps: mergeRequirements([...DEFAULT_PYTHON_DEPS, ...(database?.deps ?? [])], layout.requirements),
    toolchainDeps,
    port,
    healthPath,
    readyPath,
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

/**
 * Every option of a service after defaults and validation: the Python facts and each component's own.
 * Read-only; each component reads its own part, and the facts other components own from them.
 */
export interface ResolvedService extends ResolvedPython {
  /** devDependencies of the service's package.json (the projen toolchain): name -> npm version spec. */
  readonly toolchainDeps: { [name: string]: string };
  /** Docker facts; absent when `docker: false`. */
  readonly docker?: ResolvedDocker;
  /** Database facts; absent when `database: false`. */
  readonly database?: ResolvedDatabase;
  /** CI facts; absent when `ci: false`. */
  readonly ci?: ResolvedCi;
  /** Import check settings; absent when `importCheck: false`. */
  readonly importCheck?: ResolvedImportCheck;
  /** Kubernetes options; absent unless `kubernetes: true`. */
  readonly kubernetes?: ResolvedKubernetes;
}
