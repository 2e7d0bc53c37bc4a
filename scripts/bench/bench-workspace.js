// In-process synth time of a workspace of N services (+ one library) against one standalone service,
// from the compiled library (lib/): median of RUNS runs each, first synth into a fresh directory and a
// resynth that changes nothing. Post-synth steps (npm install, uv lock) off, as in the tests.
// Usage: node scripts/bench/bench-workspace.js [services=25] [runs=5]
const fs = require('fs');
const os = require('os');
const path = require('path');
const lib = require('../../lib');

process.env.PROJEN_DISABLE_POST = 'true';
const services = Number(process.argv[2] ?? 25);
const runs = Number(process.argv[3] ?? 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ws-'));
// projen's logger is chatty about uv: keep the figures readable.
const quiet = (fn) => { const w = process.stdout.write; process.stdout.write = () => true; try { return fn(); } finally { process.stdout.write = w; } };

function one(dir) {
  const p = new lib.UvPythonService({ name: 'orders', outdir: dir });
  quiet(() => p.synth());
}
function workspace(dir) {
  const ws = new lib.UvWorkspace({ name: 'shop', outdir: dir });
  new lib.UvPythonLibrary({ parent: ws, name: 'common', outdir: 'libs/common' });
  for (let i = 0; i < services; i++) {
    new lib.UvPythonService({ parent: ws, name: `svc-${i}`, outdir: `services/svc-${i}`, port: 8001 + i, deps: i % 2 === 0 ? ['common'] : [] });
  }
  quiet(() => ws.synth());
}
function time(fn, dir) {
  const t0 = process.hrtime.bigint();
  fn(dir);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const figures = { one: { first: [], again: [] }, ws: { first: [], again: [] } };
// One warm-up of each: module loading and the lazily read files are not part of either figure.
one(path.join(work, 'warm-one'));
workspace(path.join(work, 'warm-ws'));
for (let r = 0; r < runs; r++) {
  for (const [key, fn] of [['one', one], ['ws', workspace]]) {
    const dir = path.join(work, `${key}-${r}`);
    figures[key].first.push(time(fn, dir));
    figures[key].again.push(time(fn, dir));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
fs.rmSync(work, { recursive: true, force: true });
const row = (label, ms) => console.log(`${label.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms`);
console.log(`in-process synth, median of ${runs} (interleaved), library from lib/`);
row('one service, first synth', median(figures.one.first));
row('one service, resynth', median(figures.one.again));
row(`workspace of ${services} services + 1 library, first synth`, median(figures.ws.first));
row(`workspace of ${services} services + 1 library, resynth`, median(figures.ws.again));
console.log(`${'workspace / one service (resynth)'.padEnd(52)} ${(median(figures.ws.again) / median(figures.one.again)).toFixed(2).padStart(7)} x`);
console.log(`${'workspace per service / one service (resynth)'.padEnd(52)} ${(median(figures.ws.again) / services / median(figures.one.again)).toFixed(2).padStart(7)} x`);
