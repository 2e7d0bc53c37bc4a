import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import { Task } from 'projen/lib/task';
import { TextFile } from 'projen/lib/textfile';
import { TomlFile } from 'projen/lib/toml';
import { workspaceProblems } from './checks';
import { closure, ScannedMember, scanMembers } from './model';
import { UvWorkspaceOptions } from './options';
import { UvPythonLibrary } from './uv-python-library';
import { CiOptions } from '../ci/options';
import { resolveWorkspaceCiOptions } from '../ci/workspace-jobs';
import { WorkspaceCiWorkflow } from '../ci/workspace-workflow';
import { WorkspaceCompose } from '../compose/workspace-compose';
import { checkKnownOptions } from '../core/known-options';
import { LIBRARY_NAME } from '../core/library';
import { checkNoSecrets, OptionReader } from '../core/option-reader';
import { Problems, ServiceConfigError } from '../core/problems';
import { DEFAULT_PYTHON_DEV_DEPS } from '../core/versions';
import {

  registerWorkspace,
  WorkspaceDatabaseMode,
  WorkspaceMember,
} from '../core/workspace';
import { isValidDistributionName, mergeRequirements } from '../python/pep508';

import { checkPythonVersion, checkRequirements, checkUvVersion } from '../python/resolve';
import { RUFF_DEFAULTS } from '../python/sections';
import { ENV_FILE } from '../python/tasks';
import { UvLockRefresh } from '../python/uv-lock';
import { staleUvPin } from '../service/resolve';
import { NodeToolchain } from '../service/toolchain';
import { fromProjenNew, resolveToolchainDeps } from '../service/toolchain-deps';
import { UvPythonService } from '../service/uv-python-service';

/** fqn of the project type, as `projen new` records it. */
const WORKSPACE_FQN = `${LIBRARY_NAME}.UvWorkspace`;

/** The workspace's dev group by default: the test runner, the linter and the type checker every member uses. */
const WORKSPACE_DEV_DEPS = DEFAULT_PYTHON_DEV_DEPS.filter((d) => /^(pytest|ruff|mypy)\b/.test(d));

/** One member of the `projen new` sample: its project type and options, rendered into `.projenrc.ts` as they are. */
interface SampleMember {
  readonly type: 'UvPythonLibrary' | 'UvPythonService';
  readonly options: Record<string, unknown>;
}

/** The sample `projen new` adds (see {@link UvWorkspaceOptions.sample}). */
const SAMPLE_MEMBERS: readonly SampleMember[] = [
  { type: 'UvPythonLibrary', options: { name: 'common', outdir: 'libs/common' } },
  { type: 'UvPythonService', options: { name: 'orders', outdir: 'services/orders', port: 8001, deps: ['common'] } },
  { type: 'UvPythonService', options: { name: 'billing', outdir: 'services/billing', port: 8002 } },
];

/**
 * The root of a uv workspace of Python services and libraries, all defined in one `.projenrc.ts`:
 *
 * ```ts
 * const workspace = new UvWorkspace({ name: 'shop' });
 * new UvPythonLibrary({ parent: workspace, name: 'common', outdir: 'libs/common' });
 * new UvPythonService({ parent: workspace, name: 'orders', outdir: 'services/orders', port: 8001, deps: ['common'] });
 * workspace.synth();
 * ```
 *
 * The root writes the virtual root `pyproject.toml` (`[tool.uv.workspace] members`, the shared dev
 * group, ruff), `.python-version`, the projen toolchain (`package.json`, `.projenrc.ts`) and refreshes
 * the one `uv.lock`; its tasks run across members. A member depends on another by name (`deps`); the
 * members' `[tool.uv.sources]` and dependency closures are derived at synth. Every rule across members
 * (unique names, ports, images and packages, no dependency cycle) is checked before anything is written.
 *
 * @pjid uv-workspace
 */
