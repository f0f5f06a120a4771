/**
 * The binary encoder on its own (src/wasm/encoder.ts): LEB128 and IEEE encodings against the
 * byte sequences the WebAssembly specification's examples give, the buffer's growth past its
 * first 256 bytes, and whole modules byte for byte and through the engine. The trace tests reach
 * the encoder only with the numbers and module shapes traces happen to need; these pin the
 * encodings at their edges.
 */
import { describe, expect, it } from 'vitest';
import { ByteWriter, encodeModule, type ModuleSpec } from '../../src/wasm/encoder.ts';
import { BinarySink, type ValType } from '../../src/wasm/instructions.ts';
import { wasmApi } from '../../src/wasm/engine.ts';

const written = (write: (w: ByteWriter) => void): number[] => {
  const w = new ByteWriter();
  write(w);
  return [...w.finish()];
};

describe('LEB128', () => {
  it('unsigned 32-bit numbers', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [1, [0x01]],
      [127, [0x7f]],
      [128, [0x80, 0x01]],
      [300, [0xac, 0x02]],
      [624485, [0xe5, 0x8e, 0x26]],
      [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
      [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [v, bytes] of cases) expect(written((w) => w.u32(v)), `u32 ${v}`).toEqual(bytes);
  });

  it('signed 32-bit numbers, at each byte boundary of the sign bit', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [1, [0x01]],
      [-1, [0x7f]],
      [63, [0x3f]],
      [64, [0xc0, 0x00]],
      [-64, [0x40]],
      [-65, [0xbf, 0x7f]],
      [8191, [0xff, 0x3f]],
      [8192, [0x80, 0xc0, 0x00]],
      [-8192, [0x80, 0x40]],
      [-8193, [0xff, 0xbf, 0x7f]],
      [-123456, [0xc0, 0xbb, 0x78]],
      [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
      [-(2 ** 31), [0x80, 0x80, 0x80, 0x80, 0x78]],
    ];
    for (const [v, bytes] of cases) expect(written((w) => w.s32(v)), `s32 ${v}`).toEqual(bytes);
  });

  it('signed 64-bit numbers, inside and outside the 32-bit range', () => {
    const cases: [bigint, number[]][] = [
      [0n, [0x00]],
      [-1n, [0x7f]],
      [64n, [0xc0, 0x00]],
      [-65n, [0xbf, 0x7f]],
      [2n ** 31n - 1n, [0xff, 0xff, 0xff, 0xff, 0x07]],
      [-(2n ** 31n), [0x80, 0x80, 0x80, 0x80, 0x78]],
      [2n ** 31n, [0x80, 0x80, 0x80, 0x80, 0x08]],
      [-(2n ** 31n) - 1n, [0xff, 0xff, 0xff, 0xff, 0x77]],
      [2n ** 34n, [0x80, 0x80, 0x80, 0x80, 0xc0, 0x00]],
      [-(2n ** 34n) - 1n, [0xff, 0xff, 0xff, 0xff, 0xbf, 0x7f]],
      [2n ** 63n - 1n, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]],
      [-(2n ** 63n), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]],
    ];
    for (const [v, bytes] of cases) expect(written((w) => w.s64(v)), `s64 ${v}`).toEqual(bytes);
  });

  it('i64.const of each of those numbers returns it from the engine', () => {
    const values = [0n, -1n, 63n, 64n, -64n, -65n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), -(2n ** 31n) - 1n, 2n ** 40n + 5n, -(2n ** 52n), 2n ** 63n - 1n, -(2n ** 63n)];
    for (const v of values) {
      const code = new BinarySink();
      code.i64Const(v);
      expect(callConstant(code, 'i64'), `i64.const ${v}`).toBe(v);
    }
  });
});

