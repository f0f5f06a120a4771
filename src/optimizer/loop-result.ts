/**
 * Rejected loops: when optimizing shows that a loop cannot run as a loop, a typed result says so
 * and why, instead of only a trace that always exits (PyPy's InvalidLoop). A tracer acts on it
 * (blacklist the loop, retrace from the failing guard); `boxless optimize` prints the reason and
 * exits with status 3.
 *
 * A loop is rejected when
 *  - its optimized body (after the label) holds a guard that always fails: every iteration that
 *    reaches the body leaves there, so the body is never a loop (fold, virtualize and intbounds
 *    decide it and cut what follows: the guard stays, then `finish()`); or
 *  - it could not be peeled because its jump never fits the label's state (peel's give-up: a
 *    loop argument that is a constant, or two that are one value, only in the first iteration).
 * The trace is still returned: it is correct (it has the input's behaviour), only useless as a
 * loop.
 */
import type { Trace } from '../ir/index.ts';
import { decideGuard } from './fold.ts';
import { closeLoop } from './peel-state.ts';
import { DEFAULT_PIPELINE, optimize, type OptimizeOptions, type PassSpec } from './pipeline.ts';

export type LoopResult =
  | { readonly kind: 'optimized'; readonly trace: Trace }
  | {
      readonly kind: 'rejected';
      readonly trace: Trace;
      readonly reason: string;
      /** The input guard that always fails in the body, when that is the reason. */
      readonly guardId: number | null;
    };

/** `close`: peel's test of the jump against the label (a seam for tests; src/ passes closeLoop). */
export function optimizeLoop(input: Trace, passes: readonly PassSpec[] = DEFAULT_PIPELINE, options: OptimizeOptions = {}, close: typeof closeLoop = closeLoop): LoopResult {
  // The verdict of the pipeline's own last peel run: peel runs once per round, never again here.
  let peelRejected: string | null = null;
  const trace = optimize(input, passes, {
    ...options,
    // Only a test's seam is passed on: the chained driver runs when nothing replaces peel's test.
    ...(close !== closeLoop && { closeLoop: close }),
    afterPeel: (rejected) => {
      peelRejected = rejected;
      options.afterPeel?.(rejected);
    },
  });
  if (peelRejected !== null) return { kind: 'rejected', trace, guardId: null, reason: `the loop can never close: ${peelRejected}` };
  const label = trace.ops.findIndex((op) => op.name === 'label');
  if (label < 0) return { kind: 'optimized', trace };
  // With nothing known, a guard is decided by its constant operands alone: decideGuard asks
  // `nonzero` only about an operand that is not an int constant, and none of those is known.
  const nothingKnown = () => ({});
  // Stryker disable next-line ArrowFunction: undefined is as falsy as false, and decideGuard tests it for truth only
  const notKnownNonzero = () => false;
  // Stryker disable next-line MethodExpression,ArithmeticOperator: the preamble holds no guard that always fails (fold cuts the trace after one, so no label follows it): looking at more ops finds none
  for (const op of trace.ops.slice(label + 1)) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a shortcut: decideGuard answers 'unknown' for an op that is no guard (the label included)
    if (op.exit === null || op.name === 'label') continue;
    if (decideGuard(op, nothingKnown, notKnownNonzero) === 'fails') {
      return {
        kind: 'rejected',
        trace,
        guardId: op.guardId,
        reason: `guard ${op.guardId} (${op.name}) can never pass in the loop body: every iteration that reaches it leaves the loop there`,
      };
    }
  }
  // A body that ends in `finish` where the input looped never reaches the jump: the trace was cut
  // after a guard of the body that always fails (the op before that `finish`), decided on what
  // the preamble proved (intbounds' ranges, say) rather than on constants.
  if (input.ops.at(-1)!.name === 'jump' && trace.ops.at(-1)!.name === 'finish') {
    const guard = trace.ops.at(-2)!;
    return {
      kind: 'rejected',
      trace,
      guardId: guard.guardId,
      reason: `guard ${guard.guardId} (${guard.name}) can never pass in the loop body: every iteration that reaches it leaves the loop there`,
    };
  }
  return { kind: 'optimized', trace };
}
