/**
 * runCompiled: one run of a compiled trace on one input set, as an `Outcome`.
 *
 * The host's half of the backend, and an implementation of the run semantics independent of
 * spec/ (that independence is the point of comparing the two):
 *   - writes the trace's prebuilt objects at the addresses the code was compiled with (ids 0,
 *     1, … in declaration order), then the input set's objects into the heap (the next ids, in
 *     written order) and the input args into the exchange slots;
 *   - calls `run`, at most BACK_EDGES_PER_CALL back-edges per call (so V8 can tier the loop up
 *     between calls), until the trace exits or the run's fuel is spent;
 *   - is the imported `escape`: logs the args and what they reach, grows the escaped set to
 *     its closure, adds k to every int field and int item of every escaped object;
 *   - at an exit, reads the exit's variables from the slots, materializes its virtuals (all
 *     allocated first, then filled, so cycles and sharing come out right), and reads back the
 *     final heap reachable from the exit values, the input args and every escape's args.
 *
 * Object ids in the outcome: a prebuilt object's id is its index among the prebuilt objects, an
 * input object's the number of prebuilt objects plus its index in the input set; any other
 * object's id is its address, which is never below the number of those (every cell takes at
 * least 8 bytes above address 16).
 *
 * Never a crash: a full heap, a trap, or a heap that an undefined-behaviour run scribbled over
 * (a ref to no cell, a bad tag) all end the run with exit `{ kind: 'error' }`.
 */
import {
  type Arg,
  type EscapeRecord,
  type Exit,
  type ExitDesc,
  type ExitValue,
  type HeapCell,
  type HeapValue,
  type InputSet,
  type Outcome,
  type RtValue,
  type Type,
  labelIndex,
  typeOfVar,
} from '../ir/index.ts';
import type { CompiledTrace } from './compile.ts';
import { sharedMemory, wasmApi } from './engine.ts';
import {
  ARRAY_TAG,
  type ClassLayout,
  HEADER,
  FUEL_LEFT,
  HEAP_TOP,
  HeapLayout,
  PAGE,
  SLOT,
  arraySize,
  elemOfTag,
  heapStart,
  ioSlot,
} from './layout.ts';

/** The reference interpreter's default fuel. */
export const DEFAULT_FUEL = 1000;
export const DEFAULT_HEAP_LIMIT = 1 << 30;
/** Back-edges per call of `run`: V8 tiers a wasm function up only between calls. */
export const BACK_EDGES_PER_CALL = 1 << 16;

export interface RunOptions {
  /** Back-edges the run may take (default DEFAULT_FUEL). */
  readonly fuel?: number;
  /** Bytes of memory the run may use, exchange area included (default 1 GiB). */
  readonly heapLimit?: number;
}

export function runCompiled(compiled: CompiledTrace, input: InputSet, options: RunOptions = {}): Outcome {
  return new HostRun(compiled, input, options.heapLimit ?? DEFAULT_HEAP_LIMIT).execute(options.fuel ?? DEFAULT_FUEL);
}

/** The run cannot go on, and it is not the trace's doing in a defined run: ends with an error exit. */
class RunError extends Error {}

const NULL_VALUE: RtValue = { kind: 'null' };

type Cell =
  | { readonly kind: 'object'; readonly cls: ClassLayout }
  | { readonly kind: 'array'; readonly elem: Type; readonly length: number };

class HostRun {
  private readonly memory = sharedMemory();
  private view: DataView;
  private readonly layout: HeapLayout;
  private readonly heapStart: number;
  private hp: number;
  /** Prebuilt, then input object addresses, by id. */
  private readonly inputAddresses: number[] = [];
  private readonly inputIds = new Map<number, number>();
  private inputArgs: RtValue[] = [];
  private escaped = new Set<number>();
  private readonly escapes: EscapeRecord[] = [];

  constructor(
    private readonly compiled: CompiledTrace,
    private readonly input: InputSet,
    private readonly limit: number,
  ) {
    this.view = new DataView(this.memory.buffer);
    this.layout = new HeapLayout(compiled.trace.classes);
    this.heapStart = heapStart(compiled.code.ioSlots);
    this.hp = compiled.code.heapStart;
  }

