/**
 * The tracing JIT's driver: counts back-edges per loop header, records a hot loop's next
 * iteration (recorder.ts), optimizes it with the optimizer's default pipeline (`optimizeLoop`;
 * a rejected loop counts as an abort), compiles it to wasm on the interpreter's own memory, and
 * from then on runs the loop's compiled code each time the interpreter reaches its header, with
 * the interpreter's current values as inputs. A guard that keeps failing grows a bridge to a
 * compiled loop's header (in the loop frame, or a callee's loop it calls into); a callee's loop
 * entered that way whose exit returns from it grows a return bridge, recorded from the caller's
 * loop frame of that call (proofs-notes/jit.md).
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
import { type ExitValue, type Trace, v, type VirtualDesc } from '../../ir/index.ts';
import { type ExitState, optimizeBridge } from '../../optimizer/bridge.ts';
import { optimizeLoop } from '../../optimizer/loop-result.ts';
import { printTrace } from '../../text/index.ts';
import { type CompiledTrace, compileTrace, type ExitPoint, OP_RULES, type OpRules } from '../../wasm/index.ts';
import { FUEL_LEFT, HEAP_TOP, ioSlot } from '../../wasm/layout.ts';
import * as H from '../heap.ts';
import type { Interpreter, JitPort } from '../interpreter.ts';
import * as Exits from './exits.ts';
import type { JitOptions } from './options.ts';
import { type InlinedFrame, PREBUILT_ADDRESSES, Recorder, type Resume } from './recorder.ts';
import { JitStats, type LoopStats } from './stats.ts';
import { type Source, Transfer } from './transfer.ts';

/**
 * The exchange area's word indexes, computed once from its layout: the hot paths below index the
 * heap's words directly (slot k's words are IO_WORD + 2k and IO_WORD + 2k + 1).
 */
const IO_WORD = ioSlot(0) >> 2;
const WORDS_PER_SLOT = (ioSlot(1) - ioSlot(0)) >> 2;
const HEAP_TOP_WORD = HEAP_TOP >> 2;
// Local copies: an imported binding is a live-binding access on every use (a getter under the
// TS loaders); these run at every exit and every call into a callee's loop.
const { entryInputSet, resumeAtExit, writeFrames } = Exits;
const FUEL_LEFT_WORD = FUEL_LEFT >> 2;

/** Back-edges per call of `run` (V8 tiers a wasm function up only between calls). */
const CHUNK = 1 << 16;
const CHUNK_UNDER_GC_STRESS = 8;
const BLACKLISTED = -0x7fffffff;
/** Recordings of one header retried at once because they saw the loop's last iteration; past this, such a recording counts as an abort (back-off, blacklist). */
const MAX_RETRIES = 16;

export interface JitRunOptions {
  readonly options: JitOptions;
  /** Write every recorded and optimized trace here as a `.trace` file. */
  readonly logDir?: (name: string, text: string) => void;
  /** Seams for the deliberately broken variants in the test tree. */
  readonly rules?: OpRules;
  readonly mutateResume?: (resume: Resume) => Resume;
  readonly mutateRecorded?: (trace: Trace) => Trace;
  readonly mutateExitState?: (state: ExitState) => ExitState;
  /** Throw after this many exits: a broken variant may make a terminating program loop forever. */
  readonly exitLimit?: number;
  /**
   * Whether to time running compiled code and exits per entry (default true): only a report
   * reads those times, and three clock readings per entry cost as much as a short entry's run.
   */
  readonly timed?: boolean;
}

/** Compiled code the driver can run: a loop, or a bridge from one of a fragment's exits. */
export interface Fragment {
  readonly id: number;
  readonly recorded: Trace;
  readonly optimized: Trace;
  readonly compiled: CompiledTrace;
  readonly resumes: readonly Resume[];
  /** Bytes one iteration (preamble included; a bridge's whole run) may allocate, and the most an exit materializes. */
  readonly bytesPerIteration: number;
  readonly exitBytes: number;
  /** Class ids by the trace's class names. */
  readonly classIds: ReadonlyMap<string, number>;
  readonly stats: LoopStats;
  /** Bridges attached to this fragment's exits, by exit index of its code (an array: read at every exit). */
  readonly bridges: (Bridge | undefined)[];
  /** Failures per exit index since the last bridge attempt (negative: backing off). */
  readonly exitFailures: Map<number, number>;
  readonly bridgeAborts: Map<number, number>;
  readonly bridgeRetries: Map<number, number>;
  /** Exits whose bridge recording met a return from the loop's frame (a return bridge may go on from there). */
  readonly returnExits: Set<number>;
  logged: boolean;
}

export interface CompiledLoop extends Fragment {
  readonly kind: 'loop';
  /** Bridges and peers grown from this loop, its bridges and its peers (counted on the header's own loop). */
  bridgeCount: number;
  /** For a peer, the header's own loop (whose budget it shares); null for the header's own loop. */
  readonly root: CompiledLoop | null;
  readonly cid: number;
  readonly header: number;
  readonly slotCount: number;
  readonly globalIds: readonly number[];
  readonly epoch: number;
}

/**
 * A bridge: compiled code that starts where an exit of its parent leaves (the exit's values, its
 * virtuals still virtual, are its inputs: `feed` says where each input comes from) and ends at
 * the header of a compiled loop (`finish` with that loop's inputs) or at one of its own guards.
 */
