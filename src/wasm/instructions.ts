/**
 * The WebAssembly instructions the trace emitter uses, by their text names, and the one
 * interface (`CodeSink`) through which it writes them.
 *
 * Two sinks implement it: `BinarySink` below appends opcode bytes for the engine, and
 * `WatSink` (wat.ts) prints the same instructions as text for `boxless wasm --wat`. The emitter
 * is written once against `CodeSink`, so the text dump is exactly the code that runs.
 */
import type { Op } from '../ir/index.ts';
import { ByteWriter } from './encoder.ts';

export type ValType = 'i32' | 'i64' | 'f64';

export const VALTYPE_CODE: Readonly<Record<ValType, number>> = { i32: 0x7f, i64: 0x7e, f64: 0x7c };

/** Instructions without immediates (memory.size/grow/fill carry their memory index 0 here). */
export const PLAIN = {
  unreachable: [0x00],
  return: [0x0f],
  drop: [0x1a],
  select: [0x1b],
  'memory.size': [0x3f, 0x00],
  'memory.grow': [0x40, 0x00],
  'memory.fill': [0xfc, 0x0b, 0x00],
  'i32.eqz': [0x45],
  'i32.eq': [0x46],
  'i32.ne': [0x47],
  'i32.lt_u': [0x49],
  'i32.gt_s': [0x4a],
  'i32.ge_s': [0x4e],
  'i32.gt_u': [0x4b],
  'i32.ge_u': [0x4f],
  'i64.eqz': [0x50],
  'i64.eq': [0x51],
  'i64.ne': [0x52],
  'i64.lt_s': [0x53],
  'i64.lt_u': [0x54],
  'i64.gt_s': [0x55],
  'i64.gt_u': [0x56],
  'i64.le_s': [0x57],
  'i64.le_u': [0x58],
  'i64.ge_s': [0x59],
  'i64.ge_u': [0x5a],
  'f64.eq': [0x61],
  'f64.ne': [0x62],
  'f64.lt': [0x63],
  'f64.gt': [0x64],
  'f64.le': [0x65],
  'f64.ge': [0x66],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.and': [0x71],
  'i32.or': [0x72],
  'i32.shl': [0x74],
  'i32.shr_u': [0x76],
  'i64.add': [0x7c],
  'i64.sub': [0x7d],
  'i64.mul': [0x7e],
  'i64.div_s': [0x7f],
  'i64.rem_s': [0x81],
  'i64.and': [0x83],
  'i64.or': [0x84],
  'i64.xor': [0x85],
  'i64.shl': [0x86],
  'i64.shr_s': [0x87],
  'i64.shr_u': [0x88],
  'f64.abs': [0x99],
  'f64.neg': [0x9a],
  'f64.sqrt': [0x9f],
  'f64.add': [0xa0],
  'f64.sub': [0xa1],
  'f64.mul': [0xa2],
  'f64.div': [0xa3],
  'i32.wrap_i64': [0xa7],
  'i64.extend_i32_u': [0xad],
  'f64.convert_i64_s': [0xb9],
  'i64.reinterpret_f64': [0xbd],
  'i64.trunc_sat_f64_s': [0xfc, 0x06],
} as const satisfies Record<string, readonly number[]>;
export type PlainInstr = keyof typeof PLAIN;

/** Loads and stores: opcode and natural alignment (log2 bytes); the immediate is the offset. */
export const MEMORY = {
  'i32.load': { code: 0x28, align: 2 },
  'i64.load': { code: 0x29, align: 3 },
  'f64.load': { code: 0x2b, align: 3 },
  'i32.store': { code: 0x36, align: 2 },
  'i64.store': { code: 0x37, align: 3 },
  'f64.store': { code: 0x39, align: 3 },
} as const;
export type MemoryInstr = keyof typeof MEMORY;

export type LocalInstr = 'local.get' | 'local.set' | 'local.tee';
const LOCAL_CODE: Readonly<Record<LocalInstr, number>> = { 'local.get': 0x20, 'local.set': 0x21, 'local.tee': 0x22 };

export type BlockKind = 'block' | 'loop' | 'if';
const BLOCK_CODE: Readonly<Record<BlockKind, number>> = { block: 0x02, loop: 0x03, if: 0x04 };

