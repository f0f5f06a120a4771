/**
 * `pow`, `sin` and `cos` rounded to the nearest double, so the guest's `x ** y`, `math.sin` and
 * `math.cos` print what CPython prints. CPython calls the C library, and glibc's `pow`, `sin`
 * and `cos` return the correctly rounded result on all but vanishingly rare inputs; V8's
 * `Math.pow`, `Math.sin` and `Math.cos` are only faithful (within one ulp), and were one ulp
 * off on about 2% of the table in test/vm/semantics.test.ts.
 *
 * How: the result is computed in double-double arithmetic (an unevaluated sum hi + lo of two
 * doubles, about 106 bits) and rounded once at the end. With 50-odd bits to spare, rounding the
 * double-double gives the correctly rounded double unless the exact result lies within 2^-100
 * relative of a midpoint between two doubles, which no test has met.
 *  - pow(x, y) = exp(y * log(x)): log by one Newton step on the double `Math.log` using the
 *    double-double exp; exp by reduction to k*ln2 + r, r / 2^10, a Taylor series, 10 squarings.
 *  - sin, cos: the argument is reduced modulo pi/2 exactly, with bigints: x = M * 2^E exactly,
 *    and 2/pi is known to 1600 bits (computed once by Machin's formula), so the quadrant and a
 *    fraction good to 120 bits come out for any x up to 1.8e308; then Taylor series on
 *    |r| <= pi/4.
 * Known limit: results in the subnormal range are rounded twice (to 53 bits, then to the
 * subnormal's precision) and may be one unit off.
 *
 * Pre: finite arguments, for pow a base > 0 other than 1 and an exponent other than 0 (the
 * special cases are CPython's and are numeric.ts's job). Post: the nearest double to the exact
 * value, but for the limits above.
 */

// --- double-double arithmetic ----------------------------------------------------------------

interface DD {
  readonly hi: number;
  readonly lo: number;
}

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

/** The exact product a * b as a double-double (for |a|, |b| < 2^996). */
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ahi = t - (t - a);
  const alo = a - ahi;
  t = SPLITTER * b;
  const bhi = t - (t - b);
  const blo = b - bhi;
  return { hi: p, lo: ahi * bhi - p + ahi * blo + alo * bhi + alo * blo };
}

function add(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  let r = quickTwoSum(s.hi, s.lo + t.hi);
  r = quickTwoSum(r.hi, r.lo + t.lo);
  return r;
}

function mul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

function mulNumber(a: DD, b: number): DD {
  const p = twoProd(a.hi, b);
  return quickTwoSum(p.hi, p.lo + a.lo * b);
}

function divNumber(a: DD, b: number): DD {
  const q1 = a.hi / b;
  const p = twoProd(q1, b);
  const s = twoSum(a.hi, -p.hi);
  const q2 = (s.hi + (s.lo - p.lo + a.lo)) / b;
  return quickTwoSum(q1, q2);
}

const dd = (hi: number, lo = 0): DD => ({ hi, lo });
const neg = (a: DD): DD => ({ hi: -a.hi, lo: -a.lo });
const scale = (a: DD, s: number): DD => ({ hi: a.hi * s, lo: a.lo * s });

// ln 2 and pi/2 to double-double precision.
const LN2: DD = dd(0.6931471805599453, 2.3190468138462996e-17);
const PI_2: DD = dd(1.5707963267948966, 6.123233995736766e-17);

/**
 * One 8-byte scratch view for reading and building doubles' bits: every use writes all it reads
 * first and keeps nothing across a call (a fresh buffer per call cost more than the arithmetic
 * in sin, cos and pow).
 */
const BITS = new DataView(new ArrayBuffer(8));

/** 2^k as a double, for -1022 <= k <= 1023. */
function twoPow(k: number): number {
  BITS.setFloat64(0, 0);
  BITS.setUint16(0, (k + 1023) << 4);
  return BITS.getFloat64(0);
}

/** Multiplies by 2^k for any k in double range, without overflow in the intermediate steps. */
function ldexp(x: number, k: number): number {
  while (k > 1000) {
    x *= twoPow(1000);
    k -= 1000;
  }
  while (k < -1000) {
    x *= twoPow(-1000);
    k += 1000;
  }
  return x * twoPow(k);
}

