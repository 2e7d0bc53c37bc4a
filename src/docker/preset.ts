import { Project } from 'projen/lib/project';
import { serveCommandOf, shellWordValue } from './command';
import { DockerStages } from './docker-stages';
import { CopyInstruction, DockerInstruction as I, DockerStageOptions, ExposeInstruction, HealthcheckInstruction, IDockerInstruction, RunMount } from './model';

import { ResolvedDocker, SHUTDOWN_HEADROOM_SECONDS } from './resolve';
import { OptionProblem, Problems } from '../core/problems';
import { NeonDatabase } from '../database/neon-database';

import type { AppEntrypoint, ResolvedPython } from '../python/resolve';
import { PythonSamples } from '../python/samples';
import { ensureSettingsModule } from '../python/settings-module';

/** Where the project lives in the images. */
export const IMAGE_WORKDIR = '/app';
/** uv's distroless image (the `uv` and `uvx` binaries only). */
export const UV_IMAGE = 'ghcr.io/astral-sh/uv';
/** uv's cache inside the builder; a BuildKit cache mount keeps it between builds. */
const UV_CACHE = '/root/.cache/uv';

/** `.dockerignore` patterns of a Python service, after the base ones of {@link DockerStages}. */
export const PYTHON_DOCKERIGNORE: readonly string[] = [
  // The image builds its own virtualenv; a local one has host paths and another platform.
  '.venv',
  '**/__pycache__',
  '**/*.py[cod]',
  // Secrets never enter the build context: .env, .env.local, .envrc ... and .env.example too (the
  // image never reads it, and one rule without exceptions cannot re-include a real secret by mistake).
  '**/.env*',
  '**/.pytest_cache',
  '**/.ruff_cache',
  '**/.mypy_cache',
  '.coverage',
  'htmlcov',
  'dist',
];

/** Option path of the user's extra .dockerignore patterns, named in errors they cause. */
const IGNORE_PATTERNS_OPTION = 'dockerOptions.ignorePatterns';

/**
 * `.env` files that must never be in the build context (they hold secrets; `.env.example` too, see
 * {@link PYTHON_DOCKERIGNORE}), checked at synth against `.dockerignore`.
 */
export const ENV_FILES: readonly string[] = ['.env', '.env.local', '.env.production', 'config/.env', '.env.example'];

/**
 * Context files the service's image needs besides the COPY sources themselves (the files inside the
 * copied directories that the build, the app and the migrations read), each taken from the component
 * that owns it: the app module and its packages (Python), the build files, and the database's files
 * (`NeonDatabase.imageFiles`). The tests the testing stage runs are that stage's own (see
 * {@link createServiceDocker}).
 */
export function requiredContextFiles(service: ResolvedPython, db?: NeonDatabase): string[] {
  return ['pyproject.toml', 'uv.lock', 'README.md', ...service.app.packageInits, service.app.moduleFile, ...(db?.imageFiles ?? [])];
}

/** The base image of the builder and runtime stages: `python:<pythonVersion>-slim` unless overridden. */
export function baseImageOf(service: ResolvedPython, docker: ResolvedDocker): string {
  const image = docker.baseImage ?? `python:${service.pythonVersion}-slim`;
  return docker.baseImageDigest ? `${image}@${docker.baseImageDigest}` : image;
}

/** uv's image at the service's exact uv release (and digest, if pinned). */
export function uvImageOf(service: ResolvedPython, docker: ResolvedDocker): string {
  const image = `${UV_IMAGE}:${service.uvVersion}`;
  return docker.uvImageDigest ? `${image}@${docker.uvImageDigest}` : image;
}

/**
 * Uvicorn worker processes of the runtime CMD when `WEB_CONCURRENCY` is unset: one process per
 * container, as FastAPI advises under an orchestrator that runs replicas (Kubernetes, Cloud Run);
 * platforms that size processes themselves (Heroku) set `WEB_CONCURRENCY`.
 */
export const DEFAULT_WEB_CONCURRENCY = 1;

