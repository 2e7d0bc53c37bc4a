import * as fs from 'fs';
import fc from 'fast-check';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/service/problems';
import { listFiles, synthService, tempDir } from '../support/synth';
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
const validOptions = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,6}){0,2}$/),
  pythonVersion: fc.integer({ min: 10, max: 15 }).map((m) => `3.${m}`),
  uvVersion: fc.tuple(fc.nat(2), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `${a}.${b}.${c}`),
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
    fc.asyncProperty(validOptions, async (o) => {
      fc.pre(!isExpectedlyInvalid(o));
      counts.valid = (counts.valid ?? 0) + 1;
      const s = synthService(o as Partial<UvPythonServiceOptions>);
      expect(await validateTree(s.dir, s.files, workflows)).toEqual([]);
      fs.rmSync(s.dir, { recursive: true, force: true });
    }),
    { numRuns: RUNS },
  );
  // GitHub's parser, once over every workflow the runs produced.
  counts.workflowsParsed = workflows.size;
  expect(workflows.findings()).toEqual([]);
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
        for (const [key, value] of mutations) options[key] = value;
        const dir = tempDir();
        let error: unknown;
        try {
          new UvPythonService({ ...(options as unknown as UvPythonServiceOptions), outdir: dir }).synth();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ServiceConfigError);
        const reported = (error as ServiceConfigError).problems.map((p) => p.option);
        for (const [key] of mutations) {
          expect(reported).toContain(key === 'deps' ? 'deps[0]' : key);
        }
        expect(listFiles(dir)).toEqual([]);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    ),
    { numRuns: RUNS },
  );
});
