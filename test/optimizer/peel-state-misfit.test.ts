// closeLoop (peel-state.ts) on hand-built states, the cases test/optimizer/peel-state.test.ts
// leaves open: which node a parameter passed two values makes general (only the nodes holding
// it, wherever else parameters and nodes sit), the reasons the loop cannot close, word for word,
// and the shape of a virtual array. In a file of its own: a mutation run reuses the verdicts
// of tests whose file did not change.
import { describe, expect, it } from 'vitest';
import { cint, v } from '../../src/ir/index.ts';
import { closeLoop, type LoopState } from '../../src/optimizer/peel-state.ts';
import { PVector } from '../../src/optimizer/pvector.ts';
import type { HeapEntry, Known } from '../../src/optimizer/virtualize.ts';

const origin = { name: 'p99', index: -1 };
const heapOf = (...entries: HeapEntry[]) => entries.reduce((heap, e) => heap.push(e), PVector.empty<HeapEntry>());
const vref = (id: number): Known => ({ kind: 'vref', id });
const pair = (a: Known, b: Known): HeapEntry => ({ kind: 'object', cls: 'Pair', fields: [a, b], origin });
const leaf = (name: string) => ({ kind: 'leaf', arg: v(name) }) as const;

describe('closeLoop: a parameter the body passes two values', () => {
  // Parameter i1 is root 0 and the first field of node 0 (origin 10); node 1 (origin 11) holds
  // parameter i2 and node 2 (origin 12), whose fields are parameter i3 and the constant 0.
  const state: LoopState = {
    roots: [leaf('i1'), { kind: 'node', index: 0 }, { kind: 'node', index: 1 }],
    nodes: [
      { kind: 'object', cls: 'Pair', fields: [leaf('i1'), leaf('i4')], origin: 10, name: 'p5' },
      { kind: 'object', cls: 'Pair', fields: [leaf('i2'), { kind: 'node', index: 2 }], origin: 11, name: 'p6' },
      { kind: 'object', cls: 'Pair', fields: [leaf('i3'), { kind: 'leaf', arg: cint(0) }], origin: 12, name: 'p7' },
    ],
    params: ['i1', 'i4', 'i2', 'i3'],
  };
  // Body virtuals: 0 and 1 for nodes 0 and 1, 2 for node 2.
  const body = (first: Known) => heapOf(pair(first, v('i14')), pair(v('i12'), vref(2)), pair(v('i13'), cint(0)));

  it('fits when it passes one value', () => {
    expect(closeLoop(state, body(v('i11')), [v('i11'), vref(0), vref(1)])).toEqual({ kind: 'closes', bindings: [v('i11'), v('i14'), v('i12'), v('i13')] });
  });

  it('generalizes the node that holds it, and no other', () => {
    expect(closeLoop(state, body(v('i99')), [v('i11'), vref(0), vref(1)])).toEqual({ kind: 'generalize', origins: new Set([10]) });
  });

  it('fails, saying so, when no node holds it', () => {
    const twice: LoopState = { roots: [leaf('i1'), leaf('i1'), { kind: 'node', index: 0 }], nodes: [state.nodes[2]!].map((n) => ({ ...n, fields: [leaf('i3'), { kind: 'leaf', arg: cint(0) }] })), params: ['i1', 'i3'] };
    expect(closeLoop(twice, heapOf(pair(v('i13'), cint(0))), [v('i11'), v('i12'), vref(0)])).toEqual({
      kind: 'fails',
      why: 'two loop arguments are i1 only in the first iteration',
    });
  });

  it('fails, saying so, on a top-level constant the body changes (an int, null, a prebuilt object)', () => {
    const why = (arg: LoopState['roots'][number]) => {
      const closing = closeLoop({ roots: [arg], nodes: [], params: [] }, heapOf(), [v('i7')]);
      return closing.kind === 'fails' ? closing.why : closing.kind;
    };
    expect(why({ kind: 'leaf', arg: cint(5) })).toBe('a loop argument is the constant 5 only in the first iteration');
    expect(why({ kind: 'leaf', arg: { kind: 'null' } })).toBe('a loop argument is the constant null only in the first iteration');
    expect(why({ kind: 'leaf', arg: { kind: 'prebuilt', name: 'none' } })).toBe('a loop argument is the constant @none only in the first iteration');
  });
});

describe('closeLoop: virtual arrays', () => {
  const arrayState: LoopState = {
    roots: [{ kind: 'node', index: 0 }],
    nodes: [{ kind: 'array', elem: 'int', items: [leaf('i1'), { kind: 'leaf', arg: cint(3) }], origin: 10, name: 'p5' }],
    params: ['i1'],
  };
  const array = (elem: 'int' | 'float', items: Known[]): HeapEntry => ({ kind: 'array', elem, items, origin });

  it('fits an array of the same element type and length', () => {
    expect(closeLoop(arrayState, heapOf(array('int', [v('i7'), cint(3)])), [vref(0)])).toEqual({ kind: 'closes', bindings: [v('i7')] });
  });

  it('generalizes it for another length, another element type, or an object', () => {
    const generalized = { kind: 'generalize', origins: new Set([10]) };
    expect(closeLoop(arrayState, heapOf(array('int', [v('i7'), cint(3), cint(4)])), [vref(0)])).toEqual(generalized);
    expect(closeLoop(arrayState, heapOf(array('float', [v('f7'), cint(3)])), [vref(0)])).toEqual(generalized);
    expect(closeLoop(arrayState, heapOf(pair(v('i7'), cint(3))), [vref(0)])).toEqual(generalized);
  });
});