/**
 * The runtime CMD: first the pre-flight, `python -m <package>.settings` (every setting read once: a
 * bad value ends the container with one line naming the variable, before uvicorn forks workers that
 * would each exit on it and be restarted forever), then uvicorn on `$PORT` (the service's port when
 * unset, the convention of Heroku, Railway and Cloud Run) with `$WEB_CONCURRENCY` workers
 * ({@link DEFAULT_WEB_CONCURRENCY} when unset). Exec form running `sh -c '… && exec uvicorn …'`: the
 * shell expands the variables, then `exec` replaces it, so uvicorn is PID 1 and gets the stop signal.
 * `settingsModule` is the dotted name of the managed settings module.
 */
export function runtimeCommand(service: ResolvedPython, docker: ResolvedDocker, settingsModule: string): string[] {
  return ['sh', '-c', [
    `python -m ${settingsModule} && exec uvicorn`, service.app.entrypoint,
    '--host 0.0.0.0',
    `--port "\${PORT:-${service.port}}"`,
    `--workers "\${WEB_CONCURRENCY:-${DEFAULT_WEB_CONCURRENCY}}"`,
    `--timeout-graceful-shutdown ${gracefulShutdownOf(docker.gracePeriodSeconds)}`,
    '--proxy-headers',
  ].join(' ')];
}

/** uvicorn's `--timeout-graceful-shutdown` for a grace period: the period less {@link SHUTDOWN_HEADROOM_SECONDS}. */
export function gracefulShutdownOf(gracePeriodSeconds: number): number {
  return gracePeriodSeconds - SHUTDOWN_HEADROOM_SECONDS;
}

/**
 * The exec-form health probe: Python's standard library, since slim images have no curl. It probes
 * the port the CMD listens on: `$PORT`, else the service's port.
 */
export function healthProbe(service: ResolvedPython): string[] {
  const url = `'http://127.0.0.1:' + os.environ.get('PORT', '${service.port}') + '${service.healthPath}'`;
  return ['python', '-c', `import os, urllib.request; urllib.request.urlopen(${url}, timeout=4)`];
}

/**
 * The uv preset a {@link UvPythonService} gets by default, after uv's Docker guide: a builder that
 * syncs the locked dependencies before the source (so a source-only change reuses that layer), an
 * optional testing stage, and a runtime stage with only the virtualenv and the app, running as a
 * fixed non-root uid. The stages' roles, the context and the image name go to the `DockerStages`,
 * which derives the `docker:build` and `docker:test` tasks from them at synth. What the image copies
 * of the database and the tests is read from the components that own those files
 * (`NeonDatabase.of(project)`, `PythonSamples.of(project)`).
 */
export function createServiceDocker(project: Project, service: ResolvedPython, docker: ResolvedDocker): DockerStages {
  const db = NeonDatabase.of(project);
  const samples = PythonSamples.of(project);
  const app = service.app.packageDir;

  const builder: DockerStageOptions = {
    name: docker.builderStage,
    image: baseImageOf(service, docker),
    instructions: [
      ...builderHead(service, docker),
      I.comment('Dependencies first: this layer is rebuilt only when pyproject.toml or uv.lock change.'),
      I.run(['uv sync --locked --no-install-project --no-dev'], {
        mounts: [
          uvCacheMount(),
          RunMount.bind({ source: 'uv.lock', target: 'uv.lock' }),
          RunMount.bind({ source: 'pyproject.toml', target: 'pyproject.toml' }),
        ],
      }),
      I.comment(`Then the project: what the uv_build backend needs (pyproject.toml, README.md, ${app}/).`),
      I.copy(['pyproject.toml', 'uv.lock', 'README.md'], './'),
      I.copy([app], `./${app}`),
      I.run(['uv sync --locked --no-dev --no-editable'], { mounts: [uvCacheMount()] }),
    ],
  };

  const testing: DockerStageOptions | undefined = docker.testingStage === undefined ? undefined : {
    name: docker.testingStage,
    fromStage: docker.builderStage,
    instructions: [
      I.comment(`The dev dependency group and the tests: docker build --target ${docker.testingStage}, then run it.`),
      I.run(['uv sync --locked --no-editable'], { mounts: [uvCacheMount()] }),
      I.env({ PATH: VENV_PATH }),
      I.copy([service.testsDir], `./${service.testsDir}`),
      I.cmd(['pytest']),
    ],
  };

  // Copied as root (no --chown): the runtime user reads and runs the code but cannot rewrite it; the
  // bytecode was compiled in the builder (UV_COMPILE_BYTECODE), so nothing is written at runtime.
  const runtime = runtimeStageOf(project, service, docker, [
    I.comment('Only the virtualenv and the application, owned by root (read-only to the runtime user): no uv, no build tools, no cache.'),
    I.copy([`${IMAGE_WORKDIR}/.venv`], `${IMAGE_WORKDIR}/.venv`, { fromStage: docker.builderStage }),
    I.copy([`${IMAGE_WORKDIR}/${app}`], `${IMAGE_WORKDIR}/${app}`, { fromStage: docker.builderStage }),
    ...(db ? migrationCopies(db, '') : []),
  ]);

  const stages = serviceStages(project, service, docker, [builder, ...(testing ? [testing] : []), runtime], [...PYTHON_DOCKERIGNORE]);
  stages.requireInContext(...requiredContextFiles(service, db));
  // The tests the testing stage runs belong to that stage: they go with it when it is removed.
  if (testing && samples) stages.stage(testing.name).requireInContext(samples.healthTest);
  requireEnvFilesOut(stages, '');
  return stages;
}

