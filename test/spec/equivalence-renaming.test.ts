// The equivalence check on real outcomes of random traces: it ignores how allocated objects are
// numbered, and it notices a changed int anywhere in the final heap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeapCell, HeapView, Outcome, RtValue } from '../../src/ir/index.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { fcParams } from '../../properties/fc-config.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';

/** The same outcome with every id and every value rewritten by `mapId` and `mapInt`. */
function rewrite(outcome: Outcome, mapId: (id: number) => number, mapInt: (n: bigint) => bigint = (n) => n): Outcome {
  const value = (v: RtValue): RtValue =>
    v.kind === 'ref' ? { kind: 'ref', id: mapId(v.id) } : v.kind === 'int' ? { kind: 'int', value: mapInt(v.value) } : v;
  const cell = (c: HeapCell): HeapCell =>
    c.kind === 'object'
      ? { ...c, fields: Object.fromEntries(Object.entries(c.fields).map(([name, v]) => [name, value(v)])) }
      : { ...c, items: c.items.map(value) };
  const view = (h: HeapView): HeapView => new Map([...h].map(([id, c]) => [mapId(id), cell(c)]));
  return {
    ...outcome,
    values: outcome.values.map(value),
    escapes: outcome.escapes.map((e) => ({ args: e.args.map(value), heap: view(e.heap) })),
    inputArgs: outcome.inputArgs.map(value),
    finalHeap: view(outcome.finalHeap),
  };
}

describe('compareOutcomes on reference runs of random traces', () => {
  it('accepts the outcome with its allocated objects renumbered in reverse', () => {
    fc.assert(
      fc.property(arbTraceCase(), fc.nat(1000), (trace, offset) => {
        for (const set of trace.inputSets) {
          const outcome = runReference(trace, set, { fuel: 5 });
          const n = outcome.inputObjectCount!; // prebuilt and input objects keep their ids
          const renamed = rewrite(outcome, (id) => (id < n ? id : n + offset + 100_000 - id));
          expect(compareOutcomes(outcome, renamed)).toEqual({ ok: true });
        }
      }),
      fcParams(100),
    );
  });

  it('rejects the outcome with the ints of its final heap changed', () => {
    let checked = 0;
    fc.assert(
      fc.property(arbTraceCase(), (trace) => {
        for (const set of trace.inputSets) {
          const outcome = runReference(trace, set, { fuel: 5 });
          const cells = [...outcome.finalHeap.values()];
          const hasInt = cells.some((c) => (c.kind === 'object' ? Object.values(c.fields) : c.items).some((v) => v.kind === 'int'));
          if (!hasInt) continue;
          checked += 1;
          const { finalHeap } = rewrite(outcome, (id) => id, (x) => BigInt.asIntN(64, x + 1n));
          expect(compareOutcomes(outcome, { ...outcome, finalHeap }).ok).toBe(false);
        }
      }),
      fcParams(100),
    );
    expect(checked).toBeGreaterThan(0);
  });
});
