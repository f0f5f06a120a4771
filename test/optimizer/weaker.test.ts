// The strength properties can fail: each one (properties/removal.ts) is shown to catch an
// optimizer that is still correct but removes less (test/weaker-optimizers/: correct, so not
// among the broken variants the validator must reject), within its run count, with the
// counterexample shrunk by fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/ir/index.ts';
import { fcParamsForBrokenVariant } from '../../properties/fc-config.ts';
import {
  CATEGORY_3,
  FIXPOINT,
  GUARD_CLASS_ON_VIRTUAL,
  OVERFLOW_CHECK_AFTER_BOUND,
  POINTER_TEST_ON_VIRTUALS,
  READ_AFTER_WRITE,
  type RemovalProperty,
  removalProperty,
} from '../../properties/removal.ts';
import { heapcacheForgettingEverywhere } from '../weaker-optimizers/heapcache-forgets-everywhere.ts';
import { optimizeOneRound, optimizeWithoutIntbounds, optimizeWithoutPeel } from '../weaker-optimizers/pipelines.ts';
import { virtualizeKeepingGuardClass } from '../weaker-optimizers/guard-class-on-virtual.ts';
import { virtualizeKeepingPointerTests } from '../weaker-optimizers/pointer-test-on-virtuals.ts';

/** Weakened optimizer, the property that must catch it, and the run count it gets. */
const WEAKER: [string, (trace: Trace) => Trace, RemovalProperty, number][] = [
  ['virtualize keeping guard_class on virtuals', virtualizeKeepingGuardClass, GUARD_CLASS_ON_VIRTUAL, 400],
  ['virtualize keeping ptr_eq and ptr_ne of virtuals', virtualizeKeepingPointerTests, POINTER_TEST_ON_VIRTUALS, 1500],
  ['heapcache forgetting everything at ops it has no rule for', heapcacheForgettingEverywhere, READ_AFTER_WRITE, 400],
  ['the default pipeline without peel', optimizeWithoutPeel, CATEGORY_3, 300],
  // Measured: about 1 generated trace in 80 needs a second round.
  ['one round of the default pipeline', optimizeOneRound, FIXPOINT, 1500],
  ['the default pipeline without intbounds', optimizeWithoutIntbounds, OVERFLOW_CHECK_AFTER_BOUND, 300],
];

describe('weaker optimizers are caught by the strength properties', () => {
  for (const [name, optimizer, property, runs] of WEAKER) {
    it(`${name}: ${property.name}`, () => {
      const result = fc.check(removalProperty(property, optimizer), fcParamsForBrokenVariant<[Trace]>(runs));
      expect(result.failed, `${name} passed ${result.numRuns} runs`).toBe(true);
      console.log(`${name}: caught after ${result.numRuns} traces, shrunk to ${result.counterexample![0].ops.length} ops`);
    });
  }
});
