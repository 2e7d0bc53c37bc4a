import { Component, Project, SampleFile, TextFile } from 'projen';
import { UvPythonServiceOptions } from './options';
import { resolveServiceOptions } from './resolve';
import { ResolvedService } from './resolved';
import { NodeToolchain } from './toolchain';
import { CI_WORKFLOW_PATH, CiWorkflow, DEPENDABOT_PATH } from '../ci/ci-workflow';
import { ServiceConfigError } from '../core/problems';
import { renderTemplate } from '../core/template';
import { NeonDatabase, neonDatabaseFromResolved } from '../database/neon-database';
import { DockerStages } from '../docker/docker-stages';
import { createServiceDocker, runtimeCommandProblems } from '../docker/preset';
import { Pyproject } from '../python/pyproject';
import { PythonSamples } from '../python/samples';
import { addPythonTasks } from '../python/tasks';
import { UvLockRefresh } from '../python/uv-lock';

/**
 * A Python web service built with uv and FastAPI, every configuration file derived from one set of
 * typed options.
 *
 * @pjid uv-python-service
 */
export class UvPythonService extends Project {
  /** The options after defaults and validation; the single source every component reads. */
  public readonly resolved: ResolvedService;
  /** `pyproject.toml`. */
  public readonly pyproject: Pyproject;
  /** `package.json` and `.projenrc.ts` runner. */
  public readonly toolchain: NodeToolchain;
  /** The Dockerfile model; undefined when `docker: false`. */
  public readonly docker?: DockerStages;
  /** The database layer; undefined when `database: false`. */
  public readonly database?: NeonDatabase;
  /** The CI workflow; undefined when `ci: false`. */
  public readonly ci?: CiWorkflow;

  /** What each file is, for the README; a function is read when the README is written (at synth). */
  private readonly fileNotes = new Map<string, string | (() => string)>();

  constructor(options: UvPythonServiceOptions) {
    // Validate before the base class touches the disk or the construct tree.
    const resolved = resolveServiceOptions(options);
    super(options);
    this.resolved = resolved;

    this.toolchain = new NodeToolchain(this, resolved);
    this.pyproject = new Pyproject(this, resolved);
    new UvLockRefresh(this);

    new TextFile(this, '.python-version', { lines: [resolved.pythonVersion, ''] });
    this.gitignore.exclude(
      '.venv/',
      '__pycache__/',
      '*.py[cod]',
      '.pytest_cache/',
      '.ruff_cache/',
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
    const { docker, database, ci } = resolved;
    if (database) {
      // The facts resolved above with the other options, handed over as they are.
      this.database = neonDatabaseFromResolved(this, database, { appPackage: resolved.app.packageDir });
    }
    if (docker) {
      const stages = createServiceDocker(this, resolved, docker);
      this.docker = stages;
      this.database?.runAppFrom(stages, resolved.port);
      this.fileNotes.set(stages.dockerfilePath,
        () => `Multi-stage image (uv ${resolved.uvVersion}, Python ${resolved.pythonVersion}): ${stages.stages.map((s) => s.name).join(', ')}.`);
      if (stages.ignore) {
        this.describeFile(stages.ignore.path, 'What the Docker build context leaves out (virtualenv, caches, .env files, projen files).');
      }
    }
    for (const f of this.database?.files ?? []) this.describeFile(f.path, f.purpose);
    if (ci) {
      this.ci = new CiWorkflow(this, resolved, ci);
      this.describeFile(CI_WORKFLOW_PATH, `GitHub Actions CI: ${this.ci.jobIds.join(', ')}.`);
      if (this.ci.dependabot) {
        this.describeFile(DEPENDABOT_PATH, 'Dependabot: weekly uv, Docker and GitHub Actions updates, with a cooldown.');
      }
    }

    this.describeFile('.projenrc.ts', 'The service definition: every managed file is derived from it.');
    this.describeFile('package.json', 'The projen toolchain (projen, tsx, projen-uv-service).');
    this.describeFile('pyproject.toml', 'Python project: dependencies, build backend, ruff and pytest settings.');
    this.describeFile('.python-version', `The Python version uv uses (${resolved.pythonVersion}).`);
    this.describeFile('tsconfig.projen.json', 'TypeScript settings for editing .projenrc.ts.');
    this.describeFile('.gitignore', 'Files git ignores (virtualenv, caches, .env files).');
    for (const f of samples.files) this.describeFile(f.path, f.purpose);
    this.describeFile('README.md', 'This file.');
    // Last: its preSynthesize runs after the other components' have brought their tasks and jobs in
    // line with the live model, so the README lists what is written.
    new ServiceReadme(this, () => this.renderReadme());
  }

  /**
   * Documents a file in the generated README. Whether it is managed or written once is read from the
   * project itself at synth time, so the README cannot say otherwise.
   */
  public describeFile(filePath: string, purpose: string): void {
    this.fileNotes.set(filePath, purpose);
  }

  /**
   * Checks every cross-file rule before any component does its own part of the synth: a part one
   * component owns and another reads (a Docker stage a task, the workflow or compose.yaml builds), and
   * the parts built from them that `.projenrc.ts` edited too. One error lists every problem; nothing is
   * written then. See the README's "Cross-file rules".
   */
  public preSynthesize(): void {
    super.preSynthesize();
    const problems = [
      ...this.pyproject._checkProblems(),
      ...(this.docker?._checkProblems() ?? []),
      ...(this.docker ? runtimeCommandProblems(this.docker, this.resolved) : []),
      ...(this.ci?._checkProblems() ?? []),
    ];
    if (problems.length > 0) throw new ServiceConfigError('UvPythonService', problems);
  }

  private renderReadme(): string {
    const files = [...this.fileNotes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([p, purpose]) => {
        const kind = this.tryFindFile(p) ? 'managed' : 'written once';
        return `| \`${p}\` | ${kind} | ${typeof purpose === 'function' ? purpose() : purpose} |`;
      });
    const tasks = Object.values(this.tasks.all)
      .filter((t) => t.description && !['default', 'eject', 'pre-compile', 'compile', 'post-compile', 'package'].includes(t.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => `| \`${t.name}\` | ${t.description} |`);
    return renderTemplate('README.md', {
      name: this.resolved.name,
      description: this.resolved.description,
      pythonVersion: this.resolved.pythonVersion,
      port: String(this.resolved.port),
      healthPath: this.resolved.healthPath,
      filesTable: files.join('\n'),
      tasksTable: tasks.join('\n'),
      databaseSection: this.database ? `\n${this.database.readmeSection.trimEnd()}\n` : '',
    });
  }
}

/** The service's README (written once), created at synth after every other component's preSynthesize. */
class ServiceReadme extends Component {
  constructor(project: Project, private readonly render: () => string) {
    super(project);
  }

  public preSynthesize(): void {
    new SampleFile(this.project, 'README.md', { contents: this.render() });
  }
}
