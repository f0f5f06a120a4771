/**
 * The exit comparison (src/validate/compare.ts), through the validator: each kind of difference
 * between an input trace and a wrong optimized trace is a `suspect` whose reason names the exit,
 * the value, the path to it (escape argument, field, item) and the two sides' values, as
 * `boxless validate` prints it.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/text/index.ts';
import { validateSymbolically } from '../../src/validate/validate.ts';

const CLASSES = 'class Box(v: int)\nclass Pair(a: ref, b: int)\n';

/** The reason of the verdict on `input` → `optimized` (both with CLASSES), which must be a suspect. */
function reason(input: string, optimized: string): string {
  const v = validateSymbolically(parseTrace(CLASSES + input, 'input.trace'), parseTrace(CLASSES + optimized, 'optimized.trace'), { maxArrayLength: 1000 });
  expect(v.kind).toBe('suspect');
  return v.kind === 'suspect' ? v.reason : '';
}

describe('a difference at an exit is named', () => {
  it('the number of escape calls, of their arguments and of exit values', () => {
    expect(reason('[i0]\nescape(i0)\nfinish(i0)\n', '[i0]\nfinish(i0)\n')).toBe('at finish: 1 escape call(s) in the input trace, 0 in the optimized trace');
    expect(reason('[i0]\nescape(i0)\nfinish(i0)\n', '[i0]\nescape(i0, i0)\nfinish(i0)\n')).toBe(
      'escape #1 of this iteration (before finish): 1 argument(s) in the input trace, 2 in the optimized trace',
    );
    expect(reason('[i0]\nfinish(i0)\n', '[i0]\nfinish(i0, i0)\n')).toBe('finish: 1 value(s) in the input trace, 2 in the optimized trace');
  });

  it('an escape argument, and what it reaches at the call and at the exit', () => {
    expect(reason('[i0]\nescape(i0)\nfinish(i0)\n', '[i0]\nescape(1)\nfinish(i0)\n')).toBe(
      'escape #1 of this iteration (before finish), argument 1: i0 in the input trace, 1 in the optimized trace',
    );
    expect(reason('[p0]\np1 = new(Box)\nsetfield(p1, v, 1)\nescape(p1)\nfinish()\n', '[p0]\np1 = new(Box)\nsetfield(p1, v, 2)\nescape(p1)\nfinish()\n')).toBe(
      'escape #1 of this iteration (before finish), argument 1 → field Box.v: 1 in the input trace, 2 in the optimized trace',
    );
    expect(
      reason('[p0]\np1 = new(Box)\nsetfield(p1, v, 1)\nescape(p1)\nsetfield(p1, v, 3)\nfinish()\n', '[p0]\np1 = new(Box)\nsetfield(p1, v, 1)\nescape(p1)\nsetfield(p1, v, 4)\nfinish()\n'),
    ).toBe('the heap at finish, escape #1 argument 1 → field Box.v: 3 in the input trace, 4 in the optimized trace');
  });

  it('a field or item of an input object written differently', () => {
    expect(reason('[p0]\nsetfield(p0, v, 1)\nfinish()\n', '[p0]\nsetfield(p0, v, 2)\nfinish()\n')).toBe('the heap at finish: p0.v: 1 in the input trace, 2 in the optimized trace');
    expect(reason('[p0]\nsetarrayitem(p0, 1, 1)\nfinish()\n', '[p0]\nsetarrayitem(p0, 1, 2)\nfinish()\n')).toBe('the heap at finish: p0.[1]: 1 in the input trace, 2 in the optimized trace');
    // A field written on one side only: the other side reads it as it was, of the field's type
    // (the second field of Pair, whose first is a ref).
    expect(reason('[p0]\nsetfield(p0, b, 1)\nfinish()\n', '[p0]\nfinish()\n')).toBe('the heap at finish: p0.b: 1 in the input trace, p0.Pair.b in the optimized trace');
    // Items at two indexes are two places: the second is compared too.
    expect(reason('[p0]\nsetarrayitem(p0, 1, 1)\nsetarrayitem(p0, 2, 5)\nfinish()\n', '[p0]\nsetarrayitem(p0, 1, 1)\nsetarrayitem(p0, 2, 6)\nfinish()\n')).toBe(
      'the heap at finish: p0.[2]: 5 in the input trace, 6 in the optimized trace',
    );
  });

  it('values of another type, other input objects, an object for null', () => {
    expect(reason('[i0]\nfinish(i0)\n', '[i0]\nf1 = cast_int_to_float(i0)\nfinish(f1)\n')).toBe('finish, value 1: a int in the input trace, a float in the optimized trace');
    expect(reason('[p0, p1]\nfinish(p0)\n', '[p0, p1]\nfinish(p1)\n')).toBe('finish, value 1: p0 in the input trace, p1 in the optimized trace (different objects)');
    expect(reason('[i0]\np1 = new(Box)\nfinish(p1)\n', '[i0]\nfinish(null)\n')).toBe('finish, value 1: new#in0:Box in the input trace, null in the optimized trace');
    // An input object may be null: null for it is a difference, but not one of "different objects".
    expect(reason('[p0]\nfinish(p0)\n', '[p0]\nfinish(null)\n')).toBe('finish, value 1: p0 in the input trace, null in the optimized trace');
    expect(reason('[p0]\nfinish(null)\n', '[p0]\nfinish(p0)\n')).toBe('finish, value 1: null in the input trace, p0 in the optimized trace');
  });

  it('two different ints, without splitting the proof on whether they are equal', () => {
    // Alias cases are for objects (and indexes); i0 = i1 is no case to explore.
    const v = validateSymbolically(parseTrace(`${CLASSES}[i0, i1]\nfinish(i0)\n`, 'input.trace'), parseTrace(`${CLASSES}[i0, i1]\nfinish(i1)\n`, 'optimized.trace'));
    expect(v).toEqual({ kind: 'suspect', reason: 'finish, value 1: i0 in the input trace, i1 in the optimized trace', phase: 'the first iteration', decisions: [] });
  });

  it('allocated objects: class, array length and element type, sharing, items', () => {
    expect(reason('[i0]\np1 = new(Box)\nfinish(p1)\n', '[i0]\np1 = new(Pair)\nfinish(p1)\n')).toBe('finish, value 1: a Box in the input trace, a Pair in the optimized trace');
    expect(reason('[i0]\np1 = new_array(2, int)\nfinish(p1)\n', '[i0]\np1 = new(Box)\nfinish(p1)\n')).toBe('finish, value 1: an array of int in the input trace, a Box in the optimized trace');
    expect(reason('[i0]\np1 = new_array(2, int)\nfinish(p1)\n', '[i0]\np1 = new_array(1, int)\nfinish(p1)\n')).toBe(
      'finish, value 1: an array of length 2 in the input trace, of length 1 in the optimized trace',
    );
    expect(reason('[i0]\np1 = new(Box)\np2 = new(Box)\nfinish(p1, p2)\n', '[i0]\np1 = new(Box)\nfinish(p1, p1)\n')).toBe(
      'finish, value 2: the objects are shared differently in the input trace and in the optimized trace',
    );
    expect(reason('[i0]\np1 = new(Box)\nfinish(p1, p1)\n', '[i0]\np1 = new(Box)\np2 = new(Box)\nfinish(p1, p2)\n')).toBe(
      'finish, value 2: the objects are shared differently in the input trace and in the optimized trace',
    );
    expect(reason('[i0]\np1 = new_array(2, int)\nsetarrayitem(p1, 1, i0)\nfinish(p1)\n', '[i0]\np1 = new_array(2, int)\nsetarrayitem(p1, 1, 5)\nfinish(p1)\n')).toBe(
      'finish, value 1 → item 1: i0 in the input trace, 5 in the optimized trace',
    );
  });

  it('an item written at an unknown index of an array of unknown length', () => {
    // The items compared are those either side wrote, named by the index term.
    expect(
      reason('[i0]\np3 = new_array(i0, int)\nsetarrayitem(p3, 1, 1)\nfinish(p3)\n', '[i0]\np3 = new_array(i0, int)\nsetarrayitem(p3, 1, 2)\nfinish(p3)\n'),
    ).toMatch(/^finish, value 1 → item #-?[0-9]+: 1 in the input trace, 2 in the optimized trace$/);
  });

  it('a guard exit and the fuel exit at the back-edge', () => {
    expect(reason('[i0]\ni1 = int_lt(i0, 3)\nguard_true(i1) [i0]\nfinish(i0)\n', '[i0]\ni1 = int_lt(i0, 3)\nguard_true(i1) [1]\nfinish(i0)\n')).toBe(
      'guard 0, value 1: i0 in the input trace, 1 in the optimized trace',
    );
    expect(reason('[i0]\ni1 = int_add(i0, 1)\njump(i1)\n', '[i0]\ni1 = int_add(i0, 2)\njump(i1)\n')).toBe(
      'at the back-edge (a fuel exit there): the fuel exit, value 1: int_add(i0, 1) in the input trace, int_add(i0, 2) in the optimized trace',
    );
  });
});

describe('what the comparison accepts', () => {
  const verdict = (input: string, optimized: string) =>
    validateSymbolically(parseTrace(CLASSES + input, 'input.trace'), parseTrace(CLASSES + optimized, 'optimized.trace'), { maxArrayLength: 1000 }).kind;

  it('two input objects a guard made the same, in either guard', () => {
    expect(verdict('[p0, p1]\ni2 = ptr_eq(p0, p1)\nguard_true(i2) []\nfinish(p0)\n', '[p0, p1]\ni2 = ptr_eq(p0, p1)\nguard_true(i2) []\nfinish(p1)\n')).toBe('proved');
    expect(verdict('[p0, p1]\nguard_value(p0, p1) []\nfinish(p0)\n', '[p0, p1]\nguard_value(p0, p1) []\nfinish(p1)\n')).toBe('proved');
  });

  it('allocations made in another order, and an object that holds itself', () => {
    expect(verdict('[i0]\np1 = new(Box)\np2 = new(Box)\nsetfield(p2, v, 1)\nfinish(p1, p2)\n', '[i0]\np2 = new(Box)\nsetfield(p2, v, 1)\np1 = new(Box)\nfinish(p1, p2)\n')).toBe('proved');
    expect(verdict('[i0]\np1 = new(Pair)\nsetfield(p1, a, p1)\nfinish(p1)\n', '[i0]\np1 = new(Pair)\nsetfield(p1, a, p1)\nfinish(p1)\n')).toBe('proved');
  });

  it('but not a difference two fields down, named by its path', () => {
    expect(reason('[i0]\np1 = new(Pair)\np2 = new(Box)\nsetfield(p1, a, p2)\nfinish(p1)\n', '[i0]\np1 = new(Pair)\np2 = new(Box)\nsetfield(p1, a, p2)\nsetfield(p2, v, 1)\nfinish(p1)\n')).toBe(
      'finish, value 1 → field Pair.a → field Box.v: 0 in the input trace, 1 in the optimized trace',
    );
  });
});

describe('an array in resume data against one of a length the guards fix', () => {
  // The input trace's array has a variable length that a guard fixes to 2; the optimized trace's
  // materialized array has two numbered items. Its items are compared by number, not by the index
  // terms written (whose keys a materialized array cannot read).
  it('gets a verdict, not an exception', () => {
    const input = `${CLASSES}[i0, i1]\nguard_value(i0, 2) []\np1 = new_array(i0, int)\nsetarrayitem(p1, 1, i1)\nguard_true(i1) [p1]\nfinish()\n`;
    const optimized = `${CLASSES}[i0, i1]\nguard_value(i0, 2) []\nguard_true(i1) [$0] with $0 = int[0, i1]\nfinish()\n`;
    const v = validateSymbolically(parseTrace(input, 'input.trace'), parseTrace(optimized, 'optimized.trace'), { maxArrayLength: 1000 });
    expect(v.kind).toBe('proved');
    const wrong = `[i0, i1]\nguard_value(i0, 2) []\nguard_true(i1) [$0] with $0 = int[0, 7]\nfinish()\n`;
    expect(reason(input.slice(CLASSES.length), wrong)).toBe('guard 1, value 1 → item 1: 0 in the input trace, 7 in the optimized trace');
  });
});
