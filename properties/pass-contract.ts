/**
 * The pass contract, on a user's own pass: `checkPass(myPass, options)` runs, on generated traces,
 * what every pass of boxless is held to (DESIGN.md's "one pass contract"):
 *  - the output validates (src/ir/validate.ts) and behaves like the input on every input set and
 *    fuel (differential.ts: the reference interpreter is the oracle);
 *  - the pass is deterministic (twice on one trace: the same trace up to renaming);
 *  - it never grows the trace (more ops out than in), unless `mayGrow` says it may (a peeling pass
 *    doubles the loop);
 *  - where declared (`idempotent`), applied to its own output it changes nothing more.
 * A failure throws a CounterexampleError whose message is the counterexample as a bare trace
 * file (what broke in comments, then the trace, reduced by reduce.ts), which `boxless check`
 * accepts and which can go to test/golden/regressions/ as it is.
 */
import { alphaEquivalent, type OpName, type Trace } from '../src/ir/index.ts';
import { arbTraceCase } from './arbitraries/trace.ts';
import { CounterexampleError, type DifferentialOptions, differenceUnder, type Search, searchTraces, type TraceCheck } from './differential.ts';

export interface PassContractOptions extends DifferentialOptions {
  /**
   * The ops the pass rewrites: generated often, their operands often constants (arbTraceCase's
   * `focus`), so that the pass's cases are met. Ignored when `arbitrary` is given.
   */
  readonly focus?: readonly OpName[];
  /** Check that pass(pass(t)) is pass(t) up to renaming. Default false. */
  readonly idempotent?: boolean;
  /** The pass may return more ops than it was given. Default false. */
  readonly mayGrow?: boolean;
}

/** What the pass breaks on this one trace, or null. */
export function passContractViolation(pass: (trace: Trace) => Trace, trace: Trace, options: PassContractOptions = {}): string | null {
  const difference = differenceUnder(pass, trace, options);
  if (difference !== null) return difference;
  // differenceUnder ran the pass without an exception: these calls do too, unless it is not
  // deterministic, which the comparison below then reports as a throw of the check.
  const once = pass(trace);
  const again = alphaEquivalent(once, pass(trace));
  if (!again.ok) return `the pass is not deterministic: run twice on this trace, its outputs differ: ${again.message}`;
  if (!options.mayGrow && once.ops.length > trace.ops.length) {
    return `the pass grew the trace from ${trace.ops.length} to ${once.ops.length} ops (pass mayGrow: true if it may)`;
  }
  if (options.idempotent) {
    const twice = alphaEquivalent(once, pass(once));
    if (!twice.ok) return `the pass is declared idempotent, but applied to its own output it changes it: ${twice.message}`;
  }
  return null;
}

/** The pass contract as a search: the reduced counterexample, or null (see searchTraces). */
export function searchPassContract(pass: (trace: Trace) => Trace, options: PassContractOptions = {}): Search {
  const check: TraceCheck = (trace) => passContractViolation(pass, trace, options);
  const arbitrary = options.arbitrary ?? (options.focus ? arbTraceCase({ focus: options.focus }) : undefined);
  return searchTraces(check, arbitrary ? { ...options, arbitrary } : options);
}

/** Throws a CounterexampleError (a bare trace file) unless `pass` keeps the contract on every generated trace. */
export function checkPass(pass: (trace: Trace) => Trace, options: PassContractOptions = {}): void {
  const { found, replay } = searchPassContract(pass, options);
  if (found) throw new CounterexampleError({ ...found, difference: `${pass.name || 'the pass'} breaks the pass contract: ${found.difference}` }, replay);
}
