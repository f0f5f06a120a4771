/**
 * The trace emitter: one trace becomes the body of the module's `run` function, in one pass
 * over the ops (after one scan that names the locals and finds the loop state), each op through
 * its rule in an exhaustive `OpRules` record (rules.ts holds the default one; a test can pass a
 * deliberately broken one without touching src/).
 *
 * Shape of `run` (see module-shape.ts for its signature):
 *
 *   without a label                      with a label at op L
 *     load inputs from the slots           if entry = 0
 *     loop                                   load inputs; ops 0..L-1; back-edge check at L
 *       ops 0..n-1                         else
 *     end                                    load the loop state
 *                                          end
 *                                          loop
 *                                            ops L+1..n-1
 *                                          end
 *
 * both wrapped, when the trace loops, in one block per guard of the loop's body (up to
 * OUT_OF_LINE_EXITS): such a guard branches out to its block's end, where its exit code is
 * laid out after the main code, so an iteration's path holds no exit code (`exitIf`).
 *
 * Every SSA variable is a local (int i64, float f64, ref i32), its own unless the trace has more
 * than OWN_LOCALS_UP_TO variables: then a variable's local is reused after its last use, and a
 * variable defined while LIVE_LOCALS_PER_TYPE of its type are live in locals is *spilled*: it
 * lives in a memory slot of its own (the spill area, after the exchange slots), its defining op
 * writes a scratch local that is stored there right after the op, and every use loads it. So a
 * guard with 100,000 fail args compiles (V8 refuses functions with more than 50,000 locals), and a
 * trace that never has that many values live at once costs exactly what it did. Exits return an index into the
 * exit table built here; before returning they store the values the host needs into the
 * exchange slots and the heap pointer into HEAP_TOP. A `jump` moves its args into the loop's
 * parameters (the label's args, or the inputs) through the operand stack, so the parallel move
 * needs no temporaries, then takes a back-edge: with no fuel left in this call it stores the
 * loop state and returns the back-edge exit; the host either ends the run there (the trace's
 * fuel is spent) or calls again with entry 1 and more fuel. Returning to the host every so many
 * iterations is what lets V8 replace the baseline code of a hot loop with optimized code: it
 * tiers a wasm function up only between calls.
 *
 * Loop state: the loop's parameters plus every value defined before the loop header that is
 * used after it (or by the label's exit); that is all a resumed call needs.
 */
import {
  type Arg,
  type ExitDesc,
  type ExitValue,
  type Op,
  type OpName,
  type Trace,
  type Type,
  isGuard,
  labelIndex,
  typeOfVar,
} from '../ir/index.ts';
import { type CodeSink, DeferredSink, DepthCountingSink, type MemoryInstr, type ValType } from './instructions.ts';
import { FUEL_LEFT, HEAP_TOP, HeapLayout, heapStart, ioSlot, prebuiltAddresses, SLOT } from './layout.ts';
import { FIRST_HELPER, FUNC, type HelperName, RUN_FIXED_LOCALS, RUN_LOCALS, RUN_PARAM_COUNT } from './module-shape.ts';

export type OpRule = (op: Op, cx: EmitContext) => void;
/** One rule per op of the op table: adding an op fails `tsc` until the emitter handles it. */
export type OpRules = { readonly [K in OpName]: OpRule };

/** Where the run left the trace; `run` returns the index of one of these. */
export type ExitPoint =
  /** The heap is full (or an array was asked for beyond MAX_ARRAY_LENGTH). */
  | { readonly kind: 'heap-full' }
  /** A back-edge with no fuel left in this call; the loop state is in the slots. */
  | { readonly kind: 'back-edge' }
  /** A guard failed; the variables its exit mentions are in the slots, in `slots` order. */
  | { readonly kind: 'guard'; readonly guardId: number; readonly exit: ExitDesc; readonly slots: readonly string[] }
  | { readonly kind: 'finish'; readonly args: readonly Arg[]; readonly slots: readonly string[] };

export const EXIT_HEAP_FULL = 0;
export const EXIT_BACK_EDGE = 1;

