/**
 * Broken on purpose (a): `escape` allocates its virtual arguments for the call, then forgets it
 * did: the objects stay virtual, so later reads see the fields as they were before the call
 * (the call may change them) and later writes never reach the escaped object.
 */
import type { Trace } from '../../src/ir/index.ts';
import { emitResidual, entryState, RULES, Virtualizer } from '../../src/optimizer/virtualize.ts';

class ForgetsEscapes extends Virtualizer {
  override readonly rules = {
    ...RULES,
    escape: (run: Virtualizer, op: Trace['ops'][number], index: number) => {
      const before = run.heap;
      emitResidual(run, op, index);
      run.heap = before; // the bug: what escape forced is virtual again
    },
  };
}

export function virtualizeWithoutForcingOnEscape(trace: Trace): Trace {
  const run = new ForgetsEscapes(trace.ops, entryState(trace), { classes: trace.classes }).run();
  return { ...trace, ops: run.ops };
}
