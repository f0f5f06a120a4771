/**
 * A deliberately wrong "optimizer": it drops every `setfield`, as if stores were dead code.
 * It keeps the trace valid (a store defines nothing), so only the equivalence property can
 * tell: properties/wrong-optimizer.prop.test.ts shows that it does, with a small counterexample.
 */
import type { Trace } from '../../src/ir/index.ts';

export function dropSetfield(trace: Trace): Trace {
  return { ...trace, ops: trace.ops.filter((op) => op.name !== 'setfield') };
}
