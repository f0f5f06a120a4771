/**
 * Weaker on purpose: virtualize treats guard_class like an op it has no rule for, so a guard on
 * a virtual is kept and its object allocated for it. Still correct (the guard passes or fails as
 * before), only weaker: the equivalence properties cannot tell, the strength property
 * GUARD_CLASS_ON_VIRTUAL (properties/removal.ts) must.
 */
import type { Trace } from '../../src/ir/index.ts';
import { emitResidual, entryState, RULES, Virtualizer } from '../../src/optimizer/virtualize.ts';

class KeepsGuardClass extends Virtualizer {
  override readonly rules = { ...RULES, guard_class: emitResidual };
}

export function virtualizeKeepingGuardClass(trace: Trace): Trace {
  const run = new KeepsGuardClass(trace.ops, entryState(trace), { classes: trace.classes }).run();
  return { ...trace, ops: run.ops };
}
