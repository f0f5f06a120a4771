/**
 * The pure semantics (numeric.ts, format.ts) against CPython 3.11 on a table of corner cases:
 * signs of floor division and modulo, float divmod and pow special cases, every ZeroDivisionError
 * message, int/float comparisons beyond 2^53, correctly rounded int true division and
 * int-to-float conversion (ties, subnormals, overflow), float repr at its exponent boundaries,
 * str repr quoting and escapes, int() and float() of strings. python3 runs once for the table.
 * Random inputs are in properties/semantics.prop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PY_SEMANTICS } from '../../src/vm/semantics.ts';
import { reprList, reprTuple } from '../../src/vm/format.ts';
import { roundQuotient } from '../../src/vm/numeric.ts';
import { cpythonResults, differences, type Case, type Op, type Value } from './semantics-oracle.ts';

const P63 = 2n ** 63n;
const P64 = 2n ** 64n;
const P53 = 2n ** 53n;
const INTS: bigint[] = [0n, 1n, -1n, 2n, -2n, 3n, -3n, 7n, -7n, 10n, 100n, -100n, P53 - 1n, P53, P53 + 1n, -(P53 + 1n), P63 - 1n, P63, -P63, -P63 - 1n, P64 - 1n, P64, P64 + 1n, -P64, 10n ** 30n + 7n, -(10n ** 30n) - 7n, 2n ** 1023n, 2n ** 1024n - 1n, 2n ** 1024n, 3n ** 700n];
const FLOATS: number[] = [0, -0, 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, 3, -3, 0.1, 1 / 3, 1e16, -1e16, 2 ** 53, 2 ** 53 + 2, 1e300, -1e300, 1.7976931348623157e308, 5e-324, -5e-324, 2.2250738585072014e-308, Infinity, -Infinity, NaN, 7.5, -7.5, 1e-5, 123456789.125];
const SMALL_FLOATS: number[] = [0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 2.5, -2.5, 0.1, 1e308, 1e-320, Infinity, -Infinity, NaN, 10, 1e16, -7.25];

function table(): Case[] {
  const cases: Case[] = [];
  const binary: Op[] = ['add', 'sub', 'mul', 'truediv', 'floordiv', 'mod'];
  const smallInts = INTS.filter((a) => a >= -P64 - 1n && a <= P64 + 1n);
  for (const op of binary) {
    for (const a of smallInts) for (const b of smallInts) cases.push({ op, args: [a, b] });
    for (const a of SMALL_FLOATS) for (const b of SMALL_FLOATS) cases.push({ op, args: [a, b] });
    for (const a of INTS) for (const b of [0, -0, 1.5, -2, Infinity, NaN, 1e300]) cases.push({ op, args: [a, b] }, { op, args: [b, a] });
  }
  // int true division where each operand is beyond 2^53 (one rounding, not two), huge ones,
  // overflow, and results in the subnormal range
  const big = [P53 + 1n, 3n * P53 + 1n, P64 + 1n, 10n ** 40n + 1n, 2n ** 1100n + 12345n, -(2n ** 1100n) - 1n, 10n ** 400n];
  for (const a of [...big, 1n, 3n, 7n, -1n]) for (const b of [...big, 3n, 7n, -11n]) cases.push({ op: 'truediv', args: [a, b] });
  cases.push({ op: 'truediv', args: [1n, 2n ** 1074n] }, { op: 'truediv', args: [1n, 2n ** 1075n] }, { op: 'truediv', args: [3n, 2n ** 1076n] }, { op: 'truediv', args: [1n, 2n ** 1075n - 1n] }, { op: 'truediv', args: [2n ** 1024n - 2n ** 970n, 1n] }, { op: 'truediv', args: [2n ** 1024n - 2n ** 970n - 1n, 1n] });
  // powers
  for (const a of [0n, 1n, -1n, 2n, -2n, 3n, 10n, P63]) for (const b of [0n, 1n, 2n, 3n, 63n, 64n, -1n, -2n, -1075n]) cases.push({ op: 'pow', args: [a, b] });
  for (const a of SMALL_FLOATS) for (const b of [...SMALL_FLOATS, 1 / 3, 0.5, 1075, -1075]) cases.push({ op: 'pow', args: [a, b] });
  for (const a of [2n, -2n, 10n, 0n]) for (const b of [0.5, -0.5, 1e10, -1.5]) cases.push({ op: 'pow', args: [a, b] });
  // negation, exact comparison of ints with floats
  for (const a of [...INTS, ...FLOATS]) cases.push({ op: 'neg', args: [a] });
  for (const a of INTS) for (const b of [...FLOATS, 2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 1023]) cases.push({ op: 'cmp', args: [a, b] });
  cases.push({ op: 'cmp', args: [P53 + 1n, 2 ** 53] }, { op: 'cmp', args: [P53 - 1n, 2 ** 53 - 0.5] });
  // conversions
  for (const a of [...INTS, P53 + 1n, P53 + 3n, 2n ** 1024n - 2n ** 970n, 2n ** 1024n - 2n ** 970n - 1n, 2n ** 1024n - 2n ** 971n + 1n]) cases.push({ op: 'float', args: [a] });
  for (const x of [...FLOATS, 0.9999999999999999, -0.9999999999999999, 1e22, 4.5e15 + 0.5]) {
    cases.push({ op: 'int', args: [x] }, { op: 'floor', args: [x] }, { op: 'sqrt', args: [x] }, { op: 'sin', args: [x] }, { op: 'cos', args: [x] });
  }
  // text
  for (const x of [...FLOATS, 1e15, 9999999999999998, 1e17, 1.5e-5, 0.0001, 0.00001, 123456789012345680, 1.1, 2.675, 1e22, 1e21, 1.7976931348623157e308, 4.35, 0.3, 100, 1e-7, 12345.678e10]) cases.push({ op: 'repr', args: [x] });
  for (const a of [...INTS, 10n ** 4299n, -(10n ** 4300n - 1n), 10n ** 4300n, -(10n ** 4300n)]) cases.push({ op: 'str', args: [a] });
  const strings = ['', 'abc', "it's", 'say "hi"', 'both \' and "', '\\', 'tab\tnl\nret\r', '\x00\x01\x1f\x7f', '\x80\x9f\xa0\xad\xff', 'é', '€', '\u2028', '\u200b', '\ufeff', '\ud800', '😀', '\u{10ffff}', '\u{e0001}', 'a b', '\u3000', '\u00a0x'];
  for (const s of strings) cases.push({ op: 'repr', args: [s] });
  const numeric = ['0', '-0', '+7', ' 42 ', '\t\n1\x0b\x0c\r', '1_000', '1__0', '_1', '1_', '007', '', ' ', '- 7', '0x10', '1.5', '1e5', '١٢٣', '\u00a01\u2003', '\ufeff1', '\x1c5\x1f', '\x855', '12345678901234567890123', '1'.repeat(4300), '1'.repeat(4301), '-' + '1'.repeat(4301), '1_'.repeat(2200) + '1'];
  const floaty = ['1.5', ' -0.0 ', '.5', '5.', '.', 'e5', '1e5', '1E-5', '1e500', '-1e500', '1e-400', 'inf', '-inf', '+inf', 'INF', 'infinity', 'Infinity', '-iNfInItY', 'nan', '-nan', 'NaN', 'nan(1)', 'in', 'infinit', '1_0.5', '1_.5', '1._5', '0x10', '1.5j', '١.٥', '0.1', '2.675', '1' + '0'.repeat(400), '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324'];
  for (const s of numeric) cases.push({ op: 'int', args: [s] });
  for (const s of [...numeric, ...floaty]) cases.push({ op: 'float', args: [s] });
  return cases;
}

describe('pure semantics agree with CPython 3.11', () => {
  const cases = table();
  const expected = cpythonResults(cases);

  it(`on ${cases.length} corner cases`, () => {
    expect(differences(PY_SEMANTICS, cases, expected)).toEqual([]);
  });

  it('including every ZeroDivisionError message and the overflow messages', () => {
    const messages = new Set(expected.filter((r) => r.startsWith('err:')).map((r) => r.replace(/ value has \d+ digits;/, '')));
    expect([...messages].sort()).toEqual([
      'err:OverflowError: (34, \'Numerical result out of range\')',
      'err:OverflowError: cannot convert float infinity to integer',
      'err:OverflowError: int too large to convert to float',
      'err:OverflowError: integer division result too large for a float',
      'err:ValueError: Exceeds the limit (4300 digits) for integer string conversion: use sys.set_int_max_str_digits() to increase the limit',
      'err:ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit',
      'err:ValueError: cannot convert float NaN to integer',
      ...expected.filter((r) => r.startsWith('err:ValueError: could not convert') || r.startsWith('err:ValueError: invalid literal')).filter((r, k, all) => all.indexOf(r) === k),
      'err:ValueError: math domain error',
      'err:ZeroDivisionError: 0.0 cannot be raised to a negative power',
      'err:ZeroDivisionError: division by zero',
      'err:ZeroDivisionError: float division by zero',
      'err:ZeroDivisionError: float floor division by zero',
      'err:ZeroDivisionError: float modulo',
      'err:ZeroDivisionError: integer division or modulo by zero',
      'err:ZeroDivisionError: integer modulo by zero',
    ].sort());
  });
});

describe('sequence reprs', () => {
  it('lists and tuples as CPython writes them', () => {
    expect(reprList([])).toBe('[]');
    expect(reprList(['1', "'a'"])).toBe("[1, 'a']");
    expect(reprTuple([])).toBe('()');
    expect(reprTuple(['1'])).toBe('(1,)');
    expect(reprTuple(['1', '2.5'])).toBe('(1, 2.5)');
  });
});

describe('roundQuotient', () => {
  it('rounds ties to even and keeps subnormals exact', () => {
    expect(roundQuotient(2n ** 53n + 1n, 1n)).toBe(2 ** 53);
    expect(roundQuotient(2n ** 53n + 3n, 1n)).toBe(2 ** 53 + 4);
    expect(roundQuotient(1n, 2n ** 1074n)).toBe(5e-324);
    expect(roundQuotient(1n, 2n ** 1075n)).toBe(0);
    expect(roundQuotient(1n, 2n ** 1075n - 1n)).toBe(5e-324);
    expect(roundQuotient(2n ** 1024n, 1n)).toBe(Infinity);
  });
});

export type { Value };

describe('the Unicode tables taken from CPython', () => {
  it('is what its generator prints from CPython 3.11 today', async () => {
    const { readFileSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    const { python3Executable } = await import('../../properties/python3.ts');
    const root = new URL('../../', import.meta.url);
    const generated = spawnSync(python3Executable(), [new URL('test/vm/scripts/gen-unicode.py', root).pathname], { encoding: 'utf8' });
    expect(generated.status).toBe(0);
    expect(readFileSync(new URL('src/vm/unicode.ts', root), 'utf8')).toBe(generated.stdout);
  });
});
