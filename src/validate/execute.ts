/**
 * Symbolic execution of one side (the input trace, or its optimized form) over unknown inputs.
 *
 * Invariant: after each op, the side's environment, heap log and escape records describe, as
 * terms over the shared unknowns, exactly the state the reference interpreter (spec/) reaches
 * on every concrete input that takes this path, under the current alias decisions.
 *
 * The heap is a log: allocations, field and item writes, and the bumps `escape` applies.
 * Objects are of two kinds. Unknown objects (inputs, and objects read from their fields) keep
 * their identity across the two sides: the same term is the same object. Allocated objects
 * (`alloc` terms, one namespace per side) are compared up to renaming, by the comparison in
 * compare.ts. A read walks the log back to the last write that may hit its field; a write to an
 * unknown object that may or may not be the one read is an alias question, settled by case
 * split (terms.ts). An unwritten field of an unknown object is an `init` term, shared by both
 * sides.
 *
 * Escape, as the reference defines it: logs its args with a copy of what they reach (here: the
 * log position, read back later), makes everything reachable from escaped objects and the args
 * escaped, then adds the escape's sequence number to every int field and int item of every
 * escaped object. Unknown objects are escaped from the start (the reference marks everything
 * reachable from the input args escaped), so the bump applies to all of them; an allocated object
 * escapes when the args or an escaped object's current field reach it. In a loop step the
 * escape status of unknown objects comes from the loop invariant (validate.ts); without it the
 * side stops with `Unknown`.
 *
 * Undefined behaviour: an op that needs a non-null object of a class, an array, an index in
 * bounds or an allowed size records that condition as an event (`requires`). On the input side
 * the matcher assumes it (a run that breaks it makes no claim); on the optimized side it must
 * be proved.
 */
import { type Arg, classDecl, type ExitDesc, type ExitValue, type HeapObjectDesc, type HeapValue, type Op, type OpName, type Trace, type Type } from '../ir/index.ts';
import type { Cond } from './facts.ts';
import { isAlloc, type Term, type Terms } from './terms.ts';

export type Shape = { readonly kind: 'object'; readonly cls: string } | { readonly kind: 'array'; readonly elem: Type; readonly length: Term };

export type Entry =
  | { readonly kind: 'alloc'; readonly obj: Term }
  | { readonly kind: 'set'; readonly obj: Term; readonly key: string; readonly index: Term | null; readonly value: Term }
  | { readonly kind: 'bump'; readonly amount: Term; readonly escaped: ReadonlySet<number> };

/** An object an exit materializes from resume data: never in the log. */
export type MatDesc =
  | { readonly kind: 'object'; readonly cls: string; readonly fields: ReadonlyMap<string, Term> }
  | { readonly kind: 'array'; readonly elem: Type; readonly items: readonly Term[] };

/** One way a run leaves (or loops), with what it shows: values, and the state they are read in. */
export interface ExitRecord {
  readonly kind: 'guard' | 'finish' | 'fuel';
  readonly guardId: number;
  readonly values: readonly Term[];
  readonly mat: ReadonlyMap<number, MatDesc>;
  /** Log length, escapes so far (in this segment), and the escaped allocations, at the exit. */
  readonly at: number;
  readonly escapes: number;
  readonly escaped: ReadonlySet<number>;
}

export type Event =
  | { readonly kind: 'requires'; readonly cond: Cond; readonly what: string }
  | { readonly kind: 'guard'; readonly guardId: number; readonly cond: Cond; readonly exit: ExitRecord; readonly what: string }
  | { readonly kind: 'finish'; readonly exit: ExitRecord }
  | { readonly kind: 'backedge'; readonly op: Op; readonly values: readonly Term[] };

export interface EscapeRecord {
  readonly args: readonly Term[];
  /** Log length when it was called (before its bump). */
  readonly at: number;
}

/** Thrown when a side cannot go on soundly: the verdict is unknown, with this reason. */
export class Unknown extends Error {}

/**
 * Facts about the loop head's heap that the loop invariant supplies (validate.ts): a field's
 * value keyed `${obj.id}|${key}`, a length `${obj.id}|length`, an item at a constant index by
 * `itemKey`.
 */
export type HeadFields = ReadonlyMap<string, Term>;

