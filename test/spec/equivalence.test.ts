// Equivalence up to a renaming of allocated objects, and the differences it reports.
import { describe, expect, it } from 'vitest';
import { type HeapCell, type Outcome, type RtValue, mkOp, v, validate } from '../../src/ir/index.ts';
import { compareOutcomes, equivalent } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';

const int = (n: number | bigint): RtValue => ({ kind: 'int', value: BigInt(n) });
const flt = (x: number): RtValue => ({ kind: 'float', value: x });
const ref = (id: number): RtValue => ({ kind: 'ref', id });
const box = (n: number): HeapCell => ({ kind: 'object', cls: 'BoxedInteger', fields: { intval: int(n) } });
const node = (next: RtValue, val = 0): HeapCell => ({ kind: 'object', cls: 'Node', fields: { next, val: int(val) } });
const heap = (cells: Record<number, HeapCell>) => new Map(Object.entries(cells).map(([id, cell]) => [Number(id), cell]));

/** Input object 0 is a BoxedInteger passed as the only input argument. */
function outcome(parts: Partial<Outcome>): Outcome {
  return {
    exit: { kind: 'finish' },
    values: [],
    escapes: [],
    inputArgs: [ref(0)],
    finalHeap: heap({ 0: box(100) }),
    inputObjectCount: 1,
    ...parts,
  };
}

const difference = (expected: Outcome, actual: Outcome): string => {
  const result = compareOutcomes(expected, actual);
  if (result.ok) throw new Error('expected a difference');
  return result.difference;
};

describe('equivalent outcomes', () => {
  it('accepts isomorphic heaps whose allocated objects have other ids', () => {
    const expected = outcome({
      escapes: [{ args: [ref(1)], heap: heap({ 1: box(3) }) }],
      values: [ref(1), ref(2)],
      finalHeap: heap({ 0: box(101), 1: box(4), 2: node(ref(1)) }),
    });
    const actual = outcome({
      escapes: [{ args: [ref(9)], heap: heap({ 9: box(3) }) }],
      values: [ref(9), ref(5)],
      finalHeap: heap({ 0: box(101), 9: box(4), 5: node(ref(9)) }),
    });
    expect(compareOutcomes(expected, actual)).toEqual({ ok: true });
    expect(equivalent(actual, expected)).toBe(true);
  });

  it('accepts isomorphic cycles', () => {
    const expected = outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: node(ref(2), 1), 2: node(ref(1), 2) }) });
    const actual = outcome({ values: [ref(2)], finalHeap: heap({ 0: box(100), 2: node(ref(1), 1), 1: node(ref(2), 2) }) });
    expect(equivalent(expected, actual)).toBe(true);
  });

  it('accepts two runs that allocate in a different order', () => {
    const classes = [{ name: 'BoxedInteger', fields: [{ name: 'intval', type: 'int' as const }] }];
    const intval = { kind: 'field' as const, cls: 'BoxedInteger', field: 'intval' };
    const make = (first: string, second: string) =>
      validate({
        classes,
        inputs: [],
        ops: [
          mkOp('new', [], { result: first, descr: { kind: 'class', cls: 'BoxedInteger' } }),
          mkOp('new', [], { result: second, descr: { kind: 'class', cls: 'BoxedInteger' } }),
          mkOp('setfield', [v('p1'), { kind: 'int', value: 1n }], { descr: intval }),
          mkOp('setfield', [v('p2'), { kind: 'int', value: 2n }], { descr: intval }),
          mkOp('escape', [v('p2')]),
          mkOp('finish', [v('p1'), v('p2')]),
        ],
        inputSets: [],
      });
    const run = (t: ReturnType<typeof make>) => runReference(t, { name: 'empty', args: [], objects: [] });
    const [a, b] = [run(make('p1', 'p2')), run(make('p2', 'p1'))];
    expect(a.values).not.toEqual(b.values);
    expect(compareOutcomes(a, b)).toEqual({ ok: true });
  });

  it('compares floats with Object.is', () => {
    expect(equivalent(outcome({ values: [flt(NaN)] }), outcome({ values: [flt(NaN)] }))).toBe(true);
    expect(difference(outcome({ values: [flt(0)] }), outcome({ values: [flt(-0)] }))).toBe(
      'exit: value 1 is 0.0 in the input trace, -0.0 in the optimized trace',
    );
  });
});

