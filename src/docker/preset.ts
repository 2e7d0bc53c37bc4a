import { Project } from 'projen/lib/project';
import { DockerStages } from './docker-stages';
import { DockerInstruction as I, RunMount } from './instructions';
import { ResolvedDocker } from './resolved';
import type { ResolvedDatabase } from '../database/resolved';
import type { ResolvedPython } from '../python/model';

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
 * Context files the service's image needs besides the COPY sources themselves: the files inside the copied
 * directories that the build (uv_build), the app, the migrations and the tests read.
 */
export function requiredContextFiles(service: ResolvedPython, docker: ResolvedDocker, db?: ResolvedDatabase): string[] {
  const files = ['pyproject.toml', 'uv.lock', 'README.md', ...service.app.packageInits, service.app.moduleFile];
  if (db) {
    const pkg = service.app.packageDir;
    files.push(`${pkg}/db.py`, `${pkg}/models.py`, db.alembicConfig, `${db.migrationsDir}/env.py`, `${db.migrationsDir}/script.py.mako`);
  }
  if (docker.testingStage) files.push(`${service.testsDir}/test_health.py`);
  return files;
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
 * The runtime CMD: uvicorn on `$PORT` (the service's port when unset, the convention of Heroku,
 * Railway and Cloud Run) with `$WEB_CONCURRENCY` workers ({@link DEFAULT_WEB_CONCURRENCY} when
 * unset). Exec form running `sh -c 'exec uvicorn …'`: the shell expands the variables, then `exec`
 * replaces it, so uvicorn is PID 1 and gets the stop signal.
 */
export function runtimeCommand(service: ResolvedPython): string[] {
  return ['sh', '-c', [
    'exec uvicorn', service.app.entrypoint,
    '--host 0.0.0.0',
    `--port "\${PORT:-${service.port}}"`,
    `--workers "\${WEB_CONCURRENCY:-${DEFAULT_WEB_CONCURRENCY}}"`,
    '--proxy-headers',
  ].join(' ')];
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
 * fixed non-root uid.
 */
export function createServiceDocker(project: Project, service: ResolvedPython, docker: ResolvedDocker, db?: ResolvedDatabase): DockerStages {
  const base = baseImageOf(service, docker);
  const app = service.app.packageDir;
  const owner = `${docker.uid}:${docker.gid}`;
  const uvCache = RunMount.cache({ target: UV_CACHE });

  const stages = new DockerStages(project, {
    dockerfile: docker.dockerfile,
    syntax: docker.syntax,
    runtimeStage: docker.runtimeStage,
    requireExecForm: true,
    requireNonRootUser: true,
    ignorePatterns: [...PYTHON_DOCKERIGNORE],
  });
  stages.ignore?.addOptionPatterns(IGNORE_PATTERNS_OPTION, docker.ignorePatterns);
  stages.requireInContext(...requiredContextFiles(service, docker, db));
  stages.requireOutOfContext({
    paths: [...ENV_FILES],
    reason: '.env files hold secrets, and what is in the build context can end up in an image layer or the build cache',
    pattern: '**/.env*',
  });

  stages.addStage({
    name: docker.builderStage,
    image: base,
    instructions: [
      I.copy(['/uv', '/uvx'], '/bin/', { fromImage: uvImageOf(service, docker) }),
      I.env({ UV_COMPILE_BYTECODE: '1', UV_LINK_MODE: 'copy', UV_PYTHON_DOWNLOADS: '0' }),
      I.workdir(IMAGE_WORKDIR),
      I.comment('Dependencies first: this layer is rebuilt only when pyproject.toml or uv.lock change.'),
      I.run(['uv sync --locked --no-install-project --no-dev'], {
        mounts: [
          uvCache,
          RunMount.bind({ source: 'uv.lock', target: 'uv.lock' }),
          RunMount.bind({ source: 'pyproject.toml', target: 'pyproject.toml' }),
        ],
      }),
      I.comment(`Then the project: what the uv_build backend needs (pyproject.toml, README.md, ${app}/).`),
      I.copy(['pyproject.toml', 'uv.lock', 'README.md'], './'),
      I.copy([app], `./${app}`),
      I.run(['uv sync --locked --no-dev --no-editable'], { mounts: [uvCache] }),
    ],
  });

  const venvPath = `${IMAGE_WORKDIR}/.venv/bin:$PATH`;
  if (docker.testingStage) {
    stages.addStage({
      name: docker.testingStage,
      fromStage: docker.builderStage,
      instructions: [
        I.comment(`The dev dependency group and the tests: docker build --target ${docker.testingStage}, then run it.`),
        I.run(['uv sync --locked --no-editable'], { mounts: [uvCache] }),
        I.env({ PATH: venvPath }),
        I.copy([service.testsDir], `./${service.testsDir}`),
        I.cmd(['pytest']),
      ],
    });
  }

  const runtime = stages.addStage({
    name: docker.runtimeStage,
    image: base,
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
      I.comment('Only the virtualenv and the application: no uv, no build tools, no cache.'),
      I.copy([`${IMAGE_WORKDIR}/.venv`], `${IMAGE_WORKDIR}/.venv`, { fromStage: docker.builderStage, chown: owner }),
      I.copy([`${IMAGE_WORKDIR}/${app}`], `${IMAGE_WORKDIR}/${app}`, { fromStage: docker.builderStage, chown: owner }),
    ],
  });
  if (db) {
    runtime.addInstructions(
      I.comment('Alembic, so migrations run from this image: alembic upgrade head.'),
      I.copy([db.alembicConfig], './', { chown: owner }),
      I.copy([db.migrationsDir], `./${db.migrationsDir}`, { chown: owner }),
    );
  }
  runtime.addInstructions(
    I.env({ PATH: venvPath, PYTHONUNBUFFERED: '1' }),
    I.user(String(docker.uid), String(docker.gid)),
    I.expose(service.port),
    ...(docker.healthcheck
      ? [I.healthcheck(healthProbe(service), { intervalSeconds: 30, timeoutSeconds: 5, startPeriodSeconds: 10, retries: 3 })]
      : []),
    I.cmd(runtimeCommand(service)),
  );

  const file = docker.dockerfile === 'Dockerfile' ? '' : ` -f ${docker.dockerfile}`;
  project.addTask('docker:build', {
    description: `Build the ${docker.runtimeStage} image ${docker.imageName}:latest`,
    exec: `docker build${file} --target ${docker.runtimeStage} --tag ${docker.imageName}:latest ${docker.context}`,
  });
  if (docker.testingStage) {
    project.addTask('docker:test', {
      description: `Build the ${docker.testingStage} stage and run the test suite in it`,
      steps: [
        { exec: `docker build${file} --target ${docker.testingStage} --tag ${docker.imageName}:${docker.testingStage} ${docker.context}` },
        { exec: `docker run --rm ${docker.imageName}:${docker.testingStage}` },
      ],
    });
  }

  return stages;
}
