// The properties can fail: each deliberately broken optimizer in test/broken-optimizers/ is
// caught by the equivalence property within its default run count, and its counterexample,
// shrunk by fast-check and then reduced (properties/reduce.ts), has at most 8 ops.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/ir/index.ts';
import { printTrace } from '../../src/text/index.ts';
import { fcParamsForBrokenVariant } from '../../properties/fc-config.ts';
import { virtualizeDroppingResumeData } from '../broken-optimizers/dropped-resume-data.ts';
import { virtualizeForcingFieldsFirst } from '../broken-optimizers/fields-first-forcing.ts';
import { heapcacheIgnoringEscape } from '../broken-optimizers/heapcache-ignores-escape.ts';
import { foldTakingPrebuiltForDistinct } from '../broken-optimizers/prebuilt-distinct-from-variables.ts';
import { heapcacheTakingPrebuiltForUnaliased } from '../broken-optimizers/prebuilt-never-aliased.ts';
import { virtualizeWithoutForcingOnEscape } from '../broken-optimizers/no-force-on-escape.ts';
import { foldAssumingUnknownClasses } from '../broken-optimizers/unknown-class-guard.ts';
import { reduceTrace } from '../../properties/reduce.ts';
import { assertBehavesLikeInput, EQUIVALENCE_RUNS, equivalenceProperty } from './contract.ts';

function behavesLikeInput(trace: Trace, pass: (trace: Trace) => Trace): boolean {
  try {
    assertBehavesLikeInput(trace, pass(trace));
    return true;
  } catch {
    return false;
  }
}

const BROKEN: [string, (trace: Trace) => Trace][] = [
  ['(a) virtualize without forcing on escape', virtualizeWithoutForcingOnEscape],
  ['(b) virtualize forcing fields before allocating, in a cycle', virtualizeForcingFieldsFirst],
  ['(c) virtualize dropping resume data of virtual fail args', virtualizeDroppingResumeData],
  ['(d) heapcache not invalidated by escape', heapcacheIgnoringEscape],
  ['(e) fold removing guard_class on an unknown class', foldAssumingUnknownClasses],
  ['(f) fold taking a prebuilt object for one no variable holds', foldTakingPrebuiltForDistinct],
  ['(g) a heap cache taking a prebuilt object for a location no variable aliases', heapcacheTakingPrebuiltForUnaliased],
];

describe('broken optimizers are caught', () => {
  for (const [name, pass] of BROKEN) {
    it(name, () => {
      const result = fc.check(equivalenceProperty(pass), fcParamsForBrokenVariant(EQUIVALENCE_RUNS));
      expect(result.failed, `${name} passed ${result.numRuns} runs`).toBe(true);
      // The shrunk trace, then reduced (as boxless fuzz and the differential properties do).
      const reduced = reduceTrace(result.counterexample![0], (t) => !behavesLikeInput(t, pass));
      expect(reduced.ops.length, printTrace(reduced)).toBeLessThanOrEqual(8);
    });
  }
});