describe('differences', () => {
  it('names a different field', () => {
    const expected = outcome({ escapes: [{ args: [ref(1)], heap: heap({ 1: box(7) }) }], finalHeap: heap({ 0: box(100), 1: box(7) }) });
    const actual = outcome({ escapes: [{ args: [ref(3)], heap: heap({ 3: box(9) }) }], finalHeap: heap({ 0: box(100), 3: box(7) }) });
    expect(difference(expected, actual)).toBe(
      'escape #1, argument 1: field BoxedInteger.intval is 7 in the input trace, 9 in the optimized trace',
    );
  });

  it('names a nested difference by its path', () => {
    const expected = outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: node(ref(2)), 2: node({ kind: 'null' }, 5) }) });
    const actual = outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: node(ref(2)), 2: node({ kind: 'null' }, 6) }) });
    expect(difference(expected, actual)).toBe(
      'exit, value 1: field Node.next → field Node.val is 5 in the input trace, 6 in the optimized trace',
    );
  });

  it('tells one shared object from two equal objects', () => {
    const shared = outcome({ values: [ref(1), ref(1)], finalHeap: heap({ 0: box(100), 1: box(3) }) });
    const copies = outcome({ values: [ref(1), ref(2)], finalHeap: heap({ 0: box(100), 1: box(3), 2: box(3) }) });
    expect(difference(shared, copies)).toBe(
      'exit: value 2 is the same object as value 1 in the input trace, an object not seen before in the optimized trace',
    );
    expect(difference(copies, shared)).toBe(
      'exit: value 2 is an object not seen before in the input trace, the same object as value 1 in the optimized trace',
    );
  });

  it('keeps the renaming across escape records', () => {
    const expected = outcome({
      escapes: [
        { args: [ref(1)], heap: heap({ 1: box(3) }) },
        { args: [ref(2)], heap: heap({ 2: box(3) }) },
      ],
    });
    const actual = outcome({
      escapes: [
        { args: [ref(7)], heap: heap({ 7: box(3) }) },
        { args: [ref(7)], heap: heap({ 7: box(3) }) },
      ],
    });
    expect(difference(expected, actual)).toBe(
      'escape #2: argument 1 is an object not seen before in the input trace, the same object as escape #1, argument 1 in the optimized trace',
    );
  });

  it('notices escapes in another order', () => {
    const float: HeapCell = { kind: 'object', cls: 'BoxedFloat', fields: { floatval: flt(1.5) } };
    const first = { args: [ref(1)], heap: heap({ 1: box(3) }) };
    const second = { args: [ref(2)], heap: heap({ 2: float }) };
    const finalHeap = heap({ 0: box(100), 1: box(3), 2: float });
    expect(difference(outcome({ escapes: [first, second], finalHeap }), outcome({ escapes: [second, first], finalHeap }))).toBe(
      'escape #1: argument 1 is a BoxedInteger in the input trace, a BoxedFloat in the optimized trace',
    );
  });

  it('keeps the identity of input objects', () => {
    const two = (values: RtValue[]) =>
      outcome({ values, inputArgs: [ref(0), ref(1)], finalHeap: heap({ 0: box(1), 1: box(1), 2: box(1) }), inputObjectCount: 2 });
    expect(difference(two([ref(0)]), two([ref(1)]))).toBe('exit: value 1 is input object #0 in the input trace, input object #1 in the optimized trace');
    expect(difference(two([ref(0)]), two([ref(2)]))).toBe(
      'exit: value 1 is input object #0 in the input trace, an object the run allocated in the optimized trace',
    );
    // The other way round: an input object where the reference allocated a fresh one with the
    // same contents (differential tests run the oracle on both sides and never build this).
    expect(difference(two([ref(2)]), two([ref(0)]))).toBe(
      'exit: value 1 is an object the run allocated in the input trace, input object #0 in the optimized trace',
    );
  });

  it('names the exits, the counts and the kinds', () => {
    expect(difference(outcome({ exit: { kind: 'guard', guardId: 3 } }), outcome({ exit: { kind: 'guard', guardId: 5 } }))).toBe(
      'the exit is guard 3 in the input trace, guard 5 in the optimized trace',
    );
    expect(difference(outcome({ exit: { kind: 'fuel' } }), outcome({}))).toBe('the exit is out of fuel in the input trace, finish in the optimized trace');
    const one = { args: [int(1)], heap: heap({}) };
    expect(difference(outcome({ escapes: [one] }), outcome({ escapes: [one, one] }))).toBe(
      'the escape log has 1 call in the input trace, 2 calls in the optimized trace',
    );
    expect(difference(outcome({ values: [int(1)] }), outcome({ values: [ref(0)] }))).toBe('exit: value 1 is 1 in the input trace, an object in the optimized trace');
    const array: HeapCell = { kind: 'array', elem: 'int', items: [int(1)] };
    expect(difference(outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: array }) }), outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: { ...array, items: [] } }) }))).toBe(
      'exit: value 1 has 1 item in the input trace, 0 items in the optimized trace',
    );
  });

  it('names another number of arguments of an escape call, and of exit values', () => {
    const call = (...args: RtValue[]) => ({ args, heap: heap({}) });
    expect(difference(outcome({ escapes: [call(int(1)), call(int(1))] }), outcome({ escapes: [call(int(1)), call(int(1), int(2))] }))).toBe(
      'escape #2 has 1 argument in the input trace, 2 arguments in the optimized trace',
    );
    expect(difference(outcome({ values: [int(1), int(2)] }), outcome({ values: [int(1)] }))).toBe('exit has 2 values in the input trace, 1 value in the optimized trace');
  });

  it('names an escaped object that differs only in the final heap by its escape', () => {
    const escaped = (after: number) => outcome({ escapes: [{ args: [ref(1)], heap: heap({ 1: box(5) }) }], finalHeap: heap({ 0: box(100), 1: box(after) }) });
    expect(difference(escaped(6), escaped(7))).toBe('final heap, escape #1 argument 1: field BoxedInteger.intval is 6 in the input trace, 7 in the optimized trace');
  });

  it('compares the final heap of input objects too', () => {
    expect(difference(outcome({}), outcome({ finalHeap: heap({ 0: box(101) }) }))).toBe(
      'final heap, input argument 1: field BoxedInteger.intval is 100 in the input trace, 101 in the optimized trace',
    );
  });
});

