import { STDLIB_MODULE_NAMES, STDLIB_SOURCE_VERSION } from './stdlib-modules';

/**
 * Top-level modules added to or removed from the standard library, by the minor version that made the
 * change, relative to the list in `stdlib-modules.ts` (generated from one interpreter). Public modules
 * only, from the "What's New in Python 3.N" pages; private `_name` modules are left as they are.
 */
const CHANGES: ReadonlyArray<{ readonly minor: number; readonly added?: string[]; readonly removed?: string[] }> = [
  { minor: 11, added: ['tomllib'] },
  { minor: 12, removed: ['asynchat', 'asyncore', 'distutils', 'imp', 'smtpd'] },
  {
    minor: 13,
    // PEP 594's "dead batteries", and lib2to3.
    removed: [
      'aifc', 'audioop', 'cgi', 'cgitb', 'chunk', 'crypt', 'imghdr', 'lib2to3', 'mailcap', 'msilib', 'nis',
      'nntplib', 'ossaudiodev', 'pipes', 'sndhdr', 'spwd', 'sunau', 'telnetlib', 'uu', 'xdrlib',
    ],
  },
  { minor: 14, added: ['annotationlib', 'compression'] },
];

const cache = new Map<string, ReadonlySet<string>>();

/**
 * The top-level module names of the standard library of a CPython minor version (`3.N`), as
 * `sys.stdlib_module_names` lists them.
 */
export function stdlibModules(pythonVersion: string): ReadonlySet<string> {
  const hit = cache.get(pythonVersion);
  if (hit) return hit;
  const target = Number(pythonVersion.split('.')[1]);
  const source = Number(STDLIB_SOURCE_VERSION.split('.')[1]);
  const names = new Set(STDLIB_MODULE_NAMES);
  for (const change of CHANGES) {
    if (target >= change.minor && source < change.minor) {
      change.added?.forEach((n) => names.add(n));
      change.removed?.forEach((n) => names.delete(n));
    } else if (target < change.minor && source >= change.minor) {
      change.added?.forEach((n) => names.delete(n));
      change.removed?.forEach((n) => names.add(n));
    }
  }
  cache.set(pythonVersion, names);
  return names;
}