export interface Bridge extends Fragment {
  readonly kind: 'bridge';
  readonly inputs: readonly ({ readonly kind: 'var'; readonly name: string } | { readonly kind: 'global'; readonly g: number } | { readonly kind: 'stack' })[];
  /** The loop its `finish` enters, by key, and that loop's header and inputs. */
  readonly target: number;
  readonly finishShape: { readonly cid: number; readonly header: number; readonly slotCount: number; readonly globalIds: readonly number[] };
  /** Globals the `finish` passes after the loop's inputs. */
  readonly finishGlobals: readonly number[];
  /** The stack words the `finish` passes and the frames it leaves (a target loop in an inlined callee: frames above the loop frame). */
  readonly finishFrames: Recorder['finishFrames'];
  /** The parent exit's values moved into this bridge's inputs. */
  readonly feed: Transfer;
  /** Each `finish` arg's word index in the slots, or -1 - address for a constant (computed at the first finish). */
  finishFrom: Int32Array | null;
  /** The `finish` args moved into the inputs of a target loop (planned for the last one entered). */
  finishTransfer: { readonly loop: CompiledLoop; readonly transfer: Transfer } | null;
  /**
   * A peer of the target loop recorded from this bridge's `finish` state, entered instead of the
   * target (see `runFragments`); `zeroRuns` counts the target's consecutive runs from here that
   * left before one back-edge; `peerState` says whether a peer is wanted, being recorded, or
   * could not be recorded.
   */
  peer: CompiledLoop | null;
  zeroRuns: number;
  /** Peers of the header (`Jit.peersAt`) this bridge has tried, in order, before recording its own. */
  peersTried: number;
  peerState: 'none' | 'wanted' | 'recording' | 'failed';
  /**
   * A bridge whose `finish` calls into a callee's loop: the shape of the frames it leaves (equal
   * numbers: equal frame records and stack depth), which keys the return bridges of the callee
   * loop's exits in that call; -1 otherwise.
   */
  readonly callShape: number;
  /** A return bridge: its first inputs are this many stack words of the caller's frames (from the caller's loop frame's base), the rest its parent exit's values. */
  readonly callerWords: number;
}

/**
 * A return bridge, per call shape and exit: the bridge once compiled, else the exit's failures
 * since the last attempt (negative: backing off) and its aborts.
 */
interface ReturnEntry {
  bridge: Bridge | null;
  failures: number;
  aborts: number;
}

/** Compiled code running in a callee's frame, entered through a bridge's call: the frame below it and that bridge. */
interface CallContext {
  readonly via: Bridge;
  readonly base: number;
  readonly fp: number;
}

/** A bridge being recorded: from which fragment's which exit. */
interface PendingBridge {
  readonly parent: Fragment;
  readonly exitIndex: number;
  readonly exit: Extract<ExitPoint, { kind: 'guard' }>;
  readonly loop: CompiledLoop;
  /** A return bridge: recorded from the caller's loop frame of this call, into this entry. */
  readonly ret?: { readonly call: CallContext; readonly entry: ReturnEntry };
}

export class Jit implements JitPort {
  recording = false;
  private recorder: Recorder | null = null;
  private readonly counters: Int32Array[];
  private readonly aborts: Int32Array[];
  /** Recordings of a header that ended in its loop's last iteration (retried at once, up to MAX_RETRIES; then aborts). */
  private readonly retries: Int32Array[];
  private readonly loops = new Map<number, CompiledLoop>();
  /** Peers recorded at a header (by the same key as `loops`), in the order they were compiled. */
  private readonly peersAt = new Map<number, CompiledLoop[]>();
  readonly stats = new JitStats();
  private nextLoopId = 0;
  private exits = 0;
  /** Call shapes by their frames' text, and the return bridges per call shape, by fragment id and exit index. */
  private readonly callShapes = new Map<string, number>();
  private readonly returns: Map<number, ReturnEntry>[] = [];
  private readonly opts: JitOptions;

  constructor(
    private readonly vm: Interpreter,
    private readonly run: JitRunOptions,
  ) {
    this.opts = run.options;
    this.counters = vm.codes.map((c) => new Int32Array(c.bytecode.length));
    this.aborts = vm.codes.map((c) => new Int32Array(c.bytecode.length));
    this.retries = vm.codes.map((c) => new Int32Array(c.bytecode.length));
  }

  backEdge(cid: number, header: number, sp: number, base: number, fp: number): boolean {
    if (this.recorder !== null) return false;
    const loop = this.loopAt(cid, header);
    if (loop !== undefined) return this.enter(loop, base, fp);
    const counters = this.counters[cid]!;
    if (++counters[header]! < this.opts.threshold) return false;
    counters[header] = 0;
    this.recorder = new Recorder(this.vm, this.opts, cid, header, base, fp, sp);
    this.recording = true;
    return false;
  }

  /** The compiled loop at this header, if it is still valid. */
  loopAt(cid: number, header: number): CompiledLoop | undefined {
    const key = cid * 0x100000 + header;
    const loop = this.loops.get(key);
    if (loop === undefined || loop.epoch === this.vm.classEpoch) return loop;
    // A class attribute changed since the loop was recorded: its inlined methods may be stale.
    this.loops.delete(key);
    this.counters[cid]![header] = 0;
    return undefined;
  }

