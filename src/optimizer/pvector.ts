/**
 * A persistent vector: an immutable array indexed 0..size-1 whose `set` and `push` return a new
 * vector and leave the old one as it was.
 *
 * Why: `virtualize` keeps its abstract heap (virtual object id -> what is known about it) in one
 * of these, so that the state at any point of a trace — at each guard, at the end of a
 * preamble — is captured in O(1) by keeping a reference, and a later pass (loop peeling) can
 * continue from, or fork off, any captured state without copying it.
 *
 * How: Baker's rerooted persistent array ("shallow binding"; Conchon and Filliâtre, "A Persistent
 * Union-Find Data Structure", 2007). All versions share one plain array, which holds the contents
 * of exactly one of them, the *root*; every other version is a *diff*: "like version `next`, but
 * slot `index` holds `value`". Reading or writing the root is O(1) and allocates one small diff
 * per write. Using an older version first *reroots* the structure to it: the diffs between it
 * and the root are applied to the array, each inverted on the way, in time proportional to their
 * number. virtualize's use is almost linear (each write to the newest version); only loop
 * peeling goes back, a bounded number of times, to the state at the end of the preamble, and the
 * way back is as long as what was done since (a few forcings).
 *
 * Rejected: a 32-way bit-partitioned trie (Clojure's PersistentVector, what this file was
 * before): O(log32 n) per access, but every write copied one 32-slot node per level, which made
 * a tenth of the optimizer's time garbage collection. Immer: it copies the level it writes to,
 * O(n) per write on a flat heap.
 *
 * Not thread-safe (reading an old version writes the shared array): JavaScript has no shared
 * memory between the optimizer's callers, so that is moot here. Rerooting is a loop, not a
 * recursion: the chain of diffs can be as long as the trace.
 */

interface Version<T> {
  /** The shared array when this version is the root, else null. */
  arr: (T | undefined)[] | null;
  /** A diff: this version is `next` with slot `index` holding `value` (meaningless at the root). */
  index: number;
  value: T | undefined;
  next: Version<T> | null;
}

export class PVector<T> {
  private constructor(
    readonly size: number,
    private readonly version: Version<T>,
  ) {}

  static empty<T>(): PVector<T> {
    // Stryker disable next-line ArrayDeclaration: what the shared array holds past a version's size is never read (push overwrites slot size first)
    return new PVector<T>(0, { arr: [], index: 0, value: undefined, next: null });
  }

  get(index: number): T {
    if (!(index >= 0 && index < this.size)) throw new RangeError(`index ${index} out of range 0..${this.size - 1}`);
    return this.array()[index] as T;
  }

  set(index: number, value: T): PVector<T> {
    if (!(index >= 0 && index < this.size)) throw new RangeError(`index ${index} out of range 0..${this.size - 1}`);
    return new PVector(this.size, this.write(index, value));
  }

  push(value: T): PVector<T> {
    // The array may be longer than this version (a longer version shares it): slot `size` is
    // then overwritten, and the diff left behind restores it for that version.
    return new PVector(this.size + 1, this.write(this.size, value));
  }

  /** Makes this version the root (O(1) if it is already) and returns the shared array. */
  private array(): (T | undefined)[] {
    const v = this.version;
    // Stryker disable next-line ConditionalExpression: `false` cannot change the result: the walk below finds this version to be the root at once and returns the same array
    if (v.arr !== null) return v.arr;
    const path: Version<T>[] = [];
    let root: Version<T> = v;
    while (root.arr === null) {
      path.push(root);
      root = root.next!;
    }
    const arr = root.arr;
    // Walk back from the root towards this version, turning each step around.
    for (let k = path.length - 1; k >= 0; k--) {
      const diff = path[k]!;
      const old = arr[diff.index];
      arr[diff.index] = diff.value;
      root.arr = null;
      root.index = diff.index;
      root.value = old;
      root.next = diff;
      diff.arr = arr;
      diff.value = undefined;
      diff.next = null;
      root = diff;
    }
    return arr;
  }

  /** A new root version with slot `index` = `value`; this version becomes a diff to it. */
  private write(index: number, value: T): Version<T> {
    const arr = this.array();
    const v = this.version;
    const next: Version<T> = { arr, index: 0, value: undefined, next: null };
    v.arr = null;
    v.index = index;
    v.value = arr[index];
    v.next = next;
    arr[index] = value;
    return next;
  }
}
