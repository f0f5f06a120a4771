/**
 * Broken on purpose (peel b): the label's exit forgets to rebuild a virtual loop argument. It
 * keeps the exit, and every loop argument that is not virtual is handed out as it should be, but
 * each one the label carries as a virtual (a `$k` of the exit, exploded into label arguments) is
 * replaced by `null` (a ref, so the trace still validates): a fuel exit at the label or at the
 * jump hands out null where the input hands out the boxed object.
 */
import { NULL, type Trace } from '../../src/ir/index.ts';
import { peel } from '../../src/optimizer/peel.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';

export function peelForgettingVirtualLoopArgs(trace: Trace): Trace {
  const peeled = peel(virtualize(trace));
  const ops = peeled.ops.map((op) => {
    if (op.name !== 'label' || op.exit === null) return op;
    const values = op.exit.values.map((value) => (value.kind === 'virtual' ? NULL : value));
    // No value mentions a virtual any more, and virtuals are reached only from the values.
    return { ...op, exit: { values, virtuals: [] } };
  });
  return { ...peeled, ops };
}
