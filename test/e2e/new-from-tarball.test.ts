import { parse as parseToml } from 'smol-toml';
import { addProjenrcOptions, hashTree, newServiceFromTarball, packedTarball, read, resynth, run, write } from './helpers';
import { listFiles } from '../support/synth';
import { validateTree } from '../support/validate-tree';

jest.setTimeout(600_000);

describe('the packed library', () => {
  test('holds only the library: compiled code, templates, jsii metadata and docs', () => {
    const entries = run('tar', ['tzf', packedTarball()], '/').split('\n').filter(Boolean);
    const unexpected = entries.filter((e) => !/^package\/(lib\/.+\.(js|d\.ts)|assets\/.+|\.jsii|API\.md|README\.md|LICENSE|package\.json|node_modules\/.+)$/.test(e));
    expect(unexpected).toEqual([]);
    expect(entries).toEqual(expect.arrayContaining(['package/.jsii', 'package/lib/index.js', 'package/assets/README.md']));
  });

  test('bundles exactly its bundledDependencies and what they depend on (the Python parser of the import check)', () => {
    const tgz = packedTarball();
    const entries = run('tar', ['tzf', tgz], '/').split('\n').filter(Boolean);
    const packageJson = (entry: string): any => JSON.parse(run('tar', ['xzfO', tgz, entry], '/'));
    const bundled = new Set(entries
      .map((e) => /^package\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(e)?.[1])
      .filter((n): n is string => n !== undefined));
    // The closure of package.json's bundledDependencies over the bundled packages' own dependencies.
    const closure = new Set<string>();
    const visit = (name: string): void => {
      if (closure.has(name)) return;
      closure.add(name);
      if (bundled.has(name)) Object.keys(packageJson(`package/node_modules/${name}/package.json`).dependencies ?? {}).forEach(visit);
    };
    const declared: string[] = packageJson('package/package.json').bundledDependencies;
    expect(declared).toEqual(['@lezer/python']);
    declared.forEach(visit);
    expect([...bundled].sort()).toEqual([...closure].sort());
  });
});

describe('projen new --from <tarball> uv-python-service', () => {
  let dir: string;
  beforeAll(() => {
    dir = newServiceFromTarball('orders-api');
  });

  test('creates the service files', () => {
    const files = listFiles(dir);
    expect(files).toEqual(expect.arrayContaining([
      '.projenrc.ts', 'package.json', 'package-lock.json', 'pyproject.toml', '.python-version', '.gitignore',
      'README.md', 'app/__init__.py', 'app/main.py', 'tests/test_health.py', '.projen/tasks.json',
    ]));
    expect(read(dir, '.projenrc.ts')).toContain('new UvPythonService({');
  });

  test('the generated .projenrc.ts synthesizes out of the box, and a second synth changes nothing', () => {
    const before = hashTree(dir);
    const out = resynth(dir);
    expect(out).toContain('node_modules/.bin/tsx .projenrc.ts');
    expect(out).toMatch(/uv\.lock was not refreshed/);
    expect(out).not.toContain('Installing the projen toolchain');
    expect(hashTree(dir)).toEqual(before);
  });

  test('the CI synth job\'s strict import check passes on the new service, and fails, writing nothing, once .projenrc.ts disagrees with the code', () => {
    const strict = (fn: () => void): void => {
      process.env.PROJEN_UV_SERVICE_STRICT = '1';
      try {
        fn();
      } finally {
        delete process.env.PROJEN_UV_SERVICE_STRICT;
      }
    };
    const before = hashTree(dir);
    strict(() => resynth(dir));
    expect(hashTree(dir)).toEqual(before);

    const projenrc = read(dir, '.projenrc.ts');
    addProjenrcOptions(dir, ['database: false,']);
    const edited = hashTree(dir);
    strict(() => expect(() => resynth(dir)).toThrow(/app\/main\.py[\s\S]*app\.db: no longer generated/));
    expect(hashTree(dir)).toEqual(edited);
    write(dir, '.projenrc.ts', projenrc);
  });

  test('every generated file passes its third-party validator', async () => {
    // TOML, Ruff, JSON, YAML, dotenv, ini, dockerfile-utils + stage graph, actionlint + GitHub's parser.
    expect(await validateTree(dir, listFiles(dir))).toEqual([]);
  });

  test('an edit in .projenrc.ts reaches every dependent file; the user\'s own files survive', () => {
    const mainPy = `${read(dir, 'app/main.py')}\n\n# the user's own line\n`;
    write(dir, 'app/main.py', mainPy);
    write(dir, 'tests/test_health.py', `${read(dir, 'tests/test_health.py')}\n# mine\n`);
    const testPy = read(dir, 'tests/test_health.py');
    write(dir, 'README.md', '# my readme\n');

    addProjenrcOptions(dir, ["pythonVersion: '3.13',", 'port: 9000,']);
    resynth(dir);

    expect(read(dir, '.python-version')).toBe('3.13\n');
    expect((parseToml(read(dir, 'pyproject.toml')) as any).project['requires-python']).toBe('>=3.13');
    expect((parseToml(read(dir, 'pyproject.toml')) as any).tool.ruff['target-version']).toBe('py313');
    expect(JSON.parse(read(dir, '.projen/tasks.json')).tasks.dev.steps[0].exec).toContain('--port 9000');

    expect(read(dir, 'app/main.py')).toBe(mainPy);
    expect(read(dir, 'tests/test_health.py')).toBe(testPy);
    expect(read(dir, 'README.md')).toBe('# my readme\n');
  });
});
