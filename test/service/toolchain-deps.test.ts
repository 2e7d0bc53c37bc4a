import * as fs from 'fs';
import * as path from 'path';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { defaultLibraryVersion, isNpmSpecOfLibrary, libraryEntryFor } from '../../src/core/library';
import { Problems } from '../../src/core/problems';
import { resolveServiceOptions } from '../../src/service/resolve';
import { fromProjenNew, resolveToolchainDeps } from '../../src/service/toolchain-deps';
import { problemLinesOf } from '../support/errors';
import { synthService, tempDir, withoutPost } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');
const LIBRARY_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;

describe('the library spec `projen new --from` was given, as a toolchainDeps entry', () => {
  test.each<[string, string]>([
    ['projen-uv-service', `projen-uv-service@${LIBRARY_VERSION === '0.0.0' ? '*' : `^${LIBRARY_VERSION}`}`],
    ['projen-uv-service@1.4.2', 'projen-uv-service@1.4.2'],
    ['projen-uv-service@^2', 'projen-uv-service@^2'],
    ['/tmp/build/renamed-library.tgz', 'projen-uv-service@file:/tmp/build/renamed-library.tgz'],
    ['/tmp/build/projen-uv-service-0.0.0.tgz', 'projen-uv-service@file:/tmp/build/projen-uv-service-0.0.0.tgz'],
    ['../checkout', `projen-uv-service@file:${path.resolve('../checkout')}`],
    ['lib.tar.gz', `projen-uv-service@file:${path.resolve('lib.tar.gz')}`],
    ['file:../dist/any-name.tgz', 'projen-uv-service@file:../dist/any-name.tgz'],
    ['git+https://git.example/projen-uv-service.git#v1', 'projen-uv-service@git+https://git.example/projen-uv-service.git#v1'],
  ])('%s -> %s', (spec, entry) => {
    expect(libraryEntryFor(spec)).toBe(entry);
  });

  test.each<[string, boolean]>([
    ['projen-uv-service', true],
    ['projen-uv-service@^1.2.0', true],
    ['/tmp/x/renamed.tgz', true],
    ['./renamed.tgz', true],
    ['renamed.tgz', true],
    ['file:../x.tgz', true],
    ['pytest', false],
    ['projen-uv-service-extras>=1', false],
    ['mylib @ file:///srv/mylib-1.0.tar.gz', false],
    ['mylib@https://files.example/mylib-1.0.tar.gz', false],
  ])('%s is an npm spec of the library: %s', (spec, expected) => {
    expect(isNpmSpecOfLibrary(spec)).toBe(expected);
  });
});

describe('toolchainDeps', () => {
  test('defaults: projen, constructs, tsx and this library at its running release', () => {
    const deps = resolveToolchainDeps(new Problems(), undefined);
    expect(Object.keys(deps).sort()).toEqual(['constructs', 'projen', 'projen-uv-service', 'tsx']);
    expect(deps['projen-uv-service']).toBe(defaultLibraryVersion());
  });

  test('an entry replaces the pin of the same name; others are added (scoped names too)', () => {
    const s = synthService({ toolchainDeps: ['projen-uv-service@file:/opt/lib/x.tgz', '@acme/constructs@^3.1.0', 'left-pad'] });
    expect(JSON.parse(s.read('package.json')).devDependencies).toEqual({
      '@acme/constructs': '^3.1.0',
      'constructs': expect.any(String),
      'left-pad': '*',
      'projen': expect.any(String),
      'projen-uv-service': 'file:/opt/lib/x.tgz',
      'tsx': expect.any(String),
    });
    fs.rmSync(s.dir, { recursive: true, force: true });
  });

  test('invalid entries name the entry and the fix', () => {
    expect(problemLinesOf(() => resolveServiceOptions({
      name: 'orders-api', toolchainDeps: ['/tmp/x.tgz', 'Bad Name@1', 'tsx@4', 'tsx@^4.1', 'x@'],
    } as UvPythonServiceOptions))).toEqual([
      'toolchainDeps[0]: got "/tmp/x.tgz"; expected an npm spec "name" or "name@<version range, file:path or url>", e.g. "projen-uv-service@^1.2.0"; a tarball path alone is written "projen-uv-service@file:<path>".',
      'toolchainDeps[1]: got "Bad Name@1"; expected an npm spec "name" or "name@<version range, file:path or url>", e.g. "projen-uv-service@^1.2.0"; a tarball path alone is written "projen-uv-service@file:<path>".',
      'toolchainDeps[3]: got "tsx@^4.1"; names "tsx" a second time; give each npm package once.',
      'toolchainDeps[4]: got "x@"; expected an npm spec "name" or "name@<version range, file:path or url>", e.g. "projen-uv-service@^1.2.0"; a tarball path alone is written "projen-uv-service@file:<path>".',
    ]);
    expect(problemLinesOf(() => resolveServiceOptions({ name: 'orders-api', toolchainDeps: 'tsx' } as any))).toEqual([
      'toolchainDeps: got "tsx"; expected an array of npm specs such as "projen-uv-service@^1.2.0" or "projen-uv-service@file:../projen-uv-service-1.2.0.tgz".',
    ]);
  });
});