/** `/app/.venv/bin` first on PATH. */
export const VENV_PATH = `${IMAGE_WORKDIR}/.venv/bin:$PATH`;

/** uv's cache as a BuildKit cache mount (kept between builds, never in a layer). */
export function uvCacheMount(): RunMount {
  return RunMount.cache({ target: UV_CACHE });
}

/** The builder stage's first instructions: uv and uvx from uv's image, uv's settings, the workdir. */
export function builderHead(service: ResolvedPython, docker: ResolvedDocker): IDockerInstruction[] {
  return [
    I.copy(['/uv', '/uvx'], '/bin/', { fromImage: uvImageOf(service, docker) }),
    I.env({ UV_COMPILE_BYTECODE: '1', UV_LINK_MODE: 'copy', UV_PYTHON_DOWNLOADS: '0' }),
    I.workdir(IMAGE_WORKDIR),
  ];
}

/**
 * The COPY of Alembic's files from the build context into the runtime stage's workdir, so migrations
 * run from the image (`alembic upgrade head`). `dir` is the project's directory in the context
 * (`''` when the context is the project; `services/orders/` in a workspace). Copied as root: the
 * runtime user reads them and cannot rewrite them.
 */
export function migrationCopies(db: NeonDatabase, dir: string): IDockerInstruction[] {
  return [
    I.comment('Alembic, so migrations run from this image: alembic upgrade head.'),
    I.copy([`${dir}${db._resolved.alembicConfig}`], './'),
    I.copy([`${dir}${db._resolved.migrationsDir}`], `./${db._resolved.migrationsDir}`),
  ];
}

/**
 * The runtime stage of a service: labels, a fixed non-root user, `files` (what it copies: the
 * virtualenv, the app, the migrations), then PATH, USER, EXPOSE, HEALTHCHECK and the uvicorn CMD.
 */
export function runtimeStageOf(project: Project, service: ResolvedPython, docker: ResolvedDocker, files: IDockerInstruction[]): DockerStageOptions {
  const settingsModule = ensureSettingsModule(project, service.app.packageDir);
  return {
    name: docker.runtimeStage,
    image: baseImageOf(service, docker),
    instructions: [
      I.label({
        'org.opencontainers.image.title': service.name,
        'org.opencontainers.image.description': service.description,
        'org.opencontainers.image.version': service.version,
      }, { literal: true }), // text from the options: a "$" in the description is not a variable
      I.run([
        `groupadd --system --gid ${docker.gid} ${docker.userName}`,
        `useradd --system --uid ${docker.uid} --gid ${docker.gid} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${docker.userName}`,
      ]),
      I.workdir(IMAGE_WORKDIR),
      ...files,
      I.env({
        PATH: VENV_PATH,
        PYTHONUNBUFFERED: '1',
        // Whose X-Forwarded-For uvicorn's --proxy-headers takes (dockerOptions.forwardedAllowIps).
        ...(docker.forwardedAllowIps !== undefined ? { FORWARDED_ALLOW_IPS: docker.forwardedAllowIps } : {}),
      }),
      I.user(String(docker.uid), String(docker.gid)),
      I.expose(service.port),
      ...(docker.healthcheck
        ? [I.healthcheck(healthProbe(service), { intervalSeconds: 30, timeoutSeconds: 5, startPeriodSeconds: 10, retries: 3 })]
        : []),
      I.cmd(runtimeCommand(service, docker, settingsModule)),
    ],
  };
}

