/**
 * The pass contract every optimizer property checks, shared by properties/optimizer.prop.test.ts
 * and the broken-variant test: on every input set of a generated trace, and for several fuel
 * values (exits in the first iteration and in later ones), the optimized trace has the input's
 * outcome. A failure throws with the difference and the optimized trace's text, and fast-check
 * shrinks the trace.
 */
import fc from 'fast-check';
import type { Trace } from '../../src/ir/index.ts';
import { printTrace } from '../../src/text/index.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { firstDifference } from './equivalence.ts';

export const CONTRACT_FUELS: readonly number[] = [0, 1, 2, 5];

/** Default run count of the equivalence properties (a broken variant must be caught within it). */
export const EQUIVALENCE_RUNS = 2000;

export function assertBehavesLikeInput(input: Trace, optimized: Trace): void {
  const difference = firstDifference(input, optimized, input.inputSets, CONTRACT_FUELS);
  if (difference !== null) throw new Error(`${difference}\noptimized trace:\n${printTrace(optimized)}`);
}

/** Whether `pass` keeps the input's behaviour on `trace` (a pass that throws does not). */
export function behavesLikeInput(trace: Trace, pass: (trace: Trace) => Trace): boolean {
  try {
    assertBehavesLikeInput(trace, pass(trace));
    return true;
  } catch {
    return false;
  }
}

export function equivalenceProperty(pass: (trace: Trace) => Trace, traces: fc.Arbitrary<Trace> = arbTraceCase()) {
  return fc.property(traces, (trace) => assertBehavesLikeInput(trace, pass(trace)));
}
