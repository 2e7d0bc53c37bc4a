import { UvPythonLibraryOptions } from './options';
import { checkKnownOptions } from '../core/known-options';
import { checkNoSecrets, DIR_SEGMENT, OptionReader, PYTHON_IDENTIFIER, pythonPackageNameProblem } from '../core/option-reader';
import { Problems } from '../core/problems';
import { DEFAULT_PYTHON_DEV_DEPS } from '../core/versions';
import { IWorkspaceModel } from '../core/workspace';
import { isValidDistributionName, mergeRequirements, normalizeName } from '../python/pep508';
import { checkRequirements, importNameOf, PEP440 } from '../python/resolve';

/** {@link UvPythonLibraryOptions} after defaults and validation. */
export interface ResolvedLibrary {
  /** Distribution name, as given. */
  readonly name: string;
  readonly description: string;
  readonly version: string;
  /** Runtime requirements, PEP 508. */
  readonly deps: string[];
  /** `dev` dependency group, PEP 508. */
  readonly devDeps: string[];
  /** Top-level import package (a directory at the library's root). */
  readonly packageName: string;
  readonly testsDir: string;
}

/** The library's dev group by default: the test runner, the linter and the type checker (no HTTP client, unlike a service). */
const LIBRARY_DEV_DEPS = DEFAULT_PYTHON_DEV_DEPS.filter((d) => /^(pytest|ruff|mypy)\b/.test(d));

export function resolveLibraryOptions(options: UvPythonLibraryOptions, workspace: IWorkspaceModel | undefined): ResolvedLibrary {
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