export class UvWorkspace extends Project {
  /** CPython `MAJOR.MINOR` of the workspace. */
  public readonly pythonVersion: string;
  /** Exact uv release of the workspace. */
  public readonly uvVersion: string;
  /** The local database layout of the root compose.yaml. */
  public readonly databaseMode: WorkspaceDatabaseMode;
  /** The shared `dev` dependency group, PEP 508. */
  public readonly devDeps: string[];
  /** Whether the workspace has its CI workflow. */
  public readonly ciEnabled: boolean;
  /** The options of the workspace's CI workflow, as given. */
  public readonly ciOptions?: CiOptions;
  /** The root `pyproject.toml` (virtual: no `[project]`). */
  public readonly pyproject: TomlFile;
  /** `package.json` and the `.projenrc.ts` runner. */
  public readonly toolchain: NodeToolchain;
  /** The workspace's one CI workflow (`.github/workflows/ci.yml`); undefined when `ci: false`. */
  public readonly ci?: WorkspaceCiWorkflow;
  /** The workspace's one `compose.yaml`: every service, its database (shared or per service, see `databaseMode`). */
  public readonly compose: WorkspaceCompose;

  /** The scan every read of the model uses while a synth runs (every file of every member reads it). */
  private synthScan?: ScannedMember[];
  /** `lint`: ruff over the tree, then mypy in each member (derived from the members at synth). */
  private readonly lintTask: Task;

  /** The last scan, and the number of subprojects it saw. */
  private scanned?: { readonly count: number; readonly members: ScannedMember[] };

  constructor(options: UvWorkspaceOptions) {
    // `projen new --from <spec>` passes the library's npm spec as devDeps: it belongs to toolchainDeps.
    const given = fromProjenNew(options, WORKSPACE_FQN);
    const problems = new Problems();
    const r = new OptionReader(problems, '');
    checkKnownOptions(problems, given, 'UvWorkspaceOptions', 'UvWorkspace');
    checkNoSecrets(problems, given, '');
    if (typeof given.name !== 'string' || !isValidDistributionName(given.name)) {
      problems.add('name', given.name, 'expected a name of letters, digits, ".", "_" or "-", starting and ending with a letter or digit (e.g. "shop").');
    }
    if (given.parent) {
      problems.add('parent', given.parent.name, 'a UvWorkspace is the root of its repository: remove parent.');
    }
    const pythonVersion = checkPythonVersion(problems, given.pythonVersion);
    const uvVersion = checkUvVersion(problems, given.uvVersion);
    const devDeps = checkRequirements(problems, 'devDeps', given.devDeps);
    const toolchainDeps = resolveToolchainDeps(problems, given.toolchainDeps);
    const databaseMode = r.enum('databaseMode', given.databaseMode, WorkspaceDatabaseMode, 'WorkspaceDatabaseMode', WorkspaceDatabaseMode.PER_SERVICE);
    const ci = r.bool('ci', given.ci, true);
    if (ci) resolveWorkspaceCiOptions(given.ciOptions, problems, 'ciOptions');
    const sample = r.bool('sample', given.sample, true);
    problems.throwIfAny('UvWorkspace');

    super(given);
    this.pythonVersion = pythonVersion;
    this.uvVersion = uvVersion;
    this.databaseMode = databaseMode;
    this.devDeps = mergeRequirements(WORKSPACE_DEV_DEPS, devDeps);
    this.ciEnabled = ci;
    this.ciOptions = ci ? given.ciOptions : undefined;
    registerWorkspace(this);
    const stale = staleUvPin(given.uvVersion);
    if (stale) this.logger.warn(stale);

    this.toolchain = new NodeToolchain(this, { name: given.name, toolchainDeps });
    this.pyproject = new TomlFile(this, 'pyproject.toml', { obj: () => this.renderPyproject() });
    new UvLockRefresh(this, this.pyproject.path, () => this.members().map((m) => `${m.dir}/pyproject.toml`));
    new TextFile(this, '.python-version', { lines: [pythonVersion, ''] });
    this.gitignore.exclude('.venv/', '__pycache__/', '*.py[cod]', '.pytest_cache/', '.ruff_cache/', '.coverage', 'dist/', '.env', '.env.*');
    this.gitignore.include('.env.example');
    new SampleFile(this, 'README.md', { contents: workspaceReadme(given.name) });

    // Read the members at synth: a member added after them reaches compose.yaml and ci.yml.
    this.compose = new WorkspaceCompose(this);
    if (ci) this.ci = new WorkspaceCiWorkflow(this, given.ciOptions);

    this.addTask('sync', { description: 'Create .venv and install every member with its locked dependencies (uv sync --all-packages)', exec: 'uv sync --all-packages' });
    this.addTask('lock', { description: 'Refresh the one uv.lock from every pyproject.toml', exec: 'uv lock' });
    this.lintTask = this.addTask('lint', {
      description: 'Check code style of every member (ruff check, ruff format --check) and its types (mypy strict, in its directory)',
    });
    this.addTask('format', {
      description: 'Format and fix the code of every member (ruff format, ruff check --fix)',
      steps: [{ exec: 'uv run ruff format .' }, { exec: 'uv run ruff check --fix .' }],
    });
    this.testTask.description = `Run the tests of every member, each in its directory with its ${ENV_FILE} loaded when it exists (uv run pytest)`;

    if (this.initProject && sample) {
      for (const m of SAMPLE_MEMBERS) {
        const opts = { parent: this, ...m.options } as any;
        if (m.type === 'UvPythonLibrary') new UvPythonLibrary(opts);
        else new UvPythonService(opts);
      }
      new SampleInProjenrc(this, SAMPLE_MEMBERS);
    }
  }

