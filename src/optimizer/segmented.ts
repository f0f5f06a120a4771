/**
 * An append-only list kept in fixed-size segments, for the chained driver's per-op tables that
 * grow with the trace (its output's ops, their operands and their exits, and the Vals its
 * common-subexpression table files).
 *
 * Why not a plain array grown by push: past about 16,000 items a V8 array's backing store is a
 * large object, and each growth allocates a new one of 1.5 times the size, copies the old into
 * it and frees the old. Every growth touched fresh memory (a page fault per 4 KiB page) and
 * copied the list, and every pointer the list then held was a store from an old object into a
 * young one, recorded for the next scavenge. On a 100,000-op loop that made the output's pushes
 * a tenth of the optimization's time, and a tenth again of page faults. A segment stays a small
 * object: it is never copied to grow, and a large trace's lists cost what a small one's cost per
 * item.
 *
 * Not a general container: items are pushed and read by index, never removed.
 */
const SEGMENT_BITS = 10;
const SEGMENT_SIZE = 1 << SEGMENT_BITS;
const SEGMENT_MASK = SEGMENT_SIZE - 1;

export class SegmentedList<T> {
  private readonly segments: T[][] = [];
  // Stryker disable next-line ArrayDeclaration: replaced by the first push, before any read
  private last: T[] = [];
  length = 0;

  push(item: T): number {
    if ((this.length & SEGMENT_MASK) === 0) {
      // Stryker disable next-line ArrayDeclaration: the segment's slots are written before they are read
      this.last = new Array<T>(SEGMENT_SIZE);
      this.segments.push(this.last);
    }
    this.last[this.length & SEGMENT_MASK] = item;
    return this.length++;
  }

  /** Item k (0 <= k < length). */
  get(k: number): T {
    return this.segments[k >>> SEGMENT_BITS]![k & SEGMENT_MASK]!;
  }
}

/** The same for int32 numbers, in typed segments (nothing for the garbage collector to trace). */
export class SegmentedInt32List {
  private readonly segments: Int32Array[] = [];
  private last = new Int32Array(0);
  length = 0;

  push(item: number): number {
    if ((this.length & SEGMENT_MASK) === 0) {
      this.last = new Int32Array(SEGMENT_SIZE);
      this.segments.push(this.last);
    }
    this.last[this.length & SEGMENT_MASK] = item;
    return this.length++;
  }

  get(k: number): number {
    return this.segments[k >>> SEGMENT_BITS]![k & SEGMENT_MASK]!;
  }
}
