/**
 * Broken on purpose (peel b): the label forgets its exit. A fuel exit at the label or at the jump
 * then hands out the label's arguments (the exploded fields) as the loop arguments instead of
 * rebuilding the boxed objects they stand for.
 */
import type { Trace } from '../../src/ir/index.ts';
import { peel } from '../../src/optimizer/peel.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';

export function peelWithoutLabelExit(trace: Trace): Trace {
  const peeled = peel(virtualize(trace));
  return { ...peeled, ops: peeled.ops.map((op) => (op.name === 'label' ? { ...op, exit: null } : op)) };
}
