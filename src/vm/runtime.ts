/**
 * The runtime's value operations on the guest heap: boxing and unboxing, the class registry
 * (builtin types, exceptions, user classes with their layouts), str/repr, truth, equality and
 * ordering, arithmetic slow paths through the semantics record, exceptions as heap objects.
 *
 * Invariant (the safepoint rule, see proofs-notes/vm-heap.md): nothing here collects, except
 * `reserve`, which callers use only while they hold no heap address in a JS variable. Every other
 * allocation of an instruction fits in SMALL_ALLOC bytes (heap.ts).
 *
 * Pre: `sem` is a Semantics record (the default one or an injected variant).
 * Post: every operation is CPython 3.11's for the subset, or throws a GuestException / PyRaise.
 */
import type { Semantics } from './semantics.ts';
import { GuestException } from './errors.ts';
import * as H from './heap.ts';
import { Heap, fieldOffset } from './heap.ts';
// Local copies: an imported binding is a live-binding access on every use (a getter under
// the TS loaders); these are read in the hottest paths.
const C_BOOL = H.C_BOOL;
const C_BUILTIN = H.C_BUILTIN;
const C_FLOAT = H.C_FLOAT;
const C_FUNCTION = H.C_FUNCTION;
const C_INT = H.C_INT;
const C_LIST = H.C_LIST;
const C_LONG = H.C_LONG;
const C_METHOD = H.C_METHOD;
const C_MODULE = H.C_MODULE;
const C_NONE = H.C_NONE;
const C_RANGE = H.C_RANGE;
const C_STR = H.C_STR;
const C_TUPLE = H.C_TUPLE;
const C_TYPE = H.C_TYPE;
const FALSE = H.FALSE;
const NONE = H.NONE;
const TAG_INT_ARRAY = H.TAG_INT_ARRAY;
const TAG_REF_ARRAY = H.TAG_REF_ARRAY;
const SMALL_ALLOC = H.SMALL_ALLOC;
const TRUE = H.TRUE;
import { collect } from './gc.ts';

/** A raised guest exception: the exception object's address (valid until the next safepoint). */
export class PyRaise {
  constructor(public exc: number) {}
}

/** A Python class: builtin type, builtin exception or user class. */
export interface PyClass {
  readonly id: number;
  readonly name: string;
  readonly base: PyClass | null;
  /** Instance fields by attribute name, slot index (user classes and exceptions). */
  readonly fieldSlot: Map<string, number>;
  readonly nfields: number;
  /** Own class attributes: name -> index in the statics root table. */
  readonly attrs: Map<string, number>;
  /** The W_TypeObject's index in the statics root table. */
  typeStatic: number;
  readonly isException: boolean;
  readonly isUser: boolean;
}

export const MAX_DEPTH = 1000;
const TWO32 = 4294967296;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export const EXCEPTION_CLASSES: readonly (readonly [string, string | null])[] = [
  ['BaseException', null],
  ['Exception', 'BaseException'],
  ['ArithmeticError', 'Exception'],
  ['ZeroDivisionError', 'ArithmeticError'],
  ['OverflowError', 'ArithmeticError'],
  ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'],
  ['TypeError', 'Exception'],
  ['ValueError', 'Exception'],
  ['AttributeError', 'Exception'],
  ['NameError', 'Exception'],
  ['UnboundLocalError', 'NameError'],
  ['RuntimeError', 'Exception'],
  ['NotImplementedError', 'RuntimeError'],
  ['RecursionError', 'RuntimeError'],
  ['ImportError', 'Exception'],
  ['ModuleNotFoundError', 'ImportError'],
  ['MemoryError', 'Exception'],
  ['AssertionError', 'Exception'],
];

export class Runtime {
  readonly heap: Heap;
  /** Root table: class attributes, type objects, builtins, module attributes, constants. */
  statics = new Int32Array(256);
  nstatics = 0;
  readonly pyClasses: (PyClass | undefined)[] = [];
  readonly classByName = new Map<string, PyClass>();
  /** Bumped when a class attribute changes after creation: inline caches keyed on it. */
  classEpoch = 0;
  /** The interpreter's stack (locals and value stacks of every frame): a root array. */
  readonly stk: Int32Array;
  sp = 0;
  globals: Int32Array = new Int32Array(0);

