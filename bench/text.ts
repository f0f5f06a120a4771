/**
 * Parse, validate and print generated traces of 1,600 to 160,000 ops: time per op must stay
 * flat (linear time). Reported as the ratio of time per op at the largest and smallest size.
 */
import { genLargeTrace } from '../properties/arbitraries/trace.ts';
import { validate } from '../src/ir/index.ts';
import { parseTrace } from '../src/text/parser.ts';
import { printTrace } from '../src/text/printer.ts';
import { fmtNumber, medianMs, table } from './measure.ts';

export async function benchText(): Promise<string> {
  // genLargeTrace(n) gives n to n + 6 ops, so these sizes span 1,600 to 160,000 ops.
  const sizes = [1_600, 16_000, 160_000];
  const rows: string[][] = [];
  const perOp: number[] = [];
  const opCounts: number[] = [];
  for (const n of sizes) {
    const trace = genLargeTrace(n, 7);
    const text = printTrace(trace);
    const ops = trace.ops.length;
    opCounts.push(ops);
    const parseMs = medianMs(() => parseTrace(text), 3);
    const validateMs = medianMs(() => validate(trace), 3);
    const printMs = medianMs(() => printTrace(trace), 3);
    const total = parseMs + printMs;
    perOp.push((total * 1e6) / ops);
    rows.push([String(ops), parseMs.toFixed(1), validateMs.toFixed(1), printMs.toFixed(1), ((total * 1e6) / ops).toFixed(0), fmtNumber((ops / total) * 1000)]);
  }
  const ratio = perOp[perOp.length - 1]! / perOp[0]!;
  return [
    'text format: parse (includes validation), validate alone, print',
    table(['ops', 'parse ms', 'validate ms', 'print ms', 'ns/op', 'ops/s'], rows),
    `time per op at ${opCounts[opCounts.length - 1]} ops over time per op at ${opCounts[0]} ops: ${ratio.toFixed(2)} (linear: about 1 or below, as small sizes pay warm-up)`,
  ].join('\n');
}
