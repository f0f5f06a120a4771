/**
 * The immutable trace: class declarations, typed inputs, SSA operations, concrete input sets.
 *
 * Values are named variables whose first letter is their type (`i` int, `f` float, `p` ref),
 * or constants. Nothing here is ever edited in place: passes build new traces. `freezeTrace`
 * deep-freezes one (tests do, so a pass that mutates its input fails loudly).
 *
 * Exits. A guard carries an `ExitDesc`: the values an interpreter needs to resume there (its
 * fail args). In an optimized trace some of those values may be *virtual*: objects the
 * optimizer never allocated. They are described in `exit.virtuals` and referred to as
 * `{ kind: 'virtual', index }` (`$index` in text); leaving the trace materializes them. A
 * `label` may carry an ExitDesc too: how to rebuild the original loop arguments from the label's
 * arguments, used when the fuel runs out at the label or at the jump that returns to it.
 *
 * Prebuilt objects. A VM has objects that exist before any trace runs: its classes, `None`-like
 * singletons, module globals. A trace declares them in `prebuilt` (objects and arrays with their
 * field values, which may name other prebuilt objects) and uses them as constant ref operands,
 * `{ kind: 'prebuilt', name }` (`@name` in text), wherever a ref value may stand. Every run starts
 * with them as declared, whatever its input set, and an input set's objects may point at them.
 * They keep their identity like input objects, count as escaped from the start, and their final
 * state is part of a run's outcome.
 */
import type { OpName, Type } from './ops.ts';

export type { OpName, Type } from './ops.ts';

export interface Loc {
  readonly line: number;
  readonly col: number;
}

/*
 * Source locations. Everything the parser builds carries an optional `loc`, where it was written
 * (an op: its first token; an operand, exit value or heap value: its token; a virtual or a heap
 * object: its `$k` or `@name`; a field entry: its field name; an input set: its name), so that
 * the validator can point at the offending item. A `loc` is never part of a thing's meaning:
 * passes copy or drop them freely, comparisons ignore them, and they are always under the key
 * `loc`, so one recursive strip removes them all.
 */

/** A value operand: a variable or a constant. */
export type Arg =
  | { readonly kind: 'var'; readonly name: string; readonly loc?: Loc }
  | { readonly kind: 'int'; readonly value: bigint; readonly loc?: Loc }
  | { readonly kind: 'float'; readonly value: number; readonly loc?: Loc }
  | { readonly kind: 'null'; readonly loc?: Loc }
  /** A prebuilt object of the trace (`trace.prebuilt`): a constant ref, never null. */
  | { readonly kind: 'prebuilt'; readonly name: string; readonly loc?: Loc };

/** A fail-arg or virtual-field value: an Arg, or a virtual described by the exit. */
export type ExitValue = Arg | { readonly kind: 'virtual'; readonly index: number; readonly loc?: Loc };

export type VirtualDesc =
  | {
      readonly kind: 'object';
      readonly cls: string;
      /** Fields not listed hold their type's zero. */
      readonly fields: readonly { readonly field: string; readonly value: ExitValue; readonly loc?: Loc }[];
      readonly loc?: Loc;
    }
  | { readonly kind: 'array'; readonly elem: Type; readonly items: readonly ExitValue[]; readonly loc?: Loc };

export interface ExitDesc {
  readonly values: readonly ExitValue[];
  readonly virtuals: readonly VirtualDesc[];
  /** Where the exit was written: its `[`, or its `with` when it has no brackets. */
  readonly loc?: Loc;
}

export type Descr =
  | { readonly kind: 'class'; readonly cls: string; readonly loc?: Loc }
  | { readonly kind: 'field'; readonly cls: string; readonly field: string; readonly loc?: Loc }
  | { readonly kind: 'elem'; readonly type: Type; readonly loc?: Loc };

export interface Op {
  readonly name: OpName;
  /** The variable this op defines, or null. */
  readonly result: string | null;
  /** Value operands, in the order of the op table's value operand kinds. */
  readonly args: readonly Arg[];
  /** The one class/field/element-type operand, for ops that take one. */
  readonly descr: Descr | null;
  /** Guards: the id of the input guard this one stands for. -1 for non-guards. */
  readonly guardId: number;
  /** Guards: fail args (+ virtuals). Label: how to rebuild the loop's original arguments. */
  readonly exit: ExitDesc | null;
  /** Where the op was written, when it came from text. Never part of its meaning. */
  readonly loc?: Loc;
}

export interface FieldDecl {
  readonly name: string;
  readonly type: Type;
  readonly loc?: Loc;
}

export interface ClassDecl {
  readonly name: string;
  readonly fields: readonly FieldDecl[];
  readonly loc?: Loc;
}

/**
 * A value in a concrete input heap. The parser makes its `loc` non-enumerable: executors hand
 * these out as run-time values unchanged, and a location must not show up in an outcome.
 */
export type HeapValue =
  | { readonly kind: 'int'; readonly value: bigint; readonly loc?: Loc }
  | { readonly kind: 'float'; readonly value: number; readonly loc?: Loc }
  | { readonly kind: 'null'; readonly loc?: Loc }
  | { readonly kind: 'obj'; readonly name: string; readonly loc?: Loc };

/** `loc`: where `@name` was written; a field entry's: where its field name was. */
export type HeapObjectDesc =
  | {
      readonly name: string;
      readonly kind: 'object';
      readonly cls: string;
      readonly fields: readonly { readonly field: string; readonly value: HeapValue; readonly loc?: Loc }[];
      readonly loc?: Loc;
    }
  | { readonly name: string; readonly kind: 'array'; readonly elem: Type; readonly items: readonly HeapValue[]; readonly loc?: Loc };

