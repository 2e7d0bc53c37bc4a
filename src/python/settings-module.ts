import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import { renderTemplate } from '../core/template';

/** Default of `READY_TIMEOUT_SECONDS` in `<package>/settings.py`. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 2;

/** A function of another managed module that reads (and validates) that component's settings. */
interface SettingsLoader {
  /** Dotted module name, e.g. `orders.db`. */
  readonly module: string;
  /** The function, e.g. `database_settings`. */
  readonly fn: string;
}

/**
 * The managed `<package>/settings.py` of an application package: the service's own runtime settings
 * (logging, readiness), `settings_error`, the one error line for a bad value of any settings class of
 * the service, and `check_settings`, which reads every one of them once: the service's and those of
 * the loaders other components register ({@link addSettingsLoader}: the database's
 * `database_settings`). The runtime CMD runs it (`python -m <package>.settings`) before uvicorn forks
 * its workers. Rendered at synth, so a loader registered after construction is in it.
 */
class SettingsFile extends FileBase {
  public readonly loaders: SettingsLoader[] = [];

  constructor(project: Project, filePath: string, public readonly dotted: string) {
    super(project, filePath, { marker: true });
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    const loaders = [...this.loaders].sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
    const body = renderTemplate('python/settings.py', {
      marker: this.marker ?? '',
      logFormat: 'json',
      readyTimeoutSeconds: String(DEFAULT_READY_TIMEOUT_SECONDS),
      loaders: loaders.map((l) => `    from ${l.module} import ${l.fn}\n\n    ${l.fn}()\n`).join(''),
    });
    return body;
  }
}

/** The settings module of `appPackage`, written once by whichever component needs it first. */
function settingsFileOf(project: Project, appPackage: string): SettingsFile {
  const filePath = `${appPackage}/settings.py`;
  const existing = project.tryFindFile(filePath);
  if (existing instanceof SettingsFile) return existing;
  if (existing) throw new Error(`internal: ${filePath} is not the settings module`);
  return new SettingsFile(project, filePath, `${appPackage.split('/').join('.')}.settings`);
}

/**
 * Ensures the managed `<package>/settings.py` of an application package (see {@link SettingsFile}):
 * every service has it (the sample app reads `service_settings()`, the database module imports
 * `settings_error` from it). Returns the module's dotted name.
 */
export function ensureSettingsModule(project: Project, appPackage: string): string {
  return settingsFileOf(project, appPackage).dotted;
}

/**
 * Registers `module.fn` (a function of no argument that reads a component's settings and raises the
 * settings error on a bad value) with `check_settings` of `<package>/settings.py`, the pre-flight the
 * runtime CMD runs before uvicorn starts its workers.
 */
export function addSettingsLoader(project: Project, appPackage: string, module: string, fn: string): void {
  const file = settingsFileOf(project, appPackage);
  if (!file.loaders.some((l) => l.module === module && l.fn === fn)) file.loaders.push({ module, fn });
}
