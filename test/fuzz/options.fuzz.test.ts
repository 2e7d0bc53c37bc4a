import * as fs from 'fs';
import fc from 'fast-check';
import { PoolStrategy, UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { DockerInstruction } from '../../src/docker';
import { thrownBy } from '../support/errors';
import { listFiles, synthService, tempDir, withoutPost } from '../support/synth';
import { validateTree, WorkflowParserBatch } from '../support/validate-tree';

/** Runs per property: small in the quick path, FUZZ_RUNS (>= 1000 in .ci/run) in the full one. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const counts: Record<string, number> = {};

jest.setTimeout(30 * 60_000);
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`fuzz runs: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(', ')}`);
});

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/);

const dockerOptions = fc.record({
  testingStage: fc.boolean(),
  uid: fc.integer({ min: 1, max: 60000 }),
  gid: fc.integer({ min: 1, max: 60000 }),
  userName: fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
  healthcheck: fc.boolean(),
  ignorePatterns: fc.subarray(['docs/', 'notes/', '*.log', '.idea', 'tmp/**']),
}, { requiredKeys: [] });

const databaseOptions = fc.record({
  pooledUrlEnv: envName,
  directUrlEnv: envName,
  poolStrategy: fc.constantFrom(PoolStrategy.NULL_POOL, PoolStrategy.CLIENT_POOL),
  prePing: fc.boolean(),
  preparedStatements: fc.boolean(),
  migrationsDir: fc.constantFrom('migrations', 'db/migrations', 'alembic'),
}, { requiredKeys: [] });

const ciOptions = fc.record({
  defaultBranch: fc.constantFrom('main', 'trunk', 'release/v2'),
  neonPreview: fc.boolean(),
  dockerJob: fc.boolean(),
  publishImage: fc.boolean(),
  dependabotCooldownDays: fc.integer({ min: 1, max: 90 }),
  testTimeoutMinutes: fc.integer({ min: 1, max: 360 }),
}, { requiredKeys: [] });

/** A stage the user adds from .projenrc.ts (before the runtime stage), built on the builder. */
const extraStage = fc.option(
  fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/).filter((n) => !['builder', 'testing', 'runtime'].includes(n)),
    command: fc.constantFrom('uv run ruff check .', 'echo "lint: ok"', 'python -c "import sys"'),
  }),
  { nil: undefined },
);

function addStage(project: UvPythonService, stage: { name: string; command: string } | undefined): void {
  if (!stage || !project.docker) return;
  const docker = project.docker;
  docker.insertStage(docker.stages.findIndex((st) => st.name === 'runtime'), {
    name: stage.name,
    fromStage: 'builder',
    instructions: [DockerInstruction.run([stage.command])],
  });
}
const validOptions = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,6}){0,2}$/),
  pythonVersion: fc.integer({ min: 10, max: 15 }).map((m) => `3.${m}`),
  uvVersion: fc.tuple(fc.nat(1), fc.integer({ min: 8, max: 30 }), fc.nat(30)).map(([a, b, c]) => `${a}.${b}.${c}`),
  port: fc.integer({ min: 1, max: 65535 }),
  healthPath: fc.stringMatching(/^\/[a-z0-9_-]{0,10}(\/[a-z0-9_.-]{1,6}){0,2}$/),
  app: fc.tuple(ident, ident, ident).map(([p, m, v]) => `${p}.${m}:${v}`),
  testsDir: fc.constantFrom('tests', 'test_suite', 'checks'),
  deps: fc.array(
    fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), fc.constantFrom('', '>=1', '>=1.2,<3', '==0.1.*', '~=2.0'))
      .map(([n, v]) => `${n}${v}`),
    { maxLength: 4 },
  ),
  docker: fc.boolean(),
  database: fc.boolean(),
  ci: fc.boolean(),
  dockerOptions,
  databaseOptions,
  ciOptions,
});

function isExpectedlyInvalid(o: Record<string, unknown>): boolean {
  // Options the generator can produce that validation rightly refuses (keywords, shadowing, clashes).
  try {
    new UvPythonService({ ...(o as unknown as UvPythonServiceOptions), outdir: tempDir() });
    return false;
  } catch (e) {
    if (e instanceof ServiceConfigError) return true;
    throw e;
  }
}

