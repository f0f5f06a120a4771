// The properties can fail: each deliberately broken optimizer in test/broken-optimizers/ is
// caught by the equivalence property within its default run count, and fast-check shrinks the
// counterexample to a trace of at most 8 ops.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/ir/index.ts';
import { printTrace } from '../../src/text/index.ts';
import { fcParamsForBrokenVariant } from '../../properties/fc-config.ts';
import { virtualizeDroppingResumeData } from '../broken-optimizers/dropped-resume-data.ts';
import { virtualizeForcingFieldsFirst } from '../broken-optimizers/fields-first-forcing.ts';
import { heapcacheIgnoringEscape } from '../broken-optimizers/heapcache-ignores-escape.ts';
import { virtualizeWithoutForcingOnEscape } from '../broken-optimizers/no-force-on-escape.ts';
import { foldAssumingUnknownClasses } from '../broken-optimizers/unknown-class-guard.ts';
import { EQUIVALENCE_RUNS, equivalenceProperty } from './contract.ts';

const BROKEN: [string, (trace: Trace) => Trace][] = [
  ['(a) virtualize without forcing on escape', virtualizeWithoutForcingOnEscape],
  ['(b) virtualize forcing fields before allocating, in a cycle', virtualizeForcingFieldsFirst],
  ['(c) virtualize dropping resume data of virtual fail args', virtualizeDroppingResumeData],
  ['(d) heapcache not invalidated by escape', heapcacheIgnoringEscape],
  ['(e) fold removing guard_class on an unknown class', foldAssumingUnknownClasses],
];

describe('broken optimizers are caught', () => {
  for (const [name, pass] of BROKEN) {
    it(name, () => {
      const result = fc.check(equivalenceProperty(pass), fcParamsForBrokenVariant(EQUIVALENCE_RUNS));
      expect(result.failed, `${name} passed ${result.numRuns} runs`).toBe(true);
      const [trace] = result.counterexample!;
      expect(trace.ops.length, printTrace(trace)).toBeLessThanOrEqual(8);
    });
  }
});
