import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { parse as parseToml } from 'smol-toml';

/** One finding of a validator, as text that names the file and place. */
export type Finding = string;

/**
 * Lints and format-checks Python sources with Ruff (wasm build), using the `[tool.ruff]` table of the
 * service's own pyproject.toml. Returns every finding; an empty list means clean.
 */
export function ruffFindings(pyprojectText: string, sources: Record<string, string>): Finding[] {
  const pyproject = parseToml(pyprojectText) as any;
  const settings = { ...(pyproject.tool?.ruff ?? {}) };
  delete settings['extend-exclude'];
  const workspace = new Workspace(settings, PositionEncoding.Utf8);
  const findings: Finding[] = [];
  for (const [file, text] of Object.entries(sources)) {
    for (const d of workspace.check(text) as any[]) {
      findings.push(`${file}:${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`);
    }
    if (workspace.format(text) !== text) {
      findings.push(`${file}: not formatted as "ruff format" would write it`);
    }
  }
  return findings;
}
