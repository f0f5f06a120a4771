/**
 * Broken on purpose (peel c): a mismatched virtual state is jumped to unchanged. Where the label
 * expects a real object (a parameter) and the body's jump holds a virtual, the virtual is not
 * forced: the jump passes the label's parameter on as it is, as if the body's object were the one
 * the label already holds.
 */
import { type Trace, v } from '../../src/ir/index.ts';
import { closeLoop } from '../../src/optimizer/peel-state.ts';
import { peelWith } from '../../src/optimizer/peel.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';

const closeLoopUnchanged: typeof closeLoop = (state, heap, values) => {
  const closing = closeLoop(state, heap, values);
  if (closing.kind !== 'closes') return closing;
  const bindings = closing.bindings.map((known, k) => {
    const entry = known.kind === 'vref' ? heap.get(known.id) : null;
    return entry !== null && entry.kind !== 'forced' ? v(state.params[k]!) : known;
  });
  return { kind: 'closes', bindings };
};

export function peelJumpingToMismatch(trace: Trace): Trace {
  return peelWith(virtualize(trace), closeLoopUnchanged);
}
