/**
 * Interpreter: runs a compiled Program on the guest heap, one switch-dispatch loop over the
 * Int32Array bytecode, guest calls on an explicit frame stack (never the JS stack).
 *
 * Why one loop with explicit frames: a guest call pushes a frame record (caller code, return pc,
 * caller base, result slot, flags) on `frames` and switches the loop's registers; a return pops
 * it. The JS stack depth is constant whatever the guest's recursion, and RecursionError comes at
 * MAX_DEPTH frames, as CPython's default limit. The registers of the running frame are JS locals:
 * `code`/`bc` (its code object and bytecode), `pc`, `base` (first local in `stk`), `sb` (stack
 * bottom = base + nlocals), `sp`.
 *
 * Why it is fast: no JS allocation per instruction; ints and floats are boxes read and written
 * through the heap's typed arrays, with fast paths for small ints (both halves of the i64 in
 * int32 range) when the semantics record is the default one; attribute loads, stores and method
 * lookups hit per-instruction inline caches keyed on the class id (`ic[pc]` = class id,
 * `ic[pc + 1]` = word offset of the field or static index of the method); LOAD_METHOD /
 * CALL_METHOD call methods without allocating bound methods.
 *
 * Safepoints: at the top of each instruction, when the bump pointer has passed the soft limit,
 * the heap is collected with `stk[0, sp)`, the globals and the statics as roots (every live
 * value is in one of them there). Nothing else collects but `reserve`, called by instructions
 * that may allocate more than RESERVE bytes, before they read their operands.
 *
 * Pre: a Program from compileModule. Post: the program's output through `write`, its exit status
 * (0, or 1 after an uncaught exception or MemoryError, with CPython's last traceback line on the
 * error stream, or 2 after a located "not supported" error).
 */
import * as B from './bytecode.ts';
import { BINARY_OPERATORS, type CodeObject, type Program, quicken } from './bytecode.ts';
const BIN_ADD = B.BIN_ADD;
const BIN_MUL = B.BIN_MUL;
const BIN_DIV = 3;
const BIN_FLOORDIV = 4;
const BIN_MOD = 5;
if (B.BINARY_OPERATORS[BIN_DIV] !== 'Div' || B.BINARY_OPERATORS[BIN_FLOORDIV] !== 'FloorDiv' || B.BINARY_OPERATORS[BIN_MOD] !== 'Mod') throw new Error('BINARY_OPERATORS order');
const BIN_SUB = B.BIN_SUB;
const CMP_EQ = B.CMP_EQ;
const CMP_GE = B.CMP_GE;
const CMP_GT = B.CMP_GT;
const CMP_LE = B.CMP_LE;
const CMP_LT = B.CMP_LT;
const CMP_NE = B.CMP_NE;
import { BUILTIN_FUNCTIONS, BUILTIN_METHODS, type BuiltinFn, type BuiltinHost, MODULE_ATTRS, TYPE_CONSTRUCTORS, indexArg } from './builtins.ts';
import { SourceError } from './errors.ts';
import * as H from './heap.ts';
import { HeapExhausted } from './heap.ts';
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
const C_RANGE = H.C_RANGE;
const C_RANGE_ITER = H.C_RANGE_ITER;
const C_SEQ_ITER = H.C_SEQ_ITER;
const C_STR = H.C_STR;
const C_TUPLE = H.C_TUPLE;
const C_TYPE = H.C_TYPE;
const FALSE = H.FALSE;
const NONE = H.NONE;
const SMALL_ALLOC = H.SMALL_ALLOC;
const TAG_REF_ARRAY = H.TAG_REF_ARRAY;
const TRUE = H.TRUE;
import * as R from './runtime.ts';
import { PyRaise, type PyClass, Runtime } from './runtime.ts';
const MAX_DEPTH = R.MAX_DEPTH;
import type { Semantics } from './semantics.ts';

