/**
 * Translation validation with its verdicts: the symbolic check of src/validate/, and the replay
 * on the reference that turns a symbolic difference into a counterexample.
 *
 * Verdicts:
 *   proved          the optimized trace equals its input on every input and fuel (under the
 *                   assumptions of proofs-notes/validation.md)
 *   counterexample  an input set and a fuel on which the reference shows the difference; no
 *                   counterexample is reported that the reference did not confirm
 *   unknown         with the reason: what the symbolic check could not decide, or a difference
 *                   it found that no concrete input confirmed (then the validator was too strict
 *                   or is wrong: the reason says so)
 *
 * The replay lives here, not in src/validate/: src/ never calls the reference (DESIGN.md). The
 * concrete inputs tried are the ones src/validate/concretize.ts builds from the solver's models
 * and the failing case's path facts, then the trace's own input sets, then generated input heaps
 * that fit the trace.
 */
import type { InputSet, Trace } from '../ir/index.ts';
import { printTrace } from '../text/printer.ts';
import { validateSymbolically, type SymbolicVerdict, type ValidateOptions } from '../validate/validate.ts';
import { concretize } from '../validate/concretize.ts';
import { answerAll, type SmtAnswer, SmtOracle } from '../validate/smt.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { MAX_ARRAY_LENGTH, runReference } from '../../spec/interpreter.ts';
import { sampleInputSets } from '../../properties/arbitraries/input-heaps.ts';

export type Validation =
  | { readonly verdict: 'proved'; readonly cases: number }
  | { readonly verdict: 'counterexample'; readonly reason: string; readonly input: InputSet; readonly fuel: number; readonly difference: string }
  | { readonly verdict: 'unknown'; readonly reason: string };

/** Exit statuses of `boxless validate` (2 is bad input, as for every command). */
export const VALIDATE_STATUS = { proved: 0, counterexample: 1, unknown: 3 } as const;

export interface ConfirmOptions extends ValidateOptions {
  /** Generated input heaps to try when the path facts' own inputs do not show the difference. Default 200. */
  readonly randomInputs?: number;
  readonly seed?: number;
}

const FUELS = [0, 1, 2, 3, 5, 10];

export function validateTraces(input: Trace, optimized: Trace, options: ConfirmOptions = {}): Validation {
  const symbolic = validateSymbolically(input, optimized, { maxArrayLength: MAX_ARRAY_LENGTH, ...options });
  return conclude(input, optimized, symbolic, options, []);
}

/** Rounds of the SMT fallback before the verdict stands. */
const SMT_ROUNDS = 4;

/**
 * `validateTraces` with the SMT fallback (src/validate/smt.ts): when the syntactic check leaves
 * questions, z3 answers them and the check runs again, for a few rounds. z3 is loaded only then,
 * so a trace the syntactic check proves never pays for it.
 */
export async function validateTracesWithSolver(input: Trace, optimized: Trace, options: ConfirmOptions = {}): Promise<Validation> {
  let answers = new Map<string, SmtAnswer>();
  let symbolic: SymbolicVerdict = validateSymbolically(input, optimized, { maxArrayLength: MAX_ARRAY_LENGTH, ...options });
  for (let round = 0; round < SMT_ROUNDS && symbolic.kind !== 'proved'; round++) {
    const smt = new SmtOracle(answers);
    symbolic = validateSymbolically(input, optimized, { maxArrayLength: MAX_ARRAY_LENGTH, ...options, smt });
    if (symbolic.kind === 'proved' || smt.asked.size === 0) break;
    answers = new Map([...answers, ...(await answerAll(smt.asked.values()))]);
  }
  const models = [...answers.values()].flatMap((a) => (a.model && a.model.size > 0 ? [a.model] : []));
  return conclude(input, optimized, symbolic, options, models);
}

function conclude(input: Trace, optimized: Trace, symbolic: SymbolicVerdict, options: ConfirmOptions, models: readonly ReadonlyMap<string, bigint | number>[]): Validation {
  if (symbolic.kind === 'proved') return { verdict: 'proved', cases: symbolic.cases };
  if (symbolic.kind === 'unknown') return { verdict: 'unknown', reason: symbolic.reason };
  const found = confirm(input, optimized, symbolic, options, models);
  if (found) return { verdict: 'counterexample', reason: `${symbolic.reason} (in ${symbolic.phase})`, ...found };
  return {
    verdict: 'unknown',
    reason: `a difference the reference does not confirm on any input tried (a validator imprecision, or a validator bug): ${symbolic.reason} (in ${symbolic.phase})`,
  };
}

/** A concrete input set and fuel on which the reference shows the two traces differ, or null. */
function confirm(
  input: Trace,
  optimized: Trace,
  symbolic: Extract<SymbolicVerdict, { kind: 'suspect' }>,
  options: ConfirmOptions,
  models: readonly ReadonlyMap<string, bigint | number>[],
) {
  const modelled = concretize(input, optimized, symbolic, 24, 7, models);
  const firstSets = [...modelled, ...input.inputSets];
  const tryAll = (sets: readonly InputSet[]) => {
    for (const set of sets) {
      for (const fuel of FUELS) {
        const expected = runReference(input, set, { fuel });
        if (expected.exit.kind === 'undefined' || expected.exit.kind === 'error') continue;
        const verdict = compareOutcomes(expected, runReference(optimized, set, { fuel }));
        if (!verdict.ok) return { input: set, fuel, difference: verdict.difference };
      }
    }
    return null;
  };
  return tryAll(firstSets) ?? tryAll(sampleInputSets(input, options.randomInputs ?? 200, options.seed ?? 1));
}

/** The verdict for people: one line, then for a counterexample the input trace with its input set. */
export function formatValidation(v: Validation, input: Trace): string {
  switch (v.verdict) {
    case 'proved':
      return `proved: the optimized trace behaves like the input on every input and fuel (${v.cases} alias case${v.cases === 1 ? '' : 's'})`;
    case 'unknown':
      return `unknown: ${v.reason}`;
    case 'counterexample':
      return [
        `counterexample: ${v.reason}`,
        `confirmed on the reference with input ${v.input.name}, fuel ${v.fuel}:`,
        v.difference,
        '',
        '--- the input trace with that input set (boxless check accepts it)',
        printTrace({ ...input, inputSets: [v.input] }).trimEnd(),
      ].join('\n');
  }
}
