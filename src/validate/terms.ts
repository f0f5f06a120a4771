/**
 * Hash-consed symbolic terms for translation validation, folded with the IR's exact arithmetic.
 *
 * Invariant: two terms built from the same operator and the same (canonical) arguments are the
 * same object, so most values of an input trace and of its optimized form meet as identical
 * terms, and comparing them is comparing pointers. Folding follows the op table's meaning
 * (src/ir/ops.ts: 64-bit wrapping ints, Python floor division and modulo, masked shifts, IEEE
 * floats, saturating float-to-int casts). It is written here on its own, from the op table's
 * documentation and the reference interpreter's definition, and shares no code with the
 * optimizer's evaluator: a validator that borrowed the optimizer's shortcuts would prove its
 * mistakes.
 *
 * Rewrites are equalities that hold for every value (x + 0 = x, x - x = 0, commutative
 * arguments in a fixed order, constant chains x + c1 + c2 = x + (c1 + c2)); none depends on a
 * path condition. Comparisons are normalized to few atoms (`a > b` is `b < a`, `a != b` is
 * `not(a == b)`), so a guard and its negation meet.
 *
 * Alias decisions. Two unknown values (two input refs, two array indexes) may or may not be
 * equal; the validator decides by case split (validate.ts): a decision "equal" makes the later
 * term an alias of the earlier one from the moment it is built (its `rep`), "different" answers
 * the question. An undecided question throws `Fork`, and the driver reruns with both answers.
 * Term ids are allocated in build order, which is the same in every rerun with the same earlier
 * decisions, so a decision names its terms by id (constants by value).
 */
import type { Type } from '../ir/index.ts';

export type Sort = Type;

export interface Term {
  readonly id: number;
  readonly op: string;
  readonly sort: Sort;
  readonly args: readonly Term[];
  /** Constants: the value. */
  readonly value?: bigint | number;
  /** Symbols, allocations, heap reads: the name or field key. */
  readonly name?: string;
  /** An alias decided equal: the term this one stands for. */
  rep?: Term;
}

/** Thrown when a question about two values' equality has no decision yet. */
export class Fork extends Error {
  constructor(
    readonly key: string,
    readonly about: string,
  ) {
    super(`undecided: ${about}`);
  }
}

/** A decision the driver made: the two stable keys, and whether they are equal. */
export interface Decision {
  readonly a: string;
  readonly b: string;
  readonly equal: boolean;
}

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Ops whose two arguments commute exactly (IEEE addition and multiplication do). */
const COMMUTATIVE = new Set(['int_add', 'int_mul', 'int_and', 'int_or', 'int_xor', 'int_eq', 'ptr_eq', 'float_add', 'float_mul', 'float_eq', 'same_float']);

/** Ops whose value is 0 or 1: the operand of `not`. */
const BOOLEAN = new Set(['int_lt', 'int_eq', 'ptr_eq', 'float_lt', 'float_le', 'float_eq', 'same_float', 'not', 'is_class', 'is_array', 'in_bounds', 'size_ok', 'ovf_add', 'ovf_sub', 'ovf_mul']);

export function isBoolean(t: Term): boolean {
  return t.op === 'int' ? t.value === 0n || t.value === 1n : BOOLEAN.has(t.op);
}

export function isConst(t: Term): boolean {
  return t.op === 'int' || t.op === 'float' || t.op === 'null';
}

/** An object or array no earlier state can hold: allocated in this run, on one side. */
export function isAlloc(t: Term): boolean {
  return t.op === 'alloc';
}

/** A ref whose object is not known: an input, or a read of an unknown object's field. */
export function isUnknownRef(t: Term): boolean {
  return t.sort === 'ref' && t.op !== 'null' && t.op !== 'alloc';
}

function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  let q = a / b;
  if ((a % b !== 0n) && ((a < 0n) !== (b < 0n))) q -= 1n;
  return q;
}

function floorMod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  return a - b * floorDiv(a, b);
}

function truncToInt(f: number): bigint {
  if (f !== f) return 0n;
  if (f >= 9223372036854775808) return MAX;
  if (f <= -9223372036854775808) return MIN;
  return BigInt(Math.trunc(f));
}

