/**
 * virtualize: allocation removal inside one iteration (the paper's section 4).
 *
 * One forward pass over an abstract heap. `new` does not allocate: it creates a *virtual*, a
 * description of the object (class and the value of each field). Field reads and writes on a
 * virtual vanish (a read becomes the field's value), so do `guard_class`, `guard_nonnull`,
 * `guard_isnull` and `guard_value` on it (their outcome is known) and `ptr_eq`/`ptr_ne` with it
 * (a virtual is identical only to itself). Arrays with a constant length are virtual the same
 * way while they are indexed with constants. Any other use *forces* the virtual: it is
 * allocated right there and its fields are written, after which it is an ordinary value. An
 * `escape`, a `finish`, a `jump` (the next issue removes that one), a store into a non-virtual
 * object, a non-constant index: all force. Guards never force: a guard whose fail args reach
 * virtuals gets resume data (`ExitDesc.virtuals`) saying how to build them when it exits.
 *
 * Rules any edit must keep (each is argued in proofs-notes/virtualize.md):
 *  R1  Forcing marks the object forced in the abstract heap *before* it forces what the
 *      object's fields hold. That makes cycles terminate, and each virtual is allocated once:
 *      what is forced stays forced (a later use sees the allocated variable).
 *  R2  Storing a virtual into a non-virtual object forces the *stored value* (the object
 *      becomes reachable from the heap); storing anything into a virtual forces nothing.
 *  R3  A guard is kept or removed for the reason of its own operands, never forces, and keeps
 *      its guardId. Exits already in the input ($k values of an optimized trace) are translated,
 *      not dropped: their fields may mention values that are virtual now.
 *  R4  The label's rule (rewrite.ts, LabelBoundary): an op whose result is a label argument, or
 *      a value used after the label whose field value is a label argument, is emitted as an
 *      ordinary op (forcing what it uses), because the label rebinds its arguments on every
 *      back-edge (proofs-notes/loops.md). At the label, every virtual that
 *      the rest of the trace can reach through a variable defined before the label is forced:
 *      the loop body runs many times, the abstract state of the first time is not the state of
 *      the later ones. An allocation whose result is a label argument stays virtual like any
 *      other: it is forced at the latest by the label, under its own name, so the label still
 *      gets that distinct variable; forcing it where it is used (rather than where it is
 *      written) keeps the order of allocations the same when an optimized trace is optimized
 *      again.
 *  R5  Only `new`/`new_array` create virtuals. Known classes of *non-virtual* values belong to
 *      fold.ts, so `--passes virtualize` is the paper's section 4 plus R6.
 *  R6  A pure op whose operands all resolve to constants is its value (evaluate.ts, the same
 *      meaning fold uses) and goes, subject to R4's label rule. Why here and not only in fold:
 *      a virtual written with such a value is forced without writing it when it is its type's
 *      zero, and an array indexed with it stays virtual, so the pipeline's first round already
 *      gives what a second virtualize would (folding on emission, as LuaJIT does).
 *
 * The abstract state is (env, heap). env maps each input-trace variable to what it is now (an
 * emitted variable, a constant, or a virtual); it only grows (SSA) and is a plain Map. heap maps
 * each virtual id to its class and field values, or to the variable it was forced into; it is a
 * persistent vector (pvector.ts, and why not immer), so the state at a guard or at the end of a
 * sequence is an O(1) snapshot: `virtualizeOps` takes a start state and returns the end state,
 * which is what loop peeling (issue 4) builds on. Each op costs O(1) plus what it emits (O(log n)
 * heap updates, class and array sizes bounded), so the pass is linear in the size of its output,
 * which is at most the size of its input (exits included).
 *
 * Pre:  the trace validates.
 * Post: the trace validates; it has no more `new`, `new_array`, guards, `getfield`, `setfield`
 *       than the input (each forced allocation stands for one input allocation, each forced
 *       write for at least one input write of that field); on every run without undefined
 *       behaviour it has the input's outcome (exits rebuild the virtuals they mention).
 *
 * Before:                                  After:
 *   [p0]                                     [p0]
 *   p1 = new(BoxedInteger)                   guard_class(p0, BoxedInteger) [$0] with $0 = BoxedInteger{intval: 7}
 *   setfield(p1, intval, 7)                  i3 = getfield(p0, intval)
 *   guard_class(p0, BoxedInteger) [p1]       i4 = int_add(i3, 7)
 *   i2 = getfield(p1, intval)                p5 = new(BoxedInteger)
 *   i3 = getfield(p0, intval)                setfield(p5, intval, i4)
 *   i4 = int_add(i3, i2)                     escape(p5)
 *   p5 = new(BoxedInteger)                   finish()
 *   setfield(p5, intval, i4)
 *   escape(p5)
 *   finish()
 *
 * Proof notes: proofs-notes/virtualize.md.
 */
