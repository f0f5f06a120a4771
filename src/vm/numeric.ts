/**
 * Python's int and float arithmetic, exactly as CPython 3.11 computes it, on unboxed values:
 * an int is a `bigint`, a float a `number`. No heap; a Python error is a thrown GuestException
 * with CPython's message (ZeroDivisionError "integer division or modulo by zero", …).
 *
 * Why each function is not just the JavaScript operator:
 *  - `//` and `%` floor (the remainder takes the divisor's sign); bigint `/` and `%` truncate;
 *  - `int / int` is correctly rounded from the exact quotient (CPython's long_true_divide), not
 *    `Number(a) / Number(b)`, which rounds twice once an operand passes 2^53; a quotient beyond
 *    the float range is OverflowError "integer division result too large for a float";
 *  - `int ** negative int` is a float, computed as CPython does: both converted, then float `**`;
 *  - float `//` and `%` follow CPython's float_divmod (fmod, then the sign fix and the snap of
 *    the quotient to an integer); float `**` takes CPython's special cases before `Math.pow`
 *    (1 ** nan == 1, 0.0 ** negative is ZeroDivisionError, overflow is OverflowError
 *    "(34, 'Numerical result out of range')", (-8.0) ** (1/3) would be complex in CPython:
 *    complex numbers are outside the subset, so it is a ValueError saying so);
 *  - an int meets a float exactly in comparisons (`compareIntFloat`), never through a
 *    conversion that would round (CPython: 2**53 + 1 > 2.0**53 is True);
 *  - `float(int)` is correctly rounded and OverflowError "int too large to convert to float"
 *    past the float range (JavaScript's Number(bigint) rounds the same way, to Infinity there).
 *
 * `pow`, `sin` and `cos` are libm.ts's, correctly rounded as glibc's (which CPython calls) are:
 * V8's Math.pow, Math.sin and Math.cos are one ulp off on a few percent of inputs.
 */
import { raise } from './errors.ts';
import { cosCorrectlyRounded, powTotal, sinCorrectlyRounded } from '../ir/libm.ts';

// --- int ------------------------------------------------------------------------------------

export const intAdd = (a: bigint, b: bigint): bigint => a + b;
export const intSub = (a: bigint, b: bigint): bigint => a - b;
export const intMul = (a: bigint, b: bigint): bigint => a * b;
export const intNeg = (a: bigint): bigint => -a;

export function intFloorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) raise('ZeroDivisionError', 'integer division or modulo by zero');
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function intMod(a: bigint, b: bigint): bigint {
  if (b === 0n) raise('ZeroDivisionError', 'integer modulo by zero');
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/**
 * Results beyond this many bits are refused with MemoryError rather than computed for minutes
 * (CPython would try, and fail the same way on this class of machine, much later).
 */
export const MAX_INT_BITS = 1n << 32n;

export function intPow(a: bigint, b: bigint): bigint | number {
  if (b < 0n) return floatPow(intToFloat(a), intToFloat(b));
  if (a === 0n || a === 1n || b === 0n) return b === 0n ? 1n : a;
  if (a === -1n) return b % 2n === 0n ? 1n : -1n;
  if (BigInt(bitLength(a < 0n ? -a : a) - 1) * b >= MAX_INT_BITS) raise('MemoryError', '');
  return a ** b;
}

/** Number of bits of a non-negative bigint (0 for 0). */
export function bitLength(a: bigint): number {
  if (a === 0n) return 0;
  // toString(16) is linear; its length gives the bits to within 3.
  const hexText = a.toString(16);
  return (hexText.length - 1) * 4 + (32 - Math.clz32(parseInt(hexText[0]!, 16)));
}

export function intToFloat(a: bigint): number {
  const x = Number(a);
  if (!Number.isFinite(x)) raise('OverflowError', 'int too large to convert to float');
  return x;
}

export function intTrueDiv(a: bigint, b: bigint): number {
  if (b === 0n) raise('ZeroDivisionError', 'division by zero');
  const LIMIT = 1n << 53n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const negative = (a < 0n) !== (b < 0n);
  // Both exactly representable: one IEEE division, correctly rounded.
  if (absA <= LIMIT && absB <= LIMIT) return Number(a) / Number(b);
  const q = roundQuotient(absA, absB);
  if (q === Infinity) raise('OverflowError', 'integer division result too large for a float');
  return negative ? -q : q;
}

/** 2^k as a double, for -1074 <= k <= 1023, built from its bits (exact). */
function twoPow(k: number): number {
  if (k >= -1022) {
    const bits = new DataView(new ArrayBuffer(8));
    bits.setUint16(0, (k + 1023) << 4);
    return bits.getFloat64(0);
  }
  return twoPow(k + 1022) * twoPow(-1022);
}

/**
 * n / d rounded to the nearest double (ties to even), for n >= 0, d > 0; Infinity past the
 * float range. The quotient's top bit L fixes the unit of the last place, 2^max(L-52, -1074)
 * (subnormals keep fewer bits); one bigint division gives the digits and the remainder decides
 * the rounding, so there is only one rounding.
 */
export function roundQuotient(n: bigint, d: bigint): number {
  if (n === 0n) return 0;
  let top = bitLength(n) - bitLength(d);
  // top is floor(log2(n/d)) or one more: check which.
  if (top >= 0 ? n < d << BigInt(top) : n << BigInt(-top) < d) top--;
  if (top > 1023) return Infinity;
  const k = Math.max(top - 52, -1074);
  let m: bigint;
  let rem: bigint;
  let div: bigint;
  if (k >= 0) {
    div = d << BigInt(k);
    m = n / div;
    rem = n % div;
  } else {
    const shifted = n << BigInt(-k);
    div = d;
    m = shifted / d;
    rem = shifted % d;
  }
  const twice = rem * 2n;
  if (twice > div || (twice === div && (m & 1n) === 1n)) m += 1n;
  // m <= 2^53, so Number(m) is exact, and so is the product unless it overflows to Infinity.
  if (k + bitLength(m) - 1 > 1023) return Infinity;
  return Number(m) * twoPow(k);
}

// --- float ----------------------------------------------------------------------------------

export const floatAdd = (a: number, b: number): number => a + b;
export const floatSub = (a: number, b: number): number => a - b;
export const floatMul = (a: number, b: number): number => a * b;
export const floatNeg = (a: number): number => -a;

export function floatTrueDiv(a: number, b: number): number {
  if (b === 0) raise('ZeroDivisionError', 'float division by zero');
  return a / b;
}

export function floatMod(a: number, b: number): number {
  if (b === 0) raise('ZeroDivisionError', 'float modulo');
  // JavaScript's % on numbers is C's fmod (exact).
  let mod = a % b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) mod += b;
  } else {
    mod = b < 0 ? -0 : 0;
  }
  return mod;
}

