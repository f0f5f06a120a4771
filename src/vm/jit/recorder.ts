/**
 * The recorder: one iteration of a hot loop, as the interpreter runs it, written as a trace of
 * the IR (the seed paper's section 2: the tracer follows the interpreter, every assumption a
 * guard).
 *
 * How: the interpreter calls `step` before each instruction while recording. The recorder keeps a
 * shadow of the interpreter's stack from the loop frame's base up: for each word, the IR value
 * that holds it (an input variable, a result of a recorded op, a prebuilt None/True/False, or a
 * `static`: a root-table entry such as a method or a builtin, which the trace never needs to hold
 * in a variable). It reads the concrete operands from the interpreter's stack, decides which
 * path the interpreter takes (class of each operand, branch direction, bounds, overflow), emits
 * the ops of that path with a guard for each decision, and updates the shadow as the instruction
 * will update the stack. It predicts the next (code, pc, sp); a mismatch at the next step (an
 * exception, a path the recorder did not foresee) aborts. Calls are inlined: the callee's frame
 * continues the shadow (interpreter frames are contiguous on the stack), up to a depth limit and
 * never recursively.
 *
 * Every value the interpreter holds is a boxed ref; the recorded trace boxes and unboxes as the
 * interpreter does (`new W_IntObject` + `setfield` for every int result, `getfield` for every
 * operand), and the optimizer's allocation removal takes the boxes out (the seed paper's point).
 *
 * Exits: every guard's fail args are the shadow's words from the loop base to the stack pointer
 * of the instruction being recorded (its state *before* that instruction: guards come before
 * any effect of their instruction), then the globals the trace wrote. A side table (`Resume`)
 * per guard id says where those words go: the inlined frames' records, the code, pc, base and
 * stack pointer to resume at, and which words are root-table entries. The interpreter then runs
 * that instruction again, now on the path the guard refused.
 *
 * Globals: a global the trace touches is a trace input (read at entry), carried around the loop
 * and written back at every exit if the trace wrote it.
 *
 * Pre: the interpreter runs the default semantics record (fast paths on); recording starts at a
 *      loop header whose frame is the innermost. Post: `finish()` returns a trace whose inputs
 *      are the loop frame's words then the touched globals, ending in `jump` to them, and which
 *      the interpreter's iteration just taken follows without failing a guard; or an abort.
 *
 * Before (interpreter, `while i < n: i = i + 1`):  LOAD_FAST i; LOAD_FAST n; COMPARE_JUMP_IF_FALSE;
 *   LOAD_FAST i; LOAD_CONST 1; BINARY_OP +; STORE_FAST i; JUMP_BACKWARD
 * After (trace):  [p0, p1]  guard_class(p0, W_IntObject) … i4 = int_lt(i2, i3) guard_true(i4)
 *   … p6 = new(W_IntObject) setfield(p6, intval, 1) … i9 = int_add_ovf(i7, i8)
 *   guard_no_overflow() p10 = new(W_IntObject) setfield(p10, intval, i9) jump(p10, p1)
 */
import { type Arg, cfloat, cint, type Descr, type ExitValue, type HeapObjectDesc, mkOp, NULL, type Op, type OpName, prebuiltRef, type Trace, type Type, v } from '../../ir/index.ts';
import { powTotal } from '../../ir/libm.ts';
import * as B from '../bytecode.ts';
import * as H from '../heap.ts';
import type { Interpreter } from '../interpreter.ts';
import type { JitOptions } from './options.ts';

const OP = B.OP;
const TWO32 = 4294967296;
/** Ints within this of 0 are exact as doubles (the interpreter's `int / int` fast path). */
const TWO53 = 1n << 53n;

/** A shadow word: an IR ref value, or the root-table entry `statics[index]`. */
export type Val = Arg | { readonly kind: 'static'; readonly index: number };

export const PREBUILT_NONE = 'none';
export const PREBUILT_FALSE = 'false';
export const PREBUILT_TRUE = 'true';
/** The immortal cells as the trace's prebuilt objects, and their fixed addresses. */
export const PREBUILT_OBJECTS: readonly HeapObjectDesc[] = [
  { name: PREBUILT_NONE, kind: 'object', cls: 'W_NoneObject', fields: [] },
  { name: PREBUILT_FALSE, kind: 'object', cls: 'W_BoolObject', fields: [{ field: 'intval', value: { kind: 'int', value: 0n } }] },
  { name: PREBUILT_TRUE, kind: 'object', cls: 'W_BoolObject', fields: [{ field: 'intval', value: { kind: 'int', value: 1n } }] },
];
export const PREBUILT_ADDRESSES: ReadonlyMap<string, number> = new Map([
  [PREBUILT_NONE, H.NONE],
  [PREBUILT_FALSE, H.FALSE],
  [PREBUILT_TRUE, H.TRUE],
]);
const NONE_VAL = prebuiltRef(PREBUILT_NONE);
const TRUE_VAL = prebuiltRef(PREBUILT_TRUE);
const FALSE_VAL = prebuiltRef(PREBUILT_FALSE);

/** An inlined call's frame record, offsets relative to the loop frame's base. */
export interface InlinedFrame {
  readonly callerCid: number;
  readonly returnPc: number;
  readonly callerBase: number;
  readonly slot: number;
  readonly flags: number;
}

/** Where a guard's fail args go when it fails (offsets relative to the loop frame's base). */
export interface Resume {
  /** The inlined frames, outermost first: their records go above the loop frame's. */
  readonly frames: readonly InlinedFrame[];
  readonly cid: number;
  readonly pc: number;
  readonly base: number;
  /** Fail args 0 … sp-1 are the stack words [loop base, loop base + sp). */
  readonly sp: number;
  /** Fail args sp … are these globals (every global the trace carries), written back. */
  readonly globals: readonly number[];
  /** Words (by fail-arg index) that are root-table entries: [index, static index]. */
  readonly statics: readonly (readonly [number, number])[];
}

/** An abort says whether to retry, and whether it was a bridge returning from its loop frame (a return bridge may go on from there). */
export type StepResult = 'continue' | 'closed' | { readonly abort: string; readonly retry: boolean; readonly returns?: boolean };

/** What a bridge needs to know of a compiled loop it may end in. */
export interface LoopShape {
  readonly slotCount: number;
  readonly globalIds: readonly number[];
}

class Abort extends Error {
  /** Not the loop's fault: this iteration was unusual (its last, or an append that grew the list): retry at the next chance. */
  constructor(
    message: string,
    readonly retry = false,
    readonly returns = false,
  ) {
    super(message);
  }
}

/**
 * Where a bridge starts: a failed guard's resume point (its frames relative to the recording's
 * loop frame), and the compiled loops it may end at. `leaveDepth` (a return bridge): the
 * recording's frames above the loop frame that the bridge starts inside of and must first
 * return from (frames deeper than that are the compiled loop's own, which it may not re-enter
 * before it has returned: that loop's exit would lead back here).
 */
export interface BridgeStart {
  readonly from: Resume;
  readonly loopAt: (cid: number, pc: number) => LoopShape | undefined;
  readonly leaveDepth?: number;
}

const FLAG_CTOR = 1;

interface Frame {
  readonly cid: number;
  /** Offset of the frame's first local from the loop base. */
  readonly base: number;
  readonly record: InlinedFrame | null;
}

export class Recorder {
  readonly ops: Op[] = [];
  private nextVar = 0;
  /** Input variables: the loop frame's words, then globals as they are first touched. */
  readonly slotInputs: string[] = [];
  readonly globalInputs: [number, string][] = [];
  private readonly shadow: Val[] = [];
  private readonly frames: Frame[] = [];
  private sp: number;
  private readonly knownClass = new Map<string, number>();
  private readonly checkedNonNull = new Set<string>();
  private readonly globalVal = new Map<number, Val>();
  private readonly builtinGlobals = new Set<number>();
  private readonly globalsWritten: number[] = [];
  readonly resumes: Resume[] = [];
  /** The pc of the instruction being recorded (where its guards resume). */
  private curPc = 0;
  private expect: { cid: number; pc: number; sp: number } | null = null;
  /** Concrete words the current step pushed (the second half of a fused pair reads them). */
  private conc: number[] = [];
  private trace: Trace | null = null;
  private snap: { shadow: Val[]; frames: Frame[]; globals: number[]; globalVals: Val[] } | null = null;
  readonly startedAt = performance.now();

