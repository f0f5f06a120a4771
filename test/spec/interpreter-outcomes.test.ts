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

describe('an undefined exit (a field of null)', () => {
  it('carries no values and names the op and its line', () => {
    const outcome = run('class Box(v: int)\n[p0]\ni1 = getfield(p0, v)\nfinish(i1)\ninput a [null]\n');
    expect(outcome.exit).toEqual({ kind: 'undefined', message: 'op 0 (getfield, line 3): null has no fields or items' });
    expect(outcome.values).toEqual([]);
  });
});

describe('a failure of the interpreter itself', () => {
  it('is thrown, never reported as undefined behaviour of the trace (which would make every comparison vacuous)', () => {
    // A trace that breaks runReference's Pre (an op the interpreter has no rule for): a bug of
    // the caller, not something the trace does.
    const trace = parseTrace('[i0]\ni1 = int_add(i0, 1)\nfinish(i1)\ninput a [0]\n', 'test.trace');
    const forged = { ...trace, ops: trace.ops.map((op) => (op.name === 'int_add' ? { ...op, name: 'int_frobnicate' as typeof op.name } : op)) };
    expect(() => runReference(forged, trace.inputSets[0]!)).toThrow(TypeError);
  });
});

describe('guard_value on ints', () => {
  // `[i0]` guards i0 = 7: it holds for 7 and fails (guard 0) for 8.
  const text = '[i0]\nguard_value(i0, 7) [i0]\nfinish(i0)\ninput seven [7]\ninput eight [8]\n';
  it('holds for the same int', () => {
    expect(run(text, {}, 0).exit).toEqual({ kind: 'finish' });
  });
  it('fails for another int', () => {
    expect(run(text, {}, 1).exit).toEqual({ kind: 'guard', guardId: 0 });
  });
});

describe('heap views', () => {
  it('list their objects by id, whatever order the run reached them in', () => {
    // p2 is reached before p1 from the exit values (and from the escape's args): the views still
    // hold 1 before 2 (ids 0 is the input object).
    const outcome = run('class Box(v: int)\n[p0]\np1 = new(Box)\np2 = new(Box)\nescape(p2, p1)\nfinish(p2, p1)\ninput a [@a] with @a = Box{v: 1}\n');
    expect([...outcome.escapes[0]!.heap.keys()]).toEqual([1, 2]);
    expect([...outcome.finalHeap.keys()]).toEqual([0, 1, 2]);
  });
});

describe('prebuilt names in the outcome', () => {
  it('are absent, not empty, for a trace without prebuilt objects (the Outcome type: absent means none), so outcomes of such traces compare with toEqual', () => {
    const outcome = run('[i0]\nfinish(i0)\ninput a [3]\n');
    expect(Object.keys(outcome)).not.toContain('prebuilt');
  });
});