/**
 * The service's `DockerStages` on these stages: the roles, the image name, the port and health path
 * the runtime serves, the checks a service's Dockerfile must pass (exec form, non-root runtime user,
 * {@link runtimeCommandProblems}) and its ignore file (the base patterns, `ignorePatterns`, then the
 * user's `dockerOptions.ignorePatterns`).
 */
export function serviceStages(
  project: Project,
  service: ResolvedPython,
  docker: ResolvedDocker,
  stages: DockerStageOptions[],
  ignorePatterns: string[],
): DockerStages {
  const result = new DockerStages(project, {
    dockerfile: docker.dockerfile,
    context: docker.context,
    syntax: docker.syntax,
    stages,
    runtimeStage: docker.runtimeStage,
    testingStage: docker.testingStage,
    builderStage: docker.builderStage,
    imageName: docker.imageName,
    port: service.port,
    healthPath: service.healthPath,
    readyPath: service.readyPath,
    gracePeriodSeconds: docker.gracePeriodSeconds,
    requireExecForm: true,
    requireNonRootUser: true,
    ignorePatterns,
  });
  result.ignore?.addOptionPatterns(IGNORE_PATTERNS_OPTION, docker.ignorePatterns);
  if (docker.healthcheck) result.addPortReader('the HEALTHCHECK probes it');
  result._addCheck(() => runtimeCommandProblems(result, service.app));
  result._addCheck(() => readOnlyCodeProblems(result, docker));
  return result;
}

/** Whether an octal mode such as "0775" lets the group or others write (its group or other digit has the 2 bit). */
function groupOrOtherMayWrite(octal: string): boolean {
  const digits = octal.slice(-3).split('').map(Number);
  return [digits[1], digits[2]].some((d) => Math.floor(d / 2) % 2 === 1); // the write bit, 2
}

/**
 * The runtime stage's code stays read-only to the user it runs as: a COPY there may not hand its
 * files to that user (`--chown` naming its uid or name) nor make them writable by others
 * (`--chmod` with the write bit for group or others), or a compromised process could rewrite the
 * application it runs. Copied as root, the files are readable and executable as built.
 */
export function readOnlyCodeProblems(stages: DockerStages, docker: ResolvedDocker): OptionProblem[] {
  const problems = new Problems();
  const runtime = stages.tryFindStage(stages.runtimeTarget);
  if (!runtime) return [];
  const where = `project.docker stage "${runtime.name}" COPY`;
  const users = new Set([String(docker.uid), docker.userName]);
  for (const copy of runtime.instructions.filter((i): i is CopyInstruction => i instanceof CopyInstruction)) {
    const { chown, chmod } = copy.options;
    const owner = chown?.split(':')[0];
    if (owner !== undefined && users.has(owner)) {
      problems.add(`${where} ${copy.destination} --chown`, chown!,
        `hands the code to the runtime user (${docker.userName}, uid ${docker.uid}), who could then rewrite it; copy it as root (no --chown): the user reads and runs it as it is.`);
    }
    if (chmod !== undefined && /^[0-7]{3,4}$/.test(chmod) && groupOrOtherMayWrite(chmod)) {
      problems.add(`${where} ${copy.destination} --chmod`, chmod,
        'makes the code writable by group or others, the runtime user among them; drop the write bits (0755 for directories and programs, 0644 for files).');
    }
  }
  return [...problems.all];
}

/** `.env` files ({@link ENV_FILES}) under `dir` (a context-relative prefix, `''` or `services/orders/`) must stay out of the context. */
export function requireEnvFilesOut(stages: DockerStages, dir: string): void {
  stages.requireOutOfContext({
    paths: ENV_FILES.map((f) => `${dir}${f}`),
    reason: '.env files hold secrets, and what is in the build context can end up in an image layer or the build cache',
    pattern: '**/.env*',
  });
}

