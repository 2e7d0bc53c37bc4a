import { Project } from 'projen/lib/project';
import { ResolvedPython } from './resolve';

/**
 * The service's projen tasks, each a thin wrapper around uv.
 */
export function addPythonTasks(project: Project, service: ResolvedPython): void {
  project.addTask('install', {
    description: 'Create .venv and install the locked dependencies (uv sync)',
    exec: 'uv sync',
  });
  project.addTask('lock', {
    description: 'Refresh uv.lock from pyproject.toml',
    exec: 'uv lock',
  });
  project.addTask('dev', {
    description: `Run the service with auto-reload on http://127.0.0.1:${service.port}`,
    exec: `uv run uvicorn ${service.app.entrypoint} --reload --host 127.0.0.1 --port ${service.port}`,
  });
  project.testTask.reset('uv run pytest', { name: 'pytest' });
  project.testTask.description = 'Run the test suite (pytest)';
  project.addTask('lint', {
    description: 'Check code style (ruff check, ruff format --check)',
    steps: [{ exec: 'uv run ruff check .' }, { exec: 'uv run ruff format --check .' }],
  });
  project.addTask('format', {
    description: 'Format and fix the code (ruff format, ruff check --fix)',
    steps: [{ exec: 'uv run ruff format .' }, { exec: 'uv run ruff check --fix .' }],
  });
}
