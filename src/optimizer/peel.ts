/**
 * peel: loop peeling, so that objects crossing the jump are never allocated (the paper's
 * section 5) and the loop is specialized to the types it was recorded with.
 *
 * The input loop's first iteration becomes the *preamble*: it is optimized by virtualize from
 * the entry state (the boxed objects the interpreter has, paper Figure 7). Its end state says
 * what the loop arguments are: some are virtuals. The `label` that follows takes as arguments
 * the loop's live values with every virtual that crosses the jump *exploded into its fields*
 * (peel-state.ts: the label's virtual state), and carries an exit that rebuilds the original,
 * boxed loop arguments from them. The *body* is the loop's iteration again, optimized by
 * virtualize from that virtual state, so the objects it receives are virtuals whose fields are
 * the label's arguments: their guard_class, getfield and setfield vanish (paper Figure 6). It
 * ends in a `jump` to the label if its own end state fits the label's state (closeLoop).
 *
 * Why this design. The paper's "jump shifting" moves the jump above the allocations, which
 * works only when every iteration produces the same virtual state; PyPy's unroll.py instead
 * optimizes the preamble, exports its end state, imports it as the label's VirtualState
 * (virtualstate.py), optimizes the body under it and, at the jump, checks that the body's state
 * is covered by the label's, else it jumps to the preamble or retraces. We have no preamble to
 * jump back to (a jump goes to the label), so a misfit *generalizes* the label's state instead:
 * each virtual the body does not reproduce (another class, another shape, forced by an escape
 * or by a parameter that reaches it, one object where the state has two or the reverse, a
 * constant or an alias the body does not keep) is forced at the end of the preamble, becomes
 * one label argument, and is forced by the body at the jump; then the body is optimized again.
 * Generalization only grows (the forced set of preamble virtuals), so after at most
 * MAX_GENERALIZATIONS rounds every virtual loop argument is forced (the plain, unspecialized
 * peel), which always fits except for a top-level constant or alias of the preamble's jump that
 * the body does not keep (`jump(p0, p0)` once, different values after); those cannot be label
 * arguments (the label takes distinct variables and the IR has no copy op), and peel returns
 * its input unchanged. Not peel's: PyPy's short preamble (reusing the preamble's pure ops and
 * heap reads in the body). Peel trusts nothing the preamble proved about non-virtual values;
 * the passes after it do, for values the back-edge does not rebind (proofs-notes/loops.md):
 * fold keeps the facts of invariant values and shares pure ops computed on them, heapcache keeps
 * the reads of invariant objects the loop never writes. The body refers to those preamble values
 * directly (only label arguments are rebound), so no extra label argument is needed; the
 * guard_class in the body of a loop whose object changes class stays, and exits there.
 *
 * Rules any edit must keep (argued in proofs-notes/peel.md):
 *  P1  The preamble is the input's iteration optimized from the entry state, then the forcing
 *      of the generalized virtuals: every exit in it is the input's exit of iteration 1.
 *  P2  The label's exit rebuilds the input's jump arguments from the label's state; its values
 *      mention only label arguments and constants (the back-edge rebinds exactly those).
 *  P3  The body is optimized from the label's state and nothing else: every input is what the
 *      state says (a parameter, a constant or a node), no fact of the preamble is imported.
 *  P4  The jump closes the loop only when closeLoop finds the body's end state an instance of
 *      the label's: parameters := the bindings (virtuals forced at the jump), nodes paired
 *      one-to-one with same-shaped body virtuals, constants equal.
 *  P5  Guards keep their input ids (each id appears in the preamble and in the body).
 *  P6  Input traces that end in `finish` or already contain a label are returned unchanged.
 *
 * Variables: the preamble keeps the input's names; the body's copy of input variable `x` is
 * `x_k`, with one k ≥ 1 for the whole trace chosen so that no name clashes (`i4_1`).
 *
 * Pre:  the trace validates.
 * Post: the trace validates; either it is the input, or it is preamble, label, body, jump, where
 *       the preamble is virtualize's output for one iteration (up to forcings moved to its end)
 *       and the body allocates no more than virtualize's output for the unpeeled loop; on every
 *       run without undefined behaviour, and for every fuel, it has the input's outcome.
 *
 * Before:                                     After:
 *   [p0]                                        [p0]
 *   guard_class(p0, BoxedInteger) [p0]          guard_class(p0, BoxedInteger) [p0]
 *   i1 = getfield(p0, intval)                   i1 = getfield(p0, intval)
 *   i2 = int_sub(i1, 1)                         i2 = int_sub(i1, 1)
 *   p3 = new(BoxedInteger)                      guard_true(i2) [$0] with $0 = BoxedInteger{intval: i2}
 *   setfield(p3, intval, i2)                    label(i2) [$0] with $0 = BoxedInteger{intval: i2}
 *   guard_true(i2) [p3]                         i2_1 = int_sub(i2, 1)
 *   jump(p3)                                    guard_true(i2_1, id=1) [$0] with $0 = BoxedInteger{intval: i2_1}
 *                                               jump(i2_1)
 *
 * Proof notes: proofs-notes/peel.md.
 */
