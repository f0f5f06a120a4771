/**
 * Leaving compiled code at a failed guard: the interpreter's state rebuilt from the guard's fail
 * values, so it runs the guarded instruction again (now on the path the guard refused).
 *
 * Steps (proofs-notes/jit.md argues why the result is the state the interpreter would have had):
 *  1. read the exit's variables from the exchange slots (refs, ints as two words, floats);
 *  2. materialize the exit's virtual objects on the guest heap: all allocated first (zeroed),
 *     then filled, so virtuals that refer to each other (or to themselves) come out right; the
 *     driver left room for them, so no allocation here can fail or collect;
 *  3. write every fail value to its stack word (the loop frame's and the inlined frames' locals
 *     and value stacks, contiguous from the loop frame's base), the written globals back, and
 *     root-table words (methods, builtins) from the root table;
 *  4. write the inlined frames' records above the loop frame's and publish the registers of the
 *     innermost frame at the guarded instruction.
 *
 * Also here: the input set a `--jit-log` trace file carries, read from the heap at entry.
 */
import type { ExitValue, HeapObjectDesc, HeapValue, InputSet } from '../../ir/index.ts';
import type { ExitPoint } from '../../wasm/index.ts';
import { ioSlot } from '../../wasm/layout.ts';
import * as H from '../heap.ts';
import * as Interp from '../interpreter.ts';
import type { Interpreter } from '../interpreter.ts';
import type { CompiledLoop, Fragment } from './jit.ts';
import { type InlinedFrame, PREBUILT_ADDRESSES, PREBUILT_FALSE, PREBUILT_NONE, PREBUILT_TRUE } from './recorder.ts';


/**
 * An exit's resume, planned once per exit (the first time it is taken) so that taking it again
 * allocates nothing but its virtuals and reads no names: every value is a pair of words (a ref's
 * address and 0, an int's or a float's two halves) from a slot, a constant or a virtual.
 */
interface ExitPlan {
  /** Per virtual: its class id, or -1 - array tag; and its item count (arrays). */
  readonly virtualClass: Int32Array;
  readonly virtualLength: Int32Array;
  /** Field and item writes: (virtual, byte offset, source kind, a, b, words) six at a time. */
  readonly fills: Int32Array;
  /** Stack words, then globals: (source kind, a) two at a time (refs only). */
  readonly words: Int32Array;
  readonly globals: Int32Array;
  readonly scratch: Int32Array;
}

/** Source kinds: a slot's word(s) at word index a; the constant words (a, b); virtual a's address; root-table entry a. */
// A local copy: an imported binding is a live-binding access on every use (a getter under the TS loaders).
const FRAME_WORDS = Interp.FRAME_WORDS;

const FROM_SLOT = 0;
const FROM_CONST = 1;
const FROM_VIRTUAL = 2;
const FROM_STATIC = 3;

const plans = new WeakMap<object, ExitPlan>();

