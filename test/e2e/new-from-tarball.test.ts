import { parse as parseToml } from 'smol-toml';
import { addProjenrcOptions, hashTree, newServiceFromTarball, packedTarball, read, resynth, run, write } from './helpers';
import { listFiles } from '../support/synth';
import { validateTree } from '../support/validate-tree';

jest.setTimeout(600_000);

describe('the packed library', () => {
  test('holds only the library: compiled code, templates, jsii metadata and docs', () => {
    const entries = run('tar', ['tzf', packedTarball()], '/').split('\n').filter(Boolean);
    const unexpected = entries.filter((e) => !/^package\/(lib\/.+\.(js|d\.ts)|assets\/.+|\.jsii|API\.md|README\.md|LICENSE|package\.json)$/.test(e));
    expect(unexpected).toEqual([]);
    expect(entries).toEqual(expect.arrayContaining(['package/.jsii', 'package/lib/index.js', 'package/assets/README.md']));
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
    expect(out).toContain('node node_modules/projen-uv-service/lib/service/run-projenrc.js .projenrc.ts');
    expect(out).toMatch(/uv\.lock was not refreshed/);
    expect(out).not.toContain('Installing the projen toolchain');
    expect(hashTree(dir)).toEqual(before);
  });

  test('the .projenrc.ts runner: an option error fails the synth with its message and writes nothing; tsx and an enum work', () => {
    const rc = read(dir, '.projenrc.ts');
    const before = hashTree(dir);
    try {
      addProjenrcOptions(dir, ['port: 70000,']);
      expect(() => resynth(dir)).toThrow(/failed \(exit 1\)[\s\S]*port: got 70000; expected an integer TCP port/);
      write(dir, '.projenrc.ts', rc);
      expect(hashTree(dir)).toEqual(before);
      // TypeScript beyond type stripping, on the tsx path (Node 20 here; newer Node falls back to it).
      write(dir, '.projenrc.ts', rc.replace('project.synth();', 'enum Extra { Port = 8000 }\nvoid Extra.Port;\nproject.synth();'));
      run('node', ['node_modules/projen-uv-service/lib/service/run-projenrc.js', '.projenrc.ts'], dir);
      expect(run('sh', ['-c', 'PROJENRC_RUNNER=tsx node node_modules/projen-uv-service/lib/service/run-projenrc.js .projenrc.ts; echo rc=$?'], dir))
        .toContain('rc=0');
    } finally {
      write(dir, '.projenrc.ts', rc);
    }
    expect(hashTree(dir)).toEqual(before);
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
