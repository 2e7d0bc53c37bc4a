/**
 * The option generators of the fuzz files, and the property over valid option sets, which is run in
 * two files (options.fuzz.test.ts, valid-options.fuzz.test.ts), half of the runs each, so that jest's
 * two workers share it.
 */
import * as fs from 'fs';
import fc from 'fast-check';
import { PoolStrategy, UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { DockerInstruction } from '../../src/docker';
import { listFiles, tempDir, withoutPost } from '../support/synth';
import { validateTree, WorkflowParserBatch } from '../support/validate-tree';

/** Runs per property: small in the quick path, FUZZ_RUNS (>= 1000 in .ci/run) in the full one. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

/** The examples each property of a fuzz file ran, counted by kind: printed when the file ends. */
export function fuzzCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  jest.setTimeout(30 * 60_000);
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`fuzz runs: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  });
  return counts;
}

export const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
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

export function addStage(project: UvPythonService, stage: { name: string; command: string } | undefined): void {
  if (!stage || !project.docker) return;
  const docker = project.docker;
  docker.insertStage(docker.stages.findIndex((st) => st.name === 'runtime'), {
    name: stage.name,
    fromStage: 'builder',
    instructions: [DockerInstruction.run([stage.command])],
  });
}
export const validOptions = fc.record({
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


/**
 * Random valid option sets (and a stage added from .projenrc.ts) synthesize, and every generated file
 * passes its validator: `runs` examples, counted in `counts`. A set the generator makes that validation
 * rightly refuses at construction (keywords, shadowing, clashes) is skipped.
 */
export async function checkValidOptionSets(runs: number, counts: Record<string, number>): Promise<void> {
  const workflows = new WorkflowParserBatch();
  await fc.assert(
    fc.asyncProperty(validOptions, extraStage, async (o, stage) => {
      const dir = tempDir();
      let project: UvPythonService;
      try {
        project = new UvPythonService({ ...(o as unknown as UvPythonServiceOptions), outdir: dir });
      } catch (e) {
        // Refused at construction: skipped. A refusal at synth would be a bug, and fails the property.
        if (e instanceof ServiceConfigError) return fc.pre(false);
        throw e;
      }
      counts.valid = (counts.valid ?? 0) + 1;
      if (stage) counts.extraStages = (counts.extraStages ?? 0) + 1;
      addStage(project, stage);
      withoutPost(() => project.synth());
      expect(await validateTree(dir, listFiles(dir), workflows)).toEqual([]);
      fs.rmSync(dir, { recursive: true, force: true });
    }),
    { numRuns: runs },
  );
  // GitHub's parser, once over every workflow the runs produced.
  counts.workflowsParsed = (counts.workflowsParsed ?? 0) + workflows.size;
  expect(await workflows.findings()).toEqual([]);
}