  /** The iteration the run is in (1 + back-edges taken), as of the last return from `run`. */
  private iterations = 1;

  execute(fuel: number): Outcome {
    const { compiled } = this;
    compiled.escapePort.handler = (site, hp) => this.escape(site, hp);
    try {
      this.loadInput();
      let remaining = fuel;
      let entry = 0;
      for (;;) {
        const chunk = Math.min(remaining, BACK_EDGES_PER_CALL);
        const index = compiled.run(entry, chunk, this.hp, this.limit);
        this.hp = this.mem().getUint32(HEAP_TOP, true);
        // 1 + the back-edges taken: those of earlier calls, and those of this one.
        this.iterations = 1 + (fuel - remaining) + (chunk - this.mem().getInt32(FUEL_LEFT, true));
        const exit = compiled.code.exits[index]!;
        switch (exit.kind) {
          case 'heap-full':
            throw new RunError(`the wasm heap is full (limit ${this.limit} bytes)`);
          case 'back-edge':
            remaining -= chunk;
            if (remaining === 0) return this.outcome({ kind: 'fuel' }, this.loopArguments());
            remaining -= 1; // the back-edge it stopped at
            entry = 1;
            break;
          case 'guard':
            return this.outcome({ kind: 'guard', guardId: exit.guardId }, this.exitValues(exit.exit, this.readSlots(exit.slots)));
          case 'finish': {
            const env = this.readSlots(exit.slots);
            return this.outcome({ kind: 'finish' }, exit.args.map((a) => this.evaluate(a, env)));
          }
        }
      }
    } catch (e) {
      if (e instanceof RunError || e instanceof RangeError || e instanceof wasmApi.RuntimeError) {
        return { exit: { kind: 'error', message: e.message }, values: [], escapes: this.escapes, inputArgs: this.inputArgs, finalHeap: new Map() };
      }
      throw e;
    } finally {
      compiled.escapePort.handler = null;
      this.leaveMemoryClean();
    }
  }

  // --- memory ---

  /**
   * Zeroes what this run used of the shared memory, and a page past it, so that no run can see
   * what an earlier one left: every run is then a function of its trace and input alone, even
   * one whose code reads or writes a little past its objects (a broken emitter: without this its
   * failures depended on the runs before it, and fast-check could neither replay nor shrink them).
   * Costs what the allocations cost (they zero the same bytes).
   */
  private leaveMemoryClean(): void {
    const end = Math.min(this.memory.buffer.byteLength, Math.max(this.hp, this.heapStart) + PAGE);
    new Uint8Array(this.memory.buffer, this.heapStart, end - this.heapStart).fill(0);
  }

  /** The memory's current view (growing the memory detaches the old buffer). */
  private mem(): DataView {
    // Stryker disable next-line ConditionalExpression: `true` cannot change a result: a new view of the current buffer reads and writes what the kept one does (the test only saves making one per access; its `false` mutant fails test/wasm/host.test.ts)
    if (this.view.buffer !== this.memory.buffer) this.view = new DataView(this.memory.buffer);
    return this.view;
  }

  /** Allocates and zeroes `size` bytes on the heap, from the host. */
  private allocate(size: number): number {
    const address = this.hp;
    const end = address + size;
    if (end > this.limit) throw new RunError(`the wasm heap is full (limit ${this.limit} bytes)`);
    const have = this.memory.buffer.byteLength;
    // Stryker disable next-line EqualityOperator: `>=` for `>` cannot change a result: at end = have it grows the memory by 0 pages (the line's `<=` mutant fails test/wasm/host.test.ts)
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    new Uint8Array(this.memory.buffer, address, size).fill(0);
    this.hp = end;
    return address;
  }

  private allocateObject(cls: string): number {
    const layout = this.layout.cls(cls);
    const address = this.allocate(layout.size);
    this.mem().setInt32(address, layout.id, true);
    return address;
  }

  private allocateArray(elem: Type, length: number): number {
    const address = this.allocate(arraySize(length));
    this.mem().setInt32(address, ARRAY_TAG[elem], true);
    this.mem().setInt32(address + 4, length, true);
    return address;
  }

