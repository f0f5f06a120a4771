/**
 * What every trace module looks like apart from the trace's own code: its function types, its
 * imports, the function index of each piece, the parameters and fixed locals of `run`, and the
 * small helper functions the op rules call (total integer division, the multiply overflow test,
 * growing the heap), of which a module holds only those its `run` calls (fewer functions for the
 * engine to compile while a JIT waits). The helpers are written against `CodeSink`, so the WAT
 * dump shows them too.
 *
 *   run(entry: i32, fuel: i32, hp: i32, limit: i32) -> exit index
 *     entry 0 starts at op 0 with the inputs in the exchange slots; entry 1 resumes just after
 *     the loop header (label, or op 0) with the loop state in the exchange slots. `fuel` is the
 *     number of back-edges this call may take, `hp` the heap pointer, `limit` the end of the
 *     memory it may use. The result indexes the trace's exit table (emit.ts).
 */
import type { FuncType, Import } from './encoder.ts';
import type { CodeSink, ValType } from './instructions.ts';
import { PAGE } from './layout.ts';

export const TYPE = { escape: 0, run: 1, intBinary: 2, intPredicate: 3, grow: 4, floatUnary: 5, floatBinary: 6 } as const;

export const TYPES: readonly FuncType[] = [
  { params: ['i32', 'i32'], results: [] },
  { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] },
  { params: ['i64', 'i64'], results: ['i64'] },
  { params: ['i64', 'i64'], results: ['i32'] },
  { params: ['i32', 'i32'], results: ['i32'] },
  { params: ['f64'], results: ['f64'] },
  { params: ['f64', 'f64'], results: ['f64'] },
];

/**
 * `escape(site, hp)`: the host's escape, told which escape op called it and where the heap ends.
 * `float_pow`, `float_sin`, `float_cos`: the ops of those names, computed by the host (wasm has
 * no such instructions, and the ops are correctly rounded functions of src/ir/libm.ts).
 */
export const IMPORTS: readonly Import[] = [
  { module: 'env', name: 'memory', kind: 'memory', minPages: 1 },
  { module: 'env', name: 'escape', kind: 'func', type: TYPE.escape },
  { module: 'env', name: 'float_pow', kind: 'func', type: TYPE.floatBinary },
  { module: 'env', name: 'float_sin', kind: 'func', type: TYPE.floatUnary },
  { module: 'env', name: 'float_cos', kind: 'func', type: TYPE.floatUnary },
];

/** Parameter names of the imported functions, for the WAT dump. */
export const IMPORT_PARAMS: Readonly<Record<string, readonly string[]>> = {
  escape: ['site', 'hp'],
  float_pow: ['x', 'y'],
  float_sin: ['x'],
  float_cos: ['x'],
};

/**
 * Function indices: the imported functions, then `run`, then only the helpers `run` calls, in the
 * order it first calls them (`EmitContext.helper`), so a module carries no code it never runs.
 * (Keys in index order: the WAT dump names functions by them.)
 */
export const FUNC = { escape: 0, float_pow: 1, float_sin: 2, float_cos: 3, run: 4 } as const;
export const FIRST_HELPER = 5;

export type HelperName = 'floordiv' | 'mod' | 'mulOverflows' | 'grow';

/** Parameters and fixed locals of `run`; the trace's variables follow them. */
export const RUN_LOCALS = {
  entry: 0,
  fuel: 1,
  hp: 2,
  limit: 3,
  /** End of the memory usable without growing it (0 until the first allocation asks). */
  memEnd: 4,
  /** The overflow flag, set by `*_ovf` and read by the guard after it. */
  overflow: 5,
  /** Scratch: the length of the array being allocated. */
  length: 6,
} as const;
export const RUN_PARAM_COUNT = 4;
export const RUN_FIXED_LOCALS: readonly ValType[] = ['i32', 'i32', 'i32'];

export interface Helper {
  readonly name: HelperName;
  readonly type: number;
  readonly paramNames: readonly string[];
  readonly locals: readonly { readonly name: string; readonly type: ValType }[];
  readonly emit: (code: CodeSink) => void;
}

const MIN_I64 = -(1n << 63n);

/** Python `a // b`, total: 0 when b = 0, and MIN // -1 = MIN (i64.div_s would trap on both). */
function floordiv(c: CodeSink): void {
  const [a, b, q] = [0, 1, 2];
  c.local('local.get', b);
  c.op('i64.eqz');
  c.block('if');
  c.i64Const(0n);
  c.op('return');
  c.end();
  c.local('local.get', b);
  c.i64Const(-1n);
  c.op('i64.eq');
  c.block('if');
  c.i64Const(0n);
  c.local('local.get', a);
  c.op('i64.sub');
  c.op('return');
  c.end();
  c.local('local.get', a);
  c.local('local.get', b);
  c.op('i64.div_s');
  c.local('local.tee', q);
  // Truncation rounded toward zero; floor is one lower when the division was inexact and the
  // signs differ.
  c.local('local.get', a);
  c.local('local.get', q);
  c.local('local.get', b);
  c.op('i64.mul');
  c.op('i64.ne');
  c.local('local.get', a);
  c.local('local.get', b);
  c.op('i64.xor');
  c.i64Const(0n);
  c.op('i64.lt_s');
  c.op('i32.and');
  c.op('i64.extend_i32_u');
  c.op('i64.sub');
}

