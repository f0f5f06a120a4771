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

export interface DifferentialOptions extends TraceSearchOptions {
  /** Runs the transformed trace. Default: the reference interpreter. */
  readonly executor?: Executor;
  /** Fuel values each input set is run with. Default: 0, 1, 2 and 5 back-edges. */
  readonly fuels?: readonly number[];
  /** What the two sides are called in a difference. */
  readonly names?: SideNames;
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
  /** The seed and path of the failure (undefined when nothing was found). */
  readonly seed?: number;
  readonly path?: string;
}

/**
 * What is wrong with one trace: a one-paragraph description, or null when nothing is. Every
 * property on generated traces is one of these (an equivalence, a pass contract, a round trip).
 */
export type TraceCheck = (trace: Trace) => string | null;

export interface TraceSearchOptions {
  /** The traces to try. Default: arbTraceCase(). */
  readonly arbitrary?: fc.Arbitrary<Trace>;
  /** Default number of traces, before FC_NUM_RUNS. Default 200. */
  readonly runs?: number;
  /** fast-check seed (FC_SEED, when set, still wins unless `parameters` says otherwise). */
  readonly seed?: number;
  /** A fast-check path to replay (with `seed`): `boxless fuzz --path`. */
  readonly path?: string;
  /**
   * How the run count and seed meet the environment. Default `fcParams` (a property: FC_*
   * win); `fcParamsForBrokenVariant` for a check that a broken variant is caught; `explicit`
   * for the CLI, whose flags are the only say.
   */
  readonly parameters?: typeof fcParams;
  /** Called after each trace tried (the command's progress). */
  readonly onTried?: (tried: number) => void;
}

function fcParameters(options: TraceSearchOptions): fc.Parameters<[Trace]> {
  const extra: fc.Parameters<[Trace]> = {};
  if (options.seed !== undefined) extra.seed = options.seed;
  if (options.path !== undefined) extra.path = options.path;
  return (options.parameters ?? fcParams)(options.runs ?? 200, extra);
}

/**
 * The failure fast-check found, shrunk, then reduced (reduce.ts) while `check` still finds
 * something wrong: fast-check's shrinking stops where the seed leads it; the reducer takes the
 * trace on to a size that does not depend on the seed.
 */
function report(check: TraceCheck, details: fc.RunDetails<[Trace]>): Search {
  if (!details.failed || details.counterexample === null) return { found: null, replay: '', numRuns: details.numRuns };
  const [shrunk] = details.counterexample;
  const failing = (candidate: Trace): boolean => {
    try {
      return check(candidate) !== null;
    } catch {
      return true;
    }
  };
  const trace = reduceTrace(shrunk, failing);
  let difference: string | null;
  try {
    difference = check(trace);
  } catch (err) {
    difference = `the check threw ${describeError(err)}`;
  }
  difference ??= `the property failed: ${describeError(details.errorInstance)}`;
  const path = details.counterexamplePath ?? '';
  const replay =
    `replay: FC_SEED=${details.seed} FC_PATH=${path} (shrunk ${details.numShrinks} times` +
    `${trace === shrunk ? '' : `, then reduced from ${shrunk.ops.length} to ${trace.ops.length} ops`})`;
  return { found: { trace, difference }, replay, numRuns: details.numRuns, seed: details.seed, path };
}

function checked(check: TraceCheck, trace: Trace): boolean {
  return check(trace) === null;
}

/** Looks for a trace `check` finds something wrong with; the failure shrunk and reduced. */
export function searchTraces(check: TraceCheck, options: TraceSearchOptions = {}): Search {
  let tried = 0;
  const details = fc.check(
    fc.property(options.arbitrary ?? arbTraceCase(), (trace) => {
      options.onTried?.(++tried);
      return checked(check, trace);
    }),
    fcParameters(options),
  );
  return report(check, details);
}

/**
 * searchTraces, giving the event loop a turn after every trace, so that a long campaign hears
 * Ctrl-C and can redraw its progress (`boxless fuzz`).
 */
export async function searchTracesAsync(check: TraceCheck, options: TraceSearchOptions = {}): Promise<Search> {
  let tried = 0;
  const details = await fc.check(
    fc.asyncProperty(options.arbitrary ?? arbTraceCase(), async (trace) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      options.onTried?.(++tried);
      return checked(check, trace);
    }),
    fcParameters(options),
  );
  return report(check, details);
}

/**
 * Throws, with the counterexample as a bare trace file (the difference and how to replay it in
 * comments), unless `check` finds nothing wrong with any generated trace. What every property on
 * generated traces calls, so that each failure is reduced and prints the same way.
 */
export function assertTraces(check: TraceCheck, options: TraceSearchOptions = {}): void {
  const { found, replay } = searchTraces(check, options);
  if (found) throw new CounterexampleError(found, replay);
}

/** A property's failure: its message is the counterexample as a trace file. */
export class CounterexampleError extends Error {
  constructor(
    readonly counterexample: Counterexample,
    readonly replay: string,
  ) {
    super(formatCounterexample(counterexample, replay));
    this.name = 'CounterexampleError';
  }
}

/** Looks for a shrunk counterexample; the full report behind findCounterexample. */
export function search(transform: (t: Trace) => Trace, options: DifferentialOptions): Search {
  return searchTraces((trace) => differenceUnder(transform, trace, options), options);
}

/** A shrunk trace on which `transform` changes what happens, or null if none was found. */
export function findCounterexample(transform: (t: Trace) => Trace, options: DifferentialOptions = {}): Counterexample | null {
  return search(transform, options).found;
}

/** A counterexample as a trace file: the difference (and how to replay it) in comments, then the trace. */
export function formatCounterexample(counterexample: Counterexample, replay?: string): string {
  const comments = [...counterexample.difference.split('\n'), ...(replay ? replay.split('\n') : [])].map((line) => `# ${line}`);
  return `${comments.join('\n')}\n${printTrace(counterexample.trace)}`;
}

/** Throws, with the counterexample as a trace file, unless `transform` preserves every outcome. */
export function assertEquivalentUnder(transform: (t: Trace) => Trace, options: DifferentialOptions = {}): void {
  const { found, replay } = search(transform, options);
  if (found) throw new CounterexampleError({ ...found, difference: `the transformed trace behaves differently: ${found.difference}` }, replay);
}
