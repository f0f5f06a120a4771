/**
 * Every op on wasm, on hand-written traces, with the expected values written down here (not
 * taken from the reference: the backend is meant to catch the reference's own mistakes too),
 * and, for every case, the same outcome as the reference. Edge cases: int64 MIN / -1, division
 * and modulo by zero and with mixed signs, shifts by 64 or more, overflow, NaN, -0.0, infinities,
 * saturating float-to-int.
 */
import { describe, expect, it } from 'vitest';
import type { Outcome, RtValue } from '../../src/ir/index.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';
import { parseTrace } from '../../src/text/index.ts';
import { runWasm } from '../../src/wasm/index.ts';

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

/** Runs every input set of `text` on wasm, checks it against the reference, returns the outcomes. */
function run(text: string, fuel = 1000): Outcome[] {
  const trace = parseTrace(text, 'ops.test.trace');
  return trace.inputSets.map((input) => {
    const actual = runWasm(trace, input, { fuel });
    const comparison = compareOutcomes(runReference(trace, input, { fuel }), actual, { expected: 'reference', actual: 'wasm' });
    expect(comparison, `input ${input.name}`).toEqual({ ok: true });
    return actual;
  });
}

const int = (value: bigint): RtValue => ({ kind: 'int', value });
const lit = (x: bigint | number): string =>
  typeof x === 'bigint' ? String(x) : Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : Object.is(x, -0) ? '-0.0' : Number.isInteger(x) ? `${x}.0` : String(x);

/** `r = op(a, b)` on variables and, separately, with b as a constant; returns the finish value. */
function binary(op: string, a: bigint | number, b: bigint | number, letters = 'ii', result = 'i'): RtValue[] {
  const [la, lb] = letters;
  const onVars = `[${la}0, ${lb}1]\n${result}2 = ${op}(${la}0, ${lb}1)\nfinish(${result}2)\ninput t [${lit(a)}, ${lit(b)}]`;
  const onConst = `[${la}0]\n${result}2 = ${op}(${la}0, ${lit(b)})\nfinish(${result}2)\ninput t [${lit(a)}]`;
  return [run(onVars)[0]!.values[0]!, run(onConst)[0]!.values[0]!];
}

describe('int ops', () => {
  const cases: [string, bigint, bigint, bigint][] = [
    ['int_add', MAX, 1n, MIN],
    ['int_sub', MIN, 1n, MAX],
    ['int_mul', 2n ** 62n, 4n, 0n],
    ['int_mul', -3n, 7n, -21n],
    ['int_floordiv', 7n, 2n, 3n],
    ['int_floordiv', -7n, 2n, -4n],
    ['int_floordiv', 7n, -2n, -4n],
    ['int_floordiv', -7n, -2n, 3n],
    ['int_floordiv', -8n, 2n, -4n],
    ['int_floordiv', 5n, 0n, 0n],
    ['int_floordiv', MIN, -1n, MIN],
    ['int_floordiv', MIN, 2n, MIN / 2n],
    ['int_mod', 7n, 2n, 1n],
    ['int_mod', -7n, 2n, 1n],
    ['int_mod', 7n, -2n, -1n],
    ['int_mod', -7n, -2n, -1n],
    ['int_mod', 5n, 0n, 0n],
    ['int_mod', MIN, -1n, 0n],
    ['int_mod', MIN, 3n, 1n],
    ['int_and', 12n, 10n, 8n],
    ['int_or', 12n, 10n, 14n],
    ['int_xor', 12n, 10n, 6n],
    ['int_lshift', 1n, 64n, 1n],
    ['int_lshift', 1n, 65n, 2n],
    ['int_lshift', 1n, 63n, MIN],
    ['int_lshift', 1n, -1n, MIN],
    ['int_rshift', -8n, 1n, -4n],
    ['int_rshift', MIN, 63n, -1n],
    ['int_rshift', 256n, 72n, 1n],
    ['int_lt', -1n, 1n, 1n],
    ['int_lt', 1n, -1n, 0n],
    ['int_le', MIN, MIN, 1n],
    ['int_gt', MAX, MIN, 1n],
    ['int_ge', -2n, -1n, 0n],
    ['int_eq', 5n, 5n, 1n],
    ['int_ne', 5n, 5n, 0n],
  ];
  for (const [op, a, b, want] of cases) {
    it(`${op}(${a}, ${b}) = ${want}`, () => {
      for (const got of binary(op, a, b)) expect(got).toEqual(int(want));
    });
  }

  it('int_neg wraps: -MIN = MIN', () => {
    expect(run(`[i0]\ni1 = int_neg(i0)\nfinish(i1)\ninput t [${MIN}]\ninput u [5]`).map((o) => o.values[0])).toEqual([int(MIN), int(-5n)]);
  });
});

