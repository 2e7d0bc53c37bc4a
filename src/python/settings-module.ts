import { Project } from 'projen/lib/project';
import { TextFile } from 'projen/lib/textfile';
import { renderTemplate } from '../core/template';

/** Default of `READY_TIMEOUT_SECONDS` in `<package>/settings.py`. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 2;

/**
 * The managed `<package>/settings.py` of an application package: the service's own runtime settings
 * (logging, readiness) and `load_settings`, the one way every settings class of the service is read
 * from the environment, with one error line for a bad value. Written once per project, by whichever
 * component needs it first (the database module imports `load_settings` from it); returns the module's
 * dotted name.
 */
export function ensureSettingsModule(project: Project, appPackage: string): string {
  const filePath = `${appPackage}/settings.py`;
  if (!project.tryFindFile(filePath)) {
    const file = new TextFile(project, filePath, { marker: true });
    const body = renderTemplate('python/settings.py', {
      marker: file.marker ?? '',
      logFormat: 'json',
      readyTimeoutSeconds: String(DEFAULT_READY_TIMEOUT_SECONDS),
    });
    for (const line of body.split('\n')) file.addLine(line);
  }
  return `${appPackage.split('/').join('.')}.settings`;
}