  /**
   * A loop's recorder starts at its header with the loop frame's words as inputs; a bridge's
   * (`bridge` given) at a failed guard's resume point, with the guard's fail values as inputs
   * (the words, then the globals the parent carries), inside the inlined frames the guard had.
   */
  constructor(
    private readonly vm: Interpreter,
    private readonly options: JitOptions,
    readonly loopCid: number,
    readonly header: number,
    readonly loopBase: number,
    readonly loopFp: number,
    loopSp: number,
    readonly bridge: BridgeStart | null = null,
  ) {
    this.sp = loopSp - loopBase;
    for (let k = 0; k < this.sp; k++) {
      const name = this.fresh('ref');
      this.slotInputs.push(name);
      this.shadow.push(v(name));
    }
    // The loop's extent: from its header to its last back-edge to the header.
    const plain = vm.codes[loopCid]!.bytecode;
    for (let pc = 0; pc < plain.length; pc += 2) if (plain[pc] === OP.JUMP_BACKWARD && plain[pc + 1] === header) this.loopEnd = pc;
    if (bridge === null) {
      this.frames.push({ cid: loopCid, base: 0, record: null });
      this.expect = { cid: loopCid, pc: header, sp: loopSp };
      return;
    }
    const r = bridge.from;
    const cids = [...r.frames.map((f) => f.callerCid), r.cid];
    cids.forEach((cid, d) => this.frames.push({ cid, base: d === 0 ? 0 : r.frames[d - 1]!.slot + 1, record: d === 0 ? null : r.frames[d - 1]! }));
    for (const g of r.globals) {
      const name = this.fresh('ref');
      this.globalInputs.push([g, name]);
      this.globalVal.set(g, v(name));
      this.seeded.add(g);
    }
    // Root-table words are not in the exit's values (null there): the bridge knows them as such.
    for (const [k, index] of r.statics) {
      if (k < this.sp) this.shadow[k] = { kind: 'static', index };
      else {
        const g = r.globals[k - this.sp]!;
        this.globalVal.set(g, { kind: 'static', index });
        this.seeded.delete(g);
      }
    }
    this.expect = { cid: r.cid, pc: r.pc, sp: loopSp };
  }

  /** The pc of the loop's last back-edge (a loop's recording): a jump past it leaves the loop. */
  private loopEnd = -1;

  /** Loop headers without compiled code a bridge went through (it may pass each one once). */
  private readonly passedHeaders = new Set<number>();

  /** A return bridge has returned out of the frame it started in (`leaveDepth`): it may end at a compiled loop's header. */
  private left = false;

  /** Globals a bridge starts with, not yet checked for being unset (builtins) or set. */
  private readonly seeded = new Set<number>();

  get result(): Trace {
    return this.trace!;
  }

  /** Records the instruction at `pc`; the interpreter runs it after. */
  step(cid: number, pc: number, sp: number, base: number, fp: number): StepResult {
    try {
      const e = this.expect!;
      if (cid !== e.cid || pc !== e.pc || sp !== e.sp || fp !== this.loopFp + this.frames.length - 1 || base !== this.loopBase + this.top().base) {
        throw new Abort('the interpreter left the recorded path (an exception or an unexpected jump)');
      }
      if (this.ops.length > this.options.maxOps) throw new Abort(`the trace is longer than ${this.options.maxOps} ops`);
      this.conc = [];
      if (this.bridge !== null && (this.ops.length > 0 || this.frames.length > 1) && (this.bridge.leaveDepth === undefined || this.left)) {
        // A compiled loop's header, in the loop frame or in a frame the bridge inlined (a call
        // whose callee's loop is compiled: the bridge ends there and that loop runs). Not where
        // a bridge starts in the loop frame: that loop's own preamble would fail again and come
        // back here; a callee's loop is another tree, whose exits never lead to this bridge.
        const target = this.bridge.loopAt(cid, pc);
        if (target !== undefined && (this.frames.length === 1 || this.sp - this.top().base === target.slotCount)) {
          this.finishAt(target, pc);
          return 'closed';
        }
      }
      const bc = this.vm.bcs[cid]!;
      const op = bc[pc]!;
      const plain = this.vm.codes[cid]!.bytecode;
      let next: number;
      if (op === OP.LOAD_FAST_ATTR || op === OP.LOAD_FAST_METHOD || op === OP.LOAD_FAST_FAST || op === OP.RETURN_CONST || op === OP.COMPARE_JUMP_IF_FALSE) {
        // A fused pair: the two instructions it stands for, in turn.
        const mid = this.instruction(plain[pc]!, plain[pc + 1]!, pc);
        if (mid === 'closed') return 'closed';
        if (mid !== pc + 2) throw new Abort('a fused pair whose first instruction jumps');
        next = this.instruction(plain[pc + 2]!, plain[pc + 3]!, pc + 2) as number;
      } else {
        const r = this.instruction(op, plain[pc + 1]!, pc);
        if (r === 'closed') return 'closed';
        next = r;
      }
      if (next === -1) return 'closed';
      if (this.bridge === null && this.frames.length === 1 && (next > this.loopEnd || next < this.header)) {
        throw new Abort('the iteration recorded leaves the loop (its last)', true);
      }
      const top = this.top();
      this.expect = { cid: top.cid, pc: next, sp: this.loopBase + this.sp };
      return 'continue';
    } catch (e) {
      if (e instanceof Abort) return { abort: e.message, retry: e.retry, returns: e.returns };
      throw e;
    }
  }

  // --- IR building ---

  private fresh(type: Type): string {
    return `${type === 'int' ? 'i' : type === 'float' ? 'f' : 'p'}${this.nextVar++}`;
  }

  private emit(name: OpName, args: readonly Arg[], result: Type | null, descr: Descr | null = null): Arg {
    const r = result === null ? null : this.fresh(result);
    this.ops.push(mkOp(name, args, { result: r, descr }));
    return r === null ? NULL : v(r);
  }

  private guard(name: OpName, args: readonly Arg[], descr: Descr | null = null): void {
    // The state before the instruction being recorded: the interpreter runs it again.
    const snap = this.snap!;
    const values: ExitValue[] = [];
    const statics: [number, number][] = [];
    const put = (x: Val) => {
      if (x.kind === 'static') {
        statics.push([values.length, x.index]);
        values.push(NULL);
      } else values.push(x);
    };
    for (const x of snap.shadow) put(x);
    for (const x of snap.globalVals) put(x);
    const top = snap.frames[snap.frames.length - 1]!;
    const guardId = this.resumes.length;
    this.resumes.push({
      frames: snap.frames.slice(1).map((f) => f.record!),
      cid: top.cid,
      pc: this.curPc,
      base: top.base,
      sp: snap.shadow.length,
      globals: snap.globals,
      statics,
    });
    this.ops.push(mkOp(name, args, { descr, guardId, exit: { values, virtuals: [] } }));
  }

  /** Takes the state an exit of the instruction about to be recorded goes back to. */
  private snapshot(): void {
    this.snap = {
      shadow: this.shadow.slice(0, this.sp),
      frames: this.frames.slice(),
      globals: this.globalInputs.map(([g]) => g),
      globalVals: this.globalInputs.map(([g]) => this.globalVal.get(g)!),
    };
  }

  private field(cls: number, name: string): Descr {
    return { kind: 'field', cls: this.vm.heap.classes[cls]!.irName, field: name };
  }

  private classDescr(cls: number): Descr {
    return { kind: 'class', cls: this.vm.heap.classes[cls]!.irName };
  }

  /** Makes sure the trace knows `x` is of class `cls` (the concrete one), guarding when it does not. */
  private guardClass(x: Val, cls: number): void {
    if (x.kind === 'var') {
      if (this.knownClass.get(x.name) === cls) return;
      if (this.knownClass.has(x.name)) throw new Abort('a value of two classes');
      this.guard('guard_class', [x], this.classDescr(cls));
      this.knownClass.set(x.name, cls);
      this.checkedNonNull.add(x.name);
    }
  }

  private intOf(x: Val): Arg {
    if (x.kind !== 'var') throw new Abort('an int that is not a variable');
    this.guardClass(x, H.C_INT);
    return this.emit('getfield', [x], 'int', this.field(H.C_INT, 'intval'));
  }

  private floatOf(x: Val): Arg {
    if (x.kind !== 'var') throw new Abort('a float that is not a variable');
    this.guardClass(x, H.C_FLOAT);
    return this.emit('getfield', [x], 'float', this.field(H.C_FLOAT, 'floatval'));
  }

  private box(cls: number, name: string, value: Arg): Arg {
    const p = this.emit('new', [], 'ref', this.classDescr(cls));
    this.emit('setfield', [p, value], null, this.field(cls, name));
    this.knownClass.set((p as { name: string }).name, cls);
    this.checkedNonNull.add((p as { name: string }).name);
    return p;
  }

