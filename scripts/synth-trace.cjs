// Preloaded by scripts/bench.sh (NODE_OPTIONS=--require) into every Node process of one `npx projen`:
// appends timestamped events to $SYNTH_TRACE_LOG, one line each: "<epoch ms> <pid> <ppid> <event>".
//  - every process: "start" (Node's own time origin), "preload" (this file runs), "exit";
//  - the process that loads the library: library and projen load, synth phases, each component's
//    postSynthesize (only components whose postSynthesize takes 1 ms or more are written).
// Measurement only: nothing here changes what the processes do.
'use strict';
const fs = require('fs');
const Module = require('module');
const { performance } = require('perf_hooks');

const log = process.env.SYNTH_TRACE_LOG;
if (log) {
  const now = () => performance.timeOrigin + performance.now();
  const write = (event, at = now()) =>
    fs.appendFileSync(log, `${at.toFixed(1)} ${process.pid} ${process.ppid} ${event}\n`);
  const args = process.argv.slice(1).map((a) => a.replace(/^.*node_modules\//, '')).join(' ');
  write(`start ${args || '(eval)'}`, performance.timeOrigin);
  write('preload');
  process.on('exit', () => write('exit'));

  const originalLoad = Module._load;
  const timed = new Set(['projen-uv-service', 'projen']);
  Module._load = function (request, parent, isMain) {
    if (!timed.has(request)) return originalLoad.apply(this, arguments);
    timed.delete(request);
    write(`require(${request}) begin`);
    const exports = originalLoad.apply(this, arguments);
    write(`require(${request}) end`);
    if (request === 'projen') instrument(exports);
    if (timed.size === 0) Module._load = originalLoad;
    return exports;
  };

  function instrument(projen) {
    const proto = projen.Project.prototype;
    const synth = proto.synth;
    proto.synth = function () {
      write('synth begin (preSynthesize, cleanup, write files)');
      for (const component of this.components) {
        const post = component.postSynthesize;
        component.postSynthesize = function () {
          const t = now();
          const result = post.apply(this, arguments);
          if (now() - t >= 1) write(`postSynthesize ${component.constructor.name} ${(now() - t).toFixed(0)} ms`);
          return result;
        };
      }
      const result = synth.apply(this, arguments);
      write('synth end');
      return result;
    };
    const cleanup = require(require.resolve('projen/lib/cleanup', { paths: [process.cwd()] }));
    const clean = cleanup.cleanup;
    cleanup.cleanup = function () {
      const t = now();
      const result = clean.apply(this, arguments);
      write(`cleanup ${(now() - t).toFixed(0)} ms`);
      return result;
    };
    const first = proto.postSynthesize;
    proto.postSynthesize = function () {
      write('project postSynthesize');
      return first.apply(this, arguments);
    };
  }
}
