/**
 * intbounds rule by rule (src/optimizer/intbounds.ts): for each source of an interval, a guard
 * the rule decides (it goes) beside one a step past what the rule allows (it stays), each run on
 * the reference at the input sets given, values at and past the edge among them. The goldens of
 * test/golden/intbounds/ show the pass on whole loops; this file pins each rule's edge.
 */
import { describe, expect, it } from 'vitest';
import { type Trace, validate } from '../../src/ir/index.ts';
import { intbounds } from '../../src/optimizer/intbounds.ts';
import { parseTrace } from '../../src/text/index.ts';
import { assertBehavesLikeInput } from './contract.ts';

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

/** `[i0, i1]`, the ops, `finish(i0)`, and the given input sets. */
function trace(ops: string[], inputs: readonly (readonly bigint[])[]): Trace {
  const sets = inputs.map((values, k) => `input s${k} [${values.join(', ')}]`);
  return parseTrace(['[i0, i1]', ...ops, 'finish(i0)', '', ...sets].join('\n'));
}

/** The guard ids that stay after intbounds, having checked the result on the reference. */
function keptGuards(input: Trace): number[] {
  const output = intbounds(input);
  validate(output);
  assertBehavesLikeInput(input, output);
  return output.ops.filter((op) => op.name.startsWith('guard_')).map((op) => op.guardId);
}

/** Whether `guard`, the last guard after `setup` (guard 0 is the first), goes. */
function goes(setup: string[], guard: string, inputs: readonly (readonly bigint[])[]): boolean {
  const input = trace([...setup, guard], inputs);
  const id = input.ops.filter((op) => op.name.startsWith('guard_')).length - 1;
  return !keptGuards(input).includes(id);
}

/** Whether a `guard_true` of `condition`, after `setup`, goes. */
const decides = (setup: string[], condition: string, inputs: readonly (readonly bigint[])[]) => goes([...setup, `i9 = ${condition}`], 'guard_true(i9) [i0]', inputs);

/** Whether a `guard_false` of `condition`, after `setup`, goes. */
const decidesFalse = (setup: string[], condition: string, inputs: readonly (readonly bigint[])[]) => goes([...setup, `i9 = ${condition}`], 'guard_false(i9) [i0]', inputs);

const SOME: readonly (readonly bigint[])[] = [[0n, 0n], [5n, -5n], [-7n, 3n], [MAX, MIN], [MIN, MAX], [1n, 255n], [10n, 7n], [99n, -99n], [6n, 6n], [-1n, 5n], [2n, 0n]];

