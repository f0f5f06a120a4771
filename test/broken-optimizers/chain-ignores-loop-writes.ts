/**
 * Broken on purpose: the chained driver keeps the preamble's heap cache entries in the body
 * without checking that the optimized body leaves those fields alone, so a read in the body of a
 * field the body writes (or lets a call write) reuses the value the preamble read.
 */
import { labelIndex, type Trace } from '../../src/ir/index.ts';
import { CHECKED, chainOptimize } from '../../src/optimizer/chain.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';

export function chainIgnoringLoopWrites(trace: Trace): Trace {
  // The chain runs only on traces without a label, as in `optimize`.
  if (labelIndex(trace) >= 0) return optimize(trace);
  return chainOptimize(trace, { checks: { ...CHECKED, writes: () => true } }).trace;
}
