/**
 * Environment variable that turns the import check's warnings into a failing synth, whatever
 * `importCheckOptions.strict` says (any value but empty, `0` or `false`). The generated CI's `synth`
 * job sets it.
 */
export const STRICT_ENV = 'PROJEN_UV_SERVICE_STRICT';

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

/** {@link ImportCheckOptions} after defaults. */
export interface ResolvedImportCheck {
  /** Fail the synth on a finding (the environment variable can still turn it on when false). */
  readonly strict: boolean;
  /** List declared dependencies nothing imports. */
  readonly unusedDeps: boolean;
}

/** Whether the strict environment variable is set (to anything but empty, `0` or `false`). */
export function strictFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env[STRICT_ENV] ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}