/** An `escape` op: the host reads the variables among its args from the slots. */
export interface EscapeSite {
  readonly args: readonly Arg[];
  readonly slots: readonly string[];
}

export interface EmitOptions {
  /**
   * Addresses of prebuilt objects that already exist in the memory (a guest VM's None, True and
   * False): the code refers to them there and no host writes them. Absent: the prebuilt objects
   * are placed after the exchange slots and the host writes them before every run.
   */
  readonly prebuiltAt?: ReadonlyMap<string, number>;
}

/** What the host needs to know about the emitted code. */
export interface TraceCode {
  readonly exits: readonly ExitPoint[];
  readonly escapes: readonly EscapeSite[];
  /** Exchange slots used at most at once. */
  readonly ioSlots: number;
  /** The prebuilt objects' addresses (the code's constants for `@name`). */
  readonly prebuilt: ReadonlyMap<string, number>;
  /** Where the prebuilt objects start (after the exchange slots and the spill area), and where the heap starts. */
  readonly prebuiltStart: number;
  readonly heapStart: number;
  /** Slot order of the loop state (back-edge exit, entry 1). */
  readonly loopState: readonly string[];
  /** `run`'s locals after its parameters, with names for the WAT dump. */
  readonly locals: readonly { readonly name: string; readonly type: ValType }[];
  /** The helpers `run` calls, in function-index order from FIRST_HELPER. */
  readonly helpers: readonly HelperName[];
}

export const VALTYPE_OF: Readonly<Record<Type, ValType>> = { int: 'i64', float: 'f64', ref: 'i32' };
const LOAD_OF: Readonly<Record<Type, MemoryInstr>> = { int: 'i64.load', float: 'f64.load', ref: 'i32.load' };
const STORE_OF: Readonly<Record<Type, MemoryInstr>> = { int: 'i64.store', float: 'f64.store', ref: 'i32.store' };

export function loadInstr(type: Type): MemoryInstr {
  return LOAD_OF[type];
}
export function storeInstr(type: Type): MemoryInstr {
  return STORE_OF[type];
}

/** The emitter's state and the building blocks op rules are made of. */
export class EmitContext {
  readonly layout: HeapLayout;
  readonly exits: ExitPoint[] = [{ kind: 'heap-full' }, { kind: 'back-edge' }];
  readonly escapes: EscapeSite[] = [];
  readonly loopParams: readonly string[];
  readonly loopState: readonly string[];
  readonly locals: { name: string; type: ValType }[] = [];
  private readonly localOf = new Map<string, number>();
  private maxSlots: number;
  /** The slots counted before emission, which fix where the prebuilt objects and the heap start. */
  readonly plannedSlots: number;
  readonly prebuilt: ReadonlyMap<string, number>;
  readonly prebuiltStart: number;
  readonly heapStart: number;
  /** Spilled variables and the address of each one's memory slot. */
  private readonly spillSlot = new Map<string, number>();
  /** Scratch locals by type: a spilled variable's value between its op and its store, and jump's moves. */
  private readonly scratch = new Map<ValType, number>();
  /**
   * Null while every variable has a local of its own. Else (a trace with more than
   * OWN_LOCALS_UP_TO variables) the variables that die at each op: their locals are reused
   * after it, by type.
   */
  private readonly dying: string[][] | null;
  private readonly freeLocals: Record<ValType, number[]> = { i32: [], i64: [], f64: [] };
  /** Ops whose result is only the condition of guard_true/guard_false right after them. */
  private readonly guardConditions: ReadonlySet<Op>;
  /** A condition a compare left on the operand stack for the next op, a guard, to take. */
  private pendingCondition: { readonly name: string; readonly index: number } | null = null;
  // Stryker disable next-line UnaryOperator: the initial value cannot change the code: enterOp sets opIndex before any rule or check reads it
  private opIndex = -1;
  /** Where rules write: the main code (counting its block depth), or an exit being laid out of line. */
  code: CodeSink;
  readonly main: DepthCountingSink;
  /** The loop's guards after this op index exit out of line (none: Infinity). */
  private readonly outOfLineAfter: number;
  /** Blocks wrapped around the main code, one per out-of-line exit (see `exitIf`). */
  readonly outOfLineBlocks: number;
  /** The out-of-line exits' code, in block order (innermost first). */
  readonly outOfLine: DeferredSink[] = [];
  /** The helpers called so far, in the order of their function indices. */
  readonly helpers: HelperName[] = [];

