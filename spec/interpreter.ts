/**
 * The reference trace interpreter: what a trace means, by definition.
 *
 * This is the oracle every optimizer pass and the wasm backend are checked against, so it is
 * written to be read, not to be fast: values are tagged records, ints are BigInt wrapped to 64
 * bits after every op, the heap is a Map from object id to a mutable cell. It shares no code
 * with the optimizer and never will.
 *
 * Pre: the trace validates (src/ir/validate.ts) and the input set is one of its input sets
 * (or validates against it). Undefined behaviour of the IR (a field of null or of another
 * class, an item out of bounds, an item of the wrong type, a too large array) is not an error
 * here: the run ends with exit `{ kind: 'undefined' }` naming the op, and no equivalence is
 * claimed for it.
 *
 * Identity: the trace's prebuilt objects get ids 0, 1, … in declaration order, built afresh as
 * declared at the start of every run; the input set's objects the next ids in written order
 * (an input set's `@name` names its own object, or else a prebuilt one); allocations (including
 * the materialization of virtuals at an exit) get the next ids.
 *
 * Escape: the k-th `escape(args…)` (k = 1, 2, …)
 *   (a) logs its args and a copy of everything they reach, as it is now;
 *   (b) marks as escaped everything reachable from the escaped objects and the args (the
 *       closure is recomputed: escaped objects may have gained references since);
 *   (c) adds k to every int field and int array item of every escaped object.
 * The input objects reachable from the input args, and everything reachable from the prebuilt
 * objects, count as escaped from the start: code outside the trace can see them.
 *
 * Memory: a run may hold at most HEAP_BUDGET value slots (an object costs 1 + its fields, an
 * array 1 + its items, and every copy an `escape` logs costs the same again). Past that the run
 * ends with exit `error`: the reference could not finish it, which is never equivalent to
 * anything. Why: a legal loop that allocates a million-item array per iteration would otherwise
 * exhaust the process (the wasm backend has its own limit and ends the same way).
 *
 * Fuel: `label` and `jump` are back-edges. At one, with no fuel left, the run ends with exit
 * `fuel` and the loop's original arguments: the jump's args when there is no label; else the
 * label's exit (or, without one, the label's args) evaluated with the label's parameters bound
 * to the back-edge's values. Otherwise it takes one unit of fuel and goes on: past the label;
 * from a jump to just after the label (parameters := jump args) or, without a label, to op 0
 * (inputs := jump args).
 */
import {
  type Arg,
  type EscapeRecord,
  type Exit,
  type ExitDesc,
  type ExitValue,
  type HeapCell,
  type HeapValue,
  type HeapView,
  type InputSet,
  type Op,
  type OpName,
  type Outcome,
  type RtValue,
  type Trace,
  type Type,
  classDecl,
  labelIndex,
} from '../src/ir/index.ts';
// The correctly rounded pow, sin and cos are defined by one implementation, which the reference
// shares with the VM and the wasm host (not with the optimizer): restating them here would be a
// second libm; test/vm/semantics.test.ts holds them to CPython's results instead.
import { cosCorrectlyRounded, powTotal, sinCorrectlyRounded } from '../src/ir/libm.ts';

export const DEFAULT_FUEL = 1000;

/** Arrays longer than this are undefined behaviour (the IR promises no memory beyond it). */
export const MAX_ARRAY_LENGTH = 1_000_000;

/** Value slots a run may allocate and log, in all (see "Memory" above): 16 arrays of the largest size. */
export const HEAP_BUDGET = 16 * MAX_ARRAY_LENGTH;

export interface ReferenceOptions {
  /** Back-edges the run may take (default DEFAULT_FUEL). */
  readonly fuel?: number;
  /** Value slots the run may allocate and log (default HEAP_BUDGET). */
  readonly heapBudget?: number;
}

