/**
 * The op table: every operation of the trace IR, declared once, as data.
 *
 * Parser, printer, validator, reference interpreter and wasm emitter all dispatch from this
 * table (the latter three through exhaustive `{ [K in OpName]: … }` records, so that adding an
 * op here fails `tsc` until each of them handles it).
 *
 * Operand kinds:
 *   'int' | 'float' | 'ref'  a value of that type (a variable or a constant)
 *   'any'                    a value of any type (`guard_value`: both operands share one type)
 *   'class'                  a class name                       (descr)
 *   'field'                  a field name, `Class.field` if ambiguous (descr)
 *   'elem'                   an array element type: int, float or ref (descr)
 * `variadic` ops (escape, label, jump, finish) take any number of values of any type.
 *
 * Result: a value type, 'field' (the type of the field descr), 'elem' (the element type descr)
 * or null for ops that produce nothing.
 *
 * Effects (what an optimizer may do with an op): orthogonal flags, each a fact about the op's
 * meaning that holds for every operand. A pass derives its behaviour from these flags alone,
 * except where it decides per op in an exhaustive `{ [K in OpName]: … }` record or knows a few
 * ops by name (a rule for getfield, say); an op it does not know gets the conservative
 * treatment its flags imply (heap caches forgotten across a write or a call, virtual operands
 * allocated, never dropped unless pure). Absent flags are false.
 *   pure        no effect, result depends only on the operands: may be folded, shared, dropped
 *               if unused
 *   overflow    sets the overflow flag read by the guard that must follow it (else pure)
 *   readsHeap   its result depends on the heap (never changes it)
 *   writesHeap  'target': changes only the object or array that is its first operand;
 *               'any': may change any object the trace can reach
 *   allocates   returns a fresh object nothing else refers to
 *   escapes     its operands (and all they reach) escape: code outside the trace may keep, read
 *               and write them from then on (an opaque call)
 *   exits       a guard: leaves the trace (with its exit's values) when its condition fails
 *   terminator  ends the trace (jump, finish)
 *   loopHeader  the label: a back-edge target; values it takes are rebound on every iteration
 */

export type Type = 'int' | 'float' | 'ref';
export type OperandKind = Type | 'any' | 'class' | 'field' | 'elem';
export type ResultKind = Type | 'field' | 'elem' | null;

export interface Effects {
  readonly pure?: true;
  readonly overflow?: true;
  readonly readsHeap?: true;
  readonly writesHeap?: 'target' | 'any';
  readonly allocates?: true;
  readonly escapes?: true;
  readonly exits?: true;
  readonly terminator?: true;
  readonly loopHeader?: true;
}

/**
 * The flags `set` lists, as a record with every flag present (unset ones undefined) in one order.
 * Every op of the table shares that one object shape: a pass reads a flag of op after op at one
 * site (effectsOf is in the optimizer's inner loops), and objects of one hidden class keep that
 * load monomorphic, where literals listing only their own flags made nine shapes.
 */
function flags(set: Effects): Effects {
  return {
    pure: set.pure,
    overflow: set.overflow,
    readsHeap: set.readsHeap,
    writesHeap: set.writesHeap,
    allocates: set.allocates,
    escapes: set.escapes,
    exits: set.exits,
    terminator: set.terminator,
    loopHeader: set.loopHeader,
  };
}

const PURE = flags({ pure: true });
const READ = flags({ readsHeap: true });
const ALLOC = flags({ allocates: true });
const WRITE_TARGET = flags({ writesHeap: 'target' });
const EXITS = flags({ exits: true });

export interface OpInfo {
  readonly operands: readonly OperandKind[];
  readonly variadic?: true;
  readonly result: ResultKind;
  readonly effects: Effects;
  readonly doc: string;
}

const I: OperandKind = 'int';
const F: OperandKind = 'float';
const R: OperandKind = 'ref';