  recordStep(cid: number, pc: number, sp: number, base: number, fp: number): boolean {
    const recorder = this.recorder!;
    const r = recorder.step(cid, pc, sp, base, fp);
    if (r === 'continue') return true;
    this.recorder = null;
    this.recording = false;
    this.stats.recordMs += performance.now() - recorder.startedAt;
    const pending = this.pendingBridge;
    this.pendingBridge = null;
    const peerOf = this.pendingPeer;
    this.pendingPeer = null;
    if (peerOf !== null) {
      if (r === 'closed') this.compileLoop(recorder, peerOf);
      else {
        peerOf.peerState = r.retry ? 'none' : 'failed';
        peerOf.zeroRuns = 0;
        if (!r.retry) this.stats.abort(this.vm.codes[recorder.loopCid]!.qualname, this.vm.codes[recorder.loopCid]!.lines[recorder.header >> 1]!, `peer loop from bridge ${peerOf.id}: ${r.abort}`);
      }
    } else if (pending !== null) {
      if (r === 'closed') this.compileBridge(recorder, pending);
      else if (pending.ret !== undefined) this.abortReturnBridge(pending, r.abort);
      else {
        if (r.returns) pending.parent.returnExits.add(pending.exitIndex);
        this.abortBridge(pending, r.abort, r.retry);
      }
    } else if (r === 'closed') this.compileLoop(recorder);
    else if (r.retry && ++this.retries[recorder.loopCid]![recorder.header]! <= MAX_RETRIES) this.counters[recorder.loopCid]![recorder.header] = this.opts.threshold - 1;
    else this.abort(recorder, r.abort);
    return false;
  }

  private pendingBridge: PendingBridge | null = null;
  /** The bridge whose `finish` state a loop being recorded starts from (a peer of its target). */
  private pendingPeer: Bridge | null = null;

  /**
   * A bridge's recording aborted: back off (2^n times the bridge threshold), and give up on the
   * exit after `blacklist` aborts. A retry (the path recorded was unusual: an append that grew
   * its list, a callee's loop not compiled yet) backs off the same way but never blacklists.
   */
  private abortBridge(pending: PendingBridge, reason: string, retry = false): void {
    const { loop, parent, exitIndex } = pending;
    const code = this.vm.codes[loop.cid]!;
    this.stats.abort(code.qualname, code.lines[loop.header >> 1]!, `bridge from loop ${loop.id}'s exit ${exitIndex}: ${reason}`);
    const counts = retry ? parent.bridgeRetries : parent.bridgeAborts;
    const n = (counts.get(exitIndex) ?? 0) + 1;
    counts.set(exitIndex, n);
    parent.exitFailures.set(exitIndex, !retry && n >= this.opts.blacklist ? -0x7fffffff : -Math.min(this.opts.bridge * 2 ** n, 0x3fffffff));
  }

  /** A return bridge's recording aborted: back off as a bridge does, blacklisted after `blacklist` aborts. */
  private abortReturnBridge(pending: PendingBridge, reason: string): void {
    const { loop, exitIndex } = pending;
    const entry = pending.ret!.entry;
    const code = this.vm.codes[loop.cid]!;
    this.stats.abort(code.qualname, code.lines[loop.header >> 1]!, `return bridge from loop ${loop.id}'s exit ${exitIndex}: ${reason}`);
    entry.aborts++;
    entry.failures = entry.aborts >= this.opts.blacklist ? -0x7fffffff : -Math.min(this.opts.bridge * 2 ** entry.aborts, 0x3fffffff);
  }

  /** The return entry of an exit of `frag` in calls of this shape (made on first use). */
  private returnEntry(shape: number, frag: Fragment, exitIndex: number): ReturnEntry {
    const byExit = this.returns[shape]!;
    const key = frag.id * 0x100000 + exitIndex;
    let entry = byExit.get(key);
    if (entry === undefined) {
      entry = { bridge: null, failures: 0, aborts: 0 };
      byExit.set(key, entry);
    }
    return entry;
  }

  /** The call shape of a bridge's `finish` frames (-1: it stays in the loop frame). */
  private callShapeOf(finishFrames: Recorder['finishFrames']): number {
    if (finishFrames.frames.length === 0) return -1;
    const text = JSON.stringify(finishFrames);
    let shape = this.callShapes.get(text);
    if (shape === undefined) {
      shape = this.returns.length;
      this.callShapes.set(text, shape);
      this.returns.push(new Map());
    }
    return shape;
  }

  private abort(recorder: Recorder, reason: string): void {
    const { loopCid: cid, header } = recorder;
    this.stats.abort(this.vm.codes[cid]!.qualname, this.vm.codes[cid]!.lines[header >> 1]!, reason);
    const n = ++this.aborts[cid]![header];
    // Back-off: wait 2^n thresholds before recording again; blacklisted after `blacklist` aborts.
    this.counters[cid]![header] = n >= this.opts.blacklist ? BLACKLISTED : -Math.min(this.opts.threshold * 2 ** n, 0x3fffffff);
  }

