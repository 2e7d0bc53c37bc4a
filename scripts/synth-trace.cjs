// Measurement helpers of scripts/bench/bench.sh; nothing here changes what the measured processes do.
//
// 1. Preloaded (NODE_OPTIONS="--require scripts/synth-trace.cjs", SYNTH_TRACE_LOG=<file>) into every Node
//    process of one `npx projen`: appends one line per event, "<epoch ms> <pid> <event>":
//    - every process: "start <script>" (Node's own time origin), "exit";
//    - the process that loads the library: "library begin/end" (its require), "synth begin/end", and
//      "post <Component> <ms>" for each postSynthesize of 1 ms or more.
// 2. `node scripts/synth-trace.cjs phases <log>...`: the phases of each traced run, then their medians.
// 3. With SYNTH_CPU_PROF_DIR=<dir> as well (or alone), every process writes a CPU profile there;
//    `node scripts/synth-trace.cjs profile <dir>` summarizes them: self time per process, by package
//    (projen by module folder).
'use strict';
const fs = require('fs');

if (require.main === module) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'phases') phases(args);
  else if (mode === 'profile') profile(args[0]);
  else throw new Error('usage: synth-trace.cjs phases <log>... | profile <dir>');
} else {
  if (process.env.SYNTH_TRACE_LOG) trace(process.env.SYNTH_TRACE_LOG);
  if (process.env.SYNTH_CPU_PROF_DIR) cpuProfile(process.env.SYNTH_CPU_PROF_DIR);
}

// Node 20 refuses --cpu-prof in NODE_OPTIONS: the profiler is started from here instead, through the
// inspector, and its profile written at exit as <dir>/<pid>.cpuprofile.
function cpuProfile(dir) {
  const inspector = require('inspector');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      const script = (process.argv[1] ?? '').replace(/^.*node_modules\//, '');
      fs.writeFileSync(`${dir}/${process.pid}.cpuprofile`, JSON.stringify({ ...result.profile, script }));
    });
  });
}

function trace(log) {
  const Module = require('module');
  const { performance } = require('perf_hooks');
  const now = () => performance.timeOrigin + performance.now();
  const write = (event, at = now()) => fs.appendFileSync(log, `${at.toFixed(1)} ${process.pid} ${event}\n`);
  const script = (process.argv[1] ?? '(eval)').replace(/^.*node_modules\//, '');
  write(`start ${script}`, performance.timeOrigin);
  process.on('exit', () => write('exit'));

  const load = Module._load;
  let library = false;
  let projen = false;
  Module._load = function (request) {
    if (!library && (request === 'projen-uv-service' || request.endsWith('/projen-uv-service/lib/index.js'))) {
      library = true;
      write('library begin');
      const exports = load.apply(this, arguments);
      write('library end');
      return exports;
    }
    const exports = load.apply(this, arguments);
    if (!projen && (request === 'projen' || request === 'projen/lib/project')) {
      projen = true;
      instrument(exports.Project);
    }
    return exports;
  };

  function instrument(Project) {
    const synth = Project.prototype.synth;
    Project.prototype.synth = function () {
      write('synth begin');
      for (const component of this.components) {
        const post = component.postSynthesize;
        component.postSynthesize = function () {
          const t = now();
          const result = post.apply(this, arguments);
          if (now() - t >= 1) write(`post ${component.constructor.name} ${(now() - t).toFixed(0)}`);
          return result;
        };
      }
      const result = synth.apply(this, arguments);
      write('synth end');
      return result;
    };
  }
}

/** Phases of one traced `npx projen`, in ms, from the log's events. */
function phasesOf(file) {
  const events = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => {
    const [at, pid, ...rest] = line.split(' ');
    return { at: Number(at), pid, event: rest.join(' ') };
  }).sort((a, b) => a.at - b.at);
  const first = (pred) => events.find(pred);
  const t0 = events[0].at;
  const lib = first((e) => e.event === 'library begin');
  if (!lib) throw new Error(`${file}: no process loaded the library`);
  const synthPid = lib.pid;
  const cli = first((e) => /^start .*\.bin\/projen/.test(e.event) || /^start .*projen\/bin\/projen/.test(e.event));
  const runnerStart = first((e) => e.event.startsWith('start') && e.at > (cli?.at ?? t0) && e.pid !== cli?.pid);
  const at = (pid, event) => first((e) => e.pid === pid && e.event === event)?.at;
  const libEnd = at(synthPid, 'library end');
  const synthBegin = at(synthPid, 'synth begin');
  const synthEnd = at(synthPid, 'synth end');
  const synthExit = at(synthPid, 'exit');
  const end = events[events.length - 1].at;
  const posts = events.filter((e) => e.pid === synthPid && e.event.startsWith('post '))
    .map((e) => e.event.split(' ')).map(([, name, ms]) => [name, Number(ms)]);
  const postTotal = posts.reduce((s, [, ms]) => s + ms, 0);
  return {
    rows: [
      ['npx: until the projen CLI starts', cli.at - t0],
      ['projen CLI: load, read tasks.json, spawn the default task', runnerStart.at - cli.at],
      ['.projenrc.ts runner: Node start-up, TypeScript hook', lib.at - runnerStart.at],
      ['library load (projen-uv-service and the projen modules it uses)', libEnd - lib.at],
      ['.projenrc.ts until synth() (options, components)', synthBegin - libEnd],
      ['synth: resolve and write files', synthEnd - synthBegin - postTotal],
      ['post-synth (components\' postSynthesize)', postTotal],
      ['exit of the runner, the CLI and npx', end - synthEnd],
    ],
    total: end - t0,
    posts,
    processes: new Set(events.map((e) => e.pid)).size,
    synthExit,
  };
}

function phases(files) {
  const runs = files.map(phasesOf);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
  console.log(`phases of one \`npx projen\` (median of ${runs.length} traced runs; ${runs[0].processes} Node processes each):`);
  runs[0].rows.forEach(([name], i) => {
    console.log(`  ${String(Math.round(median(runs.map((r) => r.rows[i][1])))).padStart(6)} ms  ${name}`);
  });
  console.log(`  ${String(Math.round(median(runs.map((r) => r.total)))).padStart(6)} ms  total (traced)`);
  const names = [...new Set(runs.flatMap((r) => r.posts.map(([n]) => n)))];
  for (const name of names) {
    const ms = runs.map((r) => r.posts.filter(([n]) => n === name).reduce((s, [, m]) => s + m, 0));
    console.log(`           post-synth of ${name}: ${median(ms)} ms`);
  }
}

function profile(dir) {
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort()) {
    const p = JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map();
    p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
    const byKey = new Map();
    let total = 0;
    const main = p.script;
    for (const [id, us] of self) {
      const url = byId.get(id).callFrame.url;
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:lib\/([^/]+\/)?)?/.exec(url);
      let key = url === '' ? `(${byId.get(id).callFrame.functionName || 'native'})` : url.startsWith('node:') ? 'node internals' : 'other';
      if (m) key = m[1] === 'projen' ? `projen/${m[2] ?? ''}` : m[1];
      if (key === '((idle))') continue; // waiting for a child process or the disk
      byKey.set(key, (byKey.get(key) ?? 0) + us);
      total += us;
    }
    console.log(`${f} (${main || 'process'}): ${(total / 1000).toFixed(0)} ms busy`);
    for (const [key, us] of [...byKey].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
      console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
    }
  }
}
