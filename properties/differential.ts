/**
 * The differential property every transformation of boxless is held to: on every generated
 * trace, input set and fuel, running the transformed trace gives the outcome the reference
 * gives for the original (compared by spec/equivalence.ts, up to renaming of allocated objects).
 * Runs the reference calls undefined make no claim and are skipped.
 *
 * Everything is a parameter, so one helper serves every client: the transform (an optimizer
 * pass, a pipeline, a deliberately broken variant), the executor of the transformed trace (the
 * reference by default; the wasm backend plugs in here), the trace arbitrary and the fuels.
 *
 * A failure is reported as a trace file: the shrunk original trace (then reduced, reduce.ts) with
 * its input sets, the difference in comments, and the fast-check seed and path that replay it
 * (FC_SEED, FC_PATH).
 * `boxless check` accepts that file as it is.
 */
import fc from 'fast-check';
import { type InputSet, type Outcome, type Trace, validate } from '../src/ir/index.ts';
import { printTrace } from '../src/text/index.ts';
import { compareOutcomes, DEFAULT_SIDE_NAMES, type SideNames } from '../spec/equivalence.ts';
import { runReference } from '../spec/interpreter.ts';
import { arbTraceCase } from './arbitraries/trace.ts';
import { fcParams } from './fc-config.ts';
import { reduceTrace } from './reduce.ts';

/** Runs a trace on one of its input sets: the reference, or a backend. */
export type Executor = (trace: Trace, input: InputSet, options: { fuel: number }) => Outcome;

export interface DifferentialOptions {
  /** Runs the transformed trace. Default: the reference interpreter. */
  readonly executor?: Executor;
  /** The traces to try. Default: arbTraceCase(). */
  readonly arbitrary?: fc.Arbitrary<Trace>;
  /** Fuel values each input set is run with. Default: 0, 1, 2 and 5 back-edges. */
  readonly fuels?: readonly number[];
  /** Default number of traces, before FC_NUM_RUNS. Default 200. */
  readonly runs?: number;
  /** What the two sides are called in a difference. */
  readonly names?: SideNames;
  /** fast-check seed (FC_SEED, when set, still wins unless `parameters` says otherwise). */
  readonly seed?: number;
  /**
   * How the run count and seed meet the environment. Default `fcParams` (a property: FC_*
   * win); `fcParamsForBrokenVariant` for a check that a broken variant is caught; `explicit`
   * for the CLI, whose flags are the only say.
   */
  readonly parameters?: typeof fcParams;
}

/** Parameters as given, the environment ignored (`boxless fuzz --runs N --seed S`). */
export function explicit<T>(defaultRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { numRuns: defaultRuns, ...extra };
}

export interface Counterexample {
  /** The original (untransformed) trace, with the input sets that show the difference. */
  readonly trace: Trace;
  readonly difference: string;
}

const DEFAULT_FUELS: readonly number[] = [0, 1, 2, 5];

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * The first difference between `trace` and `transform(trace)` over the trace's input sets and
 * the fuels, or null. A transform that throws or yields an invalid trace is a difference too.
 */
export function differenceUnder(transform: (t: Trace) => Trace, trace: Trace, options: DifferentialOptions = {}): string | null {
  const execute = options.executor ?? runReference;
  const names = options.names ?? DEFAULT_SIDE_NAMES;
  let transformed: Trace;
  try {
    transformed = validate(transform(trace));
  } catch (err) {
    return `the transform failed: ${describeError(err)}`;
  }
  for (const input of trace.inputSets) {
    for (const fuel of options.fuels ?? DEFAULT_FUELS) {
      const expected = runReference(trace, input, { fuel });
      if (expected.exit.kind === 'undefined') continue;
      let actual: Outcome;
      try {
        actual = execute(transformed, input, { fuel });
      } catch (err) {
        return `input ${input.name}, fuel ${fuel}: running ${names.actual} threw ${describeError(err)}`;
      }
      const comparison = compareOutcomes(expected, actual, names);
      if (!comparison.ok) return `input ${input.name}, fuel ${fuel}: ${comparison.difference}`;
    }
  }
  return null;
}

export interface Search {
  readonly found: Counterexample | null;
  /** How to replay the failure: the seed and path. Empty when nothing was found. */
  readonly replay: string;
  /** How many traces were tried. */
  readonly numRuns: number;
}

/** Looks for a shrunk counterexample; the full report behind findCounterexample. */
export function search(transform: (t: Trace) => Trace, options: DifferentialOptions): Search {
  const arbitrary = options.arbitrary ?? arbTraceCase();
  const details = fc.check(
    fc.property(arbitrary, (trace) => differenceUnder(transform, trace, options) === null),
    (options.parameters ?? fcParams)(options.runs ?? 200, options.seed === undefined ? {} : { seed: options.seed }),
  );
  if (!details.failed || details.counterexample === null) return { found: null, replay: '', numRuns: details.numRuns };
  const [shrunk] = details.counterexample;
  // fast-check's shrinking stops where the seed leads it; the reducer takes the trace on to a
  // size that does not depend on the seed (see reduce.ts).
  const trace = reduceTrace(shrunk, (candidate) => differenceUnder(transform, candidate, options) !== null);
  const difference = differenceUnder(transform, trace, options) ?? `the property failed: ${describeError(details.errorInstance)}`;
  const replay =
    `replay: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ''} (shrunk ${details.numShrinks} times` +
    `${trace === shrunk ? '' : `, then reduced from ${shrunk.ops.length} to ${trace.ops.length} ops`})`;
  return { found: { trace, difference }, replay, numRuns: details.numRuns };
}

/** A shrunk trace on which `transform` changes what happens, or null if none was found. */
export function findCounterexample(transform: (t: Trace) => Trace, options: DifferentialOptions = {}): Counterexample | null {
  return search(transform, options).found;
}

/** A counterexample as a trace file: the difference (and how to replay it) in comments, then the trace. */
export function formatCounterexample(counterexample: Counterexample, replay?: string): string {
  const comments = [...counterexample.difference.split('\n'), ...(replay ? [replay] : [])].map((line) => `# ${line}`);
  return `${comments.join('\n')}\n${printTrace(counterexample.trace)}`;
}

/** Throws, with the counterexample as a trace file, unless `transform` preserves every outcome. */
export function assertEquivalentUnder(transform: (t: Trace) => Trace, options: DifferentialOptions = {}): void {
  const { found, replay } = search(transform, options);
  if (found) throw new Error(`the transformed trace behaves differently:\n${formatCounterexample(found, replay)}`);
}
