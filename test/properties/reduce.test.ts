// The trace reducer (properties/reduce.ts): takes a failing trace padded with ops that have nothing
// to do with the failure down to the ops that cause it, keeps it valid and failing, and leaves a
// trace alone when nothing can go.
import { describe, expect, it } from 'vitest';
import { differenceUnder } from '../../properties/differential.ts';
import { reduceTrace } from '../../properties/reduce.ts';
import { type Trace, validate } from '../../src/ir/index.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { dropSetfield } from '../broken-optimizers/drop-setfield.ts';

const PADDED = `
class Box(v: int)
[p0, i1, f2]
i3 = int_add(i1, 7)
f4 = float_mul(f2, 2.0)
i5 = int_mul_ovf(i3, 3)
guard_no_overflow() [p0, i3, f4]
escape(p0)
p6 = new(Box)
i7 = int_lt(i5, 1000)
guard_true(i7) [p0, i5]
setfield(p0, v, i3)
escape(p6)
finish(i5, f4)
input one [@b, 1, 1.5] with @b = Box{v: 0}
input two [@b, 2, 2.5] with @b = Box{v: 0}
`;

describe('reduceTrace', () => {
  it('reduces a padded trace on which dropping setfield shows to the setfield and what it needs', () => {
    const trace = parseTrace(PADDED);
    const fails = (t: typeof trace) => differenceUnder(dropSetfield, t) !== null;
    expect(fails(trace)).toBe(true);
    const reduced = reduceTrace(trace, fails);
    expect(() => validate(reduced)).not.toThrow();
    expect(fails(reduced), printTrace(reduced)).toBe(true);
    expect(reduced.inputSets).toHaveLength(1);
    expect(reduced.ops.map((op) => op.name)).toEqual(['setfield', 'finish']);
    expect(reduced.ops[1]!.args).toEqual([]);
  });

  it('returns the trace itself when nothing can be removed', () => {
    const trace = parseTrace('class Box(v: int)\n[p0]\nsetfield(p0, v, 1)\nfinish()\ninput one [@b] with @b = Box{v: 0}');
    expect(reduceTrace(trace, (t) => differenceUnder(dropSetfield, t) !== null)).toBe(trace);
  });

  it('stops after its budget of tries', () => {
    let tries = 0;
    reduceTrace(parseTrace(PADDED), () => (tries++, false), 5);
    expect(tries).toBe(5);
  });
});

describe('the reducer and prebuilt objects', () => {
  it('drops the prebuilt objects the reduced trace no longer mentions, keeps the one it does', () => {
    const trace = parseTrace(`class Box(v: int)
prebuilt @a = Box{v: 1}, @b = Box{v: 2}, @c = Box{v: 3}
[i0]
i1 = getfield(@a, v)
i2 = getfield(@b, v)
i3 = int_add(i0, i2)
finish(i3, i1)
input s [5]`);
    // "Fails" while the trace reads @b's field into what it returns.
    const fails = (t: Trace) => t.ops.some((op) => op.name === 'getfield' && op.args[0]!.kind === 'prebuilt' && op.args[0]!.name === 'b');
    const reduced = reduceTrace(trace, fails);
    expect((reduced.prebuilt ?? []).map((o) => o.name)).toEqual(['b']);
  });
});
