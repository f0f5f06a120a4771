// `check --bisect` on every deliberately broken optimizer in test/broken-optimizers/: with the
// variant standing in for its pass in the default pipeline, a counterexample is found (by the
// differential search, or, for the loop-write heap cache, on the loop golden that catches it) and
// the bisection names the variant, never an earlier pass; on the correct pipeline it finds nothing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/ir/index.ts';
import { DEFAULT_PIPELINE, optimize, type Pass } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';
import { bisectPasses } from '../../src/cli/bisect.ts';
import { CHECK_FUELS } from '../../src/cli/fuels.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { findCounterexample } from '../../properties/differential.ts';
import { fcParamsForBrokenVariant } from '../../properties/fc-config.ts';
import { dropSetfield } from '../broken-optimizers/drop-setfield.ts';
import { virtualizeDroppingResumeData } from '../broken-optimizers/dropped-resume-data.ts';
import { virtualizeForcingFieldsFirst } from '../broken-optimizers/fields-first-forcing.ts';
import { foldTrustingReboundArguments } from '../broken-optimizers/fold-trusts-rebound-argument.ts';
import { heapcacheIgnoringEscape } from '../broken-optimizers/heapcache-ignores-escape.ts';
import { heapcacheIgnoringLoopWrites } from '../broken-optimizers/heapcache-keeps-written-field.ts';
import { virtualizeWithoutForcingOnEscape } from '../broken-optimizers/no-force-on-escape.ts';
import { peelForgettingVirtualLoopArgs } from '../broken-optimizers/peel-label-without-exit.ts';
import { peelTrustingPreambleClasses } from '../broken-optimizers/peel-trusts-preamble-class.ts';
import { peelJumpingToMismatch } from '../broken-optimizers/peel-unforced-mismatch.ts';
import { foldTakingPrebuiltForDistinct } from '../broken-optimizers/prebuilt-distinct-from-variables.ts';
import { heapcacheTakingPrebuiltForUnaliased } from '../broken-optimizers/prebuilt-never-aliased.ts';
import { foldAssumingUnknownClasses } from '../broken-optimizers/unknown-class-guard.ts';

/** Each variant and the pass of the default pipeline it stands in for. */
const VARIANTS: [Pass, string][] = [
  [virtualizeWithoutForcingOnEscape, 'virtualize'],
  [virtualizeForcingFieldsFirst, 'virtualize'],
  [virtualizeDroppingResumeData, 'virtualize'],
  [peelTrustingPreambleClasses, 'peel'],
  [peelForgettingVirtualLoopArgs, 'peel'],
  [peelJumpingToMismatch, 'peel'],
  [heapcacheIgnoringEscape, 'heapcache'],
  [heapcacheTakingPrebuiltForUnaliased, 'heapcache'],
  [foldAssumingUnknownClasses, 'fold'],
  [foldTrustingReboundArguments, 'fold'],
  [foldTakingPrebuiltForDistinct, 'fold'],
  [dropSetfield, 'dce'],
];

/**
 * Traces the search may take. Measured on seeds 1 to 30, the slowest variants are caught after
 * 239 (heapcacheTakingPrebuiltForUnaliased) and 150 (foldTakingPrebuiltForDistinct, 300 on seeds
 * 1000 to 1099, at most 1,265) traces on average; the catch is close to geometric, so 2,000 traces
 * missed one of them about once in 500 runs of this file. At 6,000 a miss has odds of about e^-20.
 */
const SEARCH_RUNS = 6000;

const withVariant = (variant: Pass, slot: string) => DEFAULT_PIPELINE.map((name) => (name === slot ? variant : name));

function counterexampleFor(variant: Pass, slot: string): Trace {
  const pipeline = withVariant(variant, slot);
  // Loops without a label for the peel variants (they only act on loops peel makes).
  const loops = slot === 'peel';
  const found = findCounterexample((t) => optimize(t, pipeline), {
    parameters: fcParamsForBrokenVariant,
    runs: SEARCH_RUNS,
    fuels: CHECK_FUELS,
    ...(loops ? { arbitrary: arbTraceCase({ loopShare: 1, labelShare: 0 }) } : {}),
  });
  expect(found, `${variant.name} in place of ${slot} was not caught`).not.toBeNull();
  return found!.trace;
}

const blamed = (result: ReturnType<typeof bisectPasses>) => (result.kind === 'pass' ? result.run.pass : result.kind === 'failed' ? result.pass : 'none');

describe('check --bisect names the broken pass', () => {
  for (const [variant, slot] of VARIANTS) {
    it(`${variant.name} (in place of ${slot})`, () => {
      const trace = counterexampleFor(variant, slot);
      const result = bisectPasses(trace, withVariant(variant, slot), trace.inputSets, CHECK_FUELS);
      // A variant may already break an invariant of the IR (bisect runs with verify): named too.
      expect(blamed(result)).toBe(variant.name);
      // The correct pipeline behaves on the same trace: the difference was the variant's.
      expect(bisectPasses(trace, DEFAULT_PIPELINE, trace.inputSets, CHECK_FUELS).kind).toBe('none');
    });
  }

  it('heapcacheIgnoringLoopWrites (in place of heapcache), on the loop golden that catches it', () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), '../golden/pipeline/loop-read-of-written-field.trace');
    const trace = parseTrace(readFileSync(file, 'utf8').split(/^=== /m)[0]!, file);
    const result = bisectPasses(trace, withVariant(heapcacheIgnoringLoopWrites, 'heapcache'), trace.inputSets, CHECK_FUELS);
    expect(blamed(result)).toBe('heapcacheIgnoringLoopWrites');
  });
});
