import { spawnSync } from 'child_process';
import { formatFindings, FindingKind } from '../../src/usercode/checks';
import { distributionOf, installedDistributions, modulesOf } from '../../src/usercode/distributions';
import { pythonImports } from '../../src/usercode/parse';
import { stdlibModules } from '../../src/usercode/stdlib';
import { STDLIB_MODULE_NAMES, STDLIB_SOURCE_VERSION } from '../../src/usercode/stdlib-modules';

describe('pythonImports', () => {
  const at = (src: string) => pythonImports(src).map((i) => ({ line: i.line, module: i.module, level: i.level, names: i.names }));

  test('every form of the statement', () => {
    expect(at([
      'from __future__ import annotations',
      'import a.b as c, d',
      'from . import x',
      'from ..pkg.mod import (',
      '    y as z,',
      '    w,',
      ')',
      'from ...up import q',
      'from .m import *',
      'import e  # a comment',
    ].join('\n'))).toEqual([
      { line: 1, module: '__future__', level: 0, names: ['annotations'] },
      { line: 2, module: 'a.b', level: 0, names: [] },
      { line: 2, module: 'd', level: 0, names: [] },
      { line: 3, module: '', level: 1, names: ['x'] },
      { line: 4, module: 'pkg.mod', level: 2, names: ['y', 'w'] },
      { line: 8, module: 'up', level: 3, names: ['q'] },
      { line: 9, module: 'm', level: 1, names: ['*'] },
      { line: 10, module: 'e', level: 0, names: [] },
    ]);
  });

  test('the context of each import: try/except ImportError, suppress, TYPE_CHECKING (first branch only), functions', () => {
    const imports = pythonImports([
      'try:',
      '    import a',
      'except (ValueError, ModuleNotFoundError):',
      '    a = None',
      'else:',
      '    import b',
      'try:',
      '    import c',
      'except ValueError:',
      '    pass',
      'if typing.TYPE_CHECKING:',
      '    import d',
      'else:',
      '    import e',
      'with contextlib.suppress(ImportError):',
      '    import f',
      'class K:',
      '    async def m(self):',
      '        import g',
      'match x:',
      '    case 1:',
      '        import h',
      'try:',
      '    import i',
      'except:',
      '    pass',
    ].join('\n'));
    const flags = Object.fromEntries(imports.map((i) => [i.module, [i.guarded, i.typeOnly, i.inFunction].map(Number).join('')]));
    expect(flags).toEqual({ a: '100', b: '000', c: '000', d: '010', e: '000', f: '100', g: '001', h: '000', i: '100' });
  });

  test('a sys.version_info branch no supported Python takes is skipped', () => {
    const source = [
      'if sys.version_info >= (3, 11):',
      '    import tomllib',
      'else:',
      '    import tomli',
      'if sys.version_info < (3, 13):',
      '    import old13',
      'elif sys.version_info[:2] == (3, 13):',
      '    import exactly13',
      'else:',
      '    import new14',
      'if sys.version_info[:2] <= (3, 11):',
      '    import upto11',
      'if sys.version_info > (3,):',
      '    import py3',
      'else:',
      '    import py2',
      'if other >= (3, 11):',
      '    import unrelated',
      'else:',
      '    import unrelated_else',
    ].join('\n');
    const mods = (v?: string) => pythonImports(source, v).map((i) => i.module);
    expect(mods()).toEqual(['tomllib', 'tomli', 'old13', 'exactly13', 'new14', 'upto11', 'py3', 'py2', 'unrelated', 'unrelated_else']);
    expect(mods('3.10')).toEqual(['tomllib', 'tomli', 'old13', 'exactly13', 'new14', 'upto11', 'py3', 'unrelated', 'unrelated_else']);
    expect(mods('3.12')).toEqual(['tomllib', 'old13', 'exactly13', 'new14', 'py3', 'unrelated', 'unrelated_else']);
    expect(mods('3.13')).toEqual(['tomllib', 'exactly13', 'new14', 'py3', 'unrelated', 'unrelated_else']);
  });

  test('a syntax error loses only its own statement; strings and dynamic imports are not imports', () => {
    expect(at([
      'import ok1',
      'def broken(:',
      '    pass',
      'text = "import not_an_import"',
      'mod = __import__("dyn")',
      'import ok2',
    ].join('\n')).map((i) => i.module)).toEqual(['ok1', 'ok2']);
  });
});