  private boxInt(i: Arg): Arg {
    return this.box(H.C_INT, 'intval', i);
  }

  private boxFloat(f: Arg): Arg {
    return this.box(H.C_FLOAT, 'floatval', f);
  }

  /** Guards a 0/1 int to its concrete value; returns that value. */
  private guardBool(cond: Arg, value: boolean): boolean {
    this.guard(value ? 'guard_true' : 'guard_false', [cond]);
    return value;
  }

  // --- the shadow stack ---

  private top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private push(x: Val, concrete = -1): void {
    this.conc[this.sp] = concrete;
    this.shadow[this.sp++] = x;
  }

  private pop(): Val {
    return this.shadow[--this.sp]!;
  }

  private peekVal(depth: number): Val {
    return this.shadow[this.sp - 1 - depth]!;
  }

  /** The concrete word at shadow position k (from this step's pushes, else the interpreter's stack). */
  private concAt(k: number): number {
    const c = this.conc[k];
    if (c !== undefined && c !== -1) return c;
    if (c === -1) throw new Abort('a fused pair reads a value its first half computed');
    return this.vm.stk[this.loopBase + k]!;
  }

  private peekConc(depth: number): number {
    return this.concAt(this.sp - 1 - depth);
  }

  private classOfConc(a: number): number {
    return this.vm.heap.i32[a >> 2]!;
  }

  private int64Of(a: number): number {
    const i32 = this.vm.heap.i32;
    return i32[(a >> 2) + 3]! * TWO32 + (i32[(a >> 2) + 2]! >>> 0);
  }

  private readStatic(x: Val): number | null {
    return x.kind === 'static' ? this.vm.statics[x.index]! : null;
  }

  /** A local's value, checked non-null once when it came from the trace's inputs. */
  private local(k: number): Val {
    const x = this.shadow[this.top().base + k]!;
    const c = this.concAt(this.top().base + k);
    if (c === 0) throw new Abort('an unbound local');
    if (x.kind === 'var' && !this.checkedNonNull.has(x.name)) {
      this.guard('guard_nonnull', [x]);
      this.checkedNonNull.add(x.name);
    }
    if (x.kind === 'null') throw new Abort('an unbound local');
    return x;
  }

  // --- instructions ---

