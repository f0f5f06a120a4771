/**
 * A deliberately wrong semantics: floats print with 17 significant digits (C's "%.17g" with
 * trailing zeros dropped) instead of the shortest text that reads back, so `0.1` prints as
 * `0.10000000000000001`. The semantics property and the guest-program properties must catch it.
 */
import { PY_SEMANTICS, type Semantics } from '../../src/vm/semantics.ts';

function repr17(x: number): string {
  if (!Number.isFinite(x) || x === 0) return PY_SEMANTICS.reprFloat(x);
  const text = x.toPrecision(17);
  if (text.includes('e')) return PY_SEMANTICS.reprFloat(Number(text));
  const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '.0') : `${text}.0`;
  return trimmed;
}

export const FLOAT_REPR_17_DIGITS: Semantics = { ...PY_SEMANTICS, reprFloat: repr17 };
