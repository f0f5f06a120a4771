// The reference interpreter's outcomes, pinned where the differential tests cannot see them:
// both sides of a differential test run this interpreter, so a change that alters both alike
// (what an error exit carries, …) passes them. Each test here states one rule of spec/interpreter.ts's
// header directly on a small trace written in the text format.
import { describe, expect, it } from 'vitest';
import { runReference } from '../../spec/interpreter.ts';
import { parseTrace } from '../../src/text/index.ts';

const run = (text: string, options: Parameters<typeof runReference>[2] = {}, inputSet = 0) => {
  const trace = parseTrace(text, 'test.trace');
  return runReference(trace, trace.inputSets[inputSet]!, options);
};

describe('an error exit (past the memory budget)', () => {
  it('carries no values: the run could not finish, so there is nothing to compare', () => {
    const outcome = run('[i0]\np1 = new_array(1000, int)\nescape(p1)\njump(i0)\ninput a [0]\n', { fuel: 300, heapBudget: 10_010 });
    expect(outcome.exit.kind).toBe('error');
    expect(outcome.values).toEqual([]);
  });
});
