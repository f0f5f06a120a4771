// optimize's refusal of pass names it does not know: every unknown name, in order, and the list
// of the passes there are (passes.test.ts checks one unknown name).
import { describe, expect, it } from 'vitest';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';

describe('optimize with unknown passes', () => {
  it('names each of them', () => {
    const trace = parseTrace('[i0]\nfinish(i0)\n');
    expect(() => optimize(trace, ['fold', 'virtualise', 'inline'])).toThrow('unknown pass virtualise, inline; the passes are virtualize, peel, fold, heapcache, dce');
  });
});
