import { Project } from 'projen/lib/project';
import { TextFile } from 'projen/lib/textfile';
import { UvPythonServiceOptions } from './options';
import { markedBlock, ReadmeText, ServiceReadme } from './readme';
import { ResolvedService, memberDefaults, resolveServiceOptions, staleUvPin } from './resolve';
import { MemberProjenrcFile, NodeToolchain } from './toolchain';
import { fromProjenNew } from './toolchain-deps';
import { CiWorkflow } from '../ci/ci-workflow';
import { CI_WORKFLOW_PATH, DEPENDABOT_PATH, UPGRADE_WORKFLOW_PATH } from '../ci/plan';
import { uvCooldownDays, uvCooldownNote, uvExcludeNewer } from '../ci/upgrade-jobs';
import { UpgradeWorkflow } from '../ci/upgrade-workflow';
import { ServiceCompose } from '../compose/service-compose';
import { OptionProblem, ServiceConfigError } from '../core/problems';
import { renderTemplate } from '../core/template';
import { IWorkspaceModel, workspaceOf } from '../core/workspace';
import { PoolStrategy } from '../database/enums';
import { NeonDatabase } from '../database/neon-database';
import { DockerStages } from '../docker/docker-stages';
import { createServiceDocker, DEFAULT_WEB_CONCURRENCY } from '../docker/preset';
import { createWorkspaceServiceDocker } from '../docker/workspace-preset';
import { KubernetesManifests } from '../k8s/kubernetes-manifests';
import { Pyproject } from '../python/pyproject';
import { PythonSamples } from '../python/samples';
import { addPythonTasks, UV_RUN_TASK } from '../python/tasks';
import { UV_INSTALL_URL, UvLockRefresh } from '../python/uv-lock';
import { ImportCheck } from '../usercode/import-check';

/**
 * A Python web service built with uv and FastAPI, every configuration file derived from one set of
 * typed options.
 *
 * With a `parent` that is a `UvWorkspace` (or a project below one), the service is a workspace member:
 * the workspace root owns the projen toolchain (package.json, .projenrc.ts), `uv.lock`,
 * `.python-version`, CI and `compose.yaml`; the member keeps its pyproject.toml (with
 * `[tool.uv.sources]` for the members it depends on), its app, tests, database code and Dockerfile.
 *
 * @pjid uv-python-service
 */
export class UvPythonService extends Project {
  /**
   * The options after defaults and validation, from which the service built its components.
   *
   * @internal
   */
  public readonly _resolved: ResolvedService;
  /** `pyproject.toml`. */
  public readonly pyproject: Pyproject;
  /** `package.json` and `.projenrc.ts` runner; undefined for a workspace member (the root has it). */
  public readonly toolchain?: NodeToolchain;
  /** The Dockerfile model; undefined when `docker: false`. */
  public readonly docker?: DockerStages;
  /** The database layer; undefined when `database: false`. */
  public readonly database?: NeonDatabase;
  /** `compose.yaml`: the local database stack and the app; undefined without a database, and for a workspace member (the workspace's compose.yaml runs it). */
  public readonly compose?: ServiceCompose;
  /** The CI workflow; undefined when `ci: false`. */
  public readonly ci?: CiWorkflow;
  /** The upgrade workflow; undefined when `ci: false` or `ciOptions.upgradeWorkflow: false`. */
  public readonly upgrade?: UpgradeWorkflow;
  /** The Kubernetes manifests (`deploy/k8s/`); undefined unless `kubernetes: true`. */
  public readonly kubernetes?: KubernetesManifests;
  /** `README.md`: the block between its markers follows the options; the rest is the user's. */
  private readonly readme: ServiceReadme;
  /**
   * The check of the service's own Python imports against the model; undefined when `importCheck: false`.
   *
   * @internal
   */
  public readonly _importCheck?: ImportCheck;

  /**
   * Set by the workspace root once it has checked this member's cross-file rules in its own
   * preSynthesize, so that they are not checked twice.
   *
   * @internal
   */
  public _checkedBy?: Project;

  /** The workspace this service is a member of; undefined for a standalone service. */
  private readonly workspace?: IWorkspaceModel;

  /** What each file is, for the README; a function is read when the README is written (at synth). */
  private readonly fileNotes = new Map<string, { purpose: string | (() => string); ifPresent: boolean }>();