  constructor(
    readonly trace: Trace,
    sink: CodeSink,
    options: EmitOptions = {},
  ) {
    this.main = new DepthCountingSink(sink);
    this.code = this.main;
    this.layout = new HeapLayout(trace.classes);
    const fixed = ['memEnd', 'overflow', 'length'];
    RUN_FIXED_LOCALS.forEach((type, k) => this.locals.push({ name: fixed[k]!, type }));

    const label = labelIndex(trace);
    if (label < 0) {
      this.loopParams = trace.inputs.map((i) => i.name);
      this.loopState = this.loopParams;
    } else {
      const labelOp = trace.ops[label]!;
      this.loopParams = labelOp.args.map((a) => (a as Extract<Arg, { kind: 'var' }>).name);
      const before = new Set(trace.inputs.map((i) => i.name));
      trace.ops.slice(0, label).forEach((op) => op.result && before.add(op.result));
      const state = new Set(this.loopParams);
      // Stryker disable next-line ConditionalExpression: `true` for `x.kind === 'var'` cannot change the code: a constant or virtual has no name, and a prebuilt object's name that is also a variable's before the label only adds that variable to the state, which stores and reloads it unchanged (the line's other ConditionalExpression mutants fail test/wasm/emit-seams.test.ts)
      const use = (x: ExitValue) => x.kind === 'var' && before.has(x.name) && state.add(x.name);
      if (labelOp.exit) forEachExitValue(labelOp.exit, use);
      for (const op of trace.ops.slice(label + 1)) {
        op.args.forEach(use);
        if (op.exit) forEachExitValue(op.exit, use);
      }
      this.loopState = [...state];
    }

    const results = trace.ops.filter((op) => op.result).length;
    this.dying = trace.inputs.length + results > OWN_LOCALS_UP_TO ? deathPoints(trace, [...this.loopParams, ...this.loopState]) : null;
    this.maxSlots = Math.max(trace.inputs.length, this.loopState.length);
    this.plannedSlots = Math.max(this.maxSlots, exchangeSlotsOfOps(trace));
    const spilled = this.dying ? spilledVariables(trace, this.dying) : [];
    this.guardConditions = guardConditions(trace, new Set(spilled));
    const last = trace.ops[trace.ops.length - 1];
    // Stryker disable next-line OptionalChaining,EqualityOperator: `last.name` cannot change a result: a valid trace has at least one op (the validator says so), so last is never undefined; nor can `label > 0` change what the code does: a label at op 0 has no guard before it, so with a jump at the end -1 picks the same guards as 0, and with a finish the guards after it exit inline instead, the same exit code in another place (the line's `false` for `label >= 0` fails test/wasm/code-shape.test.ts)
    this.outOfLineAfter = label >= 0 ? label : last?.name === 'jump' ? -1 : Number.POSITIVE_INFINITY;
    // Stryker disable next-line EqualityOperator: `>=` cannot change the count: the op at outOfLineAfter, if any, is the label, not a guard
    const loopGuards = trace.ops.filter((op, index) => index > this.outOfLineAfter && isGuard(op.name)).length;
    this.outOfLineBlocks = Math.min(loopGuards, OUT_OF_LINE_EXITS);
    spilled.forEach((name, k) => this.spillSlot.set(name, heapStart(this.plannedSlots) + SLOT * k));
    this.prebuiltStart = heapStart(this.plannedSlots) + SLOT * spilled.length;
    if (options.prebuiltAt) {
      // Objects that already live in the memory (a VM's singletons): the code uses their addresses.
      for (const o of trace.prebuilt ?? []) if (!options.prebuiltAt.has(o.name)) throw new Error(`emitter: no address for prebuilt @${o.name}`);
      this.prebuilt = options.prebuiltAt;
      this.heapStart = this.prebuiltStart;
    } else {
      const placed = prebuiltAddresses(trace.prebuilt ?? [], this.layout, this.prebuiltStart);
      this.prebuilt = placed.addresses;
      this.heapStart = placed.end;
    }
    // A spilled input lives in its slot from the start (loadSlots writes it there).
    for (const input of trace.inputs) if (!this.isSpilled(input.name)) this.declare(input.name);
    if (!this.dying) for (const op of trace.ops) if (op.result) this.declare(op.result);
  }