export class Side {
  env = new Map<string, Term>();
  readonly log: Entry[] = [];
  /** Indexes of the log, kept by `push`: set entries by key, bumps, where each allocation is. */
  private readonly setsByKey = new Map<string, number[]>();
  private readonly bumps: number[] = [];
  /** bumpSums[k]: the sum of the first k escapes' numbers in this segment. */
  private readonly bumpSums: Term[];
  private readonly allocAt = new Map<number, number>();
  /** Writes to unknown objects, each (object, key, index) once, with the log position of its first write. */
  readonly dirty: { readonly at: number; readonly obj: Term; readonly key: string; readonly index: Term | null }[] = [];
  private readonly dirtySeen = new Set<string>();
  readonly shapes = new Map<number, Shape>();
  readonly escapes: EscapeRecord[] = [];
  escaped: ReadonlySet<number> = new Set();
  overflow: Term;
  private allocs = 0;
  readonly events: Event[] = [];

  constructor(
    readonly T: Terms,
    readonly trace: Trace,
    /** 'in' or 'opt': names its allocations. */
    readonly name: string,
    /** The number of escapes before this segment (a constant, or the loop head's unknown count). */
    public escapeCount: Term,
    /** Whether unknown objects are escaped: true, or a reason why that is not known. */
    readonly unknownEscaped: true | string,
    readonly headFields: HeadFields = new Map(),
    /**
     * The prebuilt objects' declared contents, when this segment starts where every run starts
     * (the first iteration); in a loop step they are whatever earlier iterations left.
     */
    readonly prebuiltAtStart: ReadonlyMap<string, HeapObjectDesc> | null = null,
  ) {
    this.overflow = T.int(0n);
    this.bumpSums = [T.int(0n)];
  }

  // --- values ---

  value(arg: Arg): Term {
    switch (arg.kind) {
      case 'var': {
        const t = this.env.get(arg.name);
        if (!t) throw new Error(`validate: ${arg.name} is not bound`);
        return this.T.canon(t);
      }
      case 'int':
        return this.T.int(arg.value);
      case 'float':
        return this.T.float(arg.value);
      case 'null':
        return this.T.NULL;
      case 'prebuilt':
        return prebuiltTerm(this.T, arg.name);
    }
  }

  // --- heap ---

  allocate(shape: Shape): Term {
    const tag = shape.kind === 'object' ? shape.cls : `[]${shape.elem}:${shape.length.op === 'int' ? shape.length.value : '?'}`;
    const obj = this.T.make('alloc', 'ref', [], `${this.name}${this.allocs++}:${tag}`);
    this.shapes.set(obj.id, shape);
    this.allocTerms.set(obj.id, obj);
    this.push({ kind: 'alloc', obj });
    return obj;
  }

  push(e: Entry): void {
    const at = this.log.length;
    this.log.push(e);
    if (e.kind === 'alloc') this.allocAt.set(e.obj.id, at);
    else if (e.kind === 'bump') {
      this.bumps.push(at);
      this.bumpSums.push(this.T.op('int_add', [this.bumpSums.at(-1)!, e.amount]));
    }
    else {
      let list = this.setsByKey.get(e.key);
      if (!list) this.setsByKey.set(e.key, (list = []));
      list.push(at);
      const obj = this.T.canon(e.obj);
      if (!isAlloc(obj)) {
        const index = e.index && this.T.canon(e.index);
        const key = `${obj.id}|${e.key}|${index?.id ?? ''}`;
        if (!this.dirtySeen.has(key)) {
          this.dirtySeen.add(key);
          this.dirty.push({ at, obj, key: e.key, index });
        }
      }
    }
  }

  /** Position of the last bump (escape) before `at`, or -1. */
  lastBumpBefore(at: number): number {
    for (let k = this.bumps.length - 1; k >= 0; k--) if (this.bumps[k]! < at) return this.bumps[k]!;
    return -1;
  }

  /** A fresh object for an exit's resume data: not in the log. */
  materializedObject(cls: string): Term {
    return this.T.make('alloc', 'ref', [], `${this.name}${this.allocs++}x:${cls}`);
  }

  /** Unknown objects whose escape status is not known (and so of everything read from them). */
  readonly uncertain = new Set<number>();

  private isEscaped(obj: Term, escaped: ReadonlySet<number>): boolean {
    if (isAlloc(obj)) return escaped.has(obj.id);
    if (this.unknownEscaped !== true) throw new Unknown(this.unknownEscaped);
    if (this.isUncertain(obj)) throw new Unknown('an escape in the loop may reach an object of the input trace the optimized loop does not carry');
    return true;
  }

