/**
 * The tracing JIT's driver: counts back-edges per loop header, records a hot loop's next
 * iteration (recorder.ts), optimizes it with the optimizer's default pipeline (`optimizeLoop`;
 * a rejected loop counts as an abort), compiles it to wasm on the interpreter's own memory, and
 * from then on runs the loop's compiled code each time the interpreter reaches its header, with
 * the interpreter's current values as inputs.
 *
 * Why the compiled code needs no host of its own: guest values already live in the shared
 * memory laid out as the backend lays out objects, None/True/False are prebuilt objects at their
 * fixed addresses, and compiled code allocates by bumping the heap's pointer (`run`'s hp and
 * limit parameters, `HEAP_TOP` on return). So entering is: write the inputs' addresses to the
 * exchange slots, call `run`; leaving at a guard is exits.ts.
 *
 * Allocation and the collector (proofs-notes/jit.md): compiled code never collects. Before
 * each call of `run` the driver makes sure the heap has room for `fuel` iterations of the
 * trace's allocations (a static bound per iteration: the optimized trace's `new` and constant-length
 * `new_array` ops), plus the virtuals the largest exit materializes, plus the interpreter's
 * reserve; it collects first when it has not (the loop header is a safepoint: every live value
 * is on the interpreter's stack). Between calls, at a back-edge exit, the loop state's refs in
 * the exchange slots are the only values outside the interpreter's roots: a collection there
 * takes them as extra roots and writes them back moved. A heap-full exit is therefore a bug and
 * is reported as one.
 *
 * Pre: an Interpreter with the default semantics record. Post: the program's output is what the
 * interpreter alone prints (the property and corpus tests check this against CPython).
 */
import { type Trace } from '../../ir/index.ts';
import { optimizeLoop } from '../../optimizer/loop-result.ts';
import { printTrace } from '../../text/index.ts';
import { type CompiledTrace, compileTrace, type ExitPoint, OP_RULES, type OpRules } from '../../wasm/index.ts';
import { FUEL_LEFT, HEAP_TOP, ioSlot } from '../../wasm/layout.ts';
import * as H from '../heap.ts';
import type { Interpreter, JitPort } from '../interpreter.ts';
import { entryInputSet, resumeAtExit } from './exits.ts';
import type { JitOptions } from './options.ts';
import { PREBUILT_ADDRESSES, Recorder, type Resume } from './recorder.ts';
import { JitStats, type LoopStats } from './stats.ts';

/** Back-edges per call of `run` (V8 tiers a wasm function up only between calls). */
const CHUNK = 1 << 16;
const CHUNK_UNDER_GC_STRESS = 8;
const BLACKLISTED = -0x7fffffff;

export interface JitRunOptions {
  readonly options: JitOptions;
  /** Write every recorded and optimized trace here as a `.trace` file. */
  readonly logDir?: (name: string, text: string) => void;
  /** Seams for the deliberately broken variants in the test tree. */
  readonly rules?: OpRules;
  readonly mutateResume?: (resume: Resume) => Resume;
  readonly mutateRecorded?: (trace: Trace) => Trace;
}

export interface CompiledLoop {
  readonly id: number;
  readonly cid: number;
  readonly header: number;
  readonly recorded: Trace;
  readonly optimized: Trace;
  readonly compiled: CompiledTrace;
  readonly resumes: readonly Resume[];
  readonly slotCount: number;
  readonly globalIds: readonly number[];
  /** Bytes one iteration (preamble included) may allocate, and the most an exit materializes. */
  readonly bytesPerIteration: number;
  readonly exitBytes: number;
  readonly epoch: number;
  /** Class ids by the trace's class names. */
  readonly classIds: ReadonlyMap<string, number>;
  readonly stats: LoopStats;
  logged: boolean;
}

export class Jit implements JitPort {
  recording = false;
  private recorder: Recorder | null = null;
  private readonly counters: Int32Array[];
  private readonly aborts: Int32Array[];
  private readonly loops = new Map<number, CompiledLoop>();
  readonly stats = new JitStats();
  private nextLoopId = 0;
  private readonly opts: JitOptions;

  constructor(
    private readonly vm: Interpreter,
    private readonly run: JitRunOptions,
  ) {
    this.opts = run.options;
    this.counters = vm.codes.map((c) => new Int32Array(c.bytecode.length));
    this.aborts = vm.codes.map((c) => new Int32Array(c.bytecode.length));
  }

