/**
 * Environment variable that turns the import check's warnings into a failing synth, whatever
 * `importCheckOptions.strict` says (any value but empty, `0` or `false`). The generated CI's `synth`
 * job sets it.
 */
export const STRICT_ENV = 'PROJEN_UV_SERVICE_STRICT';

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