  /**
   * Optimizes a recorded bridge from its parent exit's state (`optimizeBridge`: the exit's
   * virtuals stay virtual into the bridge), compiles it and attaches it to that exit.
   */
  private compileBridge(recorder: Recorder, pending: PendingBridge): void {
    const { parent, exitIndex, exit } = pending;
    const recorded = recorder.result;
    const ret = pending.ret;
    // The parent's variables, renamed apart from the bridge's own (`i9x…` cannot clash with `iN`).
    const rename = (name: string) => `${name[0]}9x${name.slice(1)}`;
    const inputs: string[] = [];
    const feed: Bridge['inputs'][number][] = [];
    const seen = new Set<string>();
    const value = (x: ExitValue): ExitValue => {
      if (x.kind !== 'var') return x;
      if (!seen.has(x.name)) {
        seen.add(x.name);
        inputs.push(rename(x.name));
        feed.push({ kind: 'var', name: x.name });
      }
      return { kind: 'var', name: rename(x.name) };
    };
    const desc = exit.exit;
    // A return bridge's first inputs are the words below the callee loop's frame (the call's
    // frames, unchanged since the call): read from the stack, plain values; the exit's values follow.
    const below = ret === undefined ? 0 : ret.call.via.finishFrames.base;
    for (let k = 0; k < below; k++) {
      inputs.push(`p9c${k}`);
      feed.push({ kind: 'stack' });
    }
    const values: ExitValue[] = recorded.inputs.map((_, k) => {
      if (k < below) return v(`p9c${k}`);
      if (k - below < desc.values.length) return value(desc.values[k - below]!);
      // A global the parent does not carry: read from the interpreter's globals at transfer.
      const g = recorder.globalInputs[k - recorder.slotInputs.length]![0];
      const name = `p9g${g}`;
      inputs.push(name);
      feed.push({ kind: 'global', g });
      return { kind: 'var', name };
    });
    const virtuals: VirtualDesc[] = desc.virtuals.map((d) =>
      d.kind === 'object' ? { ...d, fields: d.fields.map((f) => ({ ...f, value: value(f.value) })) } : { ...d, items: d.items.map(value) },
    );
    const t0 = performance.now();
    let optimized: Trace;
    try {
      const state: ExitState = { inputs: inputs.map((name) => ({ name })), values, virtuals };
      optimized = optimizeBridge(recorded, this.run.mutateExitState ? this.run.mutateExitState(state) : state);
    } catch (err) {
      this.stats.optimizeMs += performance.now() - t0;
      const reason = `the optimizer refused the bridge: ${(err as Error).message}`;
      if (ret === undefined) this.abortBridge(pending, reason);
      else this.abortReturnBridge(pending, reason);
      return;
    }
    const t1 = performance.now();
    this.stats.optimizeMs += t1 - t0;
    const fragment = this.compileFragment(optimized, t1);
    if (typeof fragment === 'string') {
      if (ret === undefined) this.abortBridge(pending, fragment);
      else this.abortReturnBridge(pending, fragment);
      return;
    }
    const { sizes, compiled } = fragment;
    const target = recorder.closedAt!;
    const targetLoop = this.loopAt(target.cid, target.pc)!;
    const id = this.nextLoopId++;
    const bridge: Bridge = {
      kind: 'bridge',
      id,
      recorded,
      optimized,
      compiled,
      resumes: this.run.mutateResume ? recorder.resumes.map(this.run.mutateResume) : recorder.resumes,
      bytesPerIteration: sizes.perIteration,
      exitBytes: sizes.exit,
      classIds: this.classIds(),
      stats: this.stats.loop(
        id,
        `${ret === undefined ? 'bridge' : 'return bridge'} from ${(parent as Bridge | CompiledLoop).kind} ${parent.id}, exit ${exitIndex} (guard ${exit.guardId}), to loop ${targetLoop.id}`,
        recorded.ops.length,
        optimized.ops.length,
      ),
      bridges: [],
      exitFailures: new Map(),
      bridgeAborts: new Map(),
      bridgeRetries: new Map(),
      returnExits: new Set(),
      logged: false,
      inputs: feed,
      target: target.cid * 0x100000 + target.pc,
      finishShape: { cid: target.cid, header: target.pc, slotCount: targetLoop.slotCount, globalIds: targetLoop.globalIds },
      finishGlobals: recorder.finishGlobals,
      finishFrames: recorder.finishFrames,
      feed: feedTransfer(feed, exit),
      finishFrom: null,
      finishTransfer: null,
      peer: null,
      zeroRuns: 0,
      peersTried: 0,
      peerState: 'none',
      callShape: this.callShapeOf(recorder.finishFrames),
      callerWords: ret === undefined ? 0 : ret.call.via.finishFrames.base,
    };
    if (ret === undefined) parent.bridges[exitIndex] = bridge;
    else {
      ret.entry.bridge = bridge;
      ret.entry.failures = 0;
    }
    (pending.loop.root ?? pending.loop).bridgeCount++;
    parent.stats.bridges++;
    if (this.run.logDir) {
      const header =
        ret === undefined
          ? `# boxless py --jit-log: ${bridge.stats.where}.\n# Inputs: the parent exit's values (the interpreter's stack words, then the globals it carries).\n`
          : `# boxless py --jit-log: ${bridge.stats.where}.\n# Inputs: the stack words below the callee loop's frame (from the caller's loop frame up), then the parent exit's values.\n`;
      this.run.logDir(`bridge${id}.recorded.trace`, `${header}# As recorded.\n${printTrace(recorded)}`);
      this.run.logDir(`bridge${id}.optimized.trace`, `${header}# Optimized from the exit's state (its virtuals stay virtual).\n${printTrace(optimized)}`);
    }
  }

