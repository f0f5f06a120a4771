/**
 * Test helpers for optimizer tests: run an input trace and its optimized form on the same
 * input sets and fuel values and report the first difference (null when there is none).
 */
import type { InputSet, Trace } from '../../src/ir/index.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';

export function firstDifference(
  input: Trace,
  optimized: Trace,
  inputSets: readonly InputSet[] = input.inputSets,
  fuels: readonly number[] = [0, 1, 2, 3, 7, 20],
): string | null {
  for (const set of inputSets) {
    for (const fuel of fuels) {
      const result = compareOutcomes(runReference(input, set, { fuel }), runReference(optimized, set, { fuel }));
      if (!result.ok) return `input ${set.name}, fuel ${fuel}: ${result.difference}`;
    }
  }
  return null;
}

export const FUELS_0_TO_20: readonly number[] = Array.from({ length: 21 }, (_, k) => k);