  constructor(options: UvPythonServiceOptions) {
    // `projen new --from <spec>` passes the library's npm spec as devDeps: it belongs to toolchainDeps.
    // (The parameter keeps the name "options": projen's inventory requires it.)
    const given = fromProjenNew(options);
    // A member of a uv workspace (its parent, or a project above it, is a UvWorkspace).
    const workspace = given.parent ? workspaceOf(given.parent) : undefined;
    const effective = workspace ? memberDefaults(given, workspace) : given;
    // Validate every option before the base class touches the disk or the construct tree: one error
    // lists every problem. The components below then take their own options, valid by now.
    const resolved = resolveServiceOptions(effective, { member: workspace !== undefined });
    super(given);
    this._resolved = resolved;
    this.workspace = workspace;
    const stale = staleUvPin(options.uvVersion);
    if (stale) this.logger.warn(stale);

    this.pyproject = new Pyproject(this, {
      description: resolved.description,
      version: resolved.version,
      pythonVersion: resolved.pythonVersion,
      uvVersion: resolved.uvVersion,
      deps: resolved.deps,
      devDeps: resolved.devDeps,
      app: resolved.app.entrypoint,
      testsDir: resolved.testsDir,
    });
    this.pyproject._uvExcludeNewer = uvExcludeNewer(uvCooldownDays(resolved.ci, resolved.uvVersion));
    const noCooldown = uvCooldownNote(resolved.ci, resolved.uvVersion);
    if (noCooldown) this.logger.warn(noCooldown);
    if (!workspace) {
      // A member has none of these: the workspace root runs .projenrc.ts, holds the one uv.lock and
      // the .python-version of the one virtualenv.
      this.toolchain = new NodeToolchain(this, resolved);
      new UvLockRefresh(this, this.pyproject.file.path);
      new TextFile(this, '.python-version', { lines: [resolved.pythonVersion, ''] });
    } else {
      new MemberProjenrcFile(this);
    }
    this.gitignore.exclude(
      '.venv/',
      '__pycache__/',
      '*.py[cod]',
      '.pytest_cache/',
      '.ruff_cache/',
      '.mypy_cache/',
      '.coverage',
      'dist/',
      '.env',
      '.env.*',
    );
    this.gitignore.include('.env.example');

    const samples = new PythonSamples(this, resolved, resolved.database);
    addPythonTasks(this, resolved);

    // Components, in dependency order: each reads what it needs of the ones before it from them
    // (`NeonDatabase.of(project)`, `DockerStages.of(project)`), at synth where an escape hatch can change it.
    if (resolved.database) {
      this.database = new NeonDatabase(this, { ...effective.databaseOptions, appPackage: resolved.app.packageDir });
    }
    if (resolved.docker) {
      // A member's image builds from the workspace root context, copying only its closure.
      const stages = (workspace ? createWorkspaceServiceDocker : createServiceDocker)(this, resolved, resolved.docker);
      this.docker = stages;
      stages.addPortReader('the dev task serves on it');
      this.fileNotes.set(stages.dockerfilePath, {
        purpose: () => `Multi-stage image (uv ${resolved.uvVersion}, Python ${resolved.pythonVersion}): ${stages.stages.map((st) => st.name).join(', ')}.`,
        ifPresent: false,
      });
      if (stages.ignore) {
        this.describeFile(stages.ignore.path, 'What the Docker build context leaves out (virtualenv, caches, .env files, projen files).');
      }
    }
    if (this.database) {
      // The README block is rewritten on every synth: it names the migrations directory, which is
      // always there, rather than the first migration, which the database component creates only once.
      const versions = `${this.database._resolved.migrationsDir}/versions/`;
      for (const f of this.database._files.filter((x) => !x.path.startsWith(versions))) this.describeFile(f.path, f.purpose);
      this.describeFile(versions, 'Your migrations: synth never writes here (the first one was created once, with the sample Item model).');
      // A workspace's one compose.yaml, at its root, runs every member's database and app.
      if (!workspace) {
        const compose = new ServiceCompose(this);
        this.compose = compose;
        this.fileNotes.set(compose.file.path, { purpose: () => compose.purpose, ifPresent: false });
      }
    }
    if (resolved.ci) {
      this.ci = new CiWorkflow(this, effective.ciOptions);
      this.describeFile(CI_WORKFLOW_PATH, `GitHub Actions CI: ${this.ci.jobIds.join(', ')}.`);
      // Written only when some Dependabot updater can open pull requests that pass (known at synth).
      this.fileNotes.set(DEPENDABOT_PATH, { purpose: 'Dependabot version updates whose pull requests edit no managed file.', ifPresent: true });
      if (resolved.ci.upgradeWorkflow) {
        this.upgrade = new UpgradeWorkflow(this, effective.ciOptions);
        this.describeFile(UPGRADE_WORKFLOW_PATH,
          'Weekly upgrade: one pull request moving the projen toolchain, the defaults it carries (uv, Python) and uv.lock.');
      }
    }
    if (resolved.kubernetes) {
      // cdk8s and cdk8s-plus are peers of the library, not installed (.npmrc): the toolchain lists and installs them.
      NodeToolchain.of(this)?.addKubernetesPackages();
      this.kubernetes = new KubernetesManifests(this, effective.kubernetesOptions);
      for (const f of this.kubernetes._files) this.describeFile(f.path, f.purpose);
    }

    if (!workspace) {
      this.describeFile('.projenrc.ts', 'The service definition: every managed file is derived from it.');
      this.describeFile('package.json', 'The projen toolchain (projen, tsx, projen-uv-service).');
      this.describeFile('.python-version', `The Python version uv uses (${resolved.pythonVersion}).`);
      this.describeFile('tsconfig.projen.json', 'TypeScript settings for editing .projenrc.ts.');
    }
    this.describeFile('pyproject.toml', workspace
      ? 'Python project: dependencies (`[tool.uv.sources]` for the workspace members it depends on), build backend, ruff and pytest settings.'
      : 'Python project: dependencies, build backend, ruff and pytest settings.');
    this.describeFile('.gitignore', 'Files git ignores (virtualenv, caches, .env files).');
    for (const f of samples.files) this.describeFile(f.path, f.purpose);
    this.describeFile('README.md', 'This file: the part between the projen-uv-service begin and end markers is rewritten by every synth; the rest is yours.');
    this.readme = new ServiceReadme(this, { renderReadme: () => this.renderReadme() });

    // Last: it reads, before anything is written, every file the components above generate.
    if (resolved.importCheck) this._importCheck = new ImportCheck(this, resolved.importCheck);
  }

