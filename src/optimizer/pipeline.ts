/**
 * The optimizer pipeline: the passes by name (the names `boxless optimize --passes` takes) and
 * the one default order.
 *
 * `optimize` with the default pipeline runs the chained driver (chain.ts): the same passes' rules
 * as stages of one traversal, no rounds. Otherwise (another list, a user's pass, or a labelled
 * trace whose label the chain cannot keep) it runs the listed passes in order, and
 * runs the list again while a round still changes the trace (up to MAX_ROUNDS). Why rounds: the passes feed each other in both
 * directions (fold makes an array index constant, which lets virtualize keep the array virtual,
 * whose reads then fold further), and a fixpoint is what makes optimizing an optimized trace
 * change nothing. Every pass is linear and none grows the trace, and in practice the second
 * round only confirms the first, so the pipeline stays linear.
 *
 * Why a pass is not always run: every pass is a deterministic function of its input trace. A pass
 * whose output is exactly its input (same names, same everything) is recorded as returning its
 * input itself, and a pass given, in a later round, the very input it had in the round before
 * returns its output of then without running. In the usual confirming round only the first pass
 * still runs; the result is the same trace the full round would give.
 */
import { alphaEquivalent, deepFreeze, FREEZE_TRACES, type Trace, TraceError, validate } from '../ir/index.ts';
import { chainOptimizeLabelled } from './chain.ts';
import { dce } from './dce.ts';
import { fold } from './fold.ts';
import { heapcache } from './heapcache.ts';
import { intbounds } from './intbounds.ts';
import { peel, peelReport } from './peel.ts';
import { closeLoop } from './peel-state.ts';
import { virtualize } from './virtualize.ts';

/** A pass: a pure function from trace to trace (a user's own pass too). */
export type Pass = (trace: Trace) => Trace;

/** A pass in a pipeline: a name from PASSES, or the function itself (named by its `name`). */
export type PassSpec = string | Pass;

export const PASSES: Readonly<Record<string, Pass>> = { virtualize, peel, fold, heapcache, dce, intbounds };

/** What a pass is called in messages and in `afterPass`: its name, or its function's name. */
export function passName(pass: PassSpec): string {
  return typeof pass === 'string' ? pass : pass.name || 'an unnamed pass';
}

export const DEFAULT_PIPELINE: readonly string[] = [
  // First: it removes the most (allocations, their reads and writes, guards on virtuals) and
  // turns each read of a virtual into the value written, which the passes below build on. Run
  // on the input itself, its forcing report indexes input ops (explain.ts relies on that).
  'virtualize',
  // Right after virtualize (paper section 5): the objects virtualize had to force at the jump
  // become label arguments exploded into their fields, and the body is optimized under that
  // virtual state. Before the supporting passes, which then work on preamble and body alike.
  // Once a label exists it changes nothing, so later rounds leave the loop alone.
  'peel',
  // Before fold: a read it forwards gives fold a value it can know (a guard on a field read
  // twice, the second guard_class on Figure 2's p0 reading the same intval).
  'heapcache',
  // After virtualize and heapcache: decides guards on the classes of forced objects, on
  // forwarded values, and folds what their constants allow.
  'fold',
  // After the others: removes what they left without uses (reads feeding only a removed guard).
  'dce',
  // Last, on the fewest ops: the overflow checks and guards the int ops' ranges decide. It
  // removes the comparisons of the guards it removes itself, so no dce is needed after it.
  'intbounds',
];

/** Rounds after which `optimize` stops even if the trace still changes. */
export const MAX_ROUNDS = 8;

export interface OptimizeOptions {
  /** Called after every pass with its result. */
  readonly afterPass?: (pass: string, result: Trace) => void;
  /**
   * Validate the trace after every pass (src/ir/validate.ts); the first pass whose output breaks
   * an invariant is named in a BrokenInvariantError. Costs one linear validation per pass run.
   */
  readonly verify?: boolean;
  /** How the `peel` pass tests the body's jump against the label (a seam for tests; default closeLoop). */
  readonly closeLoop?: typeof closeLoop;
  /**
   * Called after every run of the `peel` pass with its verdict: why it gave up (the jump never
   * fits the label's state), or null. optimizeLoop reads the last one instead of peeling again.
   */
  readonly afterPeel?: (rejected: string | null) => void;
}

/** A pass produced a trace that does not validate: a bug in that pass, never in the input. */
export class BrokenInvariantError extends Error {
  constructor(
    readonly pass: string,
    readonly round: number,
    readonly invariant: string,
    readonly output: Trace,
  ) {
    super(`pass ${pass} (round ${round + 1}) broke an invariant of the IR: ${invariant}`);
    this.name = 'BrokenInvariantError';
  }
}

function verifyPass(pass: string, round: number, result: Trace): void {
  try {
    validate(result);
  } catch (err) {
    // Stryker disable next-line ConditionalExpression: validate throws nothing but TraceError
    if (err instanceof TraceError) throw new BrokenInvariantError(pass, round, err.message, result);
    throw err;
  }
}