  backEdge(cid: number, header: number, sp: number, base: number, fp: number): boolean {
    if (this.recorder !== null) return false;
    const key = cid * 0x100000 + header;
    const loop = this.loops.get(key);
    if (loop !== undefined) {
      if (loop.epoch === this.vm.classEpoch) return this.enter(loop, sp, base, fp);
      // A class attribute changed since the loop was recorded: its inlined methods may be stale.
      this.loops.delete(key);
      this.counters[cid]![header] = 0;
    }
    const counters = this.counters[cid]!;
    if (++counters[header]! < this.opts.threshold) return false;
    counters[header] = 0;
    this.recorder = new Recorder(this.vm, this.opts, cid, header, base, fp, sp);
    this.recording = true;
    return false;
  }

  recordStep(cid: number, pc: number, sp: number, base: number, fp: number): boolean {
    const recorder = this.recorder!;
    const r = recorder.step(cid, pc, sp, base, fp);
    if (r === 'continue') return true;
    this.recorder = null;
    this.recording = false;
    this.stats.recordMs += performance.now() - recorder.startedAt;
    if (r === 'closed') this.compileLoop(recorder);
    else this.abort(recorder, r.abort);
    return false;
  }

  private abort(recorder: Recorder, reason: string): void {
    const { loopCid: cid, header } = recorder;
    this.stats.abort(this.vm.codes[cid]!.qualname, this.vm.codes[cid]!.lines[header >> 1]!, reason);
    const n = ++this.aborts[cid]![header];
    // Back-off: wait 2^n thresholds before recording again; blacklisted after `blacklist` aborts.
    this.counters[cid]![header] = n >= this.opts.blacklist ? BLACKLISTED : -Math.min(this.opts.threshold * 2 ** n, 0x3fffffff);
  }

  private compileLoop(recorder: Recorder): void {
    const vm = this.vm;
    let recorded = recorder.result;
    if (this.run.mutateRecorded) recorded = this.run.mutateRecorded(recorded);
    const t0 = performance.now();
    const result = optimizeLoop(recorded);
    const t1 = performance.now();
    this.stats.optimizeMs += t1 - t0;
    if (result.kind === 'rejected') {
      this.abort(recorder, `the optimizer rejected the loop: ${result.reason}`);
      return;
    }
    const optimized = result.trace;
    const sizes = allocationBytes(optimized, vm);
    if (sizes === null) {
      this.abort(recorder, 'an allocation of a size not known before the run');
      return;
    }
    let compiled: CompiledTrace;
    try {
      compiled = compileTrace(optimized, this.run.rules ?? OP_RULES, { prebuiltAt: PREBUILT_ADDRESSES });
    } finally {
      this.stats.compileMs += performance.now() - t1;
    }
    if (compiled.code.heapStart > H.IMMORTAL_START) {
      this.abort(recorder, 'too many values live at an exit for the exchange area');
      return;
    }
    const classIds = new Map<string, number>();
    for (const c of vm.heap.classes) if (c) classIds.set(c.irName, c.id);
    const id = this.nextLoopId++;
    const code = vm.codes[recorder.loopCid]!;
    const loop: CompiledLoop = {
      id,
      cid: recorder.loopCid,
      header: recorder.header,
      recorded,
      optimized,
      compiled,
      resumes: this.run.mutateResume ? recorder.resumes.map(this.run.mutateResume) : recorder.resumes,
      slotCount: recorder.slotInputs.length,
      globalIds: recorder.globalInputs.map(([g]) => g),
      bytesPerIteration: sizes.perIteration,
      exitBytes: sizes.exit,
      epoch: vm.classEpoch,
      classIds,
      stats: this.stats.loop(id, `${code.qualname}, line ${code.lines[recorder.header >> 1]}`, recorded.ops.length, optimized.ops.length),
      logged: false,
    };
    this.loops.set(recorder.loopCid * 0x100000 + recorder.header, loop);
  }