  constructor(
    readonly sem: Semantics,
    heapOptions: { heapBytes?: number; gcStress?: boolean; reserveBytes?: number },
    stackWords: number,
  ) {
    this.heap = new Heap(heapOptions);
    this.stk = new Int32Array(stackWords);
    this.initBuiltinClasses();
  }

  // --- roots and collection ---

  addStatic(value: number): number {
    if (this.nstatics === this.statics.length) {
      const bigger = new Int32Array(2 * this.statics.length);
      bigger.set(this.statics);
      this.statics = bigger;
    }
    this.statics[this.nstatics] = value;
    return this.nstatics++;
  }

  /** Milliseconds spent collecting (the JIT's statistics report it). */
  gcMs = 0;

  /** `extra`: more roots, held outside the interpreter (compiled code's loop state). */
  collectNow(need = 0, extra?: Int32Array): void {
    const start = performance.now();
    const roots = [
      { refs: this.stk, from: 0, to: this.sp },
      { refs: this.globals, from: 0, to: this.globals.length },
      { refs: this.statics, from: 0, to: this.nstatics },
    ];
    if (extra) roots.push({ refs: extra, from: 0, to: extra.length });
    collect(this.heap, roots, need);
    this.gcMs += performance.now() - start;
  }

  /**
   * Makes sure `bytes` more can be allocated in this bytecode (collecting if needed). Only
   * while the caller holds no heap address in a JS variable: re-read operands from the stack after.
   */
  reserve(bytes: number): void {
    const heap = this.heap;
    if (heap.hp + bytes > heap.limit - heap.reserveBytes || heap.gcStress) this.collectNow(bytes);
  }

  // --- classes ---

  private initBuiltinClasses(): void {
    const builtinTypes: [number, string, string | null][] = [
      [C_NONE, 'NoneType', null],
      [C_INT, 'int', null],
      [C_BOOL, 'bool', 'int'],
      [C_FLOAT, 'float', null],
      [C_STR, 'str', null],
      [C_LIST, 'list', null],
      [C_TUPLE, 'tuple', null],
      [C_FUNCTION, 'function', null],
      [C_METHOD, 'method', null],
      [C_TYPE, 'type', null],
      [C_BUILTIN, 'builtin_function_or_method', null],
      [C_MODULE, 'module', null],
      [C_RANGE, 'range', null],
    ];
    for (const [id, name, base] of builtinTypes) this.registerClass(id, name, base ? this.classByName.get(base)! : null, new Map(), false, false);
    this.pyClasses[C_LONG] = this.classByName.get('int');
    for (const [name, base] of EXCEPTION_CLASSES) {
      const cls = this.heap.addClass(name, name, [{ name: 'args', type: 'ref' }]);
      this.registerClass(cls.id, name, base ? this.classByName.get(base)! : null, new Map([['args', 0]]), true, false);
    }
  }

  registerClass(id: number, name: string, base: PyClass | null, fieldSlot: Map<string, number>, isException: boolean, isUser: boolean): PyClass {
    const cls: PyClass = { id, name, base, fieldSlot, nfields: fieldSlot.size, attrs: new Map(), typeStatic: -1, isException, isUser };
    this.pyClasses[id] = cls;
    if (!isUser) this.classByName.set(name, cls);
    const t = this.heap.newObject(C_TYPE);
    this.heap.i32[(t + fieldOffset(0)) >> 2] = id;
    cls.typeStatic = this.addStatic(t);
    return cls;
  }

  classOfType(typeObj: number): PyClass {
    return this.pyClasses[this.heap.i32[(typeObj + 8) >> 2]!]!;
  }

  classOf(v: number): PyClass {
    return this.pyClasses[this.heap.i32[v >> 2]!]!;
  }

  typeName(v: number): string {
    return this.classOf(v).name;
  }

  /** The static index of attribute `name` found on `cls` or its bases, or -1. */
  lookupClassAttr(cls: PyClass, name: string): number {
    for (let c: PyClass | null = cls; c; c = c.base) {
      const k = c.attrs.get(name);
      if (k !== undefined) return k;
    }
    return -1;
  }

