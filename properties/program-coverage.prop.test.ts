/**
 * What the program generator produces, measured (as coverage.prop.test.ts does for traces): the
 * random-program property can only find the bugs its programs reach, so each feature of the
 * subset must show up in a minimum share of programs. Counted over the programs of one
 * fast-check run in the property's configuration (interpreter-pending.ts; FC_SEED and
 * FC_NUM_RUNS apply, at least 300 programs), printed, then held to minimum shares. In brackets:
 * the least share measured over 6 seeds of 200 programs. Each minimum sits at least 4.5 standard
 * deviations of a 300-program sample below that least share (rounded down to a whole percent,
 * never under 1%): with some 60 features, floors 2-3 deviations below made a run with a random
 * seed fail every few dozen runs ('float %' at 4.7% against 5%, 'Base.method(self)' at 1.7%
 * against 2%), a flaky test that says nothing. 1% still fails a generator that stops producing
 * a feature.
 * Every program is also run under CPython here, which checks the generator's contract
 * (program-build.ts: compiles, no unplanned exception, ends as planned), with or without an
 * interpreter to compare.
 *
 * The in-process CPython server the property uses is checked against python3 processes on
 * generated programs: same stdout, last stderr line and status.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuiltProgram } from './arbitraries/program-build.ts';
import { arbProgram } from './arbitraries/programs.ts';
import { CPythonServer, observe, runCPython } from './cpython.ts';
import { fcParams } from './fc-config.ts';
import { pendingReport, PROPERTY_BUILD } from './interpreter-pending.ts';
import { cpythonObservation, PROGRAM_FILE } from './program-differential.ts';

/** Feature (as program-build.ts notes it) → least share of programs that use it. */
const MINIMUM_SHARES: Readonly<Record<string, number>> = {
  inheritance: 0.13, // [25%]
  'method override': 0.01, // [8%]
  'Base.method(self)': 0.01, // [4%]
  'Base.__init__(self)': 0.07, // [17%]
  __init__: 0.4, // [63%]
  'method call': 0.05, // [15%]
  'abstract method': 0.03, // [12%]
  'function call': 0.25, // [39%]
  'parameter defaults': 0.35, // [57%]
  'default parameter used': 0.04, // [13%]
  global: 0.01, // [9%]
  'nested loop': 0.06, // [16%]
  while: 0.3, // [43%]
  'for over list': 0.18, // [31%]
  'for over str': 0.02, // [10%]
  'for over tuple': 0.03, // [12%]
  break: 0.01, // [4%]
  continue: 0.01, // [4%]
  elif: 0.01, // [7%]
  'int literal past 2^63': 0.3, // [46%]
  'reduced modulo': 0.3, // [48%]
  'int //': 0.09, // [20%]
  'int %': 0.09, // [20%]
  'int **': 0.1, // [21%]
  'int / int': 0.07, // [17%]
  'float printed': 0.5, // [73%]
  inf: 0.22, // [35%]
  nan: 0.08, // [19%]
  '-0.0': 0.09, // [20%]
  'float //': 0.01, // [9%]
  'float %': 0.01, // [8%]
  'float to int': 0.25, // [43%]
  'int/float comparison': 0.01, // [5%]
  'chained comparison': 0.01, // [5%]
  is: 0.01, // [5%]
  in: 0.03, // [12%]
  'and/or': 0.03, // [12%]
  not: 0.02, // [11%]
  isinstance: 0.06, // [16%]
  list: 0.8, // [95%]
  'list method': 0.06, // [16%]
  tuple: 0.8, // [92%]
  'tuple assignment': 0.25, // [39%]
  'augmented assignment': 0.18, // [30%]
  'str +': 0.19, // [32%]
  'str *': 0.12, // [23%]
  'str()': 0.12, // [24%]
  math: 0.06, // [16%]
  'sys.argv': 0.1, // [24%]
  'time.perf_counter': 0.1, // [28%]
  raise: 0.35, // [55%]
  try: 0.4, // [61%]
  'caught by a base class': 0.3, // [44%]
  'bare except': 0.04, // [14%]
  'user exception class': 0.4, // [64%]
  'user exception raised': 0.01, // [9%]
  'user exception caught': 0.05, // [15%]
  'raw division': 0.07, // [17%]
  'raw index': 0.08, // [18%]
  NameError: 0.08, // [19%]
  TypeError: 0.08, // [18%]
  AttributeError: 0.01, // [6%]
  'uncaught exception': 0.07, // [17%]
};

let server: CPythonServer;
beforeAll(() => {
  server = new CPythonServer();
  console.log(pendingReport());
});
afterAll(() => server.close());

it('generates every feature of the subset often enough, each program keeping the contract under CPython', async () => {
  const counts = new Map<string, number>();
  let programs = 0;
  let lines = 0;
  // A census needs a sample: FC_NUM_RUNS may enlarge it but not shrink it, and a replay path means nothing here.
  const { path: _replayPath, ...params } = fcParams<[BuiltProgram]>(300);
  await fc.assert(
    fc.asyncProperty(arbProgram(PROPERTY_BUILD), async (program) => {
      await cpythonObservation(server, program);
      programs++;
      lines += program.source.split('\n').length - 1;
      for (const feature of program.features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    }),
    { ...params, numRuns: Math.max(300, params.numRuns ?? 300) },
  );
  const share = (feature: string) => (counts.get(feature) ?? 0) / programs;
  const report = [...counts.keys()].sort().map((f) => `  ${(100 * share(f)).toFixed(1).padStart(5)}% ${f}`);
  console.log(`program generator coverage: ${programs} programs, ${(lines / programs).toFixed(1)} lines on average\n${report.join('\n')}`);
  const short = Object.entries(MINIMUM_SHARES)
    .filter(([feature, least]) => share(feature) < least)
    .map(([feature, least]) => `${feature}: ${(100 * share(feature)).toFixed(1)}% < ${100 * least}%`);
  expect(short).toEqual([]);
}, Math.max(120_000, 100 * Number(process.env.FC_NUM_RUNS ?? 0)));

it('the in-process CPython server answers as python3 processes do, on generated programs', async () => {
  const sample = fc.sample(arbProgram(PROPERTY_BUILD), { numRuns: 12, seed: 7 });
  for (const program of sample) {
    const inProcess = observe(await server.run(program.source, PROGRAM_FILE));
    const process = observe(runCPython(program.source, PROGRAM_FILE));
    expect(inProcess, program.source).toEqual(process);
  }
  expect(sample.some((program) => program.expectsUncaught)).toBe(true);
});