function planExit(loop: Fragment, exit: Extract<ExitPoint, { kind: 'guard' }>, heap: Interpreter['heap']): ExitPlan {
  const resume = loop.resumes[exit.guardId]!;
  const desc = exit.exit;
  const slotOf = new Map<string, number>();
  exit.slots.forEach((name, k) => slotOf.set(name, ioSlot(k) >> 2));
  const bits = new Float64Array(1);
  const halves = new Int32Array(bits.buffer);
  /** A value as (kind, a, b). */
  const source = (x: ExitValue, t: 'int' | 'float' | 'ref'): [number, number, number] => {
    switch (x.kind) {
      case 'var':
        return [FROM_SLOT, slotOf.get(x.name)!, 0];
      case 'null':
        if (t !== 'ref') break;
        return [FROM_CONST, 0, 0];
      case 'prebuilt':
        if (t !== 'ref') break;
        return [FROM_CONST, PREBUILT_ADDRESSES.get(x.name)!, 0];
      case 'virtual':
        if (t !== 'ref') break;
        return [FROM_VIRTUAL, x.index, 0];
      case 'int':
        if (t !== 'int') break;
        return [FROM_CONST, Number(BigInt.asIntN(32, x.value)), Number(BigInt.asIntN(32, x.value >> 32n))];
      case 'float':
        if (t !== 'float') break;
        bits[0] = x.value;
        return [FROM_CONST, halves[0]!, halves[1]!];
    }
    throw new Error(`JIT exit: a ${x.kind} where a${t === 'int' ? 'n' : ''} ${t} belongs`);
  };
  const virtualClass: number[] = [];
  const virtualLength: number[] = [];
  const fills: number[] = [];
  desc.virtuals.forEach((d, v) => {
    if (d.kind === 'object') {
      const id = loop.classIds.get(d.cls)!;
      const cls = heap.classes[id]!;
      virtualClass.push(id);
      virtualLength.push(0);
      for (const f of d.fields) {
        const j = cls.fields.findIndex((x) => x.name === f.field);
        const t = cls.fields[j]!.type;
        fills.push(v, H.fieldOffset(j), ...source(f.value, t), t === 'ref' ? 1 : 2);
      }
    } else {
      virtualClass.push(-1 - (d.elem === 'int' ? H.TAG_INT_ARRAY : d.elem === 'float' ? H.TAG_FLOAT_ARRAY : H.TAG_REF_ARRAY));
      virtualLength.push(d.items.length);
      d.items.forEach((item, j) => fills.push(v, 8 + 8 * j, ...source(item, d.elem), d.elem === 'ref' ? 1 : 2));
    }
  });
  const words: number[] = [];
  const globals: number[] = [];
  const statics = new Map(resume.statics);
  for (let k = 0; k < resume.sp + resume.globals.length; k++) {
    const out = k < resume.sp ? words : globals;
    const index = statics.get(k);
    if (index !== undefined) out.push(FROM_STATIC, index);
    else {
      const [kind, a] = source(desc.values[k]!, 'ref');
      out.push(kind, a);
    }
  }
  return {
    virtualClass: Int32Array.from(virtualClass),
    virtualLength: Int32Array.from(virtualLength),
    fills: Int32Array.from(fills),
    words: Int32Array.from(words),
    globals: Int32Array.from(globals),
    scratch: new Int32Array(virtualClass.length),
  };
}

export function resumeAtExit(vm: Interpreter, loop: Fragment, exit: Extract<ExitPoint, { kind: 'guard' }>, base: number, fp: number): void {
  const heap = vm.heap;
  const resume = loop.resumes[exit.guardId]!;
  let plan = plans.get(exit);
  if (plan === undefined) {
    plan = planExit(loop, exit, heap);
    plans.set(exit, plan);
  }
  // 1, 2. Virtuals: allocate all (the driver left room), then fill from the slots.
  const addresses = plan.scratch;
  const vc = plan.virtualClass;
  for (let v = 0; v < vc.length; v++) addresses[v] = vc[v]! >= 0 ? heap.newObject(vc[v]!) : heap.newArray(-1 - vc[v]!, plan.virtualLength[v]!);
  const i32 = heap.i32;
  const fills = plan.fills;
  for (let m = 0; m < fills.length; m += 6) {
    const w = (addresses[fills[m]!]! + fills[m + 1]!) >> 2;
    const kind = fills[m + 2]!;
    const a = fills[m + 3]!;
    if (kind === FROM_SLOT) {
      i32[w] = i32[a]!;
      i32[w + 1] = fills[m + 5] === 2 ? i32[a + 1]! : 0;
    } else if (kind === FROM_CONST) {
      i32[w] = a;
      i32[w + 1] = fills[m + 4]!;
    } else {
      i32[w] = addresses[a]!;
      i32[w + 1] = 0;
    }
  }
  // 3. Stack words, globals (root-table words from the root table).
  const stk = vm.stk;
  const statics = vm.statics;
  const words = plan.words;
  for (let k = 0; k < words.length; k += 2) stk[base + (k >> 1)] = refFrom(words[k]!, words[k + 1]!, i32, addresses, statics);
  const globals = plan.globals;
  for (let j = 0; j < globals.length; j += 2) vm.globals[resume.globals[j >> 1]!] = refFrom(globals[j]!, globals[j + 1]!, i32, addresses, statics);
  // 4. Frame records and registers.
  writeFrames(vm, resume.frames, base, fp);
  vm.rCode = vm.codes[resume.cid]!;
  vm.rPc = resume.pc;
  vm.rBase = base + resume.base;
  vm.rFp = fp + resume.frames.length;
  vm.sp = base + resume.sp;
}

