/**
 * Weaker on purpose: virtualize does not decide ptr_eq and ptr_ne on virtuals (a virtual is
 * identical to itself and to nothing else): it allocates the objects and keeps the test. Correct,
 * only weaker; the strength property POINTER_TEST_ON_VIRTUALS (properties/removal.ts) must tell.
 */
import type { Trace } from '../../src/ir/index.ts';
import { emitResidual, entryState, RULES, Virtualizer } from '../../src/optimizer/virtualize.ts';

class KeepsPointerTests extends Virtualizer {
  override readonly rules = { ...RULES, ptr_eq: emitResidual, ptr_ne: emitResidual };
}

export function virtualizeKeepingPointerTests(trace: Trace): Trace {
  const run = new KeepsPointerTests(trace.ops, entryState(trace), { classes: trace.classes }).run();
  return { ...trace, ops: run.ops };
}
