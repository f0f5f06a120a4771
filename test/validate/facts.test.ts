/**
 * The path facts (src/validate/facts.ts) and the solver behind them: a guard of the input trace
 * that the optimized trace drops is fine when the path implies it, and what the syntactic facts
 * cannot decide the solver (z3) is asked, with every condition of the path.
 */
import { describe, expect, it } from 'vitest';
import { validateTraces, validateTracesWithSolver } from '../../src/cli/validate.ts';
import { parseTrace } from '../../src/text/index.ts';
import { Facts } from '../../src/validate/facts.ts';
import { type Term, Terms } from '../../src/validate/terms.ts';
import { validateSymbolically } from '../../src/validate/validate.ts';

const CLASSES = 'class Box(v: int)\n';
const trace = (text: string, file: string) => parseTrace(CLASSES + text, file);

describe('a dropped guard the path implies only arithmetically', () => {
  it('is proved by the solver: an even number has no low bit', async () => {
    const input = trace('[i0]\ni1 = int_mul(i0, 2)\ni2 = int_and(i1, 1)\nguard_false(i2) []\nfinish()\n', 'even.trace');
    const optimized = trace('[i0]\nfinish()\n', 'dropped.trace');
    // The syntactic facts cannot see it: no counterexample either, so unknown.
    expect(validateTraces(input, optimized).verdict).toBe('unknown');
    expect((await validateTracesWithSolver(input, optimized)).verdict).toBe('proved');
  }, 120_000);

  it('is proved by the solver from an earlier guard: i0 < i1 implies i0 <= i1', async () => {
    // No interval decides it (both operands range over almost all of int64): a relation.
    const input = trace('[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) []\ni3 = int_le(i0, i1)\nguard_true(i3) []\nfinish()\n', 'lt-le.trace');
    const optimized = trace('[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) []\nfinish()\n', 'lt.trace');
    expect(validateTraces(input, optimized).verdict).toBe('unknown');
    expect((await validateTracesWithSolver(input, optimized)).verdict).toBe('proved');
  }, 120_000);

  it('a guard exit compared on the path where it fails keeps the earlier conditions', async () => {
    // On the path where i0 < 100 fails guard 1, guard 0 said i0 >= 0, so i0 and i0 with its sign
    // bit masked off are the same value: the solver needs both conditions to see it.
    const input = trace('[i0]\ni1 = int_lt(i0, 0)\nguard_false(i1) []\ni2 = int_lt(i0, 100)\nguard_false(i2) [i0]\nfinish()\n', 'exit-i0.trace');
    const optimized = trace(
      '[i0]\ni3 = int_and(i0, 9223372036854775807)\ni1 = int_lt(i0, 0)\nguard_false(i1) []\ni2 = int_lt(i0, 100)\nguard_false(i2) [i3]\nfinish()\n',
      'exit-masked.trace',
    );
    expect((await validateTracesWithSolver(input, optimized)).verdict).toBe('proved');
  }, 120_000);
});

describe('the facts on the path where a guard fails', () => {
  it('keep what earlier guards said of an object: past guard_class, p0 is not null', () => {
    const input = trace('[p0, i1]\nguard_class(p0, Box) []\ni2 = ptr_eq(p0, null)\nguard_true(i1) [i2]\nfinish()\n', 'ptr-eq.trace');
    const optimized = trace('[p0, i1]\nguard_class(p0, Box) []\nguard_true(i1) [0]\nfinish()\n', 'folded.trace');
    expect(validateSymbolically(input, optimized)).toEqual({ kind: 'proved', cases: 1 });
  });
});

