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
import type { Interpreter } from '../interpreter.ts';
import type { CompiledLoop, Fragment } from './jit.ts';
import { PREBUILT_ADDRESSES, PREBUILT_FALSE, PREBUILT_NONE, PREBUILT_TRUE } from './recorder.ts';

const FRAME_WORDS = 5;

export function resumeAtExit(vm: Interpreter, loop: Fragment, exit: Extract<ExitPoint, { kind: 'guard' }>, base: number, fp: number): void {
  const heap = vm.heap;
  const resume = loop.resumes[exit.guardId]!;
  const desc = exit.exit;
  // 1. The exit's variables: slot k holds exit.slots[k].
  const slotOf = new Map<string, number>();
  exit.slots.forEach((name, k) => slotOf.set(name, ioSlot(k)));
  // 2. Virtuals: allocate all, then fill.
  const addresses = desc.virtuals.map((d) => {
    if (d.kind === 'object') return heap.newObject(loop.classIds.get(d.cls)!);
    return heap.newArray(d.elem === 'int' ? H.TAG_INT_ARRAY : d.elem === 'float' ? H.TAG_FLOAT_ARRAY : H.TAG_REF_ARRAY, d.items.length);
  });
  const i32 = heap.i32;
  const f64 = heap.f64;
  const refOf = (x: ExitValue): number => {
    switch (x.kind) {
      case 'var':
        return i32[slotOf.get(x.name)! >> 2]!;
      case 'null':
        return 0;
      case 'prebuilt':
        return PREBUILT_ADDRESSES.get(x.name)!;
      case 'virtual':
        return addresses[x.index]!;
      default:
        throw new Error(`JIT exit: a ${x.kind} where a ref belongs`);
    }
  };
  /** Writes value x of type t at byte address `at`. */
  const store = (at: number, t: 'int' | 'float' | 'ref', x: ExitValue) => {
    const w = at >> 2;
    if (t === 'ref') {
      i32[w] = refOf(x);
      i32[w + 1] = 0;
    } else if (t === 'int') {
      if (x.kind === 'var') {
        const s = slotOf.get(x.name)! >> 2;
        i32[w] = i32[s]!;
        i32[w + 1] = i32[s + 1]!;
      } else if (x.kind === 'int') {
        i32[w] = Number(BigInt.asIntN(32, x.value));
        i32[w + 1] = Number(BigInt.asIntN(32, x.value >> 32n));
      } else throw new Error(`JIT exit: a ${x.kind} where an int belongs`);
    } else if (x.kind === 'var') f64[at >> 3] = f64[slotOf.get(x.name)! >> 3]!;
    else if (x.kind === 'float') f64[at >> 3] = x.value;
    else throw new Error(`JIT exit: a ${x.kind} where a float belongs`);
  };
  desc.virtuals.forEach((d, k) => {
    const a = addresses[k]!;
    if (d.kind === 'object') {
      const cls = heap.classes[loop.classIds.get(d.cls)!]!;
      for (const f of d.fields) {
        const j = cls.fields.findIndex((x) => x.name === f.field);
        store(a + H.fieldOffset(j), cls.fields[j]!.type, f.value);
      }
    } else d.items.forEach((item, j) => store(a + 8 + 8 * j, d.elem, item));
  });
  // 3. Stack words, globals, root-table words.
  const stk = vm.stk;
  for (let k = 0; k < resume.sp; k++) stk[base + k] = refOf(desc.values[k]!);
  resume.globals.forEach((g, j) => (vm.globals[g] = refOf(desc.values[resume.sp + j]!)));
  for (const [k, index] of resume.statics) {
    if (k < resume.sp) stk[base + k] = vm.statics[index]!;
    else vm.globals[resume.globals[k - resume.sp]!] = vm.statics[index]!;
  }
  // 4. Frame records and registers.
  resume.frames.forEach((f, d) => {
    const fw = (fp + d) * FRAME_WORDS;
    vm.frames[fw] = f.callerCid;
    vm.frames[fw + 1] = f.returnPc;
    vm.frames[fw + 2] = base + f.callerBase;
    vm.frames[fw + 3] = base + f.slot;
    vm.frames[fw + 4] = f.flags;
  });
  vm.rCode = vm.codes[resume.cid]!;
  vm.rPc = resume.pc;
  vm.rBase = base + resume.base;
  vm.rFp = fp + resume.frames.length;
  vm.sp = base + resume.sp;
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