import {
  type Arg,
  cint,
  type ClassDecl,
  deepFreeze,
  type ExitDesc,
  type ExitValue,
  type FieldDecl,
  FREEZE_TRACES,
  freshNamer,
  isPure,
  mkOp,
  type Op,
  type OpName,
  type Trace,
  type Type,
  typeOfArg,
  v,
  zeroOf,
} from '../ir/index.ts';
import { evaluatePure } from './evaluate.ts';
import { PVector } from './pvector.ts';
import { describeExit, isZeroValue } from './resume.ts';
import { LabelBoundary, withParts } from './rewrite.ts';

/** Longest array kept virtual: every guard's resume data lists all items of the arrays it reaches. */
export const MAX_VIRTUAL_ARRAY_LENGTH = 64;

/** What virtualize knows a value to be: an emitted value (variable or constant), or a virtual. */
export type Known = Arg | { readonly kind: 'vref'; readonly id: number };

/** Where a virtual came from: the variable its `new` defined (its name if it is forced). */
export interface Origin {
  readonly name: string;
}

export type HeapEntry =
  | { readonly kind: 'object'; readonly cls: string; readonly fields: readonly Known[]; readonly origin: Origin }
  | { readonly kind: 'array'; readonly elem: Type; readonly items: readonly Known[]; readonly origin: Origin }
  /** Allocated by forcing; `name` is the variable that holds it from then on. */
  | { readonly kind: 'forced'; readonly name: string };

export type VirtualEntry = Exclude<HeapEntry, { kind: 'forced' }>;

export interface AbstractState {
  /** Input-trace variable -> what it is. Fields of an object virtual are in declaration order. */
  readonly env: ReadonlyMap<string, Known>;
  readonly heap: PVector<HeapEntry>;
}

/** Why a virtual was allocated: the op (index into the ops given; -1 for none) and a short reason. */
export interface Forcing {
  /** The variable of the forced allocation in the output. */
  readonly name: string;
  readonly index: number;
  readonly why: string;
}

export interface VirtualizeResult {
  readonly ops: readonly Op[];
  readonly end: AbstractState;
  /** Every forcing, in the order it happened. */
  readonly forcings: readonly Forcing[];
}

export interface VirtualizeContext {
  readonly classes: readonly ClassDecl[];
  /**
   * The name under which an op's result is emitted (default: its own). Loop peeling optimizes
   * the loop's iteration a second time, as the body, under fresh names: renaming on emission
   * spares a renamed copy of every op. The env stays keyed by the input's names.
   */
  readonly resultName?: (name: string) => string;
}

/** The state a whole trace starts in: every input is itself, nothing is virtual. */
export function entryState(trace: Trace): AbstractState {
  return { env: new Map(trace.inputs.map((i) => [i.name, v(i.name)])), heap: PVector.empty() };
}

/**
 * freshNamer (a name no variable of `trace` has), scanning the trace only when a name is first
 * asked for: most runs force nothing that lacks a name of its own, and need none.
 */
