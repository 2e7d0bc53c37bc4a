import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { TomlFile } from 'projen/lib/toml';
import { PyprojectOptions } from './options';
import { resolvePyprojectOptions, ResolvedPyproject } from './resolve';
import { MYPY_SETTINGS, RUFF_DEFAULTS, workspacePart } from './sections';
import { checkKnownOptions } from '../core/known-options';
import { OptionProblem, Problems, ServiceConfigError } from '../core/problems';
import { renderedObject } from '../core/rendered';

/**
 * `pyproject.toml` (managed): PEP 621 `[project]` (named after the project), `[dependency-groups]`,
 * the uv build backend and the ruff, pytest and mypy configuration. It owns the Python facts the other files
 * read (`Pyproject.of(project)`): the Python and uv versions, the app and its package, the tests
 * directory, the dependencies.
 *
 * Escape hatch: `project.pyproject.file.addOverride('tool.ruff.line-length', 120)`; an override of what
 * other files depend on (the packaged module) fails the synth, naming them.
 */
export class Pyproject extends Component {
  /** The project's `Pyproject`, or undefined when it has none. */
  public static of(project: Project): Pyproject | undefined {
    const isPyproject = (c: Component): c is Pyproject => c instanceof Pyproject;
    return project.components.find(isPyproject);
  }

  /** The underlying TOML file. */
  public readonly file: TomlFile;
  /**
   * The options after defaults and validation: the Python facts the other files read.
   *
   * @internal
   */
  public readonly _resolved: ResolvedPyproject;

  /**
   * `[tool.uv] exclude-newer` (a relative duration such as "7 days"), or undefined for none. Set by the
   * project that owns the cooldown (UvPythonService, from its CI's `upgradeCooldownDays`: see
   * `uvCooldownDays` in ci/upgrade-jobs.ts for why it lives here and when it is left out); read at synth.
   *
   * @internal
   */
  public _uvExcludeNewer?: string;

  constructor(project: Project, options: PyprojectOptions = {}) {
    super(project);
    const problems = new Problems();
    checkKnownOptions(problems, options, 'PyprojectOptions', 'Pyproject');
    const service = resolvePyprojectOptions(project.name, options, problems);
    problems.throwIfAny('Pyproject');
    this._resolved = service;
    this.file = new TomlFile(project, 'pyproject.toml', { obj: () => this.render(service) });
  }

  /**
   * The module uv_build packages (`tool.uv.build-backend.module-name`), as pyproject.toml will say it:
   * escape hatches on {@link file} included (undefined when one deleted it).
   */
  public get packagedModule(): string | undefined {
    return renderedObject(this.file).tool?.uv?.['build-backend']?.['module-name'];
  }

  /**
   * Where uv_build looks for it (`tool.uv.build-backend.module-root`; `""` is the project root), as
   * pyproject.toml will say it (undefined when an escape hatch deleted it: uv_build then reads `src`).
   */
  private get packagedModuleRoot(): string | undefined {
    return renderedObject(this.file).tool?.uv?.['build-backend']?.['module-root'];
  }

  /**
   * The cross-file rule of pyproject.toml: the packaged module is the app's package, at the project
   * root, where the Dockerfile copies it from and the entrypoint, the tests and the database module
   * import it. An escape hatch on {@link file} that changes it is a problem.
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    const problems = new Problems();
    const pkg = this._resolved.app.packageDir;
    const readers = `the app package is "${pkg}" (app: "${this._resolved.app.entrypoint}"): the Dockerfile copies ${pkg}/ and runs ${this._resolved.app.entrypoint}, ` +
      `the tests import ${this._resolved.app.module} and ruff counts ${pkg} as first-party, so uv would package another module than the one they use`;
    const name = this.packagedModule;
    if (name !== pkg) {
      problems.add('project.pyproject.file tool.uv.build-backend.module-name', name ?? null,
        `${readers}; leave module-name to the library and change the app option instead (e.g. "${name ?? 'svc'}.main:app"), which moves every file with it.`);
    }
    const root = this.packagedModuleRoot;
    if (root !== '') {
      problems.add('project.pyproject.file tool.uv.build-backend.module-root', root ?? null,
        `${readers}, from the project root (module-root ""); uv_build would look for it in "${root ?? 'src'}/" instead. Leave module-root to the library.`);
    }
    return [...problems.all];
  }

  public preSynthesize(): void {
    const found = this._checkProblems();
    if (found.length > 0) throw new ServiceConfigError('Pyproject (pyproject.toml)', found);
  }

  /** The file's content, computed at synth: by then every managed file of the project is known. */
  private render(service: ResolvedPyproject): Record<string, unknown> {
    const [uvMajor, uvMinor] = service.uvVersion.split('.').map(Number);
    const excluded = this.managedPythonFiles();
    const { sources, firstParty } = workspacePart(this.project);
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
          // Exactly the uv of the Dockerfile and CI (uv refuses to run otherwise and names the
          // `uv self update` to run): a developer's other uv could write a different uv.lock. An exact
          // pin rather than a range, as the library moves it with the Dockerfile and CI in one upgrade.
          'required-version': `==${service.uvVersion}`,
          // Every uv command reads it, so the lock the upgrade job writes is the one CI, the Docker
          // build and developers accept (uv records it in uv.lock and compares on --locked).
          ...(this._uvExcludeNewer !== undefined ? { 'exclude-newer': this._uvExcludeNewer } : {}),
          ...sources,
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
            isort: { 'known-first-party': [service.app.packageDir, ...firstParty] },
          },
        },
        pytest: {
          ini_options: {
            testpaths: [service.testsDir],
            // -ra: the reason of every skip (and xfail) is printed; markers and xfails are strict.
            addopts: ['-ra', '--strict-markers', '--strict-config'],
            xfail_strict: true,
          },
        },
        mypy: MYPY_SETTINGS(service.pythonVersion),
      },
    };
  }

  /** Every managed Python file of the project: ruff leaves them to the library (see RUFF_DEFAULTS). */
  private managedPythonFiles(): string[] {
    return this.project.files.map((f) => f.path).filter((p) => p.endsWith('.py')).sort();
  }
}

