/**
 * The copying loop of the collector (gc.ts) as a WebAssembly function over the shared memory:
 * Cheney's algorithm, the roots first, then the scan pointer chasing the free pointer through
 * the to-space.
 *
 * Why WebAssembly rather than JavaScript: a program collects a handful of times (linked_list.py
 * six times in all), so a JavaScript collector ran almost entirely in V8's interpreter, its
 * optimized code arriving in the middle of the last collection; copying 13 MB took 40-100 ms,
 * over half of a JIT run's time. WebAssembly is machine code from its first call.
 *
 *   collect(roots, rootCount, meta, budget) -> done (1) or not (0)
 *
 * `roots`: rootCount i32 refs, each replaced by its copy's address. `meta`: the free and scan
 * pointers at meta + 0 and meta + 4 (both the to-space's start before the first call, the free
 * pointer's end value after the last), then the class table, written by the host before the
 * first call (gc.ts): for class id t >= 1, the word at meta + 8t is the class's size in bytes
 * and the word at meta + 8t + 4 the address of its ref offsets, a count followed by that many
 * byte offsets. Arrays and chars cells are known by their negative tags (heap.ts).
 *
 * A call scans at most `budget` cells and says whether the scan is done; the host calls again
 * (with no roots) until it is. V8 replaces a WebAssembly function's baseline code by optimized
 * code only between calls, and a program collects a few times in all: one call per collection
 * would copy megabytes in baseline code.
 *
 * Pre and Post are collect's (gc.ts); in addition the roots and the class table lie outside both
 * semispaces, and every cell's size is a multiple of 8 (cells are whole 8-byte slots), so a copy
 * moves whole i64 words.
 */
import { encodeModule, type FuncType } from '../wasm/encoder.ts';
import { wasmApi, type WasmMemory } from '../wasm/engine.ts';
import { BinarySink, type CodeSink } from '../wasm/instructions.ts';
import { CHARS_TAG, FORWARDED_TAG, HEAP_BASE, TAG_REF_ARRAY } from './heap.ts';

/** The collector's entry point: 1 when the scan is done, 0 when it stopped for the budget. */
export type CopyCells = (roots: number, rootCount: number, meta: number, budget: number) => number;

// Parameters and locals of `collect`.
const ROOTS = 0;
const ROOT_COUNT = 1;
const META = 2;
const BUDGET = 3;
const FREE = 4;
const K = 5;
const A = 6;
const TAG = 7;
const SIZE = 8;
const SCAN = 9;
const N = 10;
const P = 11;
const FIELD = 12;
/** copyA's own: the size of the cell it copies and the offset of the word it moves. */
const CELL_SIZE = 13;
const WORD = 14;
const LOCAL_COUNT = 15 - 4;

// Small shapes the code below repeats.
const get = (c: CodeSink, local: number) => c.local('local.get', local);
const set = (c: CodeSink, local: number) => c.local('local.set', local);
/** local += by (a constant or, with `byLocal`, another local). */
function increment(c: CodeSink, local: number, by: number, byLocal = false): void {
  get(c, local);
  if (byLocal) get(c, by);
  else c.i32Const(by);
  c.op('i32.add');
  set(c, local);
}
/** `while (index < bound) body` over locals (unsigned); in `body`, br 1 leaves the loop. */
function whileBelow(c: CodeSink, index: number, bound: number, body: () => void): void {
  c.block('block');
  c.block('loop');
  get(c, index);
  get(c, bound);
  c.op('i32.ge_u');
  c.br('br_if', 1);
  body();
  c.br('br', 0);
  c.end();
  c.end();
}
/** The address of class `TAG`'s entry in the class table, on the stack. */
function classEntry(c: CodeSink): void {
  get(c, META);
  get(c, TAG);
  c.i32Const(3);
  c.op('i32.shl');
  c.op('i32.add');
}

/** Size in bytes of the array or chars cell at A (tag in TAG, < 0), on the stack. */
function sizeOfArrayCell(c: CodeSink): void {
  // chars: 8 + ((2n + 7) & ~7); arrays: 8 + 8n.
  get(c, TAG);
  c.i32Const(CHARS_TAG);
  c.op('i32.eq');
  c.block('if', 'i32');
  get(c, A);
  c.mem('i32.load', 4);
  c.i32Const(1);
  c.op('i32.shl');
  c.i32Const(7);
  c.op('i32.add');
  c.i32Const(~7);
  c.op('i32.and');
  c.else();
  get(c, A);
  c.mem('i32.load', 4);
  c.i32Const(3);
  c.op('i32.shl');
  c.end();
  c.i32Const(8);
  c.op('i32.add');
}

/**
 * A := the address of A's copy, copying the cell there first unless it is below HEAP_BASE (null
 * and the immortal cells) or already forwarded.
 */