export function lazyFreshNamer(trace: Trace): (type: Type) => string {
  let namer: ((type: Type) => string) | null = null;
  return (type) => (namer ??= freshNamer(trace))(type);
}

export function virtualize(trace: Trace): Trace {
  const run = virtualizeOps(trace.ops, entryState(trace), { classes: trace.classes });
  return { ...trace, ops: run.ops };
}

/**
 * The core: optimizes `ops` starting from `start` and reports the state after the last op.
 * `ops` need not end in jump/finish (a preamble, a loop body). Variables in `ops` must be
 * defined in `start.env` or by an earlier op of `ops`.
 */
export function virtualizeOps(ops: readonly Op[], start: AbstractState, context: VirtualizeContext): VirtualizeResult {
  return new Virtualizer(ops, start, context).run();
}

// ---------------------------------------------------------------------------------------------
// The machine. Exported so that tests can build deliberately broken variants by overriding one
// method or one rule (test/broken-optimizers/); nothing in src/ subclasses it.

interface Layout {
  readonly fields: readonly FieldDecl[];
  readonly position: ReadonlyMap<string, number>;
  /** A fresh object's field values (shared: a heap entry's fields are copied before a write). */
  readonly zeros: readonly Known[];
}

/** What forced a value: the op (its index; -1 for none) and why; nested forcings say what held them. */
export interface Cause {
  readonly index: number;
  readonly why: string;
}

export class Virtualizer {
  /** The rule for each op; ops without one go to `emitResidual`. */
  readonly rules: Readonly<Partial<Record<OpName, Rule>>> = RULES;
  readonly env: Map<string, Known>;
  heap: PVector<HeapEntry>;
  readonly out: Op[] = [];
  readonly forcings: Forcing[] = [];
  private readonly layouts = new Map<string, Layout>();
  /** What the label asks (R4), and the variables the label and what follows it mention. */
  readonly boundary: LabelBoundary;
  readonly usedFromLabel: readonly string[];

  constructor(
    readonly ops: readonly Op[],
    start: AbstractState,
    readonly context: VirtualizeContext,
  ) {
    this.env = new Map(start.env);
    this.heap = start.heap;
    for (const c of context.classes) {
      this.layouts.set(c.name, { fields: c.fields, position: new Map(c.fields.map((f, k) => [f.name, k])), zeros: c.fields.map((f) => zeroOf(f.type)) });
    }
    const label = ops.findIndex((op) => op.name === 'label');
    this.boundary = new LabelBoundary(ops);
    const mentioned = new Set<string>();
    // Stryker disable next-line ConditionalExpression,EqualityOperator: `true` fills the list from the last op when there is no label, and only the label's rule reads it; `label > 0` leaves it empty for a label at index 0, before which only the start state's values are, and a trace's start state (entryState) holds no virtual for the label to force
    if (label >= 0) for (const op of ops.slice(label)) forEachVar(op, (name) => mentioned.add(name));
    this.usedFromLabel = [...mentioned];
  }

  run(): VirtualizeResult {
    const { ops, rules } = this;
    for (let index = 0; index < ops.length; index++) {
      const op = ops[index]!;
      (rules[op.name] ?? (isPure(op.name) ? foldConstants : emitResidual))(this, op, index);
    }
    return { ops: this.out, end: { env: this.env, heap: this.heap }, forcings: this.forcings };
  }

  layout(cls: string): Layout {
    return this.layouts.get(cls)!;
  }

  resolve(arg: Arg): Known {
    return arg.kind === 'var' ? this.env.get(arg.name)! : arg;
  }

  /** The virtual `known` is, if it is one that is still virtual. */
  virtual(known: Known): { id: number; entry: VirtualEntry } | null {
    if (known.kind !== 'vref') return null;
    const entry = this.heap.get(known.id);
    return entry.kind === 'forced' ? null : { id: known.id, entry };
  }

