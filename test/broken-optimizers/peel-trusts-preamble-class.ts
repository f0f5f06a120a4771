/**
 * Broken on purpose (peel a): the body trusts the classes the preamble proved. Every guard_class
 * of the body whose guard the preamble also kept (same id) is dropped, as if the class checked in
 * iteration 1 held in every iteration: wrong when the loop hands another object to that place.
 */
import type { Trace } from '../../src/ir/index.ts';
import { peel } from '../../src/optimizer/peel.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';

export function peelTrustingPreambleClasses(trace: Trace): Trace {
  const peeled = peel(virtualize(trace));
  const label = peeled.ops.findIndex((op) => op.name === 'label');
  if (label < 0) return peeled;
  const proved = new Set(peeled.ops.slice(0, label).filter((op) => op.name === 'guard_class').map((op) => op.guardId));
  const ops = peeled.ops.filter((op, k) => k < label || op.name !== 'guard_class' || !proved.has(op.guardId));
  return { ...peeled, ops };
}
