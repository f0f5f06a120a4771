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
import { LIVE_LOCALS_PER_TYPE, OWN_LOCALS_UP_TO } from '../../src/wasm/emit.ts';

describe('a trace with more variables than locals of their own', () => {
  it('compiles with shared locals and runs like the reference', () => {
    const trace = validate(genLargeTrace(2 * OWN_LOCALS_UP_TO, 5));
    const variables = trace.inputs.length + trace.ops.filter((op) => op.result).length;
    expect(variables).toBeGreaterThan(OWN_LOCALS_UP_TO);
    const compiled = compileTrace(trace);
    expect(compiled.code.locals.length).toBeLessThan(variables / 10);
    // A shared local is named after every variable it holds in turn (`i5/i20007`, for the WAT
    // dump): each variable in exactly one local.
    const named = compiled.code.locals.flatMap((l) => l.name.split('/')).filter((n) => /^[ifp][0-9]+$/.test(n));
    expect(new Set(named).size).toBe(named.length);
    expect(named.length).toBe(variables);
    for (const input of trace.inputSets) {
      for (const fuel of [0, 2]) {
        const comparison = compareOutcomes(runReference(trace, input, { fuel }), runCompiled(compiled, input, { fuel }));
        expect(comparison, `${input.name}, fuel ${fuel}`).toEqual({ ok: true });
      }
    }
  });
});

