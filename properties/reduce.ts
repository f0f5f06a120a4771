/**
 * A trace reducer: makes a failing trace smaller while it still fails, in the manner of
 * C-Reduce or LLVM's bugpoint, after fast-check's own shrinking has done what it can.
 *
 * Why: fast-check shrinks the *recipes* a trace is built from, greedily, and stops in a local
 * minimum that depends on the seed: the same broken pass gives a 6-op counterexample on one seed
 * and a 17-op one on another. The reducer works on the trace itself, where deleting one op is one
 * step, so what it returns no longer depends on where the search started: no op, input set or
 * fail arg of the result can be removed (by the moves below) without the failure going away.
 *
 * Moves, tried in rounds until a round changes nothing (or the budget of tries runs out):
 *  - keep a single input set;
 *  - delete an op (an `*_ovf` op together with its guard), every use of its result replaced by
 *    the type's zero (0, 0.0, null), or else by an input or an earlier result of the same type;
 *  - empty a guard's fail args;
 *  - finish with no values;
 *  - drop a prebuilt object nothing mentions.
 * Every candidate is derived with editTrace (immer): it shares the ops it does not change with
 * the trace it comes from, and is frozen, so no move can edit a trace another candidate holds.
 * A candidate counts only if it validates and `fails` still holds. What "fails" means is the
 * caller's: a difference between a transform and the reference, a broken emitter's wrong
 * answer. The reduced trace may fail differently from the original (as with any reducer): the
 * caller reports the difference the reduced trace shows.
 */
import { type Arg, asDraft, editTrace, type Op, opInfo, type Trace, typeOfVar, validate, zeroOf } from '../src/ir/index.ts';
import { mapOperands } from '../src/optimizer/rewrite.ts';

/** Candidates tried at most: every try runs `fails`, so this bounds the reducer's time. */
export const REDUCE_BUDGET = 3000;

export function reduceTrace(trace: Trace, fails: (candidate: Trace) => boolean, budget = REDUCE_BUDGET): Trace {
  let best = trace;
  let tries = 0;
  const accept = (candidate: Trace): boolean => {
    if (tries >= budget) return false;
    tries++;
    try {
      validate(candidate);
    } catch {
      return false;
    }
    if (!fails(candidate)) return false;
    best = candidate;
    return true;
  };

  for (let changed = true; changed && tries < budget; ) {
    changed = false;
    if (best.inputSets.length > 1) {
      for (const set of best.inputSets) {
        if (accept(editTrace(best, (draft) => void (draft.inputSets = [asDraft(set)])))) {
          changed = true;
          break;
        }
      }
    }
    // Back to front: deleting a late op never invalidates an earlier one, so more deletions stick.
    for (let index = best.ops.length - 2; index >= 0; index--) {
      if (index > best.ops.length - 2) continue;
      for (const candidate of withoutOp(best, index)) {
        if (accept(candidate)) {
          changed = true;
          break;
        }
      }
    }
    for (let index = 0; index < best.ops.length; index++) {
      const op = best.ops[index]!;
      if (!opInfo(op.name).effects.exits || !op.exit || op.exit.values.length === 0) continue;
      if (accept(replaceOp(best, index, { ...op, exit: { values: [], virtuals: [] } }))) changed = true;
    }
    const last = best.ops[best.ops.length - 1]!;
    if (last.name === 'finish' && last.args.length > 0 && accept(replaceOp(best, best.ops.length - 1, { ...last, args: [] }))) changed = true;
    // Prebuilt objects nothing mentions any more (the validator refuses to drop one still named).
    for (const object of [...(best.prebuilt ?? [])].reverse()) {
      const kept = (best.prebuilt ?? []).filter((o) => o !== object);
      const candidate = editTrace(best, (draft) => {
        if (kept.length > 0) draft.prebuilt = asDraft(kept);
        else delete draft.prebuilt;
      });
      if (accept(candidate)) changed = true;
    }
  }
  return best;
}

function replaceOp(trace: Trace, index: number, op: Op): Trace {
  return editTrace(trace, (draft) => void (draft.ops[index] = asDraft(op)));
}

/** The trace without op `index` (and its overflow guard), its result replaced in every use. */
function* withoutOp(trace: Trace, index: number): Iterable<Trace> {
  const op = trace.ops[index]!;
  // An overflow guard goes with its op, never alone.
  if ((op.name === 'guard_no_overflow' || op.name === 'guard_overflow') && index > 0 && opInfo(trace.ops[index - 1]!.name).effects.overflow === true) return;
  const span = opInfo(op.name).effects.overflow ? 2 : 1;
  // The ops after it are substituted as whole ops (mapOperands), not edited through the draft.
  const rest = (replace: (arg: Arg) => Arg): Trace =>
    editTrace(trace, (draft) => void draft.ops.splice(index, draft.ops.length - index, ...trace.ops.slice(index + span).map((o) => asDraft(mapOperands(o, replace)))));
  if (op.result === null) {
    yield rest((arg) => arg);
    return;
  }
  const name = op.result;
  const type = typeOfVar(name);
  const sameType = [
    ...trace.inputs.map((input) => input.name),
    ...trace.ops.slice(0, index).flatMap((o) => (o.result === null ? [] : [o.result])),
  ].filter((other) => typeOfVar(other) === type);
  const replacements: Arg[] = [zeroOf(type), ...sameType.map((other): Arg => ({ kind: 'var', name: other }))];
  for (const by of replacements) yield rest((arg) => (arg.kind === 'var' && arg.name === name ? by : arg));
}
