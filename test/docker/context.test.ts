import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { DockerIgnore, DockerInstruction as I, DockerStages } from '../../src/docker';
import { listFiles, tempDir, withoutPost } from '../support/synth';

/** A service (not synthesized) in a fresh directory. */
function service(options: Partial<UvPythonServiceOptions> = {}, dir: string = tempDir()): UvPythonService {
  return new UvPythonService({ name: 'orders-api', ...options, outdir: dir });
}

/** The problem lines of a service's Dockerfile and .dockerignore. */
function problemsOf(options: Partial<UvPythonServiceOptions>, configure?: (p: UvPythonService) => void): string[] {
  const p = service(options);
  configure?.(p);
  return p.docker!.problems();
}

const WHY_ENV = 'must stay out of the build context (.env files hold secrets, and what is in the build context can end up in an image layer or the build cache), but';

describe('.env files never enter the build context', () => {
  test('an exception in dockerOptions.ignorePatterns that lets .env in is refused, naming the option, its index and the pattern', () => {
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['docs/', '!.env'] } })).toEqual([
      `.dockerignore: got ".env"; ${WHY_ENV} dockerOptions.ignorePatterns[1] ("!.env") lets it in; remove that pattern.`,
    ]);
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['!config/.env', '!.env.example'] } })).toEqual([
      `.dockerignore: got "config/.env"; ${WHY_ENV} dockerOptions.ignorePatterns[0] ("!config/.env") lets it in; remove that pattern.`,
      `.dockerignore: got ".env.example"; ${WHY_ENV} dockerOptions.ignorePatterns[1] ("!.env.example") lets it in; remove that pattern.`,
    ]);
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['!**/.env*'] } })).toEqual([
      `.dockerignore: got [".env",".env.local",".env.production","config/.env",".env.example"]; ${WHY_ENV} dockerOptions.ignorePatterns[0] ("!**/.env*") lets them in; remove that pattern.`,
    ]);
  });

  test('removing the preset\'s pattern through the escape hatch is refused, with the pattern to add back', () => {
    expect(problemsOf({}, (p) => p.docker!.ignore!.removePatterns('**/.env*'))).toEqual([
      `.dockerignore: got [".env",".env.local",".env.production","config/.env",".env.example"]; ${WHY_ENV} no pattern of .dockerignore leaves them out; add "**/.env*" at the end (ignore.addPatterns("**/.env*")).`,
    ]);
    // A narrower pattern left in place still leaves the others to report.
    expect(problemsOf({}, (p) => {
      p.docker!.ignore!.removePatterns('**/.env*');
      p.docker!.ignore!.addPatterns('.env*');
    })).toEqual([
      `.dockerignore: got "config/.env"; ${WHY_ENV} no pattern of .dockerignore leaves it out; add "**/.env*" at the end (ignore.addPatterns("**/.env*")).`,
    ]);
    // The suggested fix works.
    expect(problemsOf({}, (p) => {
      p.docker!.ignore!.removePatterns('**/.env*');
      p.docker!.ignore!.addPatterns('**/.env*');
    })).toEqual([]);
  });

  test('an exception added through the escape hatch is named as an exception of .dockerignore', () => {
    expect(problemsOf({}, (p) => p.docker!.ignore!.addPatterns('!.env.local'))).toEqual([
      `.dockerignore: got ".env.local"; ${WHY_ENV} the exception "!.env.local" lets it in; remove that exception.`,
    ]);
  });

  test('a later pattern that excludes them again makes an earlier exception harmless', () => {
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['!.env', '**/.env*'] } })).toEqual([]);
  });

  test('the synth fails on it and writes no file', () => {
    const dir = tempDir();
    const p = service({ dockerOptions: { ignorePatterns: ['!.env'] } }, dir);
    expect(() => withoutPost(() => p.synth())).toThrow(ServiceConfigError);
    expect(() => withoutPost(() => p.synth())).toThrow(
      `UvPythonService: 1 problem found, no file was written:\n  - .dockerignore: got ".env"; ${WHY_ENV} dockerOptions.ignorePatterns[0] ("!.env") lets it in; remove that pattern.`,
    );
    expect(listFiles(dir)).toEqual([]);
  });

  test('the preset registers the .env files; DockerStages on its own registers none', () => {
    expect(service().docker!.contextExclusions).toEqual([{
      paths: ['.env', '.env.local', '.env.production', 'config/.env', '.env.example'],
      reason: '.env files hold secrets, and what is in the build context can end up in an image layer or the build cache',
      pattern: '**/.env*',
    }]);
    const d = new DockerStages(new Project({ name: 'm', outdir: tempDir() }), {
      stages: [{ name: 'a', image: 'alpine:3.22', instructions: [I.user('1')] }],
    });
    expect(d.contextExclusions).toEqual([]);
    d.requireOutOfContext({ paths: ['secrets/key.pem', 'id_rsa'], reason: 'private keys' });
    expect(d.problems()).toEqual([
      '.dockerignore: got ["secrets/key.pem","id_rsa"]; must stay out of the build context (private keys), but no pattern of .dockerignore leaves them out; add "secrets/key.pem", "id_rsa" at the end (ignore.addPatterns("secrets/key.pem", "id_rsa")).',
    ]);
    d.ignore!.addPatterns('secrets/', 'id_rsa');
    expect(d.problems()).toEqual([]);
  });
});