export function floatFloorDiv(a: number, b: number): number {
  if (b === 0) raise('ZeroDivisionError', 'float floor division by zero');
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  }
  if (div === 0) {
    // A zero quotient takes the sign of the true quotient.
    const q = a / b;
    return q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  let floorDiv = Math.floor(div);
  if (div - floorDiv > 0.5) floorDiv += 1;
  return floorDiv;
}

/**
 * CPython's float `**`: C's pow (libm.ts's `powTotal`, the IR's `float_pow`) but that finite
 * operands giving a non-finite result raise instead: 0.0 to a negative power, a negative base
 * to a fractional power (complex in CPython, outside the subset), and overflow.
 */
export function floatPow(v: number, w: number): number {
  const result = powTotal(v, w);
  if (Number.isFinite(v) && Number.isFinite(w) && !Number.isFinite(result)) {
    if (v === 0) raise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
    if (Number.isNaN(result)) {
      raise('ValueError', 'negative number cannot be raised to a fractional power (complex numbers are not supported)');
    }
    raise('OverflowError', "(34, 'Numerical result out of range')");
  }
  return result;
}

/** Exact comparison of an int with a float: -1, 0 or 1, NaN when `b` is nan. */
export function compareIntFloat(a: bigint, b: number): number {
  if (Number.isNaN(b)) return NaN;
  if (b === Infinity) return -1;
  if (b === -Infinity) return 1;
  const floor = Math.floor(b);
  const f = BigInt(floor);
  if (floor === b) return a < f ? -1 : a > f ? 1 : 0;
  // b lies strictly between floor(b) and floor(b) + 1.
  return a <= f ? -1 : 1;
}

// --- conversions and the math module --------------------------------------------------------

export function intFromFloat(x: number): bigint {
  if (Number.isNaN(x)) raise('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) raise('OverflowError', 'cannot convert float infinity to integer');
  return BigInt(Math.trunc(x));
}

export function mathFloor(x: number): bigint {
  if (Number.isNaN(x)) raise('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) raise('OverflowError', 'cannot convert float infinity to integer');
  return BigInt(Math.floor(x));
}

export function mathSqrt(x: number): number {
  if (x < 0) raise('ValueError', 'math domain error');
  return Math.sqrt(x);
}

export function mathSin(x: number): number {
  if (x === Infinity || x === -Infinity) raise('ValueError', 'math domain error');
  return sinCorrectlyRounded(x);
}

export function mathCos(x: number): number {
  if (x === Infinity || x === -Infinity) raise('ValueError', 'math domain error');
  return cosCorrectlyRounded(x);
}