// --- exp and log -------------------------------------------------------------------------------

/** e^a - 1 for |a| <= 0.35, as a double-double. */
function expm1Small(a: DD): DD {
  const s = scale(a, 1 / 1024);
  // Taylor series of e^s - 1 by Horner: s (1 + s/2 (1 + s/3 (… (1 + s/9)))).
  let p = dd(1);
  for (let n = 9; n >= 2; n--) p = add(dd(1), divNumber(mul(s, p), n));
  let m = mul(s, p);
  // (1 + m)^2 - 1 = 2m + m^2, ten times: e^(1024 s) - 1.
  for (let k = 0; k < 10; k++) m = add(scale(m, 2), mul(m, m));
  return m;
}

/** e^a as k and a double-double E in [0.7, 1.42] with e^a = 2^k E; |a.hi| < 1000. */
function expParts(a: DD): { k: number; e: DD } {
  const k = Math.round(a.hi / LN2.hi);
  const r = add(a, neg(mulNumber(LN2, k)));
  return { k, e: add(dd(1), expm1Small(r)) };
}

/** log(x) for x > 0 finite, as a double-double. */
function logDD(x: number): DD {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)).
  let e = 0;
  let m = x;
  if (m < 2 ** -1000) {
    m *= 2 ** 1000;
    e -= 1000;
  }
  BITS.setFloat64(0, m);
  const exponent = ((BITS.getUint16(0) >> 4) & 0x7ff) - 1023;
  e += exponent;
  m = ldexp(m, -exponent);
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  // Newton's step on l0 = log(m): l = l0 + (m e^-l0 - 1).
  const l0 = Math.log(m);
  const { k, e: ex } = expParts(dd(-l0));
  const correction = add(mulNumber(ex, ldexp(m, k)), dd(-1));
  const l = add(dd(l0), correction);
  return add(mulNumber(LN2, e), l);
}

/** Rounds 2^k * (a.hi + a.lo) to a double. */
function finish(k: number, a: DD): number {
  const r = quickTwoSum(a.hi, a.lo);
  return ldexp(r.hi, k);
}

/** x^y for x > 0 finite and not 1, y finite and not 0; Infinity when it overflows. */
export function powCorrectlyRounded(x: number, y: number): number {
  if (y === 1) return x;
  if (y === 2) return x * x;
  if (y === -1) return 1 / x;
  if (y === 0.5) return Math.sqrt(x);
  // |log x| >= 1.1e-16 for x != 1, so |y log x| > 746 here: overflow or underflow, decided
  // before y could overflow the double-double products.
  if (Math.abs(y) > 1e20) return x > 1 === y > 0 ? Infinity : 0;
  const t = mulNumber(logDD(x), y);
  if (t.hi > 710) return Infinity;
  if (t.hi < -746) return 0;
  const { k, e } = expParts(t);
  return finish(k, e);
}

const isOddInteger = (x: number): boolean => Number.isFinite(x) && Math.abs(x % 2) === 1;

/**
 * C's `pow` (C99 Annex F: every special case, no error raised), correctly rounded: the meaning
 * of the IR's `float_pow`. CPython's `**` on floats is this function where it returns a
 * finite result or was given an infinity or NaN, and raises where this returns an infinity
 * from finite operands (0.0 to a negative power; overflow) or NaN from a negative base and a
 * non-integer exponent (src/vm/numeric.ts, `floatPow`).
 */
