/**
 * Broken on purpose: intbounds keeps what it knew at the label, so an interval the preamble
 * proved for a label argument (or the comparison that defined it) survives the back-edge that
 * rebinds the argument, and a check in the body that a later iteration needs goes.
 */
import type { Trace } from '../../src/ir/index.ts';
import { INTBOUNDS_RULES, intboundsOps } from '../../src/optimizer/intbounds.ts';
import { DEFAULT_PIPELINE, optimize } from '../../src/optimizer/pipeline.ts';

export function intboundsKeepingFactsAcrossLabel(trace: Trace): Trace {
  const peeled = optimize(trace, DEFAULT_PIPELINE.filter((name) => name !== 'intbounds'));
  return { ...peeled, ops: intboundsOps(peeled.ops, { ...INTBOUNDS_RULES, forgetAtLabel: false }) };
}