  /**
   * Documents a file in the generated README. Whether it is managed or written once is read from the
   * project itself at synth time, so the README cannot say otherwise.
   */
  public describeFile(filePath: string, purpose: string): void {
    this.fileNotes.set(filePath, { purpose, ifPresent: false });
  }

  /**
   * Checks every cross-file rule before any component does its own part of the synth: a part one
   * component owns and another reads (a Docker stage a task, the workflow or compose.yaml builds), and
   * the parts built from them that `.projenrc.ts` edited too. One error lists every problem; nothing is
   * written then. See docs/cross-file-rules.md.
   */
  public preSynthesize(): void {
    super.preSynthesize();
    // A workspace member's rules were checked by the root, with every other member's, before the
    // root wrote anything (see UvWorkspace).
    if (this.workspace && this._checkedBy === this.workspace.root) return;
    const problems = this._crossFileProblems();
    if (problems.length > 0) throw new ServiceConfigError('UvPythonService', problems);
  }

  /**
   * The cross-file rules of this service's files (see {@link preSynthesize}).
   *
   * @internal
   */
  public _crossFileProblems(): OptionProblem[] {
    return [
      ...this.pyproject._checkProblems(),
      ...(this.database?._checkProblems() ?? []),
      ...(this.docker?._checkProblems() ?? []),
      ...(this.compose?._checkProblems() ?? []),
      ...(this.ci?._checkProblems() ?? []),
      ...(this.upgrade?._checkProblems() ?? []),
      ...(this.kubernetes?._checkProblems() ?? []),
    ];
  }