  /**
   * An optimized loop or bridge compiled on the VM's memory, with the bytes it allocates; or why
   * it cannot run (the reason its recording aborts). Compile time counts from `since`.
   */
  private compileFragment(optimized: Trace, since: number): { sizes: { perIteration: number; exit: number }; compiled: CompiledTrace } | string {
    const sizes = allocationBytes(optimized, this.vm);
    if (sizes === null) return 'an allocation of a size not known before the run';
    let compiled: CompiledTrace;
    try {
      compiled = compileTrace(optimized, this.run.rules ?? OP_RULES, { prebuiltAt: PREBUILT_ADDRESSES });
    } finally {
      this.stats.compileMs += performance.now() - since;
    }
    if (compiled.code.heapStart > H.IMMORTAL_START) return 'too many values live at an exit for the exchange area';
    return { sizes, compiled };
  }

  private classIds(): Map<string, number> {
    const ids = new Map<string, number>();
    for (const c of this.vm.heap.classes) if (c) ids.set(c.irName, c.id);
    return ids;
  }

  /** A recorded loop compiled; a peer (`peerOf` given) is entered from that bridge only, the header keeps its loop. */
  private compileLoop(recorder: Recorder, peerOf: Bridge | null = null): void {
    const vm = this.vm;
    let recorded = recorder.result;
    if (this.run.mutateRecorded) recorded = this.run.mutateRecorded(recorded);
    const t0 = performance.now();
    const result = optimizeLoop(recorded);
    const t1 = performance.now();
    this.stats.optimizeMs += t1 - t0;
    const failed = (reason: string) => {
      if (peerOf === null) this.abort(recorder, reason);
      else {
        peerOf.peerState = 'failed';
        this.stats.abort(vm.codes[recorder.loopCid]!.qualname, vm.codes[recorder.loopCid]!.lines[recorder.header >> 1]!, `peer loop from bridge ${peerOf.id}: ${reason}`);
      }
    };
    if (result.kind === 'rejected') {
      failed(`the optimizer rejected the loop: ${result.reason}`);
      return;
    }
    const optimized = result.trace;
    const fragment = this.compileFragment(optimized, t1);
    if (typeof fragment === 'string') {
      failed(fragment);
      return;
    }
    const { sizes, compiled } = fragment;
    const classIds = this.classIds();
    const id = this.nextLoopId++;
    const code = vm.codes[recorder.loopCid]!;
    const loop: CompiledLoop = {
      kind: 'loop',
      bridgeCount: 0,
      root: peerOf === null ? null : (this.loops.get(recorder.loopCid * 0x100000 + recorder.header) ?? null),
      bridges: [],
      exitFailures: new Map(),
      bridgeAborts: new Map(),
      bridgeRetries: new Map(),
      returnExits: new Set(),
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
      stats: this.stats.loop(id, `${code.qualname}, line ${code.lines[recorder.header >> 1]}${peerOf ? `, peer entered from bridge ${peerOf.id}` : ''}`, recorded.ops.length, optimized.ops.length),
      logged: false,
    };
    if (peerOf === null) this.loops.set(recorder.loopCid * 0x100000 + recorder.header, loop);
    else {
      const key = recorder.loopCid * 0x100000 + recorder.header;
      const peers = this.peersAt.get(key) ?? [];
      peers.push(loop);
      this.peersAt.set(key, peers);
      peerOf.peer = loop;
      peerOf.peersTried = peers.length;
      peerOf.peerState = 'none';
    }
  }

  /**
   * Runs compiled code from the interpreter's state at `loop`'s header, following bridges and the
   * loops they enter, until an exit without a bridge returns to the interpreter; returns true
   * (the interpreter's state changed).
   */
  private enter(start: CompiledLoop, base: number, fp: number): boolean {
    // Everything from here to the final exit counts as running compiled code (the host's
    // transfers between a loop and its bridges included: they are the trace tree's branches),
    // but for collections (counted as GC) and the last exit back to the interpreter.
    // Three clock readings per entry: at entry, when the last exit starts (`exitStartedAt`), and
    // at the end. A reading costs about 80 ns, as much as a short entry's whole run (nqueens'
    // inner loops are entered half a million times): only a run whose report is read pays.
    if (this.run.timed === false) return this.runFragments(start, base, fp);
    const entered = performance.now();
    const gcBefore = this.vm.gcMs;
    this.exitStartedAt = -1;
    try {
      return this.runFragments(start, base, fp);
    } finally {
      // Collections count as GC, whether during the run or the exit.
      const now = performance.now();
      const gcNow = this.vm.gcMs;
      const exiting = this.exitStartedAt >= 0;
      const exitStart = exiting ? this.exitStartedAt : now;
      const gcAtExit = exiting ? this.gcAtExit : gcNow;
      this.stats.runMs += exitStart - entered - (gcAtExit - gcBefore);
      this.stats.exitMs += now - exitStart - (gcNow - gcAtExit);
    }
  }

  /** When the last exit to the interpreter (resume, bridge recording set-up) started; -1 while none. */
  private exitStartedAt = -1;
  private gcAtExit = 0;

  /** Iterations `f` may run before the heap has no room for one more (and its largest exit). */
  private fuelFor(f: Fragment, chunk: number): number {
    if (f.bytesPerIteration === 0) return chunk;
    const heap = this.vm.heap;
    const room = heap.limit - heap.reserveBytes - f.exitBytes - heap.hp;
    return Math.min(chunk, Math.floor(room / f.bytesPerIteration) - 1);
  }