  /** Records one (unfused) instruction; returns the next pc, or 'closed' when it closed the loop. */
  private instruction(op: number, arg: number, pc: number): number | 'closed' {
    this.curPc = pc;
    this.snapshot();
    const vm = this.vm;
    const cid = this.top().cid;
    const next = pc + 2;
    switch (op) {
      case OP.NOP:
        return next;
      case OP.LOAD_CONST: {
        const c = vm.program.consts[arg];
        const concrete = vm.statics[vm.constBase + arg]!;
        if (c === null) this.push(NONE_VAL, concrete);
        else if (typeof c === 'boolean') this.push(c ? TRUE_VAL : FALSE_VAL, concrete);
        else if (typeof c === 'bigint') {
          if (c < -(1n << 63n) || c >= 1n << 63n) throw new Abort('a long int constant');
          this.push(this.boxInt(cint(c)), concrete);
        } else if (typeof c === 'number') this.push(this.boxFloat(cfloat(c)), concrete);
        else this.push({ kind: 'static', index: vm.constBase + arg }, concrete);
        return next;
      }
      case OP.LOAD_FAST: {
        const x = this.local(arg);
        this.push(x, this.concAt(this.top().base + arg));
        return next;
      }
      case OP.STORE_FAST:
        this.shadow[this.top().base + arg] = this.pop();
        return next;
      case OP.LOAD_GLOBAL: {
        const x = this.global(arg);
        if (this.builtinGlobals.has(arg)) {
          const b = vm.builtinOf[arg]!;
          this.push({ kind: 'static', index: b }, vm.statics[b]!);
        } else this.push(x, vm.globals[arg]!);
        return next;
      }
      case OP.STORE_GLOBAL: {
        this.global(arg);
        this.globalVal.set(arg, this.pop());
        this.builtinGlobals.delete(arg);
        if (!this.globalsWritten.includes(arg)) this.globalsWritten.push(arg);
        return next;
      }
      case OP.POP_TOP:
        this.sp--;
        return next;
      case OP.DUP_TOP:
        this.push(this.peekVal(0), this.peekConc(0));
        return next;
      case OP.DUP_TOP_TWO: {
        const [a, b] = [this.peekVal(1), this.peekVal(0)];
        const [ca, cb] = [this.peekConc(1), this.peekConc(0)];
        this.push(a, ca);
        this.push(b, cb);
        return next;
      }
      case OP.ROT_TWO: {
        const [a, b] = [this.pop(), this.pop()];
        this.push(a);
        this.push(b);
        return next;
      }
      case OP.ROT_THREE: {
        const [a, b, c] = [this.pop(), this.pop(), this.pop()];
        this.push(a);
        this.push(c);
        this.push(b);
        return next;
      }
      case OP.PEEK: {
        const at = this.top().base + vm.codeLocals[cid]! + arg;
        this.push(this.shadow[at]!, this.concAt(at));
        return next;
      }
      case OP.JUMP_FORWARD:
        return arg;
      case OP.JUMP_BACKWARD:
        // A bridge follows the interpreter around loops that have no compiled code until it
        // reaches the header of one that has (a loop nest runs compiled, loop to bridge to loop).
        // A header passed a second time would unroll that loop into the bridge: abort instead.
        if (this.bridge !== null && this.frames.length === 1) {
          if (this.bridge.loopAt(cid, arg) === undefined) {
            const key = cid * 0x100000 + arg;
            if (this.passedHeaders.has(key)) throw new Abort('a bridge that would unroll a loop with no compiled code');
            this.passedHeaders.add(key);
          }
          return arg;
        }
        if (arg === this.header && this.frames.length === 1 && cid === this.loopCid) {
          if (this.sp !== this.slotInputs.length) throw new Abort('the loop header is reached with another stack depth');
          this.close();
          return 'closed';
        }
        // A bridge inside a callee goes on to the header of that callee's compiled loop (and
        // ends there, at the next step); one not compiled yet: retry later. A return bridge that
        // has not returned yet is still in the loop it left: it may not go around it.
        if (this.bridge !== null && this.bridge.loopAt(cid, arg) !== undefined) {
          if (this.bridge.leaveDepth !== undefined && !this.left) throw new Abort('a return bridge that goes around the loop it leaves');
          return arg;
        }
        throw new Abort('an inner loop', this.bridge !== null);
      case OP.POP_JUMP_IF_FALSE:
      case OP.POP_JUMP_IF_TRUE: {
        const truth = this.truth(this.peekVal(0), this.peekConc(0));
        this.sp--;
        return truth === (op === OP.POP_JUMP_IF_TRUE) ? arg : next;
      }
      case OP.JUMP_IF_FALSE_OR_POP:
      case OP.JUMP_IF_TRUE_OR_POP: {
        const truth = this.truth(this.peekVal(0), this.peekConc(0));
        if (truth === (op === OP.JUMP_IF_TRUE_OR_POP)) return arg;
        this.sp--;
        return next;
      }
      case OP.UNARY_NOT: {
        const truth = this.truth(this.peekVal(0), this.peekConc(0));
        this.sp--;
        this.push(truth ? FALSE_VAL : TRUE_VAL, truth ? H.FALSE : H.TRUE);
        return next;
      }
      case OP.UNARY_NEGATIVE: {
        const x = this.peekVal(0);
        const t = this.classOfConc(this.peekConc(0));
        let r: Arg;
        if (t === H.C_INT) {
          const i = this.intOf(x);
          const n = this.emit('int_sub_ovf', [cint(0), i], 'int');
          this.guard('guard_no_overflow', []);
          r = this.boxInt(n);
        } else if (t === H.C_FLOAT) r = this.boxFloat(this.emit('float_neg', [this.floatOf(x)], 'float'));
        else throw new Abort(`unary - on a ${vm.heap.classes[t]!.pyName}`);
        this.sp--;
        this.push(r);
        return next;
      }
      case OP.BINARY_OP:
      case OP.INPLACE_OP: {
        const r = this.binary(arg, this.peekVal(1), this.peekVal(0), this.peekConc(1), this.peekConc(0));
        this.sp -= 2;
        this.push(r);
        return next;
      }
      case OP.COMPARE_OP: {
        const r = this.compare(arg, this.peekVal(1), this.peekVal(0), this.peekConc(1), this.peekConc(0));
        this.sp -= 2;
        this.push(r ? TRUE_VAL : FALSE_VAL, r ? H.TRUE : H.FALSE);
        return next;
      }
      case OP.IS_OP: {
        const [a, b] = [this.peekVal(1), this.peekVal(0)];
        const same = this.peekConc(1) === this.peekConc(0);
        const constant = (x: Val) => x.kind === 'prebuilt' || x.kind === 'null';
        // Boxes of ints and floats are not the interpreter's objects in a trace (a constant is a
        // fresh box there, a shared one in the interpreter): their identity is not recorded.
        for (const c of [this.peekConc(1), this.peekConc(0)]) {
          const t = this.classOfConc(c);
          if (t === H.C_INT || t === H.C_FLOAT || t === H.C_LONG || t === H.C_STR) throw new Abort('is on numbers or strings');
        }
        if (!(constant(a) && constant(b))) {
          if (a.kind === 'static' || b.kind === 'static') throw new Abort('is on a root-table value');
          this.guardBool(this.emit('ptr_eq', [a as Arg, b as Arg], 'int'), same);
        }
        const r = same !== (arg === 1);
        this.sp -= 2;
        this.push(r ? TRUE_VAL : FALSE_VAL, r ? H.TRUE : H.FALSE);
        return next;
      }
      case OP.LOAD_ATTR: {
        const r = this.loadAttr(this.peekVal(0), this.peekConc(0), arg);
        this.sp--;
        this.push(r);
        return next;
      }
      case OP.STORE_ATTR: {
        const obj = this.peekVal(0);
        const objC = this.peekConc(0);
        const value = this.peekVal(1);
        const t = this.classOfConc(objC);
        const cls = vm.pyClasses[t];
        const name = vm.program.names[arg]!;
        const slot = cls?.fieldSlot.get(name);
        if (!cls || !cls.isUser || slot === undefined || obj.kind !== 'var') throw new Abort(`storing attribute '${name}' of a ${cls?.name ?? '?'}`);
        if (value.kind === 'static') throw new Abort('storing a root-table value in a field');
        this.guardClass(obj, t);
        this.emit('setfield', [obj, value], null, this.field(t, name));
        this.sp -= 2;
        return next;
      }
      case OP.LOAD_METHOD: {
        const obj = this.peekVal(0);
        const objC = this.peekConc(0);
        const t = this.classOfConc(objC);
        const name = vm.program.names[arg]!;
        const cls = vm.pyClasses[t];
        if (t === H.C_MODULE) return this.loadModuleFunction(obj, objC, name, next);
        if (!cls || t === H.C_TYPE || cls.fieldSlot.has(name)) throw new Abort(`method '${name}' of a ${cls?.name ?? '?'}`);
        const k = vm.lookupClassAttr(cls, name);
        if (k < 0) throw new Abort(`no method '${name}'`);
        const ft = this.classOfConc(vm.statics[k]!);
        if (!(ft === H.C_FUNCTION || (ft === H.C_BUILTIN && !cls.isUser))) throw new Abort(`method '${name}' is not a function`);
        this.guardClass(obj, t);
        this.sp--;
        this.push({ kind: 'static', index: k }, vm.statics[k]!);
        this.push(obj, objC);
        return next;
      }
      case OP.CALL_METHOD: {
        // [function, self, args…] calls with self; [null, callable, args…] without.
        const marker = this.shadow[this.sp - arg - 2]!;
        // A bridge starting at this call has the marker as an input word: null now, guarded so.
        const isMarker = marker.kind === 'null' || (marker.kind === 'var' && this.concAt(this.sp - arg - 2) === 0);
        if (isMarker) {
          if (marker.kind === 'var') this.guard('guard_isnull', [marker]);
          // The interpreter's stack keeps the marker: the concrete words move with the shadow.
          for (let j = this.sp - arg - 2; j < this.sp - 1; j++) {
            this.shadow[j] = this.shadow[j + 1]!;
            this.conc[j] = this.conc[j + 1] ?? this.vm.stk[this.loopBase + j + 1]!;
          }
          this.sp--;
          return this.call(arg, pc);
        }
        return this.call(arg + 1, pc);
      }
      case OP.CALL:
        return this.call(arg, pc);
      case OP.RETURN_VALUE: {
        // A loop's recording: the iteration was its last (the function returned from inside the
        // loop), retry; a bridge cannot leave the loop frame.
        if (this.frames.length === 1) throw new Abort("a return from the loop's frame", this.bridge === null, this.bridge !== null);
        const value = this.peekVal(0);
        const frame = this.frames.pop()!;
        if (this.bridge?.leaveDepth !== undefined && this.frames.length <= this.bridge.leaveDepth) this.left = true;
        const record = frame.record!;
        if (record.flags & FLAG_CTOR) {
          if (this.peekConcSafe() !== H.NONE) throw new Abort('__init__ returns a value');
          if (value.kind === 'var') {
            this.guard('guard_value', [value, NONE_VAL]);
          } else if (!(value.kind === 'prebuilt' && value.name === PREBUILT_NONE)) throw new Abort('__init__ returns a value');
        } else {
          this.shadow[record.slot] = value;
        }
        this.sp = record.slot + 1;
        return record.returnPc;
      }
      case OP.BINARY_SUBSCR: {
        const r = this.subscript(this.peekVal(1), this.peekVal(0), this.peekConc(1), this.peekConc(0), null);
        this.sp -= 2;
        this.push(r);
        return next;
      }
      case OP.STORE_SUBSCR: {
        // TOS1[TOS] = TOS2
        this.subscript(this.peekVal(1), this.peekVal(0), this.peekConc(1), this.peekConc(0), this.peekVal(2));
        this.sp -= 3;
        return next;
      }
      case OP.BUILD_TUPLE:
      case OP.BUILD_LIST: {
        const items = this.emit('new_array', [cint(arg)], 'ref', { kind: 'elem', type: 'ref' });
        for (let k = 0; k < arg; k++) {
          const x = this.shadow[this.sp - arg + k]!;
          if (x.kind === 'static') throw new Abort('a root-table value in a new list or tuple');
          this.emit('setarrayitem', [items, cint(k), x], null);
        }
        let r: Arg;
        if (op === OP.BUILD_TUPLE) r = this.box(H.C_TUPLE, 'items', items);
        else {
          r = this.box(H.C_LIST, 'items', items);
          this.emit('setfield', [r, cint(arg)], null, this.field(H.C_LIST, 'length'));
        }
        this.sp -= arg;
        this.push(r);
        return next;
      }
      case OP.UNPACK_SEQUENCE: {
        const x = this.peekVal(0);
        const t = this.classOfConc(this.peekConc(0));
        if (t !== H.C_TUPLE || x.kind !== 'var') throw new Abort('unpacking a value that is not a tuple');
        const concItems = vm.heap.i32[(this.peekConc(0) >> 2) + 2]!;
        if (vm.heap.i32[(concItems >> 2) + 1] !== arg) throw new Abort('unpacking a tuple of another length');
        this.guardClass(x, H.C_TUPLE);
        const items = this.emit('getfield', [x], 'ref', this.field(H.C_TUPLE, 'items'));
        const n = this.emit('arraylen', [items], 'int');
        this.guard('guard_value', [n, cint(arg)]);
        const got: Arg[] = [];
        for (let k = 0; k < arg; k++) got.push(this.emit('getarrayitem', [items, cint(k)], 'ref', { kind: 'elem', type: 'ref' }));
        this.sp--;
        for (let k = arg - 1; k >= 0; k--) this.push(got[k]!);
        return next;
      }
      case OP.FOR_ITER:
        return this.forIter(arg, next);
      case OP.GET_ITER: {
        const x = this.peekVal(0);
        const c = this.peekConc(0);
        const t = this.classOfConc(c);
        if (x.kind !== 'var') throw new Abort('iterating a constant');
        let it: Arg;
        if (t === H.C_RANGE) {
          this.guardClass(x, t);
          const get = (name: string) => this.emit('getfield', [x], 'int', this.field(H.C_RANGE, name));
          const [start, stop, step] = [get('start'), get('stop'), get('step')];
          it = this.emit('new', [], 'ref', this.classDescr(H.C_RANGE_ITER));
          this.emit('setfield', [it, start], null, this.field(H.C_RANGE_ITER, 'current'));
          this.emit('setfield', [it, stop], null, this.field(H.C_RANGE_ITER, 'stop'));
          this.emit('setfield', [it, step], null, this.field(H.C_RANGE_ITER, 'step'));
          this.knownClass.set((it as { name: string }).name, H.C_RANGE_ITER);
        } else if (t === H.C_LIST || t === H.C_TUPLE) {
          this.guardClass(x, t);
          it = this.box(H.C_SEQ_ITER, 'seq', x);
        } else throw new Abort(`iterating a ${vm.heap.classes[t]?.pyName ?? '?'}`);
        this.checkedNonNull.add((it as { name: string }).name);
        this.sp--;
        this.push(it);
        return next;
      }
      default:
        throw new Abort(`the instruction ${B.OP_NAMES[op]}`);
    }
  }