function intBinary(doc: string): OpInfo {
  return { operands: [I, I], result: 'int', effects: PURE, doc };
}
function intCompare(doc: string): OpInfo {
  return { operands: [I, I], result: 'int', effects: PURE, doc: `${doc}: 1 or 0` };
}
function floatBinary(doc: string): OpInfo {
  return { operands: [F, F], result: 'float', effects: PURE, doc };
}
function floatCompare(doc: string): OpInfo {
  return { operands: [F, F], result: 'int', effects: PURE, doc: `${doc} (IEEE: false on NaN but for ne): 1 or 0` };
}
function ovf(doc: string): OpInfo {
  return { operands: [I, I], result: 'int', effects: flags({ overflow: true }), doc: `${doc}, wrapping; sets the overflow flag` };
}
function guard(operands: readonly OperandKind[], doc: string): OpInfo {
  return { operands, result: null, effects: EXITS, doc: `exit unless ${doc}` };
}

export const OPS = {
  // --- int (64-bit two's complement, wrapping; every op is total) ---
  int_add: intBinary('a + b'),
  int_sub: intBinary('a - b'),
  int_mul: intBinary('a * b'),
  int_floordiv: intBinary('floor(a / b) (Python //); 0 when b = 0; MIN // -1 = MIN'),
  int_mod: intBinary('a - b * floor(a / b) (Python %, sign of b); 0 when b = 0'),
  int_and: intBinary('bitwise and'),
  int_or: intBinary('bitwise or'),
  int_xor: intBinary('bitwise xor'),
  int_lshift: intBinary('a << (b & 63)'),
  int_rshift: intBinary('a >> (b & 63), arithmetic'),
  int_neg: { operands: [I], result: 'int', effects: PURE, doc: '-a, wrapping' },
  int_lt: intCompare('a < b'),
  int_le: intCompare('a <= b'),
  int_eq: intCompare('a == b'),
  int_ne: intCompare('a != b'),
  int_gt: intCompare('a > b'),
  int_ge: intCompare('a >= b'),
  int_add_ovf: ovf('a + b'),
  int_sub_ovf: ovf('a - b'),
  int_mul_ovf: ovf('a * b'),

  // --- float (IEEE double) ---
  float_add: floatBinary('a + b'),
  float_sub: floatBinary('a - b'),
  float_mul: floatBinary('a * b'),
  float_truediv: floatBinary('a / b (IEEE)'),
  float_neg: { operands: [F], result: 'float', effects: PURE, doc: '-a' },
  float_abs: { operands: [F], result: 'float', effects: PURE, doc: '|a|' },
  float_sqrt: {
    operands: [F],
    result: 'float',
    effects: PURE,
    doc: 'IEEE square root, correctly rounded: -0.0 for -0.0, NaN for NaN and for a < 0',
  },
  float_pow: floatBinary("a ** b as C's pow, correctly rounded (libm.ts): total, inf or NaN where C gives them"),
  float_sin: { operands: [F], result: 'float', effects: PURE, doc: 'sine, correctly rounded (libm.ts): NaN for inf and NaN' },
  float_cos: { operands: [F], result: 'float', effects: PURE, doc: 'cosine, correctly rounded (libm.ts): NaN for inf and NaN' },
  float_lt: floatCompare('a < b'),
  float_le: floatCompare('a <= b'),
  float_eq: floatCompare('a == b'),
  float_ne: floatCompare('a != b'),
  float_gt: floatCompare('a > b'),
  float_ge: floatCompare('a >= b'),
  cast_int_to_float: { operands: [I], result: 'float', effects: PURE, doc: 'nearest double' },
  cast_float_to_int: {
    operands: [F],
    result: 'int',
    effects: PURE,
    doc: 'truncate toward zero; NaN gives 0; saturates at the int64 bounds',
  },

  // --- heap ---
  new: { operands: ['class'], result: 'ref', effects: ALLOC, doc: 'fresh object, fields zeroed' },
  getfield: { operands: [R, 'field'], result: 'field', effects: READ, doc: 'read a field' },
  setfield: { operands: [R, 'field', 'any'], result: null, effects: WRITE_TARGET, doc: 'write a field' },
  new_array: {
    operands: [I, 'elem'],
    result: 'ref',
    effects: ALLOC,
    doc: 'fresh array of n zeroed items (n < 0 counts as 0)',
  },
  getarrayitem: { operands: [R, I, 'elem'], result: 'elem', effects: READ, doc: 'read an item' },
  setarrayitem: { operands: [R, I, 'any'], result: null, effects: WRITE_TARGET, doc: 'write an item' },
  arraylen: { operands: [R], result: 'int', effects: READ, doc: 'length of an array' },
  ptr_eq: { operands: [R, R], result: 'int', effects: PURE, doc: 'same object (or both null): 1 or 0' },
  ptr_ne: { operands: [R, R], result: 'int', effects: PURE, doc: 'not the same object: 1 or 0' },

  // --- guards ---
  guard_true: guard([I], 'a != 0'),
  guard_false: guard([I], 'a == 0'),
  guard_class: guard([R, 'class'], 'a is non-null and exactly of class C'),
  guard_value: guard(['any', 'any'], 'a == b (same type; refs by identity; floats as Object.is: NaN equals NaN, -0.0 differs from 0.0)'),
  guard_nonnull: guard([R], 'a is not null'),
  guard_isnull: guard([R], 'a is null'),
  guard_no_overflow: guard([], 'the preceding *_ovf op did not overflow'),
  guard_overflow: guard([], 'the preceding *_ovf op overflowed'),

  // --- calls ---
  escape: {
    operands: [],
    variadic: true,
    result: null,
    effects: flags({ readsHeap: true, writesHeap: 'any', escapes: true }),
    doc: 'opaque residual call: logs its arguments, everything reachable escapes, escaped int fields change',
  },

  // --- control ---
  label: {
    operands: [],
    variadic: true,
    result: null,
    effects: flags({ loopHeader: true }),
    doc: 'loop header; what precedes it is the preamble; counts as a back-edge for fuel',
  },
  jump: {
    operands: [],
    variadic: true,
    result: null,
    effects: flags({ terminator: true }),
    doc: 'back-edge: to the label, or to the trace start; ends the trace',
  },
  finish: { operands: [], variadic: true, result: null, effects: flags({ terminator: true }), doc: 'leave the trace with these values' },
} as const satisfies Record<string, OpInfo>;