  /** `known` as an emitted value: a virtual is forced first. */
  residual(known: Known, cause: Cause): Arg {
    if (known.kind !== 'vref') return known;
    const entry = this.heap.get(known.id);
    return v(entry.kind === 'forced' ? entry.name : this.force(known.id, entry, cause));
  }

  /**
   * Allocates a virtual and writes its fields: R1, the heap says "forced" before any field is.
   * A field holding a virtual not yet forced is forced first (its allocation and writes come
   * before the write that stores it). Iterative, with an explicit stack of the objects being
   * written, so that the depth of nested virtuals is bounded by memory, not by the call stack.
   */
  protected force(id: number, entry: VirtualEntry, cause: Cause): string {
    const root = this.startForcing(id, entry, cause);
    const stack: ForcingFrame[] = [root];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const parts = frame.entry.kind === 'object' ? frame.entry.fields : frame.entry.items;
      if (frame.next >= parts.length) {
        stack.pop();
        continue;
      }
      const value = parts[frame.next]!;
      if (value.kind === 'vref') {
        const held = this.heap.get(value.id);
        if (held.kind !== 'forced') {
          stack.push(this.startForcing(value.id, held, { ...cause, why: `reachable from ${frame.name}, forced by the same op` }));
          continue;
        }
      }
      const k = frame.next++;
      if (isZeroValue(value)) continue;
      const stored = value.kind === 'vref' ? v((this.heap.get(value.id) as { name: string }).name) : value;
      if (frame.entry.kind === 'object') {
        const descr = { kind: 'field', cls: frame.entry.cls, field: this.layout(frame.entry.cls).fields[k]!.name } as const;
        this.out.push(mkOp('setfield', [v(frame.name), stored], { descr }));
      } else {
        this.out.push(mkOp('setarrayitem', [v(frame.name), cint(k), stored]));
      }
    }
    return root.name;
  }

  /** Marks the virtual forced, records why and emits its allocation (R1: before any field). */
  private startForcing(id: number, entry: VirtualEntry, cause: Cause): ForcingFrame {
    const name = entry.origin.name;
    this.heap = this.heap.set(id, { kind: 'forced', name });
    this.forcings.push({ name, index: cause.index, why: cause.why });
    if (entry.kind === 'object') this.out.push(mkOp('new', [], { result: name, descr: { kind: 'class', cls: entry.cls } }));
    else this.out.push(mkOp('new_array', [cint(entry.items.length)], { result: name, descr: { kind: 'elem', type: entry.elem } }));
    return { entry, name, next: 0 };
  }

  // The heap is persistent (an earlier state, such as the preamble's end that peel starts each
  // round from, shares its entries): an entry is replaced, never edited. In tests and development
  // entries are frozen as traces are (edit.ts), so an edit in place throws where it happens.
  createVirtual(entry: VirtualEntry, result: string): void {
    this.env.set(result, { kind: 'vref', id: this.heap.size });
    this.heap = this.heap.push(FREEZE_TRACES ? deepFreeze(entry) : entry);
  }

  update(id: number, entry: VirtualEntry): void {
    this.heap = this.heap.set(id, FREEZE_TRACES ? deepFreeze(entry) : entry);
  }

  emit(op: Op): void {
    const rename = this.context.resultName;
    if (op.result !== null && rename !== undefined) {
      const name = rename(op.result);
      this.out.push(withParts(op, name, op.args, op.exit));
      this.env.set(op.result, v(name));
      return;
    }
    this.out.push(op);
    // Stryker disable next-line ConditionalExpression: `true` adds the key null, which no name looked up equals
    if (op.result !== null) this.env.set(op.result, v(op.result));
  }

  /** The name a virtual created by the op defining `result` is allocated under if forced. */
  originName(result: string): string {
    return this.context.resultName?.(result) ?? result;
  }

  /**
   * The exit's resume data when no virtual is in it (most guards of a trace), else null: its
   * values as they are now, without the tables and closures the general case needs. When every
   * variable in it is still itself the exit is returned as it is (describing it would build an
   * equal copy).
   */
  private plainExit(exit: ExitDesc): ExitDesc | null {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut: `true` and `>= 0` send every exit to the general case, which describes it as this one would (checked by hand: `false` and `<= 0` fail test/golden/virtualize/exit-describing-a-virtual.trace)
    if (exit.virtuals.length > 0) return null;
    // (So no value is a virtual: one would index exit.virtuals.)
    const { values } = exit;
    let out: ExitValue[] | null = null;
    for (let k = 0; k < values.length; k++) {
      const value = values[k]!;
      let now: ExitValue = value;
      if (value.kind === 'var') {
        const known = this.env.get(value.name)!;
        if (known.kind === 'vref') {
          const entry = this.heap.get(known.id);
          // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut: `true` (or a kind compared with '') sends an exit naming a forced virtual to the general case too, which describes that virtual as its variable (checked by hand: `false` fails test/golden/peel/peel-class-change.trace)
          if (entry.kind !== 'forced') return null;
          now = v(entry.name);
        } else {
          // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: a mutant that takes `known` also for a variable that is still itself (the test made `true`, either half made `true`, the kind test made `false`, `=== 'var'` or compared with '') copies a value equal to the one it replaces (checked by hand: the test made `false`, `&&` for `||`, and the name test made `false` or `===` fail test/golden/virtualize/exit-naming-a-read-field.trace)
          if (known.kind !== 'var' || known.name !== value.name) now = known;
        }
      }
      // Stryker disable next-line ConditionalExpression: the change test made `true` starts the copy at the first value, changed or not: a copy equal to the exit (checked by hand: `out === null` made `true`, the whole test made `false`, and `||` fail test/golden/virtualize/exit-naming-a-read-field.trace)
      if (out === null && now !== value) out = values.slice(0, k);
      if (out !== null) out.push(now);
    }
    return out === null ? exit : { values: out, virtuals: [] };
  }

  /** Resume data for an exit, from the current state (resume.ts). */
  describeExit(exit: ExitDesc): ExitDesc {
    const plain = this.plainExit(exit);
    // Stryker disable next-line ConditionalExpression: a shortcut: `false` describes every exit by the general case, which gives the plain answer too
    if (plain !== null) return plain;
    return describeExit<Known, number>(exit, {
      resolve: (arg) => this.resolve(arg),
      exitValue: (known) => {
        if (known.kind !== 'vref') return known;
        const entry = this.heap.get(known.id);
        return entry.kind === 'forced' ? v(entry.name) : null;
      },
      virtualOf: (known) => (known as { id: number }).id,
      shapeOf: (id) => {
        const entry = this.heap.get(id) as VirtualEntry;
        if (entry.kind === 'object') return { kind: 'object', cls: entry.cls };
        // Stryker disable next-line StringLiteral: the kind cannot change the result: resume.ts tests only for 'object'
        return { kind: 'array', elem: entry.elem };
      },
      partsOf: (id) => {
        const entry = this.heap.get(id) as VirtualEntry;
        return entry.kind === 'object' ? entry.fields : entry.items;
      },
      fieldsOf: (cls) => this.layout(cls).fields,
    });
  }
}

