import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';

import { ensureLogsModule } from './logs-module';
import { ResolvedPython } from './resolve';
import { ensureSettingsModule } from './settings-module';
import { ASSETS_DIR, renderTemplate } from '../core/template';

/** Escapes text for the inside of a double-quoted Python string or docstring. */
export function pythonString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** The sample entrypoint templates, without and with the database: the module the app variable lives in. */
const ENTRYPOINT_TEMPLATES = ['python/main.py', 'python/main_db.py'];

/**
 * Every name the sample entrypoint binds at its top level (imports, functions, classes, assignments), read
 * from its templates: an app variable of the same name would shadow it (ruff F811) or be shadowed. The
 * template's own `{{tokens}}` (the app variable itself) are not names.
 */
export function sampleEntrypointNames(): ReadonlySet<string> {
  const names = new Set<string>();
  for (const template of ENTRYPOINT_TEMPLATES) {
    // Parenthesized imports on one line, so that each statement is read whole.
    const text = fs.readFileSync(path.join(ASSETS_DIR, template), 'utf-8').replace(/\(([^()]*)\)/g, (m, inner: string) =>
      (m.includes('\n') ? `(${inner.replace(/\s*\n\s*/g, ' ')})` : m));
    for (const line of text.split('\n')) {
      const from = /^from \S+ import \(?([^)]*)\)?$/.exec(line);
      const imported = /^import (.+)$/.exec(line);
      const defined = /^(?:async def|def|class) ([A-Za-z_][A-Za-z0-9_]*)/.exec(line);
      const assigned = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]*)?=/.exec(line);
      const bound = from ? from[1].split(',') : imported ? imported[1].split(',') : [];
      for (const item of bound) {
        const words = item.trim().split(/\s+as\s+/);
        const name = (words[1] ?? words[0]).split('.')[0].trim();
        if (name) names.add(name);
      }
      if (defined) names.add(defined[1]);
      if (assigned) names.add(assigned[1]);
    }
  }
  return names;
}

/** What the samples need of a database, when the service has one. */
export interface SampleDatabase {
  /** Env var of the pooled URL: the app's, and the sample tests'. */
  readonly pooledUrlEnv: string;
  /** Env var of the direct URL: the sample tests create their own database over it. */
  readonly directUrlEnv: string;
}

/**
 * Written-once Python files: the application package, its entrypoint with the health route, and a
 * first test. Created when missing, never touched again.
 */
export class PythonSamples extends Component {
  /** The project's `PythonSamples`, or undefined when it has none (read by the Dockerfile preset). */
  public static of(project: Project): PythonSamples | undefined {
    const isSamples = (c: Component): c is PythonSamples => c instanceof PythonSamples;
    return project.components.find(isSamples);
  }

  /** The files this component may create, with what each one is (for the service README). */
  public readonly files: Array<{ readonly path: string; readonly purpose: string }> = [];
  /** The test of the health route, relative to the project root: what a testing image runs at least. */
  public readonly healthTest: string;

  constructor(project: Project, service: ResolvedPython, db?: SampleDatabase) {
    super(project);
    service.app.packageInits.forEach((init, i) => {
      const dotted = init.split('/').slice(0, -1).join('.');
      this.sample(init, 'Package marker.', renderTemplate('python/package_init.py', {
        description: pythonString(i === 0 ? `${service.name}: ${service.description}` : `Package ${dotted}.`),
      }));
    });
    const pkg = service.app.packageDir;
    const logsModule = ensureLogsModule(project, pkg);
    const settingsModule = ensureSettingsModule(project, pkg);
    this.sample(service.app.moduleFile, db
      ? `The ASGI application (${service.app.entrypoint}): health route and CRUD routes on the database session.`
      : `The ASGI application (${service.app.entrypoint}) with the health route.`, db
      ? renderTemplate('python/main_db.py', {
        name: service.name,
        variable: service.app.variable,
        healthPath: service.healthPath,
        readyPath: service.readyPath,
        logsModule,
        settingsModule,
        dbModule: `${pkg}.db`,
        modelsModule: `${pkg}.models`,
      })
      : renderTemplate('python/main.py', {
        name: service.name,
        variable: service.app.variable,
        healthPath: service.healthPath,
        readyPath: service.readyPath,
        logsModule,
        settingsModule,
      }));
    this.healthTest = `${service.testsDir}/test_health.py`;
    this.sample(this.healthTest, 'Test of the health route.', renderTemplate('python/test_health.py', {
      variable: service.app.variable,
      healthPath: service.healthPath,
      // One import block, in the order isort (ruff's I001) writes it.
      appImports: [`from ${logsModule} import configure_logging`, `from ${service.app.module} import ${service.app.variable}`]
        .sort((a, b) => (a.split(' ')[1].toLowerCase() < b.split(' ')[1].toLowerCase() ? -1 : 1))
        .join('\n'),
    }));
    if (db) {
      const skipped = `skipped, with how to run them, unless ${db.pooledUrlEnv} and ${db.directUrlEnv} are set`;
      this.sample(`${service.testsDir}/conftest.py`,
        `Test fixtures: a database of the tests' own (created over ${db.directUrlEnv}, dropped afterwards), the app on it.`,
        renderTemplate('python/conftest.py', {
          module: service.app.module,
          variable: service.app.variable,
          dbModule: `${pkg}.db`,
          pooledUrlEnv: db.pooledUrlEnv,
          directUrlEnv: db.directUrlEnv,
        }));
      this.sample(`${service.testsDir}/test_items.py`,
        `Every item route's success and error codes (201/200/204/404/422, pagination) against the database (${skipped}).`,
        renderTemplate('python/test_items.py', {
          dbModule: `${pkg}.db`,
          healthPath: service.healthPath,
          readyPath: service.readyPath,
        }));
    }
  }

  private sample(filePath: string, purpose: string, contents: string): void {
    new SampleFile(this.project, filePath, { contents });
    this.files.push({ path: filePath, purpose });
  }
}
