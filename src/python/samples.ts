import { Component, Project, SampleFile } from 'projen';
import { renderTemplate } from './template';
import { ResolvedService } from '../service/resolved';

/** Escapes text for the inside of a double-quoted Python string or docstring. */
export function pythonString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Written-once Python files: the application package, its entrypoint with the health route, and a
 * first test. Created when missing, never touched again.
 */
export class PythonSamples extends Component {
  /** Paths of the files this component may create. */
  public readonly paths: string[] = [];

  constructor(project: Project, service: ResolvedService) {
    super(project);
    const parts = service.app.module.split('.');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      this.sample(`${dir}/__init__.py`, renderTemplate('python/package_init.py', {
        description: pythonString(
          i === 1 ? `${service.name}: ${service.description}` : `Package ${parts.slice(0, i).join('.')}.`,
        ),
      }));
    }
    this.sample(service.app.moduleFile, renderTemplate('python/main.py', {
      name: service.name,
      variable: service.app.variable,
      healthPath: service.healthPath,
    }));
    this.sample(`${service.testsDir}/test_health.py`, renderTemplate('python/test_health.py', {
      module: service.app.module,
      variable: service.app.variable,
      healthPath: service.healthPath,
    }));
  }

  private sample(filePath: string, contents: string): void {
    new SampleFile(this.project, filePath, { contents });
    this.paths.push(filePath);
  }
}
