import * as fs from 'fs';
import * as path from 'path';
import { parse as parseToml } from 'smol-toml';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { Finding, ruffFindings } from './validators';

/**
 * Runs every third-party validator that applies to the files of a synthesized service and returns
 * all findings (empty: every file passed). Dispatch is by file name, so a new kind of file without a
 * validator is reported as a finding rather than silently skipped.
 */
export function validateTree(dir: string, files: string[]): Finding[] {
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf-8');
  const findings: Finding[] = [];
  const python: Record<string, string> = {};
  for (const f of files) {
    const base = path.basename(f);
    try {
      if (f.endsWith('.toml')) {
        parseToml(read(f));
      } else if (f.endsWith('.py')) {
        python[f] = read(f);
      } else if (base.startsWith('tsconfig') && f.endsWith('.json')) {
        const err = ts.parseConfigFileTextToJson(f, read(f)).error;
        if (err) findings.push(`${f}: ${ts.flattenDiagnosticMessageText(err.messageText, ' ')}`);
      } else if (f.endsWith('.json')) {
        JSON.parse(read(f));
      } else if (f.endsWith('.yml') || f.endsWith('.yaml')) {
        for (const doc of parseAllDocuments(read(f))) {
          for (const e of doc.errors) findings.push(`${f}: ${e.message}`);
        }
      } else if (!KNOWN_UNVALIDATED.some((re) => re.test(f))) {
        findings.push(`${f}: no validator knows this file`);
      }
    } catch (e) {
      findings.push(`${f}: ${(e as Error).message}`);
    }
  }
  if (Object.keys(python).length > 0) {
    findings.push(...ruffFindings(read('pyproject.toml'), python));
  }
  return findings;
}

/** Files with no machine-checkable syntax of their own (prose, one-line values, ignore lists). */
const KNOWN_UNVALIDATED: RegExp[] = [
  /(^|\/)README\.md$/,
  /^\.python-version$/,
  /(^|\/)\.gitignore$/,
  /^\.gitattributes$/,
  /^\.projenrc\.ts$/,
  /(^|\/)\.gitkeep$/,
];
