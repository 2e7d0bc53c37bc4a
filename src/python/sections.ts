import { Project } from 'projen/lib/project';
import { workspaceOf } from '../core/workspace';

/**
 * The ruff settings the library writes into `[tool.ruff]`, and formats its own managed Python files
 * with. A user may change the ones in pyproject.toml; managed files are excluded from the user's ruff
 * run (`extend-exclude`), so a different line length cannot make CI's `ruff format --check` fail on a
 * file the user cannot edit.
 */
export const RUFF_DEFAULTS = {
  'line-length': 100,
  'lint': { select: ['E', 'W', 'F', 'I', 'B', 'UP'] },
} as const;

/**
 * The type checker's settings in `[tool.mypy]`: strict, every Python file of the project (mypy skips
 * hidden directories such as `.venv`, and `node_modules`), for the service's Python version. The
 * `lint` task and CI run `mypy`; the generated and sample files pass it.
 */
export const MYPY_SETTINGS = (pythonVersion: string) => ({
  python_version: pythonVersion,
  strict: true,
  files: ['.'],
});

/**
 * What a workspace member's pyproject.toml says of the other members, read from the workspace at
 * synth (a member added after this one counts): `[tool.uv.sources]` for every member it depends on
 * (`{ workspace = true }`), and the packages of its dependency closure, first-party for ruff.
 * Nothing outside a workspace.
 */
export function workspacePart(project: Project): { sources: Record<string, unknown>; firstParty: string[] } {
  const ws = workspaceOf(project);
  const me = ws?.memberOf(project);
  if (!ws || !me) return { sources: {}, firstParty: [] };
  const sources = Object.fromEntries(me.dependsOn.map((name) => [name, { workspace: true }]));
  return {
    sources: me.dependsOn.length > 0 ? { sources } : {},
    firstParty: ws.closureOf(me.name).slice(1).map((m) => m.packageDir),
  };
}
