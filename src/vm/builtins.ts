/**
 * The builtin functions, builtin methods and modules (math, time, sys) of the guest language:
 * one table as data, each entry a function of its arguments on the interpreter's stack.
 *
 * A builtin reads its arguments from `stk[at, at + n)` (roots), may allocate within the
 * bytecode's RESERVE, and calls `rt.reserve` only before reading its arguments (a collection
 * moves them). It returns the result's address or throws a guest exception.
 */
import * as H from './heap.ts';
// Local copies: an imported binding is a live-binding access on every use (a getter under
// the TS loaders); these are read in the hottest paths.
const C_FLOAT = H.C_FLOAT;
const C_INT = H.C_INT;
const C_LIST = H.C_LIST;
const C_LONG = H.C_LONG;
const C_BOOL = H.C_BOOL;
const C_RANGE = H.C_RANGE;
const C_STR = H.C_STR;
const C_TUPLE = H.C_TUPLE;
const C_TYPE = H.C_TYPE;
const NONE = H.NONE;
const TAG_REF_ARRAY = H.TAG_REF_ARRAY;
import type { Runtime } from './runtime.ts';

export type BuiltinFn = (rt: Runtime & BuiltinHost, at: number, n: number) => number;

/** What builtins need from the interpreter besides the runtime. */
export interface BuiltinHost {
  write(text: string): void;
  readonly argv: readonly string[];
  readonly file: string;
}

const arity = (name: string, n: number, min: number, max: number, rt: Runtime): void => {
  if (n < min || n > max) {
    if (min === max) rt.raise('TypeError', `${name}() takes exactly ${min === 1 ? 'one argument' : `${min} arguments`} (${n} given)`);
    if (n < min) rt.raise('TypeError', `${name} expected at least ${min} argument${min === 1 ? '' : 's'}, got ${n}`);
    rt.raise('TypeError', `${name} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${n}`);
  }
};

/** An int argument as a JS number (|x| < 2^53), or TypeError as CPython's index conversions say. */
export function indexArg(rt: Runtime, v: number): number {
  if (!rt.isInt(v)) rt.raise('TypeError', `'${rt.typeName(v)}' object cannot be interpreted as an integer`);
  const b = rt.bigOf(v);
  if (b > 2n ** 53n || b < -(2n ** 53n)) rt.raise('OverflowError', 'Python int too large to convert to C ssize_t');
  return Number(b);
}

function toFloat(rt: Runtime, v: number, what: string): number {
  const t = rt.heap.i32[v >> 2]!;
  if (t === C_FLOAT) return rt.floatOf(v);
  if (t === C_INT || t === C_BOOL || t === C_LONG) return rt.sem.intToFloat(rt.bigOf(v));
  return rt.raise('TypeError', what === 'float' ? `float() argument must be a string or a real number, not '${rt.typeName(v)}'` : `must be real number, not ${rt.typeName(v)}`);
}

function minmax(rt: Runtime, at: number, n: number, name: 'min' | 'max'): number {
  if (n === 0) rt.raise('TypeError', `${name} expected at least 1 argument, got 0`);
  let items: number[];
  if (n === 1) {
    rt.reserve(64 + 16 * sizeHint(rt, rt.stk[at]!));
    items = iterate(rt, rt.stk[at]!);
    if (items.length === 0) rt.raise('ValueError', `${name}() arg is an empty sequence`);
  } else {
    items = Array.from(rt.stk.subarray(at, at + n));
  }
  let best = items[0]!;
  for (let k = 1; k < items.length; k++) {
    const x = items[k]!;
    if (name === 'max' ? rt.order(x, best, '>') : rt.order(x, best, '<')) best = x;
  }
  return best;
}