  private renderReadme(): ReadmeText {
    const files = [...this.fileNotes.entries()]
      .filter(([p, note]) => !note.ifPresent || this.tryFindFile(p))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([p, note]) => {
        const kind = p === this.readme.path ? 'managed block' : this.tryFindFile(p) ? 'managed' : 'written once';
        return `| \`${p}\` | ${kind} | ${typeof note.purpose === 'function' ? note.purpose() : note.purpose} |`;
      });
    const tasks = Object.values(this.tasks.all)
      .filter((t) => t.description && !['default', 'eject', 'pre-compile', 'compile', 'post-compile', 'package'].includes(t.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => `| \`${t.name}\` | ${t.description} |`);
    const envTasks = Object.values(this.tasks.all)
      .filter((t) => t.steps.some((step) => step.spawn === UV_RUN_TASK))
      .map((t) => `\`${t.name}\``);
    const block = renderTemplate('readme-block.md', {
      pythonVersion: this._resolved.pythonVersion,
      healthPath: this._resolved.healthPath,
      readyPath: this._resolved.readyPath,
      logsModule: `${this._resolved.app.packageDir}/logs.py`,
      gettingStarted: gettingStarted(this._resolved.port, this.database !== undefined),
      uvInstallUrl: UV_INSTALL_URL,
      ciLockNote: this.ci ? ', and CI\'s first step fails, naming `npx projen lock`, until `uv.lock` is committed' : '',
      envTasks: envTasks.join(', '),
      filesTable: files.join('\n'),
      tasksTable: tasks.join('\n'),
      databaseSection: this.database ? `\n${this.database.readmeSection.trimEnd()}\n` : '',
      kubernetesSection: this.kubernetes ? `\n${this.kubernetes.readmeSection().trimEnd()}\n` : '',
      upgradeNote: this.upgrade ? `\n${upgradeNote(this._resolved.ci!.upgradeTokenSecret, this._resolved.ci!.upgradeAppIdVariable, uvCooldownDays(this._resolved.ci, this._resolved.uvVersion), this._resolved.ci!.upgradeCooldownDays)}` : '',
      imageSection: this.docker?.imageName !== undefined ? `\n${imageSection(this._resolved, this.docker.imageName, this.docker.port ?? this._resolved.port)}\n` : '',
    });
    const initial = renderTemplate('README.md', {
      name: this._resolved.name,
      description: this._resolved.description,
      block: markedBlock(block),
    });
    return { block, initial };
  }
}

/**
 * The README's Getting-started commands, each with what it does, in an order that works on a fresh
 * clone (a root suite of this library runs them as written: scripts/suites/getting-started.sh).
 */
function gettingStarted(port: number, database: boolean): string {
  const steps: Array<[string, string]> = [
    ['npm install', 'the projen toolchain (once, and after package.json changes)'],
    ['npx projen', 'regenerate the managed files from .projenrc.ts'],
    ['npx projen lock', 'write uv.lock (uv lock), then commit it: the Docker build and CI install exactly it'],
    ...(database
      ? [
        ['cp .env.example .env', 'local settings (git-ignored): the URLs of the compose database'],
        ['npx projen db:up', 'Postgres and PgBouncer (compose.yaml), once they are healthy'],
        ['npx projen db:migrate', 'alembic upgrade head, over the direct URL'],
      ] as Array<[string, string]>
      : []),
    ['npx projen dev', `serve on http://127.0.0.1:${port} with auto-reload (Ctrl-C stops it)`],
    ['npx projen test', database ? 'the tests; the database tests on a database of their own' : 'the tests'],
  ];
  const width = Math.max(...steps.map(([command]) => command.length));
  return steps.map(([command, what]) => `${command.padEnd(width)}  # ${what}`).join('\n');
}

/**
 * What the README says about the upgrade workflow and the token it opens pull requests with. `uvDays`
 * is uv's cooldown (pyproject.toml's [tool.uv] exclude-newer, 0 for none), `npmDays` npm's.
 */