  /** Every member, in the order they were added (scanned from the subprojects now). */
  public members(): WorkspaceMember[] {
    return this.scan().map((s) => s.member);
  }

  /** The member `project` is (or is below); undefined for any other project. */
  public memberOf(project: Project): WorkspaceMember | undefined {
    const scanned = this.scan();
    for (let p: Project | undefined = project; p; p = p.parent) {
      const found = scanned.find((s) => s.project === p);
      if (found) return found.member;
    }
    return undefined;
  }

  /**
   * The members as they are now. What makes a member (its name, package and dependencies) is fixed
   * when it is constructed, and projen never removes a subproject: the scan is redone only when a
   * subproject was added since the last one, which keeps every read live at a fraction of the cost
   * (every file of every member reads the model).
   */
  private scan(): ScannedMember[] {
    // During a synth no member is added: the scan made when it began serves every read.
    if (this.synthScan) return this.synthScan;
    const count = this.subprojects.length;
    if (this.scanned?.count !== count) this.scanned = { count, members: scanMembers(this) };
    return this.scanned.members;
  }

  /** The member named `name` first, then every member it depends on, transitively (depth-first, declaration order, each once). */
  public closureOf(name: string): WorkspaceMember[] {
    return closure(this.members(), name);
  }

  /**
   * Checks every rule across members (and each member's own cross-file rules) before anything is
   * written: one {@link ServiceConfigError} lists every problem. Then derives the tasks that run across
   * the members.
   */
  public preSynthesize(): void {
    super.preSynthesize();
    this.synthScan = undefined;
    const scanned = this.scan();
    this.synthScan = scanned;
    // The members' rules and the workspace's; once they hold, those of the files the root writes for
    // all of them (compose.yaml, ci.yml), which read the members: one error, before anything is written.
    const problems = workspaceProblems(this, scanned);
    if (problems.length === 0) problems.push(...this.compose._checkProblems(), ...(this.ci?._checkProblems() ?? []));
    if (problems.length > 0) throw new ServiceConfigError('UvWorkspace', problems);
    // The members' import checks too, before the root's cleanup deletes anything (an import of a
    // member's package that the importing member does not declare fails the synth).
    for (const { project } of scanned) {
      if (project instanceof UvPythonService) project._importCheck?._runEarly();
    }
    this.testTask.reset();
    this.lintTask.reset('uv run ruff check .');
    this.lintTask.exec('uv run ruff format --check .');
    for (const { member } of scanned) {
      // Each member's tests with its own .env when it has one, as its own `test` task runs them (a step's
      // condition runs at the root, hence the member's path in it).
      const envFile = `${member.dir}/${ENV_FILE}`;
      this.testTask.exec(`uv run --env-file ${ENV_FILE} pytest`, { cwd: member.dir, name: `pytest (${member.name}, ${ENV_FILE})`, condition: `test -f ${envFile}` });
      this.testTask.exec('uv run pytest', { cwd: member.dir, name: `pytest (${member.name})`, condition: `! test -f ${envFile}` });
      // mypy reads the [tool.mypy] of the pyproject.toml in its working directory: the member's own.
      this.lintTask.exec('uv run mypy', { cwd: member.dir, name: `mypy (${member.name})` });
    }
  }

