/**
 * The wasm backend against the reference, on random traces and input heaps:
 *   - wasm(trace) ≡ reference(trace): the backend is an independent second implementation of
 *     the semantics (exits, escape, materialization, int64 and IEEE arithmetic), so this also
 *     catches mistakes in the reference's own arithmetic;
 *   - wasm(optimize(trace)) ≡ reference(trace): optimized code, guards whose exits hold virtual
 *     objects, and the label's exit at fuel exits, all through the backend;
 *   - both report the same iteration for the run's end (1 + back-edges taken);
 *   - the property can fail: each deliberately broken emitter in test/broken-emitters/ is
 *     caught (fc.check finds a counterexample).
 * A failure prints, as a bare trace file, the difference and the reduced trace, input sets included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/ir/index.ts';
import { optimize } from '../src/optimizer/pipeline.ts';
import { printTrace } from '../src/text/index.ts';
import { compileTrace, type OpRules, OP_RULES, runCompiled } from '../src/wasm/index.ts';
import { compareOutcomes } from '../spec/equivalence.ts';
import { runReference } from '../spec/interpreter.ts';
import { FIELD_OFFSET_RULES } from '../test/broken-emitters/field-offset.ts';
import { FUSED_COMPARE_IGNORES_USES_RULES } from '../test/broken-emitters/fused-compare-ignores-uses.ts';
import { MISSING_OVERFLOW_CHECK_RULES } from '../test/broken-emitters/missing-overflow-check.ts';
import { ONE_SIDED_CONSTANT_OVERFLOW_RULES } from '../test/broken-emitters/one-sided-constant-overflow.ts';
import { SQRT_OF_MAGNITUDE_RULES } from '../test/broken-emitters/sqrt-of-magnitude.ts';
import { UNSIGNED_COMPARE_RULES } from '../test/broken-emitters/unsigned-compare.ts';
import { arbTraceCase } from './arbitraries/trace.ts';
import { assertTraces } from './differential.ts';
import { fcParamsForBrokenVariant } from './fc-config.ts';
import { reduceTrace } from './reduce.ts';

const FUELS = [0, 1, 3, 8, 50];
/** Traces per wasm property; each broken emitter must be caught within as many. */
const WASM_RUNS = 1000;

/**
 * Runs `transform(trace)` compiled with `rules` on every input set of `trace` and compares with
 * the reference's run of `trace` itself: a readable report of the first difference, or null.
 */
function wasmDifference(trace: Trace, fuels: number | readonly number[], rules: OpRules, transform: (trace: Trace) => Trace = (t) => t): string | null {
  const compiled = compileTrace(transform(trace), rules);
  for (const fuel of typeof fuels === 'number' ? [fuels] : fuels) {
    const difference = differenceAt(trace, compiled, fuel);
    if (difference !== null) return difference;
  }
  return null;
}

function differenceAt(trace: Trace, compiled: ReturnType<typeof compileTrace>, fuel: number): string | null {
  for (const input of trace.inputSets) {
    const expected = runReference(trace, input, { fuel });
    const actual = runCompiled(compiled, input, { fuel });
    const comparison = compareOutcomes(expected, actual, { expected: 'the reference', actual: 'wasm' });
    if (!comparison.ok) return `input ${input.name}, fuel ${fuel}: ${comparison.difference}`;
    // Not part of the observable outcome, but the fuel accounting of both executors: a guard
    // or finish exit must happen in the same iteration (peeled traces count the label).
    if (expected.exit.kind !== 'undefined' && actual.iterations !== expected.iterations) {
      return `input ${input.name}, fuel ${fuel}: the reference ends in iteration ${expected.iterations}, wasm in ${actual.iterations}`;
    }
  }
  return null;
}

function agreesWithReference(rules: OpRules, transform: (trace: Trace) => Trace = (t) => t) {
  return fc.property(arbTraceCase(), fc.constantFrom(...FUELS), (trace, fuel) => {
    const difference = wasmDifference(trace, fuel, rules, transform);
    if (difference !== null) throw new Error(`${difference}\n\n${printTrace(trace)}`);
  });
}

// Each trace is compiled once and run at every fuel; a failure is reduced and printed as a
// bare trace file (assertTraces).
describe('wasm backend', () => {
  it('wasm(trace) ≡ reference(trace)', () => {
    assertTraces((trace) => wasmDifference(trace, FUELS, OP_RULES), { runs: WASM_RUNS });
  });

  it('wasm(optimize(trace)) ≡ reference(trace)', () => {
    assertTraces((trace) => wasmDifference(trace, FUELS, OP_RULES, (t) => optimize(t)), { runs: WASM_RUNS });
  });
});

describe('the wasm property catches broken emitters', () => {
  // The runs each search may take: the property's own count, or more for a variant only a rare
  // trace shows. float_sqrt's needs a square root of a negative number or of -0.0 whose result
  // matters: on 30 seeds the first such trace came after 14 to 2,655 traces (median 270), so
  // 1,000 runs missed it in about one search in ten. On seeds 1 to 100 it came after 461 traces
  // on average (at most 2,655): the catch is close to geometric, so 6,000 still missed it about
  // once in 450,000 searches (e^-13); 10,000 put a miss at about e^-22. The i64 overflow check
  // left out is caught after 140 traces on average (seeds 1 to 100, at most 1,106), so 1,000
  // missed it about once in 1,300 searches; 3,000 put a miss at about e^-21. The other emitters
  // are caught after 50 traces or fewer on average (seeds 1 to 30). A late catch costs time, an
  // early one none.
  const broken: [string, OpRules, number?][] = [
    ['int comparisons made unsigned', UNSIGNED_COMPARE_RULES],
    ['the i64 overflow check left out', MISSING_OVERFLOW_CHECK_RULES, 3000],
    ['getfield offsets off by 8', FIELD_OFFSET_RULES],
    ['the one-compare overflow test of a constant operand blind to its sign', ONE_SIDED_CONSTANT_OVERFLOW_RULES],
    ['a compare fused into its guard though something else reads its result', FUSED_COMPARE_IGNORES_USES_RULES],
    ['float_sqrt of the magnitude (no NaN below zero, +0.0 for -0.0)', SQRT_OF_MAGNITUDE_RULES, 10000],
  ];
  for (const [what, rules, runs = WASM_RUNS] of broken) {
    it(what, () => {
      // The property's own settings (a random seed unless FC_SEED), never fewer runs than it.
      const result = fc.check(agreesWithReference(rules), fcParamsForBrokenVariant(runs));
      expect(result.failed, `${what} passed ${result.numRuns} traces (seed ${result.seed})`).toBe(true);
      expect(String(result.errorInstance)).toMatch(/fuel \d+: /);
      // Shrunk by fast-check, then reduced (properties/reduce.ts) at the fuel that showed it.
      const [shrunk, fuel] = result.counterexample!;
      const reduced = reduceTrace(shrunk, (t) => wasmDifference(t, fuel, rules) !== null);
      expect(reduced.ops.length, printTrace(reduced)).toBeLessThanOrEqual(8);
    });
  }
});