/** The items of an iterable (list, tuple, str, range) as addresses; allocates for str/range. */
export function iterate(rt: Runtime, v: number): number[] {
  const t = rt.heap.i32[v >> 2]!;
  if (t === C_LIST || t === C_TUPLE) {
    const n = rt.seqLength(v);
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(rt.seqItem(v, k));
    return out;
  }
  if (t === C_STR) return [...rt.strOf(v)].map((c) => rt.newStr(c));
  if (t === C_RANGE) {
    const n = rt.rangeLength(v);
    const start = rt.int64Field(v, 0);
    const step = rt.int64Field(v, 2);
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(rt.newInt(start + k * step));
    return out;
  }
  return rt.raise('TypeError', `'${rt.typeName(v)}' object is not iterable`);
}

export const BUILTIN_FUNCTIONS: readonly (readonly [string, BuiltinFn])[] = [
  [
    'print',
    (rt, at, n) => {
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(rt.str(rt.stk[at + k]!));
      rt.write(`${parts.join(' ')}\n`);
      return NONE;
    },
  ],
  [
    'len',
    (rt, at, n) => {
      arity('len', n, 1, 1, rt);
      const v = rt.stk[at]!;
      const t = rt.heap.i32[v >> 2]!;
      if (t === C_STR) return rt.newInt(rt.strLength(v));
      if (t === C_LIST || t === C_TUPLE) return rt.newInt(rt.seqLength(v));
      if (t === C_RANGE) return rt.newInt(rt.rangeLength(v));
      return rt.raise('TypeError', `object of type '${rt.typeName(v)}' has no len()`);
    },
  ],
  [
    'abs',
    (rt, at, n) => {
      arity('abs', n, 1, 1, rt);
      const v = rt.stk[at]!;
      const t = rt.heap.i32[v >> 2]!;
      if (t === C_FLOAT) return rt.boxFloat(Math.abs(rt.floatOf(v)));
      if (t === C_INT || t === C_BOOL || t === C_LONG) {
        const b = rt.bigOf(v);
        return rt.boxBig(b < 0n ? rt.sem.intNeg(b) : b);
      }
      return rt.raise('TypeError', `bad operand type for abs(): '${rt.typeName(v)}'`);
    },
  ],
  ['min', (rt, at, n) => minmax(rt, at, n, 'min')],
  ['max', (rt, at, n) => minmax(rt, at, n, 'max')],
  [
    'isinstance',
    (rt, at, n) => {
      arity('isinstance', n, 2, 2, rt);
      const v = rt.stk[at]!;
      const c = rt.stk[at + 1]!;
      const classes = rt.heap.i32[c >> 2] === C_TUPLE ? iterate(rt, c) : [c];
      const mine = rt.classOf(v);
      for (const k of classes) {
        if (rt.heap.i32[k >> 2] !== C_TYPE) rt.raise('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
        if (rt.isSubclass(mine, rt.classOfType(k))) return rt.bool(true);
      }
      return rt.bool(false);
    },
  ],
  [
    'repr',
    (rt, at, n) => {
      arity('repr', n, 1, 1, rt);
      return rt.newStr(rt.repr(rt.stk[at]!));
    },
  ],
];

/** Calling a builtin type: int(x), float(x), str(x), bool(x), list(x), tuple(x). */
export const TYPE_CONSTRUCTORS: ReadonlyMap<string, BuiltinFn> = new Map<string, BuiltinFn>([
  [
    'range',
    (rt, at, n) => {
      if (n === 0) rt.raise('TypeError', 'range expected at least 1 argument, got 0');
      if (n > 3) rt.raise('TypeError', `range expected at most 3 arguments, got ${n}`);
      const args = Array.from(rt.stk.subarray(at, at + n), (v) => indexArg(rt, v));
      const [start, stop, step] = n === 1 ? [0, args[0]!, 1] : [args[0]!, args[1]!, n === 3 ? args[2]! : 1];
      if (step === 0) rt.raise('ValueError', 'range() arg 3 must not be zero');
      const r = rt.heap.newObject(C_RANGE);
      rt.setInt64Field(r, 0, start);
      rt.setInt64Field(r, 1, stop);
      rt.setInt64Field(r, 2, step);
      return r;
    },
  ],
  [
    'int',
    (rt, at, n) => {
      if (n === 0) return rt.newInt(0);
      if (n > 1) rt.raise('TypeError', 'int() base is not supported');
      const v = rt.stk[at]!;
      const t = rt.heap.i32[v >> 2]!;
      if (t === C_INT || t === C_LONG) return v;
      if (t === C_BOOL) return rt.newInt(rt.truthy(v) ? 1 : 0);
      if (t === C_FLOAT) return rt.boxBig(rt.sem.intFromFloat(rt.floatOf(v)));
      if (t === C_STR) return rt.boxBig(rt.sem.intFromString(rt.strOf(v)));
      return rt.raise('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${rt.typeName(v)}'`);
    },
  ],
  [
    'float',
    (rt, at, n) => {
      if (n === 0) return rt.boxFloat(0);
      arity('float', n, 0, 1, rt);
      const v = rt.stk[at]!;
      const t = rt.heap.i32[v >> 2]!;
      if (t === C_FLOAT) return v;
      if (t === C_STR) return rt.boxFloat(rt.sem.floatFromString(rt.strOf(v)));
      return rt.boxFloat(toFloat(rt, v, 'float'));
    },
  ],
  [
    'str',
    (rt, at, n) => {
      if (n === 0) return rt.newStr('');
      arity('str', n, 0, 1, rt);
      const v = rt.stk[at]!;
      if (rt.heap.i32[v >> 2] === C_STR) return v;
      return rt.newStr(rt.str(v));
    },
  ],
  [
    'bool',
    (rt, at, n) => {
      if (n === 0) return rt.bool(false);
      arity('bool', n, 0, 1, rt);
      return rt.bool(rt.truthy(rt.stk[at]!));
    },
  ],
  [
    'list',
    (rt, at, n) => {
      if (n === 0) return rt.newList(0);
      arity('list', n, 0, 1, rt);
      rt.reserve(64 + 16 * sizeHint(rt, rt.stk[at]!));
      const items = iterate(rt, rt.stk[at]!);
      const l = rt.newList(items.length);
      const arr = rt.heap.i32[(l >> 2) + 4]!;
      items.forEach((x, k) => {
        rt.heap.i32[(arr >> 2) + 2 + 2 * k] = x;
      });
      rt.heap.i32[(l >> 2) + 2] = items.length;
      return l;
    },
  ],
  [
    'tuple',
    (rt, at, n) => {
      if (n === 0) return rt.newTuple([]);
      arity('tuple', n, 0, 1, rt);
      rt.reserve(64 + 16 * sizeHint(rt, rt.stk[at]!));
      const v = rt.stk[at]!;
      if (rt.heap.i32[v >> 2] === C_TUPLE) return v;
      return rt.newTuple(iterate(rt, v));
    },
  ],
]);

function sizeHint(rt: Runtime, v: number): number {
  const t = rt.heap.i32[v >> 2]!;
  if (t === C_LIST || t === C_TUPLE) return rt.seqLength(v);
  if (t === C_STR) return 4 * rt.strLength(v);
  if (t === C_RANGE) return 2 * rt.rangeLength(v);
  return 0;
}

/** Methods of builtin types: [type name, method name, function with self as its first argument]. */
export const BUILTIN_METHODS: readonly (readonly [string, string, BuiltinFn])[] = [
  [
    'object',
    '__init__',
    (rt, _at, n) => {
      if (n !== 1) rt.raise('TypeError', 'object.__init__() takes exactly one argument (the instance to initialize)');
      return NONE;
    },
  ],
  [
    'BaseException',
    '__init__',
    (rt, at, n) => {
      // BaseException.__init__(self, *args): args = the arguments after self.
      const self = rt.stk[at]!;
      if (!rt.classOf(self).isException) rt.raise('TypeError', `descriptor '__init__' requires a 'BaseException' object but received a '${rt.typeName(self)}'`);
      const args = rt.newTupleFromStack(at + 1, n - 1);
      rt.heap.i32[(rt.stk[at]! >> 2) + 2] = args;
      return NONE;
    },
  ],
  [
    'list',
    'append',
    (rt, at, n) => {
      if (n !== 2) rt.raise('TypeError', `list.append() takes exactly one argument (${n - 1} given)`);
      const i32 = rt.heap.i32;
      let l = rt.stk[at]!;
      const length = i32[(l >> 2) + 2]!;
      const capacity = i32[(i32[(l >> 2) + 4]! >> 2) + 1]!;
      if (length === capacity) {
        const bigger = Math.max(4, 2 * capacity);
        rt.reserve(8 + 8 * bigger);
        l = rt.stk[at]!;
        const items = rt.heap.newArray(TAG_REF_ARRAY, bigger);
        const h = rt.heap.i32;
        const old = h[(l >> 2) + 4]!;
        h.copyWithin((items >> 2) + 2, (old >> 2) + 2, (old >> 2) + 2 + 2 * length);
        h[(l >> 2) + 4] = items;
      }
      const h = rt.heap.i32;
      const items = h[(l >> 2) + 4]!;
      h[(items >> 2) + 2 + 2 * length] = rt.stk[at + 1]!;
      h[(l >> 2) + 2] = length + 1;
      return NONE;
    },
  ],
  [
    'list',
    'pop',
    (rt, at, n) => {
      if (n > 2) rt.raise('TypeError', `pop expected at most 1 argument, got ${n - 1}`);
      const l = rt.stk[at]!;
      const i32 = rt.heap.i32;
      const length = i32[(l >> 2) + 2]!;
      if (length === 0) rt.raise('IndexError', 'pop from empty list');
      let k = length - 1;
      if (n === 2) {
        k = indexArg(rt, rt.stk[at + 1]!);
        if (k < 0) k += length;
        if (k < 0 || k >= length) rt.raise('IndexError', 'pop index out of range');
      }
      const items = i32[(l >> 2) + 4]!;
      const w = (items >> 2) + 2;
      const v = i32[w + 2 * k]!;
      i32.copyWithin(w + 2 * k, w + 2 * k + 2, w + 2 * length);
      i32[w + 2 * (length - 1)] = 0;
      i32[(l >> 2) + 2] = length - 1;
      return v;
    },
  ],
];

export type ModuleValue = { kind: 'float'; value: number } | { kind: 'fn'; fn: BuiltinFn } | { kind: 'argv' };

const mathFn =
  (name: string, f: (rt: Runtime, x: number) => number): BuiltinFn =>
  (rt, at, n) => {
    arity(`math.${name}`, n, 1, 1, rt);
    return rt.boxFloat(f(rt, toFloat(rt, rt.stk[at]!, name)));
  };

export const MODULE_ATTRS: ReadonlyMap<string, ReadonlyMap<string, ModuleValue>> = new Map([
  [
    'math',
    new Map<string, ModuleValue>([
      ['pi', { kind: 'float', value: Math.PI }],
      ['e', { kind: 'float', value: Math.E }],
      ['sqrt', { kind: 'fn', fn: mathFn('sqrt', (rt, x) => rt.sem.mathSqrt(x)) }],
      ['sin', { kind: 'fn', fn: mathFn('sin', (rt, x) => rt.sem.mathSin(x)) }],
      ['cos', { kind: 'fn', fn: mathFn('cos', (rt, x) => rt.sem.mathCos(x)) }],
      [
        'floor',
        {
          kind: 'fn',
          fn: (rt, at, n) => {
            arity('floor', n, 1, 1, rt);
            const v = rt.stk[at]!;
            if (rt.isInt(v)) return rt.heap.i32[v >> 2] === C_BOOL ? rt.newInt(rt.truthy(v) ? 1 : 0) : v;
            return rt.boxBig(rt.sem.mathFloor(toFloat(rt, v, 'floor')));
          },
        },
      ],
    ]),
  ],
  [
    'time',
    new Map<string, ModuleValue>([
      [
        'perf_counter',
        {
          kind: 'fn',
          fn: (rt, _at, n) => {
            arity('perf_counter', n, 0, 0, rt);
            return rt.boxFloat(performance.now() / 1000);
          },
        },
      ],
    ]),
  ],
  ['sys', new Map<string, ModuleValue>([['argv', { kind: 'argv' }]])],
]);