export class Terms {
  private readonly table = new Map<string, Term>();
  private readonly consts = new Map<string, Term>();
  private nextId = 0;
  /** Equal decisions: the stable key of the later term → the stable key of its representative. */
  private readonly merges = new Map<string, string>();
  /** Different decisions, by the pair of stable keys. */
  private readonly different = new Set<string>();
  readonly NULL: Term;

  constructor(
    decisions: readonly Decision[] = [],
    /** The largest array `new_array` may make, when the caller knows the reference's bound. */
    private readonly maxArrayLength: number | null = null,
  ) {
    for (const d of decisions) {
      if (d.equal) this.merges.set(d.b, d.a);
      else this.different.add(pairKey(d.a, d.b));
    }
    this.NULL = this.constant('null', 'ref', undefined);
  }

  /** A key that names a term the same way in every rerun: constants by value, others by id. */
  stableKey(t: Term): string {
    if (t.op === 'int') return `i${t.value}`;
    if (t.op === 'float') return `f${floatBits(t.value as number)}`;
    if (t.op === 'null') return 'null';
    return `t${t.id}`;
  }

  private byStableKey(key: string): Term | undefined {
    if (key === 'null') return this.NULL;
    if (key.startsWith('i')) return this.int(BigInt(key.slice(1)));
    if (key.startsWith('f')) return this.float(bitsFloat(key.slice(1)));
    return this.byId.get(Number(key.slice(1)));
  }

  private readonly byId = new Map<number, Term>();

  private constant(op: string, sort: Sort, value: bigint | number | undefined): Term {
    const key = `${op}:${value === undefined ? '' : typeof value === 'number' ? floatBits(value) : value}`;
    let t = this.consts.get(key);
    if (!t) {
      t = value === undefined ? { id: -1 - this.consts.size, op, sort, args: [] } : { id: -1 - this.consts.size, op, sort, args: [], value };
      this.consts.set(key, t);
    }
    return t;
  }

  int(value: bigint): Term {
    return this.constant('int', 'int', wrap(value));
  }

  float(value: number): Term {
    // One term for every NaN: the reference compares floats with Object.is, for which all NaNs
    // are one value, while their bits differ (the engine's sqrt of a negative or inf * 0 is the
    // NaN with the sign bit set, a `nan` in a trace the positive one).
    return this.constant('float', 'float', Number.isNaN(value) ? NaN : value);
  }

  bool(b: boolean): Term {
    return this.int(b ? 1n : 0n);
  }

  /** The term `t` stands for after the alias decisions. */
  canon(t: Term): Term {
    let r = t;
    while (r.rep) r = r.rep;
    return r;
  }

  /** Builds (or finds) a non-constant term; applies a decided alias. */
  make(op: string, sort: Sort, args: readonly Term[], name?: string): Term {
    const canonArgs = args.map((a) => this.canon(a));
    const key = `${op}|${name ?? ''}|${canonArgs.map((a) => a.id).join(',')}`;
    const found = this.table.get(key);
    if (found) return this.canon(found);
    const t: Term = name === undefined ? { id: this.nextId++, op, sort, args: canonArgs } : { id: this.nextId++, op, sort, args: canonArgs, name };
    this.table.set(key, t);
    this.byId.set(t.id, t);
    const repKey = this.merges.get(this.stableKey(t));
    if (repKey !== undefined) {
      const rep = this.byStableKey(repKey);
      if (rep && rep.sort === sort) t.rep = this.canon(rep);
    }
    return this.canon(t);
  }

  /** The term `op(args)` if it was built, without building it. */
  lookup(op: string, args: readonly Term[], name: string | undefined): Term | undefined {
    const key = `${op}|${name ?? ''}|${args.map((a) => this.canon(a).id).join(',')}`;
    const found = this.table.get(key);
    return found && this.canon(found);
  }

  /** Every non-constant term built so far, in build order. */
  all(): Term[] {
    return [...this.byId.values()];
  }

  sym(name: string, sort: Sort): Term {
    return this.make('sym', sort, [], name);
  }

  /** Is `a` equal to `b`? true/false when known or decided, else throws Fork. */
  equal(a0: Term, b0: Term): boolean {
    const known = this.decided(a0, b0);
    if (known !== null) return known;
    const [a, b] = [this.canon(a0), this.canon(b0)];
    const [first, second] = a.id >= 0 && b.id >= 0 ? (a.id < b.id ? [a, b] : [b, a]) : isConst(a) ? [a, b] : [b, a];
    throw new Fork(`${this.stableKey(first)}=${this.stableKey(second)}`, `${describe(first)} = ${describe(second)}`);
  }

