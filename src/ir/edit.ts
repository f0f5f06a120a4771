/**
 * The one way to derive a changed trace by hand: `editTrace(trace, draft => { … })`.
 *
 * Why immer: a hand edit (the reducer deleting an op, a test's variant of a golden, a user's own
 * experiment) reads best as a mutation of the trace, but the IR is immutable and passes rely on
 * it (pipeline.ts compares parts by identity). immer records the mutations on a draft and returns
 * a new trace that shares every part the edit did not touch, deeply frozen, so a later edit in
 * place fails loudly instead of changing a trace someone else holds. The input is left as it was
 * (frozen too: immer freezes what it shares).
 *
 * Not for passes: a pass builds its output op by op, which is linear already; a draft would only
 * add a proxy per touched op. Nor for the optimizer's abstract heap: pvector.ts says why a
 * persistent trie serves snapshots at every guard better.
 */
import { castDraft, type Draft, produce } from 'immer';
import type { Trace } from './trace.ts';

/** A trace while it is edited: every part writable. */
export type TraceDraft = Draft<Trace>;

/**
 * Puts an existing (readonly) part of a trace where a draft expects a writable one:
 * `draft.ops[k] = asDraft(op)`. Types only: immer takes plain values as they are.
 */
export const asDraft: <T>(value: T) => Draft<T> = castDraft;

export function editTrace(trace: Trace, edit: (draft: TraceDraft) => void): Trace {
  return produce(trace, (draft) => {
    edit(draft);
  });
}

/**
 * Whether traces handed between layers are frozen: in test runs (vitest sets VITEST), in
 * development (NODE_ENV=development), or when BOXLESS_FREEZE=1 asks; never otherwise, so that
 * the command and the benchmarks do not pay for it. A frozen trace makes a pass that edits its
 * input in place throw at the edit instead of corrupting a trace another layer still holds.
 */
export const FREEZE_TRACES: boolean =
  typeof process !== 'undefined' &&
  process.env.BOXLESS_FREEZE !== '0' &&
  (process.env.BOXLESS_FREEZE === '1' || process.env.VITEST !== undefined || process.env.NODE_ENV === 'development');
