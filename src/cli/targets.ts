/**
 * Executors that `boxless fuzz` and `boxless check` compare with the reference interpreter
 * running the input trace. Each returns null when the outcomes agree, else the difference.
 */
import type { InputSet, Trace } from '../ir/index.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';

export type TargetRunner = (trace: Trace, input: InputSet, fuel: number) => string | null;

function against(name: string, execute: (trace: Trace, input: InputSet, fuel: number) => ReturnType<typeof runReference>): TargetRunner {
  return (trace, input, fuel) => {
    const verdict = compareOutcomes(runReference(trace, input, { fuel }), execute(trace, input, fuel), {
      expected: 'the reference',
      actual: name,
    });
    return verdict.ok ? null : verdict.difference;
  };
}

export const FUZZ_TARGET_RUNNERS: Readonly<Record<string, TargetRunner>> = {};

export { against };
