import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { parse as parseToml } from 'smol-toml';
import { RUFF_DEFAULTS } from '../../src/python/sections';

/** One finding of a validator, as text that names the file and place. */
export type Finding = string;

/**
 * Lints and format-checks Python sources with Ruff (wasm build), using the `[tool.ruff]` table of the
 * service's own pyproject.toml. Files that table excludes (`extend-exclude`: the library's managed
 * files) are checked with the library's own defaults instead, which they are written for. Returns
 * every finding; an empty list means clean.
 */
export function ruffFindings(pyprojectText: string, sources: Record<string, string>): Finding[] {
  const pyproject = parseToml(pyprojectText) as any;
  const settings = { ...(pyproject.tool?.ruff ?? {}) };
  const excluded = new Set<string>(settings['extend-exclude'] ?? []);
  delete settings['extend-exclude'];
  const user = new Workspace(settings, PositionEncoding.Utf8);
  const library = new Workspace(
    {
      ...RUFF_DEFAULTS,
      'target-version': settings['target-version'],
      'lint': { ...RUFF_DEFAULTS.lint, isort: settings.lint?.isort },
    },
    PositionEncoding.Utf8,
  );
  const findings: Finding[] = [];
  for (const [file, text] of Object.entries(sources)) {
    const workspace = excluded.has(file) ? library : user;
    for (const d of workspace.check(text) as any[]) {
      findings.push(`${file}:${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`);
    }
    if (workspace.format(text) !== text) {
      findings.push(`${file}: not formatted as "ruff format" would write it`);
    }
  }
  return findings;
}