describe('intbounds decides a guard from', () => {
  it('a constant, and only a true one', () => {
    expect(decides([], 'int_lt(3, 4)', SOME)).toBe(true);
    expect(decides([], 'int_lt(i0, 4)', SOME)).toBe(false);
  });

  it('a strict and a non-strict comparison, at their edges', () => {
    const positive = ['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]'];
    expect(decides(positive, 'int_ge(i0, 1)', SOME)).toBe(true);
    expect(decides(positive, 'int_ge(i0, 2)', SOME)).toBe(false);
    const atMost = ['i2 = int_le(i0, 10)', 'guard_true(i2) [i0]'];
    expect(decides(atMost, 'int_lt(i0, 11)', SOME)).toBe(true);
    expect(decides(atMost, 'int_lt(i0, 10)', SOME)).toBe(false);
    // The other operand is bounded too: i1 > i0 >= 1 makes i1 >= 2.
    expect(decides([...positive, 'i3 = int_lt(i0, i1)', 'guard_true(i3) [i0]'], 'int_ge(i1, 2)', SOME)).toBe(true);
    expect(decides([...positive, 'i3 = int_lt(i0, i1)', 'guard_true(i3) [i0]'], 'int_ge(i1, 3)', SOME)).toBe(false);
  });

  it('a failed comparison (guard_false), which bounds the other way', () => {
    const notBelow = ['i2 = int_lt(i0, 5)', 'guard_false(i2) [i0]'];
    expect(decides(notBelow, 'int_ge(i0, 5)', SOME)).toBe(true);
    expect(decides(notBelow, 'int_gt(i0, 5)', SOME)).toBe(false);
    const above = ['i2 = int_le(i0, 5)', 'guard_false(i2) [i0]'];
    expect(decides(above, 'int_gt(i0, 5)', SOME)).toBe(true);
    expect(decides(above, 'int_gt(i0, 6)', SOME)).toBe(false);
  });

  it('equality and inequality: a guard_value, an int_eq, an int_ne at an end', () => {
    expect(decides(['guard_value(i0, 7) [i0]'], 'int_eq(i0, 7)', SOME)).toBe(true);
    expect(decides(['guard_value(i0, 7) [i0]'], 'int_ne(i0, 8)', SOME)).toBe(true);
    expect(decides(['guard_value(i0, 7) [i0]'], 'int_eq(i0, 8)', SOME)).toBe(false);
    expect(decides(['i2 = int_eq(i0, i1)', 'guard_true(i2) [i0]', 'guard_value(i1, 3) [i0]'], 'int_eq(i0, 3)', SOME)).toBe(false);
    // 0 <= i0, and i0 != 0: then i0 >= 1 (an end moves in); i0 != 5 moves no end.
    const nonNegative = ['i2 = int_ge(i0, 0)', 'guard_true(i2) [i0]'];
    expect(decides([...nonNegative, 'i3 = int_ne(i0, 0)', 'guard_true(i3) [i0]'], 'int_ge(i0, 1)', SOME)).toBe(true);
    expect(decides([...nonNegative, 'i3 = int_ne(i0, 5)', 'guard_true(i3) [i0]'], 'int_ge(i0, 1)', SOME)).toBe(false);
    // A plain int as a condition: guard_true excludes 0 at an end, guard_false makes it 0.
    expect(decides([...nonNegative, 'guard_true(i0) [i0]'], 'int_gt(i0, 0)', SOME)).toBe(true);
    expect(decides(['guard_false(i0) [i0]'], 'int_eq(i0, 0)', SOME)).toBe(true);
    // A guard_value or guard_true on an int the intervals fix goes itself.
    expect(keptGuards(trace(['guard_value(i0, 7) [i0]', 'guard_value(i0, 7) [i0]'], SOME))).toEqual([0]);
    expect(keptGuards(trace(['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'guard_true(i0) [i0]'], SOME))).toEqual([0]);
  });

  it('a failed comparison the intervals decide, and one they do not', () => {
    const atLeastFive = ['i2 = int_ge(i0, 5)', 'guard_true(i2) [i0]'];
    expect(decidesFalse(atLeastFive, 'int_lt(i0, 5)', SOME)).toBe(true);
    expect(decidesFalse(atLeastFive, 'int_lt(i0, 6)', SOME)).toBe(false);
    expect(decidesFalse(atLeastFive, 'int_le(i0, 4)', SOME)).toBe(true);
    expect(decidesFalse(atLeastFive, 'int_le(i0, 5)', SOME)).toBe(false);
    expect(decidesFalse(atLeastFive, 'int_eq(i0, 3)', SOME)).toBe(true);
    expect(decidesFalse(atLeastFive, 'int_eq(i0, 5)', SOME)).toBe(false);
    expect(decidesFalse(['guard_value(i0, 7) [i0]'], 'int_ne(i0, 7)', SOME)).toBe(true);
  });

  it('equality by intervals: one value each, or none in common', () => {
    const sevenToTen = ['i2 = int_ge(i0, 7)', 'guard_true(i2) [i0]', 'i3 = int_le(i0, 10)', 'guard_true(i3) [i0]'];
    expect(decides(sevenToTen, 'int_eq(i0, 7)', SOME)).toBe(false);
    expect(decides(sevenToTen, 'int_ne(i0, 6)', SOME)).toBe(true);
    expect(decides(sevenToTen, 'int_ne(i0, 11)', SOME)).toBe(true);
    expect(decides(sevenToTen, 'int_ne(i0, 10)', SOME)).toBe(false);
    expect(decides(sevenToTen, 'int_ne(i0, 7)', SOME)).toBe(false);
    expect(decides(['guard_value(i0, 7) [i0]'], 'int_ne(i0, 6)', SOME)).toBe(true);
    expect(goes(sevenToTen, 'guard_value(i0, 7) [i0]', SOME)).toBe(false);
    const fiveToSeven = ['i2 = int_ge(i0, 5)', 'guard_true(i2) [i0]', 'i3 = int_le(i0, 7)', 'guard_true(i3) [i0]'];
    expect(goes(fiveToSeven, 'guard_value(i0, 7) [i0]', SOME)).toBe(false);
    // One side a single value, the other an interval holding it: undecided.
    const i1SevenToTen = ['i2 = int_ge(i1, 7)', 'guard_true(i2) [i0]', 'i3 = int_le(i1, 10)', 'guard_true(i3) [i0]'];
    expect(decides([...i1SevenToTen, 'guard_value(i0, 7) [i0]'], 'int_eq(i0, i1)', SOME)).toBe(false);
    expect(decides([...i1SevenToTen, 'guard_value(i0, 7) [i0]'], 'int_eq(i1, i0)', SOME)).toBe(false);
    // What a passing int_eq teaches: the meet of both intervals.
    const oneToFive = ['i2 = int_ge(i1, 1)', 'guard_true(i2) [i0]', 'i3 = int_le(i1, 5)', 'guard_true(i3) [i0]', 'i4 = int_eq(i0, i1)', 'guard_true(i4) [i0]'];
    expect(decides(oneToFive, 'int_le(i0, 5)', SOME)).toBe(true);
    expect(decides(oneToFive, 'int_ge(i0, 1)', SOME)).toBe(true);
    expect(decides(oneToFive, 'int_le(i0, 4)', SOME)).toBe(false);
    const swapped = ['i2 = int_ge(i1, 1)', 'guard_true(i2) [i0]', 'i3 = int_le(i1, 5)', 'guard_true(i3) [i0]', 'i4 = int_eq(i1, i0)', 'guard_true(i4) [i0]'];
    expect(decides(swapped, 'int_le(i0, 5)', SOME)).toBe(true);
    expect(decides(swapped, 'int_ge(i0, 1)', SOME)).toBe(true);
    const zeroUp = ['i2 = int_ge(i0, 0)', 'guard_true(i2) [i0]'];
    expect(decides([...zeroUp, 'i3 = int_eq(i0, 0)', 'guard_false(i3) [i0]'], 'int_ge(i0, 1)', SOME)).toBe(true);
    // int_ne with a constant at the upper end moves it; with an interval, nothing.
    const zeroToTen = [...zeroUp, 'i3 = int_le(i0, 10)', 'guard_true(i3) [i0]'];
    expect(decides([...zeroToTen, 'i4 = int_ne(i0, 10)', 'guard_true(i4) [i0]'], 'int_lt(i0, 10)', SOME)).toBe(true);
    expect(decides([...zeroToTen, 'i4 = int_ne(i0, 5)', 'guard_true(i4) [i0]'], 'int_lt(i0, 10)', SOME)).toBe(false);
    expect(decides([...zeroToTen, 'i5 = int_and(i1, 3)', 'i4 = int_ne(i0, i5)', 'guard_true(i4) [i0]'], 'int_ge(i0, 1)', SOME)).toBe(false);
    expect(decides([...zeroToTen, 'i5 = int_and(i1, 3)', 'i4 = int_ne(i5, i0)', 'guard_true(i4) [i0]'], 'int_lt(i0, 10)', SOME)).toBe(false);
  });

  it('a plain int as a condition', () => {
    const zeroToFive = ['i2 = int_ge(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_le(i0, 5)', 'guard_true(i3) [i0]'];
    expect(goes(zeroToFive, 'guard_true(i0) [i0]', SOME)).toBe(false);
    expect(goes(['i2 = int_lt(i0, 0)', 'guard_true(i2) [i0]'], 'guard_true(i0) [i0]', SOME)).toBe(true);
    expect(goes(['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]'], 'guard_false(i0) [i0]', SOME)).toBe(false);
    expect(goes(['guard_value(i0, 0) [i0]'], 'guard_false(i0) [i0]', SOME)).toBe(true);
    expect(goes(zeroToFive, 'guard_false(i0) [i0]', SOME)).toBe(false);
    const minusFiveToZero = ['i2 = int_ge(i0, -5)', 'guard_true(i2) [i0]', 'i3 = int_le(i0, 0)', 'guard_true(i3) [i0]'];
    expect(goes(minusFiveToZero, 'guard_true(i0) [i0]', SOME)).toBe(false);
    expect(goes(minusFiveToZero, 'guard_false(i0) [i0]', SOME)).toBe(false);
    // A computed one (not a comparison): decided by its own interval.
    expect(goes(['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_add(i0, 0)'], 'guard_true(i3) [i0]', SOME)).toBe(true);
    expect(goes(['i3 = int_or(i0, 1)'], 'guard_true(i3) [i0]', SOME)).toBe(false);
  });

  it('arithmetic that cannot wrap, and none that can', () => {
    const small = ['i2 = int_lt(i0, 100)', 'guard_true(i2) [i0]', 'i3 = int_gt(i0, -100)', 'guard_true(i3) [i0]'];
    expect(decides([...small, 'i4 = int_add(i0, 50)'], 'int_lt(i4, 150)', SOME)).toBe(true);
    expect(decides([...small, 'i4 = int_sub(i0, 50)'], 'int_gt(i4, -150)', SOME)).toBe(true);
    expect(decides([...small, 'i4 = int_sub(i0, 50)'], 'int_gt(i4, -149)', SOME)).toBe(false);
    expect(decides([...small, 'i4 = int_mul(i0, -3)'], 'int_lt(i4, 298)', SOME)).toBe(true);
    expect(decides([...small, 'i4 = int_mul(i0, -3)'], 'int_lt(i4, 297)', SOME)).toBe(false);
    // A product's least and greatest corners, wherever they are among the four.
    const oneToTen = ['i2 = int_ge(i0, 1)', 'guard_true(i2) [i0]', 'i3 = int_le(i0, 10)', 'guard_true(i3) [i0]'];
    expect(decides([...oneToTen, 'i4 = int_mul(i0, 5)'], 'int_ge(i4, 5)', SOME)).toBe(true);
    expect(decides([...oneToTen, 'i4 = int_mul(i0, 5)'], 'int_ge(i4, 6)', SOME)).toBe(false);
    expect(decides([...oneToTen, 'i4 = int_mul(i0, -5)'], 'int_le(i4, -5)', SOME)).toBe(true);
    expect(decides([...oneToTen, 'i4 = int_mul(i0, -5)'], 'int_le(i4, -6)', SOME)).toBe(false);
    expect(decides([...oneToTen, 'i4 = int_mul(i0, -5)'], 'int_ge(i4, -50)', SOME)).toBe(true);
    expect(decides([...oneToTen, 'i4 = int_mul(i0, -5)'], 'int_ge(i4, -49)', SOME)).toBe(false);
    expect(decides([...oneToTen, 'i4 = int_mul(i0, 5)'], 'int_le(i4, 50)', SOME)).toBe(true);
    expect(decides([...oneToTen, 'i4 = int_mul(i0, 5)'], 'int_le(i4, 49)', SOME)).toBe(false);
    // Unbounded i0: i0 + 1 wraps at MAX, so nothing is claimed of it.
    expect(decides(['i4 = int_add(i0, 1)'], 'int_ne(i4, -9223372036854775808)', SOME)).toBe(false);
  });

  it('and with a non-negative operand, mod, shift, negation, arraylen and comparisons', () => {
    expect(decides(['i4 = int_and(i0, 255)'], 'int_le(i4, 255)', SOME)).toBe(true);
    expect(decides(['i4 = int_and(255, i0)'], 'int_ge(i4, 0)', SOME)).toBe(true);
    expect(decides(['i4 = int_and(i0, 255)'], 'int_le(i4, 254)', SOME)).toBe(false);
    expect(decides(['i4 = int_and(i0, -2)'], 'int_ge(i4, 0)', SOME)).toBe(false);
    const both = ['i2 = int_ge(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_and(i0, 12)'];
    expect(decides(both, 'int_le(i3, 12)', SOME)).toBe(true);
    // Both operands >= 0: the smaller upper end; one of them: its upper end, either side.
    const upTo5 = ['i2 = int_ge(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_le(i0, 5)', 'guard_true(i3) [i0]'];
    expect(decides([...upTo5, 'i4 = int_and(i0, 12)'], 'int_le(i4, 5)', SOME)).toBe(true);
    expect(decides([...upTo5, 'i6 = int_and(i1, 7)', 'i4 = int_and(i6, i0)'], 'int_le(i4, 5)', SOME)).toBe(true);
    expect(decides([...upTo5, 'i4 = int_and(i0, i1)'], 'int_le(i4, 5)', SOME)).toBe(true);
    expect(decides([...upTo5, 'i4 = int_and(i1, i0)'], 'int_le(i4, 5)', SOME)).toBe(true);
    expect(decides([...upTo5, 'i4 = int_and(i1, i0)'], 'int_le(i4, 4)', SOME)).toBe(false);
    // An operand that may be negative bounds nothing: -1 & 100 is 100.
    const minusFiveToThree = ['i2 = int_ge(i0, -5)', 'guard_true(i2) [i0]', 'i3 = int_le(i0, 3)', 'guard_true(i3) [i0]'];
    expect(decides([...minusFiveToThree, 'i4 = int_and(i0, 100)'], 'int_le(i4, 3)', SOME)).toBe(false);
    expect(decides([...minusFiveToThree, 'i4 = int_and(100, i0)'], 'int_le(i4, 3)', SOME)).toBe(false);
    expect(decides(['i4 = int_mod(i0, i1)'], 'int_ge(i4, 0)', SOME)).toBe(false);
    expect(decides(['i4 = int_or(i0, 1)'], 'int_ge(i4, 0)', SOME)).toBe(false);
    expect(decides(['i4 = int_mod(i0, 7)'], 'int_lt(i4, 7)', SOME)).toBe(true);
    expect(decides(['i4 = int_mod(i0, 7)'], 'int_lt(i4, 6)', SOME)).toBe(false);
    expect(decides(['i4 = int_mod(i0, -7)'], 'int_gt(i4, -7)', SOME)).toBe(true);
    expect(decides(['i4 = int_mod(i0, -7)'], 'int_le(i4, 0)', SOME)).toBe(true);
    expect(decides(['i4 = int_mod(i0, i1)'], 'int_lt(i4, 7)', SOME)).toBe(false);
    expect(decides(['i4 = int_rshift(i0, 60)'], 'int_lt(i4, 8)', SOME)).toBe(true);
    expect(decides(['i4 = int_rshift(i0, 60)'], 'int_lt(i4, 7)', SOME)).toBe(false);
    expect(decides(['i4 = int_rshift(i0, i1)'], 'int_lt(i4, 8)', SOME)).toBe(false);
    const positive = ['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]'];
    expect(decides([...positive, 'i4 = int_neg(i0)'], 'int_lt(i4, 0)', SOME)).toBe(true);
    // -MIN wraps to MIN: no interval for the negation of an int that may be MIN.
    expect(decides(['i2 = int_lt(i0, 0)', 'guard_true(i2) [i0]', 'i4 = int_neg(i0)'], 'int_gt(i4, 0)', SOME)).toBe(false);
    expect(decides(['i4 = int_lt(i0, i1)'], 'int_le(i4, 1)', SOME)).toBe(true);
    expect(decides(['i4 = int_lt(i0, i1)'], 'int_ge(i4, 0)', SOME)).toBe(true);
    expect(decides(['i4 = int_lt(i0, i1)'], 'int_ge(i4, 1)', SOME)).toBe(false);
  });

  it('nothing of a float or ref guard_value', () => {
    const input = parseTrace(['[i0, f1]', 'guard_value(f1, 2.5) [i0]', 'guard_value(f1, 2.5) [i0]', 'finish(i0)', '', 'input a [1, 2.5]', 'input b [1, 3.0]'].join('\n'));
    expect(keptGuards(input)).toEqual([0, 1]);
  });

  it('an array length, which is never negative', () => {
    const input = parseTrace(['[p0]', 'i1 = arraylen(p0)', 'i2 = int_ge(i1, 0)', 'guard_true(i2) [p0]', 'i3 = int_gt(i1, 0)', 'guard_true(i3) [p0]', 'finish(i1)', '', 'input empty [@a] with @a = int[]', 'input two [@a] with @a = int[1, 2]'].join('\n'));
    expect(keptGuards(input)).toEqual([1]);
  });
});

describe('intbounds on overflow checks', () => {
  const checked = (setup: string[], op: string) => {
    const input = trace([...setup, `i8 = ${op}`, 'guard_no_overflow() [i0]'], SOME);
    const output = intbounds(input);
    assertBehavesLikeInput(input, output);
    return output.ops.some((o) => o.name === 'guard_no_overflow');
  };

  it('drops a check that cannot fail, keeps one a step past the edge', () => {
    expect(checked(['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]'], 'int_sub_ovf(i0, 1)')).toBe(false);
    expect(checked(['i2 = int_gt(i0, -2)', 'guard_true(i2) [i0]'], 'int_sub_ovf(i0, 9223372036854775807)')).toBe(false);
    expect(checked(['i2 = int_gt(i0, -3)', 'guard_true(i2) [i0]'], 'int_sub_ovf(i0, 9223372036854775807)')).toBe(true);
    expect(checked(['i2 = int_lt(i0, i1)', 'guard_true(i2) [i0]'], 'int_add_ovf(i0, 1)')).toBe(false);
    expect(checked(['i2 = int_lt(i0, i1)', 'guard_true(i2) [i0]'], 'int_add_ovf(i0, 2)')).toBe(true);
    expect(checked(['i2 = int_and(i0, 65535)'], 'int_mul_ovf(i2, 65536)')).toBe(false);
    expect(checked(['i2 = int_and(i0, 4294967295)'], 'int_mul_ovf(i2, 4294967296)')).toBe(true);
    expect(checked([], 'int_add_ovf(i0, i1)')).toBe(true);
  });

  it('the op made plain keeps its result, and goes when only its check read it', () => {
    const input = trace(['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_sub_ovf(i0, 1)', 'guard_no_overflow() [i0]', 'i4 = int_sub_ovf(i1, 2)', 'guard_no_overflow() [i3]'], SOME);
    const output = intbounds(input);
    assertBehavesLikeInput(input, output);
    expect(output.ops.map((op) => `${op.result ?? ''}=${op.name}`)).toEqual(['i2=int_gt', '=guard_true', 'i3=int_sub', 'i4=int_sub_ovf', '=guard_no_overflow', '=finish']);
    const unused = trace(['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_sub_ovf(i0, 1)', 'guard_no_overflow() [i0]'], SOME);
    expect(intbounds(unused).ops.map((op) => op.name)).toEqual(['int_gt', 'guard_true', 'finish']);
  });

  it('the plain op keeps the interval that decided it', () => {
    expect(decides(['i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_sub_ovf(i0, 1)', 'guard_no_overflow() [i0]'], 'int_ge(i3, 0)', SOME)).toBe(true);
  });

  it('an overflow-checked op that cannot overflow, followed by guard_overflow: both stay (that guard always exits)', () => {
    const input = trace(['i2 = int_lt(i0, i1)', 'guard_true(i2) [i0]', 'i3 = int_add_ovf(i0, 1)', 'guard_overflow() [i0]'], SOME);
    expect(intbounds(input)).toBe(input);
  });

  it('what an exit reads through a virtual stays', () => {
    const input = parseTrace(
      ['class Box(v: int)', '[i0, i1]', 'i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_sub_ovf(i0, 1)', 'guard_no_overflow() [i0]', 'i4 = int_ge(i3, 0)', 'guard_true(i4) [i0]', 'i5 = int_lt(i1, 3)', 'guard_true(i5) [$0] with $0 = Box{v: i3}', 'finish(i0)', '', 'input a [4, 1]', 'input b [4, 7]'].join('\n'),
    );
    const output = intbounds(input);
    assertBehavesLikeInput(input, output);
    expect(output.ops.map((op) => op.result ?? op.name)).toEqual(['i2', 'guard_true', 'i3', 'i5', 'guard_true', 'finish']);
  });

  it('what an exit reads through a virtual array stays, and a chain only a removed guard read goes', () => {
    const input = parseTrace(
      ['[i0, i1]', 'i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'i8 = int_lt(i0, 100)', 'guard_true(i8) [i0]', 'i3 = int_sub_ovf(i0, 1)', 'guard_no_overflow() [i0]', 'i6 = int_add(i0, 1)', 'i7 = int_gt(i6, 1)', 'guard_true(i7) [i0]', 'i5 = int_lt(i1, 3)', 'guard_true(i5) [$0] with $0 = int[i3, 5]', 'finish(i0)', '', 'input a [4, 1]', 'input b [4, 7]', 'input c [9223372036854775807, 1]'].join('\n'),
    );
    const output = intbounds(input);
    assertBehavesLikeInput(input, output);
    expect(output.ops.map((op) => op.result ?? op.name)).toEqual(['i2', 'guard_true', 'i8', 'guard_true', 'i3', 'i5', 'guard_true', 'finish']);
  });

  it('after guard_overflow nothing is changed: an overflowing result may wrap', () => {
    const input = trace(['i2 = int_add_ovf(i0, 1)', 'guard_overflow() [i0]', 'i3 = int_gt(i2, 0)', 'guard_true(i3) [i0]'], [[MAX, 0n], [3n, 0n]]);
    expect(intbounds(input)).toBe(input);
  });

  it('a trace it cannot improve comes back as the same object', () => {
    const input = trace(['i2 = int_add_ovf(i0, i1)', 'guard_no_overflow() [i0]', 'i3 = int_lt(i2, i1)', 'guard_true(i3) [i0]'], SOME);
    expect(intbounds(input)).toBe(input);
  });
});

describe('intbounds at a label', () => {
  it('forgets what the preamble knew: a rebound argument, and the comparison that defined it', () => {
    const rebound = parseTrace(['[i0]', 'i1 = int_lt(0, 0)', 'label(i0, i1) [i0]', 'guard_false(i1) [i0]', 'i2 = int_add(i1, 1)', 'jump(i0, 5)', '', 'input a [4]'].join('\n'));
    expect(intbounds(rebound)).toBe(rebound);
    const bounded = parseTrace(['[i0]', 'i1 = int_gt(i0, 0)', 'guard_true(i1) [i0]', 'label(i0) [i0]', 'i2 = int_gt(i0, 0)', 'guard_true(i2) [i0]', 'i3 = int_sub(i0, 1)', 'jump(i3)', '', 'input a [4]'].join('\n'));
    const out = intbounds(bounded);
    assertBehavesLikeInput(bounded, out);
    expect(out.ops.filter((op) => op.name === 'guard_true')).toHaveLength(2);
  });
});