describe('overflow-checked ops', () => {
  const cases: [string, bigint, bigint, boolean][] = [
    ['int_add_ovf', MAX, 1n, true],
    ['int_add_ovf', MAX, -1n, false],
    ['int_add_ovf', MIN, -1n, true],
    ['int_sub_ovf', MIN, 1n, true],
    ['int_sub_ovf', 0n, MIN, true],
    ['int_sub_ovf', -1n, MIN, false],
    ['int_mul_ovf', MIN, -1n, true],
    ['int_mul_ovf', -1n, MIN, true],
    ['int_mul_ovf', -1n, MAX, false],
    ['int_mul_ovf', 2n ** 32n, 2n ** 31n, true],
    ['int_mul_ovf', -(2n ** 32n), 2n ** 31n, false],
    ['int_mul_ovf', 0n, MIN, false],
    ['int_mul_ovf', 3n, 5n, false],
  ];
  for (const [op, a, b, overflows] of cases) {
    it(`${op}(${a}, ${b}) ${overflows ? 'overflows' : 'does not overflow'}, and wraps`, () => {
      const wrapped = BigInt.asIntN(64, op === 'int_add_ovf' ? a + b : op === 'int_sub_ovf' ? a - b : a * b);
      const text = (guard: string) =>
        `[i0, i1]\ni2 = ${op}(i0, i1)\n${guard}() [i2]\nfinish(i2)\ninput t [${a}, ${b}]`;
      const [noOverflow] = run(text('guard_no_overflow'));
      const [overflow] = run(text('guard_overflow'));
      expect(noOverflow!.exit.kind).toBe(overflows ? 'guard' : 'finish');
      expect(overflow!.exit.kind).toBe(overflows ? 'finish' : 'guard');
      expect(noOverflow!.values).toEqual([int(wrapped)]);
    });
  }
});

/**
 * `int_add_ovf` / `int_sub_ovf` with a constant operand compile to one compare of the wrapped
 * result with the other operand (rules.ts): every constant below (both signs, 0, the bounds)
 * against every value near MIN, 0 and MAX, on both operand positions. Expected from exact
 * (BigInt) arithmetic: overflow iff the exact result leaves [MIN, MAX].
 */
describe('overflow-checked ops with a constant operand, near the bounds', () => {
  const constants = [1n, -1n, 100n, -100n, 2n ** 62n, -(2n ** 62n), MAX, MIN, 0n];
  const values = [MIN, MIN + 1n, MIN + 99n, MIN + 100n, -(2n ** 62n), -1n, 0n, 1n, 2n ** 62n, MAX - 100n, MAX - 99n, MAX - 1n, MAX];
  const shapes: [string, 'int_add_ovf' | 'int_sub_ovf', (x: string, c: bigint) => [string, string]][] = [
    ['x + c', 'int_add_ovf', (x, c) => [x, String(c)]],
    ['c + x', 'int_add_ovf', (x, c) => [String(c), x]],
    ['x - c', 'int_sub_ovf', (x, c) => [x, String(c)]],
    ['c - x', 'int_sub_ovf', (x, c) => [String(c), x]],
  ];
  for (const [shape, op, operands] of shapes) {
    for (const c of constants) {
      it(`${shape} with c = ${c}`, () => {
        const [a, b] = operands('i0', c);
        const exact = (x: bigint) => (shape === 'x + c' || shape === 'c + x' ? x + c : shape === 'x - c' ? x - c : c - x);
        const text = (guard: string) =>
          `[i0]\ni1 = ${op}(${a}, ${b})\n${guard}() [i0, i1]\nfinish(i1)\n${values.map((x, k) => `input v${k} [${x}]`).join('\n')}`;
        const noOverflow = run(text('guard_no_overflow'));
        const overflow = run(text('guard_overflow'));
        values.forEach((x, k) => {
          const overflows = exact(x) < MIN || exact(x) > MAX;
          expect(noOverflow[k]!.exit.kind, `${shape}, x = ${x}`).toBe(overflows ? 'guard' : 'finish');
          expect(overflow[k]!.exit.kind, `${shape}, x = ${x}`).toBe(overflows ? 'finish' : 'guard');
          expect(noOverflow[k]!.values.at(-1), `${shape}, x = ${x}`).toEqual(int(BigInt.asIntN(64, exact(x))));
        });
      });
    }
  }
});

