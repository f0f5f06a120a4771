/**
 * The helper functions of every trace module (src/wasm/module-shape.ts), each compiled alone and
 * called directly: Python's floored division and modulo, the multiply overflow test, each over a
 * grid of edge values against BigInt arithmetic; and `grow`, on a memory of its own with a small
 * maximum, through each of its ways out (enough memory already, doubling, growing by exactly what
 * is needed when doubling would pass the maximum, impossible, beyond the limit). The trace tests
 * reach `grow` only on the shared 2 GiB memory, where doubling never fails.
 */
import { describe, expect, it } from 'vitest';
import { encodeModule } from '../../src/wasm/encoder.ts';
import { type WasmMemory, wasmApi } from '../../src/wasm/engine.ts';
import { BinarySink } from '../../src/wasm/instructions.ts';
import { PAGE } from '../../src/wasm/layout.ts';
import { FUNC, HELPERS, type HelperName, IMPORTS, TYPES } from '../../src/wasm/module-shape.ts';

/** A module holding only `name`, exported as `f`, instantiated against `memory`. */
function helper(name: HelperName, memory: WasmMemory = new wasmApi.Memory({ initial: 1, maximum: 1 })): (...args: unknown[]) => unknown {
  const h = HELPERS[name];
  const code = new BinarySink();
  h.emit(code);
  const bytes = encodeModule({
    types: TYPES,
    imports: IMPORTS,
    functions: [{ type: h.type, locals: h.locals.map((l) => l.type), code: code.out }],
    // The imported functions come first: the module's own first function has run's index.
    exports: [{ name: 'f', func: FUNC.run }],
  });
  const unused = () => {
    throw new Error('a helper called an imported function');
  };
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory, escape: unused, float_pow: unused, float_sin: unused, float_cos: unused } });
  return instance.exports.f as (...args: unknown[]) => unknown;
}

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const EDGES = [MIN, MIN + 1n, -(2n ** 32n), -7n, -3n, -2n, -1n, 0n, 1n, 2n, 3n, 7n, 2n ** 31n, 2n ** 32n, MAX - 1n, MAX];

/** Python's a // b on int64, total as the IR defines it: 0 for b = 0, wrapping MIN // -1. */
function floordiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return BigInt.asIntN(64, a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q);
}

/** Python's a % b on int64 (the sign of b), total: 0 for b = 0. */
function mod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

// Each helper is compiled inside its test: a mutation run counts only code reached inside a test
// as covered by it.
describe('the integer helpers, against BigInt arithmetic on edge values', () => {
  it('floordiv', () => {
    const floordivWasm = helper('floordiv');
    for (const a of EDGES) for (const b of EDGES) expect(floordivWasm(a, b), `${a} // ${b}`).toBe(floordiv(a, b));
  });

  it('mod', () => {
    const modWasm = helper('mod');
    for (const a of EDGES) for (const b of EDGES) expect(modWasm(a, b), `${a} % ${b}`).toBe(mod(a, b));
  });

  it('mulOverflows', () => {
    const mulOverflowsWasm = helper('mulOverflows');
    for (const a of EDGES) {
      for (const b of EDGES) {
        const exact = a * b;
        expect(mulOverflowsWasm(a, b), `${a} * ${b}`).toBe(exact < MIN || exact > MAX ? 1 : 0);
      }
    }
  });
});

describe('grow', () => {
  /** A memory of `initial` pages that can grow to 10, and grow(need, limit) on it. */
  const setUp = (initial: number) => {
    const memory = new wasmApi.Memory({ initial, maximum: 10 });
    const grow = helper('grow', memory) as (need: number, limit: number) => number;
    const pages = () => memory.buffer.byteLength / PAGE;
    return { grow, pages };
  };
  const NO_LIMIT = 2 ** 31 - 1;

  it('with enough memory already: the memory size, capped at the limit, and no growth', () => {
    const { grow, pages } = setUp(1);
    expect(grow(100, NO_LIMIT)).toBe(PAGE);
    expect(grow(PAGE, NO_LIMIT)).toBe(PAGE);
    expect(grow(100, 1000)).toBe(1000);
    expect(grow(PAGE, PAGE)).toBe(PAGE);
    expect(pages()).toBe(1);
  });

  it('beyond the limit (compared unsigned): 0, and no growth', () => {
    const { grow, pages } = setUp(1);
    expect(grow(1001, 1000)).toBe(0);
    expect(grow(2 * PAGE, 2 * PAGE - 1)).toBe(0);
    expect(grow(-1, NO_LIMIT)).toBe(0);
    expect(pages()).toBe(1);
  });

  it('at least doubles the memory, or grows by more when more is needed', () => {
    const { grow, pages } = setUp(1);
    expect(grow(PAGE + 1, NO_LIMIT)).toBe(2 * PAGE);
    expect(pages()).toBe(2);
    expect(grow(2 * PAGE + 1, NO_LIMIT)).toBe(4 * PAGE);
    expect(pages()).toBe(4);
    // Five more pages needed: more than doubling gives.
    expect(grow(9 * PAGE, NO_LIMIT)).toBe(9 * PAGE);
    expect(pages()).toBe(9);
  });

  it('grows by exactly what is needed when doubling would pass the maximum, and returns 0 when that fails too', () => {
    const { grow, pages } = setUp(6);
    expect(grow(7 * PAGE - 1, NO_LIMIT)).toBe(7 * PAGE);
    expect(pages()).toBe(7);
    expect(grow(11 * PAGE, NO_LIMIT)).toBe(0);
    expect(pages()).toBe(7);
    expect(grow(10 * PAGE, NO_LIMIT)).toBe(10 * PAGE);
  });

  it('caps what it returns after growing at the limit', () => {
    const { grow, pages } = setUp(1);
    expect(grow(PAGE + 8, PAGE + 8)).toBe(PAGE + 8);
    expect(pages()).toBe(2);
  });
});
