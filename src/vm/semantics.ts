/**
 * The record of pure operations the interpreter dispatches through for everything whose
 * CPython 3.11 behaviour is subtle: int and float arithmetic, mixed comparisons, conversions,
 * and the text of numbers and strings. Values here are unboxed: a Python int is a `bigint`, a
 * float a `number` (a bool is passed as the int 0n/1n; the interpreter unboxes and reboxes).
 * No operation touches the heap. An operation that fails in Python throws a `GuestException`
 * with CPython's exact message (errors.ts).
 *
 * Why a record rather than direct imports: the interpreter takes the record as a parameter, so a
 * test can hand it a deliberately wrong variant (`//` rounding toward zero, floats printed with
 * 17 digits) and show that the random-program property against CPython catches it. The record
 * is the seam; the interpreter must not bypass it for these operations (a fast path for small
 * ints must agree with it, and the broken-variant tests are what show it does).
 *
 * Mixed int/float arithmetic is the float operation on `intToFloat(int)` (which raises
 * OverflowError for huge ints), as in CPython, except `int / int` (`intTrueDiv`, correctly
 * rounded even for huge operands) and `int ** int` (`intPow`, a float for negative exponents).
 * Comparisons between an int and a float are exact (`compareIntFloat`), never via conversion.
 */
import * as format from './format.ts';
import * as numeric from './numeric.ts';

export interface Semantics {
  // int × int → int (floor division and modulo with Python's signs)
  readonly intAdd: (a: bigint, b: bigint) => bigint;
  readonly intSub: (a: bigint, b: bigint) => bigint;
  readonly intMul: (a: bigint, b: bigint) => bigint;
  readonly intFloorDiv: (a: bigint, b: bigint) => bigint;
  readonly intMod: (a: bigint, b: bigint) => bigint;
  readonly intNeg: (a: bigint) => bigint;
  /** `a ** b`: an int for b >= 0, a float for b < 0. */
  readonly intPow: (a: bigint, b: bigint) => bigint | number;
  /** `a / b`, correctly rounded. */
  readonly intTrueDiv: (a: bigint, b: bigint) => number;
  /** `float(a)`, correctly rounded (round-half-even); OverflowError beyond the float range. */
  readonly intToFloat: (a: bigint) => number;

  // float × float → float
  readonly floatAdd: (a: number, b: number) => number;
  readonly floatSub: (a: number, b: number) => number;
  readonly floatMul: (a: number, b: number) => number;
  readonly floatTrueDiv: (a: number, b: number) => number;
  readonly floatFloorDiv: (a: number, b: number) => number;
  readonly floatMod: (a: number, b: number) => number;
  readonly floatPow: (a: number, b: number) => number;
  readonly floatNeg: (a: number) => number;

  /** Exact three-way comparison of an int and a float: -1, 0, 1, or NaN when `b` is nan. */
  readonly compareIntFloat: (a: bigint, b: number) => number;

  // conversions
  /** `int(x)` for a float: truncation toward zero. */
  readonly intFromFloat: (x: number) => bigint;
  /** `int(s)` for a str (base 10, underscores, surrounding whitespace, sign). */
  readonly intFromString: (s: string) => bigint;
  /** `float(s)` for a str (incl. 'inf', 'nan', '-0.0', surrounding whitespace). */
  readonly floatFromString: (s: string) => number;

  // text
  /** `repr(x)` (= `str(x)`) of a float: shortest round-trip, CPython's exponent rules. */
  readonly reprFloat: (x: number) => string;
  /** `str(a)` (= `repr(a)`) of an int of any size. */
  readonly strInt: (a: bigint) => string;
  /** `repr(s)` of a str: CPython's quote choice and escapes. */
  readonly reprStr: (s: string) => string;

  // the math module
  readonly mathFloor: (x: number) => bigint;
  readonly mathSqrt: (x: number) => number;
  readonly mathSin: (x: number) => number;
  readonly mathCos: (x: number) => number;
}


/** CPython 3.11's behaviour: the record the interpreter uses unless a test passes another. */
export const PY_SEMANTICS: Semantics = Object.freeze({
  intAdd: numeric.intAdd,
  intSub: numeric.intSub,
  intMul: numeric.intMul,
  intFloorDiv: numeric.intFloorDiv,
  intMod: numeric.intMod,
  intNeg: numeric.intNeg,
  intPow: numeric.intPow,
  intTrueDiv: numeric.intTrueDiv,
  intToFloat: numeric.intToFloat,
  floatAdd: numeric.floatAdd,
  floatSub: numeric.floatSub,
  floatMul: numeric.floatMul,
  floatTrueDiv: numeric.floatTrueDiv,
  floatFloorDiv: numeric.floatFloorDiv,
  floatMod: numeric.floatMod,
  floatPow: numeric.floatPow,
  floatNeg: numeric.floatNeg,
  compareIntFloat: numeric.compareIntFloat,
  intFromFloat: numeric.intFromFloat,
  intFromString: format.intFromString,
  floatFromString: format.floatFromString,
  reprFloat: format.reprFloat,
  strInt: format.strInt,
  reprStr: format.reprStr,
  mathFloor: numeric.mathFloor,
  mathSqrt: numeric.mathSqrt,
  mathSin: numeric.mathSin,
  mathCos: numeric.mathCos,
});