  private peekConcSafe(): number {
    return this.peekConc(0);
  }

  /** The value of global g (first touch: a trace input, or a builtin while the global is unset). */
  private global(g: number): Val {
    const known = this.globalVal.get(g);
    if (known && this.seeded.has(g)) {
      this.seeded.delete(g);
      this.checkGlobal(g, known as Arg);
      return known;
    }
    if (known) return known;
    const name = this.fresh('ref');
    this.globalInputs.push([g, name]);
    const x = v(name);
    this.globalVal.set(g, x);
    this.checkGlobal(g, x);
    return x;
  }

  /** Guards whether the global input x is unset (a builtin of that name) or set, as it is now. */
  private checkGlobal(g: number, x: Arg): void {
    if (this.vm.globals[g] === 0) {
      if (this.vm.builtinOf[g]! < 0) throw new Abort('an undefined global');
      this.guard('guard_isnull', [x]);
      this.builtinGlobals.add(g);
    } else {
      if (x.kind === 'var') this.checkedNonNull.add(x.name);
      this.guard('guard_nonnull', [x]);
    }
  }

  /** Truth of a value, as the interpreter's `truthy` decides it, guarded. */
  private truth(x: Val, c: number): boolean {
    if (x.kind === 'prebuilt') return x.name === PREBUILT_TRUE;
    if (x.kind === 'static') {
      const t = this.classOfConc(c);
      if (t === H.C_FUNCTION || t === H.C_BUILTIN || t === H.C_TYPE) return true;
      throw new Abort('the truth of a root-table value');
    }
    if (x.kind !== 'var') throw new Abort('the truth of a constant');
    const t = this.classOfConc(c);
    if (t === H.C_BOOL || t === H.C_NONE) {
      this.guard('guard_value', [x, c === H.TRUE ? TRUE_VAL : c === H.FALSE ? FALSE_VAL : NONE_VAL]);
      return c === H.TRUE;
    }
    if (t === H.C_INT) return this.guardBool(this.emit('int_ne', [this.intOf(x), cint(0)], 'int'), this.int64Of(c) !== 0);
    if (t === H.C_FLOAT) {
      const f = this.vm.heap.f64[(c >> 3) + 1]!;
      return this.guardBool(this.emit('float_ne', [this.floatOf(x), cfloat(0)], 'int'), f !== 0);
    }
    if (t === H.C_LIST) {
      this.guardClass(x, t);
      const n = this.emit('getfield', [x], 'int', this.field(H.C_LIST, 'length'));
      return this.guardBool(this.emit('int_ne', [n, cint(0)], 'int'), this.vm.heap.i32[(c >> 2) + 2] !== 0);
    }
    if (t >= H.FIRST_USER_CLASS && this.vm.pyClasses[t]?.isUser && this.vm.lookupClassAttr(this.vm.pyClasses[t]!, '__bool__') < 0 && this.vm.lookupClassAttr(this.vm.pyClasses[t]!, '__len__') < 0) {
      this.guardClass(x, t);
      return true;
    }
    throw new Abort(`the truth of a ${this.vm.heap.classes[t]?.pyName ?? '?'}`);
  }

  private binary(opIndex: number, a: Val, b: Val, ca: number, cb: number): Arg {
    const ta = this.classOfConc(ca);
    const tb = this.classOfConc(cb);
    const name = B.BINARY_OPERATORS[opIndex]!;
    if (ta === H.C_INT && tb === H.C_INT) {
      const x = this.intOf(a);
      const y = this.intOf(b);
      switch (name) {
        case 'Add':
        case 'Sub':
        case 'Mult': {
          const r = this.emit(name === 'Add' ? 'int_add_ovf' : name === 'Sub' ? 'int_sub_ovf' : 'int_mul_ovf', [x, y], 'int');
          const exact = name === 'Add' ? BigInt.asIntN(64, this.big(ca) + this.big(cb)) === this.big(ca) + this.big(cb) : name === 'Sub' ? BigInt.asIntN(64, this.big(ca) - this.big(cb)) === this.big(ca) - this.big(cb) : BigInt.asIntN(64, this.big(ca) * this.big(cb)) === this.big(ca) * this.big(cb);
          if (!exact) throw new Abort('an int operation that overflows 64 bits');
          this.guard('guard_no_overflow', []);
          return this.boxInt(r);
        }
        case 'FloorDiv':
        case 'Mod': {
          // One guard on the divisor's sign covers both b = 0 (ZeroDivisionError) and b = -1
          // (MIN // -1 does not fit in 64 bits).
          const d = this.big(cb);
          if (d === 0n || d === -1n) throw new Abort('// or % by 0 or -1');
          this.guardBool(this.emit(d > 0n ? 'int_gt' : 'int_lt', [y, cint(d > 0n ? 0 : -1)], 'int'), true);
          return this.boxInt(this.emit(name === 'FloorDiv' ? 'int_floordiv' : 'int_mod', [x, y], 'int'));
        }
        case 'Div': {
          // The interpreter divides two ints within 2^53 of 0 as doubles (both exact, one
          // correctly rounded division): guarded to that range and to a divisor other than 0
          // (ZeroDivisionError), the same ops; others (the exact quotient rounded) abort.
          const [n, d] = [this.big(ca), this.big(cb)];
          if (d === 0n) throw new Abort('division by zero');
          if (n > TWO53 || n < -TWO53 || d > TWO53 || d < -TWO53) throw new Abort('int / int past 2^53');
          for (const z of [x, y]) {
            this.guardBool(this.emit('int_le', [z, cint(TWO53)], 'int'), true);
            this.guardBool(this.emit('int_ge', [z, cint(-TWO53)], 'int'), true);
          }
          this.guardBool(this.emit('int_ne', [y, cint(0)], 'int'), true);
          const fx = this.emit('cast_int_to_float', [x], 'float');
          const fy = this.emit('cast_int_to_float', [y], 'float');
          return this.boxFloat(this.emit('float_truediv', [fx, fy], 'float'));
        }
        default:
          throw new Abort(`int ${name}`);
      }
    }
    const isNum = (t: number) => t === H.C_INT || t === H.C_FLOAT;
    if (isNum(ta) && isNum(tb) && (ta === H.C_FLOAT || tb === H.C_FLOAT)) {
      const x = ta === H.C_FLOAT ? this.floatOf(a) : this.emit('cast_int_to_float', [this.intOf(a)], 'float');
      const y = tb === H.C_FLOAT ? this.floatOf(b) : this.emit('cast_int_to_float', [this.intOf(b)], 'float');
      switch (name) {
        case 'Add':
          return this.boxFloat(this.emit('float_add', [x, y], 'float'));
        case 'Sub':
          return this.boxFloat(this.emit('float_sub', [x, y], 'float'));
        case 'Mult':
          return this.boxFloat(this.emit('float_mul', [x, y], 'float'));
        case 'Div': {
          const divisor = tb === H.C_FLOAT ? this.vm.heap.f64[(cb >> 3) + 1]! : this.int64Of(cb);
          if (divisor === 0) throw new Abort('division by zero');
          this.guardBool(this.emit('float_ne', [y, cfloat(0)], 'int'), true);
          return this.boxFloat(this.emit('float_truediv', [x, y], 'float'));
        }
        case 'Pow': {
          // CPython's float ** is C's pow (float_pow) but that it raises where finite operands
          // give a result that is not finite (0.0 to a negative power, a negative base to a
          // fractional power, overflow): one guard that the result is finite keeps every raise,
          // and the rare legal infinity or NaN, in the interpreter.
          const xv = ta === H.C_FLOAT ? this.vm.heap.f64[(ca >> 3) + 1]! : Number(this.big(ca));
          const yv = tb === H.C_FLOAT ? this.vm.heap.f64[(cb >> 3) + 1]! : Number(this.big(cb));
          if (!Number.isFinite(powTotal(xv, yv))) throw new Abort('** with a result that is not finite');
          const r = this.emit('float_pow', [x, y], 'float');
          this.guardBool(this.emit('float_lt', [this.emit('float_abs', [r], 'float'), cfloat(Infinity)], 'int'), true);
          return this.boxFloat(r);
        }
        default:
          throw new Abort(`float ${name}`);
      }
    }
    throw new Abort(`${name} on ${this.vm.heap.classes[ta]?.pyName ?? '?'} and ${this.vm.heap.classes[tb]?.pyName ?? '?'}`);
  }