function upgradeNote(tokenSecret: string | undefined, appIdVariable: string | undefined, uvDays: number, npmDays: number): string {
  const how = appIdVariable
    ? `It opens that pull request as the GitHub App whose client ID is in the variable \`${appIdVariable}\`, so CI runs on it.`
    : tokenSecret
      ? `It opens that pull request with the token in the secret \`${tokenSecret}\`, so CI runs on it.`
      : 'It opens that pull request with the workflow\'s `GITHUB_TOKEN`, for which GitHub starts no `pull_request` run, ' +
        'so its `ci` job dispatches `ci.yml` on the pull request\'s branch (`actions: write` on that job only): the checks ' +
        'show on the pull request. With `ciOptions.upgradeTokenSecret` (a token) or `ciOptions.upgradeAppIdVariable` and ' +
        '`upgradeAppPrivateKeySecret` (a GitHub App) in `.projenrc.ts` the pull request triggers CI itself, as any other.';
  const npm = npmDays > 0 ? ` and \`npm update --before\` the date ${npmDays} days ago` : '';
  const uv = uvDays > 0
    ? ` (taking only releases at least ${uvDays} days old: pyproject.toml's \`[tool.uv] exclude-newer = "${uvDays} days"\`${npm})`
    : npm ? ` (npm's side waits: \`npm update --before\` the date ${npmDays} days ago)` : '';
  const cooldown = uvDays > 0
    ? ` Every uv command reads that setting, so CI, the Docker build and your own \`uv lock\` accept the same uv.lock, and a release newer than ${uvDays} days is not resolvable anywhere: to take one sooner (a security fix), exempt that package in \`.projenrc.ts\` with \`project.pyproject.file.addOverride('tool.uv.exclude-newer-package', { '<name>': false })\` (uv's per-package override; a timestamp or a duration instead of \`false\` sets that package's own cutoff), then run \`npx projen\` and \`uv lock\`.`
    : '';
  return `The \`upgrade\` workflow (weekly, or run it by hand) keeps the service current: it upgrades the projen toolchain within package.json's ranges, resynthesizes, runs \`uv lock --upgrade\`${uv}, lints and tests, and opens or updates one pull request listing what moved.${cooldown} ${how}`;
}

/**
 * The README's part on running the image: the environment its CMD reads. The image name and the port
 * are the `DockerStages`' own, read at synth.
 */
function imageSection(service: ResolvedService, imageName: string, port: number): string {
  const db = service.database ? ` -e ${service.database.pooledUrlEnv}` : '';
  return [
    '## Running the image',
    '',
    '```sh',
    'npx projen docker:build',
    `docker run --rm -p 127.0.0.1:${port}:${port}${db} -e WEB_CONCURRENCY=2 ${imageName}:latest`,
    '```',
    '',
    `The image runs uvicorn on \`$PORT\` (${port} when unset; Heroku, Railway and Cloud Run set it) with`,
    `\`$WEB_CONCURRENCY\` worker processes (${DEFAULT_WEB_CONCURRENCY} when unset: one process per container, as under an`,
    'orchestrator that scales by replicas; give it the number of CPUs a container may use).' +
      (service.database?.poolStrategy === PoolStrategy.CLIENT_POOL
        ? ` Each worker keeps its own pool of ${service.database.poolSize} database connections${service.database.poolMaxOverflow > 0 ? ` (up to ${service.database.poolSize + service.database.poolMaxOverflow} in a burst)` : ''}, so a container holds up to \`$WEB_CONCURRENCY\` × ${service.database.poolSize + service.database.poolMaxOverflow} connections to the pooler.`
        : ''),
    '',
    `Before uvicorn starts, the CMD runs \`python -m ${service.app.packageDir.split('/').join('.')}.settings\`, which reads every runtime setting`,
    'once: a bad value stops the container with one line naming the variable (with several workers, each',
    'would otherwise exit on it and be started again for ever).',
    '',
    forwardedNote(service.docker?.forwardedAllowIps),
  ].join('\n');
}

/** The README's word on FORWARDED_ALLOW_IPS: whose X-Forwarded-For uvicorn takes, and what to set behind a proxy. */
function forwardedNote(allowed: string | undefined): string {
  const now = allowed === undefined
    ? 'uvicorn takes `X-Forwarded-For` and `X-Forwarded-Proto` only from 127.0.0.1 (its default)'
    : allowed === '*'
      ? 'uvicorn takes `X-Forwarded-For` and `X-Forwarded-Proto` from every peer (`dockerOptions.forwardedAllowIps: ["*"]`): **any client that reaches the container directly can forge its address**, so keep it reachable only through the proxy'
      : `uvicorn takes \`X-Forwarded-For\` and \`X-Forwarded-Proto\` from ${allowed.split(',').map((a) => `\`${a}\``).join(', ')} (\`dockerOptions.forwardedAllowIps\`)`;
  return [
    `**Behind a proxy.** The CMD runs uvicorn with \`--proxy-headers\`; ${now}, as the image's`,
    '`FORWARDED_ALLOW_IPS` says (a deployment can set the variable). Behind a load balancer or a Kubernetes',
    'ingress controller, set `dockerOptions.forwardedAllowIps` to the addresses it connects from (its',
    'private addresses, or the pod network\'s CIDR such as `10.0.0.0/8`): otherwise every request\'s client',
    'address, in the request log\'s `client` too, is the balancer\'s. `["*"]` trusts every peer.',
  ].join('\n');
}
