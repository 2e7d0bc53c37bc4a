import { Component, Project, TomlFile } from 'projen';
import { ResolvedService } from '../service/resolved';

/**
 * Extra tool configuration other components contribute to `pyproject.toml`.
 */
export interface PyprojectContribution {
  /** Paths ruff must not check (e.g. generated migrations). */
  readonly ruffExclude?: string[];
}

/**
 * `pyproject.toml` (managed): PEP 621 `[project]`, `[dependency-groups]`, the uv build backend and the
 * ruff and pytest configuration, all from the resolved service options.
 *
 * Escape hatch: `project.pyproject.file.addOverride('tool.ruff.line-length', 120)`.
 */
export class Pyproject extends Component {
  /** The underlying TOML file. */
  public readonly file: TomlFile;
  private readonly ruffExclude: string[] = [];

  constructor(project: Project, service: ResolvedService) {
    super(project);
    const [uvMajor, uvMinor] = service.uvVersion.split('.').map(Number);
    this.file = new TomlFile(project, 'pyproject.toml', {
      obj: () => ({
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
            'line-length': 100,
            ...(this.ruffExclude.length > 0 ? { 'extend-exclude': [...this.ruffExclude] } : {}),
            'lint': {
              select: ['E', 'W', 'F', 'I', 'B', 'UP'],
              isort: { 'known-first-party': [service.app.packageDir] },
            },
          },
          pytest: {
            ini_options: {
              testpaths: [service.testsDir],
            },
          },
        },
      }),
    });
  }

  /** Adds tool configuration from another component. */
  public contribute(contribution: PyprojectContribution): void {
    this.ruffExclude.push(...(contribution.ruffExclude ?? []));
  }
}
