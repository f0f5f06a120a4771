/**
 * The code sinks of src/wasm/instructions.ts on their own: BinarySink's bytes for each kind of
 * instruction (the binary format's opcodes and immediates), DeferredSink's replay and
 * DepthCountingSink's forwarding (every call passed on unchanged and in order, whatever the
 * method), and the block depth it counts. The emitter sends an exit's code through the deferred
 * sink only with the few instructions exits need, so the other methods are checked here.
 */
import { describe, expect, it } from 'vitest';
import { mkOp, v, type Op } from '../../src/ir/index.ts';
import { BinarySink, type CodeSink, DeferredSink, DepthCountingSink } from '../../src/wasm/instructions.ts';

/** Records each call as its method name and arguments. */
class RecordingSink implements CodeSink {
  readonly calls: unknown[][] = [];
  op(...args: Parameters<CodeSink['op']>): void {
    this.calls.push(['op', ...args]);
  }
  mem(...args: Parameters<CodeSink['mem']>): void {
    this.calls.push(['mem', ...args]);
  }
  local(...args: Parameters<CodeSink['local']>): void {
    this.calls.push(['local', ...args]);
  }
  i32Const(...args: Parameters<CodeSink['i32Const']>): void {
    this.calls.push(['i32Const', ...args]);
  }
  i64Const(...args: Parameters<CodeSink['i64Const']>): void {
    this.calls.push(['i64Const', ...args]);
  }
  f64Const(...args: Parameters<CodeSink['f64Const']>): void {
    this.calls.push(['f64Const', ...args]);
  }
  block(...args: Parameters<CodeSink['block']>): void {
    this.calls.push(['block', ...args]);
  }
  else(): void {
    this.calls.push(['else']);
  }
  end(): void {
    this.calls.push(['end']);
  }
  br(...args: Parameters<CodeSink['br']>): void {
    this.calls.push(['br', ...args]);
  }
  call(...args: Parameters<CodeSink['call']>): void {
    this.calls.push(['call', ...args]);
  }
  traceOp(...args: Parameters<CodeSink['traceOp']>): void {
    this.calls.push(['traceOp', ...args]);
  }
}

const FINISH: Op = mkOp('finish', [v('i0')]);

/** One call of every method, with arguments that tell them apart. */
function writeEveryKind(sink: CodeSink): void {
  sink.traceOp(3, FINISH);
  sink.op('i64.add');
  sink.mem('f64.store', 24);
  sink.local('local.tee', 5);
  sink.i32Const(-7);
  sink.i64Const(1n << 40n);
  sink.f64Const(-0);
  sink.block('if', 'i64');
  sink.else();
  sink.end();
  sink.block('loop');
  sink.br('br_if', 1);
  sink.br('br', 0);
  sink.end();
  sink.call(4);
}

const EXPECTED_CALLS = [
  ['traceOp', 3, FINISH],
  ['op', 'i64.add'],
  ['mem', 'f64.store', 24],
  ['local', 'local.tee', 5],
  ['i32Const', -7],
  ['i64Const', 1n << 40n],
  ['f64Const', -0],
  ['block', 'if', 'i64'],
  ['else'],
  ['end'],
  ['block', 'loop', undefined],
  ['br', 'br_if', 1],
  ['br', 'br', 0],
  ['end'],
  ['call', 4],
];

describe('BinarySink', () => {
  const bytes = (write: (s: BinarySink) => void): number[] => {
    const s = new BinarySink();
    write(s);
    return [...s.out.finish()];
  };

  it('writes each kind of instruction as the binary format has it', () => {
    expect(bytes((s) => s.op('i64.add'))).toEqual([0x7c]);
    expect(bytes((s) => s.op('memory.fill'))).toEqual([0xfc, 0x0b, 0x00]);
    expect(bytes((s) => s.mem('i32.load', 0))).toEqual([0x28, 2, 0]);
    expect(bytes((s) => s.mem('f64.store', 200))).toEqual([0x39, 3, 0xc8, 0x01]);
    expect(bytes((s) => s.local('local.get', 1))).toEqual([0x20, 1]);
    expect(bytes((s) => s.local('local.set', 2))).toEqual([0x21, 2]);
    expect(bytes((s) => s.local('local.tee', 300))).toEqual([0x22, 0xac, 0x02]);
    expect(bytes((s) => s.i32Const(-1))).toEqual([0x41, 0x7f]);
    // An address of 2 GiB or more is written as the i32 it wraps to.
    expect(bytes((s) => s.i32Const(2 ** 31))).toEqual([0x41, 0x80, 0x80, 0x80, 0x80, 0x78]);
    expect(bytes((s) => s.i64Const(-(2n ** 63n)))).toEqual([0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
    expect(bytes((s) => s.f64Const(1.5))).toEqual([0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    expect(bytes((s) => s.block('block'))).toEqual([0x02, 0x40]);
    expect(bytes((s) => s.block('loop', 'i32'))).toEqual([0x03, 0x7f]);
    expect(bytes((s) => s.block('if', 'f64'))).toEqual([0x04, 0x7c]);
    expect(bytes((s) => s.else())).toEqual([0x05]);
    expect(bytes((s) => s.end())).toEqual([0x0b]);
    expect(bytes((s) => s.br('br', 2))).toEqual([0x0c, 2]);
    expect(bytes((s) => s.br('br_if', 130))).toEqual([0x0d, 0x82, 0x01]);
    expect(bytes((s) => s.call(3))).toEqual([0x10, 3]);
    expect(bytes((s) => (s as CodeSink).traceOp(0, FINISH))).toEqual([]);
  });
});

describe('DeferredSink', () => {
  it('replays every call, in order, with its arguments', () => {
    const deferred = new DeferredSink();
    writeEveryKind(deferred);
    const recorder = new RecordingSink();
    expect(recorder.calls).toEqual([]);
    deferred.replayInto(recorder);
    expect(recorder.calls).toEqual(EXPECTED_CALLS);
    // Into a binary sink: the bytes written directly.
    const direct = new BinarySink();
    writeEveryKind(direct);
    const replayed = new BinarySink();
    deferred.replayInto(replayed);
    expect([...replayed.out.finish()]).toEqual([...direct.out.finish()]);
  });
});

describe('DepthCountingSink', () => {
  it('passes every call on unchanged, in order', () => {
    const recorder = new RecordingSink();
    writeEveryKind(new DepthCountingSink(recorder));
    expect(recorder.calls).toEqual(EXPECTED_CALLS);
  });

  it('counts the blocks open: one more at each block, one fewer at each end, none at else', () => {
    const sink = new DepthCountingSink(new RecordingSink());
    const depths: number[] = [];
    sink.block('block');
    depths.push(sink.depth);
    sink.block('if', 'i32');
    depths.push(sink.depth);
    sink.else();
    depths.push(sink.depth);
    sink.end();
    depths.push(sink.depth);
    sink.block('loop');
    depths.push(sink.depth);
    sink.end();
    sink.end();
    depths.push(sink.depth);
    expect(depths).toEqual([1, 2, 2, 1, 2, 0]);
  });
});
