/** A trace as JSON (see json.ts): its text, which parses back, and each op as a record. */
import type { Trace } from '../ir/index.ts';
import { printOp, printTrace } from '../text/printer.ts';

export function jsonTrace(trace: Trace) {
  return {
    text: printTrace(trace),
    ops: trace.ops.map((op, index) => ({
      index,
      op: op.name,
      result: op.result,
      ...(op.name.startsWith('guard_') ? { guardId: op.guardId } : {}),
      text: printOp(op, trace),
    })),
  };
}
