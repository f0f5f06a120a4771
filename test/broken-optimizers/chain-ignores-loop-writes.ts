/**
 * Broken on purpose: the chained driver keeps the preamble's heap cache entries in the body
 * without checking that the optimized body leaves those fields alone, so a read in the body of a
 * field the body writes (or lets a call write) reuses the value the preamble read.
 */
import type { Trace } from '../../src/ir/index.ts';
import { CHECKED, chainOptimizeLabelled } from '../../src/optimizer/chain.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';

export function chainIgnoringLoopWrites(trace: Trace): Trace {
  // As in `optimize`: a labelled trace the chain leaves to the passes goes to them.
  return chainOptimizeLabelled(trace, { checks: { ...CHECKED, writes: () => true } })?.trace ?? optimize(trace);
}