  /** The two stable keys a Fork on (a, b) decides, representative first. */
  forkKeys(a0: Term, b0: Term): [string, string] {
    const [a, b] = [this.canon(a0), this.canon(b0)];
    const [first, second] = a.id >= 0 && b.id >= 0 ? (a.id < b.id ? [a, b] : [b, a]) : isConst(a) ? [a, b] : [b, a];
    return [this.stableKey(first), this.stableKey(second)];
  }

  /** Equality when it is known without a case split, or null. */
  decided(a0: Term, b0: Term): boolean | null {
    const a = this.canon(a0);
    const b = this.canon(b0);
    if (a === b) return true;
    if (a.sort !== b.sort) return false;
    if (isConst(a) && isConst(b)) return false; // constants are hash-consed by value
    if (a.sort === 'ref') {
      if (isAlloc(a) || isAlloc(b)) return false; // fresh in this run: not null, not an older object, not another allocation
    }
    if (a.sort === 'float') return null;
    if (this.different.has(pairKey(this.stableKey(a), this.stableKey(b)))) return false;
    return null;
  }

  /**
   * A condition on a ref or array that the op table makes a precondition (undefined behaviour
   * otherwise) or a guard tests: `is_class` (non-null, exactly class `descr`), `is_array` (an
   * array of `descr` items; `*`: any), `in_bounds(a, i)`, `size_ok(n)` (new_array's size is
   * allowed). Folded on what the term itself says: a fresh allocation has a known shape.
   */
  atom(op: 'is_class' | 'is_array' | 'in_bounds' | 'size_ok', args0: readonly Term[], descr: string): Term {
    const args = args0.map((a) => this.canon(a));
    const p = args[0]!;
    if (op === 'size_ok') {
      if (p.op === 'int' && (p.value as bigint) <= 0n) return this.int(1n);
      if (p.op === 'int' && this.maxArrayLength !== null) return this.bool((p.value as bigint) <= BigInt(this.maxArrayLength));
      return this.make(op, 'int', args, descr);
    }
    if (p.op === 'null' && op !== 'in_bounds') return this.int(0n);
    if (p.op === 'alloc') {
      const shape = allocShape(p);
      if (op === 'is_class') return this.bool(shape.cls === descr);
      if (op === 'is_array') return this.bool(shape.cls.startsWith('[]') && (descr === '*' || shape.cls === `[]${descr}`));
      const i = args[1]!;
      if (shape.length !== null && i.op === 'int') return this.bool((i.value as bigint) >= 0n && (i.value as bigint) < shape.length);
    }
    return this.make(op, 'int', args, descr);
  }

