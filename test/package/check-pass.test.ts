// checkPass, the pass contract on a user's own pass (boxless/testing): a wrong pass is caught with
// a reduced counterexample that prints as a bare trace file showing the difference; boxless's own
// passes keep the contract; each clause (validation, growth, idempotence) can fail.
import { describe, expect, it } from 'vitest';
import { editTrace, type Trace } from '../../src/index.ts';
import { parseTrace } from '../../src/text/index.ts';
import { dce } from '../../src/optimizer/dce.ts';
import { checkPass, CounterexampleError, passContractViolation } from '../../properties/testing.ts';
import { subFromZeroIsIdentity } from './wrong-user-pass.ts';

function caught(run: () => void): CounterexampleError {
  try {
    run();
  } catch (err) {
    if (err instanceof CounterexampleError) return err;
    throw err;
  }
  throw new Error('the pass contract held');
}

describe('checkPass', () => {
  it('catches int_sub(0, x) -> x with a reduced counterexample printed as a trace file', () => {
    const err = caught(() => checkPass(subFromZeroIsIdentity, { focus: ['int_sub'], runs: 300 }));
    const file = err.message;
    expect(file.split('\n')[0]).toMatch(/^# subFromZeroIsIdentity breaks the pass contract: /);
    // Bare: comments, then the trace; it parses back and the pass still breaks on it.
    const reparsed = parseTrace(file, 'counterexample.trace');
    expect(reparsed.ops.some((op) => op.name === 'int_sub')).toBe(true);
    expect(reparsed.ops.length).toBeLessThanOrEqual(6);
    expect(passContractViolation(subFromZeroIsIdentity, reparsed)).not.toBeNull();
  });

  it('holds for a pass of boxless (dce, declared idempotent)', () => {
    expect(() => checkPass(dce, { idempotent: true, runs: 100 })).not.toThrow();
  });

  const loop = parseTrace('[i0]\ni1 = int_add(i0, 1)\njump(i1)\ninput zero [0]\n');

  it('reports a pass that grows the trace, unless it may', () => {
    const duplicateFirst = (trace: Trace) => editTrace(trace, (draft) => void draft.ops.splice(0, 0, { ...draft.ops[0]!, result: 'i99' }));
    expect(passContractViolation(duplicateFirst, loop)).toMatch(/grew the trace from 2 to 3 ops/);
    expect(passContractViolation(duplicateFirst, loop, { mayGrow: true })).toBeNull();
  });

  it('reports an output that does not validate, and a pass that is not idempotent where declared', () => {
    const dropDefinition = (trace: Trace) => editTrace(trace, (draft) => void draft.ops.splice(0, 1));
    expect(passContractViolation(dropDefinition, loop)).toMatch(/^the transform failed/);
    // Removes one dead int_add per run: correct, but a second run removes another.
    const dropOneDeadAdd = (trace: Trace) => {
      const used = new Set(trace.ops.flatMap((op) => op.args.flatMap((arg) => (arg.kind === 'var' ? [arg.name] : []))));
      const index = trace.ops.findIndex((op) => op.name === 'int_add' && !used.has(op.result!));
      return index < 0 ? trace : editTrace(trace, (draft) => void draft.ops.splice(index, 1));
    };
    const twoDeadAdds = parseTrace('[i0]\ni1 = int_add(i0, 1)\ni2 = int_add(i0, 2)\nfinish()\ninput zero [0]\n');
    expect(passContractViolation(dropOneDeadAdd, twoDeadAdds)).toBeNull();
    expect(passContractViolation(dropOneDeadAdd, twoDeadAdds, { idempotent: true })).toMatch(/declared idempotent/);
  });
});