/**
 * A compare whose result only feeds the guard after it leaves its i32 for the guard (rules.ts,
 * `feedsNextGuardOnly`); one whose result is also a fail arg, or read later, is materialized.
 * Both shapes, both guards, every int compare on less / equal / greater, every float compare
 * with NaN too.
 */
describe('compares feeding a guard', () => {
  const intPairs: [bigint, bigint][] = [[MIN, MAX], [5n, 5n], [MAX, -1n]];
  const floatPairs: [number, number][] = [[-0, 0], [1.5, -2], [NaN, 1], [-Infinity, Infinity]];
  const truth: Record<string, (a: number | bigint, b: number | bigint) => boolean> = {
    lt: (a, b) => a < b,
    le: (a, b) => a <= b,
    eq: (a, b) => a == b,
    ne: (a, b) => a != b,
    gt: (a, b) => a > b,
    ge: (a, b) => a >= b,
  };
  for (const [kind, letter, pairs] of [['int', 'i', intPairs], ['float', 'f', floatPairs]] as const) {
    for (const [name, holds] of Object.entries(truth)) {
      for (const guard of ['guard_true', 'guard_false']) {
        for (const failArgs of ['[i9]', '[i9, i2]']) {
          it(`${kind}_${name} then ${guard} ${failArgs === '[i9]' ? '(fused)' : '(its result a fail arg and finished too)'}`, () => {
            const inputs = (pairs as readonly (readonly [number | bigint, number | bigint])[]).map(([a, b], k) => `input v${k} [${lit(a)}, ${lit(b)}, 7]`).join('\n');
            const fused = failArgs === '[i9]';
            const text = `[${letter}0, ${letter}1, i9]\ni2 = ${kind}_${name}(${letter}0, ${letter}1)\n${guard}(i2) ${failArgs}\nfinish(${fused ? 'i9' : 'i2'})\n${inputs}`;
            run(text).forEach((outcome, k) => {
              const [a, b] = pairs[k]!;
              const passes = holds(a, b) === (guard === 'guard_true');
              expect(outcome.exit.kind, `${lit(a)}, ${lit(b)}`).toBe(passes ? 'finish' : 'guard');
              const truthValue = int(holds(a, b) ? 1n : 0n);
              if (passes) expect(outcome.values).toEqual([fused ? int(7n) : truthValue]);
              else expect(outcome.values).toEqual(fused ? [int(7n)] : [int(7n), truthValue]);
            });
          });
        }
      }
    }
  }
});