  private read(address: number, type: Type): RtValue {
    const view = this.mem();
    switch (type) {
      case 'int':
        return { kind: 'int', value: view.getBigInt64(address, true) };
      case 'float':
        return { kind: 'float', value: view.getFloat64(address, true) };
      case 'ref': {
        const target = view.getUint32(address, true);
        return target === 0 ? NULL_VALUE : { kind: 'ref', id: this.idOf(target) };
      }
    }
  }

  private write(address: number, type: Type, value: RtValue): void {
    const view = this.mem();
    switch (type) {
      case 'int':
        view.setBigInt64(address, (value as Extract<RtValue, { kind: 'int' }>).value, true);
        return;
      case 'float':
        view.setFloat64(address, (value as Extract<RtValue, { kind: 'float' }>).value, true);
        return;
      case 'ref':
        // Stryker disable next-line ConditionalExpression: `true` cannot change what is written: for null, addressOf(undefined) is undefined, which setUint32 writes as 0 (the line's `false` mutant fails test/wasm/)
        view.setUint32(address, value.kind === 'ref' ? this.addressOf(value.id) : 0, true);
        return;
    }
  }

  private idOf(address: number): number {
    return this.inputIds.get(address) ?? address;
  }

  private addressOf(id: number): number {
    // Stryker disable next-line EqualityOperator: `<=` for `<` cannot change a result: no id equals the number of prebuilt and input objects (theirs are below it, an allocated object's is its address, past all of their cells, each at least 8 bytes above address 16)
    return id < this.inputAddresses.length ? this.inputAddresses[id]! : id;
  }

  /** The cell at `address`, checked: a ref from a run with undefined behaviour may point anywhere. */
  private cell(address: number): Cell {
    const bad = (why: string) => new RunError(`the heap is corrupt (undefined behaviour?): ${why} at address ${address}`);
    if (address < this.heapStart || address >= this.hp || address % SLOT !== 0) throw bad('a ref to no cell');
    const tag = this.mem().getInt32(address, true);
    const cls = this.layout.classOfTag(tag);
    if (cls) {
      if (address + cls.size > this.hp) throw bad('an object past the heap top');
      return { kind: 'object', cls };
    }
    const elem = elemOfTag(tag);
    if (!elem) throw bad(`tag ${tag}`);
    const length = this.mem().getInt32(address + 4, true);
    if (length < 0 || address + arraySize(length) > this.hp) throw bad(`an array of length ${length}`);
    // Stryker disable next-line StringLiteral: another kind cannot change a result: a cell's kind is only ever compared with 'object', and any other kind is read as an array
    return { kind: 'array', elem, length };
  }

  /** Addresses of the refs stored in the cell at `address`. */
  private refsOf(address: number): number[] {
    const cell = this.cell(address);
    const out: number[] = [];
    const visit = (slot: number) => {
      const target = this.mem().getUint32(slot, true);
      if (target !== 0) out.push(target);
    };
    if (cell.kind === 'object') for (const f of cell.cls.fields) f.type === 'ref' && visit(address + f.offset);
    else if (cell.elem === 'ref') for (let j = 0; j < cell.length; j++) visit(address + HEADER + SLOT * j);
    return out;
  }

  /** Every address reachable from `roots`. */
  private reachable(roots: Iterable<number>): Set<number> {
    const seen = new Set<number>();
    const work = [...roots];
    while (work.length > 0) {
      const address = work.pop()!;
      if (seen.has(address)) continue;
      seen.add(address);
      for (const ref of this.refsOf(address)) work.push(ref); // no spread: arrays of a million refs
    }
    return seen;
  }

  private refAddresses(values: readonly RtValue[]): number[] {
    return values.flatMap((v) => (v.kind === 'ref' ? [this.addressOf(v.id)] : []));
  }

