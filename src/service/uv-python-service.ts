import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import { TextFile } from 'projen/lib/textfile';
import { UvPythonServiceOptions } from './options';
import { resolveServiceOptions } from './resolve';
import { ResolvedService } from './resolved';
import { NodeToolchain } from './toolchain';
import { CI_WORKFLOW_PATH, CiWorkflow, DEPENDABOT_PATH } from '../ci/ci-workflow';
import { renderTemplate } from '../core/template';
import { NeonDatabase } from '../database/neon-database';
import { DockerStages } from '../docker/docker-stages';
import { createServiceDocker, DEFAULT_WEB_CONCURRENCY } from '../docker/preset';
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

  private readonly fileNotes = new Map<string, string>();

  constructor(options: UvPythonServiceOptions) {
    // Validate before the base class touches the disk or the construct tree.
    const resolved = resolveServiceOptions(options);
    super(options);
    this.resolved = resolved;

    this.toolchain = new NodeToolchain(this, resolved);
    this.pyproject = new Pyproject(this, resolved);
    new UvLockRefresh(this, this.pyproject.file.path);

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

    // Components, in dependency order: CI reads what the database and Docker components produce.
    const { docker, database, ci } = resolved;
    if (database) {
      this.database = NeonDatabase._fromResolved(this, database, {
        appPackage: resolved.app.packageDir,
        composeApp: docker
          ? { buildContext: docker.context, dockerfile: docker.dockerfile, buildTarget: docker.runtimeStage, port: resolved.port }
          : undefined,
      });
      for (const f of this.database.files) this.describeFile(f.path, f.purpose);
    }
    if (docker) {
      this.docker = createServiceDocker(this, resolved, docker, database);
      this.describeFile(docker.dockerfile,
        `Multi-stage image (uv ${resolved.uvVersion}, Python ${resolved.pythonVersion}): ${this.docker.stages.map((s) => s.name).join(', ')}.`);
      if (this.docker.ignore) {
        this.describeFile(this.docker.ignore.path, 'What the Docker build context leaves out (virtualenv, caches, .env files, projen files).');
      }
    }
    if (ci) {
      this.ci = new CiWorkflow(this, resolved, ci, { docker, database });
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
  }

  /**
   * Documents a file in the generated README. Whether it is managed or written once is read from the
   * project itself at synth time, so the README cannot say otherwise.
   */
  public describeFile(filePath: string, purpose: string): void {
    this.fileNotes.set(filePath, purpose);
  }

  public preSynthesize(): void {
    super.preSynthesize();
    new SampleFile(this, 'README.md', { contents: this.renderReadme() });
  }

  private renderReadme(): string {
    const files = [...this.fileNotes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([p, purpose]) => {
        const kind = this.tryFindFile(p) ? 'managed' : 'written once';
        return `| \`${p}\` | ${kind} | ${purpose} |`;
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
      imageSection: this.resolved.docker ? `\n${imageSection(this.resolved)}\n` : '',
    });
  }
}

/** The README's part on running the image: the environment its CMD reads. */
function imageSection(service: ResolvedService): string {
  const port = service.port;
  const db = service.database ? ` -e ${service.database.pooledUrlEnv}` : '';
  return [
    '## Running the image',
    '',
    '```sh',
    'npx projen docker:build',
    `docker run --rm -p 127.0.0.1:${port}:${port}${db} -e WEB_CONCURRENCY=2 ${service.docker!.imageName}:latest`,
    '```',
    '',
    `The image runs uvicorn on \`$PORT\` (${port} when unset; Heroku, Railway and Cloud Run set it) with`,
    `\`$WEB_CONCURRENCY\` worker processes (${DEFAULT_WEB_CONCURRENCY} when unset: one process per container, as under an`,
    'orchestrator that scales by replicas; give it the number of CPUs a container may use).' +
      (service.database ? ' Each worker keeps its own database connections (see the connection budget below).' : ''),
  ].join('\n');
}