  /**
   * The transfers between fragments are the hot path of a trace tree (a short inner loop crosses
   * one at each of its runs): they stay in the host's typed arrays, with where-from tables
   * computed once per bridge, no allocation, no clock and no map lookups.
   */
  private runFragments(start: CompiledLoop, loopBase: number, loopFp: number): boolean {
    // The frame of the loop running: a bridge that calls into a callee's loop moves it up.
    let base = loopBase;
    let fp = loopFp;
    const vm = this.vm;
    const heap = vm.heap;
    const chunk = heap.gcStress ? CHUNK_UNDER_GC_STRESS : CHUNK;
    const exitLimit = this.run.exitLimit ?? Infinity;
    let loop = start;
    let frag: Fragment = loop;
    let entry = 0;
    /** The bridge whose `finish` entered `loop`, until the loop's first call returns. */
    let from: Bridge | null = null;
    /**
     * Running in a callee's frame that one bridge's call entered: that bridge and the frame below
     * (null: in the loop frame, or deeper than one call); locals, not an object per call.
     */
    let callVia: Bridge | null = null;
    let callBase = 0;
    let callFp = 0;
    let calls = 0;
    this.loadFromStack(loop, base);
    for (;;) {
      const fuel = frag === loop ? this.fuelFor(loop, chunk) : 1;
      if (fuel < 1) throw new Error('JIT: no room for one iteration after a collection');
      const index = frag.compiled.run(entry, fuel, heap.hp, heap.limit - heap.reserveBytes - frag.exitBytes);
      const i32 = heap.i32;
      heap.hp = i32[HEAP_TOP_WORD]!;
      const exit: ExitPoint = frag.compiled.code.exits[index]!;
      if (frag === loop) {
        const ran = exit.kind === 'back-edge' ? fuel : fuel - i32[FUEL_LEFT_WORD]!;
        loop.stats.iterations += ran;
        if (from !== null) {
          // The loop a bridge entered left before one back-edge: the bridge's state is not the
          // one the loop was recorded for (a guard of its preamble refuses it), and every pass
          // would cross the bridge and the preamble again: wanted, a peer of the loop for it.
          if (ran === 0 && exit.kind === 'guard') {
            if (++from.zeroRuns >= this.opts.bridge && from.peerState === 'none' && (loop.root ?? loop).bridgeCount < this.opts.bridges) from.peerState = 'wanted';
          } else from.zeroRuns = 0;
          from = null;
        }
      } else frag.stats.entries++;
      if (exit.kind === 'back-edge') {
        entry = 1;
        if (heap.gcStress || this.fuelFor(loop, chunk) < 1) this.collectWithLoopState(loop);
        continue;
      }
      if (exit.kind === 'finish') {
        // A bridge reached a compiled loop's header: its values are that loop's inputs.
        const bridge = frag as Bridge;
        if (bridge.peerState === 'wanted') {
          const peers = this.peersAt.get(bridge.target);
          if (peers !== undefined && bridge.peersTried < peers.length) {
            // A peer another bridge recorded may suit this one too: tried first.
            bridge.peer = peers[bridge.peersTried++]!;
            bridge.peerState = 'none';
            bridge.zeroRuns = 0;
          }
        }
        if (bridge.peer !== null && bridge.peer.epoch !== vm.classEpoch) bridge.peer = null;
        const target = bridge.peer ?? this.loops.get(bridge.target);
        const valid = target !== undefined && target.epoch === vm.classEpoch;
        const depth = bridge.finishFrames.frames.length;
        if (depth > 0) {
          // Into a loop of an inlined callee: the frames are rebuilt on the interpreter's stack
          // and the loop runs in the callee's frame from then on.
          this.finishToHeader(bridge, exit, base, fp);
          if (!valid) return true;
          callVia = ++calls === 1 ? bridge : null;
          callBase = base;
          callFp = fp;
          base += bridge.finishFrames.base;
          fp += depth;
          loop = target;
          this.loadFromStack(loop, base);
          frag = loop;
          entry = 0;
          continue;
        }
        if (valid && bridge.peerState === 'wanted' && this.recorder === null) {
          // Record the peer from here: the interpreter continues at the header with this state.
          this.finishToHeader(bridge, exit, base, fp);
          bridge.peerState = 'recording';
          bridge.zeroRuns = 0;
          (target.root ?? target).bridgeCount++;
          this.pendingPeer = bridge;
          this.recorder = new Recorder(vm, this.opts, bridge.finishShape.cid, bridge.finishShape.header, base, fp, vm.sp);
          this.recording = true;
          return true;
        }
        from = bridge;
        if (valid && target.slotCount === bridge.finishShape.slotCount && !heap.gcStress && (target.logged || !this.run.logDir) && this.fuelFor(target, chunk) >= 1) {
          // Straight from the bridge's slots to the loop's: the interpreter's stack words are
          // not read before the loop's next exit, which rewrites them all.
          this.finishToSlots(bridge, exit, target);
          loop = target;
          loop.stats.entries++;
        } else {
          this.finishToHeader(bridge, exit, base, fp);
          if (!valid) return true;
          loop = target;
          this.loadFromStack(loop, base);
        }
        frag = loop;
        entry = 0;
        continue;
      }
      if (exit.kind !== 'guard') throw new Error(`JIT: compiled code ${frag.id} left by a ${exit.kind} exit`);
      if (++this.exits > exitLimit) throw new Error(`JIT: more than ${exitLimit} exits`);
      const failures = frag.stats.guardFailures;
      failures[exit.guardId] = (failures[exit.guardId] ?? 0) + 1;
      const bridge = frag.bridges[index];
      if (bridge !== undefined && this.fuelFor(bridge, chunk) >= 1) {
        bridge.feed.run(vm);
        frag = bridge;
        entry = 0;
        continue;
      }
      const back = bridge === undefined && callVia !== null ? this.returnEntry(callVia.callShape, frag, index).bridge : null;
      if (back !== null && this.fuelFor(back, chunk) >= 1) {
        // A return bridge: the exit's values moved into its inputs after the caller's words,
        // which are read from the stack; it runs from the caller's loop frame.
        back.feed.run(vm);
        base = callBase;
        fp = callFp;
        const i32 = heap.i32;
        const stk = vm.stk;
        for (let k = 0, w = IO_WORD; k < back.callerWords; k++, w += WORDS_PER_SLOT) {
          i32[w] = stk[base + k]!;
          i32[w + 1] = 0;
        }
        callVia = null;
        calls = 0;
        frag = back;
        entry = 0;
        continue;
      }
      if (this.run.timed !== false) {
        this.exitStartedAt = performance.now();
        this.gcAtExit = vm.gcMs;
      }
      this.exitToInterpreter(frag, loop, index, exit, base, fp, bridge === undefined, callVia === null ? null : { via: callVia, base: callBase, fp: callFp });
      return true;
    }
  }