describe('undefined behaviour and errors', () => {
  const ub = outcome({ exit: { kind: 'undefined', message: 'op 3 (getfield): null has no fields or items' } });
  const error = outcome({ exit: { kind: 'error', message: 'heap full' } });

  it('claims nothing for a run the reference calls undefined', () => {
    expect(compareOutcomes(ub, outcome({ exit: { kind: 'guard', guardId: 2 }, values: [int(1)] }))).toEqual({ ok: true });
  });

  it('never accepts undefined behaviour the reference does not have', () => {
    expect(difference(outcome({}), ub)).toBe(
      'the exit is finish in the input trace, undefined behaviour (op 3 (getfield): null has no fields or items) in the optimized trace',
    );
  });

  it('never accepts an error exit, on either side', () => {
    expect(difference(outcome({}), error)).toBe('exit: the optimized trace could not finish its run: heap full');
    expect(difference(error, error)).toBe('exit: the input trace could not finish its run: heap full');
  });

  it('names another number of input objects, and other prebuilt objects, with both sides', () => {
    // Runs of one trace on one input set never differ here; only a direct test can see the words.
    expect(difference(outcome({}), outcome({ inputArgs: [ref(0), ref(1)], finalHeap: heap({ 0: box(100), 1: box(7) }), inputObjectCount: 2 }))).toBe(
      'the number of input objects is 1 in the input trace, 2 in the optimized trace',
    );
    const prebuilt = (...names: string[]) => outcome({ prebuilt: names, inputArgs: [], finalHeap: heap(Object.fromEntries(names.map((_, k) => [k, box(k)]))), inputObjectCount: names.length });
    expect(difference(prebuilt('a', 'b'), prebuilt('a'))).toBe('the number of input objects is 2 in the input trace, 1 in the optimized trace');
    const named = (names: string[]) => outcome({ prebuilt: names, inputArgs: [], finalHeap: heap({ 0: box(0), 1: box(1) }), inputObjectCount: 2 });
    expect(difference(named(['a', 'b']), named(['a', 'c']))).toBe('the prebuilt objects is @a, @b in the input trace, @a, @c in the optimized trace');
    const one = (names: string[] | undefined) => outcome({ ...(names === undefined ? {} : { prebuilt: names }), inputArgs: [], finalHeap: heap({ 0: box(0) }), inputObjectCount: 1 });
    expect(difference(one(['a']), one(undefined))).toBe('the prebuilt objects is @a in the input trace, none in the optimized trace');
    expect(difference(one([]), one(['a']))).toBe('the prebuilt objects is none in the input trace, @a in the optimized trace');
  });

  it('names another number of input arguments', () => {
    expect(difference(outcome({}), outcome({ inputArgs: [ref(0), int(3)] }))).toBe('the input has 1 argument in the input trace, 2 arguments in the optimized trace');
  });

  it('needs the input object count from one side', () => {
    const { inputObjectCount: _, ...bare } = outcome({});
    expect(() => compareOutcomes(bare, bare)).toThrow(/input objects/);
    expect(equivalent(bare, outcome({}))).toBe(true);
  });
});