  /** A pure operation of the IR, or one of the validator's atoms, folded. */
  op(name: string, args0: readonly Term[]): Term {
    const args = args0.map((a) => this.canon(a));
    const [a, b] = args as [Term, Term];
    const ci = (t: Term | undefined): bigint | null => (t && t.op === 'int' ? (t.value as bigint) : null);
    const cf = (t: Term | undefined): number | null => (t && t.op === 'float' ? (t.value as number) : null);
    const x = ci(a);
    const y = ci(b);
    const I = (v: bigint) => this.int(v);
    switch (name) {
      case 'int_add':
        if (x !== null && y !== null) return I(a.value as bigint + (b.value as bigint));
        if (x === 0n) return b;
        if (y === 0n) return a;
        if (x !== null) return this.op('int_add', [b, a]);
        if (y !== null && a.op === 'int_add' && ci(a.args[1]) !== null) return this.op('int_add', [a.args[0]!, I((a.args[1]!.value as bigint) + y)]);
        if (y !== null) return this.make('int_add', 'int', [a, b]);
        break;
      case 'int_sub':
        if (x !== null && y !== null) return I(x - y);
        if (a === b) return I(0n);
        if (y !== null) return this.op('int_add', [a, I(-y)]);
        return this.make('int_sub', 'int', [a, b]);
      case 'int_mul':
        if (x !== null && y !== null) return I(x * y);
        if (x === 1n) return b;
        if (y === 1n) return a;
        if (x === 0n || y === 0n) return I(0n);
        break;
      case 'int_floordiv':
        if (x !== null && y !== null) return I(floorDiv(x, y));
        if (y === 1n) return a;
        if (y === 0n) return I(0n);
        return this.make(name, 'int', [a, b]);
      case 'int_mod':
        if (x !== null && y !== null) return I(floorMod(x, y));
        if (y === 0n || y === 1n || y === -1n) return I(0n);
        return this.make(name, 'int', [a, b]);
      case 'int_and':
        if (x !== null && y !== null) return I(x & y);
        if (a === b) return a;
        if (x === 0n || y === 0n) return I(0n);
        break;
      case 'int_or':
        if (x !== null && y !== null) return I(x | y);
        if (a === b) return a;
        if (x === 0n) return b;
        if (y === 0n) return a;
        break;
      case 'int_xor':
        if (x !== null && y !== null) return I(x ^ y);
        if (a === b) return I(0n);
        if (x === 0n) return b;
        if (y === 0n) return a;
        break;
      case 'int_lshift':
        if (x !== null && y !== null) return I(x << (y & 63n));
        if (y !== null && (y & 63n) === 0n) return a;
        return this.make(name, 'int', [a, b]);
      case 'int_rshift':
        if (x !== null && y !== null) return I(x >> (y & 63n));
        if (y !== null && (y & 63n) === 0n) return a;
        return this.make(name, 'int', [a, b]);
      case 'int_neg':
        if (x !== null) return I(-x);
        if (a.op === 'int_neg') return a.args[0]!;
        return this.make(name, 'int', [a]);
      case 'int_lt':
        if (x !== null && y !== null) return this.bool(x < y);
        if (a === b) return I(0n);
        return this.make(name, 'int', [a, b]);
      case 'int_gt':
        return this.op('int_lt', [b, a]);
      case 'int_le':
        return this.op('not', [this.op('int_lt', [b, a])]);
      case 'int_ge':
        return this.op('not', [this.op('int_lt', [a, b])]);
      case 'int_eq':
        if (x !== null && y !== null) return this.bool(x === y);
        if (a === b) return I(1n);
        break;
      case 'int_ne':
        return this.op('not', [this.op('int_eq', [a, b])]);
      case 'not':
        if (x !== null) return this.bool(x === 0n);
        if (a.op === 'not') return a.args[0]!;
        return this.make('not', 'int', [a]);
      case 'ovf_add':
      case 'ovf_sub':
      case 'ovf_mul': {
        if (x !== null && y !== null) {
          const exact = name === 'ovf_add' ? x + y : name === 'ovf_sub' ? x - y : x * y;
          return this.bool(exact < MIN || exact > MAX);
        }
        if ((name === 'ovf_add' && (x === 0n || y === 0n)) || (name === 'ovf_sub' && (y === 0n || a === b))) return I(0n);
        if (name === 'ovf_mul' && (x === 0n || y === 0n || x === 1n || y === 1n)) return I(0n);
        if (name !== 'ovf_sub' && a.id > b.id) return this.make(name, 'int', [b, a]);
        return this.make(name, 'int', [a, b]);
      }
      case 'ptr_eq': {
        if (a === b) return I(1n);
        const known = this.decided(a, b);
        if (known !== null) return this.bool(known);
        if (a.op === 'null' || b.op === 'null') {
          // Whether an unknown ref is null is a path fact, not an alias question.
          const other = a.op === 'null' ? b : a;
          return this.make('ptr_eq', 'int', [this.NULL, other]);
        }
        // Two unknown objects: identity is an alias question, settled by case split.
        return this.bool(this.equal(a, b));
      }
      case 'ptr_ne':
        return this.op('not', [this.op('ptr_eq', [a, b])]);

      case 'float_add':
      case 'float_sub':
      case 'float_mul':
      case 'float_truediv': {
        const p = cf(a);
        const q = cf(b);
        if (p !== null && q !== null) {
          return this.float(name === 'float_add' ? p + q : name === 'float_sub' ? p - q : name === 'float_mul' ? p * q : p / q);
        }
        if (name === 'float_add' || name === 'float_mul') break;
        return this.make(name, 'float', [a, b]);
      }
      case 'float_neg': {
        const p = cf(a);
        if (p !== null) return this.float(-p);
        if (a.op === 'float_neg') return a.args[0]!;
        return this.make(name, 'float', [a]);
      }
      case 'float_abs': {
        const p = cf(a);
        if (p !== null) return this.float(Math.abs(p));
        if (a.op === 'float_abs') return a;
        if (a.op === 'float_neg') return this.op('float_abs', [a.args[0]!]);
        return this.make(name, 'float', [a]);
      }
      case 'float_sqrt': {
        const p = cf(a);
        if (p !== null) return this.float(Math.sqrt(p));
        return this.make(name, 'float', [a]);
      }
      case 'float_pow':
      case 'float_sin':
      case 'float_cos':
        // Correctly rounded library functions: terms of their own (equal only when built from
        // equal operands), never folded here (the optimizer does not fold them either).
        return this.make(name, 'float', args);
      case 'float_lt':
      case 'float_le':
      case 'float_eq': {
        const p = cf(a);
        const q = cf(b);
        if (p !== null && q !== null) return this.bool(name === 'float_lt' ? p < q : name === 'float_le' ? p <= q : p === q);
        if (name === 'float_eq') break;
        return this.make(name, 'int', [a, b]);
      }
      case 'float_gt':
        return this.op('float_lt', [b, a]);
      case 'float_ge':
        return this.op('float_le', [b, a]);
      case 'float_ne':
        return this.op('not', [this.op('float_eq', [a, b])]);
      case 'same_float': {
        // guard_value on floats: Object.is (NaN is NaN, -0.0 is not 0.0).
        const p = cf(a);
        const q = cf(b);
        if (p !== null && q !== null) return this.bool(Object.is(p, q));
        if (a === b) return I(1n);
        break;
      }
      case 'cast_int_to_float':
        if (x !== null) return this.float(Number(x));
        return this.make(name, 'float', [a]);
      case 'cast_float_to_int': {
        const p = cf(a);
        if (p !== null) return I(truncToInt(p));
        return this.make(name, 'int', [a]);
      }
      case 'array_length': {
        // new_array(n): n < 0 counts as 0.
        if (x !== null) return I(x < 0n ? 0n : x);
        return this.make(name, 'int', [a]);
      }
      default:
        throw new Error(`terms: no operator ${name}`);
    }
    // Commutative ops not folded above: arguments in id order (constants last).
    if (COMMUTATIVE.has(name)) {
      const [p, q] = order(a, b);
      return this.make(name, name === 'float_add' || name === 'float_mul' ? 'float' : 'int', [p, q]);
    }
    throw new Error(`terms: ${name} fell through`);
  }
}