export function powTotal(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (!Number.isFinite(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    return y > 0 === ax > 1 ? Infinity : 0;
  }
  if (!Number.isFinite(x)) {
    if (y > 0) return isOddInteger(y) ? x : Infinity;
    return isOddInteger(y) && x < 0 ? -0 : 0;
  }
  if (x === 0) {
    if (y < 0) return isOddInteger(y) ? 1 / x : Infinity;
    return isOddInteger(y) ? x : 0;
  }
  let negate = false;
  let base = x;
  if (x < 0) {
    if (y !== Math.floor(y)) return NaN;
    base = -x;
    negate = isOddInteger(y);
  }
  const result = base === 1 ? 1 : powCorrectlyRounded(base, y);
  return negate ? -result : result;
}

// --- sin and cos -------------------------------------------------------------------------------

const TWO_OVER_PI_BITS = 1600n;
let twoOverPi: bigint | undefined;

/** floor(2/pi * 2^1600), computed once: pi by Machin's formula in fixed point. */
function twoOverPiFixed(): bigint {
  if (twoOverPi !== undefined) return twoOverPi;
  const bits = TWO_OVER_PI_BITS + 64n;
  const one = 1n << bits;
  const arctanInverse = (n: bigint) => {
    let sum = 0n;
    let term = one / n;
    const n2 = n * n;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += (k % 4n === 1n ? 1n : -1n) * (term / k);
      term /= n2;
    }
    return sum;
  };
  const pi = 4n * (4n * arctanInverse(5n) - arctanInverse(239n));
  twoOverPi = (1n << (bits + TWO_OVER_PI_BITS + 1n)) / pi;
  return twoOverPi;
}

/**
 * x = q * pi/2 + r with |r| <= pi/4 (as a double-double) and q mod 4, for finite x. Exact: x is
 * M * 2^E, and M * 2^E * (2/pi) is formed in bigints with 180 bits below the binary point.
 */
function reduce(x: number): { q: number; r: DD } {
  if (Math.abs(x) <= Math.PI / 4) return { q: 0, r: dd(x) };
  BITS.setFloat64(0, Math.abs(x));
  const raw = BITS.getBigUint64(0);
  const biased = Number((raw >> 52n) & 0x7ffn);
  const M = biased === 0 ? raw & ((1n << 52n) - 1n) : (raw & ((1n << 52n) - 1n)) | (1n << 52n);
  const E = BigInt((biased === 0 ? 1 : biased) - 1075);
  // y = x * 2/pi * 2^F with F = 180 fraction bits kept (x may lie within 2^-61 of a multiple
  // of pi/2, and r still needs 106 significant bits).
  const F = 180n;
  const product = M * twoOverPiFixed();
  const shift = TWO_OVER_PI_BITS - E - F;
  const y = shift >= 0n ? product >> shift : product << -shift;
  const one = 1n << F;
  let q = y >> F;
  let frac = y & (one - 1n);
  // Round to the nearest quadrant so |r| <= pi/4.
  if (frac >= one >> 1n) {
    q += 1n;
    frac -= one;
  }
  // frac / 2^F as a double-double (its top 53 bits, then the next 53), times pi/2.
  const top = Number(frac);
  const rest = Number(frac - BigInt(top));
  let r = mul(quickTwoSum(ldexp(top, -180), ldexp(rest, -180)), PI_2);
  let quadrant = Number(q & 3n);
  if (x < 0) {
    r = neg(r);
    quadrant = (4 - quadrant) & 3;
  }
  return { q: quadrant, r };
}

/** sin(r) for |r| <= pi/4 by its Taylor series. */
function sinSmall(r: DD): DD {
  const r2 = mul(r, r);
  // r (1 - r^2/(2*3) (1 - r^2/(4*5) (1 - …)))
  let p = dd(1);
  for (let n = 27; n >= 3; n -= 2) p = add(dd(1), neg(divNumber(mul(r2, p), (n - 1) * n)));
  return mul(r, p);
}

/** cos(r) for |r| <= pi/4 by its Taylor series. */
function cosSmall(r: DD): DD {
  const r2 = mul(r, r);
  let p = dd(1);
  for (let n = 28; n >= 2; n -= 2) p = add(dd(1), neg(divNumber(mul(r2, p), (n - 1) * n)));
  return p;
}

export function sinCorrectlyRounded(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (x === 0 || Math.abs(x) < 2 ** -26) return x; // sin x = x - x^3/6 rounds to x there
  const { q, r } = reduce(x);
  const v = q === 0 ? sinSmall(r) : q === 1 ? cosSmall(r) : q === 2 ? neg(sinSmall(r)) : neg(cosSmall(r));
  return finish(0, v);
}

export function cosCorrectlyRounded(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -27) return 1;
  const { q, r } = reduce(x);
  const v = q === 0 ? cosSmall(r) : q === 1 ? neg(sinSmall(r)) : q === 2 ? neg(cosSmall(r)) : sinSmall(r);
  return finish(0, v);
}