  /** The scratch local of a type (made when first asked for). */
  private scratchLocal(type: ValType): number {
    let index = this.scratch.get(type);
    if (index === undefined) {
      index = RUN_PARAM_COUNT + this.locals.length;
      this.locals.push({ name: `scratch_${type}`, type });
      this.scratch.set(type, index);
    }
    return index;
  }

  /** The function index of a helper, which the module will hold because this code calls it. */
  helper(name: HelperName): number {
    let k = this.helpers.indexOf(name);
    if (k < 0) k = this.helpers.push(name) - 1;
    return FIRST_HELPER + k;
  }

  /** Whether `name` lives in memory rather than in a local. */
  isSpilled(name: string): boolean {
    return this.spillSlot.has(name);
  }

  /** Stores the value on top of the stack into spilled variable `name`'s slot (through scratch). */
  private popToSpill(name: string): void {
    const type = typeOfVar(name);
    const scratch = this.scratchLocal(VALTYPE_OF[type]);
    this.code.local('local.set', scratch);
    this.code.i32Const(0);
    this.code.local('local.get', scratch);
    this.code.mem(storeInstr(type), this.spillSlot.get(name)!);
  }

  /** Gives `name` a local: a free one of its type when locals are shared, else a new one (a spilled variable: the scratch local, until its op is done). */
  private declare(name: string): void {
    const type = VALTYPE_OF[typeOfVar(name)];
    if (this.isSpilled(name)) {
      this.localOf.set(name, this.scratchLocal(type));
      return;
    }
    const reused = this.freeLocals[type].pop();
    if (reused !== undefined) {
      this.localOf.set(name, reused);
      this.locals[reused - RUN_PARAM_COUNT]!.name += `/${name}`;
      return;
    }
    this.localOf.set(name, RUN_PARAM_COUNT + this.locals.length);
    this.locals.push({ name, type });
  }

  /** Before op `index`: its result gets a local (never one freed by `op` itself, which may still read it). */
  enterOp(index: number, op: Op): void {
    this.opIndex = index;
    if (this.dying && op.result) this.declare(op.result);
  }

  /**
   * Whether `op`'s result is used only as the operand of the guard_true or guard_false right
   * after it (no other op, exit or jump reads it, and it is not spilled): the compare may then
   * leave its i32 on the operand stack for that guard instead of defining the result.
   */
  feedsNextGuardOnly(op: Op): boolean {
    return this.guardConditions.has(op);
  }

  /** The current op, one of `feedsNextGuardOnly`, left its result's condition (i32, nonzero: true) on the stack. */
  leaveCondition(op: Op): void {
    this.pendingCondition = { name: op.result!, index: this.opIndex };
  }

  /** Whether `arg`'s condition is on the stack (a guard's operand): then the guard takes it. */
  takeCondition(arg: Arg): boolean {
    const pending = this.pendingCondition;
    // Stryker disable next-line ConditionalExpression: `false` for the index test cannot change the code: leaveOp throws for a condition the op right after it did not take, so a pending one is always the previous op's; nor for the kind test: a constant has no name, so the name test turns it away (the name test's `false` fails test/wasm/emit-seams.test.ts)
    if (pending === null || arg.kind !== 'var' || arg.name !== pending.name || pending.index !== this.opIndex - 1) return false;
    this.pendingCondition = null;
    return true;
  }

  /** After op `index`: a spilled result goes to its slot; the locals of variables it used last become free. */
  leaveOp(index: number, op: Op): void {
    if (this.pendingCondition !== null && this.pendingCondition.index < index) {
      throw new Error(`emitter: the condition of ${this.pendingCondition.name} was left on the stack and not taken by the next op`);
    }
    // Stryker disable next-line ConditionalExpression: `true` for `op.result !== null` cannot change the code: isSpilled(null) is false
    if (op.result !== null && this.isSpilled(op.result)) {
      this.code.local('local.get', this.localIndex(op.result));
      this.popToSpill(op.result);
      this.localOf.delete(op.result);
    }
    for (const name of this.dying?.[index] ?? []) {
      if (!this.isSpilled(name)) this.freeLocals[VALTYPE_OF[typeOfVar(name)]].push(this.localIndex(name));
    }
  }

