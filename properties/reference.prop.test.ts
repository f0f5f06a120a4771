/**
 * The generator's contract and the reference's determinism, on random traces:
 *  - every generated trace validates, as do its input sets, and its guards list few fail args;
 *  - two runs of the reference on the same trace, input set and fuel give equal outcomes;
 *  - no generated run reaches undefined behaviour (the generator avoids it by construction,
 *    see arbitraries/build.ts), so every later equivalence property makes a real claim.
 */
import { describe, expect, it } from 'vitest';
import { freezeTrace, isGuard, validate } from '../src/ir/index.ts';
import { compareOutcomes } from '../spec/equivalence.ts';
import { runReference } from '../spec/interpreter.ts';
import { assertTraces } from './differential.ts';

const FUELS = [0, 1, 3, 8, 50];

describe('generated traces', () => {
  // Generated traces that break the contract are generator bugs; the check runs on the raw
  // trace, so the reducer (which keeps only valid candidates) reduces toward the broken part.
  it('validate, with 1–3 input sets and at most three fail args per guard', () => {
    assertTraces(
      (trace) => {
        try {
          validate(freezeTrace(trace));
        } catch (err) {
          return `the generated trace does not validate: ${err instanceof Error ? err.message : String(err)}`;
        }
        if (trace.inputSets.length < 1 || trace.inputSets.length > 3) return `${trace.inputSets.length} input sets`;
        const long = trace.ops.find((op) => isGuard(op.name) && op.exit!.values.length > 3);
        return long ? `guard ${long.guardId} has ${long.exit!.values.length} fail args` : null;
      },
      { runs: 300 },
    );
  });

  it('never reach undefined behaviour on their input sets, whatever the fuel', () => {
    assertTraces(
      (trace) => {
        for (const set of trace.inputSets) {
          for (const fuel of FUELS) {
            const exit = runReference(trace, set, { fuel }).exit;
            if (exit.kind === 'undefined' || exit.kind === 'error') return `input ${set.name}, fuel ${fuel}: ${exit.kind}: ${exit.message}`;
          }
        }
        return null;
      },
      { runs: 200 },
    );
  });
});

describe('the reference interpreter', () => {
  it('is deterministic: two runs give equal outcomes', () => {
    assertTraces(
      (trace) => {
        for (const set of trace.inputSets) {
          for (const fuel of FUELS) {
            const first = runReference(trace, set, { fuel });
            const second = runReference(trace, set, { fuel });
            expect(second).toEqual(first);
            const comparison = compareOutcomes(first, second);
            if (!comparison.ok) return `input ${set.name}, fuel ${fuel}: two runs differ: ${comparison.difference}`;
          }
        }
        return null;
      },
      { runs: 200 },
    );
  });
});
