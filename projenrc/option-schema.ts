/**
 * Build step (post-compile): derives the option schema the library checks option keys against from
 * the type information jsii just wrote (`.jsii`) and the assemblies of its dependencies (projen's
 * `ProjectOptions`, ...). Writes a compact JSON, `lib/option-schema.json`, shipped with the package:
 * reading it at synth costs far less than reading projen's 3 MB manifest.
 *
 * For every struct (jsii datatype interface) of this library, and every struct reachable from one of
 * its properties, the schema lists the struct's property names, inherited ones included, and for a
 * property typed as a struct, or an array or map of structs, that struct's fqn.
 *
 * Usage: `tsx projenrc/option-schema.ts [assemblyDir] [outFile]`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** 0: not checked further; a string: a struct's fqn; `[kind, node]`: an array or map of `node`. */
export type TypeNode = 0 | string | ['array' | 'map', TypeNode];

export interface OptionSchema {
  /** Name of the assembly the schema was made from (`projen-uv-service`). */
  readonly assembly: string;
  /** `fingerprint` of that assembly: which build the schema belongs to. */
  readonly fingerprint: string;
  /** Every struct by fqn: its short name and its properties (inherited ones included). */
  readonly structs: Record<string, { readonly name: string; readonly props: Record<string, TypeNode> }>;
}

interface JsiiTypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeRef };
  readonly union?: unknown;
}

interface JsiiType {
  readonly kind: string;
  readonly name: string;
  readonly datatype?: boolean;
  readonly interfaces?: string[];
  readonly properties?: Array<{ readonly name: string; readonly type: JsiiTypeRef }>;
}

interface Assembly {
  readonly name: string;
  readonly fingerprint: string;
  readonly types?: Record<string, JsiiType>;
}

/** Reads a `.jsii` file, following a compressed file redirect. */
function readAssemblyFile(file: string): Assembly {
  const json = JSON.parse(fs.readFileSync(file, 'utf-8'));
  if (json.schema === 'jsii/file-redirect') {
    const target = path.join(path.dirname(file), json.filename);
    const raw = fs.readFileSync(target);
    return JSON.parse((json.compression === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf-8'));
  }
  return json;
}

/** The option schema of the assembly in `dir` (its `.jsii`; dependencies resolved from `dir`). */
export function optionSchemaOf(dir: string): OptionSchema {
  const root = readAssemblyFile(path.join(dir, '.jsii'));
  const assemblies = new Map<string, Assembly>([[root.name, root]]);
  const assemblyOf = (fqn: string): Assembly => {
    const name = fqn.split('.')[0];
    let a = assemblies.get(name);
    if (!a) {
      const pkg = require.resolve(`${name}/package.json`, { paths: [dir] });
      a = readAssemblyFile(path.join(path.dirname(pkg), '.jsii'));
      assemblies.set(name, a);
    }
    return a;
  };
  const typeOf = (fqn: string): JsiiType | undefined => assemblyOf(fqn).types?.[fqn];
  const isStruct = (fqn: string): boolean => {
    const t = typeOf(fqn);
    return t?.kind === 'interface' && t.datatype === true;
  };

  const structs: Record<string, { name: string; props: Record<string, TypeNode> }> = {};
  const pending: string[] = [];
  const nodeOf = (ref: JsiiTypeRef): TypeNode => {
    if (ref.fqn && isStruct(ref.fqn)) {
      pending.push(ref.fqn);
      return ref.fqn;
    }
    if (ref.collection) {
      const inner = nodeOf(ref.collection.elementtype);
      return inner === 0 ? 0 : [ref.collection.kind, inner];
    }
    return 0;
  };
  const propsOf = (fqn: string, into: Record<string, TypeNode>): void => {
    const t = typeOf(fqn);
    if (!t) throw new Error(`option schema: type ${fqn} not found in its assembly`);
    for (const base of t.interfaces ?? []) propsOf(base, into);
    for (const p of t.properties ?? []) into[p.name] = nodeOf(p.type);
  };

  for (const [fqn, t] of Object.entries(root.types ?? {})) {
    if (t.kind === 'interface' && t.datatype) pending.push(fqn);
  }
  while (pending.length > 0) {
    const fqn = pending.pop()!;
    if (structs[fqn]) continue;
    const props: Record<string, TypeNode> = {};
    structs[fqn] = { name: typeOf(fqn)!.name, props };
    propsOf(fqn, props);
  }
  const sorted = Object.fromEntries(Object.entries(structs).sort(([a], [b]) => a.localeCompare(b)));
  return { assembly: root.name, fingerprint: root.fingerprint, structs: sorted };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? '.');
  const out = path.resolve(process.argv[3] ?? path.join(dir, 'lib', 'option-schema.json'));
  const schema = optionSchemaOf(dir);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(schema)}\n`);
  console.log(`${path.relative(process.cwd(), out)}: ${Object.keys(schema.structs).length} structs`);
}
