#!/usr/bin/env node
// Stand-in for the `ruff` CLI where Debian packages no ruff (the root suites' rootfs): Ruff's own engine, its
// wasm build (@astral-sh/ruff-wasm-nodejs, from npm), behind the two commands a generated CI job runs:
//
//   ruff check [--output-format=github|concise] [PATH...]   lints every .py file below PATH (default .)
//   ruff format --check [PATH...]                          lists the files `ruff format` would rewrite
//
// Settings: the [tool.ruff] table of ./pyproject.toml, as ruff reads it. Files it excludes (`extend-exclude`)
// and the directories ruff skips by default (.venv, .git, node_modules, ...) are not checked. Exits 1 on any
// finding, 2 on a command or option this stand-in does not know (as ruff does on a usage error).
'use strict';
const fs = require('fs');
const path = require('path');
const { PositionEncoding, Workspace } = require('@astral-sh/ruff-wasm-nodejs');
const { parse } = require('smol-toml');

const DEFAULT_EXCLUDES = new Set(['.bzr', '.direnv', '.eggs', '.git', '.hg', '.mypy_cache', '.nox', '.pants.d',
  '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '__pypackages__', '_build', 'buck-out', 'dist',
  'node_modules', 'venv', 'build', '.pytest_cache']);

function usage(message) {
  process.stderr.write(`ruff (stand-in): ${message}\n`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
let format = 'concise';
let checkOnly = false;
const paths = [];
for (const arg of rest) {
  if (command === 'check' && arg.startsWith('--output-format=')) format = arg.slice('--output-format='.length);
  else if (command === 'format' && arg === '--check') checkOnly = true;
  else if (arg.startsWith('-')) usage(`unknown option ${arg} for "${command}"`);
  else paths.push(arg);
}
if (command !== 'check' && command !== 'format') usage(`unknown command "${command ?? ''}" (check, format)`);
if (command === 'format' && !checkOnly) usage('only "format --check" is supported');
if (!['github', 'concise'].includes(format)) usage(`unknown output format ${format}`);

const settings = { ...(parse(fs.readFileSync('pyproject.toml', 'utf8')).tool?.ruff ?? {}) };
const excluded = new Set((settings['extend-exclude'] ?? []).map((p) => path.normalize(p)));
delete settings['extend-exclude'];
const workspace = new Workspace(settings, PositionEncoding.Utf8);

function collect(p, out) {
  const rel = path.normalize(p);
  if (excluded.has(rel)) return;
  const stat = fs.statSync(p);
  if (stat.isDirectory()) {
    if (DEFAULT_EXCLUDES.has(path.basename(rel)) && rel !== '.') return;
    for (const entry of fs.readdirSync(p).sort()) collect(path.join(p, entry), out);
  } else if (rel.endsWith('.py') || rel.endsWith('.pyi')) out.push(rel);
}
const files = [];
for (const p of paths.length ? paths : ['.']) collect(p, files);

let findings = 0;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  if (command === 'check') {
    for (const d of workspace.check(text)) {
      findings++;
      const { row, column } = d.start_location;
      if (format === 'github') {
        console.log(`::error title=Ruff (${d.code}),file=${path.resolve(file)},line=${row},col=${column}::${file}:${row}:${column}: ${d.code} ${d.message}`);
      } else {
        console.log(`${file}:${row}:${column}: ${d.code} ${d.message}`);
      }
    }
  } else if (workspace.format(text) !== text) {
    findings++;
    console.log(`Would reformat: ${file}`);
  }
}
if (command === 'check') console.log(findings ? `Found ${findings} error${findings === 1 ? '' : 's'}.` : 'All checks passed!');
else console.log(findings ? `${findings} file${findings === 1 ? '' : 's'} would be reformatted, ${files.length - findings} already formatted` : `${files.length} files already formatted`);
process.exit(findings ? 1 : 0);
