// Prebuilt objects in the reference, the equivalence check, the outcome formatter and the wasm
// backend: they exist at the start of every run as declared, whatever the input set; an input set
// may point at them; they count as escaped from the start; their final state is part of the
// outcome and they keep their identity.
import { describe, expect, it } from 'vitest';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { formatOutcome } from '../../spec/format.ts';
import { runReference } from '../../spec/interpreter.ts';
import { compileTrace, runCompiled } from '../../src/wasm/index.ts';
import { parseTrace } from '../../src/text/index.ts';

const source = `
class Global(count: int)
class Node(next: ref, item: int)
prebuilt @counter = Global{count: 10}
prebuilt @head = Node{next: @head, item: 1}

[p0]
i1 = getfield(@counter, count)
i2 = int_add(i1, 1)
setfield(@counter, count, i2)
i3 = ptr_eq(p0, @head)
guard_false(i3) [p0, @head]
p4 = getfield(p0, next)
setfield(p0, next, @head)
finish(p4, i3)

input other [@n] with @n = Node{next: @head, item: 5}
input same [@head]
`;
const trace = parseTrace(source);
const [other, same] = trace.inputSets as [never, never];

describe('prebuilt objects in the reference', () => {
  it('exist as declared at the start of every run, and their final state is in the outcome', () => {
    for (const set of [other, same]) {
      const outcome = runReference(trace, set);
      expect(outcome.prebuilt).toEqual(['counter', 'head']);
      expect(outcome.finalHeap.get(0)).toEqual({ kind: 'object', cls: 'Global', fields: { count: { kind: 'int', value: 11n } } });
    }
  });

  it('are the objects an input set points at: identity is shared with the trace constant', () => {
    expect(runReference(trace, same).exit).toEqual({ kind: 'guard', guardId: 0 });
    const outcome = runReference(trace, other);
    expect(outcome.exit).toEqual({ kind: 'finish' });
    expect(outcome.values[0]).toEqual({ kind: 'ref', id: 1 });
    expect(formatOutcome(outcome)).toBe(
      ['finished in iteration 1', 'values: @head, 0', 'inputs at the end: Node{next: @head, item: 5}', 'prebuilt at the end: @counter = Global{count: 11}, @head = Node{next: @head, item: 1}'].join('\n'),
    );
  });

  it('count as escaped from the start: an escape bumps their int fields', () => {
    const t = parseTrace('class Global(count: int)\nprebuilt @g = Global{count: 1}\n[]\nescape()\ni0 = getfield(@g, count)\nfinish(i0)\ninput s []');
    expect(runReference(t, t.inputSets[0]!).values).toEqual([{ kind: 'int', value: 2n }]);
  });
});

describe('prebuilt objects in the equivalence check', () => {
  it('reports a difference in a prebuilt object\'s final state, by its name', () => {
    const changed = parseTrace(source.replace('i2 = int_add(i1, 1)', 'i2 = int_add(i1, 2)'));
    const result = compareOutcomes(runReference(trace, other), runReference(changed, other));
    expect(result).toEqual({ ok: false, difference: 'final heap, prebuilt @counter: field Global.count is 11 in the input trace, 12 in the optimized trace' });
  });

  it('keeps their identity: a fresh object where the prebuilt one was is a difference', () => {
    const fresh = parseTrace(source.replace('setfield(p0, next, @head)', 'p9 = new(Node)\nsetfield(p9, next, @head)\nsetfield(p0, next, p9)'));
    const result = compareOutcomes(runReference(trace, other), runReference(fresh, other));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.difference).toMatch(/prebuilt @head in the input trace, an object the run allocated in the optimized trace/);
  });
});

describe('prebuilt objects in the wasm backend', () => {
  it('are laid out before the run at the addresses the code uses, afresh for every run', () => {
    const compiled = compileTrace(trace);
    for (const set of [other, same, other]) {
      expect(compareOutcomes(runReference(trace, set), runCompiled(compiled, set), { expected: 'the reference', actual: 'wasm' })).toEqual({ ok: true });
    }
    const first = [...compiled.code.prebuilt.values()][0]!;
    expect(first).toBeGreaterThanOrEqual(16);
  });
});
