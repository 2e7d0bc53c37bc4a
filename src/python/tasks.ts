import { Project } from 'projen/lib/project';
import { Task } from 'projen/lib/task';
import { ResolvedPython } from './resolve';

/** The file of local settings every task that runs the service's code loads when it exists. */
export const ENV_FILE = '.env';

/**
 * The one task every task that runs the service's code goes through (`dev`, `test`, `db:*`):
 * `uv run --env-file .env <command>` when `.env` exists, `uv run <command>` when it does not (CI sets
 * the variables itself). uv refuses an `--env-file` that does not exist, hence the two steps; either
 * way a variable already set in the environment wins over `.env` (uv's rule).
 */
export const UV_RUN_TASK = 'run';

/**
 * The project's {@link UV_RUN_TASK} task, added on first use (the database component uses it in a
 * project that may not have the Python tasks).
 */
export function uvRunTask(project: Project): Task {
  return project.tasks.tryFind(UV_RUN_TASK) ?? project.addTask(UV_RUN_TASK, {
    description: `Run a command in the project environment (uv run), loading ${ENV_FILE} when it exists: npx projen ${UV_RUN_TASK} <command>`,
    steps: [
      // "$@": each argument passed on as one word, quoted for the shell.
      { exec: `uv run --env-file ${ENV_FILE} "$@"`, condition: `test -f ${ENV_FILE}`, receiveArgs: true },
      { exec: 'uv run "$@"', condition: `! test -f ${ENV_FILE}`, receiveArgs: true },
    ],
  });
}

/** What {@link addUvRunTask} adds. */
export interface UvRunTaskOptions {
  /** What the task does, for `npx projen --help` and the service README. */
  readonly description: string;
  /** The command and its fixed arguments, run through {@link UV_RUN_TASK}. */
  readonly command: string[];
  /** Whether the arguments given to the task (`npx projen <task> <args>`) follow the command. */
  readonly receiveArgs?: boolean;
}

/** A task that runs `command` in the project environment with `.env` loaded ({@link UV_RUN_TASK}). */
export function addUvRunTask(project: Project, name: string, options: UvRunTaskOptions): Task {
  const task = project.tasks.tryFind(name) ?? project.addTask(name);
  task.reset();
  task.description = options.description;
  task.spawn(uvRunTask(project), { args: options.command, receiveArgs: options.receiveArgs, name: options.command.join(' ') });
  return task;
}

/**
 * The service's projen tasks, each a thin wrapper around uv; the ones that run the service's code
 * load `.env` when it exists ({@link UV_RUN_TASK}).
 */
export function addPythonTasks(project: Project, service: ResolvedPython): void {
  project.addTask('install', {
    description: 'Create .venv and install the locked dependencies (uv sync)',
    exec: 'uv sync',
  });
  project.addTask('lock', {
    description: 'Refresh uv.lock from pyproject.toml (uv lock); commit uv.lock',
    exec: 'uv lock',
  });
  const dev = addUvRunTask(project, 'dev', {
    description: `Run the service with auto-reload on http://127.0.0.1:${service.port} (${ENV_FILE} loaded when it exists; text logs unless LOG_FORMAT is set in the shell)`,
    command: ['uvicorn', service.app.entrypoint, '--reload', '--host', '127.0.0.1', '--port', String(service.port)],
    receiveArgs: true,
  });
  // Local work reads text lines; the shell's LOG_FORMAT wins. projen evaluates $(...) when the task runs,
  // but leaves "${...}" in it unexpanded: printenv, not a parameter expansion.
  dev.env('LOG_FORMAT', '$(printenv LOG_FORMAT || echo text)');
  addUvRunTask(project, project.testTask.name, {
    description: `Run the test suite (pytest; ${ENV_FILE} loaded when it exists): npx projen test [pytest arguments]`,
    command: ['pytest'],
    receiveArgs: true,
  });
  project.addTask('lint', {
    description: 'Check code style and types (ruff check, ruff format --check, mypy)',
    steps: [{ exec: 'uv run ruff check .' }, { exec: 'uv run ruff format --check .' }, { exec: 'uv run mypy' }],
  });
  project.addTask('format', {
    description: 'Format and fix the code (ruff format, ruff check --fix)',
    steps: [{ exec: 'uv run ruff format .' }, { exec: 'uv run ruff check --fix .' }],
  });
}