  private big(c: number): bigint {
    const i32 = this.vm.heap.i32;
    return (BigInt(i32[(c >> 2) + 3]!) << 32n) | BigInt(i32[(c >> 2) + 2]! >>> 0);
  }

  /** Records a comparison and guards its outcome; returns it. */
  private compare(cmp: number, a: Val, b: Val, ca: number, cb: number): boolean {
    const ta = this.classOfConc(ca);
    const tb = this.classOfConc(cb);
    const names = ['lt', 'le', 'eq', 'ne', 'gt', 'ge'] as const;
    const suffix = names[cmp]!;
    let r: boolean;
    let cond: Arg;
    if (ta === H.C_INT && tb === H.C_INT) {
      const [x, y] = [this.big(ca), this.big(cb)];
      r = [x < y, x <= y, x === y, x !== y, x > y, x >= y][cmp]!;
      cond = this.emit(`int_${suffix}` as OpName, [this.intOf(a), this.intOf(b)], 'int');
    } else if (ta === H.C_FLOAT && tb === H.C_FLOAT) {
      const f64 = this.vm.heap.f64;
      const [x, y] = [f64[(ca >> 3) + 1]!, f64[(cb >> 3) + 1]!];
      r = [x < y, x <= y, x === y, x !== y, x > y, x >= y][cmp]!;
      cond = this.emit(`float_${suffix}` as OpName, [this.floatOf(a), this.floatOf(b)], 'int');
    } else {
      throw new Abort(`comparing a ${this.vm.heap.classes[ta]?.pyName ?? '?'} with a ${this.vm.heap.classes[tb]?.pyName ?? '?'}`);
    }
    return this.guardBool(cond, r);
  }

  private loadAttr(obj: Val, objC: number, nameId: number): Arg {
    const vm = this.vm;
    const t = this.classOfConc(objC);
    const cls = vm.pyClasses[t];
    const name = vm.program.names[nameId]!;
    const slot = cls?.fieldSlot.get(name);
    if (!cls || !cls.isUser || slot === undefined || obj.kind !== 'var') throw new Abort(`attribute '${name}' of a ${cls?.name ?? '?'}`);
    if (vm.heap.i32[(objC >> 2) + 2 + 2 * slot] === 0) throw new Abort(`attribute '${name}' not set`);
    this.guardClass(obj, t);
    const r = this.emit('getfield', [obj], 'ref', this.field(t, name));
    this.guard('guard_nonnull', [r]);
    this.checkedNonNull.add((r as { name: string }).name);
    return r;
  }

  /** seq[key] (store = null) or seq[key] = store, on a list (or a tuple, to read) and an int in range. */
  private subscript(seq: Val, key: Val, cs: number, ck: number, store: Val | null): Arg {
    const vm = this.vm;
    const ts = this.classOfConc(cs);
    const tk = this.classOfConc(ck);
    if (tk !== H.C_INT || !(ts === H.C_LIST || (ts === H.C_TUPLE && store === null)) || seq.kind !== 'var') throw new Abort('subscripting other than a list or tuple by an int');
    const k = this.int64Of(ck);
    const i32 = vm.heap.i32;
    const len = ts === H.C_LIST ? i32[(cs >> 2) + 2]! : i32[(i32[(cs >> 2) + 2]! >> 2) + 1]!;
    if (k < 0 || k >= len) throw new Abort('a negative or out-of-range index');
    const i = this.intOf(key);
    this.guardClass(seq, ts);
    const items = this.emit('getfield', [seq], 'ref', this.field(ts, 'items'));
    const n = ts === H.C_LIST ? this.emit('getfield', [seq], 'int', this.field(H.C_LIST, 'length')) : this.emit('arraylen', [items], 'int');
    this.guardBool(this.emit('int_ge', [i, cint(0)], 'int'), true);
    this.guardBool(this.emit('int_lt', [i, n], 'int'), true);
    if (store === null) return this.emit('getarrayitem', [items, i], 'ref', { kind: 'elem', type: 'ref' });
    if (store.kind === 'static') throw new Abort('storing a root-table value in a list');
    this.emit('setarrayitem', [items, i, store], null);
    return NULL;
  }

  private forIter(exitPc: number, next: number): number {
    const it = this.peekVal(0);
    const c = this.peekConc(0);
    const t = this.classOfConc(c);
    const i32 = this.vm.heap.i32;
    if (it.kind !== 'var') throw new Abort('iterating a constant');
    if (t === H.C_RANGE_ITER) {
      this.guardClass(it, t);
      const f = (name: string) => this.field(H.C_RANGE_ITER, name);
      const cur = this.emit('getfield', [it], 'int', f('current'));
      const stop = this.emit('getfield', [it], 'int', f('stop'));
      const step = this.emit('getfield', [it], 'int', f('step'));
      const stepC = this.int64At(c, 2);
      const curC = this.int64At(c, 0);
      const stopC = this.int64At(c, 1);
      // The step's sign decides the test; its value stays a variable (one trace for every step).
      this.guardBool(this.emit('int_gt', [step, cint(0)], 'int'), stepC > 0);
      const more = stepC > 0 ? curC < stopC : curC > stopC;
      this.guardBool(this.emit(stepC > 0 ? 'int_lt' : 'int_gt', [cur, stop], 'int'), more);
      if (!more) {
        this.sp--;
        return exitPc;
      }
      if (!Number.isSafeInteger(curC + stepC)) throw new Abort('a range past 2^53');
      this.emit('setfield', [it, this.emit('int_add', [cur, step], 'int')], null, f('current'));
      this.push(this.boxInt(cur));
      return next;
    }
    if (t === H.C_SEQ_ITER) {
      const seqC = i32[(c >> 2) + 2]!;
      const ts = this.classOfConc(seqC);
      if (ts !== H.C_LIST && ts !== H.C_TUPLE) throw new Abort('iterating a string');
      this.guardClass(it, t);
      const seq = this.emit('getfield', [it], 'ref', this.field(H.C_SEQ_ITER, 'seq'));
      this.guardClass(seq, ts);
      const k = this.emit('getfield', [it], 'int', this.field(H.C_SEQ_ITER, 'index'));
      const items = this.emit('getfield', [seq], 'ref', this.field(ts, 'items'));
      const n = ts === H.C_LIST ? this.emit('getfield', [seq], 'int', this.field(H.C_LIST, 'length')) : this.emit('arraylen', [items], 'int');
      const kC = i32[(c >> 2) + 4]!;
      const nC = ts === H.C_LIST ? i32[(seqC >> 2) + 2]! : i32[(i32[(seqC >> 2) + 2]! >> 2) + 1]!;
      const more = kC < nC;
      this.guardBool(this.emit('int_lt', [k, n], 'int'), more);
      if (!more) {
        this.sp--;
        return exitPc;
      }
      const item = this.emit('getarrayitem', [items, k], 'ref', { kind: 'elem', type: 'ref' });
      this.emit('setfield', [it, this.emit('int_add', [k, cint(1)], 'int')], null, this.field(H.C_SEQ_ITER, 'index'));
      this.checkedNonNull.add((item as { name: string }).name);
      this.push(item);
      return next;
    }
    throw new Abort(`iterating a ${this.vm.heap.classes[t]?.pyName ?? '?'}`);
  }

  private int64At(obj: number, field: number): number {
    const i32 = this.vm.heap.i32;
    const w = (obj >> 2) + 2 + 2 * field;
    return i32[w + 1]! * TWO32 + (i32[w]! >>> 0);
  }