test('random valid option sets synthesize, and every generated file passes its validator', async () => {
  const workflows = new WorkflowParserBatch();
  await fc.assert(
    fc.asyncProperty(validOptions, extraStage, async (o, stage) => {
      fc.pre(!isExpectedlyInvalid(o));
      counts.valid = (counts.valid ?? 0) + 1;
      if (stage) counts.extraStages = (counts.extraStages ?? 0) + 1;
      const s = synthService(o as Partial<UvPythonServiceOptions>, (p) => addStage(p, stage));
      expect(await validateTree(s.dir, s.files, workflows)).toEqual([]);
      fs.rmSync(s.dir, { recursive: true, force: true });
    }),
    { numRuns: RUNS },
  );
  // GitHub's parser, once over every workflow the runs produced.
  counts.workflowsParsed = workflows.size;
  expect(await workflows.findings()).toEqual([]);
});

/** One invalid mutation: the option path it must be reported under, and the bad value. */
const invalidMutations: Array<[string, fc.Arbitrary<[string, unknown]>]> = [
  ['port', fc.oneof(fc.integer({ min: 65536 }), fc.integer({ max: 0 }), fc.double({ noInteger: true, noNaN: true })).map((v) => ['port', v])],
  ['pythonVersion', fc.constantFrom('3.12.x', '2.7', '3', '3.9', '3.99', 'latest', '').map((v) => ['pythonVersion', v])],
  ['uvVersion', fc.constantFrom('latest', '0.9', '^0.9.7', '0.9.7-beta', '').map((v) => ['uvVersion', v])],
  ['healthPath', fc.stringMatching(/^[a-z ]{1,6}$/).map((v) => ['healthPath', v])],
  ['app', fc.constantFrom('main:app', 'app.main', 'app.main:', 'a-b.main:app', 'app.class:app').map((v) => ['app', v])],
  ['deps[0]', fc.constantFrom('fastapi>>1', 'my pkg', '==1.0', 'x[', 'y @ not a url').map((v) => ['deps', [v]])],
  ['name', fc.constantFrom('my service', '-x', 'x-', '', 'a/b').map((v) => ['name', v])],
  ['dockerOptions.uid', fc.oneof(fc.constant(0), fc.integer({ max: -1 })).map((v) => ['dockerOptions', { uid: v }])],
  ['databaseOptions.pooledUrlEnv', fc.constantFrom('database-url', 'PATH', 'UV_CACHE_DIR', '1DB', '').map((v) => ['databaseOptions', { pooledUrlEnv: v }])],
  ['ciOptions.dependabotCooldownDays', fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 91 })).map((v) => ['ciOptions', { dependabotCooldownDays: v }])],
];

test('random invalid option sets raise one collected error naming every bad option, and write nothing', () => {
  fc.assert(
    fc.property(
      validOptions,
      fc.uniqueArray(fc.constantFrom(...invalidMutations.map((_m, i) => i)), { minLength: 1, maxLength: 4 })
        .chain((idx) => fc.tuple(...idx.map((i) => invalidMutations[i][1]))),
      (base, mutations) => {
        counts.invalid = (counts.invalid ?? 0) + 1;
        const options: Record<string, unknown> = { ...base, deps: [] };
        for (const [key, value] of mutations) {
          options[key] = value;
          // Options of a component are read when the component is on.
          const component = { dockerOptions: 'docker', databaseOptions: 'database', ciOptions: 'ci' }[key];
          if (component) options[component] = true;
        }
        const dir = tempDir();
        const error = thrownBy(() => new UvPythonService({ ...(options as unknown as UvPythonServiceOptions), outdir: dir }).synth());
        expect(error).toBeInstanceOf(ServiceConfigError);
        const reported = (error as ServiceConfigError).problems.map((p) => p.option);
        for (const [key, value] of mutations) {
          const path = key === 'deps' ? 'deps[0]' : typeof value === 'object' && value !== null && !Array.isArray(value)
            ? `${key}.${Object.keys(value)[0]}`
            : key;
          expect(reported).toContain(path);
        }
        expect(listFiles(dir)).toEqual([]);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    ),
    { numRuns: RUNS },
  );
});

test('random invalid stage names added from .projenrc.ts are refused by name, and nothing is written', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.stringMatching(/^[a-z]{1,4} [a-z]{1,4}$/), fc.stringMatching(/^[A-Z][a-z]{0,6}$/), fc.constantFrom('', '1st', '-x', 'a/b')),
      (name) => {
        counts.invalidStages = (counts.invalidStages ?? 0) + 1;
        const dir = tempDir();
        const project = new UvPythonService({ name: 'orders-api', outdir: dir });
        addStage(project, { name, command: 'true' });
        const error = thrownBy(() => withoutPost(() => project.synth()));
        expect(error).toBeInstanceOf(ServiceConfigError);
        expect((error as ServiceConfigError).problems.map((p) => p.option)).toContain(`Dockerfile stage #3 "${name}"`);
        expect(listFiles(dir)).toEqual([]);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    ),
    { numRuns: RUNS },
  );
});
