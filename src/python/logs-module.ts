import { Project } from 'projen/lib/project';
import { TextFile } from 'projen/lib/textfile';
import { renderTemplate } from '../core/template';

/**
 * The managed `<package>/logs.py` of an application package: `configure_logging` (JSON lines or
 * text on stdout, uvicorn's loggers included, its access log off) and `RequestLogMiddleware` (the
 * `X-Request-ID` taken or made, sent back and set in every line; one line per request). Standard
 * library only, so a service without a database (no pydantic-settings) has it too. Written once per
 * project; returns the module's dotted name.
 */
export function ensureLogsModule(project: Project, appPackage: string): string {
  const filePath = `${appPackage}/logs.py`;
  const dotted = `${appPackage.split('/').join('.')}.logs`;
  if (!project.tryFindFile(filePath)) {
    const file = new TextFile(project, filePath, { marker: true });
    const body = renderTemplate('python/logs.py', { marker: file.marker ?? '', loggerName: `${dotted}.request` });
    for (const line of body.split('\n')) file.addLine(line);
  }
  return dotted;
}