export type OpName = keyof typeof OPS;

export const OP_NAMES: readonly OpName[] = Object.keys(OPS) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

export function opInfo(name: OpName): OpInfo {
  return OPS[name];
}

/**
 * The table's effect flags by name. A Map, because effectsOf is in the optimizer's inner loops and
 * V8 looks a computed key up in a Map in about half the time it takes in a 59-property object
 * literal (a micro-benchmark over the table's names). The table's own entries are fixed (`as
 * const`); an op added to OPS at run time is not here and is read from OPS.
 */
const EFFECTS = new Map<string, Effects>(Object.entries(OPS).map(([name, info]) => [name, (info as OpInfo).effects]));

/** The op's effect flags, typed as `Effects` (the table's literal types list only the flags set). */
export function effectsOf(name: OpName): Effects {
  return EFFECTS.get(name) ?? (OPS[name] as OpInfo).effects;
}

export function isGuard(name: OpName): boolean {
  return effectsOf(name).exits === true;
}

/** Ops whose only meaning is their result: droppable when the result is unused. */
export function isPure(name: OpName): boolean {
  return effectsOf(name).pure === true;
}

/**
 * Ops that may be dropped when their result is unused: pure ops, heap reads (no effect; a read
 * that would be undefined behaviour only becomes defined) and allocations (a fresh object no one
 * refers to is not observable). Everything else acts, and stays.
 */
export function isRemovableWhenUnused(name: OpName): boolean {
  const e = effectsOf(name);
  const acts = e.overflow || e.writesHeap || e.escapes || e.exits || e.terminator || e.loopHeader;
  return !acts && (e.pure === true || e.readsHeap === true || e.allocates === true);
}

/** Whether the op may change heap contents other than through a first-operand write the pass tracks. */
export function mayWriteAnything(name: OpName): boolean {
  const e = effectsOf(name);
  return e.writesHeap === 'any' || e.escapes === true;
}