describe('float ops', () => {
  const float = (value: number): RtValue => ({ kind: 'float', value });
  const arithmetic: [string, number, number, number][] = [
    ['float_add', Infinity, -Infinity, NaN],
    ['float_add', -0, -0, -0],
    ['float_add', -0, 0, 0],
    ['float_sub', 0.5, 0.25, 0.25],
    ['float_mul', -0, 5, -0],
    ['float_mul', Infinity, 0, NaN],
    ['float_truediv', 1, 0, Infinity],
    ['float_truediv', -1, 0, -Infinity],
    ['float_truediv', 1, -0, -Infinity],
    ['float_truediv', 0, 0, NaN],
    ['float_truediv', 1, 3, 1 / 3],
  ];
  for (const [op, a, b, want] of arithmetic) {
    it(`${op}(${lit(a)}, ${lit(b)}) = ${lit(want)}`, () => {
      for (const got of binary(op, a, b, 'ff', 'f')) {
        expect(got.kind).toBe('float');
        expect(Object.is((got as { value: number }).value, want)).toBe(true);
      }
    });
  }

  const comparisons: [string, number, number, bigint][] = [
    ['float_eq', NaN, NaN, 0n],
    ['float_ne', NaN, NaN, 1n],
    ['float_lt', NaN, 1, 0n],
    ['float_ge', NaN, 1, 0n],
    ['float_eq', -0, 0, 1n],
    ['float_lt', -Infinity, Infinity, 1n],
    ['float_le', 1, 1, 1n],
    ['float_gt', 2, 1, 1n],
  ];
  for (const [op, a, b, want] of comparisons) {
    it(`${op}(${lit(a)}, ${lit(b)}) = ${want}`, () => {
      for (const got of binary(op, a, b, 'ff', 'i')) expect(got).toEqual(int(want));
    });
  }

  it('float_neg and float_abs keep the sign rules of -0.0 and NaN', () => {
    const neg = run(`[f0]\nf1 = float_neg(f0)\nfinish(f1)\ninput a [0.0]\ninput b [-inf]`).map((o) => o.values[0]);
    expect(neg).toEqual([float(-0), float(Infinity)]);
    const abs = run(`[f0]\nf1 = float_abs(f0)\nfinish(f1)\ninput a [-0.0]\ninput b [-2.5]\ninput c [nan]`).map((o) => o.values[0]);
    expect(abs).toEqual([float(0), float(2.5), float(NaN)]);
  });

  it('float_sqrt is IEEE: -0.0 keeps its sign, NaN below zero and for NaN, inf for inf', () => {
    const sqrt = run(`[f0]\nf1 = float_sqrt(f0)\nfinish(f1)\ninput a [-0.0]\ninput b [-2.5]\ninput c [nan]\ninput d [inf]\ninput e [2.0]\ninput f [5e-324]`).map((o) => o.values[0]);
    expect(sqrt).toEqual([float(-0), float(NaN), float(NaN), float(Infinity), float(Math.SQRT2), float(2 ** -537)]);
  });

  it('float_pow, float_sin and float_cos compute what the reference computes (the host functions), special cases included', () => {
    const values = ['0.0', '-0.0', '1.0', '-1.0', '2.5', '-2.5', '3.0', '-3.0', '1e300', '5e-324', 'inf', '-inf', 'nan', '0.5', '1e22'];
    const pairs = values.flatMap((x) => values.map((y) => `[${x}, ${y}]`));
    const pow = run(`[f0, f1]\nf2 = float_pow(f0, f1)\nfinish(f2)\n${pairs.map((p, k) => `input s${k} ${p}`).join('\n')}`);
    expect(pow).toHaveLength(values.length ** 2);
    const trig = run(`[f0]\nf1 = float_sin(f0)\nf2 = float_cos(f0)\nfinish(f1, f2)\n${values.map((x, k) => `input s${k} [${x}]`).join('\n')}`);
    // sin 1 and cos 1 as CPython prints them.
    expect(trig[2]!.values).toEqual([float(0.8414709848078965), float(0.5403023058681398)]);
  });

  it('cast_float_to_int truncates, maps NaN to 0 and saturates', () => {
    const text = `[f0]\ni1 = cast_float_to_int(f0)\nfinish(i1)\n` +
      ['nan', 'inf', '-inf', '1e300', '-1e300', '-2.5', '2.9', '-0.0', '9.3e18'].map((x, k) => `input s${k} [${x}]`).join('\n');
    expect(run(text).map((o) => o.values[0])).toEqual(
      [0n, MAX, MIN, MAX, MIN, -2n, 2n, 0n, MAX].map(int),
    );
  });

  it('cast_int_to_float rounds to the nearest double', () => {
    const text = `[i0]\nf1 = cast_int_to_float(i0)\nfinish(f1)\ninput a [${MAX}]\ninput b [${2n ** 53n + 1n}]\ninput c [-3]`;
    expect(run(text).map((o) => o.values[0])).toEqual([float(2 ** 63), float(2 ** 53), float(-3)]);
  });
});

