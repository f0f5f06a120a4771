// Adding an op to the table is safe by default: the passes derive what they may do with an op
// from its effect flags, so an op none of them knows by name gets the conservative treatment.
//
// The seam: the op table is data read at run time, so this test adds a call-like op
// `call_opaque` to it (and removes it after), with the effect flags a call has. Its meaning, for
// the reference interpreter and the wasm emitter, is given by desugaring it to `escape` (same
// operands, same effect), so nothing in src/ or spec/ knows it exists: the optimizer sees
// `call_opaque`, the oracle runs the desugared input and the desugared output. If any pass
// treated an unknown op as harmless (heapcache forwarding a read across it, virtualize leaving a
// virtual operand unallocated, dce dropping it), the desugared output would differ. Measured:
// with the flags `{ readsHeap: true }` instead of a call's, all three tests below fail.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpInfo, type OpName, OPS, type Trace } from '../../src/ir/index.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { fcParams } from '../../properties/fc-config.ts';
import { assertBehavesLikeInput } from './contract.ts';

const CALL = 'call_opaque' as OpName;
const table = OPS as unknown as Record<string, OpInfo>;

beforeAll(() => {
  table[CALL] = {
    operands: [],
    variadic: true,
    result: null,
    effects: { readsHeap: true, writesHeap: 'any', escapes: true },
    doc: 'a second opaque call, known to no pass by name (this test only)',
  };
});
afterAll(() => {
  delete table[CALL];
});

const renamed = (trace: Trace, from: OpName, to: OpName): Trace => ({
  ...trace,
  ops: trace.ops.map((op) => (op.name === from ? { ...op, name: to } : op)),
});
const desugared = (trace: Trace) => renamed(trace, CALL, 'escape');

describe('an op no pass knows by name, with the flags of a call', () => {
  it('parses, and heapcache does not forward a field read across it', () => {
    const trace = parseTrace(
      ['class Box(x: int)', '[p0]', 'i1 = getfield(p0, x)', 'call_opaque(p0)', 'i2 = getfield(p0, x)', 'finish(i1, i2)', 'input a [@b] with @b = Box{x: 3}'].join('\n'),
    );
    const optimized = optimize(trace);
    expect(printTrace(optimized)).toContain('i2 = getfield(p0, x)');
    expect(printTrace(optimized)).toContain('call_opaque(p0)');
    assertBehavesLikeInput(desugared(trace), desugared(optimized));
  });

  it('virtualize allocates a virtual passed to it, with its fields', () => {
    const trace = parseTrace(
      ['class Box(x: int)', '[i0]', 'p1 = new(Box)', 'setfield(p1, x, i0)', 'call_opaque(p1)', 'i2 = getfield(p1, x)', 'finish(i2)', 'input a [4]'].join('\n'),
    );
    const optimized = optimize(trace);
    expect(optimized.ops.map((op) => op.name)).toEqual(['new', 'setfield', CALL, 'getfield', 'finish']);
    assertBehavesLikeInput(desugared(trace), desugared(optimized));
  });

  it('every generated trace, its escapes made call_opaque, optimizes to the same behaviour', () => {
    let calls = 0;
    fc.assert(
      fc.property(arbTraceCase(), (trace) => {
        const input = renamed(trace, 'escape', CALL);
        const optimized = optimize(input, undefined, { verify: true });
        calls += optimized.ops.filter((op) => op.name === CALL).length;
        expect(optimized.ops.some((op) => op.name === 'escape')).toBe(false);
        assertBehavesLikeInput(desugared(input), desugared(optimized));
      }),
      fcParams(300),
    );
    expect(calls, 'no optimized trace kept a call_opaque: the property tested nothing').toBeGreaterThan(50);
  });
});

describe('an op no pass knows by name that may write any object, without escaping anything', () => {
  // A write barrier or a runtime hook: no operand escapes, but any object may change. Neither a
  // pass's table of ops nor the escape flag tells a loop that it writes: only writesHeap does.
  const CLOBBER = 'clobber_heap' as OpName;
  beforeAll(() => {
    table[CLOBBER] = { operands: [], result: null, effects: { writesHeap: 'any' }, doc: 'may write any object (this test only)' };
  });
  afterAll(() => {
    delete table[CLOBBER];
  });

  it('makes heapcache and the default pipeline read a field again in the loop body', () => {
    const trace = parseTrace(
      ['class Box(x: int)', '[p0, i1]', 'i2 = getfield(p0, x)', 'label(p0, i1) [p0, i1]', 'i3 = getfield(p0, x)', 'clobber_heap()', 'i4 = int_add(i1, i3)', 'jump(p0, i4)', 'input a [@b, 0] with @b = Box{x: 3}'].join('\n'),
    );
    for (const optimized of [optimize(trace, ['heapcache']), optimize(trace)]) {
      const body = printTrace(optimized).split('label(')[1]!;
      expect(body).toMatch(/= getfield\(p0, x\)/);
      expect(body).toContain('clobber_heap()');
    }
    // And without a loop: a read after it is a read again.
    const straight = parseTrace(['class Box(x: int)', '[p0]', 'i1 = getfield(p0, x)', 'clobber_heap()', 'i2 = getfield(p0, x)', 'finish(i1, i2)', 'input a [@b] with @b = Box{x: 3}'].join('\n'));
    expect(optimize(straight, ['heapcache']).ops.map((op) => op.name)).toEqual(['getfield', CLOBBER, 'getfield', 'finish']);
    expect(optimize(straight).ops.map((op) => op.name)).toEqual(['getfield', CLOBBER, 'getfield', 'finish']);
  });
});

