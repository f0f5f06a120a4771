/**
 * A user's pass as a researcher would write one, and wrong: it rewrites `int_sub(0, x)` to `x`
 * (forgetting the negation). Written against the package's public API only, so the packed-package
 * test compiles this very file in a scratch project (with the import made `from 'boxless'`);
 * `checkPass` must catch it with a reduced counterexample.
 */
import type { Arg, ExitValue, Op, Trace } from '../../src/index.ts';

export function subFromZeroIsIdentity(trace: Trace): Trace {
  const replaced = new Map<string, Arg>();
  const substitute = (arg: Arg): Arg => (arg.kind === 'var' ? (replaced.get(arg.name) ?? arg) : arg);
  const substituteExit = (value: ExitValue): ExitValue => (value.kind === 'virtual' ? value : substitute(value));
  const ops: Op[] = [];
  for (const op of trace.ops) {
    const [left, right] = op.args;
    if (op.name === 'int_sub' && op.result !== null && left?.kind === 'int' && left.value === 0n && right !== undefined) {
      replaced.set(op.result, substitute(right));
      continue;
    }
    const exit = op.exit && { ...op.exit, values: op.exit.values.map(substituteExit) };
    ops.push({ ...op, args: op.args.map(substitute), ...(exit ? { exit } : {}) });
  }
  return { ...trace, ops };
}
