// Outcomes as text at the edges the interpreter's runs seldom reach: a fuel exit without an
// iteration count (an executor that does not count), after exactly one iteration, the prebuilt
// objects' last line, and a value whose object the heap view does not hold.
import { describe, expect, it } from 'vitest';
import type { HeapCell, Outcome, RtValue } from '../../src/ir/index.ts';
import { formatOutcome, formatValues } from '../../spec/format.ts';

const int = (n: number): RtValue => ({ kind: 'int', value: BigInt(n) });
const fuelExit = (iterations: number | undefined): Outcome => ({
  exit: { kind: 'fuel' },
  values: [int(3)],
  escapes: [],
  inputArgs: [],
  finalHeap: new Map(),
  inputObjectCount: 0,
  ...(iterations === undefined ? {} : { iterations }),
});

describe('formatOutcome at the edges', () => {
  it('a fuel exit without an iteration count says only that fuel ran out', () => {
    expect(formatOutcome(fuelExit(undefined))).toBe('ran out of fuel\nvalues: 3');
  });

  it('a fuel exit after one iteration says "1 iteration"', () => {
    expect(formatOutcome(fuelExit(1))).toBe('ran out of fuel after 1 iteration\nvalues: 3');
  });

  it('prints the prebuilt objects with their contents at the end', () => {
    const box: HeapCell = { kind: 'object', cls: 'Global', fields: { count: int(2) } };
    const outcome: Outcome = { ...fuelExit(2), finalHeap: new Map([[0, box]]), inputObjectCount: 1, prebuilt: ['counter'] };
    expect(formatOutcome(outcome)).toBe('ran out of fuel after 2 iterations\nvalues: 3\nprebuilt at the end: @counter = Global{count: 2}');
  });

  it("labels an object shared within a prebuilt object's contents", () => {
    const pair: HeapCell = { kind: 'object', cls: 'Pair', fields: { a: { kind: 'ref', id: 1 }, b: { kind: 'ref', id: 1 } } };
    const box: HeapCell = { kind: 'object', cls: 'Box', fields: { v: int(1) } };
    const outcome: Outcome = { ...fuelExit(2), finalHeap: new Map([[0, pair], [1, box]]), inputObjectCount: 1, prebuilt: ['p'] };
    expect(formatOutcome(outcome).split('\n')[2]).toBe('prebuilt at the end: @p = Pair{a: #1=Box{v: 1}, b: #1}');
  });

  it("names a prebuilt object reached from another one's fields or items, expanding only the root", () => {
    const a: HeapCell = { kind: 'object', cls: 'Node', fields: { next: { kind: 'ref', id: 1 } } };
    const b: HeapCell = { kind: 'object', cls: 'Node', fields: { next: { kind: 'null' } } };
    const outcome: Outcome = { ...fuelExit(2), finalHeap: new Map([[0, a], [1, b]]), inputObjectCount: 2, prebuilt: ['a', 'b'] };
    expect(formatOutcome(outcome).split('\n')[2]).toBe('prebuilt at the end: @a = Node{next: @b}, @b = Node{next: null}');
    const array: HeapCell = { kind: 'array', elem: 'ref', items: [{ kind: 'ref', id: 1 }] };
    const fromArray: Outcome = { ...outcome, finalHeap: new Map<number, HeapCell>([[0, array], [1, b]]), prebuilt: ['arr', 'b'] };
    expect(formatOutcome(fromArray).split('\n')[2]).toBe('prebuilt at the end: @arr = ref[@b], @b = Node{next: null}');
  });

  it('does not look inside a named prebuilt object for sharing: an object reached once besides it is not labelled', () => {
    const p: HeapCell = { kind: 'object', cls: 'Holder', fields: { x: { kind: 'ref', id: 1 } } };
    const box: HeapCell = { kind: 'object', cls: 'Box', fields: { v: int(1) } };
    expect(formatValues([{ kind: 'ref', id: 0 }, { kind: 'ref', id: 1 }], new Map([[0, p], [1, box]]), ['p'])).toBe('@p, Box{v: 1}');
  });

  it('says so when a value refers to an object the heap view does not hold', () => {
    expect(formatValues([{ kind: 'ref', id: 7 }], new Map(), [])).toBe('<object 7, not recorded>');
  });
});
