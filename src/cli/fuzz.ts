/**
 * `boxless fuzz`: a random-trace campaign. The reference target runs every generated trace on
 * its input sets and reports what the generator produced (exits, object-lifetime categories);
 * the other targets compare an executor of a transformed trace with the reference.
 *
 * What a user sees: the seed first (stderr), then progress (stderr: a bar on a terminal, a line
 * per tenth otherwise), then either the statistics or a counterexample. A counterexample goes to
 * stdout as a bare trace file (the difference, the replay command and the check command in
 * comments), so `boxless fuzz … > cx.trace; boxless check cx.trace` shows it again; messages stay
 * on stderr. The replay command is `fuzz` itself with `--seed` and `--path`. Ctrl-C stops the
 * campaign with a summary of what was tried.
 */
import fc from 'fast-check';
import type { Outcome } from '../ir/index.ts';
import type { PassSpec } from '../optimizer/pipeline.ts';
import { runReference } from '../../spec/interpreter.ts';
import { classifyLifetimes, arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { differenceUnder, formatCounterexample, searchTracesAsync, explicit } from '../../properties/differential.ts';
import { palette } from './color.ts';
import { CHECK_FUELS } from './fuels.ts';
import type { FuzzTargetName } from './fuzz-targets.ts';
import { jsonTrace } from './json-trace.ts';
import { printJson } from './json.ts';
import { Progress } from './progress.ts';
import { FUZZ_TARGETS_BY_NAME } from './targets.ts';

/** The exit status after Ctrl-C, as a shell reports a process killed by SIGINT (128 + 2). */
export const INTERRUPTED_STATUS = 130;

export interface FuzzOptions {
  readonly target: FuzzTargetName;
  readonly runs: number;
  readonly seed: number | undefined;
  /** A fast-check path to replay with the seed (from a counterexample's replay line). */
  readonly path: string | undefined;
  readonly passes: readonly PassSpec[] | undefined;
  /** `--passes` as given (what the replay command repeats). */
  readonly passesText: string | undefined;
  readonly json: boolean;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function fuzzReference(options: FuzzOptions, seed: number): number {
  const exits = new Map<string, number>();
  let traces = 0;
  let loops = 0;
  let ops = 0;
  let undefinedRuns = 0;
  const categories = [0, 0, 0, 0];
  let nested = 0;
  let failingGuards = 0;
  for (const trace of fc.sample(arbTraceCase(), { numRuns: options.runs, seed })) {
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
  const status = undefinedRuns > 0 ? 1 : 0;
  if (options.json) {
    return printJson('fuzz', status, {
      target: 'reference',
      seed,
      traces,
      averageOps: ops / Math.max(1, traces),
      loops,
      categories: { cat1: categories[0], cat2: categories[1], cat3: categories[2], cat4: categories[3] },
      nestedVirtual: nested,
      failingGuard: failingGuards,
      exits: Object.fromEntries(exits),
      undefinedRuns,
    });
  }
  console.log(`fuzz --target reference: ${traces} traces (seed ${seed}), ${(ops / Math.max(1, traces)).toFixed(1)} ops on average, ${runsTotal} runs with fuel 50`);
  console.log(`  loops ${percent(loops, traces)}, finishing ${percent(traces - loops, traces)}`);
  console.log(`  traces with an object of category 1: ${percent(categories[0]!, traces)}, 2: ${percent(categories[1]!, traces)}, 3: ${percent(categories[2]!, traces)}, 4: ${percent(categories[3]!, traces)}`);
  console.log(`  traces with a nested virtual: ${percent(nested, traces)}; with a guard that fails on some input: ${percent(failingGuards, traces)}`);
  console.log(`  exits: ${[...exits].map(([k, n]) => `${k} ${percent(n, runsTotal)}`).join(', ')}`);
  if (undefinedRuns > 0) console.log(`  ${undefinedRuns} run(s) hit undefined behaviour: the generator's contract is broken`);
  return status;
}

/** `fuzz --target optimize --passes a,b`: the campaign as a command line. */
function campaign(options: FuzzOptions): string {
  return `boxless fuzz --target ${options.target}${options.passesText !== undefined ? ` --passes ${options.passesText}` : ''}`;
}

export async function fuzz(options: FuzzOptions): Promise<number> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const colors = palette(process.stderr);
  // The seed first: a campaign cut short still says how to run it again.
  const seedLine = `${campaign(options)} --runs ${options.runs} --seed ${seed}${options.path ? ` --path ${options.path}` : ''}`;
  if (options.target === 'reference') {
    console.error(seedLine);
    return fuzzReference(options, seed);
  }

  const target = FUZZ_TARGETS_BY_NAME[options.target];
  const transform = target.transform(options.passes);
  const differential = { executor: target.executor, fuels: CHECK_FUELS, names: target.names };
  const progress = new Progress({ total: options.path ? 1 : options.runs, what: 'traces', colors });
  let tried = 0;
  const onInterrupt = () => {
    progress.done();
    const summary = `${campaign(options)}: interrupted after ${tried} traces (seed ${seed}), no difference from the reference among them`;
    if (options.json) printJson('fuzz', INTERRUPTED_STATUS, { target: options.target, passes: options.passesText ?? null, seed, tried, interrupted: true, found: false });
    else console.error(summary);
    process.exit(INTERRUPTED_STATUS);
  };
  // Installed before the seed line is written: whoever sees that line may interrupt at once.
  process.once('SIGINT', onInterrupt);
  console.error(seedLine);
  let result;
  try {
    result = await searchTracesAsync((trace) => differenceUnder(transform, trace, differential), {
      runs: options.runs,
      seed,
      ...(options.path ? { path: options.path } : {}),
      parameters: explicit,
      onTried: (n) => {
        tried = n;
        progress.update(n);
      },
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    progress.done();
  }
  const found = result.found;
  if (!found) {
    const message = `${campaign(options)}: ${result.numRuns} traces (seed ${seed}), no difference from the reference`;
    if (options.json) return printJson('fuzz', 0, { target: options.target, passes: options.passesText ?? null, seed, tried: result.numRuns, interrupted: false, found: false });
    console.log(message);
    return 0;
  }
  const replay = `${campaign(options)} --seed ${result.seed} --path ${result.path}`;
  const comments = [
    `replay: ${replay}`,
    `show it again: ${target.recheck('FILE', options.passesText)}`,
  ].join('\n');
  console.error(colors.red(`${campaign(options)}: counterexample after ${result.numRuns} traces (seed ${seed}); the trace file is on stdout`));
  if (options.json) {
    return printJson('fuzz', 1, {
      target: options.target,
      passes: options.passesText ?? null,
      seed,
      tried: result.numRuns,
      interrupted: false,
      found: true,
      counterexample: { difference: found.difference, trace: jsonTrace(found.trace), file: formatCounterexample(found, comments) },
      replay: { seed: result.seed, path: result.path, command: replay },
    });
  }
  process.stdout.write(formatCounterexample(found, comments));
  return 1;
}