  /** The cells reachable from `values`, as they are now. */
  private snapshot(values: readonly RtValue[]): Map<number, HeapCell> {
    const view = new Map<number, HeapCell>();
    for (const address of this.reachable(this.refAddresses(values))) {
      const cell = this.cell(address);
      if (cell.kind === 'object') {
        const fields: Record<string, RtValue> = {};
        for (const f of cell.cls.fields) fields[f.name] = this.read(address + f.offset, f.type);
        view.set(this.idOf(address), { kind: 'object', cls: cell.cls.name, fields });
      } else {
        const items: RtValue[] = [];
        for (let j = 0; j < cell.length; j++) items.push(this.read(address + HEADER + SLOT * j, cell.elem));
        view.set(this.idOf(address), { kind: 'array', elem: cell.elem, items });
      }
    }
    return view;
  }

  // --- the run ---

  private loadInput(): void {
    const view = this.mem();
    // Stryker disable next-line BooleanLiteral: big-endian zero is zero: the byte order of this write cannot change it
    view.setBigInt64(0, 0n, true); // null's header
    const prebuilt = this.compiled.trace.prebuilt ?? [];
    const { args } = this.input;
    const objects = [...prebuilt, ...this.input.objects];
    // An input set's own objects first, then the prebuilt ones (the validator keeps names apart).
    const ids = new Map([...prebuilt.map((o, id) => [o.name, id] as const), ...this.input.objects.map((o, k) => [o.name, prebuilt.length + k] as const)]);
    const placed = this.compiled.code.prebuilt;
    // The exchange slots and the spill area are used without allocating: the memory must hold them.
    const have = this.memory.buffer.byteLength;
    // Stryker disable next-line EqualityOperator: `>=` for `>` cannot change a result: at prebuiltStart = have it grows the memory by 0 pages (the line's `<=` mutant fails test/wasm/host.test.ts)
    if (this.compiled.code.prebuiltStart > have) this.memory.grow(Math.ceil((this.compiled.code.prebuiltStart - have) / PAGE));
    this.hp = this.compiled.code.prebuiltStart;
    for (const o of objects) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: `true` for the test, or `<=` for `<`, cannot change a result: it only adds input objects to the lookup, and the code places none (an input set's objects never reuse a prebuilt name, V12 of src/ir/validate.ts); the line's `false` and `>=` mutants, which skip the prebuilt objects, fail test/wasm/host.test.ts
      const at = this.inputAddresses.length < prebuilt.length ? placed.get(o.name)! : undefined;
      if (at !== undefined && at !== this.hp) throw new Error(`host: prebuilt @${o.name} is at ${at}, the code expects it at ${this.hp}`);
      const address = o.kind === 'object' ? this.allocateObject(o.cls) : this.allocateArray(o.elem, o.items.length);
      this.inputIds.set(address, this.inputAddresses.length);
      this.inputAddresses.push(address);
      if (this.inputAddresses.length === prebuilt.length && this.hp !== this.compiled.code.heapStart) {
        throw new Error(`host: the prebuilt objects end at ${this.hp}, the code expects ${this.compiled.code.heapStart}`);
      }
    }
    const load = (value: HeapValue): RtValue => (value.kind === 'obj' ? { kind: 'ref', id: ids.get(value.name)! } : value);
    objects.forEach((o, id) => {
      const address = this.inputAddresses[id]!;
      if (o.kind === 'object') {
        for (const { field, value } of o.fields) {
          const f = this.layout.cls(o.cls).fields.find((x) => x.name === field)!;
          this.write(address + f.offset, f.type, load(value));
        }
      } else {
        o.items.forEach((value, j) => this.write(address + HEADER + SLOT * j, o.elem, load(value)));
      }
    });
    this.inputArgs = args.map(load);
    this.compiled.trace.inputs.forEach((input, k) => this.write(ioSlot(k), typeOfVar(input.name), this.inputArgs[k]!));
    this.prebuiltRefs = prebuilt.map((_, id): RtValue => ({ kind: 'ref', id }));
    this.escaped = this.reachable(this.refAddresses([...this.inputArgs, ...this.prebuiltRefs]));
  }

  /** Refs to the prebuilt objects, ids 0, 1, …: escaped from the start, roots of the final heap. */
  // Stryker disable next-line ArrayDeclaration: the initial contents cannot change a result: loadInput sets the list before anything reads it (an outcome is made only after loadInput, an error outcome does not read it)
  private prebuiltRefs: RtValue[] = [];