/** An object being allocated by `force`, and the next of its fields to write. */
interface ForcingFrame {
  readonly entry: VirtualEntry;
  readonly name: string;
  next: number;
}

function knownType(known: Known): Type {
  return known.kind === 'vref' ? 'ref' : typeOfArg(known);
}

/** Every variable an op mentions: operands and the Arg values of its exit. */
function forEachVar(op: Op, visit: (name: string) => void): void {
  for (const a of op.args) if (a.kind === 'var') visit(a.name);
  if (!op.exit) return;
  const value = (x: ExitValue) => x.kind === 'var' && visit(x.name);
  op.exit.values.forEach(value);
  for (const d of op.exit.virtuals) {
    if (d.kind === 'object') d.fields.forEach((f) => value(f.value));
    else d.items.forEach(value);
  }
}

// ---------------------------------------------------------------------------------------------
// The rules. Ops without a rule are emitted with their operands made residual (forcing).

export type Rule = (run: Virtualizer, op: Op, index: number) => void;

const WHY: Partial<Record<OpName, string>> = {
  escape: 'passed to escape',
  finish: 'a finish argument',
  jump: 'a jump argument (it crosses the loop boundary)',
  setfield: 'stored into an object that is not virtual',
  setarrayitem: 'stored into an array that is not virtual, or at a non-constant index',
  getarrayitem: 'read at a non-constant or out-of-range index',
  label: 'a label argument',
};