/**
 * The cross-file rules of the preset's runtime stage, checked at synth on the live model (registered on
 * the `DockerStages` by {@link serviceStages}): the CMD serves the service's app on the port the
 * `DockerStages` states (option `port`: what compose.yaml publishes, the manifests probe and the `dev`
 * task serves; option `app`: what pyproject.toml packages), and the HEALTHCHECK and EXPOSE name that
 * port, so a CMD, EXPOSE or HEALTHCHECK edited in `.projenrc.ts` must keep them; the fix is the
 * option, which moves every file with it. The CMD is read once, by {@link serveCommandOf}.
 */
export function runtimeCommandProblems(stages: DockerStages, app: AppEntrypoint): OptionProblem[] {
  const problems = new Problems();
  const runtime = stages.tryFindStage(stages.runtimeTarget);
  if (!runtime || stages.port === undefined) return []; // a missing runtime stage is reported by DockerStages, with the files that build it
  const where = `project.docker stage "${runtime.name}"`;
  const port = String(stages.port);
  const readers = stages.portReaders;

  // Read directly or out of `sh -c 'exec uvicorn …'` (the preset's form, which expands $PORT).
  const serve = serveCommandOf(stages.runtimeCommand);
  if (serve?.port !== undefined) {
    const { variable, value } = shellWordValue(serve.port);
    if (variable !== undefined && value === undefined) {
      problems.add(`${where} CMD --port`, serve.port,
        `the port comes from $${variable} with no default, so the image does not start where it is unset; write "\${${variable}:-${port}}" (the service's port, option port: ${readers}).`);
    } else if (value !== port) {
      problems.add(`${where} CMD --port`, variable ? serve.port : value,
        `the service listens on port ${port} (option port): ${readers}; set the port option instead, which moves every file with it, or keep --port ${variable ? `"\${${variable}:-${port}}"` : port}.`);
    }
  }
  // A CMD without the flag is left alone: uvicorn then waits for requests until the orchestrator's kill.
  if (stages.gracePeriodSeconds !== undefined && serve?.gracefulShutdown !== undefined) {
    const want = String(gracefulShutdownOf(stages.gracePeriodSeconds));
    const graceReaders = stages.gracePeriodReaders;
    if (serve.gracefulShutdown !== want) {
      problems.add(`${where} CMD --timeout-graceful-shutdown`, serve.gracefulShutdown,
        `must be ${want}: the grace period is ${stages.gracePeriodSeconds} s (option dockerOptions.gracePeriodSeconds${graceReaders ? `: ${graceReaders}` : ''}) and uvicorn stops ${SHUTDOWN_HEADROOM_SECONDS} s before the kill, so requests in flight finish; set dockerOptions.gracePeriodSeconds instead, which moves every file with it.`);
    }
  }
  if (serve?.app !== undefined && serve.app !== app.entrypoint) {
    problems.add(`${where} CMD`, serve.app,
      `the app is "${app.entrypoint}" (option app): pyproject.toml packages ${app.packageDir}, the Dockerfile copies ${app.packageDir}/ and the dev task and the tests run ${app.entrypoint}; set the app option instead, which moves every file with it.`);
  }
  const checks = runtime.instructions.filter((i): i is HealthcheckInstruction => i instanceof HealthcheckInstruction);
  const probe = (checks[checks.length - 1]?.command ?? []).join(' ');
  // A literal URL's port, or the default of the preset's `os.environ.get('PORT', '8000')`.
  const probed = /\/\/(?:127\.0\.0\.1|localhost|0\.0\.0\.0):([0-9]+)/.exec(probe)?.[1]
    ?? /environ\.get\(\s*['"]PORT['"]\s*,\s*['"]?([0-9]+)/.exec(probe)?.[1];
  if (probed !== undefined && probed !== port) {
    problems.add(`${where} HEALTHCHECK`, Number(probed),
      `the service listens on port ${port} (option port), so this probe would mark a healthy container unhealthy; probe port ${port}, or set the port option, which moves every file with it.`);
  }
  const exposed = runtime.instructions.filter((i): i is ExposeInstruction => i instanceof ExposeInstruction).map((i) => String(i.port));
  if (exposed.length > 0 && !exposed.includes(port)) {
    problems.add(`${where} EXPOSE`, exposed.map(Number),
      `the service listens on port ${port} (option port): ${readers}; set the port option instead, or expose ${port}.`);
  }
  return [...problems.all];
}
