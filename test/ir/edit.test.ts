// editTrace: a changed trace derived by hand shares what it did not change, is deeply frozen (an
// edit in place throws), and leaves its input as it was.
import { describe, expect, it } from 'vitest';
import { editTrace, FREEZE_TRACES, type Trace } from '../../src/ir/index.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';

const source = 'class Box(v: int)\n[p0, i1]\np2 = new(Box)\nsetfield(p2, v, i1)\ni3 = int_add(i1, 1)\nescape(p2)\nfinish(i3)\ninput one [null, 1]\n';

describe('editTrace', () => {
  it('shares the parts it did not change and freezes the result deeply', () => {
    const trace = parseTrace(source);
    const edited = editTrace(trace, (draft) => {
      draft.ops[2]!.args[1] = { kind: 'int', value: 2n };
    });
    expect(printTrace(edited)).toContain('i3 = int_add(i1, 2)');
    expect(printTrace(trace)).toContain('i3 = int_add(i1, 1)');
    expect(edited.ops[0]).toBe(trace.ops[0]);
    expect(edited.classes).toBe(trace.classes);
    expect(edited.inputSets).toBe(trace.inputSets);
    expect(edited.ops[2]).not.toBe(trace.ops[2]);
    expect(Object.isFrozen(edited.ops[2]!.args)).toBe(true);
    expect(() => (edited.ops as unknown as Trace['ops'][number][]).pop()).toThrow(TypeError);
  });

  it('in test runs, a pass that edits its input in place throws at the edit', () => {
    expect(FREEZE_TRACES).toBe(true);
    const editsInPlace = (trace: Trace): Trace => {
      (trace.ops as unknown as unknown[]).reverse();
      return trace;
    };
    expect(() => optimize(parseTrace(source), ['virtualize', editsInPlace])).toThrow(TypeError);
  });
});