// Each kind of heap difference, by its message: the differential tests only ask whether two
// outcomes differ, so the oracle's own wording and each branch that finds a difference are pinned
// here on hand-built outcomes.
describe('each kind of heap difference, named', () => {
  const atExit = (expected: HeapCell, actual: HeapCell) =>
    difference(outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: expected }) }), outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: actual }) }));
  const ints = (...xs: number[]): HeapCell => ({ kind: 'array', elem: 'int', items: xs.map(int) });
  const floats = (...xs: number[]): HeapCell => ({ kind: 'array', elem: 'float', items: xs.map(flt) });
  const pair = (fields: Record<string, RtValue>): HeapCell => ({ kind: 'object', cls: 'Pair', fields });

  it('another class, another element type, an array for an object and back', () => {
    expect(atExit(box(1), node(int(0)))).toBe('exit: value 1 is a BoxedInteger in the input trace, a Node in the optimized trace');
    expect(atExit(ints(1), floats(1))).toBe('exit: value 1 is an array of int in the input trace, an array of float in the optimized trace');
    expect(atExit(box(1), ints(1))).toBe('exit: value 1 is a BoxedInteger in the input trace, an array of int in the optimized trace');
    expect(atExit(ints(1), box(1))).toBe('exit: value 1 is an array of int in the input trace, a BoxedInteger in the optimized trace');
  });

  it('another number of items, a field missing, an item that differs', () => {
    expect(atExit(ints(1, 2), ints(1, 2, 3))).toBe('exit: value 1 has 2 items in the input trace, 3 items in the optimized trace');
    expect(atExit(ints(1), ints())).toBe('exit: value 1 has 1 item in the input trace, 0 items in the optimized trace');
    expect(atExit(pair({ a: int(1), b: int(2) }), pair({ a: int(1) }))).toBe(
      'exit, value 1: field Pair.b is present in the input trace, absent in the optimized trace',
    );
    expect(atExit(ints(1, 2), ints(1, 5))).toBe('exit, value 1: item 1 is 2 in the input trace, 5 in the optimized trace');
  });

  it('an object missing from a heap, on either side', () => {
    const present = outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: box(1) }) });
    const missing = outcome({ values: [ref(7)], finalHeap: heap({ 0: box(100) }) });
    expect(difference(present, missing)).toBe('exit: value 1: object 7 is missing from the heap of the optimized trace');
    expect(difference(missing, present)).toBe('exit: value 1: object 7 is missing from the heap of the input trace');
  });

  it('a shared object first seen below a root is named by its path', () => {
    // Both fields of the input trace's Pair hold one object; the optimized trace's hold two.
    const shared = outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: pair({ a: ref(2), b: ref(2) }), 2: box(1) }) });
    const split = outcome({ values: [ref(1)], finalHeap: heap({ 0: box(100), 1: pair({ a: ref(2), b: ref(3) }), 2: box(1), 3: box(1) }) });
    expect(difference(shared, split)).toBe(
      'exit, value 1: field Pair.b is the same object as value 1 → field Pair.a in the input trace, an object not seen before in the optimized trace',
    );
  });

  it('a prebuilt object where an input object is', () => {
    const withPrebuilt = (value: RtValue) =>
      outcome({ prebuilt: ['b'], values: [value], inputArgs: [ref(1)], finalHeap: heap({ 0: box(5), 1: box(100) }), inputObjectCount: 2 });
    expect(difference(withPrebuilt(ref(0)), withPrebuilt(ref(1)))).toBe('exit: value 1 is prebuilt @b in the input trace, input object #0 in the optimized trace');
  });
});
