import { ProjectOptions } from 'projen/lib/project';
import { CiOptions } from '../ci/options';
import { NeonDatabaseOptions } from '../database/options';
import { UvDockerOptions } from '../docker/options';
import { KubernetesOptions } from '../k8s/options';
import { PyprojectOptions } from '../python/options';
import { ImportCheckOptions } from '../usercode/options';

/**
 * Options of {@link UvPythonService}.
 */
export interface UvPythonServiceOptions extends ProjectOptions, PyprojectOptions {
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
   * HTTP path of the readiness endpoint: 200 when the service can take traffic (with a database: a
   * `SELECT 1` through the pool answered within `READY_TIMEOUT_SECONDS`), 503 while it cannot. The
   * Kubernetes readiness probe reads it; liveness stays on `healthPath`. Without a database the sample
   * app answers it with 200 always.
   *
   * @default "/ready"
   */
  readonly readyPath?: string;

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