  /** Reads the loop's inputs from the interpreter's stack and globals into the exchange slots. */
  private loadFromStack(loop: CompiledLoop, base: number): void {
    const vm = this.vm;
    const heap = vm.heap;
    loop.stats.entries++;
    // At the header every live value is on the interpreter's stack: a safepoint.
    if (heap.gcStress || this.fuelFor(loop, CHUNK) < 1) vm.collectNow(loop.bytesPerIteration * 2 + loop.exitBytes);
    if (this.run.logDir && !loop.logged) this.log(loop, base);
    const i32 = heap.i32;
    const stk = vm.stk;
    const n = loop.slotCount;
    for (let k = 0, w = IO_WORD; k < n; k++, w += WORDS_PER_SLOT) {
      i32[w] = stk[base + k]!;
      i32[w + 1] = 0;
    }
    this.loadGlobals(loop);
  }

  /** The loop's carried globals, from the interpreter's globals, into the slots after its stack words. */
  private loadGlobals(loop: CompiledLoop): void {
    const i32 = this.vm.heap.i32;
    const globals = this.vm.globals;
    const ids = loop.globalIds;
    for (let j = 0; j < ids.length; j++) {
      const w = IO_WORD + WORDS_PER_SLOT * (loop.slotCount + j);
      i32[w] = globals[ids[j]!]!;
      i32[w + 1] = 0;
    }
  }

  /** A guard without a (runnable) bridge: back to the interpreter, maybe recording a bridge from here. */
  private exitToInterpreter(frag: Fragment, loop: CompiledLoop, index: number, exit: Extract<ExitPoint, { kind: 'guard' }>, base: number, fp: number, noBridge: boolean, call: CallContext | null): void {
    const vm = this.vm;
    const failures = (frag.exitFailures.get(index) ?? 0) + 1;
    frag.exitFailures.set(index, failures);
    resumeAtExit(vm, frag, exit, base, fp);
    if (noBridge && failures >= this.opts.bridge && this.recorder === null && (loop.root ?? loop).bridgeCount < this.opts.bridges) {
      // Record a bridge from here: the interpreter continues at the guarded instruction.
      frag.exitFailures.set(index, 0);
      const resume = frag.resumes[exit.guardId]!;
      this.pendingBridge = { parent: frag, exitIndex: index, exit, loop };
      this.recorder = new Recorder(vm, this.opts, loop.cid, -1, base, fp, vm.sp, { from: resume, loopAt: (cid, pc) => this.loopAt(cid, pc) });
      this.recording = true;
    } else if (noBridge && call !== null && frag.returnExits.has(index) && this.recorder === null && (loop.root ?? loop).bridgeCount < this.opts.bridges) {
      // The exit's bridge would return from the loop's frame, and this loop runs in a call a
      // bridge made: a return bridge is recorded from the caller's loop frame, which the call's
      // frames and the exit's resume describe (its inputs: the caller's words, read from the
      // stack, then the exit's values).
      const entry = this.returnEntry(call.via.callShape, frag, index);
      if (entry.bridge === null && ++entry.failures >= this.opts.bridge) {
        entry.failures = 0;
        const from = callerResume(call.via.finishFrames, frag.resumes[exit.guardId]!);
        this.pendingBridge = { parent: frag, exitIndex: index, exit, loop, ret: { call, entry } };
        this.recorder = new Recorder(vm, this.opts, loop.cid, -1, call.base, call.fp, vm.sp, {
          from,
          loopAt: (cid, pc) => this.loopAt(cid, pc),
          leaveDepth: call.via.finishFrames.frames.length,
        });
        this.recording = true;
      } else if (vm.heap.gcStress) vm.collectNow();
    } else if (vm.heap.gcStress) vm.collectNow();
  }

