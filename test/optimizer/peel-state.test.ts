// closeLoop on hand-built states: each way a body's jump can misfit the label's virtual state
// names what to generalize (or fails), and a fit binds each parameter once. With today's
// virtualize, generated loops always fit (proofs-notes/peel.md, "Mismatch"), so these misfits
// are reached only here (the driver's fallback is run end to end, forced through peel's `close` seam,
// in properties/peel.prop.test.ts).
import { describe, expect, it } from 'vitest';
import { cint, v } from '../../src/ir/index.ts';
import { closeLoop, type LoopState } from '../../src/optimizer/peel-state.ts';
import { PVector } from '../../src/optimizer/pvector.ts';
import type { HeapEntry, Known } from '../../src/optimizer/virtualize.ts';

const origin = { name: 'p99', index: -1 };
const box = (value: Known): HeapEntry => ({ kind: 'object', cls: 'BoxedInteger', fields: [value], origin });
const float = (value: Known): HeapEntry => ({ kind: 'object', cls: 'BoxedFloat', fields: [value], origin });
const heapOf = (...entries: HeapEntry[]) => entries.reduce((heap, e) => heap.push(e), PVector.empty<HeapEntry>());
const vref = (id: number): Known => ({ kind: 'vref', id });

/** One BoxedInteger node (preamble id 10) holding parameter i1, at every root given. */
const boxState = (roots: number): LoopState => ({
  roots: Array.from({ length: roots }, () => ({ kind: 'node', index: 0 }) as const),
  nodes: [{ kind: 'object', cls: 'BoxedInteger', fields: [{ kind: 'leaf', arg: v('i1') }], origin: 10, name: 'p5' }],
  params: ['i1'],
});

describe('closeLoop', () => {
  it('fits a same-class virtual and binds the parameter to its field', () => {
    expect(closeLoop(boxState(1), heapOf(box(v('i7'))), [vref(0)])).toEqual({ kind: 'closes', bindings: [v('i7')] });
  });

  it('generalizes a node whose body value has another class, is forced, or is not an object', () => {
    const generalizeBox = { kind: 'generalize', origins: new Set([10]) };
    expect(closeLoop(boxState(1), heapOf(float(v('f7'))), [vref(0)])).toEqual(generalizeBox);
    expect(closeLoop(boxState(1), heapOf({ kind: 'forced', name: 'p9' }), [vref(0)])).toEqual(generalizeBox);
    expect(closeLoop(boxState(1), heapOf(), [v('p9')])).toEqual(generalizeBox);
  });

  it('generalizes one state object that the body splits in two, and two that it merges', () => {
    const split = closeLoop(boxState(2), heapOf(box(v('i7')), box(v('i8'))), [vref(0), vref(1)]);
    expect(split).toEqual({ kind: 'generalize', origins: new Set([10]) });
    const two: LoopState = {
      roots: [
        { kind: 'node', index: 0 },
        { kind: 'node', index: 1 },
      ],
      nodes: [
        { kind: 'object', cls: 'BoxedInteger', fields: [{ kind: 'leaf', arg: v('i1') }], origin: 10, name: 'p5' },
        { kind: 'object', cls: 'BoxedInteger', fields: [{ kind: 'leaf', arg: v('i2') }], origin: 11, name: 'p6' },
      ],
      params: ['i1', 'i2'],
    };
    expect(closeLoop(two, heapOf(box(v('i7'))), [vref(0), vref(0)])).toEqual({ kind: 'generalize', origins: new Set([10, 11]) });
  });

  it('generalizes the holder of a constant the body changes, and of an alias it breaks', () => {
    const constant: LoopState = {
      roots: [{ kind: 'node', index: 0 }],
      nodes: [{ kind: 'object', cls: 'BoxedInteger', fields: [{ kind: 'leaf', arg: cint(5) }], origin: 10, name: 'p5' }],
      params: [],
    };
    expect(closeLoop(constant, heapOf(box(cint(5))), [vref(0)])).toEqual({ kind: 'closes', bindings: [] });
    expect(closeLoop(constant, heapOf(box(v('i7'))), [vref(0)])).toEqual({ kind: 'generalize', origins: new Set([10]) });
    const alias: LoopState = { roots: [{ kind: 'leaf', arg: v('i1') }, { kind: 'node', index: 0 }], nodes: boxState(1).nodes, params: ['i1'] };
    expect(closeLoop(alias, heapOf(box(v('i8'))), [v('i7'), vref(0)])).toEqual({ kind: 'generalize', origins: new Set([10]) });
  });

  it('fails on a top-level constant or alias the body does not keep', () => {
    const constant: LoopState = { roots: [{ kind: 'leaf', arg: cint(5) }], nodes: [], params: [] };
    expect(closeLoop(constant, heapOf(), [v('i7')]).kind).toBe('fails');
    const alias: LoopState = { roots: [{ kind: 'leaf', arg: v('p0') }, { kind: 'leaf', arg: v('p0') }], nodes: [], params: ['p0'] };
    expect(closeLoop(alias, heapOf(), [v('p7'), v('p8')]).kind).toBe('fails');
    expect(closeLoop(alias, heapOf(), [v('p7'), v('p7')])).toEqual({ kind: 'closes', bindings: [v('p7')] });
    // The same with virtuals: two different body virtuals where the state has one parameter
    // twice fail (binding both to the first would lose the second); one virtual twice binds it.
    expect(closeLoop(alias, heapOf(box(v('i7')), box(v('i8'))), [vref(0), vref(1)]).kind).toBe('fails');
    expect(closeLoop(alias, heapOf(box(v('i7'))), [vref(0), vref(0)])).toEqual({ kind: 'closes', bindings: [vref(0)] });
  });

  it('generalizes a paired virtual that a parameter also reaches (forcing it at the jump would split it)', () => {
    const state: LoopState = { roots: [{ kind: 'leaf', arg: v('p0') }, { kind: 'node', index: 0 }], nodes: boxState(1).nodes, params: ['p0', 'i1'] };
    const node: HeapEntry = { kind: 'object', cls: 'Node', fields: [vref(0), cint(0)], origin };
    expect(closeLoop(state, heapOf(box(v('i7')), node), [vref(1), vref(0)])).toEqual({ kind: 'generalize', origins: new Set([10]) });
  });
});