function causeOf(op: Op, index: number, run: Virtualizer): Cause {
  const why = op.result !== null && run.boundary.args.has(op.result) ? `defines the label argument ${op.result}` : (WHY[op.name] ?? `used by ${op.name}`);
  return { index, why };
}

/** The default: the op stays, every virtual it uses is forced first. */
export function emitResidual(run: Virtualizer, op: Op, index: number): void {
  // The cause is built only when some operand is a virtual (most ops force nothing).
  let cause: Cause | null = null;
  // Most residual ops keep their operands and have no exit: they are emitted as they are (ops
  // are immutable), which spares copying them.
  let args: Arg[] | null = null;
  for (let k = 0; k < op.args.length; k++) {
    const a = op.args[k]!;
    const known = run.resolve(a);
    // Stryker disable next-line ConditionalExpression: the vref test made `true` sends a plain value to `residual`, which returns it (checked by hand: `false` fails test/golden/golden.test.ts, its check that a blessed expectation behaving differently is rejected)
    const r = known.kind === 'vref' ? run.residual(known, (cause ??= causeOf(op, index, run))) : known;
    if (args !== null) args.push(r);
    else {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: a mutant that copies the operands also when none changed (either test made `true`, or `||`) builds an op equal to this one
      if (r !== a && !sameBareVar(r, a)) {
        args = op.args.slice(0, k);
        args.push(r);
      }
    }
  }
  const exit = op.exit && run.describeExit(op.exit);
  // Stryker disable next-line ConditionalExpression: `false` builds an op equal to this one rather than emitting it as it is
  if (args === null && exit === op.exit) return run.emit(op);
  run.emit(withParts(op, op.result, args ?? op.args, exit));
}

/**
 * Whether operand `a` can stay as it is for `r`, what it resolved to: the same variable, and `a`
 * without a location. A located operand resolves to a variable without one (what `v(name)` builds),
 * which replaces it; an unlocated one (a trace built through the API) is shared.
 */
// Stryker disable next-line BlockStatement: a function answering nothing (false) only has every operand copied, equal to what it was
function sameBareVar(r: Arg, a: Arg): boolean {
  // Stryker disable next-line all: `a` is a variable whenever this is asked (an operand of another kind resolves to itself, and the caller asks only when `r !== a`), so this line only narrows its type: a mutant of the test answers `false` for a variable (the operand copied, equal) or nothing new, and the `return` is never reached
  if (a.kind !== 'var') return false;
  // Stryker disable next-line ConditionalExpression: the test made `true` only has every operand copied, equal (checked by hand: made `false`, which shares a located operand, it fails test/optimizer/figure2.test.ts)
  if ('loc' in a) return false;
  // Stryker disable next-line ConditionalExpression,StringLiteral: the test made `false`, or the kind's string emptied, only has the operand copied, equal; each part made `true` is killed (checked by hand: the kind's and the name's fail test/optimizer/virtualize-operands.test.ts)
  return r.kind === 'var' && r.name === a.name;
}

/**
 * The virtual operand `k`, if still virtual. A rule that would drop a label argument's definition
 * keeps it all the same: `define` asks the label first (R4).
 */
