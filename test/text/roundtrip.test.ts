/**
 * Printing then parsing gives back the same trace, and the printer's text is canonical: each
 * trace below is written in canonical form, so it must print back character for character.
 * Together the traces use every op of the table (checked), guard ids, virtuals (with a cycle),
 * a label with an exit, arrays, float edge values and the int64 bounds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OP_NAMES, type Trace } from '../../src/ir/index.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { withoutLocs } from './helpers.ts';

const everyIntAndFloatOp = `class Box(value: int, ratio: float)
class Other(value: int)

[i0, f1, p2]
i3 = int_add(i0, 1)
i4 = int_sub(i3, -9223372036854775808)
i5 = int_mul(i4, 9223372036854775807)
i6 = int_floordiv(i5, i0)
i7 = int_mod(i6, -3)
i8 = int_and(i7, i0)
i9 = int_or(i8, 0)
i10 = int_xor(i9, i0)
i11 = int_lshift(i10, 64)
i12 = int_rshift(i11, 1)
i13 = int_neg(i12)
i14 = int_lt(i13, i0)
i15 = int_le(i14, i0)
i16 = int_eq(i15, i0)
i17 = int_ne(i16, i0)
i18 = int_gt(i17, i0)
i19 = int_ge(i18, i0)
i20 = int_add_ovf(i0, i3)
guard_no_overflow() [i0, i20]
i21 = int_sub_ovf(i0, i3)
guard_overflow(id=7)
i22 = int_mul_ovf(i0, 2)
guard_no_overflow()
f23 = float_add(f1, 1.5)
f24 = float_sub(f23, -0.0)
f25 = float_mul(f24, nan)
f26 = float_truediv(f25, inf)
f27 = float_neg(-inf)
f28 = float_abs(f27)
i29 = float_lt(f28, 5e-324)
i30 = float_le(f28, 1.7976931348623157e308)
i31 = float_eq(f28, 0.0)
i32 = float_ne(f28, 1e21)
i33 = float_gt(f28, 1.5e-7)
i34 = float_ge(f28, 123456789.125)
f35 = cast_int_to_float(i34)
i36 = cast_float_to_int(f35)
guard_true(i36)
guard_false(i36, id=0)
guard_value(i36, -9223372036854775808)
guard_value(f35, -0.0) []
f37 = float_sqrt(f35)
f38 = float_pow(f37, -1.5)
f39 = float_sin(f38)
f40 = float_cos(f39)
finish(i0, f40, p2, 9223372036854775807, nan, null)
`;

const everyHeapOp = `class Box(value: int, ratio: float)
class Other(value: int)
class Pair(left: ref, right: ref)

[p0, p1, i2]
guard_nonnull(p0)
guard_class(p0, Pair)
p3 = getfield(p0, left)
guard_isnull(p3) [p0]
p4 = new(Box)
setfield(p4, Box.value, i2)
setfield(p4, ratio, 2.5)
i5 = getfield(p4, Box.value)
p6 = new(Other)
setfield(p6, Other.value, i5)
p7 = new_array(i5, ref)
setarrayitem(p7, 0, p4)
p8 = getarrayitem(p7, 0, ref)
p9 = new_array(3, float)
setarrayitem(p9, 2, -inf)
f10 = getarrayitem(p9, 2, float)
i11 = arraylen(p9)
i12 = ptr_eq(p8, p4)
i13 = ptr_ne(p8, null)
guard_value(p8, p4)
escape(p4, i11, f10, null, 7, 2.5)
escape()
jump(p0, p6, i13)

input pair [@pair, null, -9223372036854775808] with @pair = Pair{left: null, right: @items}, @items = ref[@pair, null]
input floats [@p, @q, 0] with @p = Pair{right: @p}, @q = float[nan, -0.0, inf, 5e-324]
input bare [@b, @b, 9223372036854775807] with @b = Pair{}
`;

const loopWithVirtuals = `class Node(next: ref, value: int)
class Cell(item: float)

[p0, i1]
guard_nonnull(p0) [$0, p0] with $0 = Node{next: $1, value: i1}, $1 = Node{next: $0}
i2 = getfield(p0, value)
label(p0, i2) [$0, i2] with $0 = Node{next: p0, value: i2}
guard_true(i2, id=5) [$0, $1, $2] with $0 = int[i2, 0, -1], $1 = float[], $2 = ref[$0, null, $3], $3 = Cell{item: -0.0}
p3 = new(Node)
guard_class(p3, Node) []
guard_false(i2) [p3, i2, p0, i1]
jump(p3, i2)
`;

const noClassesNoInputs = `[]
jump()
`;

const prebuiltObjects = `class Node(next: ref, value: int)
class NoneType()

prebuilt @none = NoneType{}
prebuilt @cycle = Node{next: @cycle, value: -1}
prebuilt @table = ref[@none, null, @cycle]
prebuilt @empty = float[]

[p0, i1]
i2 = ptr_eq(p0, @none)
guard_value(p0, @cycle) [p0, @none]
p3 = getfield(@cycle, next)
setfield(@cycle, next, @none)
p4 = getarrayitem(@table, 0, ref)
guard_true(i1) [$0, @table] with $0 = Node{next: @cycle}
label(p0, i1) [@cycle, i1]
escape(@none, p0)
jump(@none, i2)

input one [@n, 3] with @n = Node{next: @none, value: 2}
`;

const canonical = { everyIntAndFloatOp, everyHeapOp, loopWithVirtuals, noClassesNoInputs, prebuiltObjects };

function expectRoundTrip(trace: Trace): void {
  const text = printTrace(trace);
  const again = parseTrace(text);
  expect(withoutLocs(again)).toEqual(withoutLocs(trace));
  expect(printTrace(again)).toBe(text);
}

describe('round trip', () => {
  for (const [name, text] of Object.entries(canonical)) {
    it(`${name} prints back exactly as written and parses to the same trace`, () => {
      const trace = parseTrace(text);
      expect(printTrace(trace)).toBe(text);
      expectRoundTrip(trace);
    });
  }

  it('covers every op of the table', () => {
    const used = new Set(Object.values(canonical).flatMap((text) => parseTrace(text).ops.map((op) => op.name)));
    expect(OP_NAMES.filter((name) => !used.has(name))).toEqual([]);
  });

  it('Figure 2 round-trips and prints in canonical form', () => {
    const trace = parseTrace(readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8'));
    expectRoundTrip(trace);
    const text = printTrace(trace);
    expect(text.split('\n').slice(0, 6)).toEqual([
      'class BoxedInteger(intval: int)',
      'class BoxedFloat(floatval: float)',
      '',
      '[p0, p1]',
      'guard_class(p1, BoxedInteger)',
      'i2 = getfield(p1, intval)',
    ]);
  });

  it('keeps float constants bit for bit', () => {
    const values = [NaN, -0, 0, Infinity, -Infinity, 5e-324, -5e-324, 1.7976931348623157e308, 0.1, 1 / 3, 1e21, 1e-7, 2 ** 53 + 2];
    const trace = parseTrace(`[]\nfinish(${values.map(() => '0.0').join(', ')})`);
    const withValues: Trace = {
      ...trace,
      ops: [{ ...trace.ops[0]!, args: values.map((value) => ({ kind: 'float', value })) }],
    };
    const args = parseTrace(printTrace(withValues)).ops[0]!.args;
    args.forEach((arg, k) => {
      expect(arg.kind).toBe('float');
      expect(Object.is(arg.kind === 'float' ? arg.value : undefined, values[k])).toBe(true);
    });
  });

  it('writes fail args that equal the default but carry virtuals, and guard ids that differ from the position', () => {
    const trace = parseTrace(`class Box(value: int)\n[i0]\nguard_true(i0) [i0, $0] with $0 = Box{value: 1}\nguard_true(i0, id=0)\nfinish()`);
    const lines = printTrace(trace).split('\n');
    expect(lines[3]).toBe('guard_true(i0) [i0, $0] with $0 = Box{value: 1}');
    expect(lines[4]).toBe('guard_true(i0, id=0)');
  });
});

describe('linear cost', () => {
  it('parses and prints a 100,000-op trace', () => {
    const lines = ['[i0]'];
    let last = 0;
    for (let k = 1; k <= 100_000; k++) {
      if (k % 10 === 0) {
        lines.push(`guard_true(i${last}) [i0, i${last}]`);
      } else {
        lines.push(`i${k} = int_add(i${last}, ${k})`);
        last = k;
      }
    }
    lines.push('finish(i0)');
    const text = `${lines.join('\n')}\n`;
    const trace = parseTrace(text);
    expect(trace.ops).toHaveLength(100_001);
    expect(printTrace(trace)).toBe(text);
  });
});