  /** Synthesizes the workspace and its members; the model is read live again afterwards. */
  public synth(): void {
    try {
      super.synth();
    } finally {
      this.synthScan = undefined;
    }
  }

  private renderPyproject(): Record<string, unknown> {
    return {
      'tool': {
        uv: {
          // uv reads its settings from the workspace root only (a member's [tool.uv] settings are
          // ignored): the root pins the one uv of every member's Dockerfile and CI job.
          'required-version': `==${this.uvVersion}`,
          'workspace': { members: this.members().map((m) => m.dir) },
        },
        ruff: {
          'target-version': `py${this.pythonVersion.replace('.', '')}`,
          'line-length': RUFF_DEFAULTS['line-length'],
          'lint': { select: [...RUFF_DEFAULTS.lint.select] },
        },
      },
      'dependency-groups': { dev: [...this.devDeps] },
    };
  }
}

/**
 * At `projen new`: adds the sample members to the `.projenrc.ts` projen has just written from the
 * root's options, as the constructor added them to the new project, so the next synth is the same.
 */
class SampleInProjenrc extends Component {
  constructor(project: Project, private readonly members: readonly SampleMember[]) {
    super(project);
  }

  public projectCreation(): void {
    const file = path.join(this.project.outdir, '.projenrc.ts');
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf-8');
    const synth = text.match(/^(\w+)\.synth\(\);\s*$/m);
    if (!synth || text.includes('UvPythonService')) return;
    const root = synth[1];
    const lines = [
      '',
      '// Members: each with parent and its own outdir. A member depends on another by name (deps);',
      '// the workspace derives [tool.uv.sources], the images and the CI path filters from that.',
      ...this.members.map((m) => `new ${m.type}(${renderOptions({ parent: root, ...m.options }, root)});`),
      '',
    ];
    const imports = text.replace(
      /^import \{ UvWorkspace \} from "projen-uv-service";$/m,
      'import { UvPythonLibrary, UvPythonService, UvWorkspace } from "projen-uv-service";',
    );
    const withImports = imports === text
      ? `import { UvPythonLibrary, UvPythonService } from "projen-uv-service";\n${text}`
      : imports;
    fs.writeFileSync(file, withImports.replace(synth[0], `${lines.join('\n')}\n${synth[0]}`));
  }
}

/** `{ parent: project, name: "orders", port: 8001, deps: ["common"] }`; `parent` names the root's variable. */
function renderOptions(options: Record<string, unknown>, root: string): string {
  const parts = Object.entries(options).map(([k, v]) => `${k}: ${k === 'parent' ? root : JSON.stringify(v).replace(/,/g, ', ')}`);
  return `{ ${parts.join(', ')} }`;
}

function workspaceReadme(name: string): string {
  return [
    `# ${name}`,
    '',
    'A uv workspace of Python services and libraries, generated by projen-uv-service from `.projenrc.ts`.',
    '',
    '- `npx projen` synthesizes every member\'s files; `npx projen sync` installs every member into one `.venv`.',
    '- `npx projen test` runs each member\'s tests in its directory; `npx projen lint` runs ruff on the whole tree, then mypy (strict) in each member.',
    '- Add a member in `.projenrc.ts` with `parent` set to the workspace and its own `outdir`; a member depends on',
    '  another by listing its name in `deps`.',
    '',
  ].join('\n');
}