  /** CALL with nargs args: the callee inlined (a function or a class's __init__), or a known builtin. */
  private call(nargs: number, pc: number): number {
    const vm = this.vm;
    const i32 = vm.heap.i32;
    const slot = this.sp - nargs - 1;
    const f = this.shadow[slot]!;
    const fC = this.concAt(slot);
    const t = this.classOfConc(fC);
    let flags = 0;
    let callee: number;
    if (t === H.C_TYPE) {
      const clsId = i32[(fC >> 2) + 2]!;
      if (clsId === H.C_INT && nargs === 1) {
        // int(x): an int unchanged; a float truncated toward zero when it fits in 64 bits
        // (NaN, infinities and bigger floats take the interpreter's path: guarded).
        const x = this.shadow[slot + 1]!;
        const c = this.concAt(slot + 1);
        const xt = this.classOfConc(c);
        let r: Val;
        if (xt === H.C_INT) {
          this.guardCallee(f, H.C_TYPE, 'typeid', clsId);
          this.guardClass(x, xt);
          r = x;
        } else if (xt === H.C_FLOAT) {
          const value = vm.heap.f64[(c >> 3) + 1]!;
          if (!(value < 9.2e18 && value > -9.2e18)) throw new Abort('int() of a float outside 64 bits');
          this.guardCallee(f, H.C_TYPE, 'typeid', clsId);
          const fl = this.floatOf(x);
          this.guardBool(this.emit('float_lt', [fl, cfloat(9.2e18)], 'int'), true);
          this.guardBool(this.emit('float_gt', [fl, cfloat(-9.2e18)], 'int'), true);
          r = this.boxInt(this.emit('cast_float_to_int', [fl], 'int'));
        } else throw new Abort('int() of other than an int or a float');
        this.sp = slot;
        this.push(r);
        return pc + 2;
      }
      if (clsId === H.C_FLOAT && nargs === 1) {
        const x = this.shadow[slot + 1]!;
        const xt = this.classOfConc(this.concAt(slot + 1));
        this.guardCallee(f, H.C_TYPE, 'typeid', clsId);
        let r: Val;
        if (xt === H.C_FLOAT) {
          this.guardClass(x, xt);
          r = x;
        } else if (xt === H.C_INT) r = this.boxFloat(this.emit('cast_int_to_float', [this.intOf(x)], 'float'));
        else throw new Abort('float() of other than an int or a float');
        this.sp = slot;
        this.push(r);
        return pc + 2;
      }
      if (clsId === H.C_RANGE && nargs >= 1 && nargs <= 3) {
        const ints: Arg[] = [];
        const values: number[] = [];
        for (let j = 1; j <= nargs; j++) {
          const c = this.concAt(slot + j);
          if (this.classOfConc(c) !== H.C_INT || !Number.isSafeInteger(this.int64Of(c))) throw new Abort('range() of other than ints below 2^53');
          values.push(this.int64Of(c));
        }
        if ((nargs === 3 ? values[2] : 1) === 0) throw new Abort('range() with step 0');
        this.guardCallee(f, H.C_TYPE, 'typeid', clsId);
        for (let j = 1; j <= nargs; j++) ints.push(this.intOf(this.shadow[slot + j]!));
        const [start, stop, step] = nargs === 1 ? [cint(0), ints[0]!, cint(1)] : [ints[0]!, ints[1]!, nargs === 3 ? ints[2]! : cint(1)];
        if (step.kind === 'var') this.guardBool(this.emit('int_ne', [step, cint(0)], 'int'), true);
        const r = this.emit('new', [], 'ref', this.classDescr(H.C_RANGE));
        this.knownClass.set((r as { name: string }).name, H.C_RANGE);
        this.checkedNonNull.add((r as { name: string }).name);
        this.emit('setfield', [r, start], null, this.field(H.C_RANGE, 'start'));
        this.emit('setfield', [r, stop], null, this.field(H.C_RANGE, 'stop'));
        this.emit('setfield', [r, step], null, this.field(H.C_RANGE, 'step'));
        this.sp = slot;
        this.push(r);
        return pc + 2;
      }
      const k = vm.plainInit[clsId] ?? 0;
      if (k <= 0) throw new Abort(`calling the class ${vm.heap.classes[clsId]?.pyName ?? '?'} (no plain __init__ yet)`);
      this.guardCallee(f, H.C_TYPE, 'typeid', clsId);
      const obj = this.emit('new', [], 'ref', this.classDescr(clsId));
      this.knownClass.set((obj as { name: string }).name, clsId);
      this.checkedNonNull.add((obj as { name: string }).name);
      for (let j = this.sp; j > slot + 1; j--) this.shadow[j] = this.shadow[j - 1]!;
      this.shadow[slot] = obj;
      this.shadow[slot + 1] = obj;
      this.sp++;
      nargs++;
      const init = vm.statics[k - 1]!;
      callee = i32[(init >> 2) + 2]!;
      flags = FLAG_CTOR;
    } else if (t === H.C_FUNCTION) {
      callee = i32[(fC >> 2) + 2]!;
      this.guardCallee(f, H.C_FUNCTION, 'code', callee);
    } else if (t === H.C_BUILTIN) {
      return this.callBuiltin(f, fC, slot, nargs, pc);
    } else throw new Abort(`calling a ${vm.heap.classes[t]?.pyName ?? '?'}`);
    const code = vm.codes[callee]!;
    if (nargs !== code.argcount) throw new Abort('a call with default arguments');
    if (this.frames.length > this.options.inlineDepth) throw new Abort('calls nested deeper than the inlining limit');
    if (this.frames.some((fr) => fr.cid === callee)) throw new Abort('a recursive call');
    if (this.loopFp + this.frames.length >= 990) throw new Abort('near the recursion limit');
    const top = this.top();
    const record: InlinedFrame = { callerCid: top.cid, returnPc: pc + 2, callerBase: top.base, slot, flags };
    const base = slot + 1;
    for (let k = base + nargs; k < base + code.nlocals; k++) this.shadow[k] = NULL;
    this.sp = base + code.nlocals;
    this.frames.push({ cid: callee, base, record });
    return 0;
  }

  /**
   * `module.name` as LOAD_METHOD reads it, for a builtin of the module: [null, the builtin], as
   * the interpreter leaves it. Module attributes never change, so the module's identity (its
   * `module` number) is all there is to guard; the builtin is then a root-table constant.
   */
  private loadModuleFunction(mod: Val, modC: number, name: string, next: number): number {
    const vm = this.vm;
    const k = vm.moduleAttrStatic(modC, name);
    if (k < 0 || this.classOfConc(vm.statics[k]!) !== H.C_BUILTIN) throw new Abort(`method '${name}' of a module`);
    if (mod.kind === 'var') {
      this.guardClass(mod, H.C_MODULE);
      const id = this.emit('getfield', [mod], 'int', this.field(H.C_MODULE, 'module'));
      this.guard('guard_value', [id, cint(vm.heap.i32[(modC >> 2) + 2]!)]);
    } else if (mod.kind !== 'static') throw new Abort(`method '${name}' of a module`);
    this.sp--;
    this.push(NULL, 0);
    this.push({ kind: 'static', index: k }, vm.statics[k]!);
    return next;
  }

  /** Makes sure the callee word `f` is the function (or type) whose `field` is `id`. */
  private guardCallee(f: Val, cls: number, field: string, id: number): void {
    if (f.kind === 'static') return;
    if (f.kind !== 'var') throw new Abort('calling a constant');
    this.guardClass(f, cls);
    const got = this.emit('getfield', [f], 'int', this.field(cls, field));
    this.guard('guard_value', [got, cint(id)]);
  }

