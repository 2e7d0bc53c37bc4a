// GitHub's own Actions libraries, run from jest (CommonJS) in a child `node` process:
//
//   node actions-tools.mjs parse <file>...   -> { file: [error, ...] }   (@actions/workflow-parser:
//                                               parse, then convert the template; [] means valid)
//   node actions-tools.mjs eval <json file>  -> [true|false, ...]       (@actions/expressions: each
//                                               { expr, context } evaluated as a job's `if:`)
//   node actions-tools.mjs serve             -> the same, one request per line (test/support/tool-process.ts)
//
// Both packages are ES modules, and the parser imports its schema JSON without an import attribute,
// which Node 20 refuses: a loader hook adds `type: "json"` to those imports.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { serveLines } from '../support/serve-lines.mjs';

const hook = `
export async function load(url, context, next) {
  if (url.endsWith('.json')) {
    return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

const [mode, ...args] = process.argv.slice(2);

async function parse(files) {
  const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');
  const out = {};
  for (const file of files) {
    const result = parseWorkflow({ name: file, content: readFileSync(file, 'utf-8') }, new NoOperationTraceWriter());
    const errors = [];
    if (result.value === undefined) {
      errors.push('the parser returned no template');
    } else {
      const template = await convertWorkflowTemplate(result.context, result.value);
      for (const e of template.errors ?? []) errors.push(e.Message ?? JSON.stringify(e));
    }
    for (const e of result.context.errors.getErrors()) {
      if (!errors.includes(e.message)) errors.push(e.message);
    }
    out[file] = errors;
  }
  return out;
}

async function evaluate(file) {
  const { data, Evaluator, Lexer, Parser } = await import('@actions/expressions');
  const { truthy } = await import('@actions/expressions/result');
  const toData = (v) => {
    if (v === null || v === undefined) return new data.Null();
    if (Array.isArray(v)) return new data.Array(...v.map(toData));
    if (typeof v === 'object') return new data.Dictionary(...Object.entries(v).map(([key, value]) => ({ key, value: toData(value) })));
    if (typeof v === 'boolean') return new data.BooleanData(v);
    if (typeof v === 'number') return new data.NumberData(v);
    return new data.StringData(String(v));
  };
  const results = [];
  for (const { expr, context } of JSON.parse(readFileSync(file, 'utf-8'))) {
    const lexed = new Lexer(expr).lex();
    const names = Object.keys(context);
    const ast = new Parser(lexed.tokens, names, []).parse();
    const value = new Evaluator(ast, toData(context)).evaluate();
    results.push(truthy(value));
  }
  return results;
}

async function answer([what, ...rest]) {
  if (what === 'parse') return parse(rest);
  if (what === 'eval') return evaluate(rest[0]);
  throw new Error(`usage: actions-tools.mjs parse <file>... | eval <json file> | serve`);
}

if (mode === 'serve') {
  await serveLines(answer);
} else {
  try {
    process.stdout.write(JSON.stringify(await answer([mode, ...args])));
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
}
