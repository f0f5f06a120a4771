/**
 * Resume data: the description of a guard's exit from an optimizer's state at the guard.
 *
 * A guard of the input trace describes its exit in terms of the input's variables, and may
 * already describe some objects as virtual (an exit of a trace optimized before, or of a bridge).
 * After optimization a variable may stand for a virtual the optimizer did not allocate; the exit
 * must then describe that object too, so that a failing guard can allocate it (PyPy's resume
 * data, optimizeopt/virtualize.py and resume.py). `describeExit` does that once for both
 * representations of the state: virtualize.ts's names and persistent heap, and the chained
 * driver's value objects (chain.ts).
 *
 * The result: the exit's values stay in place; every virtual they reach (one of the optimizer's,
 * or one the input exit already described) is described once, numbered in the order a depth-first
 * walk first reaches it (a virtual's parts before its siblings'); an object lists only the fields
 * that are not their type's zero. The walk keeps its own stack (no recursion: the nesting depth of
 * the objects is bounded by memory only) and costs the size of what it describes.
 */
import type { Arg, ExitDesc, ExitValue, FieldDecl, Type, VirtualDesc } from '../ir/index.ts';
import { zeroOf } from '../ir/index.ts';

/** What `describeExit` asks of an optimizer's state (values K, virtuals V). */
export interface ExitState<K, V> {
  /** What an input variable or constant of the exit is now. */
  resolve(arg: Arg): K;
  /** A value's exit value (a variable or constant), or null when it is a virtual (`virtualOf`). */
  exitValue(known: K): ExitValue | null;
  /** The virtual a value is (called when `exitValue` said null). */
  virtualOf(known: K): V;
  /** A virtual's shape and parts (an object's fields in declaration order). */
  shapeOf(virtual: V): { readonly kind: 'object'; readonly cls: string } | { readonly kind: 'array'; readonly elem: Type };
  partsOf(virtual: V): readonly K[];
  /** The declared fields of a class. */
  fieldsOf(cls: string): readonly FieldDecl[];
}

/** A virtual being described: its parts (of the state, or of the input exit), and the values made of them so far. */
interface Frame<K> {
  readonly index: number;
  readonly parts: readonly (K | ExitValue)[];
  /** Parts are the input exit's values (else values of the state). */
  readonly input: boolean;
  readonly desc: { readonly kind: 'object'; readonly cls: string } | { readonly kind: 'array'; readonly elem: Type };
  readonly out: ExitValue[];
}

/** The exit `exit` of the input, described from `state`. */
export function describeExit<K, V>(exit: ExitDesc, state: ExitState<K, V>): ExitDesc {
  const virtuals: (VirtualDesc | null)[] = [];
  const ofState = new Map<V, number>();
  const ofInput = new Map<number, number>();
  const stack: Frame<K>[] = [];

  /** A value of the exit being built: a variable or constant, or a virtual (numbered now, described later). */
  const fromState = (known: K): ExitValue => {
    const value = state.exitValue(known);
    if (value !== null) return value;
    const virtual = state.virtualOf(known);
    let index = ofState.get(virtual);
    if (index === undefined) {
      index = virtuals.push(null) - 1;
      ofState.set(virtual, index);
      stack.push({ index, parts: state.partsOf(virtual), input: false, desc: state.shapeOf(virtual), out: [] });
    }
    return { kind: 'virtual', index };
  };
  const fromInput = (value: ExitValue): ExitValue => {
    if (value.kind !== 'virtual') return fromState(state.resolve(value));
    let index = ofInput.get(value.index);
    if (index === undefined) {
      index = virtuals.push(null) - 1;
      ofInput.set(value.index, index);
      const desc = exit.virtuals[value.index]!;
      if (desc.kind === 'object') {
        const given = new Map(desc.fields.map((f) => [f.field, f.value]));
        const parts = state.fieldsOf(desc.cls).map((f): ExitValue => given.get(f.name) ?? zeroOf(f.type));
        stack.push({ index, parts, input: true, desc: { kind: 'object', cls: desc.cls }, out: [] });
      } else {
        // Stryker disable next-line StringLiteral: the kind cannot change the result: drain tests only for 'object'
        stack.push({ index, parts: desc.items, input: true, desc: { kind: 'array', elem: desc.elem }, out: [] });
      }
    }
    return { kind: 'virtual', index };
  };
  /** Describes what is on the stack, depth first: a virtual's parts before its siblings'. */
  const drain = () => {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.out.length === frame.parts.length) {
        stack.pop();
        const { desc } = frame;
        if (desc.kind === 'object') {
          const declared = state.fieldsOf(desc.cls);
          const fields: { field: string; value: ExitValue }[] = [];
          frame.out.forEach((value, k) => isZeroValue(value) || fields.push({ field: declared[k]!.name, value }));
          virtuals[frame.index] = { kind: 'object', cls: desc.cls, fields };
        } else virtuals[frame.index] = { kind: 'array', elem: desc.elem, items: frame.out };
        continue;
      }
      const part = frame.parts[frame.out.length]!;
      frame.out.push(frame.input ? fromInput(part as ExitValue) : fromState(part as K));
    }
  };

  const values = exit.values.map((value) => {
    const described = fromInput(value);
    drain();
    return described;
  });
  return { values, virtuals: virtuals as VirtualDesc[] };
}

/** An exit value that is its type's zero (what an allocation writes; not listed in a description). */
export function isZeroValue(value: ExitValue | { readonly kind: 'vref' }): boolean {
  switch (value.kind) {
    case 'int':
      return value.value === 0n;
    case 'float':
      return Object.is(value.value, 0);
    case 'null':
      return true;
    // Stryker disable next-line ConditionalExpression: falling out of the switch returns undefined, as falsy as false: every caller tests the result for truth only
    default:
      return false;
  }
}
