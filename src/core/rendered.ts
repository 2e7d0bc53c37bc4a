import { IResolver } from 'projen/lib/file';
import { ObjectFile } from 'projen/lib/object-file';

/** Resolves what a file's `obj` holds: functions (lazy values) are called, the rest copied as is. */
const PLAIN_RESOLVER: IResolver = {
  resolve: (value: unknown): any => {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'function') return walk(v());
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value);
  },
};

/**
 * What an object file (TOML, YAML, INI, JSON) will be written as, as an object: its model with every
 * `addOverride`, `addDeletionOverride` and `patch` of `.projenrc.ts` applied (projen's own merge, the
 * step before the format's rendering). The rules that tie files together read this, so that an
 * override is seen by them.
 */
export function renderedObject(file: ObjectFile): Record<string, any> {
  const json: string | undefined = (ObjectFile.prototype as any).synthesizeContent.call(file, PLAIN_RESOLVER);
  return json === undefined ? {} : JSON.parse(json);
}

/** The model of an object file alone, before any override: what the component built. */
export function modelObject(file: ObjectFile): Record<string, any> {
  return JSON.parse(JSON.stringify(PLAIN_RESOLVER.resolve((file as unknown as { obj: unknown }).obj) ?? {}));
}

/** The value at `keys` (object keys and array indexes), or undefined. */
export function valueAt(obj: unknown, keys: readonly (string | number)[]): any {
  let v: any = obj;
  for (const k of keys) v = v === null || typeof v !== 'object' ? undefined : v[k];
  return v;
}

/**
 * Whether an override of `.projenrc.ts` changed the value at `keys`: the rendered object ({@link
 * renderedObject}) differs there from the model ({@link modelObject}). A rule that finds the value wrong
 * then names that override, not the option.
 */
export function overridden(rendered: Record<string, any>, model: Record<string, any>, keys: readonly (string | number)[]): boolean {
  return JSON.stringify(valueAt(rendered, keys)) !== JSON.stringify(valueAt(model, keys));
}
