/**
 * Broken on purpose (h): takes a prebuilt object for an object no variable can hold, as if a
 * constant ref could only equal itself: `ptr_eq(p, @x)` folds to 0 (`ptr_ne` to 1) and
 * `guard_value(p, @x)` is decided to fail (the trace ends after it, as fold ends a trace at a
 * guard it knows fails). Wrong whenever p is @x: an input set may pass it, a field may hold it.
 * Written here on its own (not src/optimizer's fold with a flag), so it stays a test of the
 * generators and properties whatever the optimizer becomes.
 */
import { type Arg, cint, mkOp, type Op, type Trace } from '../../src/ir/index.ts';
import { mapOperands } from '../../src/optimizer/rewrite.ts';

export function foldTakingPrebuiltForDistinct(trace: Trace): Trace {
  const replaced = new Map<string, Arg>();
  const sub = (a: Arg): Arg => (a.kind === 'var' ? (replaced.get(a.name) ?? a) : a);
  const varAgainstPrebuilt = (op: Op) => {
    const [a, b] = op.args;
    return (a?.kind === 'var' && b?.kind === 'prebuilt') || (a?.kind === 'prebuilt' && b?.kind === 'var');
  };
  const out: Op[] = [];
  for (const original of trace.ops) {
    const op = mapOperands(original, sub);
    if ((op.name === 'ptr_eq' || op.name === 'ptr_ne') && varAgainstPrebuilt(op) && op.result !== null) {
      replaced.set(op.result, cint(op.name === 'ptr_eq' ? 0 : 1));
      continue;
    }
    out.push(op);
    if (op.name === 'guard_value' && varAgainstPrebuilt(op)) {
      out.push(mkOp('finish', []));
      break;
    }
  }
  return { ...trace, ops: out };
}
