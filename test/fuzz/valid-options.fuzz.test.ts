import { checkValidOptionSets, fuzzCounts, RUNS } from './arbitraries';

const counts = fuzzCounts();

test('random valid option sets synthesize, and every generated file passes its validator (the other half of the runs of options.fuzz.test.ts)', async () => {
  await checkValidOptionSets(Math.floor(RUNS / 2), counts);
});
