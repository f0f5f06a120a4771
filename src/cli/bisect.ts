/**
 * `check --bisect`: which pass made the trace behave differently. The pipeline runs as
 * `optimize` runs it (every round, with `verify`), and the trace after each pass run that
 * changed it is compared on the reference with the input trace, on the given input sets and
 * fuels; the first pass run whose output differs is named, with what it changed.
 *
 * Why every intermediate trace against the input, not each pass against its own input: the
 * question is where behaviour first departs from the reference, and a pass can only be blamed if
 * what it was given still behaved like the input. Why on the reference, not on wasm: the passes
 * are what is bisected; when no pass output differs but the compiled code does, the backend is
 * to blame, which the command says.
 */
import type { InputSet, Trace } from '../ir/index.ts';
import { BrokenInvariantError, optimize, passName, type PassSpec } from '../optimizer/pipeline.ts';
import { runReference } from '../../spec/interpreter.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';

export interface PassRun {
  /** The pass's name (a function's own name for a pass given as a function). */
  readonly pass: string;
  /** 1-based round of the pipeline, and 0-based position of the pass in the list. */
  readonly round: number;
  readonly position: number;
  readonly input: Trace;
  readonly output: Trace;
}

export type BisectResult =
  /** The first pass run whose output behaves differently from the input trace. */
  | { readonly kind: 'pass'; readonly run: PassRun; readonly difference: string }
  /** A pass threw (or broke an invariant of the IR, under verify). */
  | { readonly kind: 'failed'; readonly pass: string; readonly round: number; readonly message: string }
  /** Every pass output behaves like the input on these runs. */
  | { readonly kind: 'none'; readonly runs: readonly PassRun[] };

/** The first difference between the input trace and `candidate` on the reference, or null. */
export function referenceDifference(input: Trace, candidate: Trace, sets: readonly InputSet[], fuels: readonly number[]): string | null {
  for (const set of sets) {
    for (const fuel of fuels) {
      const expected = runReference(input, set, { fuel });
      if (expected.exit.kind === 'undefined') continue;
      const verdict = compareOutcomes(expected, runReference(candidate, set, { fuel }), { expected: 'the input trace', actual: 'the pass output' });
      if (!verdict.ok) return `input ${set.name}, fuel ${fuel}: ${verdict.difference}`;
    }
  }
  return null;
}

export function bisectPasses(input: Trace, passes: readonly PassSpec[], sets: readonly InputSet[], fuels: readonly number[]): BisectResult {
  const runs: PassRun[] = [];
  let current = input;
  let position = 0;
  let round = 1;
  try {
    optimize(input, passes, {
      verify: true,
      afterPass: (pass, output) => {
        runs.push({ pass, round, position, input: current, output });
        current = output;
        position++;
        if (position === passes.length) {
          position = 0;
          round++;
        }
      },
    });
  } catch (err) {
    if (err instanceof BrokenInvariantError) return { kind: 'failed', pass: err.pass, round: err.round + 1, message: err.message };
    return { kind: 'failed', pass: passName(passes[position]!), round, message: err instanceof Error ? err.message : String(err) };
  }
  for (const run of runs) {
    if (run.output === run.input) continue;
    const difference = referenceDifference(input, run.output, sets, fuels);
    if (difference !== null) return { kind: 'pass', run, difference };
  }
  return { kind: 'none', runs };
}
