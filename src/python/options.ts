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
 * The Python facts of a service after defaults and validation: what the Python component owns and the
 * other components read (name, versions, dependencies, the app, port, health path, tests directory).
 */
export interface ResolvedPython {
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
  /** Runtime requirements, PEP 508, defaults merged with the user's. */
  readonly deps: string[];
  /** `dev` dependency group, PEP 508. */
  readonly devDeps: string[];
  readonly app: AppEntrypoint;
  readonly port: number;
  readonly healthPath: string;
  readonly testsDir: string;
}