  /** The imported `escape`, called by escape op `site` with the heap top `hp`. */
  private escape(site: number, hp: number): void {
    this.hp = hp;
    const { args: argOperands, slots } = this.compiled.code.escapes[site]!;
    const env = this.readSlots(slots);
    const args = argOperands.map((a) => this.evaluate(a, env));
    this.escapes.push({ args, heap: this.snapshot(args) });
    this.escaped = this.reachable([...this.escaped, ...this.refAddresses(args)]);
    const k = BigInt(this.escapes.length);
    const view = this.mem();
    const bump = (slot: number) => view.setBigInt64(slot, view.getBigInt64(slot, true) + k, true);
    for (const address of this.escaped) {
      const cell = this.cell(address);
      if (cell.kind === 'object') for (const f of cell.cls.fields) f.type === 'int' && bump(address + f.offset);
      else if (cell.elem === 'int') for (let j = 0; j < cell.length; j++) bump(address + HEADER + SLOT * j);
    }
  }

  private readSlots(names: readonly string[]): Map<string, RtValue> {
    return new Map(names.map((name, k) => [name, this.read(ioSlot(k), typeOfVar(name))]));
  }

  /** An exit's values, its virtuals allocated (all of them first) and then filled in. */
  private exitValues(exit: ExitDesc, env: Map<string, RtValue>): RtValue[] {
    const addresses = exit.virtuals.map((v) =>
      v.kind === 'object' ? this.allocateObject(v.cls) : this.allocateArray(v.elem, v.items.length),
    );
    const resolve = (x: ExitValue): RtValue =>
      x.kind === 'virtual' ? { kind: 'ref', id: this.idOf(addresses[x.index]!) } : this.evaluate(x, env);
    exit.virtuals.forEach((v, k) => {
      const address = addresses[k]!;
      if (v.kind === 'object') {
        const cls = this.layout.cls(v.cls);
        for (const { field, value } of v.fields) {
          const f = cls.fields.find((x) => x.name === field)!;
          this.write(address + f.offset, f.type, resolve(value));
        }
      } else {
        v.items.forEach((value, j) => this.write(address + HEADER + SLOT * j, v.elem, resolve(value)));
      }
    });
    return exit.values.map(resolve);
  }

  /** At a back-edge with no fuel left: the loop's original arguments, from the loop state. */
  private loopArguments(): RtValue[] {
    const { trace, code } = this.compiled;
    const env = this.readSlots(code.loopState);
    const label = trace.ops[labelIndex(trace)];
    if (!label) return trace.inputs.map((i) => env.get(i.name)!);
    return label.exit ? this.exitValues(label.exit, env) : label.args.map((a) => this.evaluate(a, env));
  }

  private outcome(exit: Exit, values: readonly RtValue[]): Outcome {
    const roots = [...values, ...this.inputArgs, ...this.prebuiltRefs, ...this.escapes.flatMap((e) => e.args)];
    const outcome: Outcome = { exit, values, escapes: this.escapes, inputArgs: this.inputArgs, finalHeap: this.snapshot(roots), iterations: this.iterations };
    const prebuilt = this.compiled.trace.prebuilt ?? [];
    return prebuilt.length === 0 ? outcome : { ...outcome, prebuilt: prebuilt.map((o) => o.name) };
  }

  /** A constant or variable operand's value; a prebuilt object's ref by its id. */
  private evaluate(arg: Arg, env: ReadonlyMap<string, RtValue>): RtValue {
    return arg.kind === 'prebuilt' ? { kind: 'ref', id: this.idOf(this.compiled.code.prebuilt.get(arg.name)!) } : evaluate(arg, env);
  }
}

/** A variable's or a constant's value (prebuilt objects: HostRun.evaluate). */
function evaluate(arg: Exclude<Arg, { kind: 'prebuilt' }>, env: ReadonlyMap<string, RtValue>): RtValue {
  switch (arg.kind) {
    case 'var':
      return env.get(arg.name)!;
    case 'int':
      return { kind: 'int', value: arg.value };
    case 'float':
      return { kind: 'float', value: arg.value };
    case 'null':
      return NULL_VALUE;
  }
}