  isSubclass(c: PyClass, of: PyClass): boolean {
    for (let x: PyClass | null = c; x; x = x.base) if (x === of) return true;
    return false;
  }

  // --- boxing ---

  newInt(n: number): number {
    const a = this.heap.alloc(16);
    const i32 = this.heap.i32;
    const w = a >> 2;
    i32[w] = C_INT;
    i32[w + 1] = 0;
    i32[w + 2] = n | 0;
    i32[w + 3] = Math.floor(n / TWO32);
    return a;
  }

  boxBig(b: bigint): number {
    if (b >= INT64_MIN && b <= INT64_MAX) {
      const a = this.heap.alloc(16);
      const i32 = this.heap.i32;
      const w = a >> 2;
      i32[w] = C_INT;
      i32[w + 1] = 0;
      i32[w + 2] = Number(BigInt.asIntN(32, b));
      i32[w + 3] = Number(BigInt.asIntN(32, b >> 32n));
      return a;
    }
    const sign = b < 0n ? -1 : 1;
    let mag = b < 0n ? -b : b;
    const limbs: number[] = [];
    while (mag > 0n) {
      limbs.push(Number(mag & 0xffffffffn));
      mag >>= 32n;
    }
    const bytes = 16 + 8 + 8 * limbs.length;
    if (bytes > SMALL_ALLOC / 2) this.reserve(bytes);
    const digits = this.heap.newArray(TAG_INT_ARRAY, limbs.length);
    const i32 = this.heap.i32;
    limbs.forEach((l, k) => {
      i32[(digits >> 2) + 2 + 2 * k] = l | 0;
    });
    const a = this.heap.newObject(C_LONG);
    i32[(a >> 2) + 2] = sign;
    i32[(a >> 2) + 3] = sign >> 31;
    i32[(a >> 2) + 4] = digits;
    return a;
  }

  boxFloat(x: number): number {
    const a = this.heap.alloc(16);
    const w = a >> 2;
    this.heap.i32[w] = C_FLOAT;
    this.heap.i32[w + 1] = 0;
    this.heap.f64[(a >> 3) + 1] = x;
    return a;
  }

  isInt(v: number): boolean {
    const t = this.heap.i32[v >> 2]!;
    return t === C_INT || t === C_BOOL || t === C_LONG;
  }

  /** An int's (or bool's) value. */
  bigOf(v: number): bigint {
    const i32 = this.heap.i32;
    const w = v >> 2;
    const t = i32[w]!;
    if (t === C_INT || t === C_BOOL) return (BigInt(i32[w + 3]!) << 32n) | BigInt(i32[w + 2]! >>> 0);
    const sign = i32[w + 2]!;
    const digits = i32[w + 4]!;
    const n = i32[(digits >> 2) + 1]!;
    let mag = 0n;
    for (let k = n - 1; k >= 0; k--) mag = (mag << 32n) | BigInt(i32[(digits >> 2) + 2 + 2 * k]! >>> 0);
    return sign < 0 ? -mag : mag;
  }

  floatOf(v: number): number {
    return this.heap.f64[(v >> 3) + 1]!;
  }

  newStr(s: string): number {
    if (2 * s.length + 32 > SMALL_ALLOC / 2) this.reserve(2 * s.length + 64);
    const chars = this.heap.newChars(s.length);
    const u16 = this.heap.u16;
    const base = (chars + 8) >> 1;
    for (let k = 0; k < s.length; k++) u16[base + k] = s.charCodeAt(k);
    const a = this.heap.newObject(C_STR);
    this.heap.i32[(a >> 2) + 2] = chars;
    return a;
  }

  strOf(v: number): string {
    const chars = this.heap.i32[(v >> 2) + 2]!;
    const n = this.heap.i32[(chars >> 2) + 1]!;
    const base = (chars + 8) >> 1;
    const u16 = this.heap.u16;
    let out = '';
    for (let k = 0; k < n; k += 8192) out += String.fromCharCode.apply(null, u16.subarray(base + k, base + Math.min(n, k + 8192)) as unknown as number[]);
    return out;
  }

  strLength(v: number): number {
    const chars = this.heap.i32[(v >> 2) + 2]!;
    return this.heap.i32[(chars >> 2) + 1]!;
  }

