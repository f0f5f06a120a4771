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
 *  - Both have a fast path tried first (about a tenth of the cost: table-driven, on plain
 *    numbers, correct to about 2^-66), which answers only when every value within its error
 *    bound rounds to the same double (Ziv's test), else defers to the paths above;
 *    properties/libm.prop.test.ts holds its answers to theirs bit for bit.
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
  return { hi: p, lo: twoProdLow(a, b, p) };
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

// --- pow's fast path ----------------------------------------------------------------------------
//
// Ziv's strategy: x^y first to about 2^-66 relative by a table-driven log and exp in double-double
// arithmetic on plain numbers (no objects), then a test whether every value within the error
// bound (2^-61, a 32-fold margin) rounds to the same double; when it does, that double is the
// correctly rounded result, else (about 3% of inputs, more near a midpoint) the slow path
// above decides. The slow path supplies the tables' entries once, on the first call.
//
//  - log x = e ln2 - log(inv_i) + log1p(r): x = m 2^e, m in [sqrt(1/2), sqrt(2)), c_i = 1 + i/128
//    the nearest table point (|m - c_i| <= 1/256), inv_i a double near 1/c_i, r = m inv_i - 1
//    exactly (|r| < 2^-7.4), log1p(r) by its series to r^11 (r and r^2 in double-double, the rest
//    in double). |log x| >= 2^-8 unless e = i = 0, where log x = log1p(r): relative error below
//    2^-75 either way.
//  - t = y log x, |t| < 708 (else the slow path: overflow, underflow, subnormal results);
//    absolute error below 708 * 2^-75. t = k ln2/64 + s, |s| <= ln2/128 + 2^-60; e^t =
//    2^(k >> 6) * 2^((k & 63)/64) * (1 + expm1(s)), the second factor from a table, expm1 by its
//    series to s^8. The result's relative error is then below 2^-66.

/** The low part of the exact product a * b, whose rounded value is p (Dekker; |a|, |b| < 2^996). */
function twoProdLow(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ahi = t - (t - a);
  const alo = a - ahi;
  t = SPLITTER * b;
  const bhi = t - (t - b);
  const blo = b - bhi;
  return ahi * bhi - p + ahi * blo + alo * bhi + alo * blo;
}

const LOG_LOW = -38;
const LOG_HIGH = 53;
const LN2_64_HI = LN2.hi / 64;
const LN2_64_LO = LN2.lo / 64;
const POW_FAST_ERROR = 2 ** -61;
let powTables: { inv: Float64Array; logInvHi: Float64Array; logInvLo: Float64Array; exp2Hi: Float64Array; exp2Lo: Float64Array } | null = null;

function makePowTables(): NonNullable<typeof powTables> {
  const n = LOG_HIGH - LOG_LOW + 1;
  const t = { inv: new Float64Array(n), logInvHi: new Float64Array(n), logInvLo: new Float64Array(n), exp2Hi: new Float64Array(64), exp2Lo: new Float64Array(64) };
  for (let i = LOG_LOW; i <= LOG_HIGH; i++) {
    const inv = 1 / (1 + i / 128);
    const l = i === 0 ? dd(0) : logDD(inv);
    t.inv[i - LOG_LOW] = inv;
    t.logInvHi[i - LOG_LOW] = l.hi;
    t.logInvLo[i - LOG_LOW] = l.lo;
  }
  for (let j = 0; j < 64; j++) {
    // 2^(j/64) = e^(j ln2 / 64) = 2^k E; the scaling by 2^k is exact.
    const { k, e } = expParts(mulNumber(LN2, j / 64));
    t.exp2Hi[j] = ldexp(e.hi, k);
    t.exp2Lo[j] = ldexp(e.lo, k);
  }
  return t;
}

/** x^y for x > 0 finite and normal, y finite, when the fast path can round it; else -1. */
function powFast(x: number, y: number): number {
  const tables = (powTables ??= makePowTables());
  BITS.setFloat64(0, x);
  const high = BITS.getUint32(0);
  const biased = high >>> 20;
  if (biased === 0) return -1;
  let e = biased - 1023;
  BITS.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let m = BITS.getFloat64(0);
  if (m > Math.SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const index = Math.round((m - 1) * 128) - LOG_LOW;
  const inv = tables.inv[index]!;
  // r = m inv - 1 as rh + rl, exactly: m inv is within 2^-7 of 1, so ph - 1 is exact.
  const ph = m * inv;
  const pl = twoProdLow(m, inv, ph);
  const r0 = ph - 1;
  const rh = r0 + pl;
  const rl = pl - (rh - r0);
  // log1p(r) = r - r^2/2 + r^3 (1/3 - r/4 + … + r^8/11)
  const r2h = rh * rh;
  const r2l = twoProdLow(rh, rh, r2h) + 2 * rh * rl;
  const tail = rh * r2h * (1 / 3 + rh * (-1 / 4 + rh * (1 / 5 + rh * (-1 / 6 + rh * (1 / 7 + rh * (-1 / 8 + rh * (1 / 9 + rh * (-1 / 10 + rh / 11))))))));
  let h = rh - r2h / 2;
  let l = rh - h - r2h / 2 + rl - r2l / 2 + tail;
  // + e ln2 - log(inv): three double-doubles summed.
  const eh = e * LN2.hi;
  const el = twoProdLow(e, LN2.hi, eh) + e * LN2.lo;
  const bh = -tables.logInvHi[index]!;
  const bl = -tables.logInvLo[index]!;
  const s1 = eh + bh;
  const s1l = eh - (s1 - (s1 - eh)) + (bh - (s1 - eh));
  const s2 = s1 + h;
  const s2l = s1 - (s2 - (s2 - s1)) + (h - (s2 - s1));
  l = s1l + s2l + el + bl + l;
  h = s2 + l;
  l = l - (h - s2);
  // t = y log x
  const th0 = h * y;
  if (!(Math.abs(th0) < 708)) return -1;
  const tl0 = twoProdLow(h, y, th0) + l * y;
  const th = th0 + tl0;
  const tl = tl0 - (th - th0);
  // t = k ln2/64 + s
  const k = Math.round(th * (64 / LN2.hi));
  const kh = k * LN2_64_HI;
  const kl = twoProdLow(k, LN2_64_HI, kh);
  // th - kh exactly (two-sum), then the low parts.
  const dh = th - kh;
  const db = dh - th;
  const sh0 = dh;
  const sl0 = th - (dh - db) + (-kh - db) + tl - kl - k * LN2_64_LO;
  const sh = sh0 + sl0;
  const sl = sl0 - (sh - sh0);
  // expm1(s) = s + s^2/2 + s^3 (1/6 + s/24 + … + s^5/40320)
  const q2h = sh * sh;
  const q2l = twoProdLow(sh, sh, q2h) + 2 * sh * sl;
  const qtail = sh * q2h * (1 / 6 + sh * (1 / 24 + sh * (1 / 120 + sh * (1 / 720 + sh * (1 / 5040 + sh / 40320)))));
  const vh = sh + q2h / 2;
  const vl = sh - vh + q2h / 2 + sl + q2l / 2 + qtail;
  // E = 1 + expm1(s)
  const Eh = 1 + vh;
  const El = 1 - Eh + vh + vl;
  // R = 2^(j/64) E
  const j = k & 63;
  const Th = tables.exp2Hi[j]!;
  const Tl = tables.exp2Lo[j]!;
  const Rh0 = Th * Eh;
  const Rl0 = twoProdLow(Th, Eh, Rh0) + Th * El + Tl * Eh;
  const Rh = Rh0 + Rl0;
  const Rl = Rl0 - (Rh - Rh0);
  const bound = Rh * POW_FAST_ERROR;
  const up = Rh + (Rl + bound);
  if (up !== Rh + (Rl - bound)) return -1;
  return up * twoPow(k >> 6);
}

/** x^y for x > 0 finite and not 1, y finite and not 0; Infinity when it overflows. */
export function powCorrectlyRounded(x: number, y: number): number {
  if (y === 1) return x;
  if (y === 2) return x * x;
  if (y === -1) return 1 / x;
  if (y === 0.5) return Math.sqrt(x);
  const fast = powFast(x, y);
  return fast >= 0 ? fast : powSlow(x, y);
}

/** The paths of powCorrectlyRounded apart, for test/ir/libm.test.ts (the fast one held to the slow one). */
export const POW_PATHS = { fast: powFast, slow: powSlow };

/** x^y as powCorrectlyRounded's preconditions say, by the double-double exp and log alone. */
function powSlow(x: number, y: number): number {
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

// --- sin's and cos's fast path ---------------------------------------------------------------
//
// Ziv's strategy as for pow: for |x| < 2^19, the reduction x = k pi/2 + r by Cody and Waite's
// three-part pi/2 (fdlibm's constants: k * part exact for k < 2^20, each subtraction a two-sum),
// r as a double-double with an absolute error below 2^-104; then r = j/64 + d, |d| <= 1/128, and
// sin r = S_j (1 + (cos d - 1)) + C_j sin d, cos r = C_j (1 + (cos d - 1)) - S_j sin d with S_j,
// C_j = sin, cos (j/64) as double-doubles from the slow path's series (once, on the first call),
// sin d and cos d - 1 by their series (first terms in double-double). The result's error is
// below 2^-66 relative plus 2^-104 absolute; the test allows 2^-61 relative plus 2^-98 absolute
// and leaves what it cannot round to the exact reduction above.

const PIO2_1 = 1.5707963267341256; // the first 33 bits of pi/2
const PIO2_2 = 6.077100506303966e-11; // the next 33
const PIO2_3 = 2.0222662487111665e-21; // the next 33
const PIO2_3T = 8.4784276603689e-32; // pi/2 - PIO2_1 - PIO2_2 - PIO2_3
const TRIG_FAST_LIMIT = 2 ** 19;
const TRIG_TABLE_SIZE = 52; // j/64 up to pi/4 plus rounding
let trigTables: { sinHi: Float64Array; sinLo: Float64Array; cosHi: Float64Array; cosLo: Float64Array } | null = null;

function makeTrigTables(): NonNullable<typeof trigTables> {
  const t = { sinHi: new Float64Array(TRIG_TABLE_SIZE), sinLo: new Float64Array(TRIG_TABLE_SIZE), cosHi: new Float64Array(TRIG_TABLE_SIZE), cosLo: new Float64Array(TRIG_TABLE_SIZE) };
  for (let j = 0; j < TRIG_TABLE_SIZE; j++) {
    const s = sinSmall(dd(j / 64));
    const c = cosSmall(dd(j / 64));
    t.sinHi[j] = s.hi;
    t.sinLo[j] = s.lo;
    t.cosHi[j] = c.hi;
    t.cosLo[j] = c.lo;
  }
  return t;
}

/** sin x (or cos x) for finite x when the fast path can round it; else NaN. */
function trigFast(x: number, cosine: boolean): number {
  if (!(Math.abs(x) < TRIG_FAST_LIMIT)) return NaN;
  const tables = (trigTables ??= makeTrigTables());
  let k = 0;
  let rh = x;
  let rl = 0;
  if (Math.abs(x) > Math.PI / 4) {
    k = Math.round(x * (2 / Math.PI));
    const a = x - k * PIO2_1; // exact: k * PIO2_1 is, and lies within a factor 2 of x
    const b = k * PIO2_2;
    const h = a - b;
    const hb = h - a;
    const he = a - (h - hb) + (-b - hb);
    const c = k * PIO2_3;
    const s2 = h - c;
    const sb = s2 - h;
    const l = he + (h - (s2 - sb) + (-c - sb)) - k * PIO2_3T;
    rh = s2 + l;
    rl = l - (rh - s2);
  }
  const q = k & 3;
  // sin x is ±sin r in quadrants 0 and 2, ±cos r in 1 and 3; cos x the other way round.
  const sineOfR = cosine ? (q & 1) === 1 : (q & 1) === 0;
  let negate = cosine ? q === 1 || q === 2 : q >= 2;
  if (rh < 0) {
    rh = -rh;
    rl = -rl;
    if (sineOfR) negate = !negate;
  }
  const j = Math.round(rh * 64);
  const dh = rh - j / 64; // exact: within a factor 2 of each other, or j = 0
  const dl = rl;
  const d2 = dh * dh;
  const d2l = twoProdLow(dh, dh, d2) + 2 * dh * dl;
  // sin d = d + d^3 (-1/6 + d^2/120 - d^4/5040 + d^6/362880)
  const st = dl + dh * d2 * (-1 / 6 + d2 * (1 / 120 + d2 * (-1 / 5040 + d2 / 362880)));
  const sdh = dh + st;
  const sdl = st - (sdh - dh);
  // cos d - 1 = -d^2/2 + d^4 (1/24 - d^2/720 + d^4/40320)
  const ct = -d2l / 2 + d2 * d2 * (1 / 24 + d2 * (-1 / 720 + d2 / 40320));
  const cmh = -d2 / 2 + ct;
  const cml = ct - (cmh + d2 / 2);
  let Rh: number;
  let Rl: number;
  if (j === 0) {
    if (sineOfR) {
      Rh = sdh;
      Rl = sdl;
    } else {
      Rh = 1 + cmh;
      Rl = cmh - (Rh - 1) + cml;
    }
  } else {
    const Sh = tables.sinHi[j]!;
    const Sl = tables.sinLo[j]!;
    const Ch = tables.cosHi[j]!;
    const Cl = tables.cosLo[j]!;
    // sin r = S + (S cm + C sd); cos r = C + (C cm - S sd)
    const Ah = sineOfR ? Sh : Ch;
    const Al = sineOfR ? Sl : Cl;
    const Bh = sineOfR ? Ch : -Sh;
    const Bl = sineOfR ? Cl : -Sl;
    const p1h = Bh * sdh;
    const p1l = twoProdLow(Bh, sdh, p1h) + Bh * sdl + Bl * sdh;
    const p2h = Ah * cmh;
    const p2l = twoProdLow(Ah, cmh, p2h) + Ah * cml + Al * cmh;
    const u = p1h + p2h;
    const ub = u - p1h;
    const ue = p1h - (u - ub) + (p2h - ub);
    const v = Ah + u;
    const vb = v - Ah;
    const ve = Ah - (v - vb) + (u - vb);
    const lo = ve + ue + p1l + p2l + Al;
    Rh = v + lo;
    Rl = lo - (Rh - v);
  }
  const bound = Math.abs(Rh) * 2 ** -61 + 2 ** -98;
  const up = Rh + (Rl + bound);
  if (up !== Rh + (Rl - bound)) return NaN;
  return negate ? -up : up;
}

/** The paths of sinCorrectlyRounded and cosCorrectlyRounded apart, for test/ir/libm.test.ts. */
export const TRIG_PATHS = {
  fast: trigFast,
  slow: (x: number, cosine: boolean): number => (cosine ? cosSlow(x) : sinSlow(x)),
};

export function sinCorrectlyRounded(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (x === 0 || Math.abs(x) < 2 ** -26) return x; // sin x = x - x^3/6 rounds to x there
  const fast = trigFast(x, false);
  return fast === fast ? fast : sinSlow(x);
}

export function cosCorrectlyRounded(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -27) return 1;
  const fast = trigFast(x, true);
  return fast === fast ? fast : cosSlow(x);
}

function sinSlow(x: number): number {
  if (x === 0 || Math.abs(x) < 2 ** -26) return x;
  const { q, r } = reduce(x);
  const v = q === 0 ? sinSmall(r) : q === 1 ? cosSmall(r) : q === 2 ? neg(sinSmall(r)) : neg(cosSmall(r));
  return finish(0, v);
}

function cosSlow(x: number): number {
  if (Math.abs(x) < 2 ** -27) return 1;
  const { q, r } = reduce(x);
  const v = q === 0 ? cosSmall(r) : q === 1 ? neg(sinSmall(r)) : q === 2 ? neg(cosSmall(r)) : sinSmall(r);
  return finish(0, v);
}
