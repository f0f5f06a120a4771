// Loop peeling on random loops (properties/arbitraries): peel after virtualize, and peel followed
// by the supporting passes, behave like the reference on the input for fuels that end the run in
// the preamble (0), at the label (1), in the first body iteration (2) and later ones; the body
// never allocates more than the unpeeled optimized loop; and the generator's category 3 objects
// (carried across the jump, then dropped) disappear from the body in a measured share of cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op, Trace } from '../src/ir/index.ts';
import { peel } from '../src/optimizer/peel.ts';
import { DEFAULT_PIPELINE, optimize } from '../src/optimizer/pipeline.ts';
import { virtualize } from '../src/optimizer/virtualize.ts';
import { printTrace } from '../src/text/index.ts';
import { arbTraceCase, classifyLifetimes } from './arbitraries/trace.ts';
import { assertEquivalentUnder } from './differential.ts';
import { fcParams } from './fc-config.ts';

const FUELS = [0, 1, 2, 3, 5, 20];
/** The default pipeline without peel: what the body is measured against. */
const UNPEELED = DEFAULT_PIPELINE.filter((pass) => pass !== 'peel');
const loops = arbTraceCase({ loopShare: 1 });
const peeled = (trace: Trace) => peel(virtualize(trace));
const pipeline = (trace: Trace) => optimize(peeled(trace));

/** The ops after the label (the whole trace when there is none). */
function body(trace: Trace): readonly Op[] {
  return trace.ops.slice(trace.ops.findIndex((op) => op.name === 'label') + 1);
}
const allocations = (ops: readonly Op[]) => ops.filter((op) => op.name === 'new' || op.name === 'new_array');

describe('peel ≡ reference', () => {
  it('peel(virtualize(t))', () => {
    assertEquivalentUnder(peeled, { arbitrary: loops, fuels: FUELS, runs: 300 });
  });
  it('peel(virtualize(t)), then the default pipeline', () => {
    assertEquivalentUnder(pipeline, { arbitrary: loops, fuels: FUELS, runs: 200 });
  });
});

describe('what peeling removes', () => {
  it('peels every generated loop, and its body allocates no more than the unpeeled optimized loop', () => {
    fc.assert(
      fc.property(loops, (trace) => {
        const once = peeled(trace);
        expect(once.ops.some((op) => op.name === 'label'), printTrace(once)).toBe(true);
        expect(allocations(body(once)).length).toBeLessThanOrEqual(allocations(virtualize(trace).ops).length);
        expect(allocations(body(optimize(once))).length).toBeLessThanOrEqual(allocations(optimize(trace, UNPEELED).ops).length);
      }),
      fcParams(300),
    );
  });

  it('removes most category 3 objects from the body (measured; category 4 is allocated where it escapes)', () => {
    const share = { 3: { sites: 0, gone: 0 }, 4: { sites: 0, gone: 0 } };
    fc.assert(
      fc.property(loops, (trace) => {
        const result = body(pipeline(trace));
        for (const [index, category] of classifyLifetimes(trace).bySite) {
          if (category !== 3 && category !== 4) continue;
          // The body allocates site `p5` as p5_k (this iteration's object) or p5 (the previous one's).
          const site = new RegExp(`^${trace.ops[index]!.result}(_[0-9]+)?$`);
          share[category].sites++;
          if (!allocations(result).some((op) => site.test(op.result!))) share[category].gone++;
        }
      }),
      fcParams(400),
    );
    const percent = (c: 3 | 4) => ((100 * share[c].gone) / Math.max(1, share[c].sites)).toFixed(1);
    console.log(`peel: category 3 sites gone from the body ${share[3].gone}/${share[3].sites} (${percent(3)}%), category 4 ${share[4].gone}/${share[4].sites} (${percent(4)}%)`);
    expect(share[3].sites).toBeGreaterThan(20);
    expect(share[3].gone / share[3].sites).toBeGreaterThanOrEqual(0.9);
  });
});
