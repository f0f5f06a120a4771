/**
 * One trace per validator invariant (the list V1..V12 in src/ir/validate.ts), read from text:
 * each must be rejected with the invariant's message, pointing at the offending line and column:
 * the offending operand, exit value, field or input-set item, not the start of its line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseError } from './helpers.ts';

type Case = readonly [what: string, source: string, message: string, line: number, col: number];

const invariants: Record<string, readonly Case[]> = {
  V1: [
    ['a class declared twice', 'class A(x: int)\nclass A(y: int)\n[]\nfinish()', 'class A is declared twice', 2, 1],
    ['a field declared twice', 'class A(x: int, x: float)\n[]\nfinish()', 'class A declares field x twice', 1, 17],
  ],
  V2: [
    ['an input listed twice', '[i0, i0]\nfinish()', 'i0 is defined twice', 1, 6],
    ['a result defined twice', '[i0]\ni1 = int_neg(i0)\ni1 = int_neg(i0)\nfinish()', 'i1 is defined twice', 3, 1],
  ],
  V3: [['a use before the definition', '[i0]\ni1 = int_add(i2, 1)\ni2 = int_neg(i0)\nfinish()', 'int_add: i2 is used before it is defined', 2, 14]],
  V4: [
    ['an operand of the wrong type', '[p0]\ni1 = int_add(p0, 1)\nfinish()', 'int_add: operand 1 must be int, got ref p0', 2, 14],
    ['a result named for another type', '[i0]\np1 = int_add(i0, 1)\nfinish()', 'the result of int_add p1 is int, but its name says ref', 2, 1],
    ['guard_value across types', '[i0, f1]\nguard_value(i0, f1)\nfinish()', 'guard_value compares an int with a float', 2, 17],
    ['setfield with a value of the wrong type', 'class A(x: int)\n[p0]\nsetfield(p0, x, 1.5)\nfinish()', 'setfield: the stored value must be int, got float 1.5', 3, 17],
  ],
  V5: [
    ['an unknown class', '[]\np0 = new(Missing)\nfinish()', 'new: unknown class Missing', 2, 10],
    ['an unknown field of a known class', 'class A(x: int)\n[p0]\ni1 = getfield(p0, A.y)\nfinish()', 'getfield: class A has no field y', 3, 19],
  ],
  V6: [
    ['a value op without a result', '[i0]\nint_add(i0, 1)\nfinish()', 'int_add produces an int; give it a name (x = int_add(…))', 2, 1],
    ['a void op with a result', '[i0]\ni1 = escape(i0)\nfinish()', 'escape produces no value, but defines i1', 2, 1],
  ],
  V7: [
    ['fail args on an op that is no guard', '[i0]\nescape(i0) [i0]\nfinish()', 'escape cannot carry fail args: only guards and label do', 2, 12],
    ['a virtual that is not described', 'class A(x: int)\n[i0]\nguard_true(i0) [$0, $1] with $0 = A{x: 1}\nfinish()', 'guard_true: exit value 2 refers to $1, which is not described', 3, 21],
    ['a fail arg not yet defined', '[i0]\nguard_true(i0) [i1]\ni1 = int_neg(i0)\nfinish()', 'guard_true: i1 is used before it is defined', 2, 17],
    ['a virtual field of the wrong type', 'class A(x: int)\n[i0, p1]\nguard_true(i0) [$0] with $0 = A{x: p1}\nfinish()', 'guard_true: $0.x must be int, got ref p1', 3, 36],
    ['a virtual of an unknown class', '[i0]\nguard_true(i0) [$0] with $0 = B{}\nfinish()', 'guard_true: $0 has unknown class B', 2, 26],
  ],
  V8: [
    ['an *_ovf op without its guard', '[i0]\ni1 = int_add_ovf(i0, 1)\nfinish(i1)', 'int_add_ovf must be followed immediately by guard_no_overflow or guard_overflow', 2, 1],
    ['an overflow guard without its op', '[i0]\ni1 = int_add(i0, 1)\nguard_no_overflow()\nfinish(i1)', 'guard_no_overflow must follow an int_*_ovf op immediately', 3, 1],
  ],
  V9: [
    ['a jump in the middle', '[i0]\njump(i0)\nescape(i0)', 'jump must be the last op of the trace', 2, 1],
    ['no jump or finish at the end', '[i0]\nescape(i0)', 'the trace must end with jump or finish, not escape', 2, 1],
    ['no ops at all', 'class A()\n[]\n', 'a trace needs at least one op: it must end with jump or finish', 3, 1],
  ],
  V10: [
    ['two labels', '[i0]\nlabel(i0)\nlabel(i0)\njump(i0)', 'a trace has at most one label', 3, 1],
    ['a label listing a variable twice', '[i0]\nlabel(i0, i0)\njump(i0, i0)', 'label lists i0 twice', 2, 11],
    ['a label with a constant', '[i0]\nlabel(i0, 1)\njump(i0, 1)', 'label arguments must be variables, got 1', 2, 11],
    ['a jump with the wrong arity', '[i0, p1]\njump(i0)', 'jump passes 1 value(s), the inputs take 2', 2, 1],
    ['a jump with an extra argument', '[i0]\njump(i0, i0)', 'jump passes 2 value(s), the inputs take 1', 2, 10],
    ['a jump with the wrong types', '[i0]\nf1 = cast_int_to_float(i0)\nlabel(i0)\njump(f1)', 'jump argument 1 is float, the label expects int (i0)', 4, 6],
    ['a label exit of the wrong type', '[i0, p1]\nlabel(i0) [i0, i0]\njump(i0)', 'label rebuilds loop argument 2 as int, input p1 is ref', 2, 16],
    ['a label exit of the wrong arity', '[i0, p1]\nlabel(i0) [i0]\njump(i0)', 'label rebuilds 1 loop argument(s), the trace has 2 input(s)', 2, 11],
  ],
  V11: [
    ['an input set with too few values', '[i0, p1]\nfinish()\ninput short [1]', 'input short gives 1 value(s), the trace has 2 input(s)', 3, 7],
    ['an input set value of the wrong type', '[i0]\nfinish()\n\n  input typed [1.5]', 'input typed: i0 must be int, got float', 4, 16],
    ['an object that is not described', '[p0]\nfinish()\ninput dangling [@a]', 'input dangling: @a is not described', 3, 17],
    ['an object described twice', '[p0]\nfinish()\ninput twice [@a] with @a = int[], @a = int[1]', 'input twice: @a is described twice', 3, 35],
    ['an object field of the wrong type', 'class A(x: int)\n[p0]\nfinish()\ninput bad [@a] with @a = A{x: null}', 'input bad: @a.x must be int, got ref', 4, 31],
    ['an input set with too many values', '[i0]\nfinish()\ninput long [1, 2]', 'input long gives 2 value(s), the trace has 1 input(s)', 3, 16],
    ['an object field its class lacks', 'class A(x: int)\n[p0]\nfinish()\ninput bad [@a] with @a = A{y: 1}', 'input bad: class A has no field y (in @a)', 4, 28],
    ['an object of an unknown class', '[p0]\nfinish()\ninput bad [@a] with @a = B{}', 'input bad: @a has unknown class B', 3, 21],
    ['an undescribed object in a field', 'class A(next: ref)\n[p0]\nfinish()\ninput bad [@a] with @a = A{next: @b}', 'input bad: @b is not described', 4, 34],
    ['an array item of the wrong type', '[p0]\nfinish()\ninput bad [@a] with @a = int[1, 2.5]', 'input bad: @a[1] must be int, got float', 3, 33],
    ['two input sets of the same name', '[i0]\nfinish()\ninput a [1]\n\ninput a [2]', 'there are two input sets named a (the first at line 3)', 5, 7],
  ],
  V12: [
    ['an operand naming no prebuilt object', 'class A(x: int)\n[]\ni0 = getfield(@a, x)\nfinish(i0)', 'getfield: @a is not a prebuilt object (the trace declares none: `prebuilt @name = Class{…}`)', 3, 15],
    ['a fail arg naming no prebuilt object', 'class A(x: int)\nprebuilt @a = A{}\n[i0]\nguard_true(i0) [@b]\nfinish()', 'guard_true: @b is not a prebuilt object (the trace declares @a)', 4, 17],
    ['a prebuilt object as an int', 'class A(x: int)\nprebuilt @a = A{}\n[]\ni0 = int_add(@a, 1)\nfinish(i0)', 'int_add: operand 1 must be int, got ref @a', 4, 14],
    ['a prebuilt object declared twice', 'class A(x: int)\nprebuilt @a = A{}, @a = A{x: 1}\n[]\nfinish()', 'prebuilt object @a is declared twice', 2, 20],
    ['a prebuilt object of an unknown class', 'prebuilt @a = B{}\n[]\nfinish()', 'prebuilt: @a has unknown class B', 1, 10],
    ['a prebuilt field its class lacks', 'class A(x: int)\nprebuilt @a = A{y: 1}\n[]\nfinish()', 'prebuilt: class A has no field y (in @a)', 2, 17],
    ['a prebuilt field of the wrong type', 'class A(x: int)\nprebuilt @a = A{x: 1.5}\n[]\nfinish()', 'prebuilt @a.x must be int, got float', 2, 20],
    ['a prebuilt object pointing at no prebuilt object', 'class A(next: ref)\nprebuilt @a = A{next: @b}\n[]\nfinish()', 'prebuilt @a.next: @b is not a prebuilt object (a prebuilt object can only point at prebuilt objects)', 2, 23],
    ['a prebuilt array item of the wrong type', 'prebuilt @t = int[1, null]\n[]\nfinish()', 'prebuilt @t[1] must be int, got ref', 1, 22],
    ['a setfield of a prebuilt with a value of the wrong type', 'class A(x: int)\nprebuilt @a = A{}\n[]\nsetfield(@a, x, @a)\nfinish()', 'setfield: the stored value must be int, got ref @a', 4, 17],
    ['an input set object reusing a prebuilt name', 'class A(x: int)\nprebuilt @a = A{}\n[p0]\nfinish()\ninput s [@a] with @a = A{}', 'input s: @a is the name of a prebuilt object; give the input set\'s object another name', 5, 19],
  ],
};

describe('validator invariants, from text', () => {
  for (const [invariant, cases] of Object.entries(invariants)) {
    for (const [what, source, message, line, col] of cases) {
      it(`${invariant}: rejects ${what}`, () => {
        const err = parseError(source);
        expect(err.what).toBe('validation');
        expect(err.message).toBe(message);
        expect(err.loc).toEqual({ line, col });
      });
    }
  }

  it("has cases for every invariant the validator's header states", () => {
    const header = readFileSync(new URL('../../src/ir/validate.ts', import.meta.url), 'utf8');
    const stated = [...header.matchAll(/^ \*  (V[0-9]+) /gm)].map((m) => m[1]);
    expect(stated).toHaveLength(12);
    expect(Object.keys(invariants)).toEqual(stated);
  });
});
