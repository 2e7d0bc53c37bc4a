import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import { TextFile } from 'projen/lib/textfile';
import { TomlFile } from 'projen/lib/toml';
import { UvPythonLibraryOptions } from './options';
import { ResolvedLibrary, resolveLibraryOptions } from './resolve';
import { renderTemplate } from '../core/template';
import { workspaceOf } from '../core/workspace';
import { pythonString } from '../python/samples';
import { MYPY_SETTINGS, RUFF_DEFAULTS, workspacePart } from '../python/sections';
import { MemberProjenrcFile } from '../service/toolchain';

/**
 * A library member of a {@link UvWorkspace}: shared Python code, packaged with uv_build, that other
 * members depend on by name (`deps: ["<name>"]`, made a workspace source at synth). No Docker, no
 * database, no CI of its own (the workspace's CI tests it with the services that depend on it).
 *
 * Files: `pyproject.toml` (managed), and, written once, `<packageName>/__init__.py`, a first test and
 * `README.md`.
 */
export class UvPythonLibrary extends Project {
  /**
   * The options after defaults and validation.
   *
   * @internal
   */
  public readonly _resolved: ResolvedLibrary;
  /** `pyproject.toml`. */
  public readonly pyproject: TomlFile;

  constructor(options: UvPythonLibraryOptions) {
    const workspace = options.parent ? workspaceOf(options.parent) : undefined;
    // Validate before the base class touches the disk or the construct tree.
    const resolved = resolveLibraryOptions(options, workspace);
    super(options);
    this._resolved = resolved;
    const python = workspace!.pythonVersion!;
    const uv = workspace!.uvVersion!;

    new MemberProjenrcFile(this);
    this.pyproject = new TomlFile(this, 'pyproject.toml', { obj: () => this.renderPyproject(python, uv) });
    this.gitignore.exclude('__pycache__/', '*.py[cod]', '.pytest_cache/', '.ruff_cache/', 'dist/');

    const pkg = resolved.packageName;
    new SampleFile(this, `${pkg}/__init__.py`, {
      contents: renderTemplate('workspace/library_init.py', { description: pythonString(`${resolved.name}: ${resolved.description}`) }),
    });
    // PEP 561: the package ships its types, so mypy checks the members that import it against them.
    new TextFile(this, `${pkg}/py.typed`, { lines: [] });
    new SampleFile(this, `${resolved.testsDir}/test_${pkg}.py`, {
      contents: renderTemplate('workspace/test_library.py', { package: pkg }),
    });
    new SampleFile(this, 'README.md', { contents: `# ${resolved.name}\n\n${resolved.description}\n\nImport it as \`${pkg}\` from a member that lists \`${resolved.name}\` in its \`deps\`.\n` });

    this.testTask.reset('uv run pytest', { name: 'pytest' });
    this.testTask.description = 'Run the library\'s tests (pytest)';
  }

  private renderPyproject(pythonVersion: string, uvVersion: string): Record<string, unknown> {
    const lib = this._resolved;
    const [uvMajor, uvMinor] = uvVersion.split('.').map(Number);
    const { sources, firstParty } = workspacePart(this);
    return {
      'project': {
        'name': lib.name,
        'version': lib.version,
        'description': lib.description,
        'readme': 'README.md',
        'requires-python': `>=${pythonVersion}`,
        'dependencies': [...lib.deps],
      },
      'dependency-groups': { dev: [...lib.devDeps] },
      'build-system': {
        'requires': [`uv_build>=${uvVersion},<${uvMajor}.${uvMinor + 1}.0`],
        'build-backend': 'uv_build',
      },
      'tool': {
        uv: {
          ...sources,
          'build-backend': { 'module-name': lib.packageName, 'module-root': '' },
        },
        ruff: {
          'target-version': `py${pythonVersion.replace('.', '')}`,
          'line-length': RUFF_DEFAULTS['line-length'],
          'lint': {
            select: [...RUFF_DEFAULTS.lint.select],
            isort: { 'known-first-party': [lib.packageName, ...firstParty] },
          },
        },
        pytest: { ini_options: { testpaths: [lib.testsDir] } },
        // The same strict settings as a service: the workspace's lint and CI run mypy in every member.
        mypy: MYPY_SETTINGS(pythonVersion),
      },
    };
  }
}
