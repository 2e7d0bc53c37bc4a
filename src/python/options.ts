/**
 * Options of {@link Pyproject}: the Python facts of a uv web service, which `pyproject.toml` states and
 * the other files read from it (`UvPythonServiceOptions` extends them). The distribution name is the
 * project's name.
 */
export interface PyprojectOptions {
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
   * @default - `fastapi` (no extra: `[standard]` brings the FastAPI Cloud CLI) and `uvicorn[standard]`, plus what enabled components need
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
   * ASGI entrypoint as `package.module:variable`. The first segment is the application package
   * directory, copied into the image and checked by ruff.
   *
   * @default "app.main:app" (a workspace member: `<name as import name>.main:app`, e.g. `orders_api.main:app`, unique in the one virtualenv)
   * @featured
   */
  readonly app?: string;

  /**
   * Directory of the test suite (pytest `testpaths`, the Docker testing stage, CI).
   *
   * @default "tests"
   */
  readonly testsDir?: string;
}