describe('devDeps and deps hold Python packages only', () => {
  test('an npm spec there is refused with the toolchainDeps entry to write instead', () => {
    expect(problemLinesOf(() => resolveServiceOptions({
      name: 'orders-api',
      devDeps: ['/tmp/p/renamed.tgz', 'mypy>=1'],
      deps: ['projen-uv-service@^1.2.0'],
    } as UvPythonServiceOptions))).toEqual([
      'deps[0]: got "projen-uv-service@^1.2.0"; is an npm spec of the projen toolchain, not a Python package: pin the library in package.json with toolchainDeps: ["projen-uv-service@^1.2.0"] instead.',
      'devDeps[0]: got "/tmp/p/renamed.tgz"; is an npm spec of the projen toolchain, not a Python package: pin the library in package.json with toolchainDeps: ["projen-uv-service@file:/tmp/p/renamed.tgz"] instead.',
    ]);
  });

  test('a Python URL requirement to a local sdist is still a Python dependency', () => {
    const r = resolveServiceOptions({ name: 'orders-api', devDeps: ['mylib @ file:///srv/mylib-1.0.tar.gz'] } as UvPythonServiceOptions);
    expect(r.devDeps).toContain('mylib @ file:///srv/mylib-1.0.tar.gz');
  });
});

describe('projen new --from <spec>: the options projen passes', () => {
  /** The options `projen new --from <spec> uv-python-service --name orders-api` hands the constructor. */
  function projenNewOptions(spec: string, outdir: string): UvPythonServiceOptions {
    const args = { name: 'orders-api', devDeps: [spec] };
    return { ...args, outdir, __new__: { fqn: 'projen-uv-service.UvPythonService', args, comments: 'none', synth: true, post: true } } as any;
  }

  test('the spec moves from devDeps to toolchainDeps, in the options and in what .projenrc.ts is written from', () => {
    const o = fromProjenNew(projenNewOptions('/tmp/any/renamed.tgz', '/tmp/out')) as any;
    expect(o.devDeps).toBeUndefined();
    expect(o.toolchainDeps).toEqual(['projen-uv-service@file:/tmp/any/renamed.tgz']);
    expect(o.__new__.args).toEqual({ name: 'orders-api', toolchainDeps: ['projen-uv-service@file:/tmp/any/renamed.tgz'] });
  });

  test("a problem in an option is reported once, not again inside projen new's record", () => {
    const args = { name: 'orders-api', deps: ['x @ https://me:pw@git.example/x.tgz', 'y>>1'] };
    const lines = problemLinesOf(() => resolveServiceOptions({ ...args, __new__: { fqn: 'projen-uv-service.UvPythonService', args } } as any));
    expect(lines.map((l) => l.split(':')[0])).toEqual(['deps[0]', 'deps[1]']);
  });

  test("options without projen new's record, or of another project type, are left alone", () => {
    const plain = { name: 'orders-api', devDeps: ['mypy'] };
    expect(fromProjenNew(plain)).toBe(plain);
    const other = { name: 'x', devDeps: ['a.tgz'], __new__: { fqn: 'other-lib.UvPythonService', args: { devDeps: ['a.tgz'] } } };
    expect(fromProjenNew(other)).toBe(other);
  });

  const versionPin = LIBRARY_VERSION === '0.0.0' ? '*' : `^${LIBRARY_VERSION}`;
  test.each<[string, (outdir: string) => string]>([
    ['projen-uv-service', () => versionPin],
    ['projen-uv-service@1.4.2', () => '1.4.2'],
    ['../lib/renamed.tgz', (outdir) => `file:${path.join(path.dirname(outdir), 'lib', 'renamed.tgz')}`],
    ['file:../lib/renamed-0.0.0.tgz', () => 'file:../lib/renamed-0.0.0.tgz'],
  ])('--from %s: .projenrc.ts pins it in toolchainDeps, package.json pins it too; no npm spec among Python deps', (spec, pin) => {
    // projen resolves the project type from node_modules of the working directory, as in a new project.
    const work = fs.realpathSync(tempDir());
    const cwd = process.cwd();
    try {
      fs.mkdirSync(path.join(work, 'node_modules'));
      fs.symlinkSync(ROOT, path.join(work, 'node_modules', 'projen-uv-service'));
      const outdir = path.join(work, 'svc');
      fs.mkdirSync(outdir);
      process.chdir(outdir);
      const project = new UvPythonService(projenNewOptions(spec, outdir));
      withoutPost(() => project.synth());
      const rc = fs.readFileSync(path.join(outdir, '.projenrc.ts'), 'utf-8');
      expect(rc).toContain(`toolchainDeps: ["projen-uv-service@${pin(outdir)}"]`);
      expect(rc).not.toContain('devDeps');
      expect(JSON.parse(fs.readFileSync(path.join(outdir, 'package.json'), 'utf-8')).devDependencies['projen-uv-service']).toBe(pin(outdir));
      expect(fs.readFileSync(path.join(outdir, 'pyproject.toml'), 'utf-8')).not.toMatch(/projen-uv-service|tgz/);
    } finally {
      process.chdir(cwd);
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