  private isUncertain(obj: Term): boolean {
    let t = this.T.canon(obj);
    while (t.op === 'init' || t.op === 'init_item') t = this.T.canon(t.args[0]!);
    return this.uncertain.has(t.id);
  }

  /** The value of `obj`'s field (key `Class.field`) or item (key `[]elem`, index), at log position `at`. */
  read(obj0: Term, key: string, index0: Term | null, sort: Type, at = this.log.length): Term {
    const T = this.T;
    const obj = T.canon(obj0);
    const index = index0 && T.canon(index0);
    // The last write that may hit the field (an alias question when it is another unknown
    // object or index: a case split), after the object's allocation.
    const floor = isAlloc(obj) ? (this.allocAt.get(obj.id) ?? -1) : -1;
    let base: Term | null = null;
    let from = floor;
    const sets = this.setsByKey.get(key) ?? [];
    for (let k = firstAtOrAbove(sets, at) - 1; k >= 0; k--) {
      const position = sets[k]!;
      if (position < floor) break;
      const e = this.log[position] as Extract<Entry, { kind: 'set' }>;
      if (T.equal(e.obj, obj) && (index === null || T.equal(e.index!, index))) {
        base = e.value;
        from = position;
        break;
      }
    }
    if (base === null) {
      if (isAlloc(obj)) {
        if (floor < 0) throw new Error('validate: an allocation without its log entry');
        base = zero(T, sort);
      } else {
        base = this.initial(obj, key, index, sort);
      }
    }
    let value = T.canon(base);
    if (sort === 'int') {
      // The escapes since then bump the field, from the first at which the object is escaped
      // (escape status only grows): by the sum of their numbers, a difference of prefix sums.
      const hi = firstAtOrAbove(this.bumps, at);
      let lo = firstAtOrAbove(this.bumps, from);
      if (lo < hi) {
        if (isAlloc(obj)) {
          let top = hi;
          while (lo < top) {
            const mid = (lo + top) >> 1;
            if ((this.log[this.bumps[mid]!] as Extract<Entry, { kind: 'bump' }>).escaped.has(obj.id)) top = mid;
            else lo = mid + 1;
          }
        } else {
          this.isEscaped(obj, new Set());
        }
        if (lo < hi) value = T.op('int_add', [value, T.op('int_sub', [this.bumpSums[hi]!, this.bumpSums[lo]!])]);
      }
    }
    return value;
  }

  /** The value an unknown object's field had when this segment began. */
  initial(obj: Term, key: string, index: Term | null, sort: Type): Term {
    const declared = obj.op === 'sym' && obj.name!.startsWith('@') ? this.prebuiltAtStart?.get(obj.name!.slice(1)) : undefined;
    if (declared) {
      const value = declaredValue(this.T, declared, key, index, sort);
      if (value) return value;
    }
    if (index === null) {
      const known = this.headFields.get(`${obj.id}|${key}`);
      if (known) return known;
      return this.T.make('init', sort, [obj], key);
    }
    // The relation knows items at constant indices only (itemKey of another index is no key of
    // it): an unknown index that is one of them at run time reads a fresh unknown, which is less
    // precise but never wrong (proofs-notes/validation.md).
    const known = this.headFields.get(itemKey(this.T, obj, key, index));
    if (known) return known;
    return this.T.make('init_item', sort, [obj, index], key);
  }

  length(arr: Term): Term {
    const shape = this.shapes.get(arr.id);
    // Of an object, arraylen is undefined behaviour (its `requires` fails): any value will do.
    if (shape) return shape.kind === 'array' ? shape.length : this.T.int(0n);
    if (arr.op === 'sym' && arr.name!.startsWith('@')) {
      // A prebuilt array's length is declared, and lengths never change.
      const declared = prebuiltDecl(this.trace, arr.name!.slice(1));
      if (declared?.kind === 'array') return this.T.int(BigInt(declared.items.length));
    }
    const known = this.headFields.get(`${arr.id}|length`);
    return known ?? this.T.make('init_len', 'int', [arr]);
  }

