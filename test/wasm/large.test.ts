/**
 * Traces with more variables than OWN_LOCALS_UP_TO share locals (V8 refuses a function with
 * more than 50,000): such a trace compiles with few locals and still has the reference's outcome.
 */
import { describe, expect, it } from 'vitest';
import { genLargeTrace } from '../../properties/arbitraries/trace.ts';
import { validate } from '../../src/ir/index.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';
import { compileTrace, runCompiled, traceToWat } from '../../src/wasm/index.ts';
import { parseTrace } from '../../src/text/index.ts';
import { OWN_LOCALS_UP_TO } from '../../src/wasm/emit.ts';

describe('a trace with more variables than locals of their own', () => {
  it('compiles with shared locals and runs like the reference', () => {
    const trace = validate(genLargeTrace(2 * OWN_LOCALS_UP_TO, 5));
    const variables = trace.inputs.length + trace.ops.filter((op) => op.result).length;
    expect(variables).toBeGreaterThan(OWN_LOCALS_UP_TO);
    const compiled = compileTrace(trace);
    expect(compiled.code.locals.length).toBeLessThan(variables / 10);
    for (const input of trace.inputSets) {
      for (const fuel of [0, 2]) {
        const comparison = compareOutcomes(runReference(trace, input, { fuel }), runCompiled(compiled, input, { fuel }));
        expect(comparison, `${input.name}, fuel ${fuel}`).toEqual({ ok: true });
      }
    }
  });
});

describe('large traces and large arrays', () => {
  it('prints the WebAssembly text of a 12,000-op trace (no spread of its lines)', () => {
    const trace = genLargeTrace(10_000, 11);
    const wat = traceToWat(trace);
    expect(wat.startsWith('(module')).toBe(true);
    expect(wat.split('\n').length).toBeGreaterThan(trace.ops.length);
  });

  it('escapes and returns a reachable array of a million items like the reference', () => {
    const trace = parseTrace('[]\np0 = new_array(1000000, int)\nescape(p0)\nfinish(p0)\ninput none []');
    const [input] = trace.inputSets;
    expect(compareOutcomes(runReference(trace, input!), runCompiled(compileTrace(trace), input!))).toEqual({ ok: true });
  });
});