  /** A tuple of the values in `stk[from, from + n)` (read after allocation: no collection here). */
  newTupleFromStack(from: number, n: number): number {
    const items = this.heap.newArray(TAG_REF_ARRAY, n);
    const i32 = this.heap.i32;
    for (let k = 0; k < n; k++) i32[(items >> 2) + 2 + 2 * k] = this.stk[from + k]!;
    const t = this.heap.newObject(C_TUPLE);
    i32[(t >> 2) + 2] = items;
    return t;
  }

  newTuple(values: readonly number[]): number {
    const items = this.heap.newArray(TAG_REF_ARRAY, values.length);
    const i32 = this.heap.i32;
    values.forEach((v, k) => {
      i32[(items >> 2) + 2 + 2 * k] = v;
    });
    const t = this.heap.newObject(C_TUPLE);
    i32[(t >> 2) + 2] = items;
    return t;
  }

  newList(capacity: number): number {
    const items = this.heap.newArray(TAG_REF_ARRAY, capacity);
    const l = this.heap.newObject(C_LIST);
    this.heap.i32[(l >> 2) + 4] = items;
    return l;
  }

  /** Items of a list or tuple: [items array address, length]. */
  seqLength(v: number): number {
    const i32 = this.heap.i32;
    const w = v >> 2;
    return i32[w] === C_LIST ? i32[w + 2]! : i32[(i32[w + 2]! >> 2) + 1]!;
  }

  seqItems(v: number): number {
    const i32 = this.heap.i32;
    const w = v >> 2;
    return i32[w] === C_LIST ? i32[w + 4]! : i32[w + 2]!;
  }

  seqItem(v: number, k: number): number {
    return this.heap.i32[(this.seqItems(v) >> 2) + 2 + 2 * k]!;
  }

  // --- exceptions ---

  /** An exception object of builtin class `name` with `message` as its one argument ('' = none). */
  newException(name: string, message: string): number {
    const cls = this.classByName.get(name)!;
    const args = message === '' ? this.newTuple([]) : this.newTuple([this.newStr(message)]);
    const e = this.heap.newObject(cls.id);
    this.heap.i32[(e >> 2) + 2] = args;
    return e;
  }

  raise(name: string, message: string): never {
    throw new PyRaise(this.newException(name, message));
  }

  /** The address of the exception a JS throw stands for (a GuestException becomes an object). */
  exceptionOf(e: unknown): number | null {
    if (e instanceof PyRaise) return e.exc;
    if (e instanceof GuestException) return this.newException(e.type, e.message);
    return null;
  }

  // --- text ---

  str(v: number): string {
    const t = this.heap.i32[v >> 2]!;
    if (t === C_STR) return this.strOf(v);
    const cls = this.pyClasses[t];
    if (cls?.isException) {
      const args = this.heap.i32[(v >> 2) + 2]!;
      if (args === 0) return '';
      const n = this.seqLength(args);
      if (n === 0) return '';
      if (n === 1) return this.str(this.seqItem(args, 0));
      return this.repr(args);
    }
    return this.repr(v);
  }

