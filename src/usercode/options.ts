/**
 * Options of the import check (`importCheckOptions` of `UvPythonService`): at each synth, before any
 * file is written, the service's own Python files (the application package, the tests, the
 * migrations' `versions/`) are read and their imports compared with the model.
 */
export interface ImportCheckOptions {
  /**
   * Fail the synth, before any file is written, when the check finds a problem (instead of printing
   * warnings). The environment variable `PROJEN_UV_SERVICE_STRICT=1` turns it on too; the generated CI
   * `synth` job sets it.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * Also list, for information, runtime dependencies declared in `deps` that no file imports
   * (dependencies the generated files need are never listed). Never fails the synth.
   *
   * @default false
   */
  readonly unusedDeps?: boolean;
}

