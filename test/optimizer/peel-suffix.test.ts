// How a peeled body names the second iteration's values (secondIterationSuffix, peel.ts): `x`
// becomes `x_k` for the smallest k that no name of the trace already takes as `x_k` for a result
// `x`. A larger k than needed is not wrong, only a different spelling, so nothing but a direct
// test sees it: these pin the smallest. In a file of its own: a mutation run reuses the verdicts
// of tests whose file did not change.
import { describe, expect, it } from 'vitest';
import { secondIterationSuffix } from '../../src/optimizer/peel.ts';
import { parseTrace } from '../../src/text/index.ts';

/** A trace whose inputs are `inputs` and whose ops define `results`, in a loop. */
function traceWith(inputs: string[], results: string[]) {
  const lines = [`[${inputs.join(', ')}]`, ...results.map((r) => `${r} = int_add(${inputs[0]}, 1)`), `jump(${inputs.join(', ')})`];
  return parseTrace(lines.join('\n'));
}

describe('secondIterationSuffix', () => {
  it('is _1 when no name has an underscore', () => {
    expect(secondIterationSuffix(traceWith(['i0'], ['i1', 'i2']))).toBe('_1');
  });
  it('skips k when a result x has a name x_k, among the results or the inputs', () => {
    expect(secondIterationSuffix(traceWith(['i0'], ['i12', 'i12_1']))).toBe('_2');
    expect(secondIterationSuffix(traceWith(['i12_1'], ['i12']))).toBe('_2');
    expect(secondIterationSuffix(traceWith(['i0'], ['i12', 'i12_1', 'i34_2', 'i34']))).toBe('_3');
  });
  it('reads every digit of k', () => {
    const taken = Array.from({ length: 10 }, (_, k) => `i12_${k + 1}`);
    expect(secondIterationSuffix(traceWith(['i0'], ['i12', ...taken]))).toBe('_11');
  });
  it('does not skip k for names that cannot clash', () => {
    // No result i9; a k followed by letters; an x_k whose x is itself an underscored result's tail.
    expect(secondIterationSuffix(traceWith(['i9_1'], ['i1']))).toBe('_1');
    expect(secondIterationSuffix(traceWith(['i0'], ['i12', 'i12_1x']))).toBe('_1');
    expect(secondIterationSuffix(traceWith(['i0'], ['i2', 'i12_1']))).toBe('_1');
    expect(secondIterationSuffix(traceWith(['i0'], ['i12', 'i12_']))).toBe('_1');
  });
  it('takes x up to the last underscore', () => {
    expect(secondIterationSuffix(traceWith(['i0'], ['i1_1', 'i1_1_1']))).toBe('_2');
    expect(secondIterationSuffix(traceWith(['i0'], ['i1', 'i1_1_1']))).toBe('_1');
  });
});