  get ioSlots(): number {
    return this.maxSlots;
  }

  /** The local of a variable (a spilled one has a local only during the op that defines it). */
  localIndex(name: string): number {
    const index = this.localOf.get(name);
    if (index === undefined) throw new Error(`no local for ${name}`);
    return index;
  }

  /** Pushes a variable's value, from its local or its spill slot. */
  private pushVariable(name: string): void {
    const slot = this.spillSlot.get(name);
    // Stryker disable next-line LogicalOperator,ConditionalExpression: `||`, or `true` for `slot !== undefined`, cannot change the code: a variable without a slot always has a local here, and one with both is a spilled result during its own op, which no rule pushes (rules read their result with localIndex)
    if (slot !== undefined && !this.localOf.has(name)) {
      this.code.i32Const(0);
      this.code.mem(loadInstr(typeOfVar(name)), slot);
    } else {
      this.code.local('local.get', this.localIndex(name));
    }
  }

  /** Pops the top of the stack into variable `name` (its local, or its spill slot). */
  private popVariable(name: string): void {
    // Stryker disable next-line LogicalOperator: `||` cannot change the code: every variable popped here that is not spilled has a local, and a spilled one has none (loadSlots and jump pop inputs and loop parameters, never the result of the current op)
    if (this.isSpilled(name) && !this.localOf.has(name)) this.popToSpill(name);
    else this.code.local('local.set', this.localIndex(name));
  }

  /** Pushes a value operand. */
  push(arg: Arg): void {
    switch (arg.kind) {
      case 'var':
        this.pushVariable(arg.name);
        return;
      case 'int':
        this.code.i64Const(arg.value);
        return;
      case 'float':
        this.code.f64Const(arg.value);
        return;
      // Stryker disable next-line ConditionalExpression: null falling through to the prebuilt case writes the same code: the address of no prebuilt object, undefined, is written as i32.const 0 (both sinks take the constant | 0)
      case 'null':
        this.code.i32Const(0);
        return;
      case 'prebuilt':
        this.code.i32Const(this.prebuilt.get(arg.name)!);
        return;
    }
  }

  /** Pops the op's result into its local. */
  define(op: Op): void {
    this.code.local('local.set', this.localIndex(op.result!));
  }

  /** Stores variables into exchange slots 0, 1, …; constants stay in the exit table. */
  storeSlots(names: readonly string[]): void {
    this.maxSlots = Math.max(this.maxSlots, names.length);
    names.forEach((name, k) => {
      this.code.i32Const(0);
      this.pushVariable(name);
      this.code.mem(storeInstr(typeOfVar(name)), ioSlot(k));
    });
  }

  loadSlots(names: readonly string[]): void {
    names.forEach((name, k) => {
      this.code.i32Const(0);
      this.code.mem(loadInstr(typeOfVar(name)), ioSlot(k));
      this.popVariable(name);
    });
  }

  /** Leaves `run` through exit `index` (the heap pointer goes to HEAP_TOP, the fuel to FUEL_LEFT). */
  leave(index: number): void {
    this.code.i32Const(0);
    this.code.local('local.get', RUN_LOCALS.hp);
    this.code.mem('i32.store', HEAP_TOP);
    this.code.i32Const(0);
    this.code.local('local.get', RUN_LOCALS.fuel);
    this.code.mem('i32.store', FUEL_LEFT);
    this.code.i32Const(index);
    this.code.op('return');
  }