/**
 * The shape an allocation term carries in its name: `<side><n>:<class>` for an object,
 * `<side><n>:[]<elem>:<length or ?>` for an array.
 */
export function allocShape(t: Term): { cls: string; length: bigint | null } {
  const parts = t.name!.split(':');
  const length = parts[2] === undefined || parts[2] === '?' ? null : BigInt(parts[2]);
  return { cls: parts[1]!, length };
}

function order(a: Term, b: Term): [Term, Term] {
  if (isConst(a) && !isConst(b)) return [b, a];
  if (isConst(b) && !isConst(a)) return [a, b];
  return a.id <= b.id ? [a, b] : [b, a];
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function floatBits(value: number): string {
  f64[0] = value;
  return u64[0]!.toString(16);
}

function bitsFloat(bits: string): number {
  u64[0] = BigInt(`0x${bits}`);
  return f64[0]!;
}

/** A term as short text, for reasons and differences (depth-limited, no recursion on depth). */
export function describe(t: Term, depth = 3): string {
  if (t.op === 'int') return String(t.value);
  if (t.op === 'float') return String(t.value);
  if (t.op === 'null') return 'null';
  if (t.op === 'sym') return t.name!;
  if (t.op === 'alloc') return `new#${t.name}`;
  if (depth === 0) return '…';
  const args = t.args.map((a) => describe(a, depth - 1));
  if (t.op === 'init') return `${args[0]}.${t.name}`;
  return `${t.op}(${[...args, ...(t.name ? [t.name] : [])].join(', ')})`;
}
