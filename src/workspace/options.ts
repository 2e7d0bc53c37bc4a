import { ProjectOptions } from 'projen/lib/project';
import { CiOptions } from '../ci/options';
import { WorkspaceDatabaseMode } from '../core/workspace';

/**
 * Options of {@link UvWorkspace}: the root of a uv workspace of services ({@link UvPythonService}) and
 * libraries ({@link UvPythonLibrary}), each added with `parent: workspace` and its own `outdir`.
 */
export interface UvWorkspaceOptions extends ProjectOptions {
  /**
   * CPython minor version of the workspace, as `MAJOR.MINOR` (e.g. `3.14`), from 3.10 to 3.15: the
   * root `.python-version` of the one virtualenv, ruff's target, and the default of every member (a
   * member that sets another is refused).
   *
   * @default "3.14"
   * @featured
   */
  readonly pythonVersion?: string;

  /**
   * Exact uv release (e.g. `0.13.0`) of the workspace: the default of every member (their Dockerfiles,
   * the `uv_build` bounds of their pyproject.toml) and of CI. Never `latest`.
   *
   * @default - the release pinned in this library's `versions.ts`
   * @featured
   */
  readonly uvVersion?: string;

  /**
   * Development dependencies shared by every member (`[dependency-groups] dev` of the root
   * pyproject.toml), as PEP 508 strings. An entry replaces the default with the same name.
   *
   * Only Python packages: `projen new --from <spec>` passes its spec here, and `UvWorkspace` moves it
   * to `toolchainDeps` before `.projenrc.ts` is written.
   *
   * @default - pytest, ruff and mypy
   */
  readonly devDeps?: string[];

  /**
   * npm packages of the projen toolchain (the root `package.json` devDependencies), as npm specs:
   * `name`, `name@<version range>`, `name@file:<path>`, `name@<git or tarball url>`. An entry replaces
   * the default pin of the same name (projen, constructs, tsx, projen-uv-service); other entries are
   * added. Members have no toolchain of their own.
   *
   * @default - projen, constructs and tsx at the versions this library is tested with, and this library at `^<its version>`
   */
  readonly toolchainDeps?: string[];

  /**
   * Generate the workspace's one GitHub Actions CI workflow (a job per service, run when a file of
   * its dependency closure changes). Members have no CI of their own.
   *
   * @default true
   */
  readonly ci?: boolean;

  /**
   * Options of the workspace's CI workflow.
   *
   * @default - see {@link CiOptions}
   */
  readonly ciOptions?: CiOptions;

  /**
   * The local database of the services with one (the root `compose.yaml`, and each member's
   * `.env.example`): one Postgres server either way; `PER_SERVICE` gives each service a database of
   * its own (as a Neon database or branch per service), `SHARED` has every service migrate the one
   * database `app`, each with its own Alembic version table (their tables must then differ: the
   * sample services' first migrations both create `item`, so they need `PER_SERVICE`).
   *
   * @default WorkspaceDatabaseMode.PER_SERVICE
   */
  readonly databaseMode?: WorkspaceDatabaseMode;

  /**
   * At `projen new` only: add a sample of three members to the new workspace, and to the
   * `.projenrc.ts` it writes — a library `libs/common` and two services `services/orders` (which
   * depends on the library) and `services/billing`. Read at no other time: members are added in
   * `.projenrc.ts` with `parent: workspace`.
   *
   * @default true
   */
  readonly sample?: boolean;
}

/**
 * Options of {@link UvPythonLibrary}, a library member of a {@link UvWorkspace}: shared Python code
 * other members depend on by name (`deps: ["<library name>"]`).
 */
export interface UvPythonLibraryOptions extends ProjectOptions {
  /**
   * One-line description, written to `pyproject.toml`.
   *
   * @default "A Python library of the workspace."
   */
  readonly description?: string;

  /**
   * Version of the distribution (`[project] version`), PEP 440.
   *
   * @default "0.1.0"
   */
  readonly version?: string;

  /**
   * Runtime dependencies, as PEP 508 strings. An entry naming another member of the workspace (by
   * its `name`) is a workspace dependency (`[tool.uv.sources]`).
   *
   * @default []
   */
  readonly deps?: string[];

  /**
   * Development dependencies (`[dependency-groups] dev`), as PEP 508 strings. An entry replaces the
   * default with the same name.
   *
   * @default - pytest, ruff and mypy
   */
  readonly devDeps?: string[];

  /**
   * The library's top-level import package: the directory `<outdir>/<packageName>/` that uv_build
   * packages and other members import. Unique in the workspace (one virtualenv).
   *
   * @default - the name with "-" and "." as "_" (`shared-utils` -> `shared_utils`)
   */
  readonly packageName?: string;

  /**
   * Directory of the library's tests (pytest `testpaths`).
   *
   * @default "tests"
   */
  readonly testsDir?: string;
}

