/**
 * `boxless fuzz`: a random-trace campaign. The reference target runs every generated trace on
 * its input sets and reports what the generator produced (exits, object-lifetime categories);
 * the other targets compare an executor of a transformed trace with the reference and print a
 * shrunk counterexample as a trace file that `boxless check` accepts.
 */
import fc from 'fast-check';
import type { Outcome } from '../ir/index.ts';
import { runReference } from '../../spec/interpreter.ts';
import { classifyLifetimes, arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { explicit, formatCounterexample, search } from '../../properties/differential.ts';
import { FUZZ_TARGETS_BY_NAME } from './targets.ts';

export const FUZZ_TARGETS: readonly string[] = ['reference', ...Object.keys(FUZZ_TARGETS_BY_NAME)];

const FUELS = [0, 1, 2, 5, 50];

export interface FuzzOptions {
  readonly target: string;
  readonly runs: number;
  readonly seed: number | undefined;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function fuzzReference(runs: number, seed: number): number {
  const exits = new Map<string, number>();
  let traces = 0;
  let loops = 0;
  let ops = 0;
  let undefinedRuns = 0;
  const categories = [0, 0, 0, 0];
  let nested = 0;
  let failingGuards = 0;
  for (const trace of fc.sample(arbTraceCase(), { numRuns: runs, seed })) {
    traces++;
    ops += trace.ops.length;
    if (trace.ops[trace.ops.length - 1]!.name === 'jump') loops++;
    const census = classifyLifetimes(trace);
    [census.cat1, census.cat2, census.cat3, census.cat4].forEach((n, k) => (categories[k]! += n > 0 ? 1 : 0));
    if (census.nestedVirtual > 0) nested++;
    let sawGuardExit = false;
    for (const set of trace.inputSets) {
      const outcome: Outcome = runReference(trace, set, { fuel: 50 });
      const kind = outcome.exit.kind;
      exits.set(kind, (exits.get(kind) ?? 0) + 1);
      if (kind === 'undefined') undefinedRuns++;
      if (kind === 'guard') sawGuardExit = true;
    }
    if (sawGuardExit) failingGuards++;
  }
  const runsTotal = [...exits.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz --target reference: ${traces} traces (seed ${seed}), ${(ops / Math.max(1, traces)).toFixed(1)} ops on average, ${runsTotal} runs with fuel 50`);
  console.log(`  loops ${percent(loops, traces)}, finishing ${percent(traces - loops, traces)}`);
  console.log(`  traces with an object of category 1: ${percent(categories[0]!, traces)}, 2: ${percent(categories[1]!, traces)}, 3: ${percent(categories[2]!, traces)}, 4: ${percent(categories[3]!, traces)}`);
  console.log(`  traces with a nested virtual: ${percent(nested, traces)}; with a guard that fails on some input: ${percent(failingGuards, traces)}`);
  console.log(`  exits: ${[...exits].map(([k, n]) => `${k} ${percent(n, runsTotal)}`).join(', ')}`);
  if (undefinedRuns > 0) {
    console.log(`  ${undefinedRuns} run(s) hit undefined behaviour: the generator's contract is broken`);
    return 1;
  }
  return 0;
}

export function fuzz(options: FuzzOptions): number {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (options.target === 'reference') return fuzzReference(options.runs, seed);
  const target = FUZZ_TARGETS_BY_NAME[options.target]!;
  const result = search(target.transform, { executor: target.executor, runs: options.runs, seed, fuels: FUELS, names: target.names, parameters: explicit });
  if (!result.found) {
    console.log(`fuzz --target ${options.target}: ${result.numRuns} traces (seed ${seed}), no difference from the reference`);
    return 0;
  }
  console.log(`fuzz --target ${options.target}: counterexample after ${result.numRuns} traces (seed ${seed})`);
  console.log('# the counterexample, a trace file for boxless check:');
  console.log(formatCounterexample(result.found, result.replay));
  return 1;
}
