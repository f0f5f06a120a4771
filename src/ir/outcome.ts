/**
 * What a run of a trace shows the world: the data every executor (the reference interpreter in
 * spec/, the wasm backend) produces and the equivalence check in spec/ compares.
 *
 * Object identity: the trace's prebuilt objects get ids 0, 1, … in declaration order, then the
 * objects of the input set the next ids in the order the input set describes them, in every
 * executor, so prebuilt and input objects keep their identity across runs. Objects allocated
 * during a run get any other ids; outcomes are compared up to a renaming of those.
 */
import type { Type } from './ops.ts';

export type RtValue =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'null' }
  | { readonly kind: 'ref'; readonly id: number };

export type HeapCell =
  | { readonly kind: 'object'; readonly cls: string; readonly fields: Readonly<Record<string, RtValue>> }
  | { readonly kind: 'array'; readonly elem: Type; readonly items: readonly RtValue[] };

/** A set of objects by id, as they were at one moment. Holds at least everything its roots reach. */
export type HeapView = ReadonlyMap<number, HeapCell>;

export type Exit =
  /** A guard failed; `guardId` is the id of the input trace's guard. */
  | { readonly kind: 'guard'; readonly guardId: number }
  | { readonly kind: 'finish' }
  /** The fuel ran out at a back-edge (label or jump); values are the original loop arguments. */
  | { readonly kind: 'fuel' }
  /** The run did something the IR leaves undefined (field of null, wrong class, out of bounds). */
  | { readonly kind: 'undefined'; readonly message: string }
  /** The executor could not finish the run (e.g. the wasm heap is full). Never equivalent to anything. */
  | { readonly kind: 'error'; readonly message: string };

export interface EscapeRecord {
  /** The call's arguments. */
  readonly args: readonly RtValue[];
  /** Everything they reached, as it was when the call was made. */
  readonly heap: HeapView;
}

export interface Outcome {
  readonly exit: Exit;
  /** Fail args, finish args, or the (rebuilt, original) loop arguments at a fuel exit. */
  readonly values: readonly RtValue[];
  /** One record per `escape` call, in order. */
  readonly escapes: readonly EscapeRecord[];
  /** The input arguments, for finding the final heap's roots. */
  readonly inputArgs: readonly RtValue[];
  /**
   * The heap at the end: at least everything reachable from `values`, `inputArgs`, the prebuilt
   * objects and every escape's args, with the contents it has at the end of the run.
   */
  readonly finalHeap: HeapView;
  /**
   * How many objects existed before the run (the prebuilt objects and the input set's objects):
   * ids below this count keep their identity across executors; every other id is an allocated
   * object, compared up to renaming. The equivalence check needs it from at least one side.
   */
  readonly inputObjectCount?: number;
  /**
   * The names of the trace's prebuilt objects, whose ids are 0, 1, … in this order (absent: none).
   * They are roots of the final heap, like the input args.
   */
  readonly prebuilt?: readonly string[];
  /** The iteration the run ended in (1 + back-edges taken), when the executor counts them. */
  readonly iterations?: number;
}