/**
 * The name under which the chained driver (chain.ts) reports its one run: the default pipeline
 * runs its passes' rules as stages of one traversal, not pass by pass.
 */
export const CHAINED = 'chained';

/** Whether `passes` is the default pipeline, in its order. */
function isDefaultPipeline(passes: readonly PassSpec[]): boolean {
  return passes.length === DEFAULT_PIPELINE.length && passes.every((pass, k) => pass === DEFAULT_PIPELINE[k]);
}

export function optimize(trace: Trace, passes: readonly PassSpec[] = DEFAULT_PIPELINE, options: OptimizeOptions = {}): Trace {
  const result = isDefaultPipeline(passes) && options.closeLoop === undefined ? chainOptimizeLabelled(FREEZE_TRACES ? deepFreeze(trace) : trace) : null;
  if (result !== null) {
    const out = FREEZE_TRACES ? deepFreeze(result.trace) : result.trace;
    if (options.verify) verifyPass(CHAINED, 0, out);
    options.afterPeel?.(result.rejected);
    options.afterPass?.(CHAINED, out);
    return out;
  }
  const unknown = passes.filter((pass) => typeof pass === 'string' && !Object.prototype.hasOwnProperty.call(PASSES, pass));
  if (unknown.length > 0) throw new Error(`unknown pass ${unknown.join(', ')}; the passes are ${Object.keys(PASSES).join(', ')}`);
  const close = options.closeLoop ?? closeLoop;
  const reportingPeel: Pass = (input) => {
    const report = peelReport(input, close);
    options.afterPeel?.(report.rejected);
    return report.trace;
  };
  const functions = passes.map((pass) => (pass === 'peel' ? reportingPeel : typeof pass === 'string' ? PASSES[pass]! : pass));
  // In tests and development, a pass that edits a trace in place throws at the edit (edit.ts).
  let current = FREEZE_TRACES ? deepFreeze(trace) : trace;
  /** Per position in `passes`: its input and output in the round before. */
  // Stryker disable next-line ArrayDeclaration: an element put there first is a memo of no input (a string's `input` is undefined), so the pass at position 0 runs as without it
  const previous: ({ input: Trace; output: Trace } | undefined)[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = current;
    passes.forEach((pass, position) => {
      const name = passName(pass);
      const input = current;
      const memo = previous[position];
      if (memo !== undefined && memo.input === input) current = memo.output;
      else {
        const output = functions[position]!(input);
        current = sameTrace(input, output) ? input : FREEZE_TRACES ? deepFreeze(output) : output;
      }
      previous[position] = { input, output: current };
      if (options.verify) verifyPass(name, round, current);
      options.afterPass?.(name, current);
    });
    // Stryker disable next-line ConditionalExpression: `true` for the length test cannot change the answer: alphaEquivalent compares the lengths itself (the test is a shortcut); the line's other mutants fail test/optimizer/passes.test.ts
    if (current === before || (current.ops.length === before.ops.length && alphaEquivalent(before, current).ok)) break;
  }
  return current;
}

/**
 * Whether `b` is exactly `a` (names included): a pass returns `{ ...trace, ops }`, so every part
 * but the ops is compared by identity, and an op by identity or else structurally.
 */
function sameTrace(a: Trace, b: Trace): boolean {
  // Stryker disable next-line BooleanLiteral,ConditionalExpression: a shortcut: the comparison below finds a trace the same as itself
  if (a === b) return true;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const key of keys) {
    if (key !== 'ops' && (a as unknown as Record<string, unknown>)[key] !== (b as unknown as Record<string, unknown>)[key]) return false;
  }
  if (a.ops.length !== b.ops.length) return false;
  // Stryker disable next-line EqualityOperator: one step past the end compares undefined with undefined, the same
  for (let k = 0; k < a.ops.length; k++) if (!sameValue(a.ops[k], b.ops[k])) return false;
  return true;
}

/** Structural equality of IR data (plain objects, arrays, strings, numbers, bigints). */
function sameValue(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  // Stryker disable next-line ConditionalExpression: either typeof test made `false` leaves the other to answer: a field of the IR holds a string, number or bigint in one op where it holds the same or null in the other, never a non-null object (checked by hand: the whole test made `false`, `x === null` made `false` and `y === null` made `false` fail test/optimizer/pipeline-rounds.test.ts)
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: not reached by valid traces: each field of the IR is always an array or always an object (validate.ts), so two ops never differ there
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const xs = x as Record<string, unknown>;
  const ys = y as Record<string, unknown>;
  const keys = Object.keys(xs);
  if (keys.length !== Object.keys(ys).length) return false;
  for (const key of keys) if (!Object.prototype.hasOwnProperty.call(ys, key) || !sameValue(xs[key], ys[key])) return false;
  return true;
}