/**
 * A concrete input: argument values and the objects they reach. An `obj` value names one of the
 * set's own objects or, when the set describes no object of that name, a prebuilt object.
 */
export interface InputSet {
  readonly name: string;
  readonly args: readonly HeapValue[];
  readonly objects: readonly HeapObjectDesc[];
  /** Where its name was written. */
  readonly loc?: Loc;
}

export interface Input {
  readonly name: string;
  readonly loc?: Loc;
}

export interface Trace {
  readonly classes: readonly ClassDecl[];
  readonly inputs: readonly Input[];
  readonly ops: readonly Op[];
  readonly inputSets: readonly InputSet[];
  /**
   * The objects that exist before every run, in declaration order (absent: none). Their field
   * values are constants or `obj` values naming prebuilt objects.
   */
  readonly prebuilt?: readonly HeapObjectDesc[];
}

// ---------------------------------------------------------------------------------------------
// Small helpers every layer needs.

export function typeOfVar(name: string): Type {
  switch (name[0]) {
    case 'i':
      return 'int';
    case 'f':
      return 'float';
    case 'p':
      return 'ref';
  }
  throw new Error(`not a variable name: ${name}`);
}

/** Variable names: type letter, a digit, then letters, digits or underscores (`p0`, `i14`, `i3_sum`). */
export const VAR_NAME = /^[ifp][0-9][A-Za-z0-9_]*$/;

export function typeOfArg(arg: Arg): Type {
  switch (arg.kind) {
    case 'var':
      return typeOfVar(arg.name);
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'null':
    case 'prebuilt':
      return 'ref';
  }
}

export const v = (name: string): Arg => ({ kind: 'var', name });
export const cint = (value: bigint | number): Arg => ({ kind: 'int', value: BigInt(value) });
export const cfloat = (value: number): Arg => ({ kind: 'float', value });
export const NULL: Arg = { kind: 'null' };
/** The constant ref to prebuilt object `@name`. */
export const prebuiltRef = (name: string): Arg => ({ kind: 'prebuilt', name });

/** The trace's prebuilt objects (none when it declares none). */
export function prebuiltObjects(trace: Pick<Trace, 'prebuilt'>): readonly HeapObjectDesc[] {
  return trace.prebuilt ?? [];
}

export function zeroOf(type: Type): Arg {
  switch (type) {
    case 'int':
      return { kind: 'int', value: 0n };
    case 'float':
      return { kind: 'float', value: 0 };
    case 'ref':
      return NULL;
  }
}

export function sameArg(a: Arg, b: Arg): boolean {
  switch (a.kind) {
    case 'var':
      return b.kind === 'var' && a.name === b.name;
    case 'int':
      return b.kind === 'int' && a.value === b.value;
    case 'float':
      return b.kind === 'float' && Object.is(a.value, b.value);
    case 'null':
      return b.kind === 'null';
    case 'prebuilt':
      return b.kind === 'prebuilt' && a.name === b.name;
  }
}

export function classDecl(trace: Pick<Trace, 'classes'>, cls: string): ClassDecl | undefined {
  return trace.classes.find((c) => c.name === cls);
}

/** Type of field `field` of class `cls`; throws if there is none (validated traces never do). */
export function fieldType(trace: Pick<Trace, 'classes'>, cls: string, field: string): Type {
  const decl = classDecl(trace, cls);
  const f = decl?.fields.find((x) => x.name === field);
  if (!f) throw new Error(`no field ${cls}.${field}`);
  return f.type;
}

/** Builds an op with defaults for the parts most ops do not have. */
export function mkOp(
  name: OpName,
  args: readonly Arg[],
  opts: { result?: string | null; descr?: Descr | null; guardId?: number; exit?: ExitDesc | null; loc?: Loc } = {},
): Op {
  const op: Op = {
    name,
    result: opts.result ?? null,
    args,
    descr: opts.descr ?? null,
    guardId: opts.guardId ?? -1,
    exit: opts.exit ?? null,
  };
  return opts.loc ? { ...op, loc: opts.loc } : op;
}

/** Every variable name the trace defines (inputs and results), in order. */
export function definedVars(trace: Trace): string[] {
  const out = trace.inputs.map((i) => i.name);
  for (const op of trace.ops) if (op.result) out.push(op.result);
  return out;
}

/**
 * Fresh variable names for a pass that introduces values: `fresh('int')` gives `iN` with N
 * above every number used in the trace so far, so names stay short and readable.
 */
export function freshNamer(trace: Trace): (type: Type) => string {
  let next = 0;
  // Each pass asks for a namer, so this scan runs once per pass on the whole trace: it reads
  // `[ifp]<digits>` by hand rather than through a RegExp and a list of every name.
  const see = (name: string) => {
    const c = name.charCodeAt(0);
    if (c !== 105 && c !== 102 && c !== 112) return; // i, f, p
    let end = 1;
    while (end < name.length && name.charCodeAt(end) >= 48 && name.charCodeAt(end) <= 57) end++;
    if (end > 1) next = Math.max(next, Number(name.slice(1, end)) + 1);
  };
  for (const input of trace.inputs) see(input.name);
  for (const op of trace.ops) if (op.result) see(op.result);
  const letter: Record<Type, string> = { int: 'i', float: 'f', ref: 'p' };
  return (type) => `${letter[type]}${next++}`;
}

/** Index of the label op, or -1. */
export function labelIndex(trace: Trace): number {
  return trace.ops.findIndex((op) => op.name === 'label');
}

export function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const k of Object.keys(x)) deepFreeze((x as Record<string, unknown>)[k]);
  }
  return x;
}

export const freezeTrace = (t: Trace): Trace => deepFreeze(t);