  /**
   * The allocations an escape with these args leaves escaped (the reference's closure). The
   * escaped set was closed at the last escape (and at the segment's start), so what it newly
   * reaches comes from the args and from writes into escaped objects since then.
   */
  private escapeClosure(args: readonly Term[]): Set<number> {
    const T = this.T;
    const result = new Set(this.escaped);
    const work: Term[] = args.map((a) => T.canon(a)).filter(isAlloc);
    for (let k = this.lastBumpBefore(this.log.length) + 1; k < this.log.length; k++) {
      const e = this.log[k]!;
      if (e.kind !== 'set') continue;
      const value = T.canon(e.value);
      if (!isAlloc(value) || result.has(value.id)) continue;
      const holder = T.canon(e.obj);
      if (isAlloc(holder)) {
        if (!result.has(holder.id)) continue;
      } else {
        if (this.unknownEscaped !== true) throw new Unknown(this.unknownEscaped);
        if (this.isUncertain(holder)) throw new Unknown('an escape in the loop may reach an object of the input trace the optimized loop does not carry');
      }
      if (this.read(holder, e.key, e.index, 'ref') === value) work.push(value);
    }
    while (work.length > 0) {
      const obj = work.pop()!;
      if (result.has(obj.id)) continue;
      result.add(obj.id);
      for (const child of this.refsHeldBy(obj)) if (isAlloc(child) && !result.has(child.id)) work.push(child);
    }
    return result;
  }

  private readonly allocTerms = new Map<number, Term>();
  private allocById(id: number): Term {
    return this.allocTerms.get(id)!;
  }

  /** The refs an allocated object's fields or items hold now. */
  refsHeldBy(obj: Term, at = this.log.length): Term[] {
    const shape = this.shapes.get(obj.id);
    if (!shape) return [];
    if (shape.kind === 'object') {
      return classDecl(this.trace, shape.cls)!.fields.filter((f) => f.type === 'ref').map((f) => this.read(obj, `${shape.cls}.${f.name}`, null, 'ref', at));
    }
    if (shape.elem !== 'ref') return [];
    if (shape.length.op !== 'int') {
      // Items of an array of unknown length: only written ones can hold allocations.
      return this.log
        .slice(0, at)
        .filter((e): e is Extract<Entry, { kind: 'set' }> => e.kind === 'set' && this.T.canon(e.obj) === obj)
        .map((e) => this.read(obj, e.key, e.index, 'ref', at));
    }
    const n = Number(shape.length.value as bigint);
    const out: Term[] = [];
    for (let k = 0; k < n; k++) out.push(this.read(obj, '[]ref', this.T.int(BigInt(k)), 'ref', at));
    return out;
  }

  escape(args: readonly Term[]): void {
    const escaped = this.escapeClosure(args);
    this.escapes.push({ args, at: this.log.length });
    this.escaped = escaped;
    this.escapeCount = this.T.op('int_add', [this.escapeCount, this.T.int(1n)]);
    this.push({ kind: 'bump', amount: this.escapeCount, escaped });
  }

  // --- exits ---

  exitRecord(kind: ExitRecord['kind'], guardId: number, desc: ExitDesc | null, plain: readonly Term[] | null): ExitRecord {
    const mat = new Map<number, MatDesc>();
    let values: Term[];
    if (desc) {
      const refs = desc.virtuals.map((v) => this.materializedObject(v.kind === 'object' ? v.cls : `[]${v.elem}:${v.items.length}`));
      const resolve = (x: ExitValue): Term => (x.kind === 'virtual' ? refs[x.index]! : this.value(x));
      desc.virtuals.forEach((v, k) => {
        if (v.kind === 'object') {
          const fields = new Map<string, Term>();
          for (const f of classDecl(this.trace, v.cls)!.fields) fields.set(f.name, zero(this.T, f.type));
          for (const { field, value } of v.fields) fields.set(field, resolve(value));
          mat.set(refs[k]!.id, { kind: 'object', cls: v.cls, fields });
        } else {
          mat.set(refs[k]!.id, { kind: 'array', elem: v.elem, items: v.items.map(resolve) });
        }
      });
      values = desc.values.map(resolve);
    } else {
      values = [...(plain ?? [])];
    }
    return { kind, guardId, values, mat, at: this.log.length, escapes: this.escapes.length, escaped: this.escaped };
  }

  // --- running ops ---

  run(ops: readonly Op[]): void {
    for (const op of ops) HANDLERS[op.name](this, op);
  }

  require(term: Term, what: string): void {
    this.events.push({ kind: 'requires', cond: { term, positive: true }, what });
  }