describe('stdlibModules', () => {
  test('the committed list is sys.stdlib_module_names of the Python it was generated from', () => {
    const r = spawnSync('python3', ['-c', 'import sys, json; print(json.dumps([f"{sys.version_info[0]}.{sys.version_info[1]}", sorted(sys.stdlib_module_names)]))'], { encoding: 'utf-8' });
    if (r.status !== 0) return; // no python3 here: nothing to compare with
    const [version, names] = JSON.parse(r.stdout);
    if (version !== STDLIB_SOURCE_VERSION) return; // another interpreter: the list is not from it
    expect([...STDLIB_MODULE_NAMES]).toEqual(names);
  });

  test('follows the version: tomllib from 3.11, distutils gone in 3.12, cgi in 3.13, annotationlib from 3.14', () => {
    const has = (v: string, m: string) => stdlibModules(v).has(m);
    expect(['3.10', '3.11', '3.12', '3.13', '3.14'].map((v) => [has(v, 'os'), has(v, 'tomllib'), has(v, 'distutils'), has(v, 'cgi'), has(v, 'annotationlib')]))
      .toEqual([
        [true, false, true, true, false],
        [true, true, true, true, false],
        [true, true, false, true, false],
        [true, true, false, false, false],
        [true, true, false, false, true],
      ]);
  });
});

describe('distributions', () => {
  test('what the default dependencies install, transitively, extras included', () => {
    const installed = installedDistributions(['fastapi[standard]>=0.115', 'sqlalchemy[asyncio]>=2', 'psycopg[binary]>=3.2']);
    for (const d of ['fastapi', 'pydantic', 'pydantic-core', 'starlette', 'uvicorn', 'httpx', 'anyio', 'greenlet', 'psycopg-binary']) {
      expect(installed).toContain(d);
    }
    expect(installed).not.toContain('asyncpg');
    expect(installedDistributions(['fastapi'])).not.toContain('uvicorn'); // only the [standard] extra brings it
    expect(installedDistributions(['uvicorn', 'uvicorn[standard]'])).toContain('pyyaml'); // an extra given on a second entry
  });

  test('import name to distribution, and back', () => {
    expect(['yaml', 'PIL', 'psycopg', 'sqlalchemy', 'my_lib'].map(distributionOf)).toEqual(['pyyaml', 'pillow', 'psycopg', 'sqlalchemy', 'my-lib']);
    expect(modulesOf('python-dateutil')).toEqual(['dateutil']);
    expect(modulesOf('My.Lib')).toEqual(['my_lib']);
  });
});

describe('formatFindings', () => {
  test('silent when all is well; otherwise one block, grouped by file in path order, lines in order', () => {
    expect(formatFindings([], false)).toBe('');
    const block = formatFindings([
      { file: 'tests/t.py', line: 2, kind: FindingKind.MISSING_DEPENDENCY, message: 'b' },
      { file: 'app/main.py', line: 9, kind: FindingKind.MANAGED_MODULE, message: 'c' },
      { file: 'app/main.py', line: 3, kind: FindingKind.MISSING_DEPENDENCY, message: 'a' },
    ], false).split('\n');
    expect(block.slice(1)).toEqual(['  app/main.py', '    3: a', '    9: c', '  tests/t.py', '    2: b']);
    expect(block[0]).toMatch(/^projen-uv-service: 3 imports .*PROJEN_UV_SERVICE_STRICT=1/);
  });
});
