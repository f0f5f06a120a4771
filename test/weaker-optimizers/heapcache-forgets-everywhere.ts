/**
 * Weaker on purpose: the heap cache forgets everything at every op it has no rule for (guards,
 * arithmetic, pointer tests), as if their effect flags were unknown. Correct, only weaker: a
 * read after a write with a guard between is read again. The strength property READ_AFTER_WRITE
 * (properties/removal.ts) must tell.
 */
import type { Trace } from '../../src/ir/index.ts';
import { heapcacheWith } from '../../src/optimizer/heapcache.ts';

export function heapcacheForgettingEverywhere(trace: Trace): Trace {
  return heapcacheWith(trace, () => ['fields', 'items', 'lengths']);
}