  /** Each of a bridge's `finish` args: its word index in the slots, or -1 - address for a constant. */
  private finishFrom(bridge: Bridge, exit: Extract<ExitPoint, { kind: 'finish' }>): Int32Array {
    if (bridge.finishFrom !== null) return bridge.finishFrom;
    const slotOf = new Map<string, number>();
    exit.slots.forEach((name, k) => slotOf.set(name, ioSlot(k) >> 2));
    const from = Int32Array.from(exit.args, (a) => (a.kind === 'var' ? slotOf.get(a.name)! : -1 - (a.kind === 'prebuilt' ? PREBUILT_ADDRESSES.get(a.name)! : 0)));
    bridge.finishFrom = from;
    return from;
  }

  /** Writes the `finish` args that are globals (the target loop's, then the bridge's own) to the interpreter's globals. */
  private finishGlobals(bridge: Bridge, from: Int32Array): void {
    const i32 = this.vm.heap.i32;
    const g = this.vm.globals;
    const shape = bridge.finishShape;
    const ids = shape.globalIds;
    const more = bridge.finishGlobals;
    let k = bridge.finishFrames.words;
    for (let j = 0; j < ids.length; j++, k++) g[ids[j]!] = from[k]! >= 0 ? i32[from[k]!]! : -1 - from[k]!;
    for (let j = 0; j < more.length; j++, k++) g[more[j]!] = from[k]! >= 0 ? i32[from[k]!]! : -1 - from[k]!;
  }

  /**
   * A bridge's `finish` into its target loop without the interpreter's stack: the stack words go
   * slot to slot (through a copy: they overlap), the globals through the interpreter's globals
   * (the loop may carry other globals than the shape the bridge was recorded against).
   */
  private finishToSlots(bridge: Bridge, exit: Extract<ExitPoint, { kind: 'finish' }>, target: CompiledLoop): void {
    const from = this.finishFrom(bridge, exit);
    this.finishGlobals(bridge, from);
    let planned = bridge.finishTransfer;
    if (planned === null || planned.loop !== target) {
      const dest: number[] = [];
      const sources: Source[] = [];
      for (let k = 0; k < target.slotCount; k++) {
        dest.push(ioSlot(k) >> 2);
        sources.push(from[k]! >= 0 ? { kind: 'word', word: from[k]! } : { kind: 'const', value: -1 - from[k]! });
      }
      target.globalIds.forEach((g, j) => {
        dest.push(ioSlot(target.slotCount + j) >> 2);
        sources.push({ kind: 'global', g });
      });
      planned = { loop: target, transfer: new Transfer(dest, sources) };
      bridge.finishTransfer = planned;
    }
    planned.transfer.run(this.vm);
  }

  /** A bridge's `finish`: its values become the interpreter's state at the target loop's header. */
  private finishToHeader(bridge: Bridge, exit: Extract<ExitPoint, { kind: 'finish' }>, base: number, fp: number): void {
    const vm = this.vm;
    const i32 = vm.heap.i32;
    const from = this.finishFrom(bridge, exit);
    const target = bridge.finishShape;
    const { words, frames, statics } = bridge.finishFrames;
    for (let k = 0; k < words; k++) vm.stk[base + k] = from[k]! >= 0 ? i32[from[k]!]! : -1 - from[k]!;
    for (const [k, index] of statics) vm.stk[base + k] = vm.statics[index]!;
    this.finishGlobals(bridge, from);
    writeFrames(vm, frames, base, fp);
    vm.rCode = vm.codes[target.cid]!;
    vm.rPc = target.header;
    vm.rBase = base + bridge.finishFrames.base;
    vm.rFp = fp + frames.length;
    vm.sp = base + words;
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

/**
 * An exit's resume point seen from the caller's loop frame of the call that entered its loop:
 * the call's frames (relative to that frame already), then the exit's own, shifted by the
 * callee loop frame's offset; the words below that offset keep the call's root-table entries
 * (the callee's loop never writes below its frame).
 */
function callerResume(call: Recorder['finishFrames'], resume: Resume): Resume {
  const off = call.base;
  const shift = (f: InlinedFrame): InlinedFrame => ({ ...f, callerBase: f.callerBase + off, slot: f.slot + off });
  return {
    frames: [...call.frames, ...resume.frames.map(shift)],
    cid: resume.cid,
    pc: resume.pc,
    base: off + resume.base,
    sp: off + resume.sp,
    globals: resume.globals,
    statics: [...call.statics.filter(([k]) => k < off), ...resume.statics.map(([k, index]): [number, number] => [k + off, index])],
  };
}

/** The parent exit's values into a bridge's inputs: an int or a float is two words, a ref one. */
function feedTransfer(inputs: Bridge['inputs'], exit: Extract<ExitPoint, { kind: 'guard' }>): Transfer {
  const slotOf = new Map<string, number>();
  exit.slots.forEach((name, k) => slotOf.set(name, ioSlot(k) >> 2));
  const dest: number[] = [];
  const sources: Source[] = [];
  inputs.forEach((f, k) => {
    const to = ioSlot(k) >> 2;
    // A caller's word (a return bridge's): written from the stack after the transfer.
    if (f.kind === 'stack') return;
    if (f.kind === 'global') {
      dest.push(to);
      sources.push({ kind: 'global', g: f.g });
      return;
    }
    const word = slotOf.get(f.name)!;
    dest.push(to);
    sources.push({ kind: 'word', word });
    if (f.name[0] !== 'p') {
      dest.push(to + 1);
      sources.push({ kind: 'word', word: word + 1 });
    }
  });
  return new Transfer(dest, sources);
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
