// fold's common subexpressions for the overflow-checked ops, in the chained driver: the same
// `*_ovf` op on the same operands, checked before by a passing guard_no_overflow, is the same
// value and cannot overflow now. In the loop body the preamble's check counts (its operands are
// loop-invariant); without it, intbounds (which turns proven checks into plain ops after the
// chain) left the body a plain copy of a preamble op that a second round then removed, and the
// pipeline was not at its fixpoint ("the pipeline runs to a fixpoint" in
// properties/removal.prop.test.ts found it).
import { describe, expect, it } from 'vitest';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { assertBehavesLikeInput } from './contract.ts';

const body = (text: string) => text.slice(text.indexOf('label('));

describe('checked ops computed once', () => {
  it('the body reuses the preamble check of loop-invariant operands, guard and all', () => {
    const trace = parseTrace(
      ['[i0, i1]', 'i2 = int_add_ovf(i1, i0)', 'guard_no_overflow() [i0, i1]', 'i3 = int_gt(i2, 0)', 'guard_true(i3) [i0, i1]', 'jump(i0, i1)', 'input small [3, 4]', 'input big [9223372036854775807, 1]', 'input negative [-5, 1]'].join('\n'),
    );
    const optimized = optimize(trace);
    expect(body(printTrace(optimized))).not.toMatch(/int_add|guard_no_overflow|guard_true/);
    assertBehavesLikeInput(trace, optimized);
    expect(printTrace(optimize(optimized))).toBe(printTrace(optimized));
  });

  it('one run: a second identical check goes; a check that expects the overflow does not', () => {
    const trace = parseTrace(
      ['[i0, i1]', 'i2 = int_mul_ovf(i0, i1)', 'guard_no_overflow() [i0]', 'i3 = int_mul_ovf(i0, i1)', 'guard_no_overflow() [i1]', 'i4 = int_mul_ovf(i0, i1)', 'guard_overflow() [i0]', 'finish(i2, i3, i4)', 'input a [3, 4]', 'input b [4611686018427387904, 4]'].join('\n'),
    );
    const optimized = optimize(trace);
    expect(optimized.ops.filter((op) => op.name === 'int_mul_ovf')).toHaveLength(2);
    expect(optimized.ops.filter((op) => op.name === 'guard_no_overflow')).toHaveLength(1);
    assertBehavesLikeInput(trace, optimized);
  });
});
