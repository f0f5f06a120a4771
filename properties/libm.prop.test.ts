/**
 * The fast paths of libm.ts's pow, sin and cos (double-double tables and Ziv's rounding test)
 * against the slow paths (the full double-double exp and log; sin and cos after the exact
 * bigint reduction): wherever a fast path answers, it answers the slow path's double, bit for
 * bit. A fast path whose error bound were too small, or whose tables, reduction or series were
 * off, would answer a neighbouring double on some inputs: each property draws thousands of
 * inputs per run, where the error would show in the last bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POW_PATHS, TRIG_PATHS } from '../src/ir/libm.ts';
import { fcParams } from './fc-config.ts';

/** Doubles spread over magnitudes: 2^e * (1 + f), e in [lo, hi]. */
const spread = (lo: number, hi: number) => fc.tuple(fc.integer({ min: lo, max: hi }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(([e, f]) => 2 ** e * (1 + f));

/** Bases and exponents where the fast path runs: near 1, ordinary, huge and tiny bases; small and large exponents. */
const powInput = fc.tuple(
  fc.oneof(spread(-1022, 1023), spread(-3, 3), fc.double({ min: 1 - 2 ** -20, max: 1 + 2 ** -20, noNaN: true }), fc.integer({ min: 2, max: 1000 }).map(Number)),
  fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.integer({ min: -60, max: 60 }).map((n) => n / 2), spread(-60, 20).chain((m) => fc.constantFrom(m, -m))),
);

const trigInput = fc.oneof(
  fc.double({ min: -(2 ** 19), max: 2 ** 19, noNaN: true }),
  fc.double({ min: -8, max: 8, noNaN: true }),
  spread(-26, 18).chain((m) => fc.constantFrom(m, -m)),
  // Next to multiples of pi/2, where the reduction cancels most bits.
  fc.tuple(fc.integer({ min: -300000, max: 300000 }), fc.integer({ min: -64, max: 64 })).map(([k, ulps]) => k * (Math.PI / 2) * (1 + ulps * 2 ** -52)),
);

describe('libm fast paths', () => {
  it('pow: the fast path answers what the slow path answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(powInput, { minLength: 200, maxLength: 200 }), (pairs) => {
        for (const [x, y] of pairs) {
          if (!(x > 0) || x === 1 || y === 0 || !Number.isFinite(x) || !Number.isFinite(y)) continue;
          const fast = POW_PATHS.fast(x, y);
          if (fast < 0) continue;
          answered++;
          expect(Object.is(fast, POW_PATHS.slow(x, y)), `pow(${x}, ${y})`).toBe(true);
        }
      }),
      fcParams(50),
    );
    // The fast path does answer (it is not a path that always defers).
    expect(answered).toBeGreaterThan(1000);
  });

  it('sin and cos: the fast path answers what the slow path answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(trigInput, { minLength: 200, maxLength: 200 }), (xs) => {
        for (const x of xs) {
          for (const cosine of [false, true]) {
            if (Math.abs(x) < 2 ** -26) continue;
            const fast = TRIG_PATHS.fast(x, cosine);
            if (Number.isNaN(fast)) continue;
            answered++;
            expect(Object.is(fast, TRIG_PATHS.slow(x, cosine)), `${cosine ? 'cos' : 'sin'}(${x})`).toBe(true);
          }
        }
      }),
      fcParams(50),
    );
    expect(answered).toBeGreaterThan(1000);
  });
});
