/**
 * Translation validation against the optimizer it checks: on generated loops of 1,000 to 10,000
 * input ops (genLargeTrace, guards that all pass, as in bench/optimizer.ts), the time to
 * validate the optimized trace against its input (symbolic check only: src/validate/), beside
 * the default pipeline's time on the same trace, measured in the same run. The target:
 * a 1,000-op trace validates in under one second; the ratio says what validating every trace
 * costs next to optimizing it.
 */
import { optimize } from '../src/optimizer/pipeline.ts';
import { validateSymbolically } from '../src/validate/validate.ts';
import { MAX_ARRAY_LENGTH } from '../spec/interpreter.ts';
import { genLargeTrace } from '../properties/arbitraries/trace.ts';
import { medianMs, table } from './measure.ts';

const SIZES = [1_000, 3_000, 10_000];

export async function benchValidate(): Promise<string> {
  const rows: string[][] = [];
  for (const [k, n] of SIZES.entries()) {
    const input = genLargeTrace(n, 1000 + k, { guards: 'passing' });
    const optimized = optimize(input);
    const verdict = validateSymbolically(input, optimized, { maxArrayLength: MAX_ARRAY_LENGTH });
    const optimizeMs = medianMs(() => optimize(input), 3);
    const validateMs = medianMs(() => validateSymbolically(input, optimized, { maxArrayLength: MAX_ARRAY_LENGTH }), 3);
    rows.push([
      String(input.ops.length),
      String(optimized.ops.length),
      verdict.kind,
      optimizeMs.toFixed(1),
      validateMs.toFixed(1),
      (validateMs / optimizeMs).toFixed(2),
    ]);
  }
  return ['translation validation (symbolic) vs the optimizer, same traces', table(['input ops', 'optimized ops', 'verdict', 'optimize ms', 'validate ms', 'validate/optimize'], rows)].join('\n');
}
