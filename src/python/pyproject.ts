import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { TomlFile } from 'projen/lib/toml';
import { ResolvedPython } from './model';

/**
 * The ruff settings the library writes into `[tool.ruff]`, and formats its own managed Python files
 * with. A user may change the ones in pyproject.toml; managed files are excluded from the user's ruff
 * run (`extend-exclude`), so a different line length cannot make CI's `ruff format --check` fail on a
 * file the user cannot edit.
 */
export const RUFF_DEFAULTS = {
  'line-length': 100,
  'lint': { select: ['E', 'W', 'F', 'I', 'B', 'UP'] },
} as const;

/**
 * `pyproject.toml` (managed): PEP 621 `[project]`, `[dependency-groups]`, the uv build backend and the
 * ruff and pytest configuration, all from the resolved service options.
 *
 * Escape hatch: `project.pyproject.file.addOverride('tool.ruff.line-length', 120)`.
 */
export class Pyproject extends Component {
  /** The underlying TOML file. */
  public readonly file: TomlFile;

  constructor(project: Project, service: ResolvedPython) {
    super(project);
    this.file = new TomlFile(project, 'pyproject.toml', { obj: () => this.render(service) });
  }

  /** The file's content, computed at synth: by then every managed file of the project is known. */
  private render(service: ResolvedPython): Record<string, unknown> {
    const [uvMajor, uvMinor] = service.uvVersion.split('.').map(Number);
    const excluded = this.managedPythonFiles();
    return {
      'project': {
        'name': service.name,
        'version': service.version,
        'description': service.description,
        'readme': 'README.md',
        'requires-python': `>=${service.pythonVersion}`,
        'dependencies': [...service.deps],
      },
      'dependency-groups': {
        dev: [...service.devDeps],
      },
      'build-system': {
        'requires': [`uv_build>=${service.uvVersion},<${uvMajor}.${uvMinor + 1}.0`],
        'build-backend': 'uv_build',
      },
      'tool': {
        uv: {
          'build-backend': {
            'module-name': service.app.packageDir,
            'module-root': '',
          },
        },
        ruff: {
          'target-version': service.pythonTarget,
          'line-length': RUFF_DEFAULTS['line-length'],
          ...(excluded.length > 0 ? { 'extend-exclude': excluded } : {}),
          'lint': {
            select: [...RUFF_DEFAULTS.lint.select],
            isort: { 'known-first-party': [service.app.packageDir] },
          },
        },
        pytest: {
          ini_options: {
            testpaths: [service.testsDir],
          },
        },
      },
    };
  }

  /** Every managed Python file of the project: ruff leaves them to the library (see RUFF_DEFAULTS). */
  private managedPythonFiles(): string[] {
    return this.project.files.map((f) => f.path).filter((p) => p.endsWith('.py')).sort();
  }
}
