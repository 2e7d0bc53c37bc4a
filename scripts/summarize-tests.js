#!/usr/bin/env node
// Prints one closing line "N passed, N failed, N skipped" from the JUnit reports in test-reports/.
const fs = require('fs');
const path = require('path');
const dir = path.join(__dirname, '..', 'test-reports');
let tests = 0, failed = 0, skipped = 0;
for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).filter((x) => x.endsWith('.xml')) : []) {
  const xml = fs.readFileSync(path.join(dir, f), 'utf-8');
  const m = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"[^>]*\berrors="(\d+)"/.exec(xml);
  if (!m) continue;
  tests += Number(m[1]);
  failed += Number(m[2]) + Number(m[3]);
  skipped += (xml.match(/<skipped\s*\/>/g) || []).length;
}
console.log(`${tests - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || tests === 0 ? 1 : 0);
