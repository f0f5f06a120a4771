/**
 * The host (src/wasm/host.ts) at the edges the trace tests do not reach: a memory too small for
 * the exchange slots or for the input objects (grown by the pages needed, no more), an input set
 * past the heap limit, a fuel exit at a label without fail args, and code whose placement of the
 * prebuilt objects disagrees with the host's (an emitter bug: reported, never a wrong run).
 *
 * The memory is shared by every run in this file and only grows, so the tests that need it
 * smaller than their run come first and say so.
 */
import { describe, expect, it } from 'vitest';
import type { HeapValue, InputSet, Outcome } from '../../src/ir/index.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';
import { parseTrace } from '../../src/text/index.ts';
import { compileTrace, runCompiled } from '../../src/wasm/index.ts';
import { sharedMemory } from '../../src/wasm/engine.ts';
import { PAGE } from '../../src/wasm/layout.ts';

const pages = () => sharedMemory().buffer.byteLength / PAGE;

function sameAsReference(text: string, input: InputSet, fuel: number): Outcome {
  const trace = parseTrace(text, 'host.test.trace');
  const actual = runCompiled(compileTrace(trace), input, { fuel });
  const expected = runReference(trace, input, { fuel });
  expect(compareOutcomes(expected, actual, { expected: 'reference', actual: 'wasm' })).toEqual({ ok: true });
  // The list of prebuilt objects is there when the trace has some, as in the reference's outcome.
  expect(actual.prebuilt).toEqual(expected.prebuilt);
  return actual;
}

describe('the memory grows by the pages a run needs', () => {
  it('for exchange slots past its end (a finish with more distinct values than the memory has slots)', () => {
    const before = pages();
    const slotsInMemory = (before * PAGE) / 8;
    const n = slotsInMemory + 1000;
    const ops = Array.from({ length: n }, (_, k) => `i${k + 1} = int_add(i0, ${k})`);
    const text = ['[i0]', ...ops, `finish(${ops.map((_, k) => `i${k + 1}`).join(', ')})`].join('\n');
    const trace = parseTrace(text, 'many-slots.trace');
    const compiled = compileTrace(trace);
    // Where the prebuilt objects would start: past the exchange slots (and no allocation after).
    expect(compiled.code.prebuiltStart).toBeGreaterThan(before * PAGE);
    const outcome = runCompiled(compiled, { name: 's', args: [{ kind: 'int', value: 5n }], objects: [] });
    expect(outcome.exit).toEqual({ kind: 'finish' });
    expect(outcome.values.length).toBe(n);
    expect(outcome.values[n - 1]).toEqual({ kind: 'int', value: BigInt(5 + n - 1) });
    expect(pages()).toBe(Math.ceil(compiled.code.prebuiltStart / PAGE));
  });

  it('for an input object larger than the memory', () => {
    const before = pages();
    const n = (before * PAGE) / 8 + 5000;
    const items: HeapValue[] = Array.from({ length: n }, (_, k) => ({ kind: 'int', value: BigInt(k) }));
    const input: InputSet = { name: 'big', args: [{ kind: 'obj', name: 'a' }], objects: [{ name: 'a', kind: 'array', elem: 'int', items }] };
    const trace = parseTrace(`[p0]\ni1 = arraylen(p0)\ni2 = getarrayitem(p0, ${n - 1}, int)\nfinish(i1, i2)`, 'big-input.trace');
    const compiled = compileTrace(trace);
    const outcome = runCompiled(compiled, input);
    expect(outcome.values).toEqual([
      { kind: 'int', value: BigInt(n) },
      { kind: 'int', value: BigInt(n - 1) },
    ]);
    // The array's cell ends at heapStart + 8 + 8n: the memory holds it, and not a page more.
    expect(pages()).toBe(Math.ceil((compiled.code.heapStart + 8 + 8 * n) / PAGE));
  });
});

