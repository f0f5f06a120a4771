/**
 * Shared by the golden tests and the checked docs (STYLE.md practices 8 and 12): an expected
 * trace must behave like its input on the reference interpreter, on the input's own input sets
 * and 25 generated input heaps, at several fuel values, so that a wrong expectation fails even
 * when the optimizer agrees with it.
 */
import type { Trace } from '../../src/ir/index.ts';
import { sampleInputSets } from '../../properties/arbitraries/input-heaps.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';

const FUELS = [0, 1, 2, 3, 7, 50];

/** The expected trace behaves like the input: the file's input sets and generated ones, many fuels. */
export function checkAgainstReference(input: Trace, expected: Trace, where: string) {
  const sets = [...input.inputSets, ...sampleInputSets(input, 25, 42)];
  for (const set of sets) {
    for (const fuel of FUELS) {
      const a = runReference(input, set, { fuel });
      const b = runReference(expected, set, { fuel });
      const verdict = compareOutcomes(a, b);
      if (!verdict.ok) throw new Error(`${where}: the expected trace differs from the input on input ${set.name}, fuel ${fuel}:\n${verdict.difference}`);
    }
  }
}
