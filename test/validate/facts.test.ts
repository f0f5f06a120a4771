/**
 * The path facts (src/validate/facts.ts) and the solver behind them: a guard of the input trace
 * that the optimized trace drops is fine when the path implies it, and what the syntactic facts
 * cannot decide the solver (z3) is asked, with every condition of the path.
 */
import { describe, expect, it } from 'vitest';
import { validateTraces, validateTracesWithSolver } from '../../src/cli/validate.ts';
import { parseTrace } from '../../src/text/index.ts';
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

  it('is proved by the solver from an earlier guard: i0 < 5 implies i0 < 10', async () => {
    const input = trace('[i0]\ni1 = int_lt(i0, 5)\nguard_true(i1) []\ni2 = int_lt(i0, 10)\nguard_true(i2) []\nfinish()\n', 'two-bounds.trace');
    const optimized = trace('[i0]\ni1 = int_lt(i0, 5)\nguard_true(i1) []\nfinish()\n', 'one-bound.trace');
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
