// The reference interpreter on the paper's Figure 2 and on every edge case its header defines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Arg,
  type ClassDecl,
  type ExitDesc,
  type HeapObjectDesc,
  type HeapValue,
  type InputSet,
  type Op,
  type OpName,
  type Outcome,
  type RtValue,
  type Trace,
  type Type,
  type VirtualDesc,
  cfloat,
  cint,
  freezeTrace,
  mkOp,
  NULL,
  v,
  validate,
} from '../../src/ir/index.ts';
import { runReference } from '../../spec/interpreter.ts';
import { parseTrace } from '../../src/text/index.ts';

// --- a small trace builder: guards get ids 0, 1, … and, unless given, every value so far ---

const CLASSES: ClassDecl[] = [
  { name: 'BoxedInteger', fields: [{ name: 'intval', type: 'int' }] },
  { name: 'BoxedFloat', fields: [{ name: 'floatval', type: 'float' }] },
  { name: 'Node', fields: [{ name: 'next', type: 'ref' }, { name: 'val', type: 'int' }, { name: 'x', type: 'float' }] },
];

type Operand = string | number | bigint | null | Arg;
const arg = (x: Operand): Arg =>
  x === null ? NULL : typeof x === 'string' ? v(x) : typeof x === 'object' ? x : cint(x);

interface OpSpec {
  readonly result?: string;
  readonly name: OpName;
  readonly args?: readonly Operand[];
  readonly descr?: Op['descr'];
  readonly exit?: ExitDesc;
}
const field = (cls: string, name: string): Op['descr'] => ({ kind: 'field', cls, field: name });
const cls = (name: string): Op['descr'] => ({ kind: 'class', cls: name });
const elem = (type: Type): Op['descr'] => ({ kind: 'elem', type });

function trace(inputs: string[], specs: OpSpec[], inputSets: InputSet[] = []): Trace {
  const defined = [...inputs];
  let guardId = 0;
  const ops = specs.map((s) => {
    const isGuard = s.name.startsWith('guard_');
    const exit = s.exit ?? (isGuard ? { values: defined.map(v), virtuals: [] } : null);
    const op = mkOp(s.name, (s.args ?? []).map(arg), {
      result: s.result ?? null,
      descr: s.descr ?? null,
      guardId: isGuard ? guardId++ : -1,
      exit,
    });
    if (s.result) defined.push(s.result);
    return op;
  });
  return freezeTrace(validate({ classes: CLASSES, inputs: inputs.map((name) => ({ name })), ops, inputSets }));
}

const hInt = (value: bigint | number): HeapValue => ({ kind: 'int', value: BigInt(value) });
const hObj = (name: string): HeapValue => ({ kind: 'obj', name });
const boxed = (name: string, value: number): HeapObjectDesc => ({
  name,
  kind: 'object',
  cls: 'BoxedInteger',
  fields: [{ field: 'intval', value: hInt(value) }],
});
const input = (args: HeapValue[], objects: HeapObjectDesc[] = []): InputSet => ({ name: 'test', args, objects });

const intOf = (value: RtValue | undefined): bigint => {
  if (value?.kind !== 'int') throw new Error(`not an int: ${JSON.stringify(value, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))}`);
  return value.value;
};
const floatOf = (value: RtValue | undefined): number => {
  if (value?.kind !== 'float') throw new Error('not a float');
  return value.value;
};
const idOf = (value: RtValue | undefined): number => {
  if (value?.kind !== 'ref') throw new Error('not a ref');
  return value.id;
};
const cellOf = (outcome: Outcome, value: RtValue | undefined, view = outcome.finalHeap) => view.get(idOf(value))!;
const fieldOf = (outcome: Outcome, value: RtValue | undefined, name: string, view = outcome.finalHeap): RtValue => {
  const cell = cellOf(outcome, value, view);
  if (cell.kind !== 'object') throw new Error('not an object');
  return cell.fields[name]!;
};

const INTVAL = field('BoxedInteger', 'intval');
// --- Figure 2 ---