function virtualOperand(run: Virtualizer, op: Op, k: number) {
  return run.virtual(run.resolve(op.args[k]!));
}

/**
 * The op's result is `known` and the op goes, unless the label needs it (R4): then it is emitted
 * as an ordinary op (its virtual operands forced).
 */
function define(run: Virtualizer, op: Op, known: Known, index: number): void {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a virtual given to mayDrop as it is rather than as null is no variable either, and mayDrop looks at a replacement only when it is a variable: the same answer (checked by hand: the test made `true`, which hides every variable, fails test/golden/regressions/virtualize-field-replaced-by-label-argument.trace)
  if (!run.boundary.mayDrop(op.result!, known.kind === 'vref' ? null : known)) return emitResidual(run, op, index);
  run.env.set(op.result!, known);
}

/** A guard whose outcome is known: it vanishes if it passes, else it becomes one that always exits. */
function decideGuard(run: Virtualizer, op: Op, passes: boolean): void {
  if (passes) return;
  run.emit(mkOp('guard_true', [cint(0)], { guardId: op.guardId, exit: run.describeExit(op.exit!), ...(op.loc && { loc: op.loc }) }));
}

function constantIndex(run: Virtualizer, arg: Arg, length: number): number | null {
  const index = run.resolve(arg);
  // Stryker disable next-line ConditionalExpression: without this test a non-constant index has no `value`, and `undefined >= 0n` is false: null all the same
  if (index.kind !== 'int') return null;
  return index.value >= 0n && index.value < BigInt(length) ? Number(index.value) : null;
}

