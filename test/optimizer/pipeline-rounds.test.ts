// How optimize runs a pass list other than the default: in rounds while a round changes the
// trace, at most MAX_ROUNDS of them, and a pass whose input is the one it had in the round before
// is not run again (its output then is its output now).
import { describe, expect, it } from 'vitest';
import { type Arg, mkOp, type Trace, v } from '../../src/ir/index.ts';
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

  it("a pass's output that differs from its input only in a constant, or in a part it left out, is its output", () => {
    // (optimize takes a pass's output for its input when the two are the same, names included.)
    // The constant keeps its source location: only its value differs.
    const two = (t: Trace): Arg => ({ ...(t.ops[0]!.args[1] as Arg & { kind: 'int' }), value: 2n });
    const constantChanged = optimize(trace, [(t) => ({ ...t, ops: [{ ...t.ops[0]!, args: [t.ops[0]!.args[0]!, two(t)] }, t.ops[1]!] })]);
    expect(constantChanged.ops[0]!.args[1]).toMatchObject({ kind: 'int', value: 2n });
    const withPrebuilt = parseTrace(['class Box(v: int)', 'prebuilt @b = Box{v: 1}', '[i0]', 'i1 = int_add(i0, 1)', 'finish(i1)'].join('\n'));
    expect(withPrebuilt.prebuilt).toBeDefined();
    const dropsPrebuilt = ({ prebuilt: _, ...rest }: Trace): Trace => rest;
    expect('prebuilt' in optimize(withPrebuilt, [dropsPrebuilt])).toBe(false);
  });

  it("a pass that gives the label an exit, or takes it away, changes the trace", () => {
    const loop = parseTrace(['[i0]', 'label(i0) [i0]', 'i1 = int_add(i0, 1)', 'i2 = int_lt(i1, 5)', 'guard_true(i2) [i1]', 'jump(i1)'].join('\n'));
    const exit = loop.ops[0]!.exit;
    let calls = 0;
    // Takes the label's exit away, then gives it back, and so on: no round leaves the trace as it was.
    const toggling = (t: Trace): Trace => {
      calls++;
      const label = t.ops[0]!;
      return { ...t, ops: [{ ...label, exit: label.exit === null ? exit : null }, ...t.ops.slice(1)] };
    };
    const out = optimize(loop, [toggling]);
    expect(calls).toBe(MAX_ROUNDS);
    expect(out.ops[0]!.exit).toBe(MAX_ROUNDS % 2 === 0 ? exit : null);
  });
});
