// How optimize runs a pass list other than the default: in rounds while a round changes the
// trace, at most MAX_ROUNDS of them, and a pass whose input is the one it had in the round before
// is not run again (its output then is its output now).
import { describe, expect, it } from 'vitest';
import { mkOp, type Trace, v } from '../../src/ir/index.ts';
import { MAX_ROUNDS, optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';

const trace = parseTrace(['[i0]', 'i1 = int_add(i0, 1)', 'finish(i1)'].join('\n'));

/** Adds `name = int_add(i0, 1)` before the trace's last op. */
const withAdd = (t: Trace, name: string): Trace => ({
  ...t,
  ops: [...t.ops.slice(0, -1), mkOp('int_add', [v('i0'), { kind: 'int', value: 1n }], { result: name }), t.ops[t.ops.length - 1]!],
});

describe('optimize runs a pass list in rounds', () => {
  it('a pass that changes the trace in every round runs MAX_ROUNDS times, then optimize returns', () => {
    let calls = 0;
    const growing = (t: Trace): Trace => {
      // Fails fast rather than hang if the bound stops holding.
      if (calls > MAX_ROUNDS) throw new Error('optimize ran a round past MAX_ROUNDS');
      return withAdd(t, `i${100 + calls++}`);
    };
    const out = optimize(trace, [growing]);
    expect(calls).toBe(MAX_ROUNDS);
    expect(out.ops.length).toBe(trace.ops.length + MAX_ROUNDS);
  });

  it('a pass given the input it had in the round before is not run again', () => {
    let calls = 0;
    const addsOnce = (t: Trace): Trace => (t.ops.some((op) => op.result === 'i9') ? t : withAdd(t, 'i9'));
    const counting = (t: Trace): Trace => {
      calls++;
      return t;
    };
    // Round 1: addsOnce changes the trace, counting sees it. Round 2: addsOnce changes nothing, so
    // counting's input is the one it had: it is not called, and the round changed nothing.
    const out = optimize(trace, [addsOnce, counting]);
    expect(calls).toBe(1);
    expect(out.ops.map((op) => op.result)).toEqual(['i1', 'i9', null]);
  });
});