describe('guards', () => {
  it('guard_value on floats: NaN equals NaN, -0.0 differs from 0.0', () => {
    const text = `[f0, f1]\nguard_value(f0, f1) [f0]\nfinish()\ninput nans [nan, nan]\ninput zeros [-0.0, 0.0]\ninput same [1.5, 1.5]\ninput infs [inf, -inf]`;
    expect(run(text).map((o) => o.exit.kind)).toEqual(['finish', 'guard', 'finish', 'guard']);
  });

  it('guard_value on ints and on refs (identity, not contents)', () => {
    expect(run(`[i0]\nguard_value(i0, ${MIN}) []\nfinish()\ninput a [${MIN}]\ninput b [${MAX}]`).map((o) => o.exit.kind)).toEqual(['finish', 'guard']);
    const refs = `class Box(v: int)\n[p0, p1]\nguard_value(p0, p1) []\nfinish()\n` +
      `input same [@a, @a] with @a = Box{v: 1}\ninput twins [@a, @b] with @a = Box{v: 1}, @b = Box{v: 1}\ninput nulls [null, null]`;
    expect(run(refs).map((o) => o.exit.kind)).toEqual(['finish', 'guard', 'finish']);
  });

  it('guard_true, guard_false, guard_nonnull, guard_isnull', () => {
    const text = `class Box(v: int)\n[i0, p1]\nguard_true(i0) [i0]\nguard_nonnull(p1) [i0]\ni2 = int_sub(i0, 1)\nguard_false(i2) [i2]\nfinish(i0)\n` +
      `input pass [1, @b] with @b = Box{v: 0}\ninput zero [0, @b] with @b = Box{v: 0}\ninput null [1, null]\ninput two [2, @b] with @b = Box{v: 0}`;
    expect(run(text).map((o) => o.exit)).toEqual([
      { kind: 'finish' },
      { kind: 'guard', guardId: 0 },
      { kind: 'guard', guardId: 1 },
      { kind: 'guard', guardId: 2 },
    ]);
    expect(run(`[p0]\nguard_isnull(p0) []\nfinish()\ninput n [null]\ninput o [@a] with @a = int[1]`).map((o) => o.exit.kind)).toEqual(['finish', 'guard']);
  });

  it('guard_class fails on null, on arrays and on other classes', () => {
    const text = `class A(x: int)\nclass B(x: int)\n[p0]\nguard_class(p0, A) []\nfinish()\n` +
      `input a [@o] with @o = A{x: 1}\ninput b [@o] with @o = B{x: 1}\ninput n [null]\ninput arr [@o] with @o = int[1, 2]`;
    expect(run(text).map((o) => o.exit.kind)).toEqual(['finish', 'guard', 'guard', 'guard']);
  });
});

describe('heap ops', () => {
  it('new zeroes every field; setfield and getfield of each type', () => {
    const text = `class C(i: int, f: float, r: ref)\n[i0, f1, p2]\np3 = new(C)\ni4 = getfield(p3, i)\nf5 = getfield(p3, f)\np6 = getfield(p3, r)\n` +
      `setfield(p3, i, i0)\nsetfield(p3, f, f1)\nsetfield(p3, r, p2)\ni7 = getfield(p3, i)\nf8 = getfield(p3, f)\np9 = getfield(p3, r)\n` +
      `i10 = ptr_eq(p9, p2)\nfinish(i4, f5, p6, i7, f8, i10, p3)\ninput t [${MIN}, -0.0, @a] with @a = C{i: 7}`;
    const [outcome] = run(text);
    const [i4, f5, p6, i7, f8, i10] = outcome!.values;
    expect([i4, f5, p6, i7, f8, i10]).toEqual([int(0n), { kind: 'float', value: 0 }, { kind: 'null' }, int(MIN), { kind: 'float', value: -0 }, int(1n)]);
  });

  it('arrays of each element type: zeroed, written, read, measured; a negative length gives 0', () => {
    const text = `[i0]\np1 = new_array(i0, int)\np2 = new_array(3, float)\np3 = new_array(2, ref)\np4 = new_array(-5, int)\n` +
      `setarrayitem(p1, 1, -9)\nsetarrayitem(p2, 2, nan)\nsetarrayitem(p3, 0, p2)\n` +
      `i5 = getarrayitem(p1, 1, int)\ni6 = getarrayitem(p1, 0, int)\nf7 = getarrayitem(p2, 2, float)\np8 = getarrayitem(p3, 0, ref)\np9 = getarrayitem(p3, 1, ref)\n` +
      `i10 = arraylen(p1)\ni11 = arraylen(p4)\ni12 = ptr_ne(p8, p2)\nfinish(i5, i6, f7, p9, i10, i11, i12, p3)\ninput t [4]`;
    const [outcome] = run(text);
    expect(outcome!.values.slice(0, 7)).toEqual([int(-9n), int(0n), { kind: 'float', value: NaN }, { kind: 'null' }, int(4n), int(0n), int(0n)]);
  });

  it('input objects keep their ids 0, 1, … in written order', () => {
    const text = `class Node(next: ref, v: int)\n[p0]\nfinish(p0)\ninput t [@b] with @a = Node{next: @b, v: 1}, @b = Node{next: @a, v: 2}`;
    expect(run(text)[0]!.values).toEqual([{ kind: 'ref', id: 1 }]);
  });
});

