import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { DockerInstruction as I, DockerInstructionKind } from '../../src/docker';
import { problemLinesOf } from '../support/errors';
import { listFiles, Synthesized, synthService, tempDir, withoutPost } from '../support/synth';
import { validateTree } from '../support/validate-tree';

/**
 * Every rule of the table in docs/cross-file-rules.md, each through a setter of the model that owns the
 * fact (or its option, where the fact has no setter) and through a file-level override of a file that
 * reads it (`addOverride` on TOML, YAML and INI files, a JSON patch on a manifest, the Dockerfile's and
 * the ignore file's own models): the edit flows into every file that reads the fact, or the synth fails
 * before anything is written, naming the edit and the files that depend on it. The rules run on what
 * will be written: the rendered files, every override applied.
 */

type Edit = (p: UvPythonService) => void;

interface Case {
  /** The rule, as the README's table names it. */
  readonly rule: string;
  readonly options?: Partial<UvPythonServiceOptions>;
  readonly edit: Edit;
  /** A flowing edit: what the written files show. */
  readonly flows?: (s: Synthesized) => void;
  /** A refused edit: the problem line it fails with. */
  readonly fails?: RegExp;
}

function refused(c: Case): string[] {
  const dir = tempDir();
  const project = new UvPythonService({ name: 'orders-api', outdir: dir, ...c.options });
  c.edit(project);
  const lines = problemLinesOf(() => withoutPost(() => project.synth()));
  expect(listFiles(dir)).toEqual([]);
  return lines;
}

const yaml = (s: Synthesized, file: string) => parseYaml(s.read(file));
const tasks = (s: Synthesized) => JSON.parse(s.read('.projen/tasks.json')).tasks;
const steps = (s: Synthesized, job: string): Array<{ id: string; with?: Record<string, unknown> }> => yaml(s, '.github/workflows/ci.yml').jobs[job].steps;
const images = (s: Synthesized) => s.files.filter((f) => f.startsWith('deploy/k8s/'))
  .flatMap((f) => parseAllDocuments(s.read(f)).map((d) => d.toJS()))
  .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
  .map((o) => o.spec.template.spec.containers[0].image);
/** The index of a step in the rendered job (an override addresses steps by index). */
const stepIndex = (p: UvPythonService, job: string, id: string) =>
  (p.ci!.workflow.getJob(job) as { steps: Array<{ id?: string }> }).steps.findIndex((st) => st.id === id);
const published = { kubernetes: true, ciOptions: { imageName: 'acme/orders-api' } };

