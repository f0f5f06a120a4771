/**
 * Broken on purpose (g): fold treats every label argument as invariant, so what the preamble
 * proved about a value survives the back-edge that rebinds it to another one (a class, a
 * constant, non-nullness), and the body's guards on it go.
 */
import type { Op, Trace } from '../../src/ir/index.ts';
import { decideGuard, foldWith } from '../../src/optimizer/fold.ts';
import { LabelBoundary } from '../../src/optimizer/rewrite.ts';

class EveryArgumentInvariant extends LabelBoundary {
  constructor(ops: readonly Op[]) {
    super(ops);
    Object.defineProperty(this, 'invariantArgs', { value: this.args });
  }
}

export function foldTrustingReboundArguments(trace: Trace): Trace {
  return foldWith(trace, decideGuard, (ops) => new EveryArgumentInvariant(ops));
}
