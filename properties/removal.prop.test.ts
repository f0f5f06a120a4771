// What the optimizer must remove, on generated traces (properties/removal.ts): each strength
// property on the real optimizer, with the number of cases it checked held to a minimum so that
// none passes vacuously. test/optimizer/weaker.test.ts shows each one failing on a weakened
// optimizer.
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/ir/index.ts';
import { optimize, PASSES } from '../src/optimizer/pipeline.ts';
import { assertTraces } from './differential.ts';
import { fcParams } from './fc-config.ts';
import {
  CATEGORY_3,
  FIXPOINT,
  GUARD_CLASS_ON_VIRTUAL,
  OVERFLOW_CHECK_AFTER_BOUND,
  POINTER_TEST_ON_VIRTUALS,
  READ_AFTER_WRITE,
  removalCheck,
  type RemovalProperty,
} from './removal.ts';

/** Property, optimizer, default run count, fewest cases over that count (about a third of one measured run). */
const SUITE: [RemovalProperty, (trace: Trace) => Trace, number, number][] = [
  [GUARD_CLASS_ON_VIRTUAL, PASSES.virtualize!, 400, 12],
  [POINTER_TEST_ON_VIRTUALS, PASSES.virtualize!, 1500, 6],
  [READ_AFTER_WRITE, PASSES.heapcache!, 400, 60],
  [CATEGORY_3, (t) => optimize(t), 300, 25],
  [FIXPOINT, (t) => optimize(t), 300, 300],
  [OVERFLOW_CHECK_AFTER_BOUND, (t) => optimize(t), 300, 11],
];

describe('what the optimizer removes', () => {
  for (const [property, optimizer, runs, fewest] of SUITE) {
    it(property.name, () => {
      const census = { cases: 0 };
      const params = fcParams<[Trace]>(runs);
      // A failure is reduced and printed as a bare trace file (assertTraces).
      assertTraces(removalCheck(property, optimizer, census), { arbitrary: property.arbitrary, runs });
      console.log(`${property.name}: ${census.cases} cases in ${params.numRuns} traces`);
      // A census needs the default run; a replay (FC_PATH) runs the one counterexample.
      if (params.numRuns === runs && params.path === undefined) expect(census.cases).toBeGreaterThanOrEqual(fewest);
    });
  }
});
