// optimize(trace, DEFAULT_PIPELINE, { verify: true }) validates the chained driver's output too,
// and names it `chained`. The driver is made to break an invariant here (its result loses the
// first op that defines a variable) by replacing chain.ts's entry point for this file only.
import { describe, expect, it, vi } from 'vitest';
import { editTrace, type Trace } from '../../src/ir/index.ts';
import { BrokenInvariantError, CHAINED, optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';

vi.mock('../../src/optimizer/chain.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/optimizer/chain.ts')>();
  const dropFirstDefinition = (trace: Trace): Trace => {
    const at = trace.ops.findIndex((op) => op.result !== null);
    return at < 0 ? trace : editTrace(trace, (draft) => void draft.ops.splice(at, 1));
  };
  return {
    ...real,
    chainOptimizeLabelled: (trace: Trace) => {
      const result = real.chainOptimizeLabelled(trace);
      return result === null ? null : { ...result, trace: dropFirstDefinition(result.trace) };
    },
  };
});

const trace = parseTrace(['[i0]', 'i1 = int_add(i0, 1)', 'i2 = int_mul(i1, i1)', 'finish(i2)'].join('\n'));

describe('optimize with verify, on the default pipeline', () => {
  it("names the chained driver when its output breaks an invariant", () => {
    let error: unknown = null;
    try {
      optimize(trace, undefined, { verify: true });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BrokenInvariantError);
    expect((error as BrokenInvariantError).pass).toBe(CHAINED);
  });

  it('without verify, the broken output goes unnoticed by optimize itself', () => {
    expect(optimize(trace).ops.map((op) => op.result)).toEqual(['i2', null]);
  });
});
