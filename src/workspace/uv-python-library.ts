import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import { TomlFile } from 'projen/lib/toml';
import { ResolvedLibrary, UvPythonLibraryOptions } from './options';
import { checkKnownOptions } from '../core/known-options';
import { checkNoSecrets, DIR_SEGMENT, OptionReader, PYTHON_IDENTIFIER, pythonPackageNameProblem } from '../core/option-reader';
import { Problems } from '../core/problems';
import { renderTemplate } from '../core/template';
import { DEFAULT_PYTHON_DEV_DEPS } from '../core/versions';
import { IWorkspaceModel, workspaceOf } from '../core/workspace';
import { isValidDistributionName, mergeRequirements, normalizeName } from '../python/pep508';

import { checkRequirements, importNameOf, PEP440 } from '../python/resolve';
import { pythonString } from '../python/samples';
import { RUFF_DEFAULTS, workspacePart } from '../python/sections';
import { MemberProjenrcFile } from '../service/toolchain';

/** The library's dev group by default: the test runner and the linter (no HTTP client, unlike a service). */
const LIBRARY_DEV_DEPS = DEFAULT_PYTHON_DEV_DEPS.filter((d) => /^(pytest|ruff)\b/.test(d));

function resolveLibraryOptions(options: UvPythonLibraryOptions, workspace: IWorkspaceModel | undefined): ResolvedLibrary {
  const problems = new Problems();
  const r = new OptionReader(problems, '');
  checkKnownOptions(problems, options, 'UvPythonLibraryOptions', 'UvPythonLibrary');
  checkNoSecrets(problems, { ...options, parent: undefined }, '');
  if (!workspace) {
    problems.add('parent', options.parent?.name,
      'a UvPythonLibrary is a member of a uv workspace: pass parent: <your UvWorkspace> and an outdir below it (e.g. outdir: "libs/<name>").');
  }
  const name = options.name;
  const validName = typeof name === 'string' && isValidDistributionName(name);
  if (!validName) {
    problems.add('name', name,
      'expected a Python distribution name: letters, digits, ".", "_" or "-", starting and ending with a letter or digit (e.g. "shared-utils").');
  }
  const description = r.str('description', options.description, 'A Python library of the workspace.', (v) => !/[\r\n]/.test(v), 'expected a one-line string.');
  const version = r.str('version', options.version, '0.1.0', PEP440, 'expected a PEP 440 version such as "0.1.0" or "1.2.0rc1".');
  const packageName = r.str('packageName', options.packageName, validName ? importNameOf(name) : 'lib',
    (v) => PYTHON_IDENTIFIER.test(v) && pythonPackageNameProblem(v) === undefined,
    `expected a Python identifier that is no keyword and shadows no library, e.g. "${validName ? importNameOf(name) : 'shared_utils'}".`);
  const testsDir = r.str('testsDir', options.testsDir, 'tests', DIR_SEGMENT, 'expected one directory name such as "tests" (letters, digits, "_", "-").');
  if (testsDir === packageName) {
    problems.add('testsDir', testsDir, `must differ from the package "${packageName}".`);
  }
  const deps = checkRequirements(problems, 'deps', options.deps);
  const devDeps = checkRequirements(problems, 'devDeps', options.devDeps);
  deps.forEach((d, i) => {
    if (validName && normalizeName(d.name) === normalizeName(name)) {
      problems.add(`deps[${i}]`, d.text, `names the library itself ("${name}"); remove it.`);
    }
  });
  problems.throwIfAny('UvPythonLibrary');
  return {
    name,
    description,
    version,
    deps: mergeRequirements([], deps),
    devDeps: mergeRequirements(LIBRARY_DEV_DEPS, devDeps),
    packageName,
    testsDir,
  };
}

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
      },
    };
  }
}
