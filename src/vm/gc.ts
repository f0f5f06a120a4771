/**
 * collect: a Cheney copying collection of the guest heap, from the roots the interpreter hands
 * over, into the other semispace; grows the semispaces when the live data fills half of one.
 *
 * Why copying: the guest allocates boxes at a furious rate and almost all die young (f allocates
 * four per iteration and keeps none), so the cost should follow the live data, not the garbage;
 * and a bump pointer in one contiguous free range is what compiled traces can use inline.
 * Iterative: the scan pointer walks the to-space (Cheney's queue), never recursing on depth.
 * The copying itself runs as WebAssembly (gc-code.ts): this file decides when and where to.
 *
 * Pre: every ref held by the interpreter is in a root array (frames' locals and value stacks,
 *      globals, constants and class attributes): the collection runs only at safepoints, between
 *      bytecodes (proofs-notes/vm-heap.md). Every ref in the heap points at a cell's start in the
 *      current semispace, or at an immortal cell below HEAP_BASE.
 * Post: the roots and the cells point at copies of exactly the cells reachable from the roots,
 *      packed at the start of the new current semispace; [hp, limit) is free, and
 *      `limit - hp >= need + heap.reserveBytes` (or HeapExhausted was thrown).
 *
 * Before: roots [A]; heap A -> B, C (garbage) -> A.   After: roots [A'], heap A' -> B'; C is gone.
 */
import { copyCells } from './gc-code.ts';
import { HEAP_BASE, type Heap, HeapExhausted } from './heap.ts';
/** Cells scanned per call of the WebAssembly collector (gc-code.ts says why it returns). */
const CELLS_PER_CALL = 1 << 15;

/** A root array and the index range [from, to) of its live refs. */
export interface RootRange {
  readonly refs: Int32Array;
  readonly from: number;
  readonly to: number;
}

export function collect(heap: Heap, roots: readonly RootRange[], need = 0): void {
  const before = heap.semispace;
  // A heap that the last collection had to grow is likely still growing (a structure being
  // built): copy straight into a larger space rather than into the other one and then once more
  // into a larger one. linked_list.py and float_points.py copy half as much with this. A guess
  // that was wrong costs memory, not a copy: the next collection goes back to the rule below.
  if (heap.grewLastCollection && growthOf(heap) !== null) growInto(heap, roots, growthOf(heap)!);
  else copyAll(heap, roots, heap.otherStart, heap.semispace);
  // Grow while the live data takes more than half a semispace or the request does not fit: by
  // 4 while that stays within the limit, else by 2. Fewer, larger steps copy less in all (a
  // third less for linked_list.py and float_points.py at their bench sizes than steps of 2) for
  // at most twice the memory.
  while (heap.hp - heap.spaceStart > heap.semispace / 2 || heap.limit - heap.hp < need + heap.reserveBytes) {
    const next = growthOf(heap);
    if (next === null) {
      if (heap.limit - heap.hp < need + heap.reserveBytes) throw new HeapExhausted('the heap is full');
      break;
    }
    growInto(heap, roots, next);
  }
  heap.grewLastCollection = heap.hp - heap.spaceStart > before / 2;
  heap.setSoftLimit();
}

/** The next semispace size (4 or 2 times the current one), or null past the heap's limit. */
function growthOf(heap: Heap): number | null {
  const next = 4 * heap.semispace <= heap.maxSemispace ? 4 * heap.semispace : 2 * heap.semispace;
  return next > heap.maxSemispace ? null : next;
}

/**
 * Copies the live data into a semispace of `next` bytes. Spaces are [BASE, BASE+S) and
 * [BASE+S, BASE+2S); the grown pair is [BASE, BASE+N) and [BASE+N, BASE+2N) for N = 4S or 2S,
 * the new current space beyond both old ones.
 */
function growInto(heap: Heap, roots: readonly RootRange[], next: number): void {
  const to = HEAP_BASE + next;
  heap.ensureMemory(to + next);
  copyAll(heap, roots, to, next);
  heap.otherStart = HEAP_BASE;
}

/**
 * Copies the cells reachable from `roots` into [toStart, toStart + toSize) with the collector's
 * WebAssembly code (gc-code.ts), which wants the roots and the class table in memory: they are
 * written past both semispaces, where no cell lies, and read back from there.
 */
function copyAll(heap: Heap, roots: readonly RootRange[], toStart: number, toSize: number): void {
  heap.collections++;
  const classes = heap.classes;
  let rootCount = 0;
  for (const r of roots) rootCount += r.to - r.from;
  let offsetWords = 0;
  for (let t = 1; t < classes.length; t++) offsetWords += 1 + classes[t]!.refOffsets.length;
  const meta = Math.max(heap.spaceStart + heap.semispace, toStart + toSize);
  const offsetsAt = meta + 8 * classes.length;
  const rootsAt = offsetsAt + 4 * offsetWords;
  heap.ensureMemory(rootsAt + 4 * rootCount);
  const i32 = heap.i32;
  // The class table: size and ref offsets per class id (gc-code.ts says the layout).
  let p = offsetsAt >> 2;
  for (let t = 1; t < classes.length; t++) {
    const { size, refOffsets } = classes[t]!;
    i32[(meta >> 2) + 2 * t] = size;
    i32[(meta >> 2) + 2 * t + 1] = p << 2;
    i32[p++] = refOffsets.length;
    i32.set(refOffsets, p);
    p += refOffsets.length;
  }
  let at = rootsAt >> 2;
  for (const { refs, from, to } of roots) {
    i32.set(refs.subarray(from, to), at);
    at += to - from;
  }
  i32[meta >> 2] = toStart;
  i32[(meta >> 2) + 1] = toStart;
  const copy = copyCells(heap.memory);
  for (let first = true; copy(first ? rootsAt : 0, first ? rootCount : 0, meta, CELLS_PER_CALL) === 0; first = false);
  const free = i32[meta >> 2]!;
  at = rootsAt >> 2;
  for (const { refs, from, to } of roots) {
    refs.set(i32.subarray(at, at + to - from), from);
    at += to - from;
  }
  const oldStart = heap.spaceStart;
  heap.spaceStart = toStart;
  heap.otherStart = oldStart;
  heap.semispace = toSize;
  heap.hp = free;
  heap.limit = toStart + toSize;
}