  /** Runs `loop`'s compiled code from the interpreter's state at its header; returns true (the state changed). */
  private enter(loop: CompiledLoop, sp: number, base: number, fp: number): boolean {
    const vm = this.vm;
    const heap = vm.heap;
    const stats = loop.stats;
    stats.entries++;
    const room = () => heap.limit - heap.reserveBytes - loop.exitBytes - heap.hp;
    const chunk = heap.gcStress ? CHUNK_UNDER_GC_STRESS : CHUNK;
    const fuelFor = () => (loop.bytesPerIteration === 0 ? chunk : Math.min(chunk, Math.floor(room() / loop.bytesPerIteration) - 1));
    // At the header every live value is on the interpreter's stack: a safepoint.
    if (fuelFor() < 1 || heap.gcStress) vm.collectNow(loop.bytesPerIteration * 2 + loop.exitBytes);
    if (this.run.logDir && !loop.logged) this.log(loop, base);
    const i32 = heap.i32;
    for (let k = 0; k < loop.slotCount; k++) {
      i32[ioSlot(k) >> 2] = vm.stk[base + k]!;
      i32[(ioSlot(k) >> 2) + 1] = 0;
    }
    loop.globalIds.forEach((g, j) => {
      i32[ioSlot(loop.slotCount + j) >> 2] = vm.globals[g]!;
      i32[(ioSlot(loop.slotCount + j) >> 2) + 1] = 0;
    });
    let entry = 0;
    const code = loop.compiled.code;
    for (;;) {
      const fuel = fuelFor();
      if (fuel < 1) throw new Error('JIT: no room for one iteration after a collection');
      const t0 = performance.now();
      const index = loop.compiled.run(entry, fuel, heap.hp, heap.limit - heap.reserveBytes - loop.exitBytes);
      this.stats.runMs += performance.now() - t0;
      heap.hp = heap.i32[HEAP_TOP >> 2]!;
      const exit: ExitPoint = code.exits[index]!;
      const taken = fuel - heap.i32[FUEL_LEFT >> 2]!;
      stats.iterations += exit.kind === 'back-edge' ? fuel : taken;
      if (exit.kind === 'back-edge') {
        entry = 1;
        if (fuelFor() < 1 || heap.gcStress) this.collectWithLoopState(loop);
        continue;
      }
      if (exit.kind !== 'guard') throw new Error(`JIT: compiled loop ${loop.id} left by a ${exit.kind} exit`);
      const t1 = performance.now();
      stats.guardFailures.set(exit.guardId, (stats.guardFailures.get(exit.guardId) ?? 0) + 1);
      resumeAtExit(vm, loop, exit, base, fp);
      if (heap.gcStress) vm.collectNow();
      this.stats.exitMs += performance.now() - t1;
      return true;
    }
  }

  /** A collection between two calls of `run`: the loop state's refs are roots, moved in place. */
  private collectWithLoopState(loop: CompiledLoop): void {
    const state = loop.compiled.code.loopState;
    const refs: number[] = [];
    state.forEach((name, k) => name[0] === 'p' && refs.push(k));
    const i32 = this.vm.heap.i32;
    const roots = Int32Array.from(refs, (k) => i32[ioSlot(k) >> 2]!);
    this.vm.collectNow(loop.bytesPerIteration * 2 + loop.exitBytes, roots);
    const after = this.vm.heap.i32;
    refs.forEach((k, j) => (after[ioSlot(k) >> 2] = roots[j]!));
  }

  private log(loop: CompiledLoop, base: number): void {
    loop.logged = true;
    const input = entryInputSet(this.vm, loop, base);
    const write = this.run.logDir!;
    const header = (what: string) =>
      `# boxless py --jit-log: loop ${loop.id} (${loop.stats.where}), ${what}.\n# Inputs: the loop frame's locals and stack words, then the globals it touches.\n`;
    const withInput = (t: Trace): Trace => ({ ...t, inputSets: input ? [input] : [] });
    write(`loop${loop.id}.recorded.trace`, header('as recorded') + printTrace(withInput(loop.recorded)));
    write(`loop${loop.id}.optimized.trace`, header("after the optimizer's default pipeline") + printTrace(withInput(loop.optimized)));
  }

  /** Statistics so far, with the interpreter's total time given by the caller. */
  report(totalMs: number): ReturnType<JitStats['report']> {
    return this.stats.report(totalMs, this.vm.gcMs);
  }
}

/** Bytes allocated per iteration (null when some allocation's size is not a constant) and at the largest exit. */
function allocationBytes(trace: Trace, vm: Interpreter): { perIteration: number; exit: number } | null {
  const size = new Map<string, number>();
  for (const c of vm.heap.classes) if (c) size.set(c.irName, c.size);
  let perIteration = 0;
  let exit = 0;
  for (const op of trace.ops) {
    if (op.name === 'new') perIteration += size.get((op.descr as { cls: string }).cls)!;
    else if (op.name === 'new_array') {
      const n = op.args[0]!;
      if (n.kind !== 'int') return null;
      perIteration += 8 + 8 * Math.max(0, Number(n.value));
    }
    if (op.exit && op.name !== 'label') {
      let bytes = 0;
      for (const d of op.exit.virtuals) bytes += d.kind === 'object' ? size.get(d.cls)! : 8 + 8 * d.items.length;
      exit = Math.max(exit, bytes);
    }
  }
  return { perIteration, exit };
}