const cases: Array<[string, 'setter' | 'override', Case]> = [
  ['the testing stage is optional; what builds it follows it', 'setter', {
    rule: 'testing stage',
    edit: (p) => p.docker!.removeStage('testing'),
    flows: (s) => {
      expect(steps(s, 'docker').map((st) => st.with?.target).filter(Boolean)).toEqual(['runtime']);
      expect(tasks(s)['docker:test']).toBeUndefined();
    },
  }],
  ['the testing stage is optional; what builds it follows it', 'override', {
    rule: 'testing stage',
    edit: (p) => p.ci!.workflow.file!.addOverride(`jobs.docker.steps.${stepIndex(p, 'docker', 'build-testing')}.with.target`, 'tests'),
    fails: /^\.github\/workflows\/ci\.yml jobs\.docker\.steps\[\d+\] \(build-testing\) with\.target \(an override in \.projenrc\.ts\): got "tests"; names no stage of Dockerfile \(stages: "builder", "testing", "runtime"\)/,
  }],
  ['the runtime stage is what is built, migrated from, published and run', 'setter', {
    rule: 'runtime stage',
    edit: (p) => {
      p.docker!.addStage({ name: 'prod', fromStage: 'runtime', instructions: [I.label({ tier: 'prod' })] });
      p.docker!.runtimeStage = 'prod';
    },
    flows: (s) => {
      expect(yaml(s, 'compose.yaml').services.app.build.target).toBe('prod');
      expect(steps(s, 'publish').find((st) => st.id === 'push')!.with!.target).toBe('prod');
      expect(tasks(s)['docker:build'].steps[0].exec).toContain('--target prod');
    },
  }],
  ['the runtime stage is what is built, migrated from, published and run', 'override', {
    rule: 'runtime stage',
    edit: (p) => p.compose!.file.addOverride('services.app.build.target', 'prod'),
    fails: /^compose\.yaml services\.app\.build\.target \(an override in \.projenrc\.ts\): got "prod"; names no stage of Dockerfile/,
  }],
  ['the image name is what the tasks tag, CI builds and the manifests run', 'setter', {
    rule: 'image name',
    options: { kubernetes: true, ci: false },
    edit: (p) => { p.docker!.imageName = 'acme/renamed'; },
    flows: (s) => {
      expect(tasks(s)['docker:build'].steps[0].exec).toContain('--tag acme/renamed:latest');
      expect(images(s)).toEqual(['acme/renamed:latest', 'acme/renamed:latest']);
    },
  }],
  ['the image name is what the tasks tag, CI builds and the manifests run', 'override', {
    rule: 'image name',
    options: published,
    edit: (p) => p.ci!.workflow.file!.addOverride(`jobs.publish.steps.${stepIndex(p, 'publish', 'meta')}.with.images`, 'ghcr.io/acme/other'),
    flows: (s) => {
      expect(steps(s, 'publish').find((st) => st.id === 'meta')!.with!.images).toBe('ghcr.io/acme/other');
      expect(images(s)).toEqual(['ghcr.io/acme/other:latest', 'ghcr.io/acme/other:latest']);
    },
  }],
  ['files the image needs stay in the build context, secrets stay out', 'setter', {
    rule: 'build context',
    edit: (p) => p.docker!.ignore!.addPatterns('app/db.py'),
    fails: /^\.dockerignore: got "app\/db\.py"; is a file the image needs, but the pattern "app\/db\.py" excludes it/,
  }],
  ['files the image needs stay in the build context, secrets stay out', 'override', {
    rule: 'build context',
    edit: (p) => p.docker!.ignore!.removePatterns('**/.env*'),
    fails: /^\.dockerignore: got \[".env",.*\]; must stay out of the build context \(\.env files hold secrets/,
  }],
  ['the packaged module is the app\'s package, at the project root', 'setter', {
    rule: 'packaged module (option app only: no setter)',
    options: { app: 'svc.main:app' },
    edit: () => {},
    flows: (s) => {
      expect(s.read('pyproject.toml')).toContain('module-name = "svc"');
      expect(s.read('Dockerfile')).toContain('COPY svc ./svc');
    },
  }],
  ['the packaged module is the app\'s package, at the project root', 'override', {
    rule: 'packaged module',
    edit: (p) => p.pyproject.file.addOverride('tool.uv.build-backend.module-name', 'svc'),
    fails: /^project\.pyproject\.file tool\.uv\.build-backend\.module-name: got "svc"; the app package is "app"/,
  }],
  ['the runtime serves the app on the service\'s port', 'setter', {
    rule: 'port',
    edit: (p) => {
      const runtime = p.docker!.stage('runtime');
      runtime.replaceInstruction(runtime.indexOf(runtime.findInstructions(DockerInstructionKind.EXPOSE)[0]), I.expose(9000));
    },
    fails: /^project\.docker stage "runtime" EXPOSE: got \[9000\]; the service listens on port 8000 \(option port\): the HEALTHCHECK probes it, the dev task serves on it and compose\.yaml publishes it/,
  }],
  ['the runtime serves the app on the service\'s port', 'override', {
    rule: 'port',
    edit: (p) => p.compose!.file.addOverride('services.app.environment.PORT', '9000'),
    fails: /^compose\.yaml services\.app\.environment\.PORT \(an override in \.projenrc\.ts\): got \{"PORT":"9000","ports":\["127\.0\.0\.1:8000:8000"\]\}; the app listens on 9000 in its container/,
  }],
  ['one host port, one service', 'setter', {
    rule: 'host ports (option port only: no setter)',
    options: { port: 6432 },
    edit: () => {},
    fails: /^port: got 6432; is the port of "pgbouncer" \(the local database stack\) too/,
  }],
  ['one host port, one service', 'override', {
    rule: 'host ports',
    edit: (p) => p.compose!.file.addOverride('services.app.ports', ['127.0.0.1:5432:8000']),
    fails: /^compose\.yaml services\.app\.ports\[0\] \(an override in \.projenrc\.ts\): got 5432; is the port of "postgres" \(the local database stack\) too/,
  }],
  ['compose.yaml builds the app from the Docker model', 'setter', {
    rule: 'compose build',
    edit: (p) => {
      p.docker!.addStage({ name: 'local', fromStage: 'runtime', instructions: [I.env({ DEBUG: '1' })] });
      p.docker!.runtimeStage = 'local';
    },
    flows: (s) => expect(yaml(s, 'compose.yaml').services.migrate.build).toEqual({ context: '.', dockerfile: 'Dockerfile', target: 'local' }),
  }],
  ['compose.yaml builds the app from the Docker model', 'override', {
    rule: 'compose build',
    edit: (p) => p.compose!.file.addOverride('services.app.build.dockerfile', 'Dockerfile.dev'),
    fails: /^compose\.yaml services\.app\.build \(an override in \.projenrc\.ts\): got \{"context":"\.","dockerfile":"Dockerfile\.dev"\}; must build Dockerfile from its context "\."/,
  }],
  ['the app and the migrations read the database\'s variables', 'setter', {
    rule: 'database variables (options only: no setter)',
    options: { databaseOptions: { pooledUrlEnv: 'APP_DB', directUrlEnv: 'APP_DB_DIRECT' } },
    edit: () => {},
    flows: (s) => {
      expect(Object.keys(yaml(s, 'compose.yaml').services.app.environment).sort()).toEqual(['APP_DB', 'APP_DB_DIRECT', 'PORT']);
      expect(s.read('app/db.py')).toContain('APP_DB');
    },
  }],
  ['the app and the migrations read the database\'s variables', 'override', {
    rule: 'database variables',
    edit: (p) => p.compose!.file.addDeletionOverride('services.migrate.environment.DATABASE_URL_UNPOOLED'),
    fails: /^compose\.yaml services\.migrate\.environment \(an override in \.projenrc\.ts\): got \[\]; must set DATABASE_URL_UNPOOLED: the migrations/,
  }],
  ['Alembic finds the migrations where they are written', 'setter', {
    rule: 'migrations directory (option only: no setter)',
    options: { databaseOptions: { migrationsDir: 'db/migrations' } },
    edit: () => {},
    flows: (s) => {
      expect(s.read('alembic.ini')).toContain('script_location=%(here)s/db/migrations');
      expect(s.read('Dockerfile')).toContain('COPY db/migrations ./db/migrations');
    },
  }],
  ['Alembic finds the migrations where they are written', 'override', {
    rule: 'migrations directory',
    edit: (p) => p.database!.alembicIni.addOverride('alembic.script_location', '%(here)s/db'),
    fails: /^alembic\.ini alembic\.script_location \(an override in \.projenrc\.ts\): got "%\(here\)s\/db"; must be "%\(here\)s\/migrations"/,
  }],
  ["the workflow's jobs build what the Dockerfile model says", 'setter', {
    rule: 'workflow jobs',
    edit: (p) => {
      p.ci!.workflow.patchStep('test', 'pytest', { run: 'uv run pytest -x tests' });
      p.docker!.removeStage('testing');
    },
    flows: (s) => {
      expect(steps(s, 'test').find((st) => st.id === 'pytest')).toMatchObject({ run: 'uv run pytest -x tests' });
      expect(steps(s, 'docker').map((st) => st.id)).not.toContain('build-testing');
    },
  }],
  ["the workflow's jobs build what the Dockerfile model says", 'override', {
    rule: 'workflow jobs',
    edit: (p) => p.ci!.workflow.file!.addOverride(`jobs.publish.steps.${stepIndex(p, 'publish', 'push')}.with.file`, 'docker/Dockerfile'),
    fails: /^\.github\/workflows\/ci\.yml jobs\.publish\.steps\[\d+\] \(push\) with\.file \(an override in \.projenrc\.ts\): got \{"file":"docker\/Dockerfile","context":"\."\}; must build Dockerfile from its context "\."/,
  }],
  ['the manifests run the image as its user, on its port', 'setter', {
    rule: 'manifests',
    options: published,
    edit: (p) => {
      const runtime = p.docker!.stage('runtime');
      runtime.replaceInstruction(runtime.instructions.findIndex((x) => x.kind === 'USER'), I.user('app'));
    },
    fails: /^Dockerfile stage "runtime" USER: got "app"; the manifests run the image as its numeric uid:gid/,
  }],
  ['the manifests run the image as its user, on its port', 'override', {
    rule: 'manifests',
    options: published,
    edit: (p) => ApiObject.of(p.kubernetes!.service).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', kplus.k8s.IntOrString.fromNumber(9999))),
    fails: /^deploy\/k8s\/service\.yaml Service\/orders-api spec\.ports: got \[9999\]; must target port 8000/,
  }],
];

describe('every cross-file rule, through a setter and through a file-level override', () => {
  test('each rule has both', () => {
    const byRule = new Map<string, Set<string>>();
    for (const [rule, via] of cases) byRule.set(rule, new Set([...(byRule.get(rule) ?? []), via]));
    expect([...byRule].filter(([, via]) => via.size !== 2).map(([rule]) => rule)).toEqual([]);
    expect(byRule.size).toBeGreaterThanOrEqual(12);
  });

  test.each(cases)('%s (%s)', async (_rule, _via, c) => {
    if (c.fails) {
      const lines = refused(c);
      expect(lines.filter((l) => c.fails!.test(l))).toHaveLength(1);
      return;
    }
    const s = synthService(c.options ?? {}, c.edit);
    c.flows!(s);
    // What flowed still passes the files' own validators.
    expect(await validateTree(s.dir, s.files)).toEqual([]);
  });
});

describe('overrides that change nothing another file reads are written as they are', () => {
  test('an INI, a YAML and a TOML override of a value no rule reads', () => {
    const s = synthService({}, (p) => {
      p.database!.alembicIni.addOverride('alembic.timezone', 'Europe/Berlin');
      p.compose!.file.addOverride('services.app.build.args', { TIER: 'local' });
      p.compose!.file.addOverride('services.app.environment.PORT', '9000');
      p.compose!.file.addOverride('services.app.ports', ['127.0.0.1:9000:9000']);
      p.pyproject.file.addOverride('tool.ruff.line-length', 120);
      p.ci!.workflow.file!.addOverride('jobs.test.env', { PYTHONWARNINGS: 'error' });
    });
    expect(s.read('alembic.ini')).toContain('timezone=Europe/Berlin');
    expect(yaml(s, 'compose.yaml').services.app).toMatchObject({ environment: { PORT: '9000' }, ports: ['127.0.0.1:9000:9000'], build: { args: { TIER: 'local' } } });
    expect(s.read('pyproject.toml')).toContain('line-length = 120');
    expect(yaml(s, '.github/workflows/ci.yml').jobs.test.env).toEqual({ PYTHONWARNINGS: 'error' });
  });
});