/** Words of a frame record in `frames` (caller code, return pc, caller base, result slot, flags). */
export const FRAME_WORDS = 5;
const FLAG_CTOR = 1;
const STACK_WORDS = 1 << 20;
const TWO32 = 4294967296;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** The truth of the immortal cells by (address - NONE) / 8: None, False, (False's int), True. */
const IMMORTAL_TRUTH = Int32Array.from([0, 0, 0, 1]);
if (H.FALSE - H.NONE !== 8 || H.TRUE - H.NONE !== 24) throw new Error('IMMORTAL_TRUTH assumes the immortal cells at NONE, NONE + 8 and NONE + 24');

/** -1, 0 or 1: the order of two int32 words read as unsigned. */
function compareUnsigned(a: number, b: number): number {
  const x = a ^ 0x80000000;
  const y = b ^ 0x80000000;
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface InterpreterOptions {
  readonly file: string;
  readonly argv: readonly string[];
  readonly sem: Semantics;
  /** False when `sem` is not the default record: every int and float op then goes through it. */
  readonly fastPaths: boolean;
  readonly gcStress?: boolean;
  readonly heapBytes?: number;
  readonly write: (text: string) => void;
  readonly writeError: (text: string) => void;
  /** Makes the tracing JIT for this interpreter (only used with the default semantics record). */
  readonly jit?: (interpreter: Interpreter) => JitPort;
}

/**
 * What the interpreter asks of a tracing JIT (src/vm/jit/ implements it). Both calls come with
 * the registers published (`rCode`, `rPc`, `rBase`, `rFp`, `sp`) and every live value in `stk`.
 */
export interface JitPort {
  /** True while the JIT records: the loop then calls `recordStep` before every instruction. */
  readonly recording: boolean;
  /**
   * A back-edge to the loop header `header` of code `cid` was taken (pc = header). Returns true
   * when the JIT ran compiled code and left the interpreter's state elsewhere: the loop reloads
   * its registers from the published ones.
   */
  backEdge(cid: number, header: number, sp: number, base: number, fp: number): boolean;
  /** The instruction at `pc` of code `cid` is about to run; returns whether to keep recording. */
  recordStep(cid: number, pc: number, sp: number, base: number, fp: number): boolean;
}

/**
 * Thrown by the loop at a safepoint whose collection is due: `run` collects and re-enters. A
 * throw needs no type feedback, so V8's optimized loop does not deoptimize the first time a
 * safepoint collects (a call to the collector would, and recompiling the loop costs much more).
 */
const SAFEPOINT = new Error('safepoint');

/** A located error raised while running ("… is not supported"): exit status 2. */
export class RunSourceError extends SourceError {}

export class Interpreter extends Runtime implements BuiltinHost {
  readonly file: string;
  readonly argv: readonly string[];
  readonly codes: readonly CodeObject[];
  private readonly ics: Int32Array[];
  /** Per code object (by id): argument count, locals, and locals + value stack (the frame's words). */
  private readonly codeArgs: Int32Array;
  readonly codeLocals: Int32Array;
  private readonly codeFrame: Int32Array;
  /** Each code object's bytecode, quickened (bytecode.ts): what the loop runs. */
  readonly bcs: Int32Array[];
  readonly constBase: number;
  /** Per global slot: the static index of the builtin of that name, or -1. */
  readonly builtinOf: Int32Array;
  private readonly builtinFns: BuiltinFn[] = [];
  readonly builtinNames: string[] = [];
  private readonly moduleStatic: number[] = [];
  private readonly moduleAttrs: Map<string, number>[] = [];
  readonly frames = new Int32Array(FRAME_WORDS * (MAX_DEPTH + 2));
  private readonly initCache = new Map<number, number>();
  private initEpoch = -1;
  /** Per class id: 1 + the static index of the __init__ of a plain user class (0: take the slow path). */
  readonly plainInit: number[] = [];
  /** Where lookups that must not be cached write their cache entry. */
  private readonly scratchIc = new Int32Array(2);
  /** The object class (every class's root). */
  private readonly objectClass: PyClass;
  readonly write: (text: string) => void;
  private readonly writeError: (text: string) => void;
  readonly fast: boolean;
  /** The tracing JIT, or null (interpret only). It reads and rewrites the registers below at back-edges. */
  readonly jit: JitPort | null;

  constructor(
    readonly program: Program,
    options: InterpreterOptions,
  ) {
    // Safepoints are calls, returns, back-edges and handler entries: between two, at most one
    // code object's instructions run, each allocating at most SMALL_ALLOC bytes unreserved.
    const longest = Math.max(...program.codes.map((c) => c.bytecode.length / 2));
    const reserveBytes = Math.max(H.MIN_RESERVE, (longest + 16) * SMALL_ALLOC);
    super(options.sem, { heapBytes: options.heapBytes, gcStress: options.gcStress, reserveBytes }, STACK_WORDS);
    this.file = options.file;
    this.argv = options.argv;
    this.write = options.write;
    this.writeError = options.writeError;
    this.fast = options.fastPaths;
    this.codes = program.codes;
    this.ics = program.codes.map((c) => new Int32Array(c.bytecode.length));
    this.bcs = program.codes.map((c) => quicken(c.bytecode));
    this.codeArgs = Int32Array.from(program.codes, (c) => c.argcount);
    this.codeLocals = Int32Array.from(program.codes, (c) => c.nlocals);
    this.codeFrame = Int32Array.from(program.codes, (c) => c.nlocals + c.maxStack);
    this.globals = new Int32Array(program.globals.length);

    const objectHeapClass = this.heap.addClass('W_ObjectObject', 'object', []);
    this.objectClass = this.registerClass(objectHeapClass.id, 'object', null, new Map(), false, false);

    // Builtin methods (list.append, …), then builtin functions and types by name.
    for (const [type, name, fn] of BUILTIN_METHODS) this.classByName.get(type)!.attrs.set(name, this.addStatic(this.newBuiltin(name, fn)));
    const builtinByName = new Map<string, number>();
    for (const [name, fn] of BUILTIN_FUNCTIONS) builtinByName.set(name, this.addStatic(this.newBuiltin(name, fn)));
    for (const [name, cls] of this.classByName) {
      if (['NoneType', 'function', 'method', 'builtin_function_or_method', 'module'].includes(name)) continue;
      builtinByName.set(name, cls.typeStatic);
    }
    this.builtinOf = Int32Array.from(program.globals, (g) => builtinByName.get(g) ?? -1);

    for (const m of program.modules) {
      const attrs = new Map<string, number>();
      const mod = this.heap.newObject(C_MODULE);
      this.heap.i32[(mod >> 2) + 2] = this.moduleStatic.length;
      this.moduleStatic.push(this.addStatic(mod));
      for (const [name, value] of MODULE_ATTRS.get(m)!) {
        let v: number;
        if (value.kind === 'float') v = this.boxFloat(value.value);
        else if (value.kind === 'fn') v = this.newBuiltin(`${name}`, value.fn);
        else {
          const at = this.addStatic(this.newList(this.argv.length));
          for (const [k, s] of this.argv.entries()) {
            const str = this.newStr(s); // may collect: the list is re-read from its root
            const l = this.statics[at]!;
            this.heap.i32[(this.heap.i32[(l >> 2) + 4]! >> 2) + 2 + 2 * k] = str;
            this.heap.i32[(l >> 2) + 2] = k + 1;
          }
          v = this.statics[at]!;
        }
        attrs.set(name, this.addStatic(v));
      }
      this.moduleAttrs.push(attrs);
    }
    this.constBase = this.nstatics;
    for (const c of program.consts) {
      let v: number;
      if (c === null) v = NONE;
      else if (typeof c === 'boolean') v = c ? TRUE : FALSE;
      else if (typeof c === 'bigint') v = this.boxBig(c);
      else if (typeof c === 'number') v = this.boxFloat(c);
      else v = this.newStr(c);
      this.addStatic(v);
    }
    this.jit = options.jit && options.fastPaths ? options.jit(this) : null;
  }

  private newBuiltin(name: string, fn: BuiltinFn): number {
    const b = this.heap.newObject(C_BUILTIN);
    this.heap.i32[(b >> 2) + 2] = this.builtinFns.length;
    this.builtinFns.push(fn);
    this.builtinNames.push(name);
    return b;
  }

  override functionQualname(f: number): string {
    return this.codes[this.heap.i32[(f >> 2) + 2]!]!.qualname;
  }
  override builtinName(f: number): string {
    return this.builtinNames[this.heap.i32[(f >> 2) + 2]!]!;
  }
  override moduleName(m: number): string {
    return this.program.modules[this.heap.i32[(m >> 2) + 2]!]!;
  }

  override isSubclass(c: PyClass, of: PyClass): boolean {
    return of === this.objectClass || super.isSubclass(c, of);
  }

  /** Runs the module; returns the exit status. */
  run(): number {
    this.rCode = this.program.module;
    this.rPc = 0;
    this.rBase = 0;
    this.rFp = 0;
    this.sp = this.program.module.nlocals;
    for (;;) {
      try {
        return this.loop();
      } catch (e) {
        try {
          if (e === SAFEPOINT) {
            this.collectNow();
            continue;
          }
          if (e instanceof HeapExhausted) throw e;
          if (e instanceof SourceError) throw e;
          const status = this.unwind(e);
          if (status !== null) return status;
          // A safepoint: the handler's frame holds every live value.
          if (this.heap.hp > this.heap.softLimit) this.collectNow();
        } catch (fatal) {
          if (!(fatal instanceof HeapExhausted)) throw fatal;
          this.writeError('MemoryError\n');
          return 1;
        }
      }
    }
  }

  private notSupported(message: string, code: CodeObject, pc: number): never {
    throw new RunSourceError(`${message} is not supported`, { line: code.lines[pc >> 1]!, col: code.cols[pc >> 1]! });
  }

  private loop(): number {
    const stk = this.stk;
    const heap = this.heap;
    const codes = this.codes;
    const frames = this.frames;
    const fast = this.fast;
    const bcs = this.bcs;
    let i32 = heap.i32;
    let f64 = heap.f64;
    const ics = this.ics;
    const codeArgs = this.codeArgs;
    const codeLocals = this.codeLocals;
    const codeFrame = this.codeFrame;
    // The running code object is `cid` (an index into codes; the object itself only on cold paths).
    let cid = this.rCode.id;
    let bc = bcs[cid]!;
    let ic = ics[cid]!;
    let pc = this.rPc;
    let base = this.rBase;
    let sb = base + codeLocals[cid]!;
    let sp = this.sp;
    let fp = this.rFp;
    const jit = this.jit;
    let recording = jit !== null && jit.recording;
    // No try/catch here (it would pin the registers in memory): a throw leaves the loop, and
    // `run` unwinds from the registers published in rPc (every instruction) and rCode, rBase,
    // rFp (every call and return).
    for (;;) {
          if (recording) recording = jit!.recordStep(cid, pc, sp, base, fp);
          let op = bc[pc]!;
          let arg = bc[pc + 1]!;
          pc += 2;
          this.rPc = pc;
          // One dispatch; an instruction that becomes another (RAISE of a class) continues `redo`.
          redo: for (;;) {
          switch (op) {
            case 1: /* LOAD_CONST */
              stk[sp++] = this.statics[this.constBase + arg]!;
              break;
            case 2: /* LOAD_FAST */ {
              const v = stk[base + arg]!;
              if (v === 0) this.unboundLocal(cid, arg);
              stk[sp++] = v;
              break;
            }
            case 3: /* STORE_FAST */
              stk[base + arg] = stk[--sp]!;
              break;
            case 5: /* LOAD_GLOBAL */ {
              let v = this.globals[arg]!;
              if (v === 0) {
                const b = this.builtinOf[arg]!;
                if (b < 0) this.notDefined(arg);
                v = this.statics[b]!;
              }
              stk[sp++] = v;
              break;
            }
            case 6: /* STORE_GLOBAL */
              this.globals[arg] = stk[--sp]!;
              break;
            case 47: /* LOAD_FAST_ATTR */ {
              const obj = stk[base + arg]!;
              if (obj === 0) this.unboundLocal(cid, arg);
              stk[sp++] = obj;
              arg = bc[pc + 1]!;
              pc += 2;
              this.rPc = pc;
              const t = i32[obj >> 2]!;
              if (ic[pc - 2] === t) {
                const d = ic[pc - 1]!;
                if (d > 0) {
                  const v = i32[(obj >> 2) + d]!;
                  if (v !== 0) {
                    stk[sp - 1] = v;
                    break;
                  }
                } else {
                  stk[sp - 1] = this.statics[-d - 1]!;
                  break;
                }
              }
              this.sp = sp;
              stk[sp - 1] = this.loadAttr(obj, arg, ic, pc - 2, codes[cid]!);
              break;
            }
            case 48: /* LOAD_FAST_METHOD */ {
              const obj = stk[base + arg]!;
              if (obj === 0) this.unboundLocal(cid, arg);
              arg = bc[pc + 1]!;
              pc += 2;
              this.rPc = pc;
              const t = i32[obj >> 2]!;
              if (ic[pc - 2] === t) {
                stk[sp] = this.statics[ic[pc - 1]!]!;
                stk[sp + 1] = obj;
                sp += 2;
                break;
              }
              stk[sp++] = obj;
              this.sp = sp;
              const [f, self] = this.loadMethod(obj, arg, ic, pc - 2, codes[cid]!);
              stk[sp - 1] = f;
              stk[sp++] = self;
              break;
            }
            case 49: /* LOAD_FAST_FAST */ {
              const v = stk[base + arg]!;
              if (v === 0) this.unboundLocal(cid, arg);
              arg = bc[pc + 1]!;
              pc += 2;
              this.rPc = pc;
              const w = stk[base + arg]!;
              if (w === 0) this.unboundLocal(cid, arg);
              stk[sp] = v;
              stk[sp + 1] = w;
              sp += 2;
              break;
            }
            case 8: /* LOAD_ATTR */ {
              const obj = stk[sp - 1]!;
              const t = i32[obj >> 2]!;
              if (ic[pc - 2] === t) {
                const d = ic[pc - 1]!;
                if (d > 0) {
                  const v = i32[(obj >> 2) + d]!;
                  if (v !== 0) {
                    stk[sp - 1] = v;
                    break;
                  }
                } else {
                  stk[sp - 1] = this.statics[-d - 1]!;
                  break;
                }
              }
              this.sp = sp;
              stk[sp - 1] = this.loadAttr(obj, arg, ic, pc - 2, codes[cid]!);
              break;
            }
            case 9: /* STORE_ATTR */ {
              const obj = stk[sp - 1]!;
              const t = i32[obj >> 2]!;
              if (ic[pc - 2] === t) {
                i32[(obj >> 2) + ic[pc - 1]!] = stk[sp - 2]!;
                sp -= 2;
                break;
              }
              this.sp = sp;
              this.storeAttr(obj, arg, stk[sp - 2]!, ic, pc - 2, codes[cid]!);
              sp -= 2;
              break;
            }
            case 10: /* LOAD_METHOD */ {
              const obj = stk[sp - 1]!;
              const t = i32[obj >> 2]!;
              if (ic[pc - 2] === t) {
                stk[sp - 1] = this.statics[ic[pc - 1]!]!;
                stk[sp++] = obj;
                break;
              }
              this.sp = sp;
              const [f, self] = this.loadMethod(obj, arg, ic, pc - 2, codes[cid]!);
              stk[sp - 1] = f;
              stk[sp++] = self;
              break;
            }
            case 12: /* CALL_METHOD */
            case 11: /* CALL */ {
              if (op === 12 /* CALL_METHOD */) {
                // [function, self, args…] calls with self; [0, callable, args…] without.
                if (stk[sp - arg - 2] !== 0) arg++;
                else {
                  for (let j = sp - arg - 2; j < sp - 1; j++) stk[j] = stk[j + 1]!;
                  sp--;
                }
              }
              let nargs = arg;
              const slot = sp - nargs - 1;
              let f = stk[slot]!;
              let t = i32[f >> 2]!;
              if (t === C_METHOD) {
                for (let j = sp; j > slot + 1; j--) stk[j] = stk[j - 1]!;
                stk[slot + 1] = i32[(f >> 2) + 2]!;
                f = i32[(f >> 2) + 4]!;
                stk[slot] = f;
                sp++;
                nargs++;
                t = i32[f >> 2]!;
              }
              let flags = 0;
              if (t === C_TYPE) {
                const cid = i32[(f >> 2) + 2]!;
                const k = this.plainInit[cid] ?? 0;
                if (k > 0) {
                  // A user class with an __init__ function: allocate inline, then call __init__.
                  const size = heap.classes[cid]!.size;
                  const p = heap.hp;
                  if (p + size > heap.limit) throw new HeapExhausted('no reserve');
                  heap.hp = p + size;
                  const w = p >> 2;
                  i32[w] = cid;
                  for (let j = 1; j < size >> 2; j++) i32[w + j] = 0;
                  for (let j = sp; j > slot + 1; j--) stk[j] = stk[j - 1]!;
                  stk[slot] = p;
                  stk[slot + 1] = p;
                  f = this.statics[k - 1]!;
                } else {
                  this.sp = sp;
                  const init = this.instantiate(slot, nargs, codes[cid]!, pc - 2);
                  i32 = heap.i32;
                  f64 = heap.f64;
                  if (init === 0) {
                    sp = slot + 1;
                    break;
                  }
                  // stk[slot] is the new instance; call __init__ with it as self.
                  for (let j = sp; j > slot + 1; j--) stk[j] = stk[j - 1]!;
                  stk[slot + 1] = stk[slot]!;
                  f = init;
                }
                sp++;
                nargs++;
                t = C_FUNCTION;
                flags = FLAG_CTOR;
              }
              if (t === C_FUNCTION) {
                const callee = i32[(f >> 2) + 2]!;
                if (nargs !== codeArgs[callee]) {
                  this.sp = sp;
                  nargs = this.bindDefaults(f, codes[callee]!, slot, nargs);
                  sp = slot + 1 + nargs;
                }
                if (fp >= 999 /* MAX_DEPTH - 1 */ || slot + codeFrame[callee]! >= 1048575 /* STACK_WORDS - 1 */) {
                  this.raise('RecursionError', 'maximum recursion depth exceeded');
                }
                const fw = fp * FRAME_WORDS;
                frames[fw] = cid;
                frames[fw + 1] = pc;
                frames[fw + 2] = base;
                frames[fw + 3] = slot;
                frames[fw + 4] = flags;
                fp++;
                cid = callee;
                bc = bcs[cid]!;
                ic = ics[cid]!;
                base = slot + 1;
                sb = base + codeLocals[cid]!;
                for (let k = base + nargs; k < sb; k++) stk[k] = 0;
                sp = sb;
                pc = 0;
                this.rCode = codes[cid]!;
                this.rBase = base;
                this.rFp = fp;
                // A safepoint: leave the loop (`run` collects and re-enters from the published registers).
                this.sp = sp;
                this.rPc = pc;
                if (heap.hp > heap.softLimit) throw SAFEPOINT;
                break;
              }
              if (t === C_BUILTIN) {
                this.sp = sp;
                stk[slot] = this.callBuiltin(f, slot, nargs);
                i32 = heap.i32;
                f64 = heap.f64;
                sp = slot + 1;
                break;
              }
              this.notCallable(f);
              break;
            }
            case 40: /* RETURN_VALUE */
            case 50: /* RETURN_CONST */ {
              const v = op === 40 ? stk[sp - 1]! : this.statics[this.constBase + arg]!;
              if (fp === 0) return 0;
              fp--;
              const fw = fp * FRAME_WORDS;
              const slot = frames[fw + 3]!;
              cid = frames[fw]!;
              bc = bcs[cid]!;
              ic = ics[cid]!;
              pc = frames[fw + 1]!;
              base = frames[fw + 2]!;
              sb = base + codeLocals[cid]!;
              sp = slot + 1;
              this.rCode = codes[cid]!;
              this.rBase = base;
              this.rFp = fp;
              this.rPc = pc;
              if (frames[fw + 4]! & FLAG_CTOR) {
                if (v !== NONE) this.initReturned(v);
              } else {
                stk[slot] = v;
              }
              // A safepoint: leave the loop (`run` collects and re-enters from the published registers).
              this.sp = sp;
              this.rPc = pc;
              if (heap.hp > heap.softLimit) throw SAFEPOINT;
              break;
            }
            case 13: /* BINARY_OP */
            case 14: /* INPLACE_OP */ {
              const b = stk[sp - 1]!;
              const a = stk[sp - 2]!;
              fastPath: if (fast) {
                const wa = a >> 2;
                const wb = b >> 2;
                if (i32[wa] === C_INT && i32[wb] === C_INT && arg !== BIN_DIV) {
                  // int64 + and - with int32 operations (carry and overflow by hand), exact on the
                  // whole range; * when both fit in int32 and the product in 2^53.
                  const alo = i32[wa + 2]!;
                  const ahi = i32[wa + 3]!;
                  const blo = i32[wb + 2]!;
                  const bhi = i32[wb + 3]!;
                  let lo = 0;
                  let hi = 0;
                  let ok = false;
                  if (arg === BIN_ADD) {
                    lo = (alo + blo) | 0;
                    hi = (ahi + bhi + ((lo ^ 0x80000000) < (alo ^ 0x80000000) ? 1 : 0)) | 0;
                    ok = ((ahi ^ hi) & (bhi ^ hi)) >= 0;
                  } else if (arg === BIN_SUB) {
                    lo = (alo - blo) | 0;
                    hi = (ahi - bhi - ((alo ^ 0x80000000) < (blo ^ 0x80000000) ? 1 : 0)) | 0;
                    ok = ((ahi ^ bhi) & (ahi ^ hi)) >= 0;
                  } else if (ahi === alo >> 31 && bhi === blo >> 31) {
                    // Both int32: * exact below 2^53; // and % by floor of the double quotient,
                    // exact for int32 operands (the quotient never rounds across an integer).
                    let r = NaN;
                    if (arg === BIN_MUL) r = alo * blo;
                    else if (arg === BIN_FLOORDIV && blo !== 0) r = Math.floor(alo / blo);
                    else if (arg === BIN_MOD && blo !== 0) r = alo - blo * Math.floor(alo / blo);
                    if (r <= MAX_SAFE && r >= -MAX_SAFE) {
                      lo = r | 0;
                      hi = Math.floor(r / TWO32);
                      ok = true;
                    }
                  }
                  if (ok) {
                    const p = heap.hp;
                    if (p + 16 > heap.limit) throw new HeapExhausted('no reserve');
                    heap.hp = p + 16;
                    const w = p >> 2;
                    i32[w] = C_INT;
                    i32[w + 1] = 0;
                    i32[w + 2] = lo;
                    i32[w + 3] = hi;
                    stk[sp - 2] = p;
                    sp--;
                    break;
                  }
                }
                // + - * / on floats and on ints below 2^53 (exactly doubles) mixed with floats, and
                // int / int: IEEE's correctly rounded results are Python's (division by zero aside).
                const ta = i32[wa]!;
                const tb = i32[wb]!;
                if (arg > BIN_DIV || (ta !== C_FLOAT && tb !== C_FLOAT && arg !== BIN_DIV)) break fastPath;
                let x = 0;
                let y = 0;
                if (ta === C_FLOAT) x = f64[(a >> 3) + 1]!;
                else if (ta === C_INT && i32[wa + 3]! < 0x200000 && i32[wa + 3]! >= -0x200000) x = i32[wa + 3]! * TWO32 + (i32[wa + 2]! >>> 0);
                else break fastPath;
                if (tb === C_FLOAT) y = f64[(b >> 3) + 1]!;
                else if (tb === C_INT && i32[wb + 3]! < 0x200000 && i32[wb + 3]! >= -0x200000) y = i32[wb + 3]! * TWO32 + (i32[wb + 2]! >>> 0);
                else break fastPath;
                if (arg === BIN_DIV && y === 0) break fastPath;
                {
                  const r = arg === BIN_ADD ? x + y : arg === BIN_SUB ? x - y : arg === BIN_MUL ? x * y : x / y;
                  const p = heap.hp;
                  if (p + 16 > heap.limit) throw new HeapExhausted('no reserve');
                  heap.hp = p + 16;
                  i32[p >> 2] = C_FLOAT;
                  i32[(p >> 2) + 1] = 0;
                  f64[(p >> 3) + 1] = r;
                  stk[sp - 2] = p;
                  sp--;
                  break;
                }
              }
              this.sp = sp;
              const r = op === 14 /* INPLACE_OP */ && arg === BIN_ADD && i32[a >> 2] === C_LIST ? this.extendList(sp - 2, sp - 1) : this.binaryOp(arg, sp - 2, sp - 1);
              i32 = heap.i32;
              f64 = heap.f64;
              stk[sp - 2] = r;
              sp--;
              break;
            }
            case 51: /* COMPARE_JUMP_IF_FALSE */
            case 18: /* COMPARE_OP */ {
              const b = stk[sp - 1]!;
              const a = stk[sp - 2]!;
              const wa = a >> 2;
              const wb = b >> 2;
              let r: boolean;
              if (fast && i32[wa] === C_INT && i32[wb] === C_INT) {
                // Exact on all of int64 with int32 operations: high words signed, low words unsigned.
                const ahi = i32[wa + 3]!;
                const bhi = i32[wb + 3]!;
                const c = ahi !== bhi ? (ahi < bhi ? -1 : 1) : compareUnsigned(i32[wa + 2]!, i32[wb + 2]!);
                r = arg === CMP_LT ? c < 0 : arg === CMP_LE ? c <= 0 : arg === CMP_EQ ? c === 0 : arg === CMP_NE ? c !== 0 : arg === CMP_GT ? c > 0 : c >= 0;
              } else if (fast && i32[wa] === C_FLOAT && i32[wb] === C_FLOAT) {
                const x = f64[(a >> 3) + 1]!;
                const y = f64[(b >> 3) + 1]!;
                r = arg === CMP_LT ? x < y : arg === CMP_LE ? x <= y : arg === CMP_EQ ? x === y : arg === CMP_NE ? x !== y : arg === CMP_GT ? x > y : x >= y;
              } else {
                this.sp = sp;
                r = this.compareOp(arg, a, b);
              }
              if (op === 51) {
                sp -= 2;
                pc = r ? pc + 2 : bc[pc + 1]!;
                break;
              }
              stk[sp - 2] = r ? TRUE : FALSE;
              sp--;
              break;
            }
            case 21: /* BINARY_SUBSCR */ {
              // A list or tuple indexed by an int32 in range: no call.
              const key = stk[sp - 1]!;
              const seq = stk[sp - 2]!;
              const ts = i32[seq >> 2]!;
              if (i32[key >> 2] === C_INT && (ts === C_LIST || ts === C_TUPLE)) {
                const lo = i32[(key >> 2) + 2]!;
                if (i32[(key >> 2) + 3] === lo >> 31) {
                  const items = ts === C_LIST ? i32[(seq >> 2) + 4]! : i32[(seq >> 2) + 2]!;
                  const len = ts === C_LIST ? i32[(seq >> 2) + 2]! : i32[(items >> 2) + 1]!;
                  const k = lo < 0 ? lo + len : lo;
                  if (k >= 0 && k < len) {
                    stk[sp - 2] = i32[(items >> 2) + 2 + 2 * k]!;
                    sp--;
                    break;
                  }
                }
              }
              this.sp = sp;
              stk[sp - 2] = this.getItem(seq, key);
              sp--;
              break;
            }
            case 19: /* IS_OP */ {
              const same = stk[sp - 2] === stk[sp - 1];
              stk[sp - 2] = same !== (arg === 1) ? TRUE : FALSE;
              sp--;
              break;
            }
            case 26: /* POP_TOP */
              sp--;
              break;
            case 27: /* DUP_TOP */
              stk[sp] = stk[sp - 1]!;
              sp++;
              break;
            case 32: /* JUMP_FORWARD */
              pc = arg;
              break;
            case 33: /* JUMP_BACKWARD */
              pc = arg;
              // A safepoint: leave the loop (`run` collects and re-enters from the published registers).
              this.sp = sp;
              this.rPc = pc;
              if (jit !== null) {
                if (jit.backEdge(cid, pc, sp, base, fp)) {
                  // Compiled code ran and exited: continue where its exit rebuilt the frames.
                  cid = this.rCode.id;
                  bc = bcs[cid]!;
                  ic = ics[cid]!;
                  pc = this.rPc;
                  base = this.rBase;
                  sb = base + codeLocals[cid]!;
                  sp = this.sp;
                  fp = this.rFp;
                  i32 = heap.i32;
                  f64 = heap.f64;
                }
                recording = jit.recording;
              }
              if (heap.hp > heap.softLimit) throw SAFEPOINT;
              break;
            case 34: /* POP_JUMP_IF_FALSE */
            case 35: /* POP_JUMP_IF_TRUE */ {
              const v = stk[--sp]!;
              // None, False and True by one table lookup (every operation here runs on every
              // branch, so the optimizing compiler has seen them all); anything else by truthy.
              const k = (v - NONE) >>> 3;
              const truth = k < 4 ? IMMORTAL_TRUTH[k] === 1 : this.truthy(v);
              if (truth === (op === 35 /* POP_JUMP_IF_TRUE */)) pc = arg;
              break;
            }
            case 36: /* JUMP_IF_FALSE_OR_POP */
            case 37: /* JUMP_IF_TRUE_OR_POP */ {
              const v = stk[sp - 1]!;
              if (this.truthy(v) === (op === 37 /* JUMP_IF_TRUE_OR_POP */)) pc = arg;
              else sp--;
              break;
            }
            case 39: /* FOR_ITER */ {
              const it = stk[sp - 1]!;
              const w = it >> 2;
              if (i32[w] === C_RANGE_ITER) {
                const cur = i32[w + 3]! * TWO32 + (i32[w + 2]! >>> 0);
                const stop = i32[w + 5]! * TWO32 + (i32[w + 4]! >>> 0);
                const step = i32[w + 7]! * TWO32 + (i32[w + 6]! >>> 0);
                if (step > 0 ? cur < stop : cur > stop) {
                  const next = cur + step;
                  i32[w + 2] = next | 0;
                  i32[w + 3] = Math.floor(next / TWO32);
                  stk[sp++] = this.newInt(cur);
                } else {
                  sp--;
                  pc = arg;
                }
                break;
              }
              const v = this.seqNext(it);
              if (v === 0) {
                sp--;
                pc = arg;
              } else stk[sp++] = v;
              break;
            }
            case 44: /* RAISE */ {
              const v = stk[sp - 1]!;
              if (i32[v >> 2] === C_TYPE && this.classOfType(v).isException) {
                // `raise C`: run this instruction as CALL 0 returning to itself, then raise the instance.
                pc -= 2;
                op = 11; /* CALL */
                arg = 0;
                continue redo;
              }
              if (!this.classOf(v).isException) this.raise('TypeError', 'exceptions must derive from BaseException');
              throw new PyRaise(v);
            }
            default:
              this.sp = sp;
              sp = this.coldOp(op, arg, sp, base, sb, pc, codes[cid]!);
              i32 = heap.i32;
              f64 = heap.f64;
          }
          break;
          }
    }
  }

  // --- the loop's cold paths, out of line (the loop's size decides how fast V8 compiles it) ---

  private unboundLocal(cid: number, local: number): never {
    return this.raise('UnboundLocalError', `cannot access local variable '${this.codes[cid]!.varnames[local]}' where it is not associated with a value`);
  }

  private notDefined(global: number): never {
    return this.raise('NameError', `name '${this.program.globals[global]}' is not defined`);
  }

  private notCallable(f: number): never {
    return this.raise('TypeError', `'${this.typeName(f)}' object is not callable`);
  }

  private initReturned(v: number): never {
    return this.raise('TypeError', `__init__() should return None, not '${this.typeName(v)}'`);
  }

  /** Calls the builtin `f` (a bound one gets its self first) on stk[slot + 1, slot + 1 + nargs). */
  private callBuiltin(f: number, slot: number, nargs: number): number {
    const stk = this.stk;
    const i32 = this.heap.i32;
    const self = i32[(f >> 2) + 4]!;
    if (self !== 0) {
      for (let j = slot + 1 + nargs; j > slot + 1; j--) stk[j] = stk[j - 1]!;
      stk[slot + 1] = self;
      nargs++;
      this.sp = slot + 1 + nargs;
    }
    return this.builtinFns[i32[(f >> 2) + 2]!]!(this, slot + 1, nargs);
  }

  /** The instructions the hot loop leaves out (its size decides how fast V8 compiles it): returns the new sp. */
  private coldOp(op: number, arg: number, sp: number, base: number, sb: number, pc: number, code: CodeObject): number {
    const stk = this.stk;
    const heap = this.heap;
    const codes = this.codes;
    let i32 = heap.i32;
    let f64 = heap.f64;
    switch (op) {
      case 0: /* NOP */
        break;
      case 4: /* DELETE_FAST */
        stk[base + arg] = 0;
        break;
      case 7: /* DELETE_GLOBAL */
        this.globals[arg] = 0;
        break;
      case 15: /* UNARY_NEGATIVE */ {
        const a = stk[sp - 1]!;
        this.sp = sp;
        stk[sp - 1] = this.negate(a);
        break;
      }
      case 16: /* UNARY_POSITIVE */ {
        const a = stk[sp - 1]!;
        const t = i32[a >> 2]!;
        if (t === C_BOOL) stk[sp - 1] = this.newInt(a === TRUE ? 1 : 0);
        else if (t !== C_INT && t !== C_LONG && t !== C_FLOAT) this.raise('TypeError', `bad operand type for unary +: '${this.typeName(a)}'`);
        break;
      }
      case 17: /* UNARY_NOT */
        stk[sp - 1] = this.truthy(stk[sp - 1]!) ? FALSE : TRUE;
        break;
      case 20: /* CONTAINS_OP */ {
        this.sp = sp;
        const found = this.contains(stk[sp - 1]!, stk[sp - 2]!);
        stk[sp - 2] = found !== (arg === 1) ? TRUE : FALSE;
        sp--;
        break;
      }
      case 21: /* BINARY_SUBSCR */ {
        this.sp = sp;
        stk[sp - 2] = this.getItem(stk[sp - 2]!, stk[sp - 1]!);
        sp--;
        break;
      }
      case 22: /* STORE_SUBSCR */ {
        this.setItem(stk[sp - 2]!, stk[sp - 1]!, stk[sp - 3]!);
        sp -= 3;
        break;
      }
      case 23: /* BUILD_LIST */
      case 24: /* BUILD_TUPLE */ {
        this.sp = sp;
        if (8 * arg + 64 > SMALL_ALLOC / 2) this.reserve(64 + 8 * arg);
        const from = sp - arg;
        let v: number;
        if (op === 24 /* BUILD_TUPLE */) v = this.newTupleFromStack(from, arg);
        else {
          v = this.newList(arg);
          const items = this.heap.i32[(v >> 2) + 4]!;
          for (let k = 0; k < arg; k++) this.heap.i32[(items >> 2) + 2 + 2 * k] = stk[from + k]!;
          this.heap.i32[(v >> 2) + 2] = arg;
        }
        i32 = heap.i32;
        f64 = heap.f64;
        sp = from;
        stk[sp++] = v;
        break;
      }
      case 25: /* UNPACK_SEQUENCE */ {
        this.sp = sp;
        this.unpack(sp - 1, arg);
        i32 = heap.i32;
        f64 = heap.f64;
        sp += arg - 1;
        break;
      }
      case 28: /* DUP_TOP_TWO */
        stk[sp] = stk[sp - 2]!;
        stk[sp + 1] = stk[sp - 1]!;
        sp += 2;
        break;
      case 29: /* ROT_TWO */ {
        const x = stk[sp - 1]!;
        stk[sp - 1] = stk[sp - 2]!;
        stk[sp - 2] = x;
        break;
      }
      case 30: /* ROT_THREE */ {
        const x = stk[sp - 1]!;
        stk[sp - 1] = stk[sp - 2]!;
        stk[sp - 2] = stk[sp - 3]!;
        stk[sp - 3] = x;
        break;
      }
      case 31: /* PEEK */
        stk[sp] = stk[sb + arg]!;
        sp++;
        break;
      case 38: /* GET_ITER */ {
        this.sp = sp;
        stk[sp - 1] = this.getIter(stk[sp - 1]!);
        break;
      }
      case 41: /* MAKE_FUNCTION */ {
        const n = codes[arg]!.ndefaults;
        this.sp = sp;
        const defaults = n === 0 ? 0 : this.newTupleFromStack(sp - n, n);
        const fn = this.heap.newObject(C_FUNCTION);
        i32 = heap.i32;
        f64 = heap.f64;
        i32[(fn >> 2) + 2] = arg;
        i32[(fn >> 2) + 4] = defaults;
        sp -= n;
        stk[sp++] = fn;
        break;
      }
      case 42: /* BUILD_CLASS */ {
        const spec = this.program.classes[arg]!;
        const n = spec.attrs.length + (spec.hasBase ? 1 : 0);
        this.sp = sp;
        const cls = this.buildClass(arg, sp - n, code, pc - 2);
        i32 = heap.i32;
        f64 = heap.f64;
        sp -= n;
        stk[sp++] = cls;
        break;
      }
      case 43: /* IMPORT_NAME */
        stk[sp++] = this.statics[this.moduleStatic[arg]!]!;
        break;
      case 45: /* RERAISE */ {
        const v = stk[sp - 1]!;
        if (v === NONE) this.raise('RuntimeError', 'No active exception to reraise');
        throw new PyRaise(v);
      }
      case 46: /* CHECK_EXC_MATCH */ {
        this.sp = sp;
        stk[sp - 1] = this.excMatches(stk[sp - 2]!, stk[sp - 1]!) ? TRUE : FALSE;
        break;
      }
      default:
        throw new Error(`bad opcode ${op} at ${pc - 2} in ${code.qualname}`);
    }
    void f64;
    return sp;
  }

  /** The registers of the running frame, published for unwinding (see `loop`). */
  rCode!: CodeObject;
  rPc = 0;
  rBase = 0;
  rFp = 0;
  private readonly traceback: { code: CodeObject; pc: number }[] = [];

  /**
   * Unwinds a guest exception to the innermost handler covering the faulting instruction, in
   * this frame or a caller's; sets the registers there and returns null, or prints the
   * traceback and returns 1 when no handler is left.
   */
  private unwind(e: unknown): number | null {
    const exc = this.exceptionOf(e);
    if (exc === null) throw e;
    const frames = this.frames;
    let code = this.rCode;
    let fault = this.rPc - 2;
    let base = this.rBase;
    let fp = this.rFp;
    for (;;) {
      const table = code.exceptionTable;
      for (let k = 0; k < table.length; k += 4) {
        if (table[k]! <= fault && fault < table[k + 1]!) {
          let sp = base + code.nlocals + table[k + 3]!;
          this.stk[sp++] = exc;
          this.sp = sp;
          this.rCode = code;
          this.rPc = table[k + 2]!;
          this.rBase = base;
          this.rFp = fp;
          this.traceback.length = 0;
          return null;
        }
      }
      this.traceback.push({ code, pc: fault });
      if (fp === 0) {
        this.printUncaught(exc, this.traceback);
        return 1;
      }
      fp--;
      const fw = fp * FRAME_WORDS;
      code = this.codes[frames[fw]!]!;
      fault = frames[fw + 1]! - 2;
      base = frames[fw + 2]!;
    }
  }

  private printUncaught(exc: number, traceback: readonly { code: CodeObject; pc: number }[]): void {
    const lines = ['Traceback (most recent call last):'];
    for (let k = traceback.length - 1; k >= 0; k--) {
      const { code, pc } = traceback[k]!;
      lines.push(`  File "${this.file}", line ${code.lines[pc >> 1]}, in ${code.name}`);
    }
    const text = this.str(exc);
    const name = this.classOf(exc).name;
    lines.push(text === '' ? name : `${name}: ${text}`);
    this.writeError(`${lines.join('\n')}\n`);
  }

  // --- calls ---

  /** Fills missing arguments from the defaults (or raises CPython's TypeError); returns the new count. */
  private bindDefaults(f: number, callee: CodeObject, slot: number, nargs: number): number {
    const want = callee.argcount;
    const defaults = this.heap.i32[(f >> 2) + 4]!;
    const ndef = callee.ndefaults;
    const name = `${callee.qualname}()`;
    if (nargs > want) {
      const takes = ndef === 0 ? `${want}` : `from ${want - ndef} to ${want}`;
      this.raise('TypeError', `${name} takes ${takes} positional argument${want === 1 && ndef === 0 ? '' : 's'} but ${nargs} ${nargs === 1 ? 'was' : 'were'} given`);
    }
    if (nargs < want - ndef) {
      const missing = callee.varnames.slice(nargs, want - ndef).map((v) => `'${v}'`);
      // CPython: 'a'; 'a' and 'b'; 'a', 'b', and 'c' (a serial comma from three on).
      const last = missing[missing.length - 1]!;
      const list = missing.length === 1 ? last : missing.length === 2 ? `${missing[0]} and ${last}` : `${missing.slice(0, -1).join(', ')}, and ${last}`;
      this.raise('TypeError', `${name} missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
    }
    for (let k = nargs; k < want; k++) this.stk[slot + 1 + k] = this.seqItem(defaults, k - (want - ndef));
    return want;
  }

  /**
   * A call of a class: allocates the instance into stk[slot]; returns the __init__ function to
   * run (0 when there is none, the call being complete).
   */
  private instantiate(slot: number, nargs: number, code: CodeObject, pc: number): number {
    const cls = this.classOfType(this.stk[slot]!);
    if (!cls.isUser && !cls.isException) {
      const ctor = TYPE_CONSTRUCTORS.get(cls.name);
      if (ctor) {
        this.stk[slot] = ctor(this, slot + 1, nargs);
        return 0;
      }
      if (cls === this.objectClass && nargs === 0) {
        this.stk[slot] = this.heap.newObject(cls.id);
        return 0;
      }
      if (cls === this.objectClass) this.raise('TypeError', 'object() takes no arguments');
      this.notSupported(`creating '${cls.name}' objects`, code, pc);
    }
    const init = this.findInit(cls);
    const inst = this.heap.newObject(cls.id);
    this.stk[slot] = inst;
    if (cls.isException) this.heap.i32[(inst >> 2) + 2] = this.newTupleFromStack(slot + 1, nargs);
    else if (init === 0 && nargs > 0) this.raise('TypeError', `${cls.name}() takes no arguments`);
    return init;
  }

  private findInit(cls: PyClass): number {
    if (this.initEpoch !== this.classEpoch) {
      this.initCache.clear();
      this.plainInit.length = 0;
      this.initEpoch = this.classEpoch;
    }
    let k = this.initCache.get(cls.id);
    if (k === undefined) {
      k = this.lookupClassAttr(cls, '__init__');
      this.initCache.set(cls.id, k);
    }
    if (k < 0) return 0;
    const f = this.statics[k]!;
    if (this.heap.i32[f >> 2] !== C_FUNCTION) return 0;
    if (cls.isUser && !cls.isException) this.plainInit[cls.id] = k + 1;
    return f;
  }

  private buildClass(specIndex: number, from: number, code: CodeObject, pc: number): number {
    const spec = this.program.classes[specIndex]!;
    let base: PyClass = this.objectClass;
    let at = from;
    if (spec.hasBase) {
      const b = this.stk[at++]!;
      if (this.heap.i32[b >> 2] !== C_TYPE) this.raise('TypeError', `bases must be types`);
      base = this.classOfType(b);
      if (!base.isUser && !base.isException && base !== this.objectClass) this.notSupported(`subclassing the builtin type '${base.name}'`, code, pc);
    }
    const fieldSlot = new Map(base.fieldSlot);
    for (const f of spec.selfFields) if (!fieldSlot.has(f)) fieldSlot.set(f, fieldSlot.size);
    const heapClass = this.heap.addClass(
      spec.name,
      spec.name,
      [...fieldSlot.keys()].map((name) => ({ name, type: 'ref' as const })),
    );
    const cls = this.registerClass(heapClass.id, spec.name, base, fieldSlot, base.isException, true);
    spec.attrs.forEach((name, k) => cls.attrs.set(name, this.addStatic(this.stk[at + k]!)));
    return this.statics[cls.typeStatic]!;
  }

  // --- attributes ---

  private loadAttr(obj: number, nameId: number, ic: Int32Array, pc: number, code: CodeObject): number {
    const name = this.program.names[nameId]!;
    const i32 = this.heap.i32;
    const t = i32[obj >> 2]!;
    if (t === C_TYPE) {
      const cls = this.classOfType(obj);
      const k = this.lookupClassAttr(cls, name);
      if (k < 0) this.raise('AttributeError', `type object '${cls.name}' has no attribute '${name}'`);
      return this.statics[k]!;
    }
    if (t === C_MODULE) return this.moduleAttr(obj, name);
    const cls = this.classOf(obj);
    const slot = cls.fieldSlot.get(name);
    if (slot !== undefined) {
      const v = i32[(obj >> 2) + 2 + 2 * slot]!;
      ic[pc] = t;
      ic[pc + 1] = 2 + 2 * slot;
      if (v !== 0) return v;
    }
    const k = this.lookupClassAttr(cls, name);
    if (k < 0) this.raise('AttributeError', `'${cls.name}' object has no attribute '${name}'`);
    const v = this.statics[k]!;
    const vt = i32[v >> 2]!;
    if (vt === C_FUNCTION) {
      const m = this.heap.newObject(C_METHOD);
      this.heap.i32[(m >> 2) + 2] = obj;
      this.heap.i32[(m >> 2) + 4] = v;
      return m;
    }
    if (vt === C_BUILTIN && !cls.isUser) {
      const b = this.heap.newObject(C_BUILTIN);
      this.heap.i32[(b >> 2) + 2] = this.heap.i32[(v >> 2) + 2]!;
      this.heap.i32[(b >> 2) + 4] = obj;
      return b;
    }
    if (slot === undefined) {
      ic[pc] = t;
      ic[pc + 1] = -k - 1;
    }
    void code;
    return v;
  }

  private moduleAttr(mod: number, name: string): number {
    const k = this.moduleAttrs[this.heap.i32[(mod >> 2) + 2]!]!.get(name);
    if (k === undefined) this.raise('AttributeError', `module '${this.moduleName(mod)}' has no attribute '${name}'`);
    return this.statics[k]!;
  }

  /** [function, self] for a method call on an instance, or [0, attribute] otherwise. */
  private loadMethod(obj: number, nameId: number, ic: Int32Array, pc: number, code: CodeObject): [number, number] {
    const name = this.program.names[nameId]!;
    const t = this.heap.i32[obj >> 2]!;
    if (t !== C_TYPE && t !== C_MODULE) {
      const cls = this.classOf(obj);
      if (!cls.fieldSlot.has(name)) {
        const k = this.lookupClassAttr(cls, name);
        if (k >= 0) {
          const vt = this.heap.i32[this.statics[k]! >> 2]!;
          if (vt === C_FUNCTION || (vt === C_BUILTIN && !cls.isUser)) {
            ic[pc] = t;
            ic[pc + 1] = k;
            return [this.statics[k]!, obj];
          }
        }
      }
    }
    return [0, this.loadAttr(obj, nameId, this.scratchIc, 0, code)];
  }

  private storeAttr(obj: number, nameId: number, value: number, ic: Int32Array, pc: number, code: CodeObject): void {
    const name = this.program.names[nameId]!;
    const t = this.heap.i32[obj >> 2]!;
    if (t === C_TYPE) {
      const cls = this.classOfType(obj);
      if (!cls.isUser) this.raise('TypeError', `cannot set '${name}' attribute of immutable type '${cls.name}'`);
      const k = cls.attrs.get(name);
      if (k === undefined) cls.attrs.set(name, this.addStatic(value));
      else this.statics[k] = value;
      this.invalidateCaches();
      return;
    }
    const cls = this.classOf(obj);
    const slot = cls.fieldSlot.get(name);
    if (slot === undefined) {
      if (!cls.isUser) this.raise('AttributeError', `'${cls.name}' object has no attribute '${name}'`);
      this.notSupported(
        `assigning attribute '${name}' of a '${cls.name}' instance outside the attributes its class's methods assign on self`,
        code,
        pc,
      );
    }
    this.heap.i32[(obj >> 2) + 2 + 2 * slot] = value;
    ic[pc] = t;
    ic[pc + 1] = 2 + 2 * slot;
  }

  private invalidateCaches(): void {
    this.classEpoch++;
    this.plainInit.length = 0;
    for (const ic of this.ics) ic.fill(0);
  }

  // --- operators ---

  private binaryOp(op: number, ai: number, bi: number): number {
    const a = this.stk[ai]!;
    const b = this.stk[bi]!;
    const sem = this.sem;
    const ta = this.heap.i32[a >> 2]!;
    const tb = this.heap.i32[b >> 2]!;
    const aInt = ta === C_INT || ta === C_BOOL || ta === C_LONG;
    const bInt = tb === C_INT || tb === C_BOOL || tb === C_LONG;
    const name = BINARY_OPERATORS[op]!;
    if (aInt && bInt) {
      const x = this.bigOf(a);
      const y = this.bigOf(b);
      switch (name) {
        case 'Add':
          return this.boxBig(sem.intAdd(x, y));
        case 'Sub':
          return this.boxBig(sem.intSub(x, y));
        case 'Mult':
          return this.boxBig(sem.intMul(x, y));
        case 'Div':
          return this.boxFloat(sem.intTrueDiv(x, y));
        case 'FloorDiv':
          return this.boxBig(sem.intFloorDiv(x, y));
        case 'Mod':
          return this.boxBig(sem.intMod(x, y));
        case 'Pow': {
          const r = sem.intPow(x, y);
          return typeof r === 'bigint' ? this.boxBig(r) : this.boxFloat(r);
        }
      }
    }
    if ((aInt || ta === C_FLOAT) && (bInt || tb === C_FLOAT)) {
      const x = ta === C_FLOAT ? this.floatOf(a) : sem.intToFloat(this.bigOf(a));
      const y = tb === C_FLOAT ? this.floatOf(b) : sem.intToFloat(this.bigOf(b));
      switch (name) {
        case 'Add':
          return this.boxFloat(sem.floatAdd(x, y));
        case 'Sub':
          return this.boxFloat(sem.floatSub(x, y));
        case 'Mult':
          return this.boxFloat(sem.floatMul(x, y));
        case 'Div':
          return this.boxFloat(sem.floatTrueDiv(x, y));
        case 'FloorDiv':
          return this.boxFloat(sem.floatFloorDiv(x, y));
        case 'Mod':
          return this.boxFloat(sem.floatMod(x, y));
        case 'Pow':
          return this.boxFloat(sem.floatPow(x, y));
      }
    }
    const symbol = ['+', '-', '*', '/', '//', '%', '**'][op]!;
    if (name === 'Add') {
      if (ta === C_STR && tb === C_STR) {
        const s = this.strOf(a) + this.strOf(b);
        return this.newStr(s);
      }
      if ((ta === C_LIST && tb === C_LIST) || (ta === C_TUPLE && tb === C_TUPLE)) return this.concat(ai, bi);
      if (ta === C_STR) this.raise('TypeError', `can only concatenate str (not "${this.typeName(b)}") to str`);
      if (ta === C_LIST) this.raise('TypeError', `can only concatenate list (not "${this.typeName(b)}") to list`);
      if (ta === C_TUPLE) this.raise('TypeError', `can only concatenate tuple (not "${this.typeName(b)}") to tuple`);
    }
    if (name === 'Mult') {
      const seqA = ta === C_STR || ta === C_LIST || ta === C_TUPLE;
      const seqB = tb === C_STR || tb === C_LIST || tb === C_TUPLE;
      if (seqA && bInt) return this.repeat(ai, bi);
      if (seqB && aInt) return this.repeat(bi, ai);
      if (seqA && !bInt && tb !== C_FLOAT) this.raise('TypeError', `can't multiply sequence by non-int of type '${this.typeName(b)}'`);
      if (seqB && !aInt && ta !== C_FLOAT) this.raise('TypeError', `can't multiply sequence by non-int of type '${this.typeName(a)}'`);
      if (seqA || seqB) this.raise('TypeError', `can't multiply sequence by non-int of type 'float'`);
    }
    const shown = symbol === '**' ? '** or pow()' : symbol; // CPython names pow() beside **
    return this.raise('TypeError', `unsupported operand type(s) for ${shown}: '${this.typeName(a)}' and '${this.typeName(b)}'`);
  }

  private concat(ai: number, bi: number): number {
    const n = this.seqLength(this.stk[ai]!) + this.seqLength(this.stk[bi]!);
    this.reserve(64 + 8 * n);
    const a = this.stk[ai]!;
    const b = this.stk[bi]!;
    const na = this.seqLength(a);
    const nb = this.seqLength(b);
    const isList = this.heap.i32[a >> 2] === C_LIST;
    const out = isList ? this.newList(n) : this.newTuple(new Array<number>(n).fill(0));
    const i32 = this.heap.i32;
    const items = this.seqItems(out);
    i32.copyWithin((items >> 2) + 2, (this.seqItems(a) >> 2) + 2, (this.seqItems(a) >> 2) + 2 + 2 * na);
    i32.copyWithin((items >> 2) + 2 + 2 * na, (this.seqItems(b) >> 2) + 2, (this.seqItems(b) >> 2) + 2 + 2 * nb);
    if (isList) i32[(out >> 2) + 2] = n;
    return out;
  }

  private extendList(ai: number, bi: number): number {
    const b = this.stk[bi]!;
    const tb = this.heap.i32[b >> 2]!;
    if (tb !== C_LIST && tb !== C_TUPLE) {
      if (tb === C_STR || tb === C_RANGE) {
        const items = this.iterItems(b);
        for (const x of items) this.appendTo(ai, x);
        return this.stk[ai]!;
      }
      this.raise('TypeError', `'${this.typeName(b)}' object is not iterable`);
    }
    const nb = this.seqLength(b);
    const a = this.stk[ai]!;
    const na = this.seqLength(a);
    this.reserve(64 + 16 * (na + nb));
    const l = this.stk[ai]!;
    const src = this.stk[bi]!;
    const i32 = this.heap.i32;
    const items = this.heap.newArray(TAG_REF_ARRAY, Math.max(4, na + nb));
    i32.copyWithin((items >> 2) + 2, (this.seqItems(l) >> 2) + 2, (this.seqItems(l) >> 2) + 2 + 2 * na);
    i32.copyWithin((items >> 2) + 2 + 2 * na, (this.seqItems(src) >> 2) + 2, (this.seqItems(src) >> 2) + 2 + 2 * nb);
    i32[(l >> 2) + 4] = items;
    i32[(l >> 2) + 2] = na + nb;
    return l;
  }

  private iterItems(v: number): number[] {
    const t = this.heap.i32[v >> 2]!;
    if (t === C_STR) return [...this.strOf(v)].map((c) => this.newStr(c));
    const n = this.rangeLength(v);
    const start = this.int64Field(v, 0);
    const step = this.int64Field(v, 2);
    return Array.from({ length: n }, (_, k) => this.newInt(start + k * step));
  }

  private appendTo(li: number, x: number): void {
    const l = this.stk[li]!;
    const i32 = this.heap.i32;
    const length = i32[(l >> 2) + 2]!;
    const items = i32[(l >> 2) + 4]!;
    if (length === i32[(items >> 2) + 1]) {
      const bigger = this.heap.newArray(TAG_REF_ARRAY, Math.max(4, 2 * length));
      this.heap.i32.copyWithin((bigger >> 2) + 2, (items >> 2) + 2, (items >> 2) + 2 + 2 * length);
      this.heap.i32[(l >> 2) + 4] = bigger;
    }
    this.heap.i32[(this.heap.i32[(l >> 2) + 4]! >> 2) + 2 + 2 * length] = x;
    this.heap.i32[(l >> 2) + 2] = length + 1;
  }

  private repeat(si: number, ni: number): number {
    const count = this.bigOf(this.stk[ni]!);
    const s = this.stk[si]!;
    const t = this.heap.i32[s >> 2]!;
    const len = t === C_STR ? this.strLength(s) : this.seqLength(s);
    const times = count <= 0n || len === 0 ? 0 : Number(count);
    if (times * len > 2 ** 27) throw new HeapExhausted('repetition too large');
    if (t === C_STR) {
      const str = this.strOf(s);
      return this.newStr(str.repeat(times));
    }
    const n = times * len;
    this.reserve(64 + 8 * n);
    const src = this.stk[si]!;
    const out = t === C_LIST ? this.newList(n) : this.newTuple(new Array<number>(n).fill(0));
    const i32 = this.heap.i32;
    const items = this.seqItems(out);
    const from = (this.seqItems(src) >> 2) + 2;
    for (let k = 0; k < times; k++) i32.copyWithin((items >> 2) + 2 + 2 * len * k, from, from + 2 * len);
    if (t === C_LIST) i32[(out >> 2) + 2] = n;
    return out;
  }

  private negate(a: number): number {
    const t = this.heap.i32[a >> 2]!;
    if (t === C_INT || t === C_BOOL || t === C_LONG) {
      if (this.fast && t === C_INT) {
        const lo = this.heap.i32[(a >> 2) + 2]!;
        if (this.heap.i32[(a >> 2) + 3] === lo >> 31) return this.newInt(-lo);
      }
      return this.boxBig(this.sem.intNeg(this.bigOf(a)));
    }
    if (t === C_FLOAT) return this.boxFloat(this.sem.floatNeg(this.floatOf(a)));
    return this.raise('TypeError', `bad operand type for unary -: '${this.typeName(a)}'`);
  }

  private compareOp(op: number, a: number, b: number): boolean {
    switch (op) {
      case CMP_EQ:
        return this.equals(a, b);
      case CMP_NE:
        return !this.equals(a, b);
      case CMP_LT:
        return this.order(a, b, '<');
      case CMP_LE:
        return this.order(a, b, '<=');
      case CMP_GT:
        return this.order(a, b, '>');
      case CMP_GE:
        return this.order(a, b, '>=');
    }
    throw new Error(`bad comparison ${op}`);
  }

  // --- items and iteration ---

  private index(seq: number, key: number, length: number, what: string): number {
    if (!this.isInt(key)) {
      // str's message differs from list's and tuple's (no slices, the type name quoted).
      if (what === 'string') this.raise('TypeError', `string indices must be integers, not '${this.typeName(key)}'`);
      this.raise('TypeError', `${what} indices must be integers or slices, not ${this.typeName(key)}`);
    }
    const b = this.bigOf(key);
    const k = b < 0n ? b + BigInt(length) : b;
    if (k < 0n || k >= BigInt(length)) this.raise('IndexError', `${what} index out of range`);
    void seq;
    return Number(k);
  }

  private getItem(seq: number, key: number): number {
    const t = this.heap.i32[seq >> 2]!;
    if (t === C_LIST || t === C_TUPLE) {
      const k = this.index(seq, key, this.seqLength(seq), t === C_LIST ? 'list' : 'tuple');
      return this.seqItem(seq, k);
    }
    if (t === C_STR) {
      const s = this.strOf(seq);
      const k = this.index(seq, key, s.length, 'string');
      return this.newStr(s[k]!);
    }
    if (t === C_RANGE) {
      const k = this.index(seq, key, this.rangeLength(seq), 'range object');
      return this.newInt(this.int64Field(seq, 0) + k * this.int64Field(seq, 2));
    }
    if (t === C_TYPE) this.raise('TypeError', `type '${this.classOfType(seq).name}' is not subscriptable`);
    return this.raise('TypeError', `'${this.typeName(seq)}' object is not subscriptable`);
  }

  private setItem(seq: number, key: number, value: number): void {
    const t = this.heap.i32[seq >> 2]!;
    if (t === C_LIST) {
      if (!this.isInt(key)) this.raise('TypeError', `list indices must be integers or slices, not ${this.typeName(key)}`);
      const b = this.bigOf(key);
      const n = this.seqLength(seq);
      const k = b < 0n ? b + BigInt(n) : b;
      if (k < 0n || k >= BigInt(n)) this.raise('IndexError', 'list assignment index out of range');
      this.heap.i32[(this.seqItems(seq) >> 2) + 2 + 2 * Number(k)] = value;
      return;
    }
    this.raise('TypeError', `'${this.typeName(seq)}' object does not support item assignment`);
  }

  /** Replaces stk[at] by its n items, the first on top. */
  private unpack(at: number, n: number): void {
    const v = this.stk[at]!;
    const t = this.heap.i32[v >> 2]!;
    let items: number[];
    if (t === C_LIST || t === C_TUPLE) {
      const m = this.seqLength(v);
      if (m !== n) {
        if (m < n) this.raise('ValueError', `not enough values to unpack (expected ${n}, got ${m})`);
        this.raise('ValueError', `too many values to unpack (expected ${n})`);
      }
      items = [];
      for (let k = 0; k < n; k++) items.push(this.seqItem(v, k));
    } else if (t === C_STR || t === C_RANGE) {
      const m = t === C_STR ? [...this.strOf(v)].length : this.rangeLength(v);
      if (m < n) this.raise('ValueError', `not enough values to unpack (expected ${n}, got ${m})`);
      if (m > n) this.raise('ValueError', `too many values to unpack (expected ${n})`);
      items = this.iterItems(v);
    } else {
      this.raise('TypeError', `cannot unpack non-iterable ${this.typeName(v)} object`);
    }
    for (let k = 0; k < n; k++) this.stk[at + k] = items[n - 1 - k]!;
  }

  private getIter(v: number): number {
    const t = this.heap.i32[v >> 2]!;
    if (t === C_RANGE) {
      const it = this.heap.newObject(C_RANGE_ITER);
      this.setInt64Field(it, 0, this.int64Field(v, 0));
      this.setInt64Field(it, 1, this.int64Field(v, 1));
      this.setInt64Field(it, 2, this.int64Field(v, 2));
      return it;
    }
    if (t === C_LIST || t === C_TUPLE || t === C_STR) {
      const it = this.heap.newObject(C_SEQ_ITER);
      this.heap.i32[(it >> 2) + 2] = v;
      return it;
    }
    if (t === C_RANGE_ITER || t === C_SEQ_ITER) return v;
    return this.raise('TypeError', `'${this.typeName(v)}' object is not iterable`);
  }

  /** The next item of a sequence iterator, or 0 when it is exhausted. */
  private seqNext(it: number): number {
    const i32 = this.heap.i32;
    const seq = i32[(it >> 2) + 2]!;
    const k = i32[(it >> 2) + 4]!;
    const t = i32[seq >> 2]!;
    if (t === C_STR) {
      if (k >= this.strLength(seq)) return 0;
      i32[(it >> 2) + 4] = k + 1;
      const chars = i32[(seq >> 2) + 2]!;
      return this.newStr(String.fromCharCode(this.heap.u16[((chars + 8) >> 1) + k]!));
    }
    if (k >= this.seqLength(seq)) return 0;
    i32[(it >> 2) + 4] = k + 1;
    return this.seqItem(seq, k);
  }

  private excMatches(exc: number, cls: number): boolean {
    const t = this.heap.i32[cls >> 2]!;
    const classes = t === C_TUPLE ? Array.from({ length: this.seqLength(cls) }, (_, k) => this.seqItem(cls, k)) : [cls];
    let match = false;
    for (const c of classes) {
      if (this.heap.i32[c >> 2] !== C_TYPE || !this.classOfType(c).isException) {
        this.raise('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
      }
      if (this.isSubclass(this.classOf(exc), this.classOfType(c))) match = true;
    }
    return match;
  }
}

export { indexArg };
