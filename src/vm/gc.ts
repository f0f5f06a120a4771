/**
 * collect: a Cheney copying collection of the guest heap, from the roots the interpreter hands
 * over, into the other semispace; grows the semispaces when the live data fills half of one.
 *
 * Why copying: the guest allocates boxes at a furious rate and almost all die young (f allocates
 * four per iteration and keeps none), so the cost should follow the live data, not the garbage;
 * and a bump pointer in one contiguous free range is what compiled traces can use inline.
 * Iterative: the scan pointer walks the to-space (Cheney's queue), never recursing on depth.
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
import * as H from './heap.ts';
import { Heap, HeapExhausted, cellSize } from './heap.ts';
// Local copies: an imported binding is a live-binding access on every use (a getter under
// the TS loaders); these are read in the hottest paths.
const CHARS_TAG = H.CHARS_TAG;
const FORWARDED_TAG = H.FORWARDED_TAG;
const HEAP_BASE = H.HEAP_BASE;
const TAG_REF_ARRAY = H.TAG_REF_ARRAY;
/** Cells up to this many bytes are copied word by word rather than by copyWithin. */
const SMALL_CELL = 128;

/** Calls `visit` on each root array with the index range [from, to) of its live refs. */
export type RootWalker = (visit: (refs: Int32Array, from: number, to: number) => void) => void;

export function collect(heap: Heap, roots: RootWalker, need = 0): void {
  copyAll(heap, roots, heap.otherStart, heap.semispace);
  // Grow while the live data takes more than half a semispace or the request does not fit: by
  // 4 while that stays within the limit, else by 2. Each growth copies the live data a second
  // time right after the first; a structure that keeps growing (a long list being built) pays
  // that at every growth, so fewer, larger steps copy less in all (a third less for
  // linked_list.py and float_points.py at their bench sizes) for at most twice the memory.
  while (heap.hp - heap.spaceStart > heap.semispace / 2 || heap.limit - heap.hp < need + heap.reserveBytes) {
    const next = 4 * heap.semispace <= heap.maxSemispace ? 4 * heap.semispace : 2 * heap.semispace;
    if (next > heap.maxSemispace) {
      if (heap.limit - heap.hp < need + heap.reserveBytes) throw new HeapExhausted('the heap is full');
      break;
    }
    // Spaces are [BASE, BASE+S) and [BASE+S, BASE+2S); the grown pair is [BASE, BASE+N) and
    // [BASE+N, BASE+2N) for N = 4S or 2S, the new current space beyond both old ones.
    const to = HEAP_BASE + next;
    heap.ensureMemory(to + next);
    copyAll(heap, roots, to, next);
    heap.otherStart = HEAP_BASE;
  }
  heap.setSoftLimit();
}

function copyAll(heap: Heap, roots: RootWalker, toStart: number, toSize: number): void {
  heap.collections++;
  const i32 = heap.i32;
  const u8 = heap.u8;
  let free = toStart;
  const copy = (a: number): number => {
    if (a < HEAP_BASE) return a; // null and the immortal cells
    const w = a >> 2;
    if (i32[w] === FORWARDED_TAG) return i32[w + 1]!;
    const size = cellSize(heap, a);
    const dest = free;
    // Cells are whole words (8-byte slots): a small one word by word, which costs a fraction of
    // a typed array's copyWithin call (most cells are boxes and instances of a few slots).
    if (size <= SMALL_CELL) {
      const d = dest >> 2;
      for (let k = 0; k < size >> 2; k++) i32[d + k] = i32[w + k]!;
    } else u8.copyWithin(dest, a, a + size);
    free += size;
    i32[w] = FORWARDED_TAG;
    i32[w + 1] = dest;
    return dest;
  };
  roots((refs, from, to) => {
    for (let k = from; k < to; k++) refs[k] = copy(refs[k]!);
  });
  let scan = toStart;
  while (scan < free) {
    const w = scan >> 2;
    const tag = i32[w]!;
    if (tag > 0) {
      i32[w + 1] = 0; // the gc word, zero outside a collection
      const offsets = heap.classes[tag]!.refOffsets;
      for (let k = 0; k < offsets.length; k++) {
        const f = (scan + offsets[k]!) >> 2;
        i32[f] = copy(i32[f]!);
      }
      scan += heap.classes[tag]!.size;
    } else if (tag === TAG_REF_ARRAY) {
      const n = i32[w + 1]!;
      for (let k = 0; k < n; k++) i32[w + 2 + 2 * k] = copy(i32[w + 2 + 2 * k]!);
      scan += 8 + 8 * n;
    } else {
      const n = i32[w + 1]!;
      scan += tag === CHARS_TAG ? 8 + ((2 * n + 7) & ~7) : 8 + 8 * n;
    }
  }
  const oldStart = heap.spaceStart;
  heap.spaceStart = toStart;
  heap.otherStart = oldStart;
  heap.semispace = toSize;
  heap.hp = free;
  heap.limit = toStart + toSize;
}
