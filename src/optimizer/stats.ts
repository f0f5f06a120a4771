/**
 * Op counts per op kind, for `boxless optimize --stats` and the tests' "never grows" checks.
 */
import { OP_NAMES, type OpName, type Trace } from '../ir/index.ts';

/** How many ops of each name the trace has (every name present, 0 when absent). */
export function countOps(trace: Trace): Record<OpName, number> {
  const counts = Object.fromEntries(OP_NAMES.map((name) => [name, 0])) as Record<OpName, number>;
  for (const op of trace.ops) counts[op.name] += 1;
  return counts;
}
