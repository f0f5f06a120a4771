/**
 * The chained driver's slot table reads a plain name's number digit by digit and sends a name
 * with any other character after its letter to its Map. A name such as `i4_1`, read as if `_`
 * were a digit, would come out as 871 (4, then 95 - 48 = 47, then 1: 4 * 10 + 47 = 87, 871) and
 * share a slot with `i871`: wrong only when the trace is large enough for the table to reach
 * 871 and holds both names. In a file of its own: a mutation run reuses the verdicts of tests
 * whose file did not change.
 */
import { describe, expect, it } from 'vitest';
import { chainOptimize } from '../../src/optimizer/chain.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { assertBehavesLikeInput } from './contract.ts';

/** `i4_1` and `i871` with values of their own, among enough ops that the table reaches 871. */
function traceNaming(odd: string, plain: string, fillers: number): string {
  const lines = ['[i0]', `${odd} = int_add(i0, 1)`];
  for (let k = 1; k <= fillers; k++) lines.push(`i${1000 + k} = int_add(i0, ${k + 2})`);
  lines.push(`${plain} = int_add(i0, 2)`, `i999 = int_sub(${odd}, ${plain})`, `finish(i999, ${odd}, ${plain})`, '', 'input a [5]');
  return lines.join('\n');
}

describe('the chained driver’s slot table', () => {
  it('keeps a name with a non-digit after its number apart from the plain name its characters would spell', () => {
    // The table holds numbers below 2 * (inputs + ops) + 16: 431 ops reach 871.
    const source = traceNaming('i4_1', 'i871', 428);
    const input = parseTrace(source);
    expect(2 * (input.inputs.length + input.ops.length) + 16).toBeGreaterThan(871);
    const output = chainOptimize(input).trace;
    assertBehavesLikeInput(input, output);
    // The two names stay two values (the fillers are dead and go).
    expect(printTrace(output).split('\n\n')[0]).toBe(['[i0]', 'i4_1 = int_add(i0, 1)', 'i871 = int_add(i0, 2)', 'i999 = int_sub(i4_1, i871)', 'finish(i999, i4_1, i871)'].join('\n'));
  });
});