const FIGURE2 = parseTrace(readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8'));
const figure2Input = (name: string) => FIGURE2.inputSets.find((set) => set.name === name)!;

describe('Figure 2', () => {
  it('with y = BoxedInteger(10) exits at guard_true (id 7) in iteration 10 with res = -945', () => {
    const outcome = runReference(FIGURE2, figure2Input('int_y'));
    expect(outcome.exit).toEqual({ kind: 'guard', guardId: 7 });
    expect(outcome.iterations).toBe(10);
    // Fail args are every value so far: p0 p1 i2 i3 i4 p5 p6 i7 i8 i9 p10 …
    expect(intOf(outcome.values[9])).toBe(-945n);
    expect(fieldOf(outcome, outcome.values[10], 'intval')).toEqual({ kind: 'int', value: -945n });
    expect(fieldOf(outcome, outcome.values[15], 'intval')).toEqual({ kind: 'int', value: 0n });
    expect(outcome.escapes).toEqual([]);
    expect(outcome.inputObjectCount).toBe(2);
  });

  it('with y a BoxedFloat exits at the guard_class on p0 (id 1) in the first iteration', () => {
    const outcome = runReference(FIGURE2, figure2Input('float_y'));
    expect(outcome.exit).toEqual({ kind: 'guard', guardId: 1 });
    expect(outcome.iterations).toBe(1);
    expect(outcome.values).toEqual([{ kind: 'ref', id: 0 }, { kind: 'ref', id: 1 }, { kind: 'int', value: 0n }]);
  });
});

// --- arithmetic ---

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;

function intOp(name: OpName, a: bigint, b?: bigint): bigint {
  const t = trace(b === undefined ? ['i0'] : ['i0', 'i1'], [
    { result: 'i2', name, args: b === undefined ? ['i0'] : ['i0', 'i1'] },
    { name: 'finish', args: ['i2'] },
  ]);
  return intOf(runReference(t, input(b === undefined ? [hInt(a)] : [hInt(a), hInt(b)])).values[0]);
}

describe('int ops', () => {
  it('wrap to 64 bits', () => {
    expect(intOp('int_add', MAX, 1n)).toBe(MIN);
    expect(intOp('int_sub', MIN, 1n)).toBe(MAX);
    expect(intOp('int_mul', 1n << 62n, 4n)).toBe(0n);
    expect(intOp('int_mul', MAX, MAX)).toBe(1n);
    expect(intOp('int_neg', MIN)).toBe(MIN);
  });

  it('int_floordiv is Python //, 0 for b = 0, MIN // -1 = MIN', () => {
    expect([intOp('int_floordiv', 7n, 2n), intOp('int_floordiv', -7n, 2n), intOp('int_floordiv', 7n, -2n), intOp('int_floordiv', -7n, -2n)]).toEqual([3n, -4n, -4n, 3n]);
    expect(intOp('int_floordiv', -6n, 2n)).toBe(-3n);
    expect(intOp('int_floordiv', 5n, 0n)).toBe(0n);
    expect(intOp('int_floordiv', MIN, -1n)).toBe(MIN);
  });

  it('int_mod is Python % (sign of the divisor), 0 for b = 0, MIN % -1 = 0', () => {
    expect([intOp('int_mod', 7n, 2n), intOp('int_mod', -7n, 2n), intOp('int_mod', 7n, -2n), intOp('int_mod', -7n, -2n)]).toEqual([1n, 1n, -1n, -1n]);
    expect(intOp('int_mod', -6n, 3n)).toBe(0n);
    expect(intOp('int_mod', 5n, 0n)).toBe(0n);
    expect(intOp('int_mod', MIN, -1n)).toBe(0n);
  });

  it('shifts mask the count to 6 bits; rshift is arithmetic', () => {
    expect(intOp('int_lshift', 1n, 63n)).toBe(MIN);
    expect(intOp('int_lshift', 1n, 64n)).toBe(1n);
    expect(intOp('int_lshift', 3n, -1n)).toBe(MIN); // -1 & 63 = 63
    expect(intOp('int_rshift', -8n, 1n)).toBe(-4n);
    expect(intOp('int_rshift', -1n, 63n)).toBe(-1n);
    expect(intOp('int_rshift', 8n, 65n)).toBe(4n);
    expect(intOp('int_rshift', MIN, 63n)).toBe(-1n);
  });

  it('bitwise ops and comparisons (1 or 0)', () => {
    expect([intOp('int_and', 12n, 10n), intOp('int_or', 12n, 10n), intOp('int_xor', 12n, 10n)]).toEqual([8n, 14n, 6n]);
    expect([intOp('int_lt', -1n, 0n), intOp('int_le', 0n, 0n), intOp('int_eq', 1n, 2n)]).toEqual([1n, 1n, 0n]);
    expect([intOp('int_ne', 1n, 2n), intOp('int_gt', MIN, MAX), intOp('int_ge', MAX, MAX)]).toEqual([1n, 0n, 1n]);
  });

  it('*_ovf wraps and sets the flag only when the exact result does not fit', () => {
    const ovf = (name: OpName, guard: OpName, a: bigint, b: bigint) =>
      runReference(
        trace(['i0', 'i1'], [
          { result: 'i2', name, args: ['i0', 'i1'] },
          { name: guard, exit: { values: [v('i2')], virtuals: [] } },
          { name: 'finish', args: ['i2'] },
        ]),
        input([hInt(a), hInt(b)]),
      );
    const overflowed = ovf('int_add_ovf', 'guard_no_overflow', MAX, 1n);
    expect(overflowed.exit).toEqual({ kind: 'guard', guardId: 0 });
    expect(overflowed.values).toEqual([{ kind: 'int', value: MIN }]);
    expect(ovf('int_add_ovf', 'guard_no_overflow', MAX - 1n, 1n).exit).toEqual({ kind: 'finish' });
    expect(ovf('int_add_ovf', 'guard_overflow', MAX - 1n, 1n).exit).toEqual({ kind: 'guard', guardId: 0 });
    expect(ovf('int_sub_ovf', 'guard_overflow', MIN, 1n).exit).toEqual({ kind: 'finish' });
    expect(ovf('int_mul_ovf', 'guard_overflow', 1n << 32n, 1n << 31n).exit).toEqual({ kind: 'finish' });
    expect(ovf('int_mul_ovf', 'guard_no_overflow', -(1n << 32n), 1n << 31n).exit).toEqual({ kind: 'finish' }); // = MIN fits
  });
});

describe('float ops', () => {
  const floatOp = (name: OpName, result: string, a: number, b?: number): RtValue => {
    const t = trace(b === undefined ? ['f0'] : ['f0', 'f1'], [
      { result, name, args: b === undefined ? ['f0'] : ['f0', 'f1'] },
      { name: 'finish', args: [result] },
    ]);
    const f = (x: number): HeapValue => ({ kind: 'float', value: x });
    return runReference(t, input(b === undefined ? [f(a)] : [f(a), f(b)])).values[0]!;
  };

  it('compare as IEEE: everything but ne is false on NaN', () => {
    expect(intOf(floatOp('float_ne', 'i2', NaN, NaN))).toBe(1n);
    expect(intOf(floatOp('float_eq', 'i2', NaN, NaN))).toBe(0n);
    expect(intOf(floatOp('float_le', 'i2', NaN, 1))).toBe(0n);
    expect(intOf(floatOp('float_eq', 'i2', -0, 0))).toBe(1n);
  });

  it('arithmetic is IEEE double', () => {
    expect(floatOf(floatOp('float_truediv', 'f2', 1, 0))).toBe(Infinity);
    expect(floatOf(floatOp('float_add', 'f2', 0.1, 0.2))).toBe(0.1 + 0.2);
    expect(Object.is(floatOf(floatOp('float_neg', 'f2', 0)), -0)).toBe(true);
    expect(floatOf(floatOp('float_abs', 'f2', -2.5))).toBe(2.5);
  });

  it('float_sqrt is total: -0.0 keeps its sign, NaN for NaN and below zero', () => {
    const sqrt = (x: number) => floatOf(floatOp('float_sqrt', 'f2', x));
    expect(Object.is(sqrt(-0), -0)).toBe(true);
    expect(Object.is(sqrt(0), 0)).toBe(true);
    expect(sqrt(Infinity)).toBe(Infinity);
    for (const x of [NaN, -Infinity, -1, -5e-324]) expect(sqrt(x)).toBeNaN();
    expect(sqrt(4)).toBe(2);
    expect(sqrt(5e-324)).toBe(2 ** -537);
    expect(sqrt(2 ** 1022)).toBe(2 ** 511);
  });

  it("float_pow is C's pow: total, every special case of C99 Annex F, where CPython would raise too", () => {
    const pow = (x: number, y: number) => floatOf(floatOp('float_pow', 'f2', x, y));
    expect(pow(NaN, 0)).toBe(1);
    expect(pow(1, NaN)).toBe(1);
    expect(pow(2, NaN)).toBeNaN();
    expect(pow(0, -1)).toBe(Infinity); // CPython: ZeroDivisionError
    expect(pow(-0, -3)).toBe(-Infinity);
    expect(Object.is(pow(-0, 3), -0)).toBe(true);
    expect(pow(-8, 1 / 3)).toBeNaN(); // CPython: a complex number
    expect(pow(-2, 3)).toBe(-8);
    expect(pow(-1, -Infinity)).toBe(1);
    expect(pow(0.5, -Infinity)).toBe(Infinity);
    expect(Object.is(pow(-Infinity, -3), -0)).toBe(true);
    expect(pow(-Infinity, 2)).toBe(Infinity);
    expect(pow(10, 400)).toBe(Infinity); // CPython: OverflowError
    expect(pow(2, 0.5)).toBe(Math.SQRT2);
    expect(pow(4, -1.5)).toBe(0.125);
  });

  it('float_sin and float_cos are NaN for infinities and NaN, exact at 0', () => {
    for (const op of ['float_sin', 'float_cos'] as const) for (const x of [Infinity, -Infinity, NaN]) expect(floatOf(floatOp(op, 'f1', x))).toBeNaN();
    expect(Object.is(floatOf(floatOp('float_sin', 'f1', -0)), -0)).toBe(true);
    expect(floatOf(floatOp('float_cos', 'f1', 0))).toBe(1);
    // CPython 3.11 on glibc: math.sin(1e22), math.cos(1e22) (the classic hard argument reduction).
    expect(floatOf(floatOp('float_sin', 'f1', 1e22))).toBe(-0.8522008497671888);
    expect(floatOf(floatOp('float_cos', 'f1', 1e22))).toBe(0.523214785395139);
  });

  it('float_sqrt is correctly rounded: its own integer root agrees with the platform bit for bit', () => {
    // The reference computes the root with BigInt; IEEE 754 fixes sqrt's result, so the platform's
    // Math.sqrt is an independent witness. Subnormals, exact squares and their neighbours, and
    // doubles drawn from random bit patterns (a fixed xorshift stream: the same every run).
    const bits = new DataView(new ArrayBuffer(8));
    const samples: number[] = [Number.MIN_VALUE, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, 2, 0.5, 1e-300, 3];
    for (let k = 1; k <= 40; k++) {
      const square = k * k * 1.0;
      samples.push(square, square * (1 + Number.EPSILON), square * (1 - Number.EPSILON / 2));
    }
    let state = 0x2545f4914f6cdd1dn;
    const next = (): bigint => {
      state ^= (state << 13n) & 0xffffffffffffffffn;
      state ^= state >> 7n;
      state ^= (state << 17n) & 0xffffffffffffffffn;
      return state;
    };
    for (let k = 0; k < 600; k++) {
      bits.setBigUint64(0, next() & 0x7fffffffffffffffn);
      samples.push(bits.getFloat64(0));
    }
    for (let k = 0; k < 100; k++) {
      bits.setBigUint64(0, next() & 0x000fffffffffffffn); // subnormals
      samples.push(bits.getFloat64(0));
    }
    const wrong = samples.filter((x) => !Object.is(floatOf(floatOp('float_sqrt', 'f2', x)), Math.sqrt(x)));
    expect(wrong).toEqual([]);
  });

  it('float_sqrt rounds a root just above the midpoint of two doubles up (the tie test with its sticky bit)', () => {
    // No double's root is exactly a midpoint, but one can lie within 2^-53 ulp above it, where the
    // bits below the kept 53 read exactly one half and only the inexact (sticky) bit says "up";
    // random doubles reach that with probability about 2^-34. Built here: for an odd t in
    // [2^53, 2^54) (a midpoint: doubles there are 2 apart) with t² + d a multiple of 2^55, d small,
    // a = (t² + d) / 2^55 · 2^55 is a double whose root is t + d / 2t. Both parities of the kept
    // bits (ties to even would round one of them down).
    const POW = 1n << 55n;
    const roots = new Set<bigint>();
    for (let d = 7n; d < 64n; d += 8n) {
      // t² ≡ -d (mod 2^55), t odd, lifted one bit at a time (-d ≡ 1 mod 8, so a root exists).
      let t = 1n;
      for (let k = 3n; k < 55n; k++) if ((t * t + d) % (1n << (k + 1n)) !== 0n) t += 1n << (k - 1n);
      for (const t0 of [t % POW, POW - (t % POW)]) {
        for (const root of [t0, (t0 + (POW >> 1n)) % POW]) {
          if (root >= 1n << 53n && root < 1n << 54n && (root * root + d) % POW === 0n) roots.add(root);
        }
      }
    }
    const keptParities = new Set([...roots].map((t) => ((t - 1n) / 2n) & 1n));
    expect(keptParities).toEqual(new Set([0n, 1n]));
    for (const t of roots) {
      const a = Number((t * t) / POW + 1n) * 2 ** 55;
      expect(Math.sqrt(a)).toBe(Number(t + 1n));
      expect(floatOf(floatOp('float_sqrt', 'f2', a))).toBe(Number(t + 1n));
    }
  });

  it('cast_float_to_int truncates, maps NaN to 0 and saturates', () => {
    const cast = (x: number) => intOf(floatOp('cast_float_to_int', 'i2', x));
    expect([cast(2.9), cast(-2.9), cast(NaN), cast(Infinity), cast(-Infinity), cast(1e300), cast(-1e300)]).toEqual([2n, -2n, 0n, MAX, MIN, MAX, MIN]);
    expect(cast(2 ** 63)).toBe(MAX);
    expect(cast(-(2 ** 63))).toBe(MIN);
  });

  it('cast_int_to_float rounds to the nearest double (ties to even)', () => {
    expect(floatOf(runReference(
      trace(['i0'], [{ result: 'f1', name: 'cast_int_to_float', args: ['i0'] }, { name: 'finish', args: ['f1'] }]),
      input([hInt((1n << 53n) + 1n)]),
    ).values[0])).toBe(2 ** 53);
  });
});

describe('guards', () => {
  const guardValue = (a: number, b: number) =>
    runReference(
      trace(['f0'], [{ name: 'guard_value', args: ['f0', cfloat(b)] }, { name: 'finish', args: [] }]),
      input([{ kind: 'float', value: a }]),
    ).exit.kind;

  it('guard_value compares floats with Object.is', () => {
    expect(guardValue(NaN, NaN)).toBe('finish');
    expect(guardValue(-0, 0)).toBe('guard');
    expect(guardValue(1.5, 1.5)).toBe('finish');
  });

  it('guard_value compares refs by identity; guard_class fails on null and on arrays', () => {
    const t = trace(['p0', 'p1'], [
      { name: 'guard_value', args: ['p0', 'p1'] },
      { name: 'guard_class', args: ['p0'], descr: cls('BoxedInteger') },
      { name: 'finish', args: [] },
    ]);
    const arr: HeapObjectDesc = { name: 'a', kind: 'array', elem: 'int', items: [] };
    expect(runReference(t, input([hObj('a'), hObj('b')], [boxed('a', 1), boxed('b', 1)])).exit).toEqual({ kind: 'guard', guardId: 0 });
    expect(runReference(t, input([hObj('a'), hObj('a')], [boxed('a', 1)])).exit).toEqual({ kind: 'finish' });
    expect(runReference(t, input([{ kind: 'null' }, { kind: 'null' }])).exit).toEqual({ kind: 'guard', guardId: 1 });
    expect(runReference(t, input([hObj('a'), hObj('a')], [arr])).exit).toEqual({ kind: 'guard', guardId: 1 });
  });

  it('ptr_eq and ptr_ne go by identity, null equals null', () => {
    const t = trace(['p0', 'p1'], [
      { result: 'i2', name: 'ptr_eq', args: ['p0', 'p1'] },
      { result: 'i3', name: 'ptr_ne', args: ['p0', null] },
      { name: 'finish', args: ['i2', 'i3'] },
    ]);
    expect(runReference(t, input([{ kind: 'null' }, { kind: 'null' }])).values.map(intOf)).toEqual([1n, 0n]);
    expect(runReference(t, input([hObj('a'), hObj('b')], [boxed('a', 1), boxed('b', 1)])).values.map(intOf)).toEqual([0n, 1n]);
  });
});

// --- heap and undefined behaviour ---

describe('heap', () => {
  it('new zeroes every declared field; new_array with n < 0 has length 0', () => {
    const t = trace(['i0'], [
      { result: 'p1', name: 'new', descr: cls('Node') },
      { result: 'p2', name: 'new_array', args: ['i0'], descr: elem('float') },
      { result: 'i3', name: 'arraylen', args: ['p2'] },
      { name: 'finish', args: ['p1', 'i3'] },
    ]);
    const outcome = runReference(t, input([hInt(-5)]));
    expect(cellOf(outcome, outcome.values[0])).toEqual({ kind: 'object', cls: 'Node', fields: { next: { kind: 'null' }, val: { kind: 'int', value: 0n }, x: { kind: 'float', value: 0 } } });
    expect(outcome.values[1]).toEqual({ kind: 'int', value: 0n });
  });

  it('arrays read and write their items', () => {
    const t = trace([], [
      { result: 'p0', name: 'new_array', args: [3], descr: elem('int') },
      { name: 'setarrayitem', args: ['p0', 2, 42] },
      { result: 'i1', name: 'getarrayitem', args: ['p0', 2], descr: elem('int') },
      { name: 'finish', args: ['p0', 'i1'] },
    ]);
    const outcome = runReference(t, input([]));
    expect(outcome.values[1]).toEqual({ kind: 'int', value: 42n });
    expect(cellOf(outcome, outcome.values[0])).toEqual({ kind: 'array', elem: 'int', items: [0n, 0n, 42n].map((value) => ({ kind: 'int', value })) });
  });

  const ub = (specs: OpSpec[], inputs: string[] = ['p0'], args: HeapValue[] = [{ kind: 'null' }], objects: HeapObjectDesc[] = []) => {
    const outcome = runReference(trace(inputs, [...specs, { name: 'finish', args: [] }]), input(args, objects));
    if (outcome.exit.kind !== 'undefined') throw new Error(`expected undefined behaviour, got ${outcome.exit.kind}`);
    return outcome.exit.message;
  };
  const anInt = [boxed('a', 1)];
  const anArray: HeapObjectDesc[] = [{ name: 'a', kind: 'array', elem: 'int', items: [hInt(1), hInt(2)] }];

  it('reports undefined behaviour naming the op', () => {
    expect(ub([{ result: 'i1', name: 'getfield', args: ['p0'], descr: INTVAL }])).toMatch(/^op 0 \(getfield\): null/);
    expect(ub([{ name: 'guard_nonnull', args: ['p0'] }, { result: 'f1', name: 'getfield', args: ['p0'], descr: field('BoxedFloat', 'floatval') }], ['p0'], [hObj('a')], anInt))
      .toBe('op 1 (getfield): expected an object of class BoxedFloat, got one of class BoxedInteger');
    expect(ub([{ name: 'setfield', args: ['p0', 1], descr: INTVAL }], ['p0'], [hObj('a')], anArray)).toBe('op 0 (setfield): expected an object of class BoxedInteger, got an array');
    expect(ub([{ result: 'i1', name: 'arraylen', args: ['p0'] }], ['p0'], [hObj('a')], anInt)).toBe('op 0 (arraylen): expected an array, got an object of class BoxedInteger');
    expect(ub([{ result: 'i1', name: 'arraylen', args: ['p0'] }])).toMatch(/^op 0 \(arraylen\): null/);
    expect(ub([{ result: 'i1', name: 'getarrayitem', args: ['p0', 2], descr: elem('int') }], ['p0'], [hObj('a')], anArray))
      .toBe('op 0 (getarrayitem): index 2 is out of bounds for an array of length 2');
    expect(ub([{ name: 'setarrayitem', args: ['p0', -1, 0] }], ['p0'], [hObj('a')], anArray)).toMatch(/index -1 is out of bounds/);
    expect(ub([{ result: 'f1', name: 'getarrayitem', args: ['p0', 0], descr: elem('float') }], ['p0'], [hObj('a')], anArray))
      .toBe('op 0 (getarrayitem): float item of an array of int');
    expect(ub([{ name: 'setarrayitem', args: ['p0', 0, null] }], ['p0'], [hObj('a')], anArray)).toBe('op 0 (setarrayitem): ref item of an array of int');
    expect(ub([{ result: 'p1', name: 'new_array', args: [1_000_001], descr: elem('int') }], [], [])).toBe('op 0 (new_array): array too large (1000001 items)');
  });

  it('a million items is still defined, and can be finished with and escaped', () => {
    const t = trace(
      [],
      [
        { result: 'p0', name: 'new_array', args: [1_000_000], descr: elem('int') },
        { name: 'escape', args: ['p0'] },
        { name: 'finish', args: ['p0'] },
      ],
    );
    const outcome = runReference(t, input([]));
    expect(outcome.exit).toEqual({ kind: 'finish' });
    const [array] = outcome.values;
    const cell = array?.kind === 'ref' ? outcome.finalHeap.get(array.id) : undefined;
    expect(cell?.kind === 'array' && cell.items.length).toBe(1_000_000);
  });

  it('a run past the memory budget ends with an error exit, not a crash', () => {
    const t = trace(
      ['i0'],
      [
        { result: 'p1', name: 'new_array', args: [1_000], descr: elem('int') },
        { name: 'escape', args: ['p1'] },
        { name: 'jump', args: ['i0'] },
      ],
    );
    // 1,001 slots for the array and as many for its logged copy, per iteration: 5 iterations fit.
    const outcome = runReference(t, input([{ kind: 'int', value: 0n }]), { fuel: 300, heapBudget: 10_010 });
    expect(outcome.exit.kind).toBe('error');
    expect(outcome.exit.kind === 'error' && outcome.exit.message).toBe('op 0 (new_array): the run needs more than 10010 value slots of memory');
    expect(outcome.iterations).toBe(6);
  });
});

// --- escape ---

describe('escape', () => {
  it('logs a snapshot before the bump, then bumps everything escaped by k, input objects included', () => {
    const t = trace(['p0'], [
      { result: 'p1', name: 'new', descr: cls('BoxedInteger') },
      { name: 'setfield', args: ['p1', 10], descr: INTVAL },
      { result: 'p2', name: 'new', descr: cls('BoxedInteger') },
      { name: 'escape', args: ['p1', 7] }, // k = 1
      { result: 'i3', name: 'getfield', args: ['p1'], descr: INTVAL },
      { result: 'i4', name: 'getfield', args: ['p0'], descr: INTVAL },
      { name: 'escape', args: [] }, // k = 2
      { result: 'i5', name: 'getfield', args: ['p1'], descr: INTVAL },
      { result: 'i6', name: 'getfield', args: ['p2'], descr: INTVAL },
      { name: 'finish', args: ['i3', 'i4', 'i5', 'i6'] },
    ]);
    const outcome = runReference(t, input([hObj('a')], [boxed('a', 100)]));
    expect(outcome.values.map(intOf)).toEqual([11n, 101n, 13n, 0n]);
    const [first, second] = outcome.escapes;
    expect(first!.args[1]).toEqual({ kind: 'int', value: 7n });
    expect(fieldOf(outcome, first!.args[0], 'intval', first!.heap)).toEqual({ kind: 'int', value: 10n });
    expect([...first!.heap.keys()]).toEqual([idOf(first!.args[0])]);
    expect(second).toEqual({ args: [], heap: new Map() });
    // The final heap holds the input and the escaped object with their final contents.
    expect(fieldOf(outcome, outcome.inputArgs[0], 'intval')).toEqual({ kind: 'int', value: 103n });
    expect(fieldOf(outcome, first!.args[0], 'intval')).toEqual({ kind: 'int', value: 13n });
  });

  it('recomputes the escaped closure: an object stored into an escaped one escapes at the next call', () => {
    const t = trace(['p0'], [
      { result: 'p1', name: 'new', descr: cls('Node') },
      { name: 'setfield', args: ['p1', 50], descr: field('Node', 'val') },
      { name: 'setfield', args: ['p0', 'p1'], descr: field('Node', 'next') },
      { name: 'escape', args: [] }, // k = 1: p1 is reachable from the input p0
      { result: 'i2', name: 'getfield', args: ['p1'], descr: field('Node', 'val') },
      { name: 'finish', args: ['i2'] },
    ]);
    const node: HeapObjectDesc = { name: 'a', kind: 'object', cls: 'Node', fields: [] };
    const outcome = runReference(t, input([hObj('a')], [node]));
    expect(outcome.values.map(intOf)).toEqual([51n]);
    expect(fieldOf(outcome, outcome.inputArgs[0], 'val')).toEqual({ kind: 'int', value: 1n });
  });

  it('bumps int arrays but not float fields; snapshots are copies', () => {
    const t = trace(['p0'], [
      { result: 'p1', name: 'new_array', args: [2], descr: elem('int') },
      { name: 'setfield', args: ['p0', cfloat(1.5)], descr: field('Node', 'x') },
      { name: 'escape', args: ['p1', 'p0'] },
      { name: 'setarrayitem', args: ['p1', 0, -9] },
      { name: 'finish', args: ['p1'] },
    ]);
    const outcome = runReference(t, input([hObj('a')], [{ name: 'a', kind: 'object', cls: 'Node', fields: [] }]));
    const snap = outcome.escapes[0]!.heap;
    expect(cellOf(outcome, outcome.values[0], snap)).toEqual({ kind: 'array', elem: 'int', items: [{ kind: 'int', value: 0n }, { kind: 'int', value: 0n }] });
    expect(cellOf(outcome, outcome.values[0])).toEqual({ kind: 'array', elem: 'int', items: [{ kind: 'int', value: -9n }, { kind: 'int', value: 1n }] });
    expect(fieldOf(outcome, outcome.inputArgs[0], 'x')).toEqual({ kind: 'float', value: 1.5 });
    expect(fieldOf(outcome, outcome.inputArgs[0], 'val')).toEqual({ kind: 'int', value: 1n });
  });
});

// --- exits with virtuals ---

describe('exit materialization', () => {
  it('allocates every virtual first, so cycles and sharing work', () => {
    const virtuals: VirtualDesc[] = [
      { kind: 'object', cls: 'Node', fields: [{ field: 'next', value: { kind: 'virtual', index: 1 } }, { field: 'val', value: v('i0') }] },
      { kind: 'object', cls: 'Node', fields: [{ field: 'next', value: { kind: 'virtual', index: 0 } }] },
      { kind: 'array', elem: 'ref', items: [{ kind: 'virtual', index: 0 }, NULL] },
    ];
    const t = trace(['i0'], [
      { name: 'guard_true', args: [0], exit: { values: [{ kind: 'virtual', index: 0 }, { kind: 'virtual', index: 0 }, { kind: 'virtual', index: 2 }, cint(5)], virtuals } },
      { name: 'finish', args: [] },
    ]);
    const outcome = runReference(t, input([hInt(3)]));
    const [a, a2, arr, five] = outcome.values;
    expect(a).toEqual(a2);
    expect(five).toEqual({ kind: 'int', value: 5n });
    const b = fieldOf(outcome, a, 'next');
    expect(idOf(b)).not.toBe(idOf(a));
    expect(fieldOf(outcome, b, 'next')).toEqual(a);
    expect(fieldOf(outcome, a, 'val')).toEqual({ kind: 'int', value: 3n });
    expect(fieldOf(outcome, b, 'val')).toEqual({ kind: 'int', value: 0n });
    expect(cellOf(outcome, arr)).toEqual({ kind: 'array', elem: 'ref', items: [a, { kind: 'null' }] });
  });
});

// --- fuel ---

describe('fuel', () => {
  // A peeled counter loop: the loop carries the unboxed int; the label's exit reboxes it.
  const peeled = trace(['p0'], [
    { result: 'i1', name: 'getfield', args: ['p0'], descr: INTVAL },
    {
      name: 'label',
      args: ['i1'],
      exit: { values: [{ kind: 'virtual', index: 0 }], virtuals: [{ kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: v('i1') }] }] },
    },
    { result: 'i2', name: 'int_add', args: ['i1', 1] },
    { name: 'jump', args: ['i2'] },
  ]);
  const run = (fuel: number) => runReference(peeled, input([hObj('a')], [boxed('a', 40)]), { fuel });

  it('at the label, rebuilds the original arguments from the label parameters', () => {
    const outcome = run(0);
    expect(outcome.exit).toEqual({ kind: 'fuel' });
    expect(outcome.iterations).toBe(1);
    expect(idOf(outcome.values[0])).not.toBe(0);
    expect(fieldOf(outcome, outcome.values[0], 'intval')).toEqual({ kind: 'int', value: 40n });
  });

  it('at the jump, binds the jump args to the label parameters first', () => {
    expect(fieldOf(run(1), run(1).values[0], 'intval')).toEqual({ kind: 'int', value: 41n });
    const outcome = run(5);
    expect(outcome.iterations).toBe(6);
    expect(fieldOf(outcome, outcome.values[0], 'intval')).toEqual({ kind: 'int', value: 45n });
  });

  it('without a label exit, the label args are the loop arguments', () => {
    const t = trace(['i0'], [{ name: 'label', args: ['i0'] }, { result: 'i1', name: 'int_mul', args: ['i0', 2] }, { name: 'jump', args: ['i1'] }]);
    expect(runReference(t, input([hInt(3)]), { fuel: 0 }).values).toEqual([{ kind: 'int', value: 3n }]);
    expect(runReference(t, input([hInt(3)]), { fuel: 3 }).values).toEqual([{ kind: 'int', value: 24n }]); // 3 bodies: 3 · 2³
  });

  it('without a label, the jump restarts at op 0 and a fuel exit gives the jump args', () => {
    const t = trace(['i0', 'i1'], [
      { result: 'i2', name: 'int_add', args: ['i0', 1] },
      { name: 'escape', args: ['i1'] },
      { name: 'jump', args: ['i2', 'i0'] },
    ]);
    const outcome = runReference(t, input([hInt(0), hInt(-1)]), { fuel: 2 });
    expect(outcome.exit).toEqual({ kind: 'fuel' });
    expect(outcome.iterations).toBe(3);
    expect(outcome.values.map(intOf)).toEqual([3n, 2n]);
    expect(outcome.escapes.map((e) => e.args.map(intOf))).toEqual([[-1n], [0n], [1n]]);
  });

  it('defaults to 1000 back-edges', () => {
    const outcome = runReference(peeled, input([hObj('a')], [boxed('a', 0)]));
    expect(outcome.iterations).toBe(1001);
    expect(fieldOf(outcome, outcome.values[0], 'intval')).toEqual({ kind: 'int', value: 1000n });
  });
});
