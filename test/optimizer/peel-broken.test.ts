// The peel properties can fail: each deliberately broken peel in test/broken-optimizers/peel-*.ts
// is caught by the differential property on random loops, and fast-check shrinks the
// counterexample to a loop of at most 10 ops (printed as a trace file that `boxless check` takes),
// which shows what the variant breaks (`involves`): (b) must be caught by a loop whose label
// carries a virtual, not by one that only changes how the label's exit counts its values.
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/ir/index.ts';
import { peel } from '../../src/optimizer/peel.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { findCounterexample, formatCounterexample } from '../../properties/differential.ts';
import { fcParamsForBrokenVariant } from '../../properties/fc-config.ts';
import { peelForgettingVirtualLoopArgs } from '../broken-optimizers/peel-label-without-exit.ts';
import { peelTrustingPreambleClasses } from '../broken-optimizers/peel-trusts-preamble-class.ts';
import { peelJumpingToMismatch } from '../broken-optimizers/peel-unforced-mismatch.ts';

// The search stops at the first failing loop. (a) and (c) fail on about 1-2% of the generated
// loops (measured on 3,000: 52 and 32; (b) 372), so 300 loops missed (c) about once in 25 seeds,
// and 1,000 about once in 40,000 (e^-10.6). Measured again on seeds 1 to 30, (c) is caught after
// 63 loops on average (at most 176), (a) after 50 (at most 206), (b) after 4. At 2,000 a miss has
// odds of about e^-21 at the slower rate, and costs nothing when the catch comes early.
const RUNS = 2000;

/** The number of virtuals the label's exit rebuilds when `trace` is peeled correctly. */
function labelVirtuals(trace: Trace): number {
  const label = peel(virtualize(trace)).ops.find((op) => op.name === 'label');
  return label?.exit?.virtuals.length ?? 0;
}

const BROKEN: [string, (trace: Trace) => Trace, ((counterexample: Trace) => void)?][] = [
  ['(a) the body trusts the class the preamble proved', peelTrustingPreambleClasses],
  [
    '(b) the label exit forgets to rebuild a virtual loop argument',
    peelForgettingVirtualLoopArgs,
    (counterexample) => expect(labelVirtuals(counterexample)).toBeGreaterThan(0),
  ],
  ['(c) a virtual where the label expects a real object is jumped to unforced', peelJumpingToMismatch],
];

describe('broken peels are caught with small counterexamples', () => {
  for (const [name, broken, involves] of BROKEN) {
    it(name, () => {
      const found = findCounterexample(broken, { arbitrary: arbTraceCase({ loopShare: 1, labelShare: 0 }), fuels: [0, 1, 2, 3, 5, 20], runs: RUNS, parameters: fcParamsForBrokenVariant });
      expect(found, `${name} passed ${RUNS} loops`).not.toBeNull();
      const report = formatCounterexample(found!);
      console.log(`${name}: caught with a loop of ${found!.trace.ops.length} ops (${found!.difference.split('\n')[0]})`);
      expect(found!.trace.ops.length, report).toBeLessThanOrEqual(10);
      involves?.(found!.trace);
    });
  }
});
