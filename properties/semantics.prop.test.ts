/**
 * The pure semantics of the guest language (src/vm/semantics.ts) agree with CPython 3.11 on
 * random operations: ints across 2^53, 2^63 and 2^64 and far beyond, floats of every kind (inf,
 * nan, -0.0, subnormals, the largest), their mixes, conversions from and to text, and the math
 * functions. Each run is a batch of operations checked by one python3 process. The property is
 * shown to fail on deliberately wrong semantics kept in test/broken-semantics/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PY_SEMANTICS, type Semantics } from '../src/vm/semantics.ts';
import { COMPARE_THROUGH_FLOAT } from '../test/broken-semantics/compare-through-float.ts';
import { FLOAT_REPR_17_DIGITS } from '../test/broken-semantics/float-repr-17-digits.ts';
import { FLOORDIV_TRUNCATES } from '../test/broken-semantics/floordiv-truncates.ts';
import { differences, differingCases, type Case, type Op } from '../test/vm/semantics-oracle.ts';
import { fcParams, fcParamsForBrokenVariant } from './fc-config.ts';

const BOUNDARIES = [0n, 2n ** 53n, 2n ** 63n, 2n ** 64n, 2n ** 100n, 2n ** 1024n];

const intArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.tuple(fc.constantFrom(...BOUNDARIES), fc.bigInt({ min: -3n, max: 3n }), fc.boolean()).map(([b, d, negative]) => (negative ? -(b + d) : b + d)),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -(2n ** 1100n), max: 2n ** 1100n }),
);

const floatArb: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.integer({ min: -4000, max: 4000 }).map((n) => n / 8),
  // short decimals (0.1, 2.675, …), as programs write them: not exact in binary
  fc.tuple(fc.integer({ min: -100000, max: 100000 }), fc.constantFrom(10, 100, 1000)).map(([n, d]) => n / d),
  fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 2 ** 53, 2 ** 63, 2 ** 64, 0.1),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);

const numberArb: fc.Arbitrary<bigint | number> = fc.oneof(intArb, floatArb);

/** Text for int() and float(): numbers as Python would write them, then mutated a little. */
const numericTextArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      intArb.map((a) => a.toString()),
      floatArb.map((x) => PY_SEMANTICS.reprFloat(x)),
      fc.stringMatching(/^[-+]?[0-9_.eE]{1,12}$/),
      fc.constantFrom('inf', '-Infinity', 'nAn', '1_000', '١٢', '0x1'),
    ),
    fc.constantFrom('', ' ', '\t', '\n ', '\u00a0', '\x1c'),
    fc.constantFrom('', ' ', '\r\n', '\u3000', '_'),
  )
  .map(([body, before, after]) => before + body + after);

const BINARY: Op[] = ['add', 'sub', 'mul', 'truediv', 'floordiv', 'mod', 'pow'];

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  fc.record({ op: fc.constantFrom(...BINARY), args: fc.tuple(numberArb, numberArb) }),
  fc.record({ op: fc.constantFrom(...BINARY), args: fc.tuple(intArb, intArb) }),
  fc.record({ op: fc.constantFrom(...BINARY), args: fc.tuple(floatArb, floatArb) }),
  fc.record({ op: fc.constant<Op>('cmp'), args: fc.tuple(intArb, floatArb) }),
  // an int against the float nearest to it: equal only if the int is exactly that float
  fc.record({ op: fc.constant<Op>('cmp'), args: intArb.map((a) => [a, Number(a)] as const) }),
  fc.record({ op: fc.constant<Op>('cmp'), args: fc.tuple(floatArb, floatArb).map(([x, y]) => [BigInt(Math.trunc(Number.isFinite(x) ? x : 0)), y] as const) }),
  fc.record({ op: fc.constantFrom<Op>('neg', 'repr', 'str'), args: fc.tuple(numberArb) }),
  fc.record({ op: fc.constantFrom<Op>('float'), args: fc.tuple(fc.oneof(intArb, numericTextArb)) }),
  fc.record({ op: fc.constantFrom<Op>('int'), args: fc.tuple(fc.oneof(floatArb, numericTextArb)) }),
  // sin and cos are left out: ours are correctly rounded, CPython's (glibc's) are not always
  // (about 2 inputs in 1,000 of size 30 to 60 differ in the last digit: cos(39.8) is
  // -0.50561257075657556349… exactly, glibc says …755). The test below pins that difference.
  fc.record({ op: fc.constantFrom<Op>('floor', 'sqrt'), args: fc.tuple(floatArb) }),
  fc.record({ op: fc.constant<Op>('repr'), args: fc.tuple(fc.string({ unit: 'binary', maxLength: 8 })) }),
)
  // int ** int with a large exponent would take CPython minutes (and is a MemoryError here).
  .filter((c) => !(c.op === 'pow' && typeof c.args[0] === 'bigint' && typeof c.args[1] === 'bigint' && c.args[1] > 64n))
  .map((c) => ({ op: c.op, args: [...c.args] }));

/**
 * The property: on a batch of random operations, `sem` and CPython agree. A failure names each
 * operation that differs, and each is a complete counterexample on its own, so fast-check's
 * shrinking (one python3 process per step over a 400-operation batch) is switched off
 * (`endOnFailure`) and the broken-variant checks re-run the first difference alone.
 */
function agreesWithCPython(sem: Semantics) {
  return fc.property(fc.array(caseArb, { minLength: 1, maxLength: 400, size: 'max' }), (cases) => {
    const found = differences(sem, cases);
    if (found.length > 0) throw new Error(`differs from CPython:\n${found.slice(0, 5).join('\n')}`);
  });
}

describe('the guest semantics agree with CPython 3.11', () => {
  it('on random batches of operations', () => {
    fc.assert(agreesWithCPython(PY_SEMANTICS), fcParams(6, { endOnFailure: true }));
  });

  it('sin and cos differ from CPython only where glibc is not correctly rounded (known, pending)', () => {
    // When these agree, sin and cos can go back into the random batches above.
    expect(differences(PY_SEMANTICS, [{ op: 'cos', args: [39.8] }, { op: 'sin', args: [57.6] }])).toHaveLength(2);
    expect(differences(PY_SEMANTICS, [{ op: 'cos', args: [3.3] }, { op: 'sin', args: [-3.3] }, { op: 'sin', args: [0.5] }])).toEqual([]);
  });

  const broken: [string, Semantics][] = [
    ['int // rounding toward zero', FLOORDIV_TRUNCATES],
    ['floats printed with 17 digits', FLOAT_REPR_17_DIGITS],
    ['ints compared with floats through a conversion', COMPARE_THROUGH_FLOAT],
  ];
  for (const [name, sem] of broken) {
    it(`catches ${name}, with a one-operation counterexample`, () => {
      // Up to 40 batches, stopping at the first difference: fast-check starts with small batches,
      // and 6 of them once missed the 17-digit repr (a clean-clone CI run), so the check failed
      // by chance, not because the property was blind.
      const result = fc.check(agreesWithCPython(sem), fcParamsForBrokenVariant(40, { endOnFailure: true }));
      expect(result.failed, `${name} went unnoticed`).toBe(true);
      const [cases] = result.counterexample!;
      const failing = differingCases(sem, cases);
      expect(failing.length).toBeGreaterThan(0);
      // The first difference alone is a counterexample, and the real semantics pass it.
      const one = [failing[0]!.case];
      console.log(`counterexample for ${name}: ${differences(sem, one).join('')}`);
      expect(differences(sem, one)).toHaveLength(1);
      expect(differences(PY_SEMANTICS, one)).toEqual([]);
    });
  }
});
