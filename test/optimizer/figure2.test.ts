// The paper's running example (Figure 2) through virtualize alone (the paper's Figure 4) and
// through the default pipeline, checked for counts, validity and equivalence with the reference.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freezeTrace, type InputSet, labelIndex, type Trace, validate } from '../../src/ir/index.ts';
import { DEFAULT_PIPELINE, optimize } from '../../src/optimizer/pipeline.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';
import { parseTrace } from '../../src/text/index.ts';
import { FUELS_0_TO_20, firstDifference } from './equivalence.ts';

const figure2 = freezeTrace(parseTrace(readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8')));

const count = (trace: Trace, name: string) => trace.ops.filter((op) => op.name === name).length;

/** More inputs than the file's: other start values, negative and zero y, a float res. */
function moreInputSets(): InputSet[] {
  const sets: InputSet[] = [];
  for (const y of [-3n, 0n, 1n, 2n, 25n]) {
    sets.push({
      name: `y${y}`,
      args: [
        { kind: 'obj', name: 'y' },
        { kind: 'obj', name: 'res' },
      ],
      objects: [
        { name: 'y', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: y } }] },
        { name: 'res', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: 7n } }] },
      ],
    });
  }
  sets.push({
    name: 'float_res',
    args: [
      { kind: 'obj', name: 'y' },
      { kind: 'obj', name: 'res' },
    ],
    objects: [
      { name: 'y', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: 4n } }] },
      { name: 'res', kind: 'object', cls: 'BoxedFloat', fields: [{ field: 'floatval', value: { kind: 'float', value: 0.5 } }] },
    ],
  });
  return sets;
}

// Each test optimizes the figure itself (not the describe body, which runs while vitest collects
// the tests): a mutation run counts only what a test runs as reached by it.
describe('Figure 2 through virtualize alone (the paper, Figure 4)', () => {
  const optimized = () => virtualize(figure2);

  it('validates', () => {
    expect(() => validate(optimized())).not.toThrow();
  });

  it('allocates 2 objects instead of 5 and keeps 3 guard_class of 7', () => {
    expect(count(figure2, 'new')).toBe(5);
    expect(count(figure2, 'guard_class')).toBe(7);
    expect(count(optimized(), 'new')).toBe(2);
    expect(count(optimized(), 'guard_class')).toBe(3);
  });

  it('reads no field of a virtual: only the inputs p0 and p1 are read', () => {
    const readFrom = optimized().ops.filter((op) => op.name === 'getfield').map((op) => op.args[0]);
    expect(readFrom).toEqual([
      { kind: 'var', name: 'p1' },
      { kind: 'var', name: 'p0' },
      { kind: 'var', name: 'p0' },
    ]);
  });

  it('allocates the two objects that cross the jump right before it', () => {
    const tail = optimized().ops.slice(-5).map((op) => op.name);
    expect(tail).toEqual(['new', 'setfield', 'new', 'setfield', 'jump']);
  });

  it('keeps the guard ids of the input guards', () => {
    const ids = optimized().ops.filter((op) => op.guardId >= 0).map((op) => op.guardId);
    expect(ids).toEqual([0, 1, 4, 7]);
  });

  it('behaves like the input on the file inputs and more, for fuel 0 to 20', () => {
    expect(firstDifference(figure2, optimized(), [...figure2.inputSets, ...moreInputSets()], FUELS_0_TO_20)).toBeNull();
  });
});

const validatingEveryPass = {
  afterPass: (pass: string, result: Trace) => {
    try {
      validate(result);
    } catch (e) {
      throw new Error(`pass ${pass} broke an invariant: ${(e as Error).message}`);
    }
  },
};

describe('Figure 2 through the section 4 pipeline (the default without peel)', () => {
  const optimized = () =>
    optimize(
      figure2,
      DEFAULT_PIPELINE.filter((pass) => pass !== 'peel'),
      validatingEveryPass,
    );

  it('removes the second guard_class on p0 and its getfield too: 2 new, 2 guard_class', () => {
    expect(count(optimized(), 'new')).toBe(2);
    expect(count(optimized(), 'guard_class')).toBe(2);
    expect(count(optimized(), 'getfield')).toBe(2);
    expect(count(optimized(), 'setfield')).toBe(2);
  });

  it('behaves like the input on the file inputs and more, for fuel 0 to 20', () => {
    expect(firstDifference(figure2, optimized(), [...figure2.inputSets, ...moreInputSets()], FUELS_0_TO_20)).toBeNull();
  });
});

describe('Figure 2 through the default pipeline (peeled)', () => {
  const peeled = () => {
    const optimized = optimize(figure2, DEFAULT_PIPELINE, validatingEveryPass);
    const label = labelIndex(optimized);
    return { optimized, label, preamble: { ...optimized, ops: optimized.ops.slice(0, label) }, body: { ...optimized, ops: optimized.ops.slice(label + 1) } };
  };

  it('allocates nothing anywhere: the preamble reads the two inputs once, behind 2 guard_class', () => {
    const { label, preamble } = peeled();
    expect(label).toBeGreaterThan(0);
    expect(count(preamble, 'new')).toBe(0);
    expect(count(preamble, 'guard_class')).toBe(2);
    expect(count(preamble, 'getfield')).toBe(2);
    expect(count(preamble, 'setfield')).toBe(0);
  });

  it('has the body of the paper\'s Figure 6: only integer ops, the comparison and its guard', () => {
    const { body } = peeled();
    expect(body.ops.map((op) => op.name)).toEqual(['int_add', 'int_add', 'int_add', 'int_gt', 'guard_true', 'jump']);
  });

  it('behaves like the input on the file inputs and more, for fuel 0 to 20', () => {
    const { optimized } = peeled();
    expect(firstDifference(figure2, optimized, [...figure2.inputSets, ...moreInputSets()], FUELS_0_TO_20)).toBeNull();
  });
});
