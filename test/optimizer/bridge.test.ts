// A bridge optimized from a guard's exit state (src/optimizer/bridge.ts): its inputs that are
// virtual in the exit stay virtual (reads fold, class checks vanish, resume data describes them),
// and it behaves on the reference like the exit's virtuals allocated, then the bridge run.
import { describe, expect, it } from 'vitest';
import { cint, TraceError, v, validate } from '../../src/ir/index.ts';
import { type ExitState, materializedBridge, optimizeBridge } from '../../src/optimizer/bridge.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { sampleInputSets } from '../../properties/arbitraries/input-heaps.ts';
import { firstDifference } from './equivalence.ts';

// The recorded bridge: its inputs are the guard's exit values [p0, i1].
const bridge = parseTrace(
  [
    'class Box(v: int)',
    'class Pair(a: ref, b: ref)',
    '[p0, i1]',
    'guard_class(p0, Pair) [p0, i1]',
    'p2 = getfield(p0, a)',
    'i3 = getfield(p2, v)',
    'i4 = int_add(i3, i1)',
    'guard_true(i4) [p0, i4]',
    'p5 = new(Box)',
    'setfield(p5, v, i4)',
    'escape(p5)',
    'finish(i4)',
  ].join('\n'),
);

// The exit: p0 is a virtual Pair whose `a` is a virtual Box holding i9; i1 is the real value i8.
const exit: ExitState = {
  inputs: [{ name: 'i8' }, { name: 'i9' }],
  values: [{ kind: 'virtual', index: 0 }, v('i8')],
  virtuals: [
    { kind: 'object', cls: 'Pair', fields: [{ field: 'a', value: { kind: 'virtual', index: 1 } }] },
    { kind: 'object', cls: 'Box', fields: [{ field: 'v', value: v('i9') }] },
  ],
};

