/**
 * Random traces for property tests and benchmarks: the public face of properties/arbitraries/.
 *
 *   arbTraceCase(options)      a fast-check arbitrary of validated traces with 1–3 input sets,
 *                              so any counterexample prints as a complete, runnable trace file
 *   genLargeTrace(nOps, seed)  one deterministic trace of about nOps ops, for benchmarks
 *   classifyLifetimes(trace)   the paper's object-lifetime categories, for statistics
 *
 * Traces are built from recipes (recipes.ts) by build.ts, which states the generator's
 * contract: well formed, and free of undefined behaviour on its input sets.
 */
import fc from 'fast-check';
import { type Trace, validate } from '../../src/ir/index.ts';
import { buildTrace } from './build.ts';
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
}

export function arbTraceCase(options: TraceArbOptions = {}): fc.Arbitrary<Trace> {
  const recipe = arbTraceRecipe({
    minOps: options.minOps ?? 0,
    maxOps: options.maxOps ?? 25,
    loopShare: options.loopShare ?? 0.7,
    maxInputSets: Math.max(1, options.maxInputSets ?? 3),
  });
  return recipe.map((r) => validate(buildTrace(r)));
}

/**
 * A loop of about `nOps` ops (one recipe per op: some expand to several ops, about as many find
 * nothing to act on; measured within 5% of `nOps`), the same for the same arguments. Not
 * validated here: a benchmark times that itself.
 */
export function genLargeTrace(nOps: number, seed: number): Trace {
  const recipes = Math.max(1, nOps);
  const arb = arbTraceRecipe({ minOps: recipes, maxOps: recipes, loopShare: 1, maxInputSets: 1 });
  const [recipe] = fc.sample(arb, { seed, numRuns: 1 });
  return buildTrace(recipe!);
}