  private callBuiltin(f: Val, fC: number, slot: number, nargs: number, pc: number): number {
    const vm = this.vm;
    const i32 = vm.heap.i32;
    const index = i32[(fC >> 2) + 2]!;
    const name = vm.builtinNames[index]!;
    if (i32[(fC >> 2) + 4] !== 0) throw new Abort('a bound builtin');
    const arg0 = this.shadow[slot + 1];
    const c0 = nargs > 0 ? this.concAt(slot + 1) : 0;
    const t0 = nargs > 0 ? this.classOfConc(c0) : 0;
    let r: Val;
    if (name === 'len' && nargs === 1 && (t0 === H.C_LIST || t0 === H.C_TUPLE) && arg0!.kind === 'var') {
      this.guardCallee(f, H.C_BUILTIN, 'builtin', index);
      this.guardClass(arg0!, t0);
      const n = t0 === H.C_LIST ? this.emit('getfield', [arg0!], 'int', this.field(H.C_LIST, 'length')) : this.emit('arraylen', [this.emit('getfield', [arg0!], 'ref', this.field(H.C_TUPLE, 'items'))], 'int');
      r = this.boxInt(n);
    } else if (name === 'append' && nargs === 2 && t0 === H.C_LIST && arg0!.kind === 'var' && f.kind === 'static') {
      const x = this.shadow[slot + 2]!;
      if (x.kind === 'static') throw new Abort('appending a root-table value');
      const n = i32[(c0 >> 2) + 2]!;
      const cap = i32[(i32[(c0 >> 2) + 4]! >> 2) + 1]!;
      this.guardClass(arg0!, H.C_LIST);
      const len = this.emit('getfield', [arg0!], 'int', this.field(H.C_LIST, 'length'));
      const items = this.emit('getfield', [arg0!], 'ref', this.field(H.C_LIST, 'items'));
      const capacity = this.emit('arraylen', [items], 'int');
      // Capacity doubles: the next recording's append most likely fits (retry soon).
      if (n >= cap) throw new Abort('an append that grows the list', true);
      this.guardBool(this.emit('int_lt', [len, capacity], 'int'), true);
      this.emit('setarrayitem', [items, len, x], null);
      this.emit('setfield', [arg0!, this.emit('int_add', [len, cint(1)], 'int')], null, this.field(H.C_LIST, 'length'));
      r = NONE_VAL;
    } else if ((name === 'min' || name === 'max') && nargs === 2 && (t0 === H.C_INT || t0 === H.C_FLOAT) && this.classOfConc(this.concAt(slot + 2)) === t0) {
      // min(a, b) is b if b < a else a; max(a, b) is b if b > a else a (the first of equals, and
      // a when a comparison with NaN is false): the chosen operand itself, identity kept.
      const a = arg0!;
      const b = this.shadow[slot + 2]!;
      const cb = this.concAt(slot + 2);
      this.guardCallee(f, H.C_BUILTIN, 'builtin', index);
      const isInt = t0 === H.C_INT;
      const [x, y] = isInt ? [this.intOf(a), this.intOf(b)] : [this.floatOf(a), this.floatOf(b)];
      const xv = isInt ? this.big(c0) : vm.heap.f64[(c0 >> 3) + 1]!;
      const yv = isInt ? this.big(cb) : vm.heap.f64[(cb >> 3) + 1]!;
      const takeB = name === 'min' ? yv < xv : yv > xv;
      const cmp = `${isInt ? 'int' : 'float'}_${name === 'min' ? 'lt' : 'gt'}` as OpName;
      this.guardBool(this.emit(cmp, [y, x], 'int'), takeB);
      r = takeB ? b : a;
    } else if (name === 'abs' && nargs === 1 && t0 === H.C_FLOAT) {
      this.guardCallee(f, H.C_BUILTIN, 'builtin', index);
      r = this.boxFloat(this.emit('float_abs', [this.floatOf(arg0!)], 'float'));
    } else if (name === 'sqrt' && nargs === 1 && (t0 === H.C_FLOAT || t0 === H.C_INT)) {
      // math.sqrt (the only builtin of that name): the argument as a float, as the interpreter
      // converts it, then its check `x < 0` raises ValueError; NaN passes it (sqrt(nan) is nan),
      // so the guard is float_lt false, not float_ge true. The op is total; the guard keeps the
      // raise in the interpreter.
      const x = t0 === H.C_FLOAT ? this.floatOf(arg0!) : this.emit('cast_int_to_float', [this.intOf(arg0!)], 'float');
      const xv = t0 === H.C_FLOAT ? vm.heap.f64[(c0 >> 3) + 1]! : Number(this.big(c0));
      if (xv < 0) throw new Abort('math.sqrt of a negative (it raises)');
      this.guardCallee(f, H.C_BUILTIN, 'builtin', index);
      this.guardBool(this.emit('float_lt', [x, cfloat(0)], 'int'), false);
      r = this.boxFloat(this.emit('float_sqrt', [x], 'float'));
    } else if ((name === 'sin' || name === 'cos') && nargs === 1 && (t0 === H.C_FLOAT || t0 === H.C_INT)) {
      // math.sin and math.cos (the only builtins of those names): the argument as a float, as
      // the interpreter converts it; they raise ValueError on an infinity and give NaN for NaN,
      // so the guard is |x| != inf (true on NaN). The ops are total; the guard keeps the raise
      // in the interpreter.
      const x = t0 === H.C_FLOAT ? this.floatOf(arg0!) : this.emit('cast_int_to_float', [this.intOf(arg0!)], 'float');
      const xv = t0 === H.C_FLOAT ? vm.heap.f64[(c0 >> 3) + 1]! : Number(this.big(c0));
      if (xv === Infinity || xv === -Infinity) throw new Abort(`math.${name} of an infinity (it raises)`);
      this.guardCallee(f, H.C_BUILTIN, 'builtin', index);
      this.guardBool(this.emit('float_ne', [this.emit('float_abs', [x], 'float'), cfloat(Infinity)], 'int'), true);
      r = this.boxFloat(this.emit(name === 'sin' ? 'float_sin' : 'float_cos', [x], 'float'));
    } else throw new Abort(`the builtin ${name}`);
    this.sp = slot;
    this.push(r);
    return pc + 2;
  }

  /** Globals a bridge's `finish` passes after the loop's inputs (the interpreter's globals get them). */
  readonly finishGlobals: number[] = [];
  /**
   * Where a bridge's `finish` leaves the frames: the stack words it passes (from the loop frame's
   * base: the target loop's inputs are the last `slotCount` of them), the inlined frames' records
   * above the loop frame (empty when the target loop is in the loop frame), the target frame's
   * base, and which words are root-table entries (null in the args).
   */
  finishFrames: { words: number; frames: readonly InlinedFrame[]; base: number; statics: readonly (readonly [number, number])[] } = { words: 0, frames: [], base: 0, statics: [] };
  /** Where a bridge ended: the compiled loop's code and header. */
  closedAt: { cid: number; pc: number } | null = null;

  /** Ends a bridge at the header of a compiled loop: `finish` with that loop's inputs. */
  private finishAt(target: LoopShape, pc: number): void {
    this.closedAt = { cid: this.top().cid, pc };
    this.curPc = pc;
    this.snapshot();
    const top = this.top();
    if (this.sp - top.base !== target.slotCount) throw new Abort('a compiled loop header reached with another stack depth');
    const nested = this.frames.length > 1;
    const args: Arg[] = [];
    const statics: [number, number][] = [];
    const value = (x: Val): Arg => {
      if (x.kind !== 'static') return x;
      // Through the interpreter's stack (a call into a loop of a callee): re-read from the root table.
      if (!nested || args.length >= this.sp) throw new Abort('a root-table value passed to a loop');
      statics.push([args.length, x.index]);
      return NULL;
    };
    for (let k = 0; k < this.sp; k++) args.push(value(this.shadow[k]!));
    this.finishFrames = { words: this.sp, frames: this.frames.slice(1).map((f) => f.record!), base: top.base, statics };
    for (const g of target.globalIds) {
      const x = this.global(g);
      // A global the bridge left unset is the loop's input as it is (null): the loop guards it.
      args.push(value(x));
    }
    // Globals the bridge carries and the loop does not: written back before the loop runs.
    for (const [g] of this.globalInputs) {
      if (target.globalIds.includes(g)) continue;
      this.finishGlobals.push(g);
      args.push(value(this.globalVal.get(g)!));
    }
    this.ops.push(mkOp('finish', args));
    this.finishTrace();
  }

  /** Ends the trace: jump back with the loop frame's words and the globals it carries. */
  private close(): void {
    const args: Arg[] = [];
    const carried = (x: Val): Arg => {
      if (x.kind === 'static') throw new Abort('a root-table value carried around the loop');
      return x;
    };
    for (let k = 0; k < this.slotInputs.length; k++) args.push(carried(this.shadow[k]!));
    for (const [g] of this.globalInputs) args.push(carried(this.globalVal.get(g)!));
    this.ops.push(mkOp('jump', args));
    this.finishTrace();
  }

  private finishTrace(): void {
    // A guard recorded before a global's first touch still exits with that global's value: an
    // earlier compiled iteration may have written it, and until its first touch in this
    // iteration it holds what it held at the iteration's start, the input variable.
    for (let k = 0; k < this.ops.length; k++) {
      const op = this.ops[k]!;
      if (op.exit === null) continue;
      const resume = this.resumes[op.guardId]!;
      const missing = this.globalInputs.filter(([g]) => !resume.globals.includes(g));
      if (missing.length === 0) continue;
      this.ops[k] = { ...op, exit: { ...op.exit, values: [...op.exit.values, ...missing.map(([, name]) => v(name))] } };
      this.resumes[op.guardId] = { ...resume, globals: [...resume.globals, ...missing.map(([g]) => g)] };
    }
    this.trace = {
      classes: this.vm.heap.classDecls(),
      inputs: [...this.slotInputs, ...this.globalInputs.map(([, name]) => name)].map((name) => ({ name })),
      ops: this.ops,
      inputSets: [],
      prebuilt: PREBUILT_OBJECTS,
    };
  }
}