  repr(v: number, depth = 0): string {
    if (depth > MAX_DEPTH) this.raise('RecursionError', 'maximum recursion depth exceeded while getting the repr of an object');
    const i32 = this.heap.i32;
    const t = i32[v >> 2]!;
    switch (t) {
      case C_NONE:
        return 'None';
      case C_BOOL:
        return v === TRUE ? 'True' : 'False';
      case C_INT:
      case C_LONG:
        return this.sem.strInt(this.bigOf(v));
      case C_FLOAT:
        return this.sem.reprFloat(this.floatOf(v));
      case C_STR:
        return this.sem.reprStr(this.strOf(v));
      case C_LIST:
      case C_TUPLE: {
        const n = this.seqLength(v);
        const parts: string[] = [];
        for (let k = 0; k < n; k++) parts.push(this.repr(this.seqItem(v, k), depth + 1));
        if (t === C_LIST) return `[${parts.join(', ')}]`;
        return n === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
      }
      case C_TYPE: {
        const cls = this.classOfType(v);
        return cls.isUser ? `<class '__main__.${cls.name}'>` : `<class '${cls.name}'>`;
      }
      case C_FUNCTION:
        return `<function ${this.functionQualname(v)} at 0x${v.toString(16)}>`;
      case C_METHOD:
        return `<bound method ${this.functionQualname(i32[(v >> 2) + 4]!)} of ${this.repr(i32[(v >> 2) + 2]!, depth + 1)}>`;
      case C_BUILTIN:
        return `<built-in function ${this.builtinName(v)}>`;
      case C_MODULE:
        return `<module '${this.moduleName(v)}' (built-in)>`;
      case C_RANGE: {
        const [start, stop, step] = [this.int64Field(v, 0), this.int64Field(v, 1), this.int64Field(v, 2)];
        return step === 1 ? `range(${start}, ${stop})` : `range(${start}, ${stop}, ${step})`;
      }
    }
    const cls = this.pyClasses[t]!;
    if (cls.isException) {
      const args = i32[(v >> 2) + 2]!;
      const n = args === 0 ? 0 : this.seqLength(args);
      if (n === 1) return `${cls.name}(${this.repr(this.seqItem(args, 0), depth + 1)})`;
      return `${cls.name}${args === 0 ? '()' : this.repr(args, depth + 1)}`;
    }
    return `<__main__.${cls.name} object at 0x${v.toString(16)}>`;
  }

  /** Overridden by the interpreter, which knows the code objects and builtins. */
  functionQualname(_f: number): string {
    return 'function';
  }
  builtinName(_f: number): string {
    return 'builtin';
  }
  moduleName(_m: number): string {
    return 'module';
  }

  /** An int field of an object, as a JS number (ranges and iterators keep |values| < 2^53). */
  int64Field(v: number, k: number): number {
    const w = (v >> 2) + 2 + 2 * k;
    return this.heap.i32[w + 1]! * TWO32 + (this.heap.i32[w]! >>> 0);
  }

  setInt64Field(v: number, k: number, n: number): void {
    const w = (v >> 2) + 2 + 2 * k;
    this.heap.i32[w] = n | 0;
    this.heap.i32[w + 1] = Math.floor(n / TWO32);
  }

  // --- truth, equality, order ---

  truthy(v: number): boolean {
    if (v === TRUE) return true;
    if (v === FALSE || v === NONE) return false;
    const i32 = this.heap.i32;
    const w = v >> 2;
    switch (i32[w]) {
      case C_INT:
        return i32[w + 2] !== 0 || i32[w + 3] !== 0;
      case C_LONG:
        return true;
      case C_FLOAT:
        return this.floatOf(v) !== 0;
      case C_STR:
        return this.strLength(v) !== 0;
      case C_LIST:
      case C_TUPLE:
        return this.seqLength(v) !== 0;
      case C_RANGE:
        return this.rangeLength(v) !== 0;
      default:
        return true;
    }
  }

  rangeLength(r: number): number {
    const start = this.int64Field(r, 0);
    const stop = this.int64Field(r, 1);
    const step = this.int64Field(r, 2);
    if (step > 0) return start < stop ? Math.floor((stop - start - 1) / step) + 1 : 0;
    return start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
  }

  bool(b: boolean): number {
    return b ? TRUE : FALSE;
  }

  isNumber(v: number): boolean {
    const t = this.heap.i32[v >> 2]!;
    return t === C_INT || t === C_BOOL || t === C_LONG || t === C_FLOAT;
  }

  /** `a == b`. */
  equals(a: number, b: number, depth = 0): boolean {
    if (a === b) {
      // nan != nan even as the same object? CPython's list compare uses identity first; == on one float object is False for nan.
      if (this.heap.i32[a >> 2] === C_FLOAT) return this.floatOf(a) === this.floatOf(a);
      return true;
    }
    if (depth > MAX_DEPTH) this.raise('RecursionError', 'maximum recursion depth exceeded in comparison');
    const ta = this.heap.i32[a >> 2]!;
    const tb = this.heap.i32[b >> 2]!;
    if (this.isNumber(a) && this.isNumber(b)) return this.compareNumbers(a, b) === 0;
    if (ta === C_STR && tb === C_STR) return this.strOf(a) === this.strOf(b);
    if ((ta === C_LIST && tb === C_LIST) || (ta === C_TUPLE && tb === C_TUPLE)) {
      const n = this.seqLength(a);
      if (n !== this.seqLength(b)) return false;
      for (let k = 0; k < n; k++) {
        const x = this.seqItem(a, k);
        const y = this.seqItem(b, k);
        if (x !== y && !this.equals(x, y, depth + 1)) return false;
      }
      return true;
    }
    if (ta === C_RANGE && tb === C_RANGE) return this.repr(a) === this.repr(b);
    return false;
  }