describe('ByteWriter', () => {
  it('writes a double little-endian with every bit kept', () => {
    expect(written((w) => w.f64(1.5))).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    expect(written((w) => w.f64(-0))).toEqual([0, 0, 0, 0, 0, 0, 0, 0x80]);
    const payload = new DataView(new ArrayBuffer(8));
    payload.setBigUint64(0, 0xfff8_0000_dead_beefn, true);
    expect(written((w) => w.f64(payload.getFloat64(0, true)))).toEqual([0xef, 0xbe, 0xad, 0xde, 0x00, 0x00, 0xf8, 0xff]);
  });

  it('writes a name as its UTF-8 length and bytes', () => {
    expect(written((w) => w.name('run'))).toEqual([3, 0x72, 0x75, 0x6e]);
    expect(written((w) => w.name('é'))).toEqual([2, 0xc3, 0xa9]);
    expect(written((w) => w.name(''))).toEqual([0]);
  });

  it('grows past its first buffer, one byte at a time and many at once, keeping what it held', () => {
    const w = new ByteWriter();
    for (let k = 0; k < 300; k++) w.byte(k & 0xff);
    expect(w.length).toBe(300);
    const block = Array.from({ length: 1500 }, (_, k) => (k * 7) & 0xff);
    w.bytes(block);
    expect(w.length).toBe(1800);
    expect([...w.finish()]).toEqual([...Array.from({ length: 300 }, (_, k) => k & 0xff), ...block]);
    // Exactly the first buffer's size, then one byte more.
    const exact = new ByteWriter();
    exact.bytes(new Array(256).fill(1));
    exact.byte(2);
    expect([...exact.finish()]).toEqual([...new Array(256).fill(1), 2]);
  });

  it('appends another writer, alone or after its length', () => {
    const inner = new ByteWriter();
    inner.bytes([9, 8, 7]);
    expect(written((w) => (w.byte(1), w.append(inner)))).toEqual([1, 9, 8, 7]);
    expect(written((w) => w.sized(inner))).toEqual([3, 9, 8, 7]);
    const long = new ByteWriter();
    long.bytes(new Array(200).fill(5));
    expect(written((w) => w.sized(long)).slice(0, 3)).toEqual([0xc8, 0x01, 5]);
  });
});

/** A module with one exported function `f` of no parameters returning `result`, with `locals`. */
function oneFunction(code: BinarySink, result: ValType, locals: ValType[] = []): ModuleSpec {
  return {
    types: [{ params: [], results: [result] }],
    imports: [],
    functions: [{ type: 0, locals, code: code.out }],
    exports: [{ name: 'f', func: 0 }],
  };
}

function callConstant(code: BinarySink, result: ValType, locals: ValType[] = []): unknown {
  const instance = new wasmApi.Instance(new wasmApi.Module(encodeModule(oneFunction(code, result, locals))), {});
  return (instance.exports.f as () => unknown)();
}

describe('encodeModule', () => {
  it('writes the sections in order, with imports of both kinds, locals as runs of one type', () => {
    const code = new BinarySink();
    code.local('local.get', 1);
    const bytes = encodeModule({
      types: [
        { params: ['i32', 'i64'], results: [] },
        { params: [], results: ['f64'] },
      ],
      imports: [
        { module: 'env', name: 'm', kind: 'memory', minPages: 2 },
        { module: 'env', name: 'g', kind: 'func', type: 0 },
      ],
      functions: [{ type: 1, locals: ['i32', 'f64', 'f64', 'i64', 'i32'], code: code.out }],
      exports: [{ name: 'f', func: 1 }],
    });
    // prettier-ignore
    expect([...bytes]).toEqual([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      // type: 2 types, (i32 i64) -> (), () -> (f64)
      0x01, 0x0a, 0x02, 0x60, 0x02, 0x7f, 0x7e, 0x00, 0x60, 0x00, 0x01, 0x7c,
      // import: 2; env.m memory min 2; env.g func type 0
      0x02, 0x12, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x00, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x00, 0x00,
      // function: 1 function of type 1
      0x03, 0x02, 0x01, 0x01,
      // export: f = func 1
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01,
      // code: 1 body of 12 bytes; 4 runs of locals (1 i32, 2 f64, 1 i64, 1 i32); local.get 1; end
      0x0a, 0x0e, 0x01, 0x0c, 0x04, 0x01, 0x7f, 0x02, 0x7c, 0x01, 0x7e, 0x01, 0x7f, 0x20, 0x01, 0x0b,
    ]);
    // …which the engine takes for a valid module (local 1 is an f64, the type's result).
    expect(() => new wasmApi.Module(bytes)).not.toThrow();
  });

  it('a module the engine runs: the local declared by a run of three is an f64 initialized to zero', () => {
    const code = new BinarySink();
    code.f64Const(2.5);
    code.local('local.set', 2);
    code.local('local.get', 2);
    code.local('local.get', 1);
    code.op('f64.add');
    expect(callConstant(code, 'f64', ['f64', 'f64', 'f64'])).toBe(2.5);
    const empty = encodeModule({ types: [], imports: [], functions: [], exports: [] });
    expect([...empty]).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 1, 1, 0, 2, 1, 0, 3, 1, 0, 7, 1, 0, 10, 1, 0]);
  });
});
