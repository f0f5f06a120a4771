/**
 * Broken on purpose (e): fold removes a `guard_class` on a value whose class it does not know,
 * as if "unknown" meant "probably the recorded class".
 */
import type { Trace } from '../../src/ir/index.ts';
import { decideGuard, foldWith, type GuardDecider } from '../../src/optimizer/fold.ts';

const optimistic: GuardDecider = (op, factOf, nonzero) => {
  const decision = decideGuard(op, factOf, nonzero);
  return op.name === 'guard_class' && decision === 'unknown' ? 'passes' : decision;
};

export function foldAssumingUnknownClasses(trace: Trace): Trace {
  return foldWith(trace, optimistic);
}
