import * as fs from 'fs';
import * as path from 'path';
import { Problems } from './problems';

/** 0: not checked further; a string: a struct's fqn; `[kind, node]`: an array or map of `node`. */
type TypeNode = 0 | string | ['array' | 'map', TypeNode];

/** What `projenrc/option-schema.ts` writes at build time (see there). */
export interface OptionSchema {
  readonly assembly: string;
  readonly fingerprint: string;
  readonly structs: Record<string, { readonly name: string; readonly props: Record<string, TypeNode> }>;
}

/**
 * Where the build writes the schema: `lib/option-schema.json`. The same path from `lib/core/` (the
 * package) and from `src/core/` (tests run from the sources).
 */
export const OPTION_SCHEMA_PATH = path.join(__dirname, '..', '..', 'lib', 'option-schema.json');

/**
 * The key under which `projen new` passes what it will write to `.projenrc.ts` (its arguments and the
 * project type's fqn) along with the options.
 */
export const PROJEN_NEW_KEY = '__new__';

/** Keys projen adds to the options of any project type. */
export const PROJEN_OPTION_KEYS: readonly string[] = [PROJEN_NEW_KEY];

let cached: OptionSchema | undefined;

/** Reads an option schema file; a missing one (a clone never compiled) is explained. */
export function readOptionSchema(file: string): OptionSchema {
  if (!fs.existsSync(file)) {
    throw new Error(
      `${file} is missing: it is generated from the .jsii manifest when the library compiles. Run "npx projen compile".`,
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf-8')) as OptionSchema;
}

/** The option schema generated from this library's `.jsii` at build time (read once). */
function schema(): OptionSchema {
  cached ??= readOptionSchema(OPTION_SCHEMA_PATH);
  return cached;
}

/** This library's structs by short name (`CiOptions`), whichever submodule holds them (`ci.CiOptions`). */
let byShortName: Map<string, string> | undefined;

/** The fqn of a struct of this library given by its short name, or an fqn as is. */
function fqnOf(name: string): string {
  const s = schema();
  if (s.structs[name]) return name;
  if (!byShortName) {
    byShortName = new Map();
    for (const [fqn, struct] of Object.entries(s.structs)) if (fqn.startsWith(`${s.assembly}.`)) byShortName.set(struct.name, fqn);
  }
  return byShortName.get(name) ?? `${s.assembly}.${name}`;
}

function structOf(name: string): { readonly name: string; readonly props: Record<string, TypeNode> } {
  const fqn = fqnOf(name);
  const struct = schema().structs[fqn];
  if (!struct) throw new Error(`internal: ${fqn} is not a struct of ${OPTION_SCHEMA_PATH} (run "npx projen compile")`);
  return struct;
}

/** The documented option names of a struct of this library (or of projen, by fqn), inherited ones included. */
export function knownOptionNames(struct: string): string[] {
  return Object.keys(structOf(struct).props);
}

/**
 * The page of the API reference that documents a struct: `api/API.md` for the project types' options,
 * `api/<submodule>.md` for a component's (`api/docker.md`).
 */
function referencePage(struct: string): string {
  const fqn = fqnOf(struct);
  const parts = fqn.split('.');
  return parts[0] === schema().assembly && parts.length === 3 ? `api/${parts[1]}.md` : 'api/API.md';
}

/** Comparison key: case, `_` and `-` do not count (`python_version` is close to `pythonVersion`). */
function squash(s: string): string {
  return s.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of two
 * adjacent characters each cost 1 (`prot` -> `port` is 1).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The known name closest to `key`, when one is close enough to be a likely typo: at most one edit
 * per three characters (at least one), ignoring case, `_` and `-`. Ties go to the first in order.
 */
export function closestName(key: string, known: readonly string[]): string | undefined {
  const k = squash(key);
  const limit = Math.max(1, Math.floor(k.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const d = editDistance(k, squash(name));
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function at(optionPath: string, key: string): string {
  return optionPath ? `${optionPath}.${key}` : key;
}

/** One check of a whole options object: the root struct, for suggestions across levels. */
interface Check {
  readonly problems: Problems;
  readonly root: string;
  readonly rootPath: string;
  /** Option name -> where it is an option, relative to the root (computed on the first miss). */
  elsewhere?: Map<string, string>;
}

/**
 * Where each option name is an option, below the root, through struct-typed options (not through
 * arrays or maps): `testingStage` -> `dockerOptions.testingStage`. The shallowest place wins.
 */
function optionPlaces(root: string): Map<string, string> {
  const places = new Map<string, string>();
  const queue: Array<[string, string]> = [[root, '']];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const [struct, prefix] = queue.shift()!;
    if (seen.has(struct)) continue;
    seen.add(struct);
    for (const [key, node] of Object.entries(structOf(struct).props)) {
      const p = at(prefix, key);
      if (!places.has(key)) places.set(key, p);
      if (typeof node === 'string') queue.push([node, p]);
    }
  }
  return places;
}

function checkNode(check: Check, value: unknown, node: TypeNode, optionPath: string): void {
  if (node === 0 || value === undefined) return;
  if (typeof node === 'string') {
    if (isPlainObject(value)) checkStruct(check, value, node, structOf(node).name, optionPath, []);
    return;
  }
  const [kind, inner] = node;
  if (kind === 'array' && Array.isArray(value)) {
    value.forEach((v, i) => checkNode(check, v, inner, `${optionPath}[${i}]`));
  } else if (kind === 'map' && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) checkNode(check, v, inner, `${optionPath}[${JSON.stringify(k)}]`);
  }
}

/**
 * The suggestion for an unknown key, quoted: a close name of the same struct (`"port"`), else the
 * same name where it is an option at another level (`"dockerOptions.testingStage"`, `the top-level
 * "port"`).
 */
function suggestion(check: Check, key: string, known: readonly string[], optionPath: string): string | undefined {
  const near = closestName(key, known);
  if (near) return `"${near}"`;
  check.elsewhere ??= optionPlaces(check.root);
  const place = check.elsewhere.get(key);
  if (place === undefined) return undefined;
  const full = check.rootPath ? `${check.rootPath}.${place}` : place;
  if (full === at(optionPath, key)) return undefined;
  return place.includes('.') ? `"${full}"` : `the top-level "${full}"`;
}

function checkStruct(
  check: Check,
  value: Record<string, unknown>,
  struct: string,
  owner: string,
  optionPath: string,
  extraKeys: readonly string[],
): void {
  const { name, props } = structOf(struct);
  const known = Object.keys(props);
  for (const [key, v] of Object.entries(value)) {
    if (extraKeys.includes(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(props, key)) {
      const near = suggestion(check, key, known, optionPath);
      check.problems.add(
        at(optionPath, key),
        v,
        near
          ? `${owner} has no option ${JSON.stringify(key)} — did you mean ${near}?`
          : `${owner} has no option ${JSON.stringify(key)}; remove it (the options are listed under ${name} in ${referencePage(struct)}).`,
      );
      continue;
    }
    checkNode(check, v, props[key], at(optionPath, key));
  }
}

/**
 * Records a problem for every key of `options`, at any depth of struct-typed options (arrays and maps
 * of structs included), that is not a documented option: `prot: got 9090; UvPythonService has no
 * option "prot" — did you mean "port"?`. The suggestion is the closest option name of the same
 * struct, else the same name where it is an option at another level (`testingStage` at the top ->
 * `dockerOptions.testingStage`). The names come from the type information the library ships
 * (its `.jsii` manifest and its dependencies', via `lib/option-schema.json`), so a new option, or a
 * new struct-typed option, is known as soon as it is declared. Only plain objects are checked.
 *
 * @param struct the struct type of `options` (its short name in this library, in any submodule, or an fqn)
 * @param owner what the top-level message names, e.g. `UvPythonService`
 * @param optionPath where `options` sits ('' at the top)
 */
export function checkKnownOptions(problems: Problems, options: unknown, struct: string, owner: string, optionPath = ''): void {
  if (!isPlainObject(options)) return;
  const check: Check = { problems, root: struct, rootPath: optionPath };
  checkStruct(check, options, struct, owner, optionPath, optionPath === '' ? PROJEN_OPTION_KEYS : []);
}
