/**
 * A peeled loop on wasm: the hand-peeled Figure 2 of bench/wasm.ts (preamble, label with an exit
 * that rebuilds the boxed loop arguments, an allocation-free loop body whose guard exit
 * materializes seven virtuals) has the outcome of the reference run of Figure 2 itself, at fuel
 * exits on either back-edge (label and jump), at guard exits in the preamble and in the loop,
 * and across calls of `run` (more than BACK_EDGES_PER_CALL back-edges: the host resumes the
 * loop from the stored loop state).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAND_PEELED_FIGURE2 } from '../../bench/wasm.ts';
import { alphaEquivalent, type InputSet } from '../../src/ir/index.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';
import { parseTrace } from '../../src/text/index.ts';
import { BACK_EDGES_PER_CALL, compileTrace, runCompiled } from '../../src/wasm/index.ts';

const figure2 = parseTrace(readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8'));
// Compiled in each test, not when the file loads: a mutation run counts only code reached inside
// a test as covered by it, and would not run these tests on the emitter's mutants.
const compilePeeled = () => compileTrace(parseTrace(HAND_PEELED_FIGURE2));

function boxes(y: bigint, res: bigint): InputSet {
  return {
    name: `y=${y}`,
    args: [
      { kind: 'obj', name: 'y' },
      { kind: 'obj', name: 'res' },
    ],
    objects: [
      { name: 'y', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: y } }] },
      { name: 'res', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: res } }] },
    ],
  };
}

function expectSameAsFigure2(input: InputSet, fuel: number): void {
  const expected = runReference(figure2, input, { fuel });
  const actual = runCompiled(compilePeeled(), input, { fuel });
  const comparison = compareOutcomes(expected, actual, {
    expected: 'Figure 2 on the reference',
    actual: 'hand-peeled Figure 2 on wasm',
  });
  expect(comparison, `${input.name}, fuel ${fuel}`).toEqual({ ok: true });
  expect(actual.iterations, `${input.name}, fuel ${fuel}: iteration of the end`).toBe(expected.iterations);
}

describe('hand-peeled Figure 2 on wasm', () => {
  const small = [...figure2.inputSets, boxes(1n, 5n), boxes(2n, 5n), boxes(-3n, 0n)];
  for (const input of small) {
    it(`${input.name}: same outcome as Figure 2 on the reference, fuel 0 to 12`, () => {
      for (let fuel = 0; fuel <= 12; fuel++) expectSameAsFigure2(input, fuel);
    });
  }

  it('is what the default pipeline makes of Figure 2, up to the names of variables', () => {
    const written = parseTrace(HAND_PEELED_FIGURE2);
    expect(alphaEquivalent(optimize(figure2), { ...written, inputSets: figure2.inputSets })).toEqual({ ok: true });
  });

  it('resumes the loop after the label across calls of run', () => {
    const y = BigInt(BACK_EDGES_PER_CALL + 500);
    for (const fuel of [BACK_EDGES_PER_CALL, BACK_EDGES_PER_CALL + 1, BACK_EDGES_PER_CALL + 400, BACK_EDGES_PER_CALL + 1000]) {
      expectSameAsFigure2(boxes(y, 7n), fuel);
    }
  });
});