describe('a bridge optimized from an exit state', () => {
  // Optimized in each test, not while vitest collects them: a mutation run counts only what a
  // test runs as reached by it.
  const optimized = () => optimizeBridge(bridge, exit, { verify: true });

  it('keeps the exit virtuals virtual: no allocation, read or class check of them', () => {
    const optimizedBridge = optimized();
    expect(optimizedBridge.inputs.map((i) => i.name)).toEqual(['i8', 'i9']);
    expect(optimizedBridge.ops.map((op) => op.name)).toEqual(['int_add', 'guard_true', 'new', 'setfield', 'escape', 'finish']);
    const guard = optimizedBridge.ops.find((op) => op.name === 'guard_true')!;
    expect(guard.exit!.values[0]).toEqual({ kind: 'virtual', index: 0 });
    expect(printTrace(optimizedBridge)).toContain('with $0 = Pair{a: $1}, $1 = Box{v: i9}');
  });

  it('behaves like the exit virtuals allocated, then the bridge run, on the reference', () => {
    const optimizedBridge = optimized();
    const reference = materializedBridge(bridge, exit);
    expect(reference.ops.filter((op) => op.name === 'new')).toHaveLength(3);
    const sets = [{ name: 'zero', args: [{ kind: 'int', value: 0n }, { kind: 'int', value: 0n }], objects: [] }, ...sampleInputSets(reference, 30, 7)] as const;
    expect(firstDifference(reference, optimizedBridge, sets)).toBeNull();
  });

  it('the comparison can fail: a bridge optimized from another exit state differs', () => {
    const other: ExitState = { ...exit, virtuals: [exit.virtuals[0]!, { kind: 'object', cls: 'Box', fields: [{ field: 'v', value: v('i8') }] }] };
    const sets = sampleInputSets(materializedBridge(bridge, exit), 30, 7);
    expect(firstDifference(materializedBridge(bridge, exit), optimizeBridge(bridge, other), sets)).not.toBeNull();
  });

  it('an exit state that does not fit the bridge is a clear error, a validation error of the trace', () => {
    const refusal = (state: ExitState) => {
      try {
        optimizeBridge(bridge, state);
      } catch (e) {
        expect(e).toBeInstanceOf(TraceError);
        expect((e as TraceError).what).toBe('validation');
        return (e as TraceError).message;
      }
      throw new Error('no error');
    };
    expect(refusal({ ...exit, values: [cint(1)] })).toMatch(/1 value\(s\), the bridge 2 input\(s\)/);
    expect(refusal({ ...exit, inputs: [{ name: 'i4' }, { name: 'i9' }] })).toBe("the exit state's input i4 is defined by the bridge too");
    expect(refusal({ ...exit, values: [{ kind: 'virtual', index: 0 }, v('i7')] })).toBe("the exit state's value i7 is none of its inputs");
    expect(refusal({ ...exit, virtuals: [exit.virtuals[0]!, { kind: 'object', cls: 'Cell', fields: [] }] })).toBe('the exit state describes an object of class Cell, which the bridge does not declare');
  });

  it('keeps a virtual array of the exit virtual: its items read, its length known, behaving like it allocated', () => {
    const reader = parseTrace(['[p0, i1]', 'i2 = getarrayitem(p0, 1, int)', 'i3 = arraylen(p0)', 'i4 = int_add(i2, i3)', 'i5 = int_add(i4, i1)', 'finish(i5)'].join('\n'));
    const arrayExit: ExitState = {
      inputs: [{ name: 'i8' }, { name: 'i9' }],
      values: [{ kind: 'virtual', index: 0 }, v('i8')],
      virtuals: [{ kind: 'array', elem: 'int', items: [cint(3), v('i9'), cint(0)] }],
    };
    const optimizedReader = optimizeBridge(reader, arrayExit, { verify: true });
    expect(optimizedReader.ops.map((op) => op.name)).toEqual(['int_add', 'int_add', 'finish']);
    expect(printTrace(optimizedReader)).toContain('int_add(i9, 3)');
    const reference = materializedBridge(reader, arrayExit);
    expect(firstDifference(reference, optimizedReader, sampleInputSets(reference, 30, 7))).toBeNull();
  });

  it('a bridge that jumps or has a label is refused, at that op: a jump would start it again from inputs the exit state replaced', () => {
    for (const [last, refused] of [['jump(p0, i4)', 'jump('], ['label(p0, i4)\njump(p0, i4)', 'label(']] as const) {
      const text = printTrace(bridge).replace('finish(i4)', last);
      const looping = parseTrace(text, 'looping.trace');
      let error: unknown = null;
      try {
        optimizeBridge(looping, exit);
      } catch (e) {
        error = e;
      }
      expect(String(error)).toMatch(/a bridge ends in finish; this one has a (jump|label), which would start it again from inputs the exit state replaced/);
      expect((error as TraceError).what).toBe('validation');
      expect((error as { loc?: { line: number } }).loc?.line).toBe(text.split('\n').findIndex((l) => l.startsWith(refused)) + 1);
    }
  });

  it("a bridge's meaning, materializedBridge, is the exit's virtuals allocated and filled, then the bridge on them", () => {
    // Every kind of exit value in every place: virtual objects (one inside another), a virtual
    // array, a real input, null and a constant; and the bridge's own resume data mentioning its
    // inputs, inside its virtuals too. The bridge's input sets are dropped: they fill inputs the
    // exit state replaced.
    const recorded = parseTrace(
      [
        'class Box(v: int)',
        'class Pair(a: ref, b: ref)',
        '[p0, i1, p2]',
        'guard_true(i1) [p0, $0, $1, p2] with $0 = Box{v: i1}, $1 = ref[p0, $0, null]',
        'i3 = getarrayitem(p2, 1, int)',
        'finish(i1, i3)',
        'input a [@x, 1, @y] with @x = Pair{a: null, b: null}, @y = int[1, 2]',
      ].join('\n'),
    );
    const state: ExitState = {
      inputs: [{ name: 'i8' }],
      values: [{ kind: 'virtual', index: 0 }, v('i8'), { kind: 'virtual', index: 2 }],
      virtuals: [
        { kind: 'object', cls: 'Pair', fields: [{ field: 'a', value: { kind: 'virtual', index: 1 } }, { field: 'b', value: { kind: 'null' } }] },
        { kind: 'object', cls: 'Box', fields: [{ field: 'v', value: v('i8') }] },
        { kind: 'array', elem: 'int', items: [cint(3), v('i8')] },
      ],
    };
    const meaning = materializedBridge(recorded, state);
    validate(meaning);
    expect(meaning.inputSets).toEqual([]);
    expect(printTrace(meaning)).toBe(
      [
        'class Box(v: int)',
        'class Pair(a: ref, b: ref)',
        '',
        '[i8]',
        'p9 = new(Pair)',
        'p10 = new(Box)',
        'p11 = new_array(2, int)',
        'setfield(p9, a, p10)',
        'setfield(p9, b, null)',
        'setfield(p10, v, i8)',
        'setarrayitem(p11, 0, 3)',
        'setarrayitem(p11, 1, i8)',
        'guard_true(i8) [p9, $0, $1, p11] with $0 = Box{v: i8}, $1 = ref[p9, $0, null]',
        'i3 = getarrayitem(p11, 1, int)',
        'finish(i8, i3)',
        '',
      ].join('\n'),
    );
  });
});