  /**
   * Guards: pops an i32 that is nonzero when the guard fails, and exits with its fail values.
   * In the loop's body the exit is a `br_if` out of the main code to its own block's end, where
   * the exit's stores and return are laid out (`emitRun`), so the iteration's path through its
   * guards has no taken branch and no exit code in between; elsewhere (the preamble, bridges, a
   * loop's guards past the OUT_OF_LINE_EXITS-th) the exit is inline, under an `if`.
   */
  exitIf(op: Op): void {
    const exit = op.exit!;
    const slots = exitVariables(exit);
    const index = this.exits.push({ kind: 'guard', guardId: op.guardId, exit, slots }) - 1;
    // Stryker disable next-line EqualityOperator: `>=` cannot change the code: the op at outOfLineAfter, if any, is the label, whose rule takes the back-edge and never exits here (and a rule that did would only take a block a later guard finds gone, and exit inline, as the count below allows)
    if (this.opIndex > this.outOfLineAfter && this.outOfLine.length < this.outOfLineBlocks) {
      this.code.br('br_if', this.main.depth + this.outOfLine.length);
      const deferred = new DeferredSink();
      this.code = deferred;
      this.storeSlots(slots);
      this.leave(index);
      this.code = this.main;
      this.outOfLine.push(deferred);
      return;
    }
    this.code.block('if');
    this.storeSlots(slots);
    this.leave(index);
    this.code.end();
  }

  /**
   * Allocates `size` bytes (a constant, or 'length' for an array of RUN_LOCALS.length items) and
   * leaves the address in the op's result local. Bump allocation; the slow path grows the memory
   * or exits with heap-full. The caller writes the header and zeroes the rest.
   */
  allocate(op: Op, size: number | 'length'): void {
    const { hp, memEnd, limit } = RUN_LOCALS;
    this.code.local('local.get', hp);
    this.define(op);
    this.code.local('local.get', hp);
    if (size === 'length') {
      this.code.local('local.get', RUN_LOCALS.length);
      this.code.i32Const(3);
      this.code.op('i32.shl');
      this.code.i32Const(8);
      this.code.op('i32.add');
    } else {
      this.code.i32Const(size);
    }
    this.code.op('i32.add');
    this.code.local('local.tee', hp);
    this.code.local('local.get', memEnd);
    this.code.op('i32.gt_u');
    this.code.block('if');
    this.code.local('local.get', hp);
    this.code.local('local.get', limit);
    this.code.call(this.helper('grow'));
    this.code.local('local.tee', memEnd);
    this.code.op('i32.eqz');
    this.code.block('if');
    this.leave(EXIT_HEAP_FULL);
    this.code.end();
    this.code.end();
  }

  /** A back-edge: with no fuel left, store the loop state and exit; else take one unit. */
  backEdge(): void {
    const { fuel } = RUN_LOCALS;
    this.code.local('local.get', fuel);
    this.code.op('i32.eqz');
    this.code.block('if');
    this.storeSlots(this.loopState);
    this.leave(EXIT_BACK_EDGE);
    this.code.end();
    this.code.local('local.get', fuel);
    this.code.i32Const(1);
    this.code.op('i32.sub');
    this.code.local('local.set', fuel);
  }

  /**
   * `jump`: parameters := args (all pushed before any is set), then the back-edge: take one unit
   * of fuel and branch to the loop's top while the count stays >= 0 (one subtract and one
   * conditional branch per iteration); with none left, store the loop state and exit.
   */
  jump(op: Op): void {
    const { fuel } = RUN_LOCALS;
    for (const arg of op.args) this.push(arg);
    for (let k = this.loopParams.length - 1; k >= 0; k--) this.popVariable(this.loopParams[k]!);
    this.code.local('local.get', fuel);
    this.code.i32Const(1);
    this.code.op('i32.sub');
    this.code.local('local.tee', fuel);
    this.code.i32Const(0);
    this.code.op('i32.ge_s');
    this.code.br('br_if', 0);
    this.code.i32Const(0);
    this.code.local('local.set', fuel);
    this.storeSlots(this.loopState);
    this.leave(EXIT_BACK_EDGE);
  }

  finish(op: Op): void {
    const slots = argVariables(op.args);
    this.storeSlots(slots);
    this.leave(this.exits.push({ kind: 'finish', args: op.args, slots }) - 1);
  }

