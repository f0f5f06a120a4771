// optimize(trace, DEFAULT_PIPELINE, { verify: true }) validates the chained driver's output too,
// and names it `chained`. The driver is made to break an invariant here (its result loses the
// first op that defines a variable): chain.ts's entry point is replaced, and the pipeline loaded
// afresh over it, for this file only (vi.doMock after resetting the module registry, so that it
// holds when test files share one, as under the mutation runner).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { editTrace, type Trace } from '../../src/ir/index.ts';
import type * as Pipeline from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';

let pipeline: typeof Pipeline;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock('../../src/optimizer/chain.ts', async (importOriginal) => {
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
  pipeline = await import('../../src/optimizer/pipeline.ts');
});

// The next test file in a shared registry must get the real modules back.
afterAll(() => {
  vi.doUnmock('../../src/optimizer/chain.ts');
  vi.resetModules();
});

const trace = parseTrace(['[i0]', 'i1 = int_add(i0, 1)', 'i2 = int_mul(i1, i1)', 'finish(i2)'].join('\n'));

describe('optimize with verify, on the default pipeline', () => {
  it('names the chained driver when its output breaks an invariant', () => {
    let error: unknown = null;
    try {
      pipeline.optimize(trace, undefined, { verify: true });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(pipeline.BrokenInvariantError);
    expect((error as Pipeline.BrokenInvariantError).pass).toBe(pipeline.CHAINED);
  });

  it('without verify, the broken output goes unnoticed by optimize itself', () => {
    expect(pipeline.optimize(trace).ops.map((op) => op.result)).toEqual(['i2', null]);
  });
});
