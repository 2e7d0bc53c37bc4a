// The Kubernetes OpenAPI schemas (Kubernetes 1.34, as packaged by npm `kubernetes-models`), run from
// jest (CommonJS) in a child `node` process, since the package is ESM only:
//
//   node kube-validate.mjs <file>...   -> { file: [finding, ...] }   ([] means every document is valid)
//   node kube-validate.mjs serve       -> the same, one JSON array of files per line (test/support/tool-process.ts)
//
// Each YAML document is validated by the model class of its apiVersion and kind; a kind the package
// does not know is a finding too.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { serveLines } from '../support/serve-lines.mjs';

async function validate(files) {
  const out = {};
  for (const file of files) {
    const findings = [];
    const docs = parseAllDocuments(readFileSync(file, 'utf-8'));
    for (const [i, doc] of docs.entries()) {
      if (doc.errors.length > 0) {
        findings.push(...doc.errors.map((e) => `document ${i}: YAML: ${e.message}`));
        continue;
      }
      const obj = doc.toJS();
      const where = `document ${i} (${obj?.kind}/${obj?.metadata?.name})`;
      let Model;
      try {
        Model = (await import(`kubernetes-models/${obj.apiVersion}`))[obj.kind];
      } catch (e) {
        findings.push(`${where}: no schema for apiVersion ${obj?.apiVersion}: ${e.message}`);
        continue;
      }
      if (typeof Model !== 'function') {
        findings.push(`${where}: no schema for kind ${obj?.kind} in ${obj?.apiVersion}`);
        continue;
      }
      try {
        new Model(obj).validate();
      } catch (e) {
        const errors = e.errors ?? [{ instancePath: '', message: e.message }];
        findings.push(...errors.map((x) => `${where}: ${x.instancePath || '/'} ${x.message}`));
      }
    }
    out[file] = findings;
  }
  return out;
}

const args = process.argv.slice(2);
if (args[0] === 'serve') {
  await serveLines(validate);
} else {
  process.stdout.write(JSON.stringify(await validate(args)));
}
