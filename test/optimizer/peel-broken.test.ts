// The peel properties can fail: each deliberately broken peel in test/broken-optimizers/peel-*.ts
// is caught by the differential property on random loops, and fast-check shrinks the
// counterexample to a loop of at most 10 ops (printed as a trace file that `boxless check` takes).
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/ir/index.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { findCounterexample, formatCounterexample } from '../../properties/differential.ts';
import { peelWithoutLabelExit } from '../broken-optimizers/peel-label-without-exit.ts';
import { peelTrustingPreambleClasses } from '../broken-optimizers/peel-trusts-preamble-class.ts';
import { peelJumpingToMismatch } from '../broken-optimizers/peel-unforced-mismatch.ts';

const BROKEN: [string, (trace: Trace) => Trace][] = [
  ['(a) the body trusts the class the preamble proved', peelTrustingPreambleClasses],
  ['(b) the label has no exit: a fuel exit hands out exploded fields', peelWithoutLabelExit],
  ['(c) a virtual where the label expects a real object is jumped to unforced', peelJumpingToMismatch],
];

describe('broken peels are caught with small counterexamples', () => {
  for (const [name, broken] of BROKEN) {
    it(name, () => {
      const found = findCounterexample(broken, { arbitrary: arbTraceCase({ loopShare: 1 }), fuels: [0, 1, 2, 3, 5, 20], runs: 300 });
      expect(found, `${name} passed 300 loops`).not.toBeNull();
      expect(found!.trace.ops.length, formatCounterexample(found!)).toBeLessThanOrEqual(10);
    });
  }
});