  escape(op: Op): void {
    const slots = argVariables(op.args);
    this.storeSlots(slots);
    this.code.i32Const(this.escapes.push({ args: op.args, slots }) - 1);
    this.code.local('local.get', RUN_LOCALS.hp);
    this.code.call(FUNC.escape);
  }
}

/** Emits the body of `run` for `trace` into `sink`, dispatching every op through `rules`. */
export function emitRun(trace: Trace, rules: OpRules, sink: CodeSink, options: EmitOptions = {}): TraceCode {
  const cx = new EmitContext(trace, sink, options);
  const code = cx.main;
  const emitOps = (from: number, to: number) => {
    for (let index = from; index < to; index++) {
      const op = trace.ops[index]!;
      code.traceOp(index, op);
      cx.enterOp(index, op);
      rules[op.name](op, cx);
      cx.leaveOp(index, op);
    }
  };
  // Out-of-line exit k leaves the main code by branching to the end of the k-th of these blocks.
  for (let k = 0; k < cx.outOfLineBlocks; k++) sink.block('block');
  const inputs = trace.inputs.map((i) => i.name);
  const label = labelIndex(trace);
  if (label < 0) {
    cx.loadSlots(inputs);
    code.block('loop');
    emitOps(0, trace.ops.length);
    code.end();
  } else {
    code.local('local.get', RUN_LOCALS.entry);
    code.op('i32.eqz');
    code.block('if');
    cx.loadSlots(inputs);
    emitOps(0, label + 1);
    code.else();
    cx.loadSlots(cx.loopState);
    code.end();
    code.block('loop');
    emitOps(label + 1, trace.ops.length);
    code.end();
  }
  code.op('unreachable');
  for (let k = 0; k < cx.outOfLineBlocks; k++) {
    sink.end();
    // A block no guard exits to (a rule that never called exitIf) is never reached.
    if (k < cx.outOfLine.length) cx.outOfLine[k]!.replayInto(sink);
    else sink.op('unreachable');
  }
  // The prebuilt objects were placed after the slots counted before emission.
  if (cx.ioSlots > cx.plannedSlots) throw new Error(`emitter: ${cx.ioSlots} exchange slots used, ${cx.plannedSlots} planned`);
  return {
    exits: cx.exits,
    escapes: cx.escapes,
    ioSlots: cx.plannedSlots,
    prebuilt: cx.prebuilt,
    prebuiltStart: cx.prebuiltStart,
    heapStart: cx.heapStart,
    loopState: cx.loopState,
    locals: cx.locals,
    helpers: cx.helpers,
  };
}

/**
 * The ops whose result is read once, as the operand of the guard_true or guard_false right after
 * them, and by nothing else (an op, an exit, the label's or jump's args), and is not spilled.
 */
function guardConditions(trace: Trace, spilled: ReadonlySet<string>): Set<Op> {
  const uses = new Map<string, number>();
  // Stryker disable next-line ConditionalExpression: `true` for `x.kind === 'var'` cannot change the result: a constant's uses are counted under no name (undefined), which no op's result is
  const use = (x: ExitValue) => x.kind === 'var' && uses.set(x.name, (uses.get(x.name) ?? 0) + 1);
  for (const op of trace.ops) {
    op.args.forEach(use);
    if (op.exit) forEachExitValue(op.exit, use);
  }
  const out = new Set<Op>();
  trace.ops.forEach((op, index) => {
    const next = trace.ops[index + 1];
    // Stryker disable next-line LogicalOperator,ConditionalExpression: `(a || b) && c`, or `false` for the result and spill tests, cannot change what the code does: the last op has no result, an op without one is never the operand of the next guard, and a spilled compare read only by the next guard may leave its condition too (its slot then gets a stale value nothing reads)
    if (op.result === null || spilled.has(op.result) || next === undefined) return;
    if (next.name !== 'guard_true' && next.name !== 'guard_false') return;
    const arg = next.args[0]!;
    // Stryker disable next-line ConditionalExpression: `true` for `arg.kind === 'var'` cannot change the result: a constant has no name, so it is never op's result
    if (arg.kind === 'var' && arg.name === op.result && uses.get(op.result) === 1) out.add(op);
  });
  return out;
}

