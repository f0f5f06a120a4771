/**
 * The paper's Figure 2 compiled to wasm: every input set of the example file, at several fuel
 * amounts, has the reference's outcome; and the WAT dump shows the trace ops it came from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';
import { parseTrace } from '../../src/text/index.ts';
import { compileTrace, runCompiled, traceToWat } from '../../src/wasm/index.ts';

const file = new URL('../../examples/paper-figure2.trace', import.meta.url);
const trace = parseTrace(readFileSync(file, 'utf8'), 'paper-figure2.trace');

describe('Figure 2 on wasm', () => {
  // Compiled in each test, not while vitest collects them: a mutation run counts only code reached
  // inside a test as covered by it, and would not run these tests on the emitter's mutants.
  const compiled = () => compileTrace(trace);

  for (const input of trace.inputSets) {
    for (const fuel of [0, 1, 5, 1000]) {
      it(`input ${input.name}, fuel ${fuel}: same outcome as the reference`, () => {
        const expected = runReference(trace, input, { fuel });
        const actual = runCompiled(compiled(), input, { fuel });
        expect(compareOutcomes(expected, actual)).toEqual({ ok: true });
      });
    }
  }

  it('int_y leaves at guard_true after 10 iterations with res = -945', () => {
    const outcome = runCompiled(compiled(), trace.inputSets.find((s) => s.name === 'int_y')!, { fuel: 1000 });
    expect(outcome.exit).toEqual({ kind: 'guard', guardId: 7 });
    const res = outcome.values[10]!; // p10: res.add(y).add(BoxedInteger(-100))
    expect(res.kind).toBe('ref');
    const cell = outcome.finalHeap.get((res as { id: number }).id)!;
    expect(cell).toEqual({ kind: 'object', cls: 'BoxedInteger', fields: { intval: { kind: 'int', value: -945n } } });
  });

  it('runs the loop across many calls of run (fuel beyond one call) like the reference', () => {
    const input = {
      name: 'big_y',
      args: [
        { kind: 'obj', name: 'y' },
        { kind: 'obj', name: 'res' },
      ],
      objects: [
        { name: 'y', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: 100_000n } }] },
        { name: 'res', kind: 'object', cls: 'BoxedInteger', fields: [] },
      ],
    } as const;
    for (const fuel of [70_000, 140_000]) {
      expect(compareOutcomes(runReference(trace, input, { fuel }), runCompiled(compiled(), input, { fuel }))).toEqual({ ok: true });
    }
  });

  it('prints readable WAT with each trace op as a comment before its code', () => {
    const wat = traceToWat(trace);
    expect(wat).toMatch(/^\(module\n/);
    expect(wat).toContain(';; [4] i4 = int_add(i2, i3)');
    const comment = wat.indexOf(';; [4] i4 = int_add(i2, i3)');
    expect(wat.slice(comment).split('\n').slice(1, 5).map((l) => l.trim())).toEqual([
      'local.get $i2',
      'local.get $i3',
      'i64.add',
      'local.set $i4',
    ]);
  });
});
