import * as fs from 'fs';
import * as path from 'path';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { listFiles, synthService, tempDir, withoutPost } from '../support/synth';

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
}

function edit(dir: string, file: string, content: string): void {
  const p = path.join(dir, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  if (fs.existsSync(p)) fs.chmodSync(p, 0o644);
  fs.writeFileSync(p, content);
}

function managedFiles(dir: string): string[] {
  return JSON.parse(fs.readFileSync(path.join(dir, '.projen/files.json'), 'utf-8')).files;
}

/** The user's own work in a service: edited samples, new modules, a new migration. */
function addUserWork(dir: string): Record<string, string> {
  const work: Record<string, string> = {
    'app/main.py': `${fs.readFileSync(path.join(dir, 'app/main.py'), 'utf-8')}\n# user line\n`,
    'app/models.py': `${fs.readFileSync(path.join(dir, 'app/models.py'), 'utf-8')}\n# user model notes\n`,
    'app/extra.py': '"""A module the user wrote."""\n',
    'tests/test_health.py': '"""The user\'s own test."""\n',
    'tests/test_more.py': '"""Another user test."""\n',
    'README.md': '# my service\n',
    'migrations/versions/0001_create_item.py': '"""edited first migration"""\n',
    'migrations/versions/0002_user_change.py': '"""a migration the user wrote"""\n',
    '.env': 'DATABASE_URL=postgresql://localhost/dev\n',
  };
  for (const [f, c] of Object.entries(work)) edit(dir, f, c);
  return work;
}

function expectUserWorkIntact(dir: string, work: Record<string, string>): void {
  for (const [f, c] of Object.entries(work)) {
    expect({ file: f, content: fs.readFileSync(path.join(dir, f), 'utf-8') }).toEqual({ file: f, content: c });
  }
}

describe.each<[string, Partial<UvPythonServiceOptions>, string[]]>([
  ['database', { database: false }, ['app/db.py', 'alembic.ini', 'migrations/env.py', 'compose.yaml', '.env.example']],
  ['docker', { docker: false }, ['Dockerfile', '.dockerignore']],
  ['ci', { ci: false }, ['.github/workflows/ci.yml', '.github/dependabot.yml']],
])('turning %s off and on again', (_name, off, owned) => {
  const s = synthService();
  const work = addUserWork(s.dir);
  const before = managedFiles(s.dir);

  test('off: removes only the managed files it owned; every user file survives byte for byte', () => {
    synthService(off, undefined, s.dir);
    const after = managedFiles(s.dir);
    for (const f of owned) {
      expect(before).toContain(f);
      expect(after).not.toContain(f);
      expect(fs.existsSync(path.join(s.dir, f))).toBe(false);
    }
    expect(before.filter((f) => !after.includes(f)).sort()).toEqual(expect.arrayContaining(owned.sort()));
    expectUserWorkIntact(s.dir, work);
  });

  test('on again: the managed files come back; user files are still untouched', () => {
    synthService({}, undefined, s.dir);
    expect(managedFiles(s.dir).sort()).toEqual(before.sort());
    expectUserWorkIntact(s.dir, work);
  });
});

describe('resynth and option changes', () => {
  test('every option change keeps the user files', () => {
    const s = synthService();
    const work = addUserWork(s.dir);
    for (const o of [{ port: 9000 }, { pythonVersion: '3.13' }, { healthPath: '/healthz' }, { deps: ['httpx>=0.27'] }, {}]) {
      synthService(o, undefined, s.dir);
      expectUserWorkIntact(s.dir, work);
    }
  });

  test('a manual edit to a managed file is reverted by the next synth', () => {
    const s = synthService();
    const pristine = snapshot(s.dir);
    edit(s.dir, 'pyproject.toml', 'hand edit\n');
    edit(s.dir, 'Dockerfile', 'FROM scratch\n');
    synthService({}, undefined, s.dir);
    expect(snapshot(s.dir)).toEqual(pristine);
  });
});

describe('a failing synth writes nothing', () => {
  test('invalid options: the tree of a previous good synth is byte-identical afterwards', () => {
    const s = synthService();
    addUserWork(s.dir);
    const before = snapshot(s.dir);
    expect(() => new UvPythonService({ name: 'orders-api', port: 0, pythonVersion: '2.7', outdir: s.dir }))
      .toThrow(ServiceConfigError);
    expect(snapshot(s.dir)).toEqual(before);
  });

  test('a cross-file rule broken from .projenrc.ts (.dockerignore excludes a COPY source): nothing written', () => {
    const s = synthService();
    const before = snapshot(s.dir);
    const project = new UvPythonService({ name: 'orders-api', port: 9001, outdir: s.dir });
    project.docker!.ignore!.addPatterns('tests');
    expect(() => withoutPost(() => project.synth())).toThrow(ServiceConfigError);
    expect(snapshot(s.dir)).toEqual(before);
  });

  test('in an empty directory, a failing synth creates no file', () => {
    const dir = tempDir();
    const project = new UvPythonService({ name: 'orders-api', outdir: dir });
    project.docker!.ignore!.addPatterns('app');
    expect(() => withoutPost(() => project.synth())).toThrow(/app/);
    expect(listFiles(dir)).toEqual([]);
  });
});