describe('an op no pass knows by name that writes into its first operand and lets it escape', () => {
  // A store that also publishes its target: dce may drop a plain write into an allocation nothing
  // uses, but not one whose op has any other effect.
  const PUBLISH = 'publish_into' as OpName;
  beforeAll(() => {
    table[PUBLISH] = { operands: ['ref', 'any'], result: null, effects: { writesHeap: 'target', escapes: true }, doc: 'writes into its target and lets it escape (this test only)' };
  });
  afterAll(() => {
    delete table[PUBLISH];
  });

  it('is kept by dce and by the default pipeline, with the allocation it writes into', () => {
    const trace = parseTrace(['class Box(x: int)', '[i0]', 'p1 = new(Box)', 'publish_into(p1, i0)', 'finish(i0)', 'input a [3]'].join('\n'));
    expect(optimize(trace, ['dce']).ops.map((op) => op.name)).toEqual(['new', PUBLISH, 'finish']);
    expect(optimize(trace).ops.map((op) => op.name)).toEqual(['new', PUBLISH, 'finish']);
  });
});

describe('an op no pass knows by name that exits, like a guard', () => {
  // Its meaning is guard_true's (desugared so for the oracle): nothing may decide it, and it
  // keeps its exit, described as the guards' are.
  const GUARD = 'guard_opaque' as OpName;
  beforeAll(() => {
    table[GUARD] = { operands: ['int'], result: null, effects: { exits: true }, doc: 'a guard no pass knows (this test only)' };
  });
  afterAll(() => {
    delete table[GUARD];
  });

  it('is kept with its exit, its virtual fail args described', () => {
    const trace = parseTrace(
      ['class Box(v: int)', '[i0]', 'p1 = new(Box)', 'setfield(p1, v, i0)', 'i2 = int_lt(i0, 5)', 'guard_opaque(i2) [p1, i0]', 'finish(i0)', 'input a [3]', 'input b [7]'].join('\n'),
    );
    const optimized = optimize(trace, undefined, { verify: true });
    expect(optimized.ops.map((op) => op.name)).toEqual(['int_lt', GUARD, 'finish']);
    expect(optimized.ops[1]!.exit).not.toBeNull();
    assertBehavesLikeInput(renamed(trace, GUARD, 'guard_true'), renamed(optimized, GUARD, 'guard_true'));
  });
});

describe('an op no pass knows by name that is pure, with three operands', () => {
  // Common subexpressions are found on two operands: an op of three is never taken for an
  // earlier one (which may differ in its third).
  const MAD = 'int_mad' as OpName;
  beforeAll(() => {
    table[MAD] = { operands: ['int', 'int', 'int'], result: 'int', effects: { pure: true }, doc: 'a * b + c (this test only)' };
  });
  afterAll(() => {
    delete table[MAD];
  });

  it('is computed again for another third operand, and kept', () => {
    const trace = parseTrace(['[i0, i1, i2]', 'i3 = int_mad(i0, i1, i2)', 'i4 = int_mad(i0, i1, i0)', 'finish(i3, i4)'].join('\n'));
    const optimized = optimize(trace);
    expect(printTrace(optimized)).toContain('finish(i3, i4)');
    expect(optimized.ops.map((op) => op.name)).toEqual([MAD, MAD, 'finish']);
  });
});

describe('an op no pass knows by name that writes some field of its target', () => {
  // Its meaning here is setfield's of `val` (desugared so for the oracle); the passes know only
  // that it writes into its first operand.
  const STORE = 'store_opaque' as OpName;
  beforeAll(() => {
    table[STORE] = { operands: ['ref', 'int'], result: null, effects: { writesHeap: 'target' }, doc: 'writes a field of its target (this test only)' };
  });
  afterAll(() => {
    delete table[STORE];
  });
  const desugaredStore = (trace: Trace): Trace => ({
    ...trace,
    ops: trace.ops.map((op) => (op.name === STORE ? { ...op, name: 'setfield' as OpName, descr: { kind: 'field' as const, cls: 'Node', field: 'val' } } : op)),
  });

  it('in a loop body, makes the body read again what the preamble read of that object', () => {
    const trace = parseTrace(
      ['class Node(next: ref, val: int)', '[p0, i1]', 'i2 = getfield(p0, val)', 'label(p0, i1) [p0, i1]', 'i3 = getfield(p0, val)', 'i4 = int_add(i1, i3)', 'store_opaque(p0, i4)', 'jump(p0, i4)', 'input a [@n, 1] with @n = Node{next: null, val: 7}'].join('\n'),
    );
    const optimized = optimize(trace);
    expect(printTrace(optimized).split('label(')[1]).toMatch(/= getfield\(p0, val\)/);
    assertBehavesLikeInput(desugaredStore(trace), desugaredStore(optimized));
  });
});
