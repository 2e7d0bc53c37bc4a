import { checkValidOptionSets, RUNS } from './arbitraries';

const counts: Record<string, number> = {};

jest.setTimeout(30 * 60_000);
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`fuzz runs: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(', ')}`);
});

test('random valid option sets synthesize, and every generated file passes its validator (the other half of the runs of options.fuzz.test.ts)', async () => {
  await checkValidOptionSets(Math.floor(RUNS / 2), counts);
});