describe('a loop with shared locals', () => {
  // Values defined before the label that the body uses, in an op's args (i1) or only in a
  // guard's fail args (i2), must keep their locals through the whole body and across the
  // back-edge: were their locals counted free after their last use in the body, the values
  // defined after it (three live at once, so that every freed local is taken) would take them
  // over, and the second iteration would read those values.
  it('keeps the locals of values from before the label that the body uses, across iterations', () => {
    const chain = Array.from({ length: OWN_LOCALS_UP_TO }, (_, k) => `i${k + 11} = int_add(i${k + 10}, 1)`);
    const trace = parseTrace(
      [
        '[i0, i5]',
        'i1 = int_add(i0, 7)',
        'i2 = int_mul(i0, 3)',
        'label(i0, i5)',
        'i6 = int_add(i5, 1)',
        'i7 = int_gt(i6, 1)',
        'i3 = int_add(i1, i6)',
        'guard_false(i7) [i2, i3]',
        'i8 = int_add(i0, 100)',
        'i9 = int_add(i0, 200)',
        'i10 = int_add(i8, i9)',
        ...chain,
        'jump(i0, i6)',
        'input five [5, 0]',
      ].join('\n'),
      'shared-locals.trace',
    );
    const compiled = compileTrace(trace);
    expect(compiled.code.locals.length).toBeLessThan(100);
    const outcome = runCompiled(compiled, trace.inputSets[0]!);
    // The guard fails in the second iteration (i6 = 2): i2 = 3 * 5, i3 = (5 + 7) + 2.
    expect(outcome.exit.kind).toBe('guard');
    expect(outcome.values).toEqual([15n, 14n].map((value) => ({ kind: 'int', value })));
    expect(compareOutcomes(runReference(trace, trace.inputSets[0]!), outcome)).toEqual({ ok: true });
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

describe('more values live at once than a function may have locals: spilled to memory', () => {
  const N = 60_000;

  it(`compiles a guard with ${N.toLocaleString('en')} fail args and exits with all of them`, () => {
    const lines = ['[i0]'];
    for (let k = 1; k < N; k++) lines.push(`i${k} = int_add(i${k - 1}, ${k % 7})`);
    lines.push(`guard_true(i0) [${Array.from({ length: N }, (_, k) => `i${k}`).join(', ')}]`, 'finish(i1)', 'input fails [0]', 'input passes [3]');
    const trace = parseTrace(lines.join('\n'));
    const compiled = compileTrace(trace);
    expect(compiled.code.locals.length).toBeLessThan(3 * LIVE_LOCALS_PER_TYPE + 10);
    // A spilled int passes through the i64 scratch local, named for the WAT dump.
    expect(compiled.code.locals.filter((l) => l.name.startsWith('scratch_'))).toEqual([{ name: 'scratch_i64', type: 'i64' }]);
    for (const input of trace.inputSets) {
      const expected = runReference(trace, input);
      expect(compareOutcomes(expected, runCompiled(compiled, input)), input.name).toEqual({ ok: true });
    }
    expect(runReference(trace, trace.inputSets[0]!).values).toHaveLength(N);
  });

  it('runs a loop whose spilled parameters are permuted by the jump, like the reference at every fuel', () => {
    // LIVE_LOCALS_PER_TYPE + 5 int loop parameters and as many floats: some of each live in memory.
    const n = LIVE_LOCALS_PER_TYPE + 5;
    const ints = Array.from({ length: n }, (_, k) => `i${k}`);
    const floats = Array.from({ length: n }, (_, k) => `f${n + k}`);
    const lines = [`[${[...ints, ...floats].join(', ')}]`];
    let next = 2 * n;
    const newInts = ints.map((name, k) => {
      lines.push(`i${next} = int_add(${name}, ${k})`);
      return `i${next++}`;
    });
    const newFloats = floats.map((name) => {
      lines.push(`f${next} = float_add(${name}, 0.5)`);
      return `f${next++}`;
    });
    lines.push(`i${next} = int_lt(${newInts[0]}, 12)`, `guard_true(i${next}) [${[...newInts, ...newFloats].slice(0, 1000).join(', ')}, ${newInts.at(-1)}]`);
    // The jump rotates the ints by one and the floats by two: a parallel move through memory.
    lines.push(`jump(${[...newInts.slice(1), newInts[0], ...newFloats.slice(2), ...newFloats.slice(0, 2)].join(', ')})`);
    lines.push(`input s [${[...ints.map((_, k) => String(k % 5)), ...floats.map((_, k) => `${k % 3}.5`)].join(', ')}]`);
    const trace = parseTrace(lines.join('\n'));
    const compiled = compileTrace(trace);
    expect(compiled.code.locals.length).toBeLessThan(3 * LIVE_LOCALS_PER_TYPE + 10);
    const input = trace.inputSets[0]!;
    for (const fuel of [0, 1, 3]) {
      const comparison = compareOutcomes(runReference(trace, input, { fuel }), runCompiled(compiled, input, { fuel }));
      expect(comparison, `fuel ${fuel}`).toEqual({ ok: true });
    }
  });
});

describe('which locals are shared and which values spilled', () => {
  it('frees a local after its last use, at op 0 too; an input never used keeps its local', () => {
    // A loop with a label: the inputs are not its parameters, so they can die. i0 is last used by
    // op 0, whose result is never used; i2 is never used at all; every result after the label
    // is unused too (dies where it is made), so all of them share one of the locals op 0 freed:
    // four i64 locals in all, one per input and the one op 0's result freed.
    const lines = ['[i0, i1, i2]', 'i3 = int_add(i0, 1)', 'label(i1)'];
    for (let k = 4; k < OWN_LOCALS_UP_TO + 6; k++) lines.push(`i${k} = int_add(i1, ${k})`);
    lines.push('jump(i1)', 'input s [1, 2, 3]');
    const trace = parseTrace(lines.join('\n'), 'shared.trace');
    const compiled = compileTrace(trace);
    const names = compiled.code.locals.map((l) => l.name);
    expect(compiled.code.locals.filter((l) => l.type === 'i64')).toHaveLength(4);
    expect(names).toContain('i2');
    for (const fuel of [0, 2]) {
      expect(compareOutcomes(runReference(trace, trace.inputSets[0]!, { fuel }), runCompiled(compiled, trace.inputSets[0]!, { fuel }))).toEqual({ ok: true });
    }
  });

  it('gives each variable its own local while there are few, however many ops the trace has', () => {
    // More ops than OWN_LOCALS_UP_TO, but four variables: i2 dies at once and i3 comes after it,
    // yet each keeps a local of its own (shared locals would hand i2's to i3).
    const stores = Array.from({ length: OWN_LOCALS_UP_TO + 1 }, () => 'setfield(p0, v, i1)');
    const trace = parseTrace(['class Box(v: int)', '[p0, i1]', 'i2 = int_add(i1, 1)', ...stores, 'i3 = int_add(i1, 2)', 'finish(i1)'].join('\n'), 'many-ops.trace');
    const names = compileTrace(trace).code.locals.map((l) => l.name);
    expect(names).toContain('i2');
    expect(names).toContain('i3');
  });

  it('shares locals from OWN_LOCALS_UP_TO + 1 variables on, not at OWN_LOCALS_UP_TO', () => {
    // Two inputs and results that all die at once: i2 first, the rest after it. With a local per
    // variable i2 keeps its own; with shared locals the next result takes it.
    const withVariables = (n: number) => {
      const lines = ['[i0, i1]'];
      for (let k = 2; k < n; k++) lines.push(`i${k} = int_add(i1, ${k})`);
      lines.push('finish(i1)');
      return compileTrace(parseTrace(lines.join('\n'), 'threshold.trace')).code.locals.map((l) => l.name);
    };
    expect(withVariables(OWN_LOCALS_UP_TO)).toContain('i2');
    expect(withVariables(OWN_LOCALS_UP_TO + 1)).not.toContain('i2');
  });

  it(`never holds more than LIVE_LOCALS_PER_TYPE values of a type in locals, even after spilled values die`, () => {
    // L + 200 ints live at once (the last 200 or so spilled), the spilled ones then die at an
    // escape, and 200 more ints are made while the first L are still live: those must be spilled
    // too, since L values of their type still hold locals.
    const L = LIVE_LOCALS_PER_TYPE;
    const lines = ['[i0]'];
    let next = 1;
    const fresh = () => `i${next++}`;
    const filler = Array.from({ length: 8000 }, () => fresh());
    for (const name of filler) lines.push(`${name} = int_add(i0, 1)`);
    const first = Array.from({ length: L + 200 }, () => fresh());
    first.forEach((name, k) => lines.push(`${name} = int_add(i0, ${k})`));
    lines.push(`escape(${first.slice(L - 1).join(', ')})`);
    const later = Array.from({ length: 200 }, () => fresh());
    later.forEach((name, k) => lines.push(`${name} = int_add(i0, ${k + 7})`));
    lines.push(`finish(${[...first.slice(0, L - 1), ...later].join(', ')})`, 'input s [3]');
    const trace = parseTrace(lines.join('\n'), 'spills.trace');
    const compiled = compileTrace(trace);
    const int64Locals = compiled.code.locals.filter((l) => l.type === 'i64');
    // L locals for values, and the scratch local spilled values pass through.
    expect(int64Locals.length).toBeLessThanOrEqual(L + 1);
    expect(compareOutcomes(runReference(trace, trace.inputSets[0]!), runCompiled(compiled, trace.inputSets[0]!))).toEqual({ ok: true });
  });
});
