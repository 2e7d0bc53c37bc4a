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
            'line-length': RUFF_DEFAULTS['line-length'],
            ...(this.ruffExcluded().length > 0 ? { 'extend-exclude': this.ruffExcluded() } : {}),
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
      }),
    });
  }

  /** Paths ruff leaves alone: contributed ones, and every managed Python file of the project. */
  private ruffExcluded(): string[] {
    const managed = this.project.files.map((f) => f.path).filter((p) => p.endsWith('.py'));
    return [...new Set([...this.ruffExclude, ...managed])].sort();
  }

  /** Adds tool configuration from another component. */
  public contribute(contribution: PyprojectContribution): void {
    this.ruffExclude.push(...(contribution.ruffExclude ?? []));
  }
}