import { type Arg, mkOp, type Op, type Trace, v } from '../ir/index.ts';
import { bodyEntry, closeLoop, labelExit, loopState } from './peel-state.ts';
import { type AbstractState, entryState, type Forcing, type Known, type VirtualizeContext, Virtualizer, virtualizeOps } from './virtualize.ts';

/** Why peel allocates a loop argument at the end of the preamble and at the jump. */
export const PEEL_GENERALIZED =
  'it crosses the jump where the label expects an allocated object: the loop cannot carry it as a virtual from one iteration to the next (its class, shape or aliasing differs between iterations, or some iteration forces it)';

/** Rounds of generalization before every virtual loop argument is forced at the label. */
export const MAX_GENERALIZATIONS = 4;

export function peel(trace: Trace): Trace {
  return peelWith(trace, closeLoop);
}

/**
 * `peel` with the test of the body's jump against the label's state given: the seam through which
 * test/broken-optimizers/peel-*.ts build deliberately wrong variants. Nothing in src/ passes
 * anything but closeLoop.
 */
export function peelWith(trace: Trace, close: typeof closeLoop): Trace {
  return peelReport(trace, close).trace;
}

/**
 * What peel did and why: the trace, and every allocation it had to make, in the preamble and in
 * the body. A forcing's index is the input op that caused it (preamble and body are both the
 * input's iteration, so the indices are the input's), or -1 for a virtual forced because the
 * body does not keep it in the label's state (generalization). explain.ts reads this.
 */
export interface PeelReport {
  readonly trace: Trace;
  readonly preambleForcings: readonly Forcing[];
  readonly bodyForcings: readonly Forcing[];
  /** Why peel gave up (the jump never fits the label's state), or null. */
  readonly rejected: string | null;
}

export function peelReport(trace: Trace, close: typeof closeLoop = closeLoop): PeelReport {
  const unchanged = { trace, preambleForcings: [], bodyForcings: [], rejected: null };
  const jump = trace.ops[trace.ops.length - 1]!;
  if (jump.name !== 'jump' || trace.ops.some((op) => op.name === 'label')) return unchanged;
  const iteration = trace.ops.slice(0, -1);
  const preamble = virtualizeOps(iteration, entryState(trace), contextOf(trace));
  const suffix = secondIterationSuffix(trace);
  const bodyName = (name: string) => name + suffix;

  let generalized = new Set<number>();
  for (let round = 0; ; round++) {
    const context = contextOf(trace);
    const toForce: Known[] =
      round < MAX_GENERALIZATIONS ? [...generalized].map((id) => ({ kind: 'vref', id })) : jump.args.map((a) => resolve(preamble.end, a));
    const entered = force(toForce, preamble.end, context);
    const state = loopState(
      jump.args.map((a) => resolve(entered.end, a)),
      entered.end.heap,
    );
    // The body is the iteration again, its results renamed as they are emitted; its env is
    // keyed by the input's names, so the jump's arguments resolve as they are written.
    const run = virtualizeOps(iteration, bodyEntry(state, trace.inputs), { ...context, resultName: bodyName });
    const closing = close(
      state,
      run.end.heap,
      jump.args.map((a) => resolve(run.end, a)),
    );
    if (closing.kind === 'fails') return { ...unchanged, rejected: closing.why };
    if (closing.kind === 'generalize') {
      generalized = new Set([...generalized, ...closing.origins]);
      continue;
    }
    const back = force(closing.bindings, run.end, context);
    const label = mkOp('label', state.params.map(v), { exit: labelExit(state, trace.classes) });
    const ops: Op[] = [...preamble.ops, ...entered.ops, label, ...run.ops, ...back.ops, mkOp('jump', back.args)];
    return {
      trace: { ...trace, ops },
      preambleForcings: [...preamble.forcings, ...entered.forcings],
      bodyForcings: [...run.forcings, ...back.forcings],
      rejected: null,
    };
  }
}