describe('terms rewritten with a value a guard fixed', () => {
  // The index (or size) is i1 in one trace and the constant 3 in the other: the atoms and reads
  // built on i1 are rebuilt on 3 (facts.ts rebuild), and then meet the other side's.
  const verdict = (input: string, optimized: string) => validateSymbolically(trace(input, 'input.trace'), trace(optimized, 'optimized.trace'), { maxArrayLength: 1000 });

  it('an item read at i1 = 3, and its bounds check', () => {
    expect(verdict('[p0, i1]\nguard_value(i1, 3) []\ni2 = getarrayitem(p0, i1, int)\nfinish(i2)\n', '[p0, i1]\nguard_value(i1, 3) []\ni2 = getarrayitem(p0, 3, int)\nfinish(i2)\n')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('an array of i1 = 3 items, and its size check', () => {
    expect(verdict('[i1]\nguard_value(i1, 3) []\np2 = new_array(i1, int)\ni3 = arraylen(p2)\nfinish(i3)\n', '[i1]\nguard_value(i1, 3) []\np2 = new_array(3, int)\nfinish(3)\n')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('an object read at i1 = 3, its class and its field', () => {
    expect(verdict('[p0, i1]\nguard_value(i1, 3) []\np2 = getarrayitem(p0, i1, ref)\ni3 = getfield(p2, Box.v)\nfinish(i3)\n', '[p0, i1]\nguard_value(i1, 3) []\np2 = getarrayitem(p0, 3, ref)\ni3 = getfield(p2, Box.v)\nfinish(i3)\n')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('an array read at i1 = 3, and its length', () => {
    expect(verdict('[p0, i1]\nguard_value(i1, 3) []\np2 = getarrayitem(p0, i1, ref)\ni3 = arraylen(p2)\nfinish(i3)\n', '[p0, i1]\nguard_value(i1, 3) []\np2 = getarrayitem(p0, 3, ref)\ni3 = arraylen(p2)\nfinish(i3)\n')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('an array of i1 = 3 items where the largest allowed is 2: the input trace stops there (undefined behaviour), so anything after is fine', () => {
    const v = validateSymbolically(trace('[i1]\nguard_value(i1, 3) []\np2 = new_array(i1, int)\nfinish(0)\n', 'input.trace'), trace('[i1]\nguard_value(i1, 3) []\nfinish(1)\n', 'optimized.trace'), { maxArrayLength: 2 });
    expect(v).toEqual({ kind: 'proved', cases: 1 });
  });
});

describe('what the facts know of an object decides the atoms on it', () => {
  it('an item read of an int array makes it an array: an arraylen the input trace does not have is defined', () => {
    const input = trace('[p0]\ni1 = getarrayitem(p0, 0, int)\nfinish(i1)\n', 'read.trace');
    const optimized = trace('[p0]\ni1 = getarrayitem(p0, 0, int)\ni2 = arraylen(p0)\nfinish(i1)\n', 'read-and-length.trace');
    expect(validateSymbolically(input, optimized)).toEqual({ kind: 'proved', cases: 1 });
  });

  it('but not an array of another element type: a float read of it is undefined behaviour', () => {
    const input = trace('[p0]\ni1 = getarrayitem(p0, 0, int)\nfinish(i1)\n', 'read.trace');
    const optimized = trace('[p0]\ni1 = getarrayitem(p0, 0, int)\nf2 = getarrayitem(p0, 0, float)\nfinish(i1)\n', 'float-read.trace');
    const v = validateSymbolically(input, optimized);
    expect(v.kind === 'suspect' && v.reason).toBe("the optimized trace's getarrayitem: an array of float is not implied where it runs (undefined behaviour the input trace does not have?)");
  });
});

describe('an object fact that contradicts an earlier one makes the rest of the path never run', () => {
  // Past a guard that cannot pass, anything the optimized trace does is fine: the path is
  // infeasible, so finishing with another value is proved.
  const classes = 'class Box(v: int)\nclass Cell(w: int)\n';
  const after = (ops: string) =>
    validateSymbolically(parseTrace(`${classes}[p0]\n${ops}finish(0)\n`, 'input.trace'), parseTrace(`${classes}[p0]\n${ops}finish(1)\n`, 'optimized.trace'));

  // Each path below is infeasible after its second guard: both traces' finishes are unreachable.
  it.each([
    ['an object of one class is not of another', 'guard_class(p0, Box) []\nguard_class(p0, Cell) []\n'],
    ['an array is an object of no class', 'i1 = arraylen(p0)\nguard_class(p0, Box) []\n'],
    ['null is an object of no class', 'guard_isnull(p0) []\nguard_class(p0, Box) []\n'],
    ['null is no array', 'guard_isnull(p0) []\ni1 = arraylen(p0)\n'],
    ['an object of a class is not null', 'guard_class(p0, Box) []\nguard_isnull(p0) []\n'],
    ['an array is not null', 'i1 = arraylen(p0)\nguard_isnull(p0) []\n'],
    ['an object of a class is no array', 'guard_class(p0, Box) []\ni1 = arraylen(p0)\n'],
    ['an array of ints is no array of floats', 'i1 = getarrayitem(p0, 0, int)\nf2 = getarrayitem(p0, 0, float)\n'],
  ])('%s', (_, ops) => {
    expect(after(ops)).toEqual({ kind: 'proved', cases: 1 });
  });

  it('but a guard that can pass leaves the path running: a non-null object may be a Box', () => {
    const v = after('guard_nonnull(p0) []\nguard_class(p0, Box) []\n');
    expect(v.kind === 'suspect' && v.reason).toBe('finish, value 1: 0 in the input trace, 1 in the optimized trace');
  });
});

describe('what the facts do not know of an object stays unknown', () => {
  const classes = 'class Box(v: int)\n';
  const added = (input: string, extra: string) => validateSymbolically(parseTrace(`${classes}[p0]\n${input}finish()\n`, 'input.trace'), parseTrace(`${classes}[p0]\n${input}${extra}finish()\n`, 'optimized.trace'));

  it('a non-null object need not be an array: an arraylen the input trace does not have is undefined behaviour', () => {
    const v = added('guard_nonnull(p0) []\n', 'i1 = arraylen(p0)\n');
    expect(v.kind === 'suspect' && v.reason).toBe("the optimized trace's arraylen: an array is not implied where it runs (undefined behaviour the input trace does not have?)");
  });

  it('an array of unknown element type need not hold ints', () => {
    const v = added('i1 = arraylen(p0)\n', 'i2 = getarrayitem(p0, 0, int)\n');
    expect(v.kind === 'suspect' && v.reason).toBe("the optimized trace's getarrayitem: an array of int is not implied where it runs (undefined behaviour the input trace does not have?)");
  });
});

describe('equalities from guards, one after another', () => {
  const both = (ops: string, inputEnd: string, optimizedEnd: string, inputs = '[i0, i1, i2]') =>
    validateSymbolically(trace(`${inputs}\n${ops}${inputEnd}\n`, 'input.trace'), trace(`${inputs}\n${ops}${optimizedEnd}\n`, 'optimized.trace'));

  it('i2 = i1, then i1 = i0: i2 is i0', () => {
    expect(both('i3 = int_eq(i2, i1)\nguard_true(i3) []\ni4 = int_eq(i1, i0)\nguard_true(i4) []\n', 'finish(i2)', 'finish(i0)')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('i1 = i0, then i0 = 4: i1 is 4', () => {
    expect(both('i3 = int_eq(i1, i0)\nguard_true(i3) []\nguard_value(i0, 4) []\n', 'finish(i1)', 'finish(4)')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('an equality whose rewriting leads back to the term rewritten still ends: i0 + 5 = (i1 + 5) & 3, then i1 = i0', () => {
    // i1 + 5 becomes i0 + 5, which the first guard rewrote to (i1 + 5) & 3, which holds i1 + 5.
    const ops = 'i2 = int_add(i1, 5)\ni3 = int_and(i2, 3)\ni4 = int_add(i0, 5)\ni5 = int_eq(i3, i4)\nguard_true(i5) []\ni6 = int_eq(i0, i1)\nguard_true(i6) []\n';
    expect(both(ops, 'finish(i2)', 'finish(i2)', '[i0, i1]')).toEqual({ kind: 'proved', cases: 1 });
  });
});

describe('what a guard says of its condition', () => {
  const both = (inputs: string, input: string, optimized: string) => validateSymbolically(trace(`${inputs}\n${input}`, 'input.trace'), trace(`${inputs}\n${optimized}`, 'optimized.trace'));

  it('i0 != 5 holds: i0 == 5 does not, so a guard on it can go', () => {
    const v = both('[i0]', 'i1 = int_ne(i0, 5)\nguard_true(i1) []\ni2 = int_eq(i0, 5)\nguard_false(i2) []\nfinish()\n', 'i1 = int_ne(i0, 5)\nguard_true(i1) []\nfinish()\n');
    expect(v).toEqual({ kind: 'proved', cases: 1 });
  });

  it('a comparison a guard passed is 1 in arithmetic', () => {
    expect(both('[i0]', 'i1 = int_lt(i0, 5)\nguard_true(i1) []\ni2 = int_add(i1, 1)\nfinish(i2)\n', 'i1 = int_lt(i0, 5)\nguard_true(i1) []\nfinish(2)\n')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('an int a guard found nonzero is not therefore 1', () => {
    const v = both('[i0]', 'guard_true(i0) []\nfinish(i0)\n', 'guard_true(i0) []\nfinish(1)\n');
    expect(v.kind === 'suspect' && v.reason).toBe('finish, value 1: i0 in the input trace, 1 in the optimized trace');
  });

  it('an int a guard found nonzero is not zero: a guard that it is zero always fails', () => {
    expect(both('[i0]', 'guard_true(i0) []\nguard_false(i0) []\nfinish(0)\n', 'guard_true(i0) []\nguard_false(i0) []\nfinish(1)\n')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('but a second guard that it is nonzero passes again', () => {
    const v = both('[i0]', 'guard_true(i0) []\nguard_true(i0) []\nfinish(0)\n', 'guard_true(i0) []\nguard_true(i0) []\nfinish(1)\n');
    expect(v.kind === 'suspect' && v.reason).toBe('finish, value 1: 0 in the input trace, 1 in the optimized trace');
  });

  it('an int that equals a comparison a guard found nonzero makes its negation false', () => {
    // guard_value(i1, i0) makes the comparison i1 stand for i0, so i2 = not(i1) is not(i0).
    const ops = 'guard_true(i0) []\ni1 = int_lt(i3, 5)\nguard_value(i1, i0) []\n';
    expect(both('[i0, i3]', `${ops}i2 = int_ge(i3, 5)\nguard_false(i2) []\nfinish()\n`, `${ops}finish()\n`)).toEqual({ kind: 'proved', cases: 1 });
  });

  it('a float a guard fixed is that float', () => {
    expect(both('[f0]', 'guard_value(f0, 1.5) []\nfinish(f0)\n', 'guard_value(f0, 1.5) []\nfinish(1.5)\n')).toEqual({ kind: 'proved', cases: 1 });
  });

  it('an array of unknown element type may be an int array', () => {
    const v = both('[p0]', 'i1 = arraylen(p0)\ni2 = getarrayitem(p0, 0, int)\nfinish(0)\n', 'i1 = arraylen(p0)\ni2 = getarrayitem(p0, 0, int)\nfinish(1)\n');
    expect(v.kind === 'suspect' && v.reason).toBe('finish, value 1: 0 in the input trace, 1 in the optimized trace');
  });

  it('a loop keeps that its object is not null: the loop body needs no guard for it', () => {
    const v = both('[p0]', 'guard_nonnull(p0) [p0]\njump(p0)\n', 'guard_nonnull(p0) [p0]\nlabel(p0) [p0]\njump(p0)\n');
    expect(v.kind).toBe('proved');
  });
});

describe('an equality rewrites the later term to the earlier one', () => {
  it('i0 = i0 & 3: the masked value is i0 (rewriting i0 to it would never end in one term)', () => {
    const ops = '[i0]\ni1 = int_and(i0, 3)\ni2 = int_eq(i0, i1)\nguard_true(i2) []\n';
    expect(validateSymbolically(trace(`${ops}finish(i1)\n`, 'input.trace'), trace(`${ops}finish(i0)\n`, 'optimized.trace'))).toEqual({ kind: 'proved', cases: 1 });
  });
});

describe('intervals from the comparisons on the path', () => {
  const dropped = (guards: string, dropped: string, inputs = '[i0]') =>
    validateTraces(trace(`${inputs}\n${guards}${dropped}finish()\n`, 'in.trace'), trace(`${inputs}\n${guards}finish()\n`, 'out.trace')).verdict;

  it('decide a later comparison without the solver: i0 < 5 implies i0 < 10, not i0 < 4', () => {
    expect(dropped('i1 = int_lt(i0, 5)\nguard_true(i1) []\n', 'i2 = int_lt(i0, 10)\nguard_true(i2) []\n')).toBe('proved');
    expect(dropped('i1 = int_lt(i0, 5)\nguard_true(i1) []\n', 'i2 = int_lt(i0, 4)\nguard_true(i2) []\n')).not.toBe('proved');
    // A failed `i0 < 5` (guard_false) bounds i0 below: i0 >= 5 implies 3 < i0.
    expect(dropped('i1 = int_lt(i0, 5)\nguard_false(i1) []\n', 'i2 = int_gt(i0, 3)\nguard_true(i2) []\n')).toBe('proved');
  });

  it('decide an overflow flag: i0 > 0 makes i0 - 1 safe, and i0 < i1 makes i0 + 1 safe, not i0 + 2', () => {
    const sub = 'i2 = int_sub_ovf(i0, 1)\nguard_no_overflow() []\n';
    expect(dropped('i1 = int_gt(i0, 0)\nguard_true(i1) []\n', sub)).toBe('proved');
    expect(dropped('i1 = int_gt(i0, -1)\nguard_true(i1) []\n', sub)).toBe('proved');
    expect(dropped('', sub)).not.toBe('proved');
    const lt = 'i2 = int_lt(i0, i1)\nguard_true(i2) []\n';
    expect(dropped(lt, 'i3 = int_add_ovf(i0, 1)\nguard_no_overflow() []\n', '[i0, i1]')).toBe('proved');
    expect(dropped(lt, 'i3 = int_add_ovf(i0, 2)\nguard_no_overflow() []\n', '[i0, i1]')).not.toBe('proved');
  });

  it("one step from a comparison: its result is 0 or 1, whatever it compares", () => {
    expect(dropped('', 'i1 = int_lt(i0, 5)\ni2 = int_le(i1, 1)\nguard_true(i2) []\n')).toBe('proved');
    expect(dropped('', 'i1 = int_lt(i0, 5)\ni2 = int_lt(i1, 1)\nguard_true(i2) []\n')).not.toBe('proved');
    expect(dropped('', 'i1 = ptr_eq(p0, null)\ni2 = int_gt(i1, -9223372036854775808)\nguard_true(i2) []\n', '[i0, p0]')).toBe('proved');
  });

  it('one step from a bounded term: a mask, a modulus, a sum', () => {
    expect(dropped('', 'i1 = int_and(i0, 255)\ni2 = int_mul_ovf(i1, 1000)\nguard_no_overflow() []\n')).toBe('proved');
    expect(dropped('', 'i1 = int_mod(i0, 7)\ni2 = int_lt(i1, 7)\nguard_true(i2) []\n')).toBe('proved');
    expect(dropped('', 'i1 = int_mod(i0, 7)\ni2 = int_lt(i1, 6)\nguard_true(i2) []\n')).not.toBe('proved');
    expect(dropped('i1 = int_gt(i0, 0)\nguard_true(i1) []\n', 'i2 = int_sub(i0, 1)\ni3 = int_ge(i2, 0)\nguard_true(i3) []\n')).toBe('proved');
  });

  /** `dropped` with the guards and the dropped part given as lines. */
  const proved = (guards: string[], gone: string[], inputs = '[i0, i1]') => dropped(guards.map((l) => `${l}\n`).join(''), gone.map((l) => `${l}\n`).join(''), inputs) === 'proved';
  const between = (x: string, lo: number, hi: number) => [`i${x}1 = int_ge(i${x}, ${lo})`, `guard_true(i${x}1) []`, `i${x}2 = int_le(i${x}, ${hi})`, `guard_true(i${x}2) []`];

  it('decide each kind of condition at its edge: <, <=, a failed one, equality, a plain int', () => {
    const r = between('0', 5, 7);
    expect(proved(r, ['i3 = int_lt(i0, 8)', 'guard_true(i3) []'])).toBe(true);
    expect(proved(r, ['i3 = int_lt(i0, 7)', 'guard_true(i3) []'])).toBe(false);
    expect(proved(r, ['i3 = int_lt(i0, 5)', 'guard_false(i3) []'])).toBe(true);
    expect(proved(r, ['i3 = int_lt(i0, 6)', 'guard_false(i3) []'])).toBe(false);
    expect(proved(r, ['i3 = int_lt(4, i0)', 'guard_true(i3) []'])).toBe(true);
    expect(proved(r, ['i3 = int_lt(5, i0)', 'guard_true(i3) []'])).toBe(false);
    // Equality: both one value (a guard_value pins it), or no value in common.
    expect(proved(['guard_value(i0, 7) []'], ['guard_value(i0, 7) []'])).toBe(true);
    expect(proved(r, ['i3 = int_eq(i0, 8)', 'guard_false(i3) []'])).toBe(true);
    expect(proved(r, ['i3 = int_eq(i0, 4)', 'guard_false(i3) []'])).toBe(true);
    expect(proved(r, ['i3 = int_eq(i0, 7)', 'guard_false(i3) []'])).toBe(false);
    expect(proved(r, ['i3 = int_eq(i0, 5)', 'guard_false(i3) []'])).toBe(false);
    expect(proved([...r, ...between('1', 7, 9)], ['i3 = int_eq(i0, i1)', 'guard_true(i3) []'])).toBe(false);
    expect(proved([...r, ...between('1', 8, 9)], ['i3 = int_eq(i0, i1)', 'guard_false(i3) []'])).toBe(true);
    // A plain int: nonzero when its interval leaves 0 out, zero when it is [0, 0].
    expect(proved(r, ['guard_true(i0) []'])).toBe(true);
    expect(proved(between('0', -7, -5), ['guard_true(i0) []'])).toBe(true);
    expect(proved(between('0', 0, 7), ['guard_true(i0) []'])).toBe(false);
    expect(proved(between('0', -7, 0), ['guard_true(i0) []'])).toBe(false);
    expect(proved(between('0', 0, 0), ['guard_false(i0) []'])).toBe(true);
    expect(proved(between('0', 0, 1), ['guard_false(i0) []'])).toBe(false);
    expect(proved(between('0', -1, 0), ['guard_false(i0) []'])).toBe(false);
  });

  it('overflow flags at the ends of int64', () => {
    expect(proved(['i2 = int_lt(i0, 9223372036854775806)', 'guard_true(i2) []'], ['i3 = int_add_ovf(i0, 2)', 'guard_no_overflow() []'])).toBe(true);
    expect(proved(['i2 = int_lt(i0, 9223372036854775806)', 'guard_true(i2) []'], ['i3 = int_add_ovf(i0, 3)', 'guard_no_overflow() []'])).toBe(false);
    expect(proved(['i2 = int_gt(i0, -9223372036854775807)', 'guard_true(i2) []'], ['i3 = int_sub_ovf(i0, 2)', 'guard_no_overflow() []'])).toBe(true);
    expect(proved(['i2 = int_gt(i0, -9223372036854775807)', 'guard_true(i2) []'], ['i3 = int_sub_ovf(i0, 3)', 'guard_no_overflow() []'])).toBe(false);
    expect(proved(between('0', -3037000499, 3037000499), ['i3 = int_mul_ovf(i0, i0)', 'guard_no_overflow() []'])).toBe(true);
    expect(proved(between('0', -3037000500, 3037000499), ['i3 = int_mul_ovf(i0, 3037000500)', 'guard_no_overflow() []'])).toBe(false);
  });

  it('one step from bounded terms: sums, differences, products, and, mod, an array length', () => {
    const r = between('0', 5, 7);
    expect(proved(r, ['i3 = int_add(i0, 10)', 'i4 = int_lt(i3, 18)', 'guard_true(i4) []'])).toBe(true);
    expect(proved(r, ['i3 = int_add(i0, 10)', 'i4 = int_lt(i3, 17)', 'guard_true(i4) []'])).toBe(false);
    expect(proved([...r, ...between('1', 1, 2)], ['i3 = int_sub(i0, i1)', 'i4 = int_lt(2, i3)', 'guard_true(i4) []'])).toBe(true);
    expect(proved([...r, ...between('1', 1, 2)], ['i3 = int_sub(i0, i1)', 'i4 = int_lt(3, i3)', 'guard_true(i4) []'])).toBe(false);
    expect(proved([...r, ...between('1', -2, 3)], ['i3 = int_mul(i0, i1)', 'i4 = int_lt(i3, 22)', 'guard_true(i4) []'])).toBe(true);
    expect(proved([...r, ...between('1', -2, 3)], ['i3 = int_mul(i0, i1)', 'i4 = int_lt(-15, i3)', 'guard_true(i4) []'])).toBe(true);
    expect(proved([...r, ...between('1', -2, 3)], ['i3 = int_mul(i0, i1)', 'i4 = int_lt(-14, i3)', 'guard_true(i4) []'])).toBe(false);
    // Unbounded: x + 1 may wrap.
    expect(proved([], ['i3 = int_add(i0, 1)', 'i4 = int_eq(i3, -9223372036854775808)', 'guard_false(i4) []'])).toBe(false);
    expect(proved(r, ['i3 = int_and(i0, i1)', 'i4 = int_lt(i3, 8)', 'guard_true(i4) []'])).toBe(true);
    expect(proved(r, ['i3 = int_and(i1, i0)', 'i4 = int_lt(i3, 8)', 'guard_true(i4) []'])).toBe(true);
    expect(proved(r, ['i3 = int_and(i1, i0)', 'i4 = int_lt(i3, 7)', 'guard_true(i4) []'])).toBe(false);
    expect(proved([...r, ...between('1', 0, 3)], ['i3 = int_and(i0, i1)', 'i4 = int_lt(i3, 4)', 'guard_true(i4) []'])).toBe(true);
    expect(proved([...r, ...between('1', 0, 9)], ['i3 = int_and(i1, i0)', 'i4 = int_lt(i3, 8)', 'guard_true(i4) []'])).toBe(true);
    expect(proved(between('0', -1, 7), ['i3 = int_and(i0, i1)', 'i4 = int_lt(i3, 8)', 'guard_true(i4) []'])).toBe(false);
    expect(proved([], ['i3 = int_and(i0, i1)', 'i4 = int_lt(-1, i3)', 'guard_true(i4) []'])).toBe(false);
    expect(proved(between('1', 1, 7), ['i3 = int_mod(i0, i1)', 'i4 = int_lt(i3, 7)', 'guard_true(i4) []'])).toBe(true);
    expect(proved(between('1', 1, 7), ['i3 = int_mod(i0, i1)', 'i4 = int_lt(i3, 6)', 'guard_true(i4) []'])).toBe(false);
    expect(proved(between('1', 0, 7), ['i3 = int_mod(i0, i1)', 'i4 = int_lt(-1, i3)', 'guard_true(i4) []'])).toBe(false);
    expect(proved([], ['i1 = arraylen(p0)', 'i2 = int_lt(-1, i1)', 'guard_true(i2) []'], '[p0]')).toBe(true);
    expect(proved([], ['i1 = arraylen(p0)', 'i2 = int_lt(0, i1)', 'guard_true(i2) []'], '[p0]')).toBe(false);
  });

  it('both ends of each one-step rule', () => {
    const r = between('0', 5, 7);
    const cond = (c: string) => ['i4 = ' + c, 'guard_true(i4) []'];
    expect(proved(r, ['i3 = int_add(i0, 10)', ...cond('int_lt(14, i3)')])).toBe(true);
    expect(proved(r, ['i3 = int_add(i0, 10)', ...cond('int_lt(15, i3)')])).toBe(false);
    expect(proved([...r, ...between('1', 1, 2)], ['i3 = int_sub(i0, i1)', ...cond('int_le(i3, 6)')])).toBe(true);
    expect(proved([...r, ...between('1', 1, 2)], ['i3 = int_sub(i0, i1)', ...cond('int_le(i3, 5)')])).toBe(false);
    expect(proved([...r, ...between('1', -2, 3)], ['i3 = int_mul(i0, i1)', ...cond('int_lt(i3, 21)')])).toBe(false);
    // and: both operands >= 0, the smaller upper end, whichever side it is on.
    expect(proved([...between('0', 0, 3), ...between('1', 5, 7)], ['i3 = int_and(i0, i1)', ...cond('int_lt(i3, 4)')])).toBe(true);
    expect(proved([...between('0', 0, 3), ...between('1', 5, 7)], ['i3 = int_and(i0, i1)', ...cond('int_lt(i3, 3)')])).toBe(false);
    expect(proved(between('0', 0, 3), ['i3 = int_and(i0, i1)', ...cond('int_lt(i3, 4)')])).toBe(true);
    expect(proved(between('0', 0, 3), ['i3 = int_and(i1, i0)', ...cond('int_lt(-1, i3)')])).toBe(true);
    // Two terms each pinned to 7 by comparisons are equal.
    expect(proved([...between('0', 7, 7), ...between('1', 7, 7)], ['i3 = int_eq(i0, i1)', 'guard_true(i3) []'])).toBe(true);
  });

  it('a comparison no value satisfies makes the path infeasible: a constant, or an empty interval', () => {
    const anything = ['i5 = int_lt(i1, 0)', 'guard_true(i5) []'];
    expect(proved([...between('0', 0, 2), 'i3 = int_lt(3, i0)', 'guard_true(i3) []'], anything)).toBe(true);
    expect(proved([...between('0', 0, 5), 'i3 = int_lt(3, i0)', 'guard_true(i3) []'], anything)).toBe(false);
    expect(proved([...between('0', 4, 5), 'i3 = int_lt(i0, 3)', 'guard_false(i3) []'], anything)).toBe(false);
    expect(proved([...between('0', 0, 2), 'i3 = int_lt(i0, 3)', 'guard_false(i3) []'], anything)).toBe(true);
    expect(proved([...between('0', 5, 7), 'i3 = int_lt(i0, i1)', 'guard_true(i3) []', 'i6 = int_lt(i1, 6)', 'guard_true(i6) []'], anything)).toBe(true);
    expect(proved([...between('0', 5, 7), 'i3 = int_lt(i0, i1)', 'guard_true(i3) []', 'i6 = int_lt(i1, 7)', 'guard_true(i6) []'], anything)).toBe(false);
  });

  it('x + c from a bounded x + c\' when no value wraps', () => {
    // i0 - 3 >= 0, then (i0 - 3) - 2 >= -2: the validator's terms are i0 + -3 and i0 + -5.
    const counter = ['i2 = int_sub(i0, 3)', 'i3 = int_ge(i2, 0)', 'guard_true(i3) []', 'i4 = int_sub(i0, 5)'];
    expect(proved([...counter, 'i7 = int_le(i2, 100)', 'guard_true(i7) []'], ['i5 = int_ge(i4, -2)', 'guard_true(i5) []'])).toBe(true);
    expect(proved([...counter, 'i7 = int_le(i2, 100)', 'guard_true(i7) []'], ['i5 = int_ge(i4, -1)', 'guard_true(i5) []'])).toBe(false);
    expect(proved([...counter, 'i7 = int_le(i2, 100)', 'guard_true(i7) []'], ['i5 = int_le(i4, 98)', 'guard_true(i5) []'])).toBe(true);
    expect(proved([...counter, 'i7 = int_le(i2, 100)', 'guard_true(i7) []'], ['i5 = int_le(i4, 97)', 'guard_true(i5) []'])).toBe(false);
    // Unbounded above it still holds: (i0 - 3) - 2 cannot wrap when i0 - 3 >= 0.
    expect(proved(counter, ['i5 = int_ge(i4, -2)', 'guard_true(i5) []'])).toBe(true);
    // But i0 + 3 >= 0 says nothing of i0 + 5 >= 2: near MAX, i0 + 5 wraps.
    const up = ['i2 = int_add(i0, 3)', 'i3 = int_ge(i2, 0)', 'guard_true(i3) []', 'i4 = int_add(i0, 5)'];
    expect(proved(up, ['i5 = int_ge(i4, 2)', 'guard_true(i5) []'])).toBe(false);
    // Nor does i0 - 3 <= -1 say i0 - 5 < 0: near MIN, i0 - 5 wraps.
    const down = ['i2 = int_sub(i0, 3)', 'i3 = int_le(i2, -1)', 'guard_true(i3) []', 'i4 = int_sub(i0, 5)'];
    expect(proved(down, ['i5 = int_lt(i4, 0)', 'guard_true(i5) []'])).toBe(false);
    expect(proved([...down, 'i6 = int_ge(i2, -10)', 'guard_true(i6) []'], ['i5 = int_lt(i4, -2)', 'guard_true(i5) []'])).toBe(true);
    expect(proved([...down, 'i6 = int_ge(i2, -10)', 'guard_true(i6) []'], ['i5 = int_lt(i4, -3)', 'guard_true(i5) []'])).toBe(false);
    expect(proved([...down, 'i6 = int_ge(i2, -10)', 'guard_true(i6) []'], ['i5 = int_ge(i4, -12)', 'guard_true(i5) []'])).toBe(true);
    expect(proved([...down, 'i6 = int_ge(i2, -10)', 'guard_true(i6) []'], ['i5 = int_ge(i4, -11)', 'guard_true(i5) []'])).toBe(false);
    // Two bounded sums of one x: each narrows what the other gives.
    const two = ['i2 = int_add(i0, 10)', 'i3 = int_le(i2, 20)', 'guard_true(i3) []', 'i4 = int_add(i0, 20)', 'i5 = int_ge(i4, 25)', 'guard_true(i5) []', 'i6 = int_ge(i2, 0)', 'guard_true(i6) []'];
    expect(proved(two, ['i7 = int_add(i0, 30)', 'i8 = int_le(i7, 40)', 'guard_true(i8) []'])).toBe(true);
    expect(proved(two, ['i7 = int_add(i0, 30)', 'i8 = int_le(i7, 39)', 'guard_true(i8) []'])).toBe(false);
    expect(proved(two, ['i7 = int_add(i0, 30)', 'i8 = int_ge(i7, 35)', 'guard_true(i8) []'])).toBe(true);
    expect(proved(two, ['i7 = int_add(i0, 30)', 'i8 = int_ge(i7, 36)', 'guard_true(i8) []'])).toBe(false);
  });

  it('a product takes its ends from whichever corners hold them', () => {
    // i0 in [-7, -5] and i1 in [1, 3]: i0 * i1 lies in [-21, -5], its low end -7 * 3 (x.lo * y.hi),
    // its high end -5 * 1 (x.hi * y.lo); the corner x.hi * y.hi, -15, is neither.
    const r = [...between('0', -7, -5), ...between('1', 1, 3)];
    const product = (c: string) => ['i3 = int_mul(i0, i1)', `i4 = ${c}`, 'guard_true(i4) []'];
    expect(proved(r, product('int_lt(-22, i3)'))).toBe(true);
    expect(proved(r, product('int_lt(-21, i3)'))).toBe(false);
    expect(proved(r, product('int_lt(i3, -4)'))).toBe(true);
    expect(proved(r, product('int_lt(i3, -5)'))).toBe(false);
  });

  it('a sum or difference reaching an end of int64 exactly still fits; one past it may wrap', () => {
    const lowest = ['i2 = int_ge(i0, -9223372036854775803)', 'guard_true(i2) []', 'i5 = int_le(i0, 0)', 'guard_true(i5) []'];
    expect(proved(lowest, ['i3 = int_sub(i0, 5)', 'i4 = int_lt(i3, -4)', 'guard_true(i4) []'])).toBe(true);
    const highest = ['i2 = int_ge(i0, 0)', 'guard_true(i2) []', 'i5 = int_le(i0, 9223372036854775802)', 'guard_true(i5) []'];
    expect(proved(highest, ['i3 = int_add(i0, 5)', 'i4 = int_lt(4, i3)', 'guard_true(i4) []'])).toBe(true);
    // Past an end, the sum wraps for the extreme i0: negative near MAX, positive near MIN.
    const past = ['i2 = int_ge(i0, 9223372036854775802)', 'guard_true(i2) []'];
    expect(proved(past, ['i3 = int_add(i0, 6)', 'i4 = int_lt(i3, 0)', 'guard_false(i4) []'])).toBe(false);
    const below = ['i2 = int_le(i0, -9223372036854775806)', 'guard_true(i2) []'];
    expect(proved(below, ['i3 = int_sub(i0, 5)', 'i4 = int_lt(i3, 0)', 'guard_true(i4) []'])).toBe(false);
  });

  it('x + c from x + c\' only: not x * c, and not x + y beside a bounded x + c', () => {
    // i0 + 3 in [0, 10] says i0 is in [-3, 7], so i0 * 2 is in [-6, 14], not within [-1, 9].
    const offset = ['i2 = int_add(i0, 3)', 'i3 = int_ge(i2, 0)', 'guard_true(i3) []', 'i6 = int_le(i2, 10)', 'guard_true(i6) []'];
    expect(proved(offset, ['i4 = int_mul(i0, 2)', 'i5 = int_lt(i4, 10)', 'guard_true(i5) []'])).toBe(false);
    // A sum of two terms is the exact interval of their intervals, whatever else is known of i0.
    const sum = [...offset, ...between('0', 0, 5), ...between('1', 0, 5)];
    expect(proved(sum, ['i4 = int_add(i0, i1)', 'i5 = int_lt(i4, 11)', 'guard_true(i5) []'])).toBe(true);
    // A bounded sum of two terms is no offset of either: with i0 + i1 <= 100, i0 + 5 still has
    // i0's own interval moved by 5.
    const pair = ['i2 = int_add(i0, i1)', 'i3 = int_le(i2, 100)', 'guard_true(i3) []', ...between('0', 0, 5)];
    expect(proved(pair, ['i4 = int_add(i0, 5)', 'i5 = int_lt(i4, 11)', 'guard_true(i5) []'])).toBe(true);
  });

  it('x + c pinned to one value by a bounded x + c\'', () => {
    // i0 + 3 in [5, 5]: i0 + 5 is 7.
    const pinned = ['i2 = int_add(i0, 3)', 'i3 = int_ge(i2, 5)', 'guard_true(i3) []', 'i6 = int_le(i2, 5)', 'guard_true(i6) []'];
    expect(proved(pinned, ['i4 = int_add(i0, 5)', 'i5 = int_eq(i4, 7)', 'guard_true(i5) []'])).toBe(true);
    // i0 + 10 <= 11 first, then i0 in [1, 3]: the sum's stored end and its one-step interval meet at 11.
    const met = ['i2 = int_add(i0, 10)', 'i3 = int_le(i2, 11)', 'guard_true(i3) []', ...between('0', 1, 3)];
    expect(proved(met, ['i5 = int_eq(i2, 11)', 'guard_true(i5) []'])).toBe(true);
  });

  it('equality from intervals only when both are one and the same value', () => {
    const eq = ['i3 = int_eq(i0, i1)', 'guard_true(i3) []'];
    // The same lower end is not enough, on either side.
    expect(proved([...between('0', 5, 7), ...between('1', 5, 9)], eq)).toBe(false);
    expect(proved([...between('0', 7, 9), ...between('1', 7, 7)], eq)).toBe(false);
    expect(proved([...between('0', 7, 7), ...between('1', 7, 9)], eq)).toBe(false);
  });

  it('x + c from x + c\' up to the ends of int64, and the tighter of the two ends', () => {
    // i0 + 1 in [MIN + 2, 0]: i0 - 1 is in [MIN, -2], reaching MIN exactly.
    const low = ['i2 = int_add(i0, 1)', 'i3 = int_ge(i2, -9223372036854775806)', 'guard_true(i3) []', 'i6 = int_le(i2, 0)', 'guard_true(i6) []'];
    expect(proved(low, ['i4 = int_sub(i0, 1)', 'i5 = int_lt(i4, -1)', 'guard_true(i5) []'])).toBe(true);
    // i0 - 1 in [0, MAX - 2]: i0 + 1 is in [2, MAX], reaching MAX exactly.
    const high = ['i2 = int_sub(i0, 1)', 'i3 = int_ge(i2, 0)', 'guard_true(i3) []', 'i6 = int_le(i2, 9223372036854775805)', 'guard_true(i6) []'];
    expect(proved(high, ['i4 = int_add(i0, 1)', 'i5 = int_lt(1, i4)', 'guard_true(i5) []'])).toBe(true);
    // i0 in [-5, 95] and i0 + 3 in [0, 100]: i0 + 5 is in [2, 100], each end the tighter one
    // (the low end from i0 + 3, 2 rather than 0; the high end from i0, 100 rather than 102).
    const both = ['i2 = int_add(i0, 3)', 'i3 = int_ge(i2, 0)', 'guard_true(i3) []', 'i6 = int_le(i2, 100)', 'guard_true(i6) []', ...between('0', -5, 95)];
    expect(proved(both, ['i4 = int_add(i0, 5)', 'i5 = int_lt(1, i4)', 'guard_true(i5) []'])).toBe(true);
    expect(proved(both, ['i4 = int_add(i0, 5)', 'i5 = int_lt(2, i4)', 'guard_true(i5) []'])).toBe(false);
    expect(proved(both, ['i4 = int_add(i0, 5)', 'i5 = int_lt(i4, 101)', 'guard_true(i5) []'])).toBe(true);
    expect(proved(both, ['i4 = int_add(i0, 5)', 'i5 = int_lt(i4, 100)', 'guard_true(i5) []'])).toBe(false);
  });

  it('and: the smaller upper end only when both operands are >= 0, either one >= 0 when only one is', () => {
    const cond = (c: string) => ['i3 = int_and(i0, i1)', `i4 = ${c}`, 'guard_true(i4) []'];
    // i0 in [0, 9], i1 in [0, 3]: i0 & i1 <= 3.
    expect(proved([...between('0', 0, 9), ...between('1', 0, 3)], cond('int_lt(i3, 4)'))).toBe(true);
    // i0 in [0, 7], i1 in [-8, -1]: i0 & i1 is in [0, 7] (i0 & -1 is i0), not below 0.
    expect(proved([...between('0', 0, 7), ...between('1', -8, -1)], cond('int_lt(i3, 0)'))).toBe(false);
    expect(proved([...between('0', 0, 7), ...between('1', -8, -1)], cond('int_lt(i3, 8)'))).toBe(true);
    // i0 in [-8, -1], i1 in [0, 5]: i0 & i1 is in [0, 5].
    expect(proved([...between('0', -8, -1), ...between('1', 0, 5)], cond('int_lt(i3, 6)'))).toBe(true);
  });

  it('a condition a guard already decided, added again, leaves the path running', () => {
    // The second i0 < 5 normalizes to 1: no contradiction, so i1 < 0 still needs proving.
    const twice = ['i2 = int_lt(i0, 5)', 'guard_true(i2) []', 'i3 = int_lt(i0, 5)', 'guard_true(i3) []'];
    expect(proved(twice, ['i5 = int_lt(i1, 0)', 'guard_true(i5) []'])).toBe(false);
    const failedTwice = ['i2 = int_lt(i0, 5)', 'guard_false(i2) []', 'i3 = int_lt(i0, 5)', 'guard_false(i3) []'];
    expect(proved(failedTwice, ['i5 = int_lt(i1, 0)', 'guard_true(i5) []'])).toBe(false);
  });

  it('an empty interval is an infeasible path: i0 < 0 and i0 > 0', () => {
    // The second guard always fails on the path where the first passed: what follows is unreachable.
    const input = trace('[i0]\ni1 = int_lt(i0, 0)\nguard_true(i1) []\ni2 = int_gt(i0, 0)\nguard_true(i2) []\ni3 = int_lt(i0, 7)\nguard_true(i3) []\nfinish()\n', 'in.trace');
    const optimized = trace('[i0]\ni1 = int_lt(i0, 0)\nguard_true(i1) []\ni2 = int_gt(i0, 0)\nguard_true(i2) []\nfinish()\n', 'out.trace');
    expect(validateTraces(input, optimized).verdict).toBe('proved');
  });
});

describe('the intervals, asked of the facts directly', () => {
  // Through a whole validation, the search for a concrete counterexample finds a wrapping sum at
  // MIN first; asked directly, the facts must not claim what only an unwrapped sum would satisfy.
  it('a sum that may wrap below MIN has no interval: i0 <= MIN + 10 does not bound i0 - 5 above', () => {
    const T = new Terms();
    const F = new Facts(T);
    const i0 = T.sym('i0', 'int');
    const MIN = -(1n << 63n);
    F.add({ term: T.op('int_lt', [T.int(MIN + 10n), i0]), positive: false });
    // Unwrapped, i0 - 5 would lie in [MIN - 5, MIN + 5]; at i0 = MIN it wraps to MAX - 4.
    const sum = T.op('int_add', [i0, T.int(-5n)]);
    expect(F.holds({ term: T.op('int_lt', [sum, T.int(MIN + 6n)]), positive: true })).toBe(null);
    // Within int64 it has one: for i0 in [MIN + 5, MIN + 7], i0 - 5 is in [MIN, MIN + 2].
    const G = new Facts(T);
    G.add({ term: T.op('int_lt', [i0, T.int(MIN + 5n)]), positive: false });
    G.add({ term: T.op('int_lt', [T.int(MIN + 7n), i0]), positive: false });
    expect(G.holds({ term: T.op('int_lt', [sum, T.int(MIN + 3n)]), positive: true })).toBe(true);
    expect(G.holds({ term: T.op('int_lt', [sum, T.int(MIN + 2n)]), positive: true })).toBe(null);
  });

  it('two terms each pinned to a value are equal just when the values are', () => {
    const T = new Terms();
    const i0 = T.sym('i0', 'int');
    const i1 = T.sym('i1', 'int');
    const pinned = (x: Term, v: bigint, F: Facts) => {
      F.add({ term: T.op('int_lt', [x, T.int(v)]), positive: false });
      F.add({ term: T.op('int_lt', [T.int(v), x]), positive: false });
    };
    const F = new Facts(T);
    pinned(i0, 7n, F);
    pinned(i1, 8n, F);
    expect(F.contradiction).toBe(false);
    expect(F.holds({ term: T.op('int_eq', [i0, i1]), positive: true })).toBe(false);
    const G = new Facts(T);
    pinned(i0, 7n, G);
    pinned(i1, 7n, G);
    expect(G.holds({ term: T.op('int_eq', [i0, i1]), positive: true })).toBe(true);
  });
});