  define(op: Op, t: Term): void {
    this.env.set(op.result!, t);
  }
}

/** The key `HeadFields` gives an item at a constant index. */
export function itemKey(T: Terms, obj: Term, key: string, index: Term): string {
  return `${obj.id}|${key}@${T.stableKey(index)}`;
}

/** In the ascending `list`, the first index whose item is >= x (the items before it are below x). */
function firstAtOrAbove(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The term for prebuilt object `@name`: an unknown object both sides share, named `@name`. */
export function prebuiltTerm(T: Terms, name: string): Term {
  return T.sym(`@${name}`, 'ref');
}

export function prebuiltDecl(trace: Trace, name: string): HeapObjectDesc | undefined {
  return (trace.prebuilt ?? []).find((o) => o.name === name);
}

/** A prebuilt object's declared field or item (constant index), as a term; null when not declared so. */
function declaredValue(T: Terms, o: HeapObjectDesc, key: string, index: Term | null, sort: Type): Term | null {
  let value: HeapValue | undefined;
  if (o.kind === 'object') {
    if (index !== null || !key.startsWith(`${o.cls}.`)) return null;
    value = o.fields.find((f) => f.field === key.slice(o.cls.length + 1))?.value;
    if (!value) return zero(T, sort);
  } else {
    if (index === null || index.op !== 'int' || key !== `[]${o.elem}`) return null;
    value = o.items[Number(index.value as bigint)];
    if (!value) return null;
  }
  switch (value.kind) {
    case 'int':
      return T.int(value.value);
    case 'float':
      return T.float(value.value);
    case 'null':
      return T.NULL;
    case 'obj':
      return prebuiltTerm(T, value.name);
  }
}

export function zero(T: Terms, sort: Type): Term {
  return sort === 'int' ? T.int(0n) : sort === 'float' ? T.float(0) : T.NULL;
}

function sortOfTerm(t: Term): Type {
  return t.sort;
}

type Handler = (s: Side, op: Op) => void;

const pure: Handler = (s, op) => s.define(op, s.T.op(op.name, op.args.map((a) => s.value(a))));

function ovf(kind: 'add' | 'sub' | 'mul'): Handler {
  return (s, op) => {
    const args = op.args.map((a) => s.value(a));
    s.overflow = s.T.op(`ovf_${kind}`, args);
    s.define(op, s.T.op(`int_${kind}`, args));
  };
}

function fieldOf(op: Op): { cls: string; field: string } {
  return op.descr as { cls: string; field: string };
}

function guardWith(cond: (s: Side, op: Op) => { term: Term; positive: boolean }): Handler {
  return (s, op) => {
    s.events.push({ kind: 'guard', guardId: op.guardId, cond: cond(s, op), exit: s.exitRecord('guard', op.guardId, op.exit, null), what: op.name });
  };
}

/** The element type an array op names: its descr, or the stored value's type. */
function elemOf(op: Op, s: Side): Type {
  if (op.descr?.kind === 'elem') return op.descr.type;
  return sortOfTerm(s.value(op.args[2]!));
}

function arrayAccess(s: Side, op: Op, elem: Type): { arr: Term; index: Term } {
  const arr = s.value(op.args[0]!);
  const index = s.value(op.args[1]!);
  s.require(s.T.atom('is_array', [arr], elem), `${op.name}: an array of ${elem}`);
  const shape = s.shapes.get(arr.id);
  let inBounds = s.T.atom('in_bounds', [arr, index], elem);
  if (shape?.kind === 'array' && shape.length.op !== 'int') {
    // A fresh array of unknown length n: in bounds is 0 <= i < n.
    inBounds = s.T.op('int_and', [s.T.op('not', [s.T.op('int_lt', [index, s.T.int(0n)])]), s.T.op('int_lt', [index, shape.length])]);
  }
  s.require(inBounds, `${op.name}: the index in bounds`);
  return { arr, index };
}

const HANDLERS: { readonly [K in OpName]: Handler } = {
  int_add: pure,
  int_sub: pure,
  int_mul: pure,
  int_floordiv: pure,
  int_mod: pure,
  int_and: pure,
  int_or: pure,
  int_xor: pure,
  int_lshift: pure,
  int_rshift: pure,
  int_neg: pure,
  int_lt: pure,
  int_le: pure,
  int_eq: pure,
  int_ne: pure,
  int_gt: pure,
  int_ge: pure,
  int_add_ovf: ovf('add'),
  int_sub_ovf: ovf('sub'),
  int_mul_ovf: ovf('mul'),
  float_add: pure,
  float_sub: pure,
  float_mul: pure,
  float_truediv: pure,
  float_neg: pure,
  float_abs: pure,
  float_sqrt: pure,
  float_pow: pure,
  float_sin: pure,
  float_cos: pure,
  float_lt: pure,
  float_le: pure,
  float_eq: pure,
  float_ne: pure,
  float_gt: pure,
  float_ge: pure,
  cast_int_to_float: pure,
  cast_float_to_int: pure,
  ptr_eq: pure,
  ptr_ne: pure,

  new: (s, op) => s.define(op, s.allocate({ kind: 'object', cls: (op.descr as { cls: string }).cls })),
  getfield: (s, op) => {
    const { cls, field } = fieldOf(op);
    const obj = s.value(op.args[0]!);
    s.require(s.T.atom('is_class', [obj], cls), `getfield: an object of class ${cls}`);
    const type = classDecl(s.trace, cls)!.fields.find((f) => f.name === field)!.type;
    s.define(op, s.read(obj, `${cls}.${field}`, null, type));
  },
  setfield: (s, op) => {
    const { cls, field } = fieldOf(op);
    const obj = s.value(op.args[0]!);
    s.require(s.T.atom('is_class', [obj], cls), `setfield: an object of class ${cls}`);
    s.push({ kind: 'set', obj, key: `${cls}.${field}`, index: null, value: s.value(op.args[1]!) });
  },
  new_array: (s, op) => {
    const n = s.value(op.args[0]!);
    s.require(s.T.atom('size_ok', [n], ''), 'new_array: an allowed size');
    const elem = (op.descr as { type: Type }).type;
    s.define(op, s.allocate({ kind: 'array', elem, length: s.T.op('array_length', [n]) }));
  },
  getarrayitem: (s, op) => {
    const elem = elemOf(op, s);
    const { arr, index } = arrayAccess(s, op, elem);
    s.define(op, s.read(arr, `[]${elem}`, index, elem));
  },
  setarrayitem: (s, op) => {
    const elem = elemOf(op, s);
    const { arr, index } = arrayAccess(s, op, elem);
    s.push({ kind: 'set', obj: arr, key: `[]${elem}`, index, value: s.value(op.args[2]!) });
  },
  arraylen: (s, op) => {
    const arr = s.value(op.args[0]!);
    s.require(s.T.atom('is_array', [arr], '*'), 'arraylen: an array');
    s.define(op, s.length(arr));
  },

  guard_true: guardWith((s, op) => ({ term: s.value(op.args[0]!), positive: true })),
  guard_false: guardWith((s, op) => ({ term: s.value(op.args[0]!), positive: false })),
  guard_class: guardWith((s, op) => ({ term: s.T.atom('is_class', [s.value(op.args[0]!)], (op.descr as { cls: string }).cls), positive: true })),
  guard_value: guardWith((s, op) => {
    const a = s.value(op.args[0]!);
    const b = s.value(op.args[1]!);
    const name = a.sort === 'int' ? 'int_eq' : a.sort === 'float' ? 'same_float' : 'ptr_eq';
    return { term: s.T.op(name, [a, b]), positive: true };
  }),
  guard_nonnull: guardWith((s, op) => ({ term: s.T.op('ptr_eq', [s.T.NULL, s.value(op.args[0]!)]), positive: false })),
  guard_isnull: guardWith((s, op) => ({ term: s.T.op('ptr_eq', [s.T.NULL, s.value(op.args[0]!)]), positive: true })),
  guard_no_overflow: guardWith((s) => ({ term: s.overflow, positive: false })),
  guard_overflow: guardWith((s) => ({ term: s.overflow, positive: true })),

  escape: (s, op) => s.escape(op.args.map((a) => s.value(a))),
  label: (s, op) => s.events.push({ kind: 'backedge', op, values: op.args.map((a) => s.value(a)) }),
  jump: (s, op) => s.events.push({ kind: 'backedge', op, values: op.args.map((a) => s.value(a)) }),
  finish: (s, op) => s.events.push({ kind: 'finish', exit: s.exitRecord('finish', -1, null, op.args.map((a) => s.value(a))) }),
};