function copyA(c: CodeSink): void {
  get(c, A);
  c.i32Const(HEAP_BASE);
  c.op('i32.ge_u');
  c.block('if');
  get(c, A);
  c.mem('i32.load', 0);
  c.local('local.tee', TAG);
  c.i32Const(FORWARDED_TAG);
  c.op('i32.eq');
  c.block('if');
  // Forwarded: the gc word holds the copy's address.
  get(c, A);
  c.mem('i32.load', 4);
  set(c, A);
  c.else();
  // CELL_SIZE := the cell's size: the class table's for an object, else from its length.
  get(c, TAG);
  c.i32Const(0);
  c.op('i32.gt_s');
  c.block('if', 'i32');
  classEntry(c);
  c.mem('i32.load', 0);
  c.else();
  sizeOfArrayCell(c);
  c.end();
  set(c, CELL_SIZE);
  // Copy the words: WORD runs over the byte offsets 0, 8, .., CELL_SIZE - 8.
  c.i32Const(0);
  set(c, WORD);
  whileBelow(c, WORD, CELL_SIZE, () => {
    get(c, FREE);
    get(c, WORD);
    c.op('i32.add');
    get(c, A);
    get(c, WORD);
    c.op('i32.add');
    c.mem('i64.load', 0);
    c.mem('i64.store', 0);
    increment(c, WORD, 8);
  });
  // Leave the forwarding address behind, and take the copy's.
  get(c, A);
  c.i32Const(FORWARDED_TAG);
  c.mem('i32.store', 0);
  get(c, A);
  get(c, FREE);
  c.mem('i32.store', 4);
  get(c, FREE);
  set(c, A);
  increment(c, FREE, CELL_SIZE, true);
  c.end();
  c.end();
}

/** The slot at FIELD := its referent's copy. */
function copyField(c: CodeSink): void {
  get(c, FIELD);
  c.mem('i32.load', 0);
  set(c, A);
  copyA(c);
  get(c, FIELD);
  get(c, A);
  c.mem('i32.store', 0);
}

function emitCollect(c: CodeSink): void {
  get(c, META);
  c.mem('i32.load', 0);
  set(c, FREE);
  get(c, META);
  c.mem('i32.load', 4);
  set(c, SCAN);
  // The roots: FIELD runs over their addresses.
  get(c, ROOTS);
  set(c, FIELD);
  get(c, ROOTS);
  get(c, ROOT_COUNT);
  c.i32Const(2);
  c.op('i32.shl');
  c.op('i32.add');
  set(c, K);
  whileBelow(c, FIELD, K, () => {
    copyField(c);
    increment(c, FIELD, 4);
  });
  // The scan: every cell between SCAN and FREE has been copied, its refs not yet. At most
  // BUDGET cells per call.
  whileBelow(c, SCAN, FREE, () => {
    get(c, BUDGET);
    c.op('i32.eqz');
    c.br('br_if', 1);
    increment(c, BUDGET, -1);
    get(c, SCAN);
    c.mem('i32.load', 0);
    c.local('local.tee', TAG);
    c.i32Const(0);
    c.op('i32.gt_s');
    c.block('if');
    {
      // An object: zero its gc word, copy its ref fields (P runs over the class's offsets).
      get(c, SCAN);
      c.i32Const(0);
      c.mem('i32.store', 4);
      classEntry(c);
      c.local('local.tee', P);
      c.mem('i32.load', 0);
      set(c, SIZE);
      get(c, P);
      c.mem('i32.load', 4);
      c.local('local.tee', P);
      c.mem('i32.load', 0);
      c.i32Const(2);
      c.op('i32.shl');
      get(c, P);
      c.op('i32.add');
      set(c, N);
      whileBelow(c, P, N, () => {
        increment(c, P, 4);
        get(c, P);
        c.mem('i32.load', 0);
        get(c, SCAN);
        c.op('i32.add');
        set(c, FIELD);
        copyField(c);
      });
    }
    c.else();
    {
      // An array or chars cell: its size from its length (sizeOfArrayCell reads A and TAG).
      get(c, SCAN);
      set(c, A);
      sizeOfArrayCell(c);
      set(c, SIZE);
      get(c, TAG);
      c.i32Const(TAG_REF_ARRAY);
      c.op('i32.eq');
      c.block('if');
      // A ref array: copy each item's referent (items are 8-byte slots from offset 8).
      get(c, SCAN);
      c.i32Const(8);
      c.op('i32.add');
      set(c, FIELD);
      get(c, SCAN);
      get(c, SIZE);
      c.op('i32.add');
      set(c, K);
      whileBelow(c, FIELD, K, () => {
        copyField(c);
        increment(c, FIELD, 8);
      });
      c.end();
    }
    c.end();
    increment(c, SCAN, SIZE, true);
  });
  // Done or out of budget: store the pointers, and say whether the scan is done.
  get(c, META);
  get(c, FREE);
  c.mem('i32.store', 0);
  get(c, META);
  get(c, SCAN);
  c.mem('i32.store', 4);
  get(c, SCAN);
  get(c, FREE);
  c.op('i32.ge_u');
}

const COLLECT_TYPE: FuncType = { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] };

let compiled: { memory: WasmMemory; collect: CopyCells } | undefined;

/** The collector's code, compiled once per process against the shared memory. */
export function copyCells(memory: WasmMemory): CopyCells {
  if (compiled?.memory !== memory) {
    const code = new BinarySink();
    emitCollect(code);
    const bytes = encodeModule({
      types: [COLLECT_TYPE],
      imports: [{ module: 'env', name: 'memory', kind: 'memory', minPages: 1 }],
      functions: [{ type: 0, locals: Array.from({ length: LOCAL_COUNT }, () => 'i32' as const), code: code.out }],
      exports: [{ name: 'collect', func: 0 }],
    });
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    compiled = { memory, collect: instance.exports.collect as CopyCells };
  }
  return compiled.collect;
}
