// optimize(trace, passes, { verify: true }) validates after every pass and names the pass whose
// output broke an invariant. The seam: the pass table is data read at run time, so the test adds
// a deliberately broken pass to it (and removes it after); nothing in src/ knows that pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editTrace, type Trace } from '../../src/ir/index.ts';
import { BrokenInvariantError, optimize, PASSES } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';

const passes = PASSES as Record<string, (trace: Trace) => Trace>;

/** Broken on purpose: drops the first op that defines a variable, leaving its uses undefined. */
function dropFirstDefinition(trace: Trace): Trace {
  const at = trace.ops.findIndex((op) => op.result !== null);
  return at < 0 ? trace : editTrace(trace, (draft) => void draft.ops.splice(at, 1));
}

beforeAll(() => {
  passes['drop-first-definition'] = dropFirstDefinition;
});
afterAll(() => {
  delete passes['drop-first-definition'];
});

const trace = parseTrace(['[i0]', 'i1 = int_add(i0, 1)', 'i2 = int_mul(i1, i1)', 'guard_true(i2) [i0]', 'finish(i2)'].join('\n'));

describe('optimize with verify', () => {
  it('names the pass that broke an invariant, and the invariant', () => {
    const run = () => optimize(trace, ['fold', 'drop-first-definition', 'dce'], { verify: true });
    expect(run).toThrow(BrokenInvariantError);
    try {
      run();
    } catch (err) {
      expect((err as BrokenInvariantError).pass).toBe('drop-first-definition');
      expect((err as Error).message).toMatch(/pass drop-first-definition \(round 1\) broke an invariant of the IR: .*i1/);
    }
  });

  it('without verify, the broken pass goes unnoticed by optimize itself', () => {
    expect(() => optimize(trace, ['fold', 'drop-first-definition', 'dce'])).not.toThrow();
  });

  it('passes the default pipeline on a valid trace', () => {
    expect(() => optimize(trace, undefined, { verify: true })).not.toThrow();
  });
});
