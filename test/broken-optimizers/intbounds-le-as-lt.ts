/**
 * Broken on purpose: intbounds takes a passing `a <= b` (or `a >= b`) for `a < b`, one too far,
 * so a counter that passed `x >= 0` is taken for at least 1: when it is 0, the next `x - 1 >= 0`
 * is decided to pass and goes, and the run that should exit there goes on.
 */
import type { Trace } from '../../src/ir/index.ts';
import { INTBOUNDS_RULES, intboundsOps } from '../../src/optimizer/intbounds.ts';

export function intboundsTakingLeForLt(trace: Trace): Trace {
  const ops = intboundsOps(trace.ops, { ...INTBOUNDS_RULES, gap: () => 1n });
  return ops === trace.ops ? trace : { ...trace, ops };
}
