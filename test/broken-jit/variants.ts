/**
 * Deliberately broken JITs, injected through the JIT's test seams (JitRunOptions), never in src/:
 *  - an exit that resumes one instruction too late: every guard's interpreter pc is the next
 *    instruction's, so the instruction the guard refused is skipped;
 *  - a bridge that forgets a virtual: the exit state a bridge is optimized from says null where
 *    the exit has a virtual object (a box the interpreter would hold);
 *  - a missing overflow guard: the recorder's `int_*_ovf` + `guard_no_overflow` pairs become
 *    wrapping `int_*` ops, so a sum past 2^63 wraps instead of becoming a long int;
 *  - a missing sqrt guard: the `guard_false(float_lt(x, 0.0))` the recorder puts before
 *    `float_sqrt(x)` is dropped, so a negative gives nan instead of raising ValueError;
 *  - a missing pow guard: the `guard_true(float_lt(float_abs(r), inf))` after `r = float_pow(…)`
 *    is dropped, so 0.0 ** -1.0 gives inf and an overflow inf instead of raising.
 */
import { NULL, type Op, type Trace } from '../../src/ir/index.ts';
import type { JitRunOptions } from '../../src/vm/jit/jit.ts';
import { parseJitOptions } from '../../src/vm/jit/options.ts';

const WRAPPING: Partial<Record<string, Op['name']>> = { int_add_ovf: 'int_add', int_sub_ovf: 'int_sub', int_mul_ovf: 'int_mul' };

function withoutOverflowGuards(trace: Trace): Trace {
  const ops: Op[] = [];
  for (const op of trace.ops) {
    if (op.name === 'guard_no_overflow') continue;
    const wrapping = WRAPPING[op.name];
    ops.push(wrapping ? { ...op, name: wrapping } : op);
  }
  return { ...trace, ops };
}

function withoutSqrtGuards(trace: Trace): Trace {
  const sqrtArgs = new Set(trace.ops.filter((op) => op.name === 'float_sqrt').map((op) => JSON.stringify(op.args[0])));
  const belowZero = new Set(
    trace.ops.filter((op) => op.name === 'float_lt' && sqrtArgs.has(JSON.stringify(op.args[0])) && op.args[1]!.kind === 'float').map((op) => op.result),
  );
  return { ...trace, ops: trace.ops.filter((op) => !(op.name === 'guard_false' && op.args[0]!.kind === 'var' && belowZero.has(op.args[0]!.name))) };
}

function withoutPowGuards(trace: Trace): Trace {
  const powResults = new Set(trace.ops.filter((op) => op.name === 'float_pow').map((op) => op.result));
  const magnitudes = new Set(trace.ops.filter((op) => op.name === 'float_abs' && op.args[0]!.kind === 'var' && powResults.has(op.args[0]!.name)).map((op) => op.result));
  const finite = new Set(trace.ops.filter((op) => op.name === 'float_lt' && op.args[0]!.kind === 'var' && magnitudes.has(op.args[0]!.name)).map((op) => op.result));
  return { ...trace, ops: trace.ops.filter((op) => !(op.name === 'guard_true' && op.args[0]!.kind === 'var' && finite.has(op.args[0]!.name))) };
}

/** Each variant, its JIT, and how many random programs the property gets to catch it (0: shown on a witness only). */
export function brokenJits(threshold: number): [string, JitRunOptions, number][] {
  const options = parseJitOptions(`threshold=${threshold},bridge=1`);
  // Skipping an instruction can turn a terminating loop into an endless one: bounded.
  const exitLimit = 100_000;
  return [
    ['an exit that resumes one instruction too late', { options, exitLimit, mutateResume: (r) => ({ ...r, pc: r.pc + 2 }) }, 200],
    [
      'a bridge that forgets a virtual',
      { options, exitLimit, mutateExitState: (state) => ({ ...state, values: state.values.map((x) => (x.kind === 'virtual' ? NULL : x)) }) },
      0,
    ],
    ['a missing overflow guard', { options, exitLimit, mutateRecorded: withoutOverflowGuards }, 0],
    ['a missing sqrt guard', { options, exitLimit, mutateRecorded: withoutSqrtGuards }, 0],
    ['a missing pow guard', { options, exitLimit, mutateRecorded: withoutPowGuards }, 0],
  ];
}