describe('files the image needs inside the copied directories must be in the build context', () => {
  test('the preset registers the module, the package markers, the build files, the database files and the test', () => {
    expect(service().docker!.requiredContextPaths).toEqual([
      'pyproject.toml', 'uv.lock', 'README.md', 'app/__init__.py', 'app/main.py',
      'app/db.py', 'app/models.py', 'alembic.ini', 'migrations/env.py', 'migrations/script.py.mako',
      'tests/test_health.py',
    ]);
    expect(service({
      app: 'svc.api.main:application',
      testsDir: 'checks',
      database: false,
      dockerOptions: { testingStage: false },
    }).docker!.requiredContextPaths).toEqual([
      'pyproject.toml', 'uv.lock', 'README.md', 'svc/__init__.py', 'svc/api/__init__.py', 'svc/api/main.py',
    ]);
    expect(service({ databaseOptions: { migrationsDir: 'db/migrations' } }).docker!.requiredContextPaths)
      .toEqual(expect.arrayContaining(['db/migrations/env.py', 'db/migrations/script.py.mako']));
  });

  test('"**/*.py" in dockerOptions.ignorePatterns: the image would have no code', () => {
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['**/*.py'] } })).toEqual([
      '.dockerignore: got ["app/__init__.py","app/main.py","app/db.py","app/models.py","migrations/env.py","tests/test_health.py"]; are files the image needs, but dockerOptions.ignorePatterns[0] ("**/*.py") excludes them from the build context; remove that pattern or add "!app/__init__.py", "!app/main.py", "!app/db.py", "!app/models.py", "!migrations/env.py", "!tests/test_health.py" after it.',
    ]);
  });

  test('one module or the migrations environment excluded by an option pattern', () => {
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['docs/', 'app/main.py'] } })).toEqual([
      '.dockerignore: got "app/main.py"; is a file the image needs, but dockerOptions.ignorePatterns[1] ("app/main.py") excludes it from the build context; remove that pattern or add "!app/main.py" after it.',
    ]);
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['**/env.py'] } })).toEqual([
      '.dockerignore: got "migrations/env.py"; is a file the image needs, but dockerOptions.ignorePatterns[0] ("**/env.py") excludes it from the build context; remove that pattern or add "!migrations/env.py" after it.',
    ]);
  });

  test('database and testing files are required only when those parts are on', () => {
    expect(problemsOf({ database: false, dockerOptions: { ignorePatterns: ['**/db.py', '*.ini'] } })).toEqual([]);
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['**/db.py'] } })).toEqual([
      '.dockerignore: got "app/db.py"; is a file the image needs, but dockerOptions.ignorePatterns[0] ("**/db.py") excludes it from the build context; remove that pattern or add "!app/db.py" after it.',
    ]);
    expect(problemsOf({ dockerOptions: { testingStage: false, ignorePatterns: ['tests/test_*.py'] } })).toEqual([]);
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['tests/test_*.py'] } })).toEqual([
      '.dockerignore: got "tests/test_health.py"; is a file the image needs, but dockerOptions.ignorePatterns[0] ("tests/test_*.py") excludes it from the build context; remove that pattern or add "!tests/test_health.py" after it.',
    ]);
  });

  test('a pattern added through the escape hatch is named as a pattern of .dockerignore; an exception fixes it', () => {
    expect(problemsOf({}, (p) => p.docker!.ignore!.addPatterns('app/models.py'))).toEqual([
      '.dockerignore: got "app/models.py"; is a file the image needs, but the pattern "app/models.py" excludes it from the build context; remove that pattern or add "!app/models.py" after it.',
    ]);
    expect(problemsOf({}, (p) => p.docker!.ignore!.addPatterns('app/models.py', '!app/models.py'))).toEqual([]);
  });

  test('a file inside an excluded COPY source is reported once, with the COPY', () => {
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['app/**'] } })).toEqual([
      expect.stringMatching(/^Dockerfile stage "builder" instruction #\d+ \(COPY\): got "app"; everything inside it is excluded from the build context by dockerOptions\.ignorePatterns\[0\] \("app\/\*\*"\) in \.dockerignore; remove that pattern or add "!app\/\*\*" after it\.$/),
    ]);
    const escapeHatch = problemsOf({}, (p) => p.docker!.ignore!.addPatterns('pyproject.toml'));
    expect(escapeHatch).toEqual([
      expect.stringMatching(/^Dockerfile stage "builder" instruction #\d+ \(RUN\): got "pyproject.toml"; is excluded from the build context by \.dockerignore; remove the matching pattern or add "!pyproject.toml" after it\.$/),
      expect.stringMatching(/^Dockerfile stage "builder" instruction #\d+ \(COPY\): got "pyproject.toml"; is excluded from the build context by \.dockerignore; remove the matching pattern or add "!pyproject.toml" after it\.$/),
    ]);
  });

  test('DockerStages on its own: requireInContext adds each path once and checks it at synth', () => {
    const dir = tempDir();
    const project = new Project({ name: 'm', outdir: dir });
    const d = new DockerStages(project, {
      ignorePatterns: ['*.txt'],
      stages: [{ name: 'a', image: 'alpine:3.22', instructions: [I.copy(['.'], '/src'), I.user('1')] }],
    });
    d.requireInContext('notes.txt', 'main.go', 'notes.txt');
    expect(d.requiredContextPaths).toEqual(['notes.txt', 'main.go']);
    expect(() => withoutPost(() => project.synth())).toThrow(
      'DockerStages (Dockerfile): 1 problem found, no file was written:\n  - .dockerignore: got "notes.txt"; is a file the image needs, but the pattern "*.txt" excludes it from the build context; remove that pattern or add "!notes.txt" after it.',
    );
    expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });
});