export function runReference(trace: Trace, input: InputSet, options: ReferenceOptions = {}): Outcome {
  const machine = new Machine(trace, input, options.fuel ?? DEFAULT_FUEL, options.heapBudget ?? HEAP_BUDGET);
  let pc = 0;
  for (;;) {
    const op = trace.ops[pc]!;
    let step: Step;
    try {
      step = HANDLERS[op.name](op, machine);
    } catch (e) {
      const line = op.loc ? `, line ${op.loc.line}` : '';
      if (e instanceof OutOfMemory) return machine.outcome({ kind: 'error', message: `op ${pc} (${op.name}${line}): ${e.message}` }, []);
      if (!(e instanceof UndefinedBehaviour)) throw e;
      return machine.outcome({ kind: 'undefined', message: `op ${pc} (${op.name}${line}): ${e.message}` }, []);
    }
    switch (step.kind) {
      case 'next':
        pc += 1;
        break;
      case 'goto':
        pc = step.pc;
        break;
      case 'end':
        return machine.outcome(step.exit, step.values);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Values and the heap.

type Cell =
  | { readonly kind: 'object'; readonly cls: string; readonly fields: Record<string, RtValue> }
  | { readonly kind: 'array'; readonly elem: Type; readonly items: RtValue[] };

const NULL_VALUE: RtValue = { kind: 'null' };
const int = (value: bigint): RtValue => ({ kind: 'int', value: BigInt.asIntN(64, value) });
const float = (value: number): RtValue => ({ kind: 'float', value });
const ref = (id: number): RtValue => ({ kind: 'ref', id });
const bool = (b: boolean): RtValue => int(b ? 1n : 0n);

function zero(type: Type): RtValue {
  switch (type) {
    case 'int':
      return int(0n);
    case 'float':
      return float(0);
    case 'ref':
      return NULL_VALUE;
  }
}

function typeOfValue(value: RtValue): Type {
  return value.kind === 'int' || value.kind === 'float' ? value.kind : 'ref';
}

/** Same value: ints by value, floats by Object.is, refs by identity (null equals null). */
function sameValue(a: RtValue, b: RtValue): boolean {
  switch (a.kind) {
    case 'int':
      // Stryker disable next-line ConditionalExpression: `true` for `b.kind === 'int'` cannot change the result: only an int's value is a bigint, and a bigint is never === a number or undefined (the line's other ConditionalExpression mutants are killed by guard_value on ints in test/spec/interpreter-outcomes.test.ts)
      return b.kind === 'int' && a.value === b.value;
    case 'float':
      // Stryker disable next-line ConditionalExpression: `true` for `b.kind === 'float'` cannot change the result: only a float's value is a number, and Object.is of a number and a bigint or undefined is false (the line's other ConditionalExpression mutants are killed by test/spec/interpreter.test.ts)
      return b.kind === 'float' && Object.is(a.value, b.value);
    case 'null':
      return b.kind === 'null';
    case 'ref':
      // Stryker disable next-line ConditionalExpression: `true` for `b.kind === 'ref'` cannot change the result: only a ref has an id, and a number is never === undefined (the line's other ConditionalExpression mutants are killed by test/spec/interpreter.test.ts)
      return b.kind === 'ref' && a.id === b.id;
  }
}

/** Ids of every object reachable from `roots` (values; non-refs are ignored). */
function reachable(heap: ReadonlyMap<number, Cell>, roots: readonly RtValue[]): Set<number> {
  const seen = new Set<number>();
  const work = [...roots];
  for (let value = work.pop(); value !== undefined; value = work.pop()) {
    if (value.kind !== 'ref' || seen.has(value.id)) continue;
    seen.add(value.id);
    const cell = heap.get(value.id)!;
    // One push per item: spreading an array of a million items overflows the call stack.
    for (const item of cell.kind === 'object' ? Object.values(cell.fields) : cell.items) work.push(item);
  }
  return seen;
}

/** A copy of the cells `ids`, as they are now. */
function snapshot(heap: ReadonlyMap<number, Cell>, ids: Iterable<number>): HeapView {
  const view = new Map<number, HeapCell>();
  for (const id of [...ids].sort((a, b) => a - b)) {
    const cell = heap.get(id)!;
    view.set(
      id,
      cell.kind === 'object'
        ? { kind: 'object', cls: cell.cls, fields: Object.freeze({ ...cell.fields }) }
        : { kind: 'array', elem: cell.elem, items: Object.freeze([...cell.items]) },
    );
  }
  return view;
}

/** Thrown when a run passes HEAP_BUDGET; the main loop turns it into an `error` exit. */
class OutOfMemory extends Error {}

/** Thrown by a handler; the main loop turns it into an `undefined` exit naming the op. */
class UndefinedBehaviour extends Error {}

// ---------------------------------------------------------------------------------------------
// The machine: heap, environment, escape state, fuel.

class Machine {
  readonly heap = new Map<number, Cell>();
  env = new Map<string, RtValue>();
  readonly inputArgs: readonly RtValue[];
  readonly inputObjectCount: number;
  /** Prebuilt object ids by name, and refs to them in declaration order (ids 0, 1, …). */
  readonly prebuiltIds: ReadonlyMap<string, number>;
  readonly prebuiltRefs: readonly RtValue[];
  readonly escapes: EscapeRecord[] = [];
  escaped: Set<number>;
  /** Set by the last `*_ovf` op, read by the guard that follows it. */
  // Stryker disable next-line BooleanLiteral: the initial value is never read: only guard_no_overflow and guard_overflow read the flag, and the trace's validation (V8) puts each right after a `*_ovf` op, which sets it
  overflow = false;
  fuel: number;
  iterations = 1;
  /** The label op, and its index, or null. */
  readonly label: { readonly op: Op; readonly index: number } | null;

  constructor(
    readonly trace: Trace,
    input: InputSet,
    fuel: number,
    private readonly heapBudget: number,
  ) {
    this.fuel = fuel;
    const index = labelIndex(trace);
    this.label = index < 0 ? null : { op: trace.ops[index]!, index };

    const prebuilt = trace.prebuilt ?? [];
    // Names resolve to the input set's own objects first, then to the prebuilt ones (the
    // validator keeps the two apart, so the order only matters for prebuilt fields).
    this.prebuiltIds = new Map(prebuilt.map((o, id) => [o.name, id]));
    const inputIds = new Map(input.objects.map((o, k) => [o.name, prebuilt.length + k]));
    const load = (value: HeapValue): RtValue =>
      value.kind === 'obj' ? ref(inputIds.get(value.name) ?? this.prebuiltIds.get(value.name)!) : value;
    for (const o of [...prebuilt, ...input.objects]) {
      if (o.kind === 'object') {
        const cell = this.newObject(o.cls);
        for (const { field, value } of o.fields) cell.fields[field] = load(value);
        this.allocate(cell);
      } else {
        this.allocate({ kind: 'array', elem: o.elem, items: o.items.map(load) });
      }
    }
    this.inputObjectCount = prebuilt.length + input.objects.length;
    this.prebuiltRefs = prebuilt.map((_, id) => ref(id));
    this.inputArgs = input.args.map(load);
    this.bind(trace.inputs.map((i) => i.name), this.inputArgs);
    this.escaped = reachable(this.heap, [...this.inputArgs, ...this.prebuiltRefs]);
  }

  // --- environment ---

  value(arg: Arg): RtValue {
    switch (arg.kind) {
      case 'var':
        return this.env.get(arg.name)!;
      case 'int':
        return int(arg.value);
      case 'float':
        return float(arg.value);
      case 'null':
        return NULL_VALUE;
      case 'prebuilt':
        return ref(this.prebuiltIds.get(arg.name)!);
    }
  }

  int(arg: Arg): bigint {
    return (this.value(arg) as Extract<RtValue, { kind: 'int' }>).value;
  }

  float(arg: Arg): number {
    return (this.value(arg) as Extract<RtValue, { kind: 'float' }>).value;
  }

  define(op: Op, value: RtValue): Step {
    this.env.set(op.result!, value);
    return NEXT;
  }

  /** Binds all names at once (the values were computed before any binding). */
  bind(names: readonly string[], values: readonly RtValue[]): void {
    names.forEach((name, k) => this.env.set(name, values[k]!));
  }

  // --- heap ---

  newObject(cls: string): Extract<Cell, { kind: 'object' }> {
    const fields: Record<string, RtValue> = {};
    for (const f of classDecl(this.trace, cls)!.fields) fields[f.name] = zero(f.type);
    return { kind: 'object', cls, fields };
  }

  /** Slots allocated or logged so far (see HEAP_BUDGET). */
  private slotsUsed = 0;

  /** Counts `cells`' slots against the heap budget. */
  charge(cells: Iterable<Cell | HeapCell>): void {
    for (const cell of cells) this.slotsUsed += 1 + (cell.kind === 'object' ? Object.keys(cell.fields).length : cell.items.length);
    if (this.slotsUsed > this.heapBudget) throw new OutOfMemory(`the run needs more than ${this.heapBudget} value slots of memory`);
  }

  allocate(cell: Cell): RtValue {
    this.charge([cell]);
    const id = this.heap.size;
    this.heap.set(id, cell);
    return ref(id);
  }

  /** The object `arg` refers to, which must be of class `cls`. */
  object(arg: Arg, cls: string): Extract<Cell, { kind: 'object' }> {
    const cell = this.cell(arg);
    if (cell.kind !== 'object') throw new UndefinedBehaviour(`expected an object of class ${cls}, got an array`);
    if (cell.cls !== cls) throw new UndefinedBehaviour(`expected an object of class ${cls}, got one of class ${cell.cls}`);
    return cell;
  }

  /** The array `arg` refers to. */
  array(arg: Arg): Extract<Cell, { kind: 'array' }> {
    const cell = this.cell(arg);
    if (cell.kind !== 'array') throw new UndefinedBehaviour(`expected an array, got an object of class ${cell.cls}`);
    return cell;
  }

  /** Checks `index` and the element type, returns the index as a number. */
  item(array: Extract<Cell, { kind: 'array' }>, index: bigint, type: Type): number {
    if (index < 0n || index >= BigInt(array.items.length)) {
      throw new UndefinedBehaviour(`index ${index} is out of bounds for an array of length ${array.items.length}`);
    }
    if (type !== array.elem) throw new UndefinedBehaviour(`${type} item of an array of ${array.elem}`);
    return Number(index);
  }

  private cell(arg: Arg): Cell {
    const value = this.value(arg);
    if (value.kind !== 'ref') throw new UndefinedBehaviour('null has no fields or items');
    return this.heap.get(value.id)!;
  }

  // --- exits ---

  /** The exit's values, with its virtuals allocated (all of them, first) and then filled in. */
  exitValues(exit: ExitDesc): RtValue[] {
    const refs: RtValue[] = [];
    const resolve = (x: ExitValue): RtValue => (x.kind === 'virtual' ? refs[x.index]! : this.value(x));
    const fillers = exit.virtuals.map((v) => {
      if (v.kind === 'object') {
        const cell = this.newObject(v.cls);
        refs.push(this.allocate(cell));
        return () => v.fields.forEach(({ field, value }) => (cell.fields[field] = resolve(value)));
      }
      // Stryker disable next-line StringLiteral,ArrowFunction: the cell's kind and its first items are never read: the exit ends the run, so no op reads the array (only reachable, charge and snapshot do, which take any cell that is not an object for an array, and read only the length before the fillers below have written every item)
      const cell: Cell = { kind: 'array', elem: v.elem, items: v.items.map(() => zero(v.elem)) };
      refs.push(this.allocate(cell));
      return () => v.items.forEach((x, j) => (cell.items[j] = resolve(x)));
    });
    fillers.forEach((fill) => fill());
    return exit.values.map(resolve);
  }

  /** The loop's original arguments, rebuilt at the label from its (currently bound) parameters. */
  loopArguments(label: Op): RtValue[] {
    return label.exit ? this.exitValues(label.exit) : label.args.map((a) => this.value(a));
  }

  /** Takes one unit of fuel for a back-edge; false when there is none left. */
  takeBackEdge(): boolean {
    if (this.fuel === 0) return false;
    this.fuel -= 1;
    this.iterations += 1;
    return true;
  }

  escape(args: readonly RtValue[]): void {
    const logged = snapshot(this.heap, reachable(this.heap, args));
    this.charge(logged.values());
    this.escapes.push({ args, heap: logged });
    this.escaped = reachable(this.heap, [...[...this.escaped].map(ref), ...args]);
    const k = BigInt(this.escapes.length);
    for (const id of this.escaped) {
      const cell = this.heap.get(id)!;
      if (cell.kind === 'object') {
        for (const [name, value] of Object.entries(cell.fields)) if (value.kind === 'int') cell.fields[name] = int(value.value + k);
      } else if (cell.elem === 'int') {
        cell.items.forEach((value, j) => (cell.items[j] = int((value as Extract<RtValue, { kind: 'int' }>).value + k)));
      }
    }
  }

  outcome(exit: Exit, values: readonly RtValue[]): Outcome {
    const roots = [...values, ...this.inputArgs, ...this.prebuiltRefs, ...this.escapes.flatMap((e) => e.args)];
    const outcome: Outcome = {
      exit,
      values,
      escapes: this.escapes,
      inputArgs: this.inputArgs,
      finalHeap: snapshot(this.heap, reachable(this.heap, roots)),
      inputObjectCount: this.inputObjectCount,
      iterations: this.iterations,
    };
    return this.prebuiltRefs.length === 0 ? outcome : { ...outcome, prebuilt: [...this.prebuiltIds.keys()] };
  }
}

// ---------------------------------------------------------------------------------------------
// One handler per op.

type Step =
  | { readonly kind: 'next' }
  | { readonly kind: 'goto'; readonly pc: number }
  | { readonly kind: 'end'; readonly exit: Exit; readonly values: readonly RtValue[] };

type Handler = (op: Op, m: Machine) => Step;

const NEXT: Step = { kind: 'next' };
const end = (exit: Exit, values: readonly RtValue[]): Step => ({ kind: 'end', exit, values });

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** Python's a // b (floor); 0 when b = 0. */
function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  // Stryker disable next-line EqualityOperator: `a <= 0n` for `a < 0n` differs only at a = 0, where `a % b !== 0n` is already false, and `b <= 0n` for `b < 0n` only at b = 0, returned above (the line's killable EqualityOperator mutants, `>=` and `===`, are killed by the int_floordiv sign cases of test/spec/interpreter.test.ts)
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Python's a % b (sign of b); 0 when b = 0. */
function floorMod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  // Stryker disable next-line EqualityOperator: `r <= 0n` for `r < 0n` differs only at r = 0, where `r !== 0n` is already false, and `b <= 0n` for `b < 0n` only at b = 0, returned above (the line's killable EqualityOperator mutants, `>=` and `===`, are killed by the int_mod sign cases of test/spec/interpreter.test.ts)
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function floatToInt(f: number): bigint {
  if (Number.isNaN(f)) return 0n;
  if (f >= 2 ** 63) return I64_MAX;
  // Stryker disable next-line EqualityOperator: `f < -(2 ** 63)` for `<=` differs only at f = -2^63, where BigInt(Math.trunc(f)) below is I64_MIN too (the line's `>` mutant is killed by cast_float_to_int of 2.9 in test/spec/interpreter.test.ts)
  if (f <= -(2 ** 63)) return I64_MIN;
  return BigInt(Math.trunc(f));
}

/**
 * IEEE square root, correctly rounded (round to nearest, ties to even), by exact integer
 * arithmetic rather than Math.sqrt: the wasm backend's f64.sqrt and the optimizer's evaluator
 * use the platform's, and the oracle must not share what it checks. -0.0 gives -0.0, +inf gives
 * +inf, NaN and every a < 0 (-inf too) give NaN.
 */
function floatSqrt(a: number): number {
  if (Number.isNaN(a) || a < 0) return NaN;
  if (a === 0 || a === Infinity) return a; // keeps the sign of -0.0
  // a = mant * 2^exp exactly, mant a positive integer below 2^53.
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, a);
  const biased = (bits.getUint32(0) >>> 20) & 0x7ff;
  const fraction = (BigInt(bits.getUint32(0) & 0xfffff) << 32n) | BigInt(bits.getUint32(4));
  let mant = biased === 0 ? fraction : fraction | (1n << 52n);
  let exp = biased === 0 ? -1074 : biased - 1075;
  // Scale by 2^(120 + exp's parity) so that exp becomes even and the root has at least 60 bits
  // (mant >= 1): sqrt(a) = sqrt(mant) * 2^(exp / 2).
  // Stryker disable next-line ArithmeticOperator: `120 - (exp & 1)` makes exp even as well (an odd exp less 119) and leaves the root at least 2^59 (mant >= 2^119): 7 or more bits below the kept 53, and the rounding below is exact for any shift of at least 1 (the dropped bits and the sticky bit are exact), so the result is the same.
  const scale = 120 + (exp & 1);
  mant <<= BigInt(scale);
  exp -= scale;
  const root = isqrt(mant);
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: `true`, and `root / root !== mant` (1 is never mant >= 2^119), cannot change the result: `inexact` is read only where the dropped bits are exactly one half, and such a root is never exact (see the tie below), so it is true there anyway. The line's `false` mutant and its `===` mutant are killed by the midpoint test in test/spec/interpreter.test.ts.
  const inexact = root * root !== mant;
  // Round root (>= 2^60) to 53 significant bits; the sticky bit is `inexact`.
  const shift = root.toString(2).length - 53;
  const kept = root >> BigInt(shift);
  const rest = root & ((1n << BigInt(shift)) - 1n);
  const half = 1n << BigInt(shift - 1);
  const up =
    // Stryker disable next-line EqualityOperator: `rest >= half` differs only at a tie, which rounds up anyway (the root is never exact there, see below); the line's `<=` mutant is killed by test/spec/interpreter.test.ts.
    rest > half ||
    (rest === half &&
      // Stryker disable next-line ConditionalExpression,EqualityOperator: when rest === half the root is inexact, so `inexact ||` decides and its right operand is never evaluated: `true` for the whole `||`, and `false` or `!==` for `(kept & 1n) === 1n`, change nothing. (An exact root with dropped bits of exactly one half is (2 kept + 1) 2^(shift - 1), kept >= 2^52: its square's odd part is above 2^105, but mant's is below 2^53.) The `&&` mutant is killed by the midpoint test in test/spec/interpreter.test.ts.
      (inexact || (kept & 1n) === 1n));
  // The root of a double lies in [2^-537, 2^512]: a normal double, so this product is exact.
  return Number(kept + (up ? 1n : 0n)) * 2 ** (exp / 2 + shift);
}

/** floor(sqrt(n)) for n >= 0, by Newton's iteration on integers from above. */
function isqrt(n: bigint): bigint {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: `false` and `n <= 2n` cannot change the result: the only caller (floatSqrt) passes n >= 2^119, where the test is false either way (the guard keeps isqrt total for n < 2, where Newton's step would divide by 0); the line's `true` and `>=` mutants are killed by test/spec/interpreter.test.ts.
  if (n < 2n) return n;
  // Stryker disable next-line ArithmeticOperator: `length * 2` for `length / 2` only starts Newton's iteration higher: from any start at or above the root it decreases to floor(sqrt(n)) and stops there, and from 2^(2 length) that takes about 1.5 length more steps, a few hundred.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function intBinary(f: (a: bigint, b: bigint) => bigint): Handler {
  return (op, m) => m.define(op, int(f(m.int(op.args[0]!), m.int(op.args[1]!))));
}
function intCompare(f: (a: bigint, b: bigint) => boolean): Handler {
  return (op, m) => m.define(op, bool(f(m.int(op.args[0]!), m.int(op.args[1]!))));
}
function intOverflow(f: (a: bigint, b: bigint) => bigint): Handler {
  return (op, m) => {
    const exact = f(m.int(op.args[0]!), m.int(op.args[1]!));
    m.overflow = exact < I64_MIN || exact > I64_MAX;
    return m.define(op, int(exact));
  };
}
function floatBinary(f: (a: number, b: number) => number): Handler {
  return (op, m) => m.define(op, float(f(m.float(op.args[0]!), m.float(op.args[1]!))));
}
function floatCompare(f: (a: number, b: number) => boolean): Handler {
  return (op, m) => m.define(op, bool(f(m.float(op.args[0]!), m.float(op.args[1]!))));
}
function guard(holds: (op: Op, m: Machine) => boolean): Handler {
  return (op, m) => (holds(op, m) ? NEXT : end({ kind: 'guard', guardId: op.guardId }, m.exitValues(op.exit!)));
}

function fieldDescr(op: Op): { cls: string; field: string } {
  return op.descr as Extract<Op['descr'], { kind: 'field' }>;
}
function classDescr(op: Op): string {
  return (op.descr as Extract<Op['descr'], { kind: 'class' }>).cls;
}
function elemDescr(op: Op): Type {
  return (op.descr as Extract<Op['descr'], { kind: 'elem' }>).type;
}

const HANDLERS: { readonly [K in OpName]: Handler } = {
  int_add: intBinary((a, b) => a + b),
  int_sub: intBinary((a, b) => a - b),
  int_mul: intBinary((a, b) => a * b),
  int_floordiv: intBinary(floorDiv),
  int_mod: intBinary(floorMod),
  int_and: intBinary((a, b) => a & b),
  int_or: intBinary((a, b) => a | b),
  int_xor: intBinary((a, b) => a ^ b),
  int_lshift: intBinary((a, b) => a << (b & 63n)),
  int_rshift: intBinary((a, b) => a >> (b & 63n)),
  int_neg: (op, m) => m.define(op, int(-m.int(op.args[0]!))),
  int_lt: intCompare((a, b) => a < b),
  int_le: intCompare((a, b) => a <= b),
  int_eq: intCompare((a, b) => a === b),
  int_ne: intCompare((a, b) => a !== b),
  int_gt: intCompare((a, b) => a > b),
  int_ge: intCompare((a, b) => a >= b),
  int_add_ovf: intOverflow((a, b) => a + b),
  int_sub_ovf: intOverflow((a, b) => a - b),
  int_mul_ovf: intOverflow((a, b) => a * b),

  float_add: floatBinary((a, b) => a + b),
  float_sub: floatBinary((a, b) => a - b),
  float_mul: floatBinary((a, b) => a * b),
  float_truediv: floatBinary((a, b) => a / b),
  float_neg: (op, m) => m.define(op, float(-m.float(op.args[0]!))),
  float_abs: (op, m) => m.define(op, float(Math.abs(m.float(op.args[0]!)))),
  float_sqrt: (op, m) => m.define(op, float(floatSqrt(m.float(op.args[0]!)))),
  float_pow: floatBinary(powTotal),
  float_sin: (op, m) => m.define(op, float(sinCorrectlyRounded(m.float(op.args[0]!)))),
  float_cos: (op, m) => m.define(op, float(cosCorrectlyRounded(m.float(op.args[0]!)))),
  float_lt: floatCompare((a, b) => a < b),
  float_le: floatCompare((a, b) => a <= b),
  float_eq: floatCompare((a, b) => a === b),
  float_ne: floatCompare((a, b) => a !== b),
  float_gt: floatCompare((a, b) => a > b),
  float_ge: floatCompare((a, b) => a >= b),
  cast_int_to_float: (op, m) => m.define(op, float(Number(m.int(op.args[0]!)))),
  cast_float_to_int: (op, m) => m.define(op, int(floatToInt(m.float(op.args[0]!)))),

  new: (op, m) => m.define(op, m.allocate(m.newObject(classDescr(op)))),
  getfield: (op, m) => {
    const { cls, field } = fieldDescr(op);
    return m.define(op, m.object(op.args[0]!, cls).fields[field]!);
  },
  setfield: (op, m) => {
    const { cls, field } = fieldDescr(op);
    m.object(op.args[0]!, cls).fields[field] = m.value(op.args[1]!);
    return NEXT;
  },
  new_array: (op, m) => {
    const n = m.int(op.args[0]!);
    if (n > BigInt(MAX_ARRAY_LENGTH)) throw new UndefinedBehaviour(`array too large (${n} items)`);
    const elem = elemDescr(op);
    // A negative length makes an empty array (n is at most MAX_ARRAY_LENGTH, so Number is exact).
    return m.define(op, m.allocate({ kind: 'array', elem, items: Array.from({ length: Math.max(0, Number(n)) }, () => zero(elem)) }));
  },
  getarrayitem: (op, m) => {
    const array = m.array(op.args[0]!);
    return m.define(op, array.items[m.item(array, m.int(op.args[1]!), elemDescr(op))]!);
  },
  setarrayitem: (op, m) => {
    const array = m.array(op.args[0]!);
    const value = m.value(op.args[2]!);
    array.items[m.item(array, m.int(op.args[1]!), typeOfValue(value))] = value;
    return NEXT;
  },
  arraylen: (op, m) => m.define(op, int(BigInt(m.array(op.args[0]!).items.length))),
  ptr_eq: (op, m) => m.define(op, bool(sameValue(m.value(op.args[0]!), m.value(op.args[1]!)))),
  ptr_ne: (op, m) => m.define(op, bool(!sameValue(m.value(op.args[0]!), m.value(op.args[1]!)))),

  guard_true: guard((op, m) => m.int(op.args[0]!) !== 0n),
  guard_false: guard((op, m) => m.int(op.args[0]!) === 0n),
  guard_class: guard((op, m) => {
    const value = m.value(op.args[0]!);
    if (value.kind !== 'ref') return false;
    const cell = m.heap.get(value.id)!;
    // Stryker disable next-line ConditionalExpression: `true` for `cell.kind === 'object'` cannot change the result: an array cell has no cls, and undefined is never === a class name (the line's other ConditionalExpression mutants are killed by test/spec/interpreter.test.ts, Figure 2 with y a BoxedFloat and with y = BoxedInteger(10))
    return cell.kind === 'object' && cell.cls === classDescr(op);
  }),
  guard_value: guard((op, m) => sameValue(m.value(op.args[0]!), m.value(op.args[1]!))),
  guard_nonnull: guard((op, m) => m.value(op.args[0]!).kind !== 'null'),
  guard_isnull: guard((op, m) => m.value(op.args[0]!).kind === 'null'),
  guard_no_overflow: guard((_, m) => !m.overflow),
  guard_overflow: guard((_, m) => m.overflow),

  escape: (op, m) => {
    m.escape(op.args.map((a) => m.value(a)));
    return NEXT;
  },

  label: (op, m) => (m.takeBackEdge() ? NEXT : end({ kind: 'fuel' }, m.loopArguments(op))),
  jump: (op, m) => {
    const values = op.args.map((a) => m.value(a));
    if (m.label === null) {
      if (!m.takeBackEdge()) return end({ kind: 'fuel' }, values);
      m.env = new Map();
      m.bind(m.trace.inputs.map((i) => i.name), values);
      return { kind: 'goto', pc: 0 };
    }
    const label = m.label.op;
    m.bind(label.args.map((a) => (a as Extract<Arg, { kind: 'var' }>).name), values);
    if (!m.takeBackEdge()) return end({ kind: 'fuel' }, m.loopArguments(label));
    return { kind: 'goto', pc: m.label.index + 1 };
  },
  finish: (op, m) => end({ kind: 'finish' }, op.args.map((a) => m.value(a))),
};
