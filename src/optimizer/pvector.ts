/**
 * A persistent vector: an immutable array indexed 0..size-1 whose `set` and `push` return a new
 * vector in O(log32 n) and share everything else with the old one.
 *
 * Why: `virtualize` keeps its abstract heap (virtual object id -> what is known about it) in one
 * of these, so that the state at any point of a trace — at each guard, at the end of a
 * preamble — is captured in O(1) by keeping a reference, and a later pass (loop peeling) can
 * continue from, or fork off, any captured state without copying it.
 *
 * Why not immer: `produce` shares structure between nesting levels, but copies the level it
 * writes to. A flat heap of n virtuals would be copied whole on every setfield (O(n) per op,
 * quadratic per trace); to get logarithmic updates the heap must be a tree anyway, and then
 * immer adds nothing but proxies on the hot path. This is the classic bit-partitioned trie
 * (Bagwell; Clojure's PersistentVector) without the tail optimization: 32-way nodes, path
 * copying on write, depth log32(n) (4 levels for a million entries).
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node<T> = readonly (Node<T> | T | undefined)[];

export class PVector<T> {
  private constructor(
    readonly size: number,
    /** Bits to shift an index right to get the slot in the root: BITS * (depth - 1). */
    private readonly shift: number,
    private readonly root: Node<T>,
  ) {}

  static empty<T>(): PVector<T> {
    return new PVector<T>(0, 0, []);
  }

  get(index: number): T {
    if (!(index >= 0 && index < this.size)) throw new RangeError(`index ${index} out of range 0..${this.size - 1}`);
    let node: Node<T> = this.root;
    for (let shift = this.shift; shift > 0; shift -= BITS) node = node[(index >>> shift) & MASK] as Node<T>;
    return node[index & MASK] as T;
  }

  set(index: number, value: T): PVector<T> {
    if (!(index >= 0 && index < this.size)) throw new RangeError(`index ${index} out of range 0..${this.size - 1}`);
    return new PVector(this.size, this.shift, setIn(this.root, this.shift, index, value));
  }

  push(value: T): PVector<T> {
    const capacity = 2 ** (this.shift + BITS);
    if (this.size < capacity) return new PVector(this.size + 1, this.shift, setIn(this.root, this.shift, this.size, value));
    // Full: the old root becomes the first child of a new, one level deeper root.
    const root: Node<T> = [this.root];
    return new PVector(this.size + 1, this.shift + BITS, setIn(root, this.shift + BITS, this.size, value));
  }
}

function setIn<T>(node: Node<T> | undefined, shift: number, index: number, value: T): Node<T> {
  const copy = node ? node.slice() : [];
  const slot = (index >>> shift) & MASK;
  copy[slot] = shift === 0 ? value : setIn(copy[slot] as Node<T> | undefined, shift - BITS, index, value);
  return copy;
}
