/**
 * The emitter's checks on what op rules and callers hand it (src/wasm/emit.ts): each is a seam a
 * rule writer can get wrong (test/broken-emitters holds rules that get the semantics wrong; these
 * get the emitter's protocol wrong), and each must end in a located error or still give valid
 * code, never a module that does something else. The default rules never reach them.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/text/index.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { runReference } from '../../spec/interpreter.ts';
import { BACK_EDGES_PER_CALL, compileTrace, OP_RULES, type OpRules, runCompiled, traceToWat } from '../../src/wasm/index.ts';

describe('the emitter refuses', () => {
  it('a rule that leaves a compare condition on the stack for a guard that does not take it', () => {
    // guard_true pushing its operand as a variable: the int_lt before it left only an i32.
    const rules: OpRules = {
      ...OP_RULES,
      guard_true: (op, cx) => {
        cx.push(op.args[0]!);
        cx.code.op('i64.eqz');
        cx.exitIf(op);
      },
    };
    const trace = parseTrace('[i0]\ni1 = int_lt(i0, 5)\nguard_true(i1) [i0]\nfinish(i0)', 'seam.trace');
    expect(() => compileTrace(trace, rules)).toThrow('emitter: the condition of i1 was left on the stack and not taken by the next op');
    // The default rules: the guard takes it.
    expect(runCompiled(compileTrace(trace), { name: 's', args: [{ kind: 'int', value: 3n }], objects: [] }).exit).toEqual({ kind: 'finish' });
  });

  it('a rule that asks for the local of a variable the trace does not have', () => {
    const rules: OpRules = { ...OP_RULES, int_neg: (_op, cx) => void cx.localIndex('i99') };
    expect(() => compileTrace(parseTrace('[i0]\ni1 = int_neg(i0)\nfinish(i1)', 'seam.trace'), rules)).toThrow('no local for i99');
  });

  it('a rule that stores more exchange slots than were planned (the prebuilt objects are placed after them)', () => {
    const rules: OpRules = {
      ...OP_RULES,
      finish: (op, cx) => {
        cx.storeSlots(['i0', 'i1', 'i0']);
        cx.finish(op);
      },
    };
    expect(() => compileTrace(parseTrace('[i0, i1]\nfinish(i0)', 'seam.trace'), rules)).toThrow('emitter: 3 exchange slots used, 2 planned');
  });

  it('prebuilt objects given no address by the caller that says where they are', () => {
    const trace = parseTrace('class Box(v: int)\nprebuilt @a = Box{v: 1}, @b = Box{v: 2}\n[]\ni0 = getfield(@b, v)\nfinish(i0)', 'seam.trace');
    expect(() => compileTrace(trace, OP_RULES, { prebuiltAt: new Map([['a', 1024]]) })).toThrow('emitter: no address for prebuilt @b');
    // Every one given: the code uses the addresses given, and the heap starts right after the slots.
    const compiled = compileTrace(trace, OP_RULES, { prebuiltAt: new Map([['a', 1024], ['b', 2048]]) });
    expect([...compiled.code.prebuilt]).toEqual([['a', 1024], ['b', 2048]]);
    expect(compiled.code.heapStart).toBe(compiled.code.prebuiltStart);
    // A trace without prebuilt objects needs no address.
    expect(() => compileTrace(parseTrace('[i0]\nfinish(i0)', 'seam.trace'), OP_RULES, { prebuiltAt: new Map() })).not.toThrow();
  });
});

describe('a compare condition left on the stack', () => {
  it('is taken only by an operand that is the compare result', () => {
    const asked: boolean[] = [];
    const rules: OpRules = {
      ...OP_RULES,
      guard_true: (op, cx) => {
        asked.push(cx.takeCondition({ kind: 'int', value: 1n }), cx.takeCondition({ kind: 'var', name: 'i0' }));
        OP_RULES.guard_true(op, cx);
      },
    };
    compileTrace(parseTrace('[i0]\ni1 = int_lt(i0, 5)\nguard_true(i1) [i0]\nfinish(i0)', 'seam.trace'), rules);
    expect(asked).toEqual([false, false]);
  });
});

describe('the emitter still makes valid code', () => {
  it("for a loop whose guard rule never exits (its out-of-line block is closed with 'unreachable')", () => {
    const rules: OpRules = { ...OP_RULES, guard_true: () => {} };
    const trace = parseTrace('[i0]\ni1 = int_add(i0, 1)\nguard_true(i1) [i0]\njump(i1)', 'seam.trace');
    const lines = traceToWat(trace, rules).split('\n').map((l) => l.trim());
    // The end of run: the loop's end and the main code's unreachable, then the exit block's end
    // with nothing to replay but unreachable.
    expect(lines.slice(-7)).toEqual(['end', 'unreachable', 'end', 'unreachable', ')', ')', '']);
    const outcome = runCompiled(compileTrace(trace, rules), { name: 's', args: [{ kind: 'int', value: 0n }], objects: [] }, { fuel: 10 });
    // The guard never fails: the loop runs out of fuel with i0 counted up.
    expect(outcome.exit).toEqual({ kind: 'fuel' });
    expect(outcome.values).toEqual([{ kind: 'int', value: 11n }]);
  });
});

describe('the loop state a resumed call of run needs', () => {
  it("is the label's args, and the values from before the label that the body or the label's exit reads", () => {
    // i1 is read by the body, i2 only by the label's exit (the loop's original arguments at a
    // fuel exit), i0 by neither after the label.
    const trace = parseTrace(
      '[i0, i5]\ni1 = int_mul(i0, 3)\ni2 = int_add(i0, 100)\nlabel(i5) [i2, i5]\ni6 = int_add(i5, i1)\njump(i6)\ninput s [4, 1]',
      'resume.trace',
    );
    const compiled = compileTrace(trace);
    expect(compiled.code.loopState).toEqual(['i5', 'i2', 'i1']);
    // Nothing is spilled: the prebuilt objects (none here) and the heap start right after the exchange slots.
    expect(compiled.code.prebuiltStart).toBe(16 + 8 * compiled.code.ioSlots);
    // More back-edges than one call takes: the second call starts from the stored loop state.
    const input = trace.inputSets[0]!;
    for (const fuel of [3, BACK_EDGES_PER_CALL + 10]) {
      const outcome = runCompiled(compiled, input, { fuel });
      expect(compareOutcomes(runReference(trace, input, { fuel }), outcome), `fuel ${fuel}`).toEqual({ ok: true });
      expect(outcome.values).toEqual([104n, 1n + 12n * BigInt(fuel)].map((value) => ({ kind: 'int', value })));
    }
  });

  it('holds an input the body reads that is not an arg of the label', () => {
    // i0 is no label arg, yet the body adds it each iteration: a resumed call must reload it.
    const trace = parseTrace('[i0, i5]\nlabel(i5) [i0, i5]\ni6 = int_add(i5, i0)\njump(i6)\ninput s [4, 1]', 'resume-input.trace');
    const compiled = compileTrace(trace);
    expect(compiled.code.loopState).toEqual(['i5', 'i0']);
    const input = trace.inputSets[0]!;
    for (const fuel of [3, BACK_EDGES_PER_CALL + 10]) {
      const outcome = runCompiled(compiled, input, { fuel });
      expect(compareOutcomes(runReference(trace, input, { fuel }), outcome), `fuel ${fuel}`).toEqual({ ok: true });
      expect(outcome.values).toEqual([4n, 1n + 4n * BigInt(fuel)].map((value) => ({ kind: 'int', value })));
    }
  });
});

describe('the exchange slots', () => {
  it('are as many as the inputs, the exits, finishes and escapes need, not as an op has operands', () => {
    // setarrayitem reads three variables; one input and an empty finish need one slot.
    const trace = parseTrace('[p0]\ni1 = arraylen(p0)\ni2 = int_add(i1, 1)\nsetarrayitem(p0, 0, i2)\nsetarrayitem(p0, i1, i2)\nfinish()', 'slots.trace');
    expect(compileTrace(trace).code.ioSlots).toBe(1);
  });
});
