import * as fs from 'fs';
import fc from 'fast-check';
import { addStage, checkValidOptionSets, fuzzCounts, RUNS, validOptions } from './arbitraries';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { thrownBy } from '../support/errors';
import { listFiles, tempDir, withoutPost } from '../support/synth';

const counts = fuzzCounts();

test('random valid option sets synthesize, and every generated file passes its validator (half of the runs; valid-options.fuzz.test.ts has the other half)', async () => {
  await checkValidOptionSets(Math.ceil(RUNS / 2), counts);
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