/** The exchange slots the ops' exits, finishes and escapes store into, at most. */
function exchangeSlotsOfOps(trace: Trace): number {
  let most = 0;
  for (const op of trace.ops) {
    if (op.exit) most = Math.max(most, exitVariables(op.exit).length);
    if (op.name === 'finish' || op.name === 'escape') most = Math.max(most, argVariables(op.args).length);
  }
  return most;
}

/**
 * A loop's first this many guards exit out of line (each wraps the main code in one more block;
 * the loops the JIT compiles have a few dozen guards in their body at most, and a deeper nest
 * only costs the engine's compiler time).
 */
export const OUT_OF_LINE_EXITS = 64;

/**
 * In a trace with shared locals, at most this many variables of one type live in locals at once
 * (so at most 3 × this many locals, under V8's 50,000); any more are spilled to memory.
 */
export const LIVE_LOCALS_PER_TYPE = 12_000;

/**
 * The variables to spill, in definition order: walking the ops as the emitter declares and frees
 * locals (a result gets its local before the op's dying operands free theirs), a variable defined
 * while LIVE_LOCALS_PER_TYPE of its type already live in locals is spilled. Inputs are counted
 * first, in order. Linear in the trace.
 */
function spilledVariables(trace: Trace, dying: readonly (readonly string[])[]): string[] {
  const live: Record<ValType, number> = { i32: 0, i64: 0, f64: 0 };
  const spilled = new Set<string>();
  const define = (name: string) => {
    const type = VALTYPE_OF[typeOfVar(name)];
    if (live[type] >= LIVE_LOCALS_PER_TYPE) spilled.add(name);
    else live[type]++;
  };
  trace.inputs.forEach((input) => define(input.name));
  trace.ops.forEach((op, index) => {
    if (op.result) define(op.result);
    for (const name of dying[index]!) if (!spilled.has(name)) live[VALTYPE_OF[typeOfVar(name)]]--;
  });
  return [...spilled];
}

/**
 * V8 refuses functions with more than 50,000 locals. Up to this many variables each has its
 * own local (the WAT dump reads best that way); beyond it, locals are shared.
 */
export const OWN_LOCALS_UP_TO = 20_000;

/**
 * For each op index, the variables whose last use (as an operand or in an exit) is that op, or
 * that it defines and nothing uses. `pinned` variables (the loop's parameters and state) live
 * across the back-edge and never die. Within one iteration this is exact: the trace is
 * straight-line SSA, so a variable is dead after its last use in program order.
 */
function deathPoints(trace: Trace, pinned: readonly string[]): string[][] {
  const lastUse = new Map<string, number>();
  // Stryker disable next-line ArrowFunction: not recording the inputs cannot change a result: an input that is used gets its last use below, and one that is not is then absent, which like -1 means it never dies (the line's `+1` mutant fails test/wasm/large.test.ts)
  trace.inputs.forEach((input) => lastUse.set(input.name, -1));
  trace.ops.forEach((op, index) => {
    if (op.result) lastUse.set(op.result, index);
    const use = (x: ExitValue) => x.kind === 'var' && lastUse.set(x.name, index);
    op.args.forEach(use);
    if (op.exit) forEachExitValue(op.exit, use);
  });
  for (const name of pinned) lastUse.delete(name);
  const dying: string[][] = trace.ops.map(() => []);
  for (const [name, index] of lastUse) if (index >= 0) dying[index]!.push(name);
  return dying;
}

function forEachExitValue(exit: ExitDesc, visit: (x: ExitValue) => void): void {
  exit.values.forEach(visit);
  for (const v of exit.virtuals) {
    if (v.kind === 'object') v.fields.forEach((f) => visit(f.value));
    else v.items.forEach(visit);
  }
}

/** The distinct variables an exit mentions, in first-use order. */
function exitVariables(exit: ExitDesc): string[] {
  const names = new Set<string>();
  forEachExitValue(exit, (x) => x.kind === 'var' && names.add(x.name));
  return [...names];
}

function argVariables(args: readonly Arg[]): string[] {
  const names = new Set<string>();
  for (const a of args) if (a.kind === 'var') names.add(a.name);
  return [...names];
}