  /** Three-way comparison of two numbers: -1, 0, 1, or NaN (a nan is involved). */
  compareNumbers(a: number, b: number): number {
    const fa = this.heap.i32[a >> 2] === C_FLOAT;
    const fb = this.heap.i32[b >> 2] === C_FLOAT;
    if (fa && fb) {
      const x = this.floatOf(a);
      const y = this.floatOf(b);
      return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
    }
    if (!fa && !fb) {
      const x = this.bigOf(a);
      const y = this.bigOf(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (fb) return this.sem.compareIntFloat(this.bigOf(a), this.floatOf(b));
    return -this.sem.compareIntFloat(this.bigOf(b), this.floatOf(a));
  }

  /** `a < b` style ordering: `op` is '<', '<=', '>', '>='. */
  order(a: number, b: number, op: string, depth = 0): boolean {
    const ta = this.heap.i32[a >> 2]!;
    const tb = this.heap.i32[b >> 2]!;
    let c: number;
    if (this.isNumber(a) && this.isNumber(b)) c = this.compareNumbers(a, b);
    else if (ta === C_STR && tb === C_STR) {
      const x = this.strOf(a);
      const y = this.strOf(b);
      c = x < y ? -1 : x > y ? 1 : 0;
    } else if ((ta === C_LIST && tb === C_LIST) || (ta === C_TUPLE && tb === C_TUPLE)) {
      if (depth > MAX_DEPTH) this.raise('RecursionError', 'maximum recursion depth exceeded in comparison');
      const n = this.seqLength(a);
      const m = this.seqLength(b);
      for (let k = 0; k < n && k < m; k++) {
        const x = this.seqItem(a, k);
        const y = this.seqItem(b, k);
        if (x === y || this.equals(x, y, depth + 1)) continue;
        return this.order(x, y, op, depth + 1);
      }
      c = n < m ? -1 : n > m ? 1 : 0;
    } else {
      return this.raise('TypeError', `'${op}' not supported between instances of '${this.typeName(a)}' and '${this.typeName(b)}'`);
    }
    switch (op) {
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      default:
        return c >= 0;
    }
  }

  /** `needle in haystack`. */
  contains(haystack: number, needle: number): boolean {
    const t = this.heap.i32[haystack >> 2]!;
    if (t === C_LIST || t === C_TUPLE) {
      const n = this.seqLength(haystack);
      for (let k = 0; k < n; k++) {
        const x = this.seqItem(haystack, k);
        if (x === needle || this.equals(x, needle)) return true;
      }
      return false;
    }
    if (t === C_STR) {
      if (this.heap.i32[needle >> 2] !== C_STR) this.raise('TypeError', `'in <string>' requires string as left operand, not ${this.typeName(needle)}`);
      return this.strOf(haystack).includes(this.strOf(needle));
    }
    if (t === C_RANGE) {
      if (!this.isInt(needle)) {
        const n = this.rangeLength(haystack);
        const start = this.int64Field(haystack, 0);
        const step = this.int64Field(haystack, 2);
        for (let k = 0; k < n; k++) if (this.isNumber(needle) && this.compareNumbers(needle, this.newInt(start + k * step)) === 0) return true;
        return false;
      }
      const x = Number(this.bigOf(needle));
      const start = this.int64Field(haystack, 0);
      const step = this.int64Field(haystack, 2);
      const n = this.rangeLength(haystack);
      const k = (x - start) / step;
      return Number.isInteger(k) && k >= 0 && k < n;
    }
    return this.raise('TypeError', `argument of type '${this.typeName(haystack)}' is not iterable`);
  }
}
