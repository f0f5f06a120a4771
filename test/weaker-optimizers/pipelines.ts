/**
 * Weaker on purpose, through the pipeline alone: the default passes without peel (the paper's
 * section 4 only: an object carried across the jump is allocated every iteration), one round
 * of the default passes instead of rounds to a fixpoint, and the default passes without
 * intbounds (every overflow check stays). All correct, only weaker; the strength properties
 * CATEGORY_3, FIXPOINT and OVERFLOW_CHECK_AFTER_BOUND (properties/removal.ts) must tell.
 */
import type { Trace } from '../../src/ir/index.ts';
import { DEFAULT_PIPELINE, optimize, PASSES } from '../../src/optimizer/pipeline.ts';

export function optimizeWithoutPeel(trace: Trace): Trace {
  return optimize(trace, DEFAULT_PIPELINE.filter((name) => name !== 'peel'));
}

export function optimizeOneRound(trace: Trace): Trace {
  return DEFAULT_PIPELINE.reduce((t, name) => PASSES[name]!(t), trace);
}

export function optimizeWithoutIntbounds(trace: Trace): Trace {
  return optimize(trace, DEFAULT_PIPELINE.filter((name) => name !== 'intbounds'));
}
