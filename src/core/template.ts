import * as fs from 'fs';
import * as path from 'path';

/** Directory of the template assets shipped with the package (`assets/`). */
export const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/**
 * Renders a template from `assets/` by plain token substitution: every `{{token}}` must be given,
 * and every given token must be used, so a template and its caller cannot drift apart silently.
 */
export function renderTemplate(relativePath: string, tokens: Record<string, string>): string {
  const text = fs.readFileSync(path.join(ASSETS_DIR, relativePath), 'utf-8');
  const used = new Set<string>();
  const out = text.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, (_m, key: string) => {
    if (!(key in tokens)) {
      throw new Error(`internal: template ${relativePath} uses {{${key}}}, which was not given`);
    }
    used.add(key);
    return tokens[key];
  });
  const unused = Object.keys(tokens).filter((k) => !used.has(k));
  if (unused.length > 0) {
    throw new Error(`internal: template ${relativePath} does not use ${unused.join(', ')}`);
  }
  return out;
}
