import { ProjectOptions } from 'projen/lib/project';
import { CiOptions, ResolvedCi } from '../ci/options';
import { NeonDatabaseOptions, ResolvedDatabase } from '../database/options';
import { ResolvedDocker, UvDockerOptions } from '../docker/options';
import { KubernetesOptions, ResolvedKubernetes } from '../k8s/options';
import { ResolvedPython } from '../python/options';
import { ImportCheckOptions, ResolvedImportCheck } from '../usercode/options';

/**
 * Options of {@link UvPythonService}.
 */
export interface UvPythonServiceOptions extends ProjectOptions {
  /**
   * One-line description, written to `pyproject.toml` and the service README.
   *
   * @default "A Python web service."
   */
  readonly description?: string;

  /**
   * Version of the Python distribution (`[project] version`), PEP 440.
   *
   * @default "0.1.0"
   */
  readonly version?: string;

  /**
   * CPython minor version the service runs on, as `MAJOR.MINOR` (e.g. `3.14`), from 3.10 to 3.15. It
   * reaches `requires-python`, `.python-version`, ruff's `target-version`, the Docker base images and
   * CI. Leave it unset to follow the library's default, which the `upgrade` workflow moves forward.
   * A workspace member follows its `UvWorkspace` (another value is refused).
   *
   * @default "3.14"
   * @featured
   */
  readonly pythonVersion?: string;

  /**
   * Exact uv release (e.g. `0.13.0`) used by the Dockerfile, CI and the build backend (the `uv_build`
   * bounds of pyproject.toml follow it). Never `latest`: builds must be reproducible. Leave it unset to
   * follow the library's default (moved forward by the `upgrade` workflow); a pin below the default's
   * minor makes every synth print one line saying so. A workspace member follows its `UvWorkspace`
   * (another value is refused).
   *
   * @default - the release pinned in this library's `versions.ts` (a workspace member: the workspace's)
   * @featured
   */
  readonly uvVersion?: string;

  /**
   * Runtime dependencies, as PEP 508 strings (e.g. `httpx>=0.27`). An entry replaces the default
   * dependency with the same name. In a uv workspace, an entry naming another member (e.g. `common`)
   * is a workspace dependency: `[tool.uv.sources]` and the image's closure follow it.
   *
   * @default - `fastapi[standard]` plus what enabled components need
   * @featured
   */
  readonly deps?: string[];

  /**
   * Python development dependencies (`[dependency-groups] dev`), as PEP 508 strings. An entry
   * replaces the default with the same name.
   *
   * Only Python packages: an npm spec (`projen-uv-service@…`, a `.tgz` path, `file:…`) is refused
   * with the `toolchainDeps` entry to use instead. (`projen new --from <spec>` passes its spec here;
   * `UvPythonService` moves it to `toolchainDeps` before `.projenrc.ts` is written.)
   *
   * @default - pytest, ruff and httpx
   */
  readonly devDeps?: string[];

  /**
   * npm packages of the projen toolchain, i.e. the service's `package.json` devDependencies, as npm
   * specs: `name`, `name@<version range>`, `name@file:<path>` (a tarball of any file name, or a
   * directory), `name@<git or tarball url>`. An entry replaces the default pin of the same name
   * (projen, constructs, tsx, projen-uv-service); other entries are added, e.g. a construct library
   * `.projenrc.ts` imports.
   *
   * `projen new --from <spec>` writes the library's spec here: `projen new --from ../lib.tgz` gives
   * `toolchainDeps: ["projen-uv-service@file:/abs/path/lib.tgz"]`.
   *
   * Not for a workspace member: the `UvWorkspace` has the toolchain.
   *
   * @default - projen, constructs and tsx at the versions this library is tested with, and this library at `^<its version>`
   */
  readonly toolchainDeps?: string[];

  /**
   * ASGI entrypoint as `package.module:variable`. The first segment is the application package
   * directory, copied into the image and checked by ruff.
   *
   * @default "app.main:app" (a workspace member: `<name as import name>.main:app`, e.g. `orders_api.main:app`, unique in the one virtualenv)
   * @featured
   */
  readonly app?: string;

  /**
   * TCP port the service listens on: the dev task, Docker `EXPOSE`/`CMD`/`HEALTHCHECK`, compose.
   *
   * @default 8000
   * @featured
   */
  readonly port?: number;

  /**
   * HTTP path of the health endpoint (sample route, Docker `HEALTHCHECK`).
   *
   * @default "/health"
   * @featured
   */
  readonly healthPath?: string;

  /**
   * Directory of the test suite (pytest `testpaths`, the Docker testing stage, CI).
   *
   * @default "tests"
   */
  readonly testsDir?: string;

  /**
   * Generate the multi-stage Dockerfile and its .dockerignore.
   *
   * @default true
   */
  readonly docker?: boolean;

  /**
   * Options of the Dockerfile (uv preset).
   *
   * @default - see {@link UvDockerOptions}
   */
  readonly dockerOptions?: UvDockerOptions;

  /**
   * Generate the Postgres (Neon) database layer: engine, Alembic, .env.example, compose.
   *
   * @default true
   */
  readonly database?: boolean;

  /**
   * Options of the database layer.
   *
   * @default - see {@link NeonDatabaseOptions}
   */
  readonly databaseOptions?: NeonDatabaseOptions;

  /**
   * Generate the GitHub Actions CI workflow and Dependabot config. A workspace member has none of
   * its own (the `UvWorkspace`'s workflow has a job for it).
   *
   * @default true (a workspace member: none)
   */
  readonly ci?: boolean;

  /**
   * Options of the CI workflow.
   *
   * @default - see {@link CiOptions}
   */
  readonly ciOptions?: CiOptions;

  /**
   * At each synth, before any file is written, read the service's own Python files (the application
   * package, the tests, the migrations' `versions/`) and warn, grouped by file, about imports that no
   * longer agree with the model: a managed module that is no longer generated (e.g. `app.db` after
   * `database: false`), a project directory that is not the application package (after a change of `app`), or a third-party
   * module no dependency in `deps` (or, in the tests, `devDeps`) provides. Warnings never block the
   * synth and never change a user file; `importCheckOptions.strict` (or `PROJEN_UV_SERVICE_STRICT=1`,
   * set by the generated CI) makes them fail it, before anything is written.
   *
   * @default true
   */
  readonly importCheck?: boolean;

  /**
   * Options of the import check.
   *
   * @default - see {@link ImportCheckOptions}
   */
  readonly importCheckOptions?: ImportCheckOptions;

  /**
   * Generate Kubernetes manifests in `deploy/k8s/` (cdk8s-plus): a Deployment of the image CI
   * publishes, a Service, a HorizontalPodAutoscaler, a PodDisruptionBudget, an optional Ingress and,
   * with the database, the migration Job. Needs `docker`.
   *
   * @default false
   */
  readonly kubernetes?: boolean;

  /**
   * Options of the Kubernetes manifests (used with `kubernetes: true`).
   *
   * @default - see {@link KubernetesOptions}
   */
  readonly kubernetesOptions?: KubernetesOptions;
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
