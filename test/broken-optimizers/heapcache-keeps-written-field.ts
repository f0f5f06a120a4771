/**
 * Broken on purpose (f): the heap cache keeps its entries across the label as if the loop wrote
 * nothing, so a read in the body of a field the loop writes (or lets escape) reuses the value
 * read before the label.
 */
import type { Trace } from '../../src/ir/index.ts';
import { forgetsByEffects, heapcacheWith } from '../../src/optimizer/heapcache.ts';

export function heapcacheIgnoringLoopWrites(trace: Trace): Trace {
  return heapcacheWith(trace, forgetsByEffects, () => ({ any: false, items: false, fields: new Set() }));
}
