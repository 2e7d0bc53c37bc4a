/**
 * Runs a service's `.projenrc.ts` in this Node.js process: the service's `default` task is
 * `node node_modules/projen-uv-service/lib/service/run-projenrc.js .projenrc.ts`.
 *
 * - When the running Node strips TypeScript types itself (`process.features.typescript`: on by default
 *   from Node 22.18 and 23.6), the file is imported as it is: nothing else is loaded.
 * - Otherwise (Node 20), or when the file uses TypeScript that needs more than stripping (an `enum`, a
 *   `namespace`, parameter properties) or CommonJS globals that an ES module lacks (`__dirname`), tsx's
 *   CommonJS hook from the service's `node_modules` compiles it, in the same process.
 *
 * Either way one process, where the tsx CLI takes three (the CLI, a child Node process, and its
 * ES module loader thread). `PROJENRC_RUNNER=tsx` forces tsx.
 *
 * A script, not part of the library's API: it reads `process.argv` when loaded.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loads the user's file and its TypeScript hook at run time */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LIBRARY_NAME } from '../core/library';

const file = path.resolve(process.argv[2] ?? '.projenrc.ts');

/** Errors of the native path that tsx does not have: then the file runs again with tsx. */
function needsTsx(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string };
  if (e?.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || e?.code === 'ERR_INVALID_TYPESCRIPT_SYNTAX') return true;
  // An ES module has no __dirname, __filename, require, module or exports; tsx runs the file as CommonJS.
  return e?.name === 'ReferenceError' && /\b(__dirname|__filename|require|module|exports) is not defined in ES module scope/.test(e.message ?? '');
}

function runWithTsx(): void {
  // The library (and the part of projen it uses) is loaded first, outside tsx's hook: the hook
  // inspects every module loaded after it, which costs about a quarter of the synth's CPU time.
  // A .projenrc.ts that does not import the library, or fails to, then loads it itself as before.
  try {
    require(require.resolve(LIBRARY_NAME, { paths: [path.dirname(file)] }));
  } catch {
    // reported by the file's own import, with its location
  }
  const api = require(require.resolve('tsx/cjs/api', { paths: [path.dirname(file), __dirname] })) as { register(): void };
  api.register();
  require(file);
}

/**
 * `.projenrc.ts` imports with ES module syntax in a package without `"type"`: Node then warns on every
 * run that it reparsed the file as an ES module. The service's package.json stays without `"type"`
 * (tsx on older Node runs the file as CommonJS), so that one warning is dropped; every other goes on.
 */
function quietTypelessWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const options = rest[0] as { code?: string } | string | undefined;
    const code = typeof options === 'object' ? options?.code : rest[1];
    if (code !== 'MODULE_TYPELESS_PACKAGE_JSON') emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

// Node's on-disk cache of compiled modules (Node 22.1+), for the next synth.
(require('module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const features = process.features as { typescript?: string | false };
if (process.env.PROJENRC_RUNNER === 'tsx' || typeof features.typescript !== 'string') {
  runWithTsx();
} else {
  quietTypelessWarning();
  import(pathToFileURL(file).href).catch((error: unknown) => {
    if (!needsTsx(error)) throw error;
    runWithTsx();
  });
}