/** Python `a % b` (sign of b), total: 0 when b = 0 (i64.rem_s would trap) and MIN % -1 = 0. */
function mod(c: CodeSink): void {
  const [a, b, r] = [0, 1, 2];
  c.local('local.get', b);
  c.op('i64.eqz');
  c.block('if');
  c.i64Const(0n);
  c.op('return');
  c.end();
  c.local('local.get', a);
  c.local('local.get', b);
  c.op('i64.rem_s');
  c.local('local.tee', r);
  // The remainder has the sign of a; move it to the sign of b when it is nonzero and they differ.
  c.local('local.get', b);
  c.i64Const(0n);
  c.local('local.get', r);
  c.i64Const(0n);
  c.op('i64.ne');
  c.local('local.get', r);
  c.local('local.get', b);
  c.op('i64.xor');
  c.i64Const(0n);
  c.op('i64.lt_s');
  c.op('i32.and');
  c.op('select');
  c.op('i64.add');
}

/** 1 when a * b does not fit in 64 bits: (a * b) / a != b, with a = 0 and a = -1 apart. */
function mulOverflows(c: CodeSink): void {
  const [a, b] = [0, 1];
  c.local('local.get', a);
  c.op('i64.eqz');
  c.block('if');
  c.i32Const(0);
  c.op('return');
  c.end();
  c.local('local.get', a);
  c.i64Const(-1n);
  c.op('i64.eq');
  c.block('if');
  c.local('local.get', b);
  c.i64Const(MIN_I64);
  c.op('i64.eq');
  c.op('return');
  c.end();
  c.local('local.get', a);
  c.local('local.get', b);
  c.op('i64.mul');
  c.local('local.get', a);
  c.op('i64.div_s');
  c.local('local.get', b);
  c.op('i64.ne');
}

/**
 * Makes `need` bytes of memory usable, up to `limit`: returns the new usable end (the memory
 * size, capped at the limit), or 0 when that is impossible. Grows by doubling when it can,
 * else by exactly what is needed.
 */
function grow(c: CodeSink): void {
  const [need, limit, pages] = [0, 1, 2];
  const memoryBytes = () => {
    c.op('memory.size');
    c.i32Const(16);
    c.op('i32.shl');
  };
  c.local('local.get', need);
  c.local('local.get', limit);
  c.op('i32.gt_u');
  c.block('if');
  c.i32Const(0);
  c.op('return');
  c.end();
  c.local('local.get', need);
  memoryBytes();
  c.op('i32.gt_u');
  c.block('if');
  c.local('local.get', need);
  memoryBytes();
  c.op('i32.sub');
  c.i32Const(PAGE - 1);
  c.op('i32.add');
  c.i32Const(16);
  c.op('i32.shr_u');
  c.local('local.tee', pages);
  // max(pages, memory.size): at least double
  c.op('memory.size');
  c.local('local.get', pages);
  c.op('memory.size');
  c.op('i32.gt_u');
  c.op('select');
  c.op('memory.grow');
  c.i32Const(-1);
  c.op('i32.eq');
  c.block('if');
  c.local('local.get', pages);
  c.op('memory.grow');
  c.i32Const(-1);
  c.op('i32.eq');
  c.block('if');
  c.i32Const(0);
  c.op('return');
  c.end();
  c.end();
  c.end();
  // min(memory bytes, limit), unsigned
  memoryBytes();
  c.local('local.get', limit);
  memoryBytes();
  c.local('local.get', limit);
  c.op('i32.lt_u');
  c.op('select');
}

export const HELPERS: Readonly<Record<HelperName, Helper>> = {
  floordiv: { name: 'floordiv', type: TYPE.intBinary, paramNames: ['a', 'b'], locals: [{ name: 'q', type: 'i64' }], emit: floordiv },
  mod: { name: 'mod', type: TYPE.intBinary, paramNames: ['a', 'b'], locals: [{ name: 'r', type: 'i64' }], emit: mod },
  mulOverflows: { name: 'mulOverflows', type: TYPE.intPredicate, paramNames: ['a', 'b'], locals: [], emit: mulOverflows },
  grow: { name: 'grow', type: TYPE.grow, paramNames: ['need', 'limit'], locals: [{ name: 'pages', type: 'i32' }], emit: grow },
};
