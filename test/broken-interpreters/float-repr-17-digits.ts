/**
 * A deliberately wrong interpreter: floats print with 17 significant digits (C's `%.17g`, what
 * Python's repr did before 2.7) instead of the shortest digits that read back the same, so
 * `print(0.1)` shows 0.10000000000000001. Trailing zeros are dropped and the layout (exponent
 * from 1e16 and below 1e-4, `.0` on integral values, inf, nan, -0.0) is CPython's, so a float
 * whose shortest form has 17 digits, or is exact in fewer (0.5, 100.0), prints right: only the
 * digit count is wrong. Injected through the semantics record; caught.test.ts shows the
 * random-program property catches it with a small program.
 */
import { PY_SEMANTICS, type Semantics } from '../../src/vm/semantics.ts';

function repr17(x: number): string {
  if (!Number.isFinite(x) || x === 0) return PY_SEMANTICS.reprFloat(x);
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential(16).split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent).toString().padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = exponent + 1;
  if (digits.length <= whole) return `${sign}${digits}${'0'.repeat(whole - digits.length)}.0`;
  return `${sign}${digits.slice(0, whole)}.${digits.slice(whole)}`;
}

export const floatRepr17Digits: Partial<Semantics> = { reprFloat: repr17 };
