/**
 * Broken on purpose: intbounds takes a wrapping add, sub or mul for the exact one, clipped to
 * int64 (x + 1 with x unknown is taken for at least MIN + 1, but x = MAX wraps it to MIN), so a
 * comparison or overflow check decided on that interval can be decided wrongly.
 */
import type { Trace } from '../../src/ir/index.ts';
import { INTBOUNDS_RULES, intboundsOps } from '../../src/optimizer/intbounds.ts';

export function intboundsIgnoringWrapping(trace: Trace): Trace {
  const ops = intboundsOps(trace.ops, { ...INTBOUNDS_RULES, wrapping: false });
  return ops === trace.ops ? trace : { ...trace, ops };
}
