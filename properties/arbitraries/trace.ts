/**
 * Random traces for property tests and benchmarks: the public face of properties/arbitraries/.
 *
 *   arbTraceCase(options)      a fast-check arbitrary of validated traces with 1–3 input sets,
 *                              so any counterexample prints as a complete, runnable trace file;
 *                              some loops already carry a label (labelled.ts)
 *   genLargeTrace(nOps, seed)  one deterministic loop of about nOps ops, for benchmarks
 *   classifyLifetimes(trace)   the paper's object-lifetime categories, for statistics
 *
 * Traces are built from recipes (recipes.ts) by build.ts, which states the generator's
 * contract: well formed, and free of undefined behaviour on its input sets.
 *
 * Every trace made here prints, in a fast-check report (a counterexample of `fc.assert`,
 * `fc.sample` output), as its trace text with its input sets: a file `boxless check` accepts.
 * The hook is fast-check's `fc.toStringMethod`, a symbol-keyed, non-enumerable property, so
 * `Object.keys`, spreads, `toEqual`, `deepFreeze` and `alphaEquivalent` do not see it.
 */
import fc from 'fast-check';
import { type OpName, type Trace, validate } from '../../src/ir/index.ts';
import { printTrace } from '../../src/text/index.ts';
import { buildTrace } from './build.ts';
import { arbLabelRecipe, type LabelRecipe, withLabel } from './labelled.ts';
import { arbTraceRecipe } from './recipes.ts';

export { classifyLifetimes, type LifetimeCensus } from './lifetimes.ts';

export interface TraceArbOptions {
  /** Most op recipes per trace (an escape or a `new` with its stores is one recipe). Default 25. */
  readonly maxOps?: number;
  /** Fewest op recipes per trace. Default 0. */
  readonly minOps?: number;
  /** Share of traces that loop (end in `jump`) rather than `finish`, in [0, 1]. Default 0.7. */
  readonly loopShare?: number;
  /** Most input sets per trace (at least 1). Default 3. */
  readonly maxInputSets?: number;
  /** Share of loops that already carry a label (labelled.ts), in [0, 1]. Default 0.3. */
  readonly labelShare?: number;
  /**
   * Arithmetic ops (int, float, their comparisons) to generate often, half of their operands
   * constants: what a pass rewrites, so that its cases are met in most traces. Default: none.
   */
  readonly focus?: readonly OpName[];
}

export function arbTraceCase(options: TraceArbOptions = {}): fc.Arbitrary<Trace> {
  const recipe = arbTraceRecipe({
    minOps: options.minOps ?? 0,
    maxOps: options.maxOps ?? 25,
    loopShare: options.loopShare ?? 0.7,
    maxInputSets: Math.max(1, options.maxInputSets ?? 3),
    ...(options.focus ? { focus: options.focus } : {}),
  });
  const labelShare = options.labelShare ?? 0.3;
  const weight = Math.round(100 * Math.min(1, Math.max(0, labelShare)));
  const label: fc.Arbitrary<LabelRecipe | null> = fc.oneof(
    { arbitrary: fc.constant(null), weight: 100 - weight },
    { arbitrary: arbLabelRecipe, weight },
  );
  return fc.tuple(recipe, label).map(([r, l]) => {
    const built = buildTrace(r);
    return printsAsText(validate(l === null ? built : withLabel(built, l)));
  });
}

/**
 * Makes fast-check print `trace` as trace text (after a line break, so that in
 * `Counterexample: [...]` the file starts on a line of its own). Returns the same object.
 */
export function printsAsText(trace: Trace): Trace {
  if (Object.isFrozen(trace) || Object.prototype.hasOwnProperty.call(trace, fc.toStringMethod)) return trace;
  Object.defineProperty(trace, fc.toStringMethod, {
    value: () => {
      try {
        return `\n${printTrace(trace)}`;
      } catch (err) {
        return `<a trace that does not print: ${err instanceof Error ? err.message : String(err)}>`;
      }
    },
    enumerable: false,
  });
  return trace;
}

export interface LargeTraceOptions {
  /**
   * `'random'` (the default): the property generator's recipes as they are. Some guards are
   * known to fail (fold, and so the pipeline, cut the trace there: 10 ops or fewer are left),
   * and a run ends at one of the first guards, which keeps running it cheap.
   * `'passing'`: a loop that runs on its input set without a guard failing, for many iterations
   * (build.ts, passing mode), so that no pass knows a guard to fail and every pass's output stays
   * proportional to its input (the optimizer benchmark). Running it is slow: each `escape` visits
   * every object escaped so far, so a run is quadratic in the trace's length.
   */
  readonly guards?: 'passing' | 'random';
}

/**
 * A loop of `nOps` to `nOps + 6` ops (recipes are applied until the trace has `nOps - 1`; the last
 * one may add a few, the jump one, and a new_array per array input), with one input set, the same
 * for the same arguments. Not validated here: a benchmark times that itself.
 */
export function genLargeTrace(nOps: number, seed: number, options: LargeTraceOptions = {}): Trace {
  const passing = options.guards === 'passing';
  // Enough recipes for nOps ops: a recipe gives about one op on average, fewer in passing mode.
  const recipes = Math.max(1, Math.ceil(nOps * 1.5));
  const arb = arbTraceRecipe({ minOps: recipes, maxOps: recipes, loopShare: 1, maxInputSets: 1 });
  const [recipe] = fc.sample(arb, { seed, numRuns: 1 });
  return printsAsText(buildTrace(recipe!, { passing, maxOps: Math.max(1, nOps) }));
}
