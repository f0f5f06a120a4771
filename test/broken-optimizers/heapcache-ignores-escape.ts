/**
 * Broken on purpose (d): the heap cache forgets nothing at `escape`, so a field read after the
 * call reuses the value read before it, though the call changed the field.
 */
import type { Trace } from '../../src/ir/index.ts';
import { forgetsByEffects, heapcacheWith } from '../../src/optimizer/heapcache.ts';

export function heapcacheIgnoringEscape(trace: Trace): Trace {
  return heapcacheWith(trace, (name) => (name === 'escape' ? [] : forgetsByEffects(name)));
}