/** A planned ref word's value (a module function, not a closure: exits are a hot path). */
function refFrom(kind: number, a: number, i32: Int32Array, addresses: Int32Array, statics: ArrayLike<number>): number {
  return kind === FROM_SLOT ? i32[a]! : kind === FROM_CONST ? a : kind === FROM_VIRTUAL ? addresses[a]! : statics[a]!;
}

/** Writes inlined frames' records (offsets relative to the loop frame at `base`) above the loop frame `fp`. */
export function writeFrames(vm: Interpreter, frames: readonly InlinedFrame[], base: number, fp: number): void {
  for (let d = 0; d < frames.length; d++) {
    const f = frames[d]!;
    const fw = (fp + d) * FRAME_WORDS;
    vm.frames[fw] = f.callerCid;
    vm.frames[fw + 1] = f.returnPc;
    vm.frames[fw + 2] = base + f.callerBase;
    vm.frames[fw + 3] = base + f.slot;
    vm.frames[fw + 4] = f.flags;
  }
}

/** Objects at most described in a logged input set (a bigger heap is left out of the file). */
const MAX_LOGGED_OBJECTS = 5000;

/**
 * The loop's inputs at entry and the heap they reach, as an input set of the trace text format
 * (`@oN` names the object at address N; None, True, False are the prebuilt objects). A string's
 * characters are the VM's own cells, which the IR cannot describe: its `chars` field is logged as
 * null (traces never read it). Null when the reachable heap is too big to log.
 */
export function entryInputSet(vm: Interpreter, loop: CompiledLoop, base: number): InputSet | null {
  const heap = vm.heap;
  const i32 = heap.i32;
  const f64 = heap.f64;
  const objects: HeapObjectDesc[] = [];
  const seen = new Set<number>();
  const queue: number[] = [];
  const prebuiltName = new Map<number, string>([
    [H.NONE, PREBUILT_NONE],
    [H.FALSE, PREBUILT_FALSE],
    [H.TRUE, PREBUILT_TRUE],
  ]);
  const ref = (a: number): HeapValue => {
    if (a === 0) return { kind: 'null' };
    const p = prebuiltName.get(a);
    if (p) return { kind: 'obj', name: p };
    if (i32[a >> 2] === H.CHARS_TAG) return { kind: 'null' };
    if (!seen.has(a)) {
      seen.add(a);
      queue.push(a);
    }
    return { kind: 'obj', name: `o${a}` };
  };
  const int = (w: number): HeapValue => ({ kind: 'int', value: (BigInt(i32[w + 1]!) << 32n) | BigInt(i32[w]! >>> 0) });
  const args: HeapValue[] = [];
  for (let k = 0; k < loop.slotCount; k++) args.push(ref(vm.stk[base + k]!));
  for (const g of loop.globalIds) args.push(ref(vm.globals[g]!));
  while (queue.length > 0) {
    if (objects.length >= MAX_LOGGED_OBJECTS) return null;
    const a = queue.shift()!;
    const w = a >> 2;
    const tag = i32[w]!;
    if (tag > 0) {
      const cls = heap.classes[tag]!;
      objects.push({
        name: `o${a}`,
        kind: 'object',
        cls: cls.irName,
        fields: cls.fields.map((f, j) => {
          const fw = w + 2 + 2 * j;
          const value: HeapValue = f.type === 'ref' ? ref(i32[fw]!) : f.type === 'int' ? int(fw) : { kind: 'float', value: f64[fw >> 1]! };
          return { field: f.name, value };
        }),
      });
    } else {
      const n = i32[w + 1]!;
      const elem = tag === H.TAG_INT_ARRAY ? 'int' : tag === H.TAG_FLOAT_ARRAY ? 'float' : 'ref';
      const items: HeapValue[] = [];
      for (let j = 0; j < n; j++) {
        const iw = w + 2 + 2 * j;
        items.push(elem === 'ref' ? ref(i32[iw]!) : elem === 'int' ? int(iw) : { kind: 'float', value: f64[iw >> 1]! });
      }
      objects.push({ name: `o${a}`, kind: 'array', elem, items });
    }
  }
  return { name: 'entry', args, objects };
}
