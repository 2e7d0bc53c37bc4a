import { ProjectOptions } from 'projen/lib/project';
import { CiOptions } from '../ci/options';
import { NeonDatabaseOptions } from '../database/options';
import { UvDockerOptions } from '../docker/options';

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
   * CPython minor version the service runs on, as `MAJOR.MINOR` (e.g. `3.12`). It reaches
   * `requires-python`, `.python-version`, ruff's `target-version`, the Docker base images and CI.
   *
   * @default "3.12"
   * @featured
   */
  readonly pythonVersion?: string;

  /**
   * Exact uv release (e.g. `0.9.7`) used by the Dockerfile, CI and the build backend. Never `latest`:
   * builds must be reproducible.
   *
   * @default - the release pinned in this library's `versions.ts`
   * @featured
   */
  readonly uvVersion?: string;

  /**
   * Runtime dependencies, as PEP 508 strings (e.g. `httpx>=0.27`). An entry replaces the default
   * dependency with the same name.
   *
   * @default - `fastapi[standard]` plus what enabled components need
   * @featured
   */
  readonly deps?: string[];

  /**
   * Development dependencies (`[dependency-groups] dev`), as PEP 508 strings.
   *
   * `projen new --from projen-uv-service` passes the library's own npm spec here; such an entry
   * (`projen-uv-service`, `projen-uv-service@…`, or a path to its `.tgz`) is not a Python package and
   * is recorded in the service's `package.json` instead, where it pins the projen toolchain.
   *
   * @default - pytest, ruff and httpx
   */
  readonly devDeps?: string[];

  /**
   * ASGI entrypoint as `package.module:variable`. The first segment is the application package
   * directory, copied into the image and checked by ruff.
   *
   * @default "app.main:app"
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
   * Generate the GitHub Actions CI workflow and Dependabot config.
   *
   * @default true
   */
  readonly ci?: boolean;

  /**
   * Options of the CI workflow.
   *
   * @default - see {@link CiOptions}
   */
  readonly ciOptions?: CiOptions;
}