export const RULES: Partial<Record<OpName, Rule>> = {
  new(run, op) {
    const cls = (op.descr as { cls: string }).cls;
    const fields = run.layout(cls).zeros;
    run.createVirtual({ kind: 'object', cls, fields, origin: { name: run.originName(op.result!) } }, op.result!);
  },
  new_array(run, op, index) {
    const length = run.resolve(op.args[0]!);
    if (length.kind !== 'int' || length.value > BigInt(MAX_VIRTUAL_ARRAY_LENGTH)) {
      return emitResidual(run, op, index);
    }
    const elem = (op.descr as { type: Type }).type;
    // A negative length makes no items, as in the reference: Array.from reads it as 0.
    const items = Array.from({ length: Number(length.value) }, () => zeroOf(elem));
    run.createVirtual({ kind: 'array', elem, items, origin: { name: run.originName(op.result!) } }, op.result!);
  },
  getfield(run, op, index) {
    const target = virtualOperand(run, op, 0);
    const descr = op.descr as { cls: string; field: string };
    if (target?.entry.kind !== 'object' || target.entry.cls !== descr.cls) return emitResidual(run, op, index);
    define(run, op, target.entry.fields[run.layout(descr.cls).position.get(descr.field)!]!, index);
  },
  setfield(run, op, index) {
    const target = virtualOperand(run, op, 0);
    const descr = op.descr as { cls: string; field: string };
    if (target?.entry.kind !== 'object' || target.entry.cls !== descr.cls) return emitResidual(run, op, index);
    const fields = target.entry.fields.slice();
    fields[run.layout(descr.cls).position.get(descr.field)!] = run.resolve(op.args[1]!);
    run.update(target.id, { ...target.entry, fields });
  },
  getarrayitem(run, op, index) {
    const target = virtualOperand(run, op, 0);
    if (target?.entry.kind !== 'array' || target.entry.elem !== (op.descr as { type: Type }).type) return emitResidual(run, op, index);
    const k = constantIndex(run, op.args[1]!, target.entry.items.length);
    if (k === null) return emitResidual(run, op, index);
    define(run, op, target.entry.items[k]!, index);
  },
  setarrayitem(run, op, index) {
    const target = virtualOperand(run, op, 0);
    const value = run.resolve(op.args[2]!);
    if (target?.entry.kind !== 'array' || knownType(value) !== target.entry.elem) return emitResidual(run, op, index);
    const k = constantIndex(run, op.args[1]!, target.entry.items.length);
    if (k === null) return emitResidual(run, op, index);
    const items = target.entry.items.slice();
    items[k] = value;
    run.update(target.id, { ...target.entry, items });
  },
  arraylen(run, op, index) {
    const target = virtualOperand(run, op, 0);
    if (target?.entry.kind !== 'array') return emitResidual(run, op, index);
    define(run, op, cint(target.entry.items.length), index);
  },
  ptr_eq: (run, op, index) => comparePointers(run, op, index, true),
  ptr_ne: (run, op, index) => comparePointers(run, op, index, false),

  guard_class(run, op, index) {
    const target = run.virtual(run.resolve(op.args[0]!));
    if (!target) return emitResidual(run, op, index);
    // Stryker disable next-line ConditionalExpression: without the kind test an array's `cls` is undefined, which no class equals (the line's other ConditionalExpression mutants fail test/golden/virtualize/virtual-identity.trace)
    decideGuard(run, op, target.entry.kind === 'object' && target.entry.cls === (op.descr as { cls: string }).cls);
  },
  guard_nonnull(run, op, index) {
    if (!run.virtual(run.resolve(op.args[0]!))) return emitResidual(run, op, index);
    decideGuard(run, op, true);
  },
  guard_isnull(run, op, index) {
    if (!run.virtual(run.resolve(op.args[0]!))) return emitResidual(run, op, index);
    decideGuard(run, op, false);
  },
  guard_value(run, op, index) {
    const [a, b] = op.args.map((x) => run.resolve(x)) as [Known, Known];
    if (!run.virtual(a) && !run.virtual(b)) return emitResidual(run, op, index);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: one operand is a virtual, so without either kind test, or with either one (`||`), the other's missing `id` (undefined) still differs from its id (checked by hand: the line's other mutants of both kinds, `a.id === b.id` made `true` and `(a && b) || same id`, fail test/golden/virtualize/virtual-identity.trace)
    decideGuard(run, op, a.kind === 'vref' && b.kind === 'vref' && a.id === b.id);
  },

  label(run, op, index) {
    const cause: Cause = { index, why: 'reachable from the loop body through a value defined before the label' };
    for (const name of run.usedFromLabel) {
      const known = run.env.get(name);
      if (known) run.residual(known, cause);
    }
    emitResidual(run, op, index);
  },
};

/**
 * A pure op whose operands are all constants is its value (evaluate.ts), like fold's rule (R6):
 * a virtual written with that value then needs no write of it when forced if it is its type's
 * zero, which is what lets one round of the pipeline reach its fixpoint (LuaJIT folds on
 * emission for the same reason). Anything else is an ordinary residual op.
 */
function foldConstants(run: Virtualizer, op: Op, index: number): void {
  const args: Arg[] = [];
  for (const a of op.args) {
    const known = run.resolve(a);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a shortcut: evaluatePure answers null for an operand that is not a constant, and the op is residual all the same (the line's EqualityOperator mutants fail test/golden/virtualize/constant-operands.trace)
    if (known.kind === 'var' || known.kind === 'vref') return emitResidual(run, op, index);
    args.push(known);
  }
  const value = evaluatePure(op.name, args);
  if (value === null) return emitResidual(run, op, index);
  define(run, op, value, index);
}

/** A virtual is identical to itself and to nothing else (no other value can refer to it). */
function comparePointers(run: Virtualizer, op: Op, index: number, equal: boolean): void {
  const a = virtualOperand(run, op, 0);
  const b = virtualOperand(run, op, 1);
  if (!a && !b) return emitResidual(run, op, index);
  const same = a !== null && b !== null && a.id === b.id;
  define(run, op, cint(same === equal ? 1 : 0), index);
}