describe('the host', () => {
  it('ends the run with an error exit when the input objects pass the heap limit', () => {
    const trace = parseTrace('[p0]\ni1 = arraylen(p0)\nfinish(i1)', 'limit.trace');
    const items: HeapValue[] = Array.from({ length: 600 }, () => ({ kind: 'int', value: 1n }));
    const input: InputSet = { name: 'big', args: [{ kind: 'obj', name: 'a' }], objects: [{ name: 'a', kind: 'array', elem: 'int', items }] };
    const compiled = compileTrace(trace);
    // The array's cell, a header and 600 slots, ends exactly at this limit: it fits.
    const limit = compiled.code.heapStart + 8 + 8 * 600;
    expect(runCompiled(compiled, input, { heapLimit: limit }).values).toEqual([{ kind: 'int', value: 600n }]);
    const outcome = runCompiled(compiled, input, { heapLimit: limit - 1 });
    // Nothing of the run to report: no values, no escapes, and no input args (they were not loaded).
    expect(outcome).toEqual({ exit: { kind: 'error', message: `the wasm heap is full (limit ${limit - 1} bytes)` }, values: [], escapes: [], inputArgs: [], finalHeap: new Map() });
  });

  it("gives a fuel exit at a label without fail args the label's arguments, as the reference does", () => {
    const text = '[i0, i1]\ni2 = int_add(i0, 1)\nlabel(i2, i1)\ni3 = int_add(i2, i1)\ni4 = int_mul(i1, 2)\njump(i3, i4)';
    const input: InputSet = { name: 's', args: [{ kind: 'int', value: 10n }, { kind: 'int', value: 3n }], objects: [] };
    for (const fuel of [0, 1, 2, 5]) {
      const outcome = sameAsReference(text, input, fuel);
      expect(outcome.exit.kind).toBe('fuel');
    }
    // After two back-edges: i2 = 11, then (11 + 3, 6), then (14 + 6, 12).
    expect(sameAsReference(text, input, 2).values).toEqual([
      { kind: 'int', value: 20n },
      { kind: 'int', value: 12n },
    ]);
  });

  it('leaves the memory it used, and a page past it, zeroed, and the escape port free', () => {
    const trace = parseTrace('class Box(v: int)\n[i0]\np1 = new(Box)\nsetfield(p1, v, i0)\nescape(p1)\nfinish(p1)', 'clean.trace');
    const compiled = compileTrace(trace);
    const start = compiled.code.heapStart;
    // What an earlier run might have left: ones over the heap and three pages past it.
    new Uint8Array(sharedMemory().buffer, start, 3 * PAGE).fill(0xff);
    const outcome = runCompiled(compiled, { name: 's', args: [{ kind: 'int', value: 12345n }], objects: [] });
    expect(outcome.escapes.map((e) => [...e.heap.values()])).toEqual([[{ kind: 'object', cls: 'Box', fields: { v: { kind: 'int', value: 12345n } } }]]);
    expect(compiled.escapePort.handler).toBeNull();
    // The run allocated one Box (16 bytes): zero from the heap's start to a page past its top, and
    // nothing beyond touched (the cleaning costs what the run's allocations cost).
    const memory = new Uint8Array(sharedMemory().buffer, start, 3 * PAGE);
    const used = 16 + PAGE;
    expect(memory.subarray(0, used).every((b) => b === 0)).toBe(true);
    expect(memory.subarray(used).every((b) => b === 0xff)).toBe(true);
    new Uint8Array(sharedMemory().buffer, start, 3 * PAGE).fill(0);
  });

  it("materializes a guard exit's virtual arrays, of every element type, sharing and nesting", () => {
    const text =
      'class Cell(item: float)\n[i0, p1]\ni2 = int_lt(i0, 0)\n' +
      'guard_false(i2) [$0, $1, $2, p1] with $0 = int[i0, 0, -1], $1 = float[], $2 = ref[$0, null, $3, p1], $3 = Cell{item: -0.0}\nfinish(i0)';
    const input: InputSet = { name: 'neg', args: [{ kind: 'int', value: -4n }, { kind: 'obj', name: 'c' }], objects: [{ name: 'c', kind: 'object', cls: 'Cell', fields: [{ field: 'item', value: { kind: 'float', value: 2.5 } }] }] };
    const outcome = sameAsReference(text, input, 10);
    expect(outcome.exit).toEqual({ kind: 'guard', guardId: 0 });
    const ints = outcome.values[0] as { kind: 'ref'; id: number };
    expect(outcome.finalHeap.get(ints.id)).toEqual({ kind: 'array', elem: 'int', items: [-4n, 0n, -1n].map((value) => ({ kind: 'int', value })) });
    const refs = outcome.finalHeap.get((outcome.values[2] as { id: number }).id);
    expect(refs).toMatchObject({ kind: 'array', elem: 'ref', items: [{ kind: 'ref', id: ints.id }, { kind: 'null' }, { kind: 'ref' }, { kind: 'ref', id: 0 }] });
  });

  it('refuses code that places the prebuilt objects elsewhere than the host does', () => {
    const trace = parseTrace('class Box(v: int)\nprebuilt @a = Box{v: 1}, @b = Box{v: 2}\n[]\ni0 = getfield(@b, v)\nfinish(i0)', 'prebuilt.trace');
    const compiled = compileTrace(trace);
    const input: InputSet = { name: 'none', args: [], objects: [] };
    expect(runCompiled(compiled, input).values).toEqual([{ kind: 'int', value: 2n }]);
    const at = compiled.code.prebuilt.get('b')!;
    const moved = { ...compiled, code: { ...compiled.code, prebuilt: new Map([...compiled.code.prebuilt, ['b', at + 8]]) } };
    expect(() => runCompiled(moved, input)).toThrow(`host: prebuilt @b is at ${at + 8}, the code expects it at ${at}`);
    const heapElsewhere = { ...compiled, code: { ...compiled.code, heapStart: compiled.code.heapStart + 16 } };
    expect(() => runCompiled(heapElsewhere, input)).toThrow(`host: the prebuilt objects end at ${compiled.code.heapStart}, the code expects ${compiled.code.heapStart + 16}`);
  });
});