/** Where the emitter writes code. Blocks take no parameters and produce at most one value. */
export interface CodeSink {
  op(name: PlainInstr): void;
  mem(name: MemoryInstr, offset: number): void;
  local(name: LocalInstr, index: number): void;
  i32Const(v: number): void;
  i64Const(v: bigint): void;
  f64Const(v: number): void;
  block(kind: BlockKind, result?: ValType): void;
  else(): void;
  end(): void;
  br(name: 'br' | 'br_if', depth: number): void;
  call(func: number): void;
  /** Marks where the code of trace op `index` begins (the WAT dump prints the op). */
  traceOp(index: number, op: Op): void;
}

export class BinarySink implements CodeSink {
  readonly out = new ByteWriter();

  op(name: PlainInstr): void {
    this.out.bytes(PLAIN[name]);
  }
  mem(name: MemoryInstr, offset: number): void {
    const { code, align } = MEMORY[name];
    this.out.byte(code);
    this.out.u32(align);
    this.out.u32(offset);
  }
  local(name: LocalInstr, index: number): void {
    this.out.byte(LOCAL_CODE[name]);
    this.out.u32(index);
  }
  i32Const(v: number): void {
    this.out.byte(0x41);
    this.out.s32(v | 0);
  }
  i64Const(v: bigint): void {
    this.out.byte(0x42);
    this.out.s64(v);
  }
  f64Const(v: number): void {
    this.out.byte(0x44);
    this.out.f64(v);
  }
  block(kind: BlockKind, result?: ValType): void {
    this.out.byte(BLOCK_CODE[kind]);
    this.out.byte(result ? VALTYPE_CODE[result] : 0x40);
  }
  else(): void {
    this.out.byte(0x05);
  }
  end(): void {
    this.out.byte(0x0b);
  }
  br(name: 'br' | 'br_if', depth: number): void {
    this.out.byte(name === 'br' ? 0x0c : 0x0d);
    this.out.u32(depth);
  }
  call(func: number): void {
    this.out.byte(0x10);
    this.out.u32(func);
  }
  traceOp(): void {}
}

/**
 * Code written now and laid out later (a loop's guard exits, placed after the function's main
 * code so that the loop's hot path runs straight through): records every instruction and writes
 * them into another sink on `replayInto`.
 */
export class DeferredSink implements CodeSink {
  private readonly calls: ((sink: CodeSink) => void)[] = [];

  replayInto(sink: CodeSink): void {
    for (const call of this.calls) call(sink);
  }
  op(name: PlainInstr): void {
    this.calls.push((s) => s.op(name));
  }
  mem(name: MemoryInstr, offset: number): void {
    this.calls.push((s) => s.mem(name, offset));
  }
  local(name: LocalInstr, index: number): void {
    this.calls.push((s) => s.local(name, index));
  }
  i32Const(v: number): void {
    this.calls.push((s) => s.i32Const(v));
  }
  i64Const(v: bigint): void {
    this.calls.push((s) => s.i64Const(v));
  }
  f64Const(v: number): void {
    this.calls.push((s) => s.f64Const(v));
  }
  block(kind: BlockKind, result?: ValType): void {
    this.calls.push((s) => s.block(kind, result));
  }
  else(): void {
    this.calls.push((s) => s.else());
  }
  end(): void {
    this.calls.push((s) => s.end());
  }
  br(name: 'br' | 'br_if', depth: number): void {
    this.calls.push((s) => s.br(name, depth));
  }
  call(func: number): void {
    this.calls.push((s) => s.call(func));
  }
  traceOp(index: number, op: Op): void {
    this.calls.push((s) => s.traceOp(index, op));
  }
}

/** Passes every instruction on to `sink`, counting how deep in blocks the code is. */
export class DepthCountingSink implements CodeSink {
  depth = 0;
  constructor(private readonly sink: CodeSink) {}
  op(name: PlainInstr): void {
    this.sink.op(name);
  }
  mem(name: MemoryInstr, offset: number): void {
    this.sink.mem(name, offset);
  }
  local(name: LocalInstr, index: number): void {
    this.sink.local(name, index);
  }
  i32Const(v: number): void {
    this.sink.i32Const(v);
  }
  i64Const(v: bigint): void {
    this.sink.i64Const(v);
  }
  f64Const(v: number): void {
    this.sink.f64Const(v);
  }
  block(kind: BlockKind, result?: ValType): void {
    this.depth++;
    this.sink.block(kind, result);
  }
  else(): void {
    this.sink.else();
  }
  end(): void {
    this.depth--;
    this.sink.end();
  }
  br(name: 'br' | 'br_if', depth: number): void {
    this.sink.br(name, depth);
  }
  call(func: number): void {
    this.sink.call(func);
  }
  traceOp(index: number, op: Op): void {
    this.sink.traceOp(index, op);
  }
}