describe('escape', () => {
  it('logs a snapshot, escapes the closure, and adds k to every escaped int field and int item', () => {
    const text = `class Node(next: ref, v: int)\n[p0]\np1 = new(Node)\nsetfield(p1, v, 10)\np2 = new_array(2, int)\n` +
      `escape(p1)\nsetfield(p1, next, p0)\nescape(p2)\ni3 = getfield(p1, v)\ni4 = getfield(p0, v)\ni5 = getarrayitem(p2, 0, int)\nfinish(i3, i4, i5)\n` +
      `input t [@a] with @a = Node{v: 100}`;
    const [outcome] = run(text);
    // p1.v: 10 +1 (escape 1) +2 (escape 2); p0.v: 100 +1 +2 (escaped from the start); p2[0]: +2.
    expect(outcome!.values).toEqual([int(13n), int(103n), int(2n)]);
    expect(outcome!.escapes.length).toBe(2);
    const first = outcome!.escapes[0]!;
    const p1 = (first.args[0] as { id: number }).id;
    expect(first.heap.get(p1)).toEqual({ kind: 'object', cls: 'Node', fields: { next: { kind: 'null' }, v: int(10n) } });
  });
});

describe('exits', () => {
  it('a guard exit materializes virtuals: allocated once each, cycles and sharing intact', () => {
    const text = `class Node(next: ref, v: int)\n[i0]\nguard_true(i0) [$0, $1, $0, i0] with $0 = Node{next: $1, v: i0}, $1 = Node{next: $0, v: 7}\nfinish()\ninput t [0]`;
    const [outcome] = run(text);
    const [a, b, a2] = outcome!.values as readonly { id: number }[];
    expect(a2!.id).toBe(a!.id);
    expect(outcome!.finalHeap.get(a!.id)).toEqual({ kind: 'object', cls: 'Node', fields: { next: { kind: 'ref', id: b!.id }, v: int(0n) } });
    expect(outcome!.finalHeap.get(b!.id)).toEqual({ kind: 'object', cls: 'Node', fields: { next: { kind: 'ref', id: a!.id }, v: int(7n) } });
  });

  it("a fuel exit at a label rebuilds the loop's original arguments through the label's exit", () => {
    const text = `class Box(v: int)\n[p0]\ni1 = getfield(p0, v)\nlabel(i1) [$0] with $0 = Box{v: i1}\ni2 = int_add(i1, 3)\njump(i2)\ninput t [@b] with @b = Box{v: 1}`;
    for (const fuel of [0, 1, 4]) {
      const [outcome] = run(text, fuel);
      expect(outcome!.exit).toEqual({ kind: 'fuel' });
      const box = outcome!.finalHeap.get((outcome!.values[0] as { id: number }).id);
      expect(box).toEqual({ kind: 'object', cls: 'Box', fields: { v: int(1n + 3n * BigInt(fuel)) } });
    }
  });

  it('a full heap ends the run with an error exit, not a crash', () => {
    const trace = parseTrace(`[i0]\np1 = new_array(100000, int)\njump(i0)\ninput t [0]`);
    const outcome = runWasm(trace, trace.inputSets[0]!, { fuel: 1000, heapLimit: 4 << 20 });
    expect(outcome.exit.kind).toBe('error');
    expect((outcome.exit as { message: string }).message).toMatch(/heap is full/);
  });

  it('undefined behaviour (a field of null, an item far out of bounds) does not crash the host', () => {
    const trace = parseTrace(`class Box(v: int, w: ref)\n[p0]\ni1 = getfield(p0, v)\np2 = getfield(p0, w)\nsetarrayitem(p2, 1000000000000, 5)\nfinish(i1, p2)\ninput t [null]`);
    const outcome = runWasm(trace, trace.inputSets[0]!);
    expect(['finish', 'error']).toContain(outcome.exit.kind);
  });
});
