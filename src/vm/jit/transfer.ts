/**
 * A transfer: the words one compiled fragment leaves in the exchange slots moved to where the
 * next fragment reads its inputs (a guard's exit values into a bridge's inputs, a bridge's
 * `finish` args into its target loop's), planned once per pair of fragments and run at every
 * passage from one to the other, which is the hot path of a trace tree.
 *
 * Why a plan of moves: the exchange area is one, shared by every fragment, so most values
 * already sit where the next fragment reads them (the emitter numbers a trace's exit slots in
 * the order of its exit values, and a bridge's inputs follow that order): those moves are
 * dropped. The rest run in place when no move overwrites a word a later one reads, through a
 * scratch copy otherwise. A ref is one word (compiled code and the exits read refs as i32), an
 * int or a float two.
 *
 * Pre: sources are word indexes of the exchange slots, constants, or globals read when the
 * transfer runs. Post: after `run`, destination word d holds what its source held before `run`
 * (for every destination at once, as a parallel assignment).
 */
import type { Interpreter } from '../interpreter.ts';

/** Where a destination word's value comes from. */
export type Source =
  | { readonly kind: 'word'; readonly word: number }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'global'; readonly g: number };

const WORD = 0;
const CONST = 1;
const GLOBAL = 2;

export class Transfer {
  /** Triples (destination word, kind, source word, constant or global). */
  private readonly moves: Int32Array;
  /** True when the moves can run one after the other without a scratch copy. */
  private readonly inPlace: boolean;
  private scratch: Int32Array;

  /** `plan[k]`: destination word `dest[k]` gets `source[k]`. */
  constructor(dest: readonly number[], sources: readonly Source[]) {
    const triples: number[] = [];
    for (let k = 0; k < dest.length; k++) {
      const s = sources[k]!;
      if (s.kind === 'word' && s.word === dest[k]) continue;
      triples.push(dest[k]!, s.kind === 'word' ? WORD : s.kind === 'const' ? CONST : GLOBAL, s.kind === 'word' ? s.word : s.kind === 'const' ? s.value : s.g);
    }
    this.moves = Int32Array.from(triples);
    // In place when no move writes a word that a later move reads.
    let inPlace = true;
    const written = new Set<number>();
    for (let m = 0; m < triples.length; m += 3) {
      if (triples[m + 1] === WORD && written.has(triples[m + 2]!)) inPlace = false;
      written.add(triples[m]!);
    }
    this.inPlace = inPlace;
    this.scratch = new Int32Array(inPlace ? 0 : triples.length / 3);
  }

  run(vm: Interpreter): void {
    const i32 = vm.heap.i32;
    const globals = vm.globals;
    const moves = this.moves;
    const n = moves.length;
    if (this.inPlace) {
      for (let m = 0; m < n; m += 3) {
        const kind = moves[m + 1]!;
        const s = moves[m + 2]!;
        i32[moves[m]!] = kind === WORD ? i32[s]! : kind === CONST ? s : globals[s]!;
      }
      return;
    }
    const scratch = this.scratch;
    for (let m = 0, j = 0; m < n; m += 3, j++) {
      const kind = moves[m + 1]!;
      const s = moves[m + 2]!;
      scratch[j] = kind === WORD ? i32[s]! : kind === CONST ? s : globals[s]!;
    }
    for (let m = 0, j = 0; m < n; m += 3, j++) i32[moves[m]!] = scratch[j]!;
  }
}