function contextOf(trace: Trace): VirtualizeContext {
  return { classes: trace.classes };
}

function resolve(state: AbstractState, arg: Arg): Known {
  return arg.kind === 'var' ? state.env.get(arg.name)! : arg;
}

/** Allocates the virtuals among `values` (and what they reach) at the end of `state`. */
function force(values: readonly Known[], state: AbstractState, context: VirtualizeContext) {
  // Forcing reads and writes only the heap: the env is neither copied nor changed. The
  // virtualizer is given no ops: forcing calls `residual`, never `run`.
  // Stryker disable next-line ArrayDeclaration: the ops given are never run (see above)
  const run = new Virtualizer([], { env: EMPTY_ENV, heap: state.heap }, context);
  const cause = { index: -1, why: PEEL_GENERALIZED } as const;
  const args = values.map((known) => run.residual(known, cause));
  return { ops: run.out, end: { env: state.env, heap: run.heap }, args, forcings: run.forcings };
}

const EMPTY_ENV: ReadonlyMap<string, Known> = new Map();

/**
 * How a peeled body names what the loop's iteration defines: `x` -> `x_k`, one k for the trace,
 * the smallest for which no result `x` has a name `x_k` among the trace's names (inputs keep
 * their names: the body's start state says what they are). Only names with an underscore can
 * clash, so only those are split (most traces have none: no string is built per op). Used by
 * peel, the chained driver and explain, which maps a body's names back to the input's.
 */
/**
 * `x_k`: x is everything before the last underscore, k the digits after it. One object for every
 * call (a literal in the function would be a new RegExp per name). No `^`: the leftmost match of
 * the greedy `.+` starts at 0 anyway.
 */
const SUFFIXED_NAME = /(.+)_([0-9]+)$/;

export function secondIterationSuffix(trace: Trace): string {
  // Stryker disable all: a fast path for the traces with no underscored name, for which the
  // general path below also answers `_1` (no name splits as x_k); a mutant here changes the speed
  // only, or breaks the loop outright, which every peeled trace shows
  const underscored = (name: string) => name.includes('_');
  let any = trace.inputs.some((i) => underscored(i.name));
  for (let k = 0; k < trace.ops.length && !any; k++) {
    const result = trace.ops[k]!.result;
    any = result !== null && underscored(result);
  }
  if (!any) return '_1';
  // Stryker restore all
  const results = new Set<string>();
  // Stryker disable next-line ConditionalExpression: a null in the set is never looked up (x is a string)
  for (const op of trace.ops) if (op.result !== null) results.add(op.result);
  const clashing = new Set<number>();
  const see = (name: string) => {
    const split = SUFFIXED_NAME.exec(name);
    if (split !== null && results.has(split[1]!)) clashing.add(Number(split[2]));
  };
  for (const input of trace.inputs) see(input.name);
  for (const name of results) see(name);
  let k = 1;
  while (clashing.has(k)) k++;
  return `_${k}`;
}
