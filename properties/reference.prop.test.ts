/**
 * The generator's contract and the reference's determinism, on random traces:
 *  - every generated trace validates, as do its input sets, and its guards list few fail args;
 *  - two runs of the reference on the same trace, input set and fuel give equal outcomes;
 *  - no generated run reaches undefined behaviour (the generator avoids it by construction,
 *    see arbitraries/build.ts), so every later equivalence property makes a real claim.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freezeTrace, isGuard, validate } from '../src/ir/index.ts';
import { compareOutcomes } from '../spec/equivalence.ts';
import { runReference } from '../spec/interpreter.ts';
import { arbTraceCase } from './arbitraries/trace.ts';
import { fcParams } from './fc-config.ts';

const FUELS = [0, 1, 3, 8, 50];

describe('generated traces', () => {
  it('validate, with 1–3 input sets and at most three fail args per guard', () => {
    fc.assert(
      fc.property(arbTraceCase(), (trace) => {
        expect(() => validate(freezeTrace(trace))).not.toThrow();
        expect(trace.inputSets.length).toBeGreaterThanOrEqual(1);
        expect(trace.inputSets.length).toBeLessThanOrEqual(3);
        for (const op of trace.ops) if (isGuard(op.name)) expect(op.exit!.values.length).toBeLessThanOrEqual(3);
      }),
      fcParams(300),
    );
  });

  it('never reach undefined behaviour on their input sets, whatever the fuel', () => {
    fc.assert(
      fc.property(arbTraceCase(), (trace) => {
        for (const set of trace.inputSets) {
          for (const fuel of FUELS) {
            const exit = runReference(trace, set, { fuel }).exit;
            expect(exit.kind, `input ${set.name}, fuel ${fuel}: ${JSON.stringify(exit)}`).not.toMatch(/^(undefined|error)$/);
          }
        }
      }),
      fcParams(200),
    );
  });
});

describe('the reference interpreter', () => {
  it('is deterministic: two runs give equal outcomes', () => {
    fc.assert(
      fc.property(arbTraceCase(), fc.constantFrom(...FUELS), (trace, fuel) => {
        for (const set of trace.inputSets) {
          const first = runReference(trace, set, { fuel });
          const second = runReference(trace, set, { fuel });
          expect(second).toEqual(first);
          expect(compareOutcomes(first, second)).toEqual({ ok: true });
        }
      }),
      fcParams(200),
    );
  });
});