describe('a COPY source excluded by a pattern of dockerOptions.ignorePatterns names that option', () => {
  test('the option path, the index and the pattern; the escape-hatch message is unchanged', () => {
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['docs/', '!docs/keep.md', 'tests'] } })).toEqual([
      expect.stringMatching(/^Dockerfile stage "testing" instruction #\d+ \(COPY\): got "tests"; is excluded from the build context by dockerOptions\.ignorePatterns\[2\] \("tests"\) in \.dockerignore; remove that pattern or add "!tests" after it\.$/),
    ]);
    expect(problemsOf({}, (p) => p.docker!.ignore!.addPatterns('tests'))).toEqual([
      expect.stringMatching(/^Dockerfile stage "testing" instruction #\d+ \(COPY\): got "tests"; is excluded from the build context by \.dockerignore; remove the matching pattern or add "!tests" after it\.$/),
    ]);
  });

  test('the pattern that decides is named, not an earlier one that a later exception undid', () => {
    expect(problemsOf({ dockerOptions: { ignorePatterns: ['*.md', '!README.md', 'READ*'] } })).toEqual([
      expect.stringMatching(/^Dockerfile stage "builder" instruction #\d+ \(COPY\): got "README.md"; is excluded from the build context by dockerOptions\.ignorePatterns\[2\] \("READ\*"\) in \.dockerignore;/),
    ]);
  });
});

describe('DockerIgnore remembers which option a pattern came from', () => {
  test('addOptionPatterns records option[index]; plain addPatterns records nothing; removing forgets', () => {
    const ignore = new DockerIgnore(new Project({ name: 'm', outdir: tempDir() }));
    ignore.addPatterns('.git');
    ignore.addOptionPatterns('dockerOptions.ignorePatterns', ['docs/', '!.env']);
    expect(ignore.patterns).toEqual(['.git', 'docs/', '!.env']);
    expect(['.git', 'docs/', '!.env', 'absent'].map((p) => ignore.originOf(p)))
      .toEqual([undefined, 'dockerOptions.ignorePatterns[0]', 'dockerOptions.ignorePatterns[1]', undefined]);
    ignore.removePatterns('!.env');
    ignore.addPatterns('!.env');
    expect(ignore.originOf('!.env')).toBeUndefined();
  });
});
