/**
 * `--stats`: how many ops of each kind a trace has before and after optimization, with the
 * preamble and the loop body counted apart once a label splits the optimized trace.
 */
import { labelIndex, OP_NAMES, type OpName, type Trace } from '../ir/index.ts';
import { countOps } from '../optimizer/stats.ts';

export interface CountRow {
  readonly op: OpName;
  readonly before: number;
  readonly after: number;
  /** After, split at the label; absent without one. */
  readonly preamble?: number;
  readonly body?: number;
}

export function opCountTable(before: Trace, after: Trace): { rows: CountRow[]; text: string } {
  const label = labelIndex(after);
  const input = countOps(before);
  const output = countOps(after);
  const preamble = label < 0 ? null : countOps({ ...after, ops: after.ops.slice(0, label) });
  // The label opens the loop: it is counted with the body, which it heads.
  const body = label < 0 ? null : countOps({ ...after, ops: after.ops.slice(label) });
  const rows: CountRow[] = OP_NAMES.filter((op) => input[op] || output[op]).map((op) => ({
    op,
    before: input[op],
    after: output[op],
    ...(preamble && body ? { preamble: preamble[op], body: body[op] } : {}),
  }));
  const total = (pick: (r: CountRow) => number | undefined) => rows.reduce((sum, r) => sum + (pick(r) ?? 0), 0);
  const header = label < 0 ? ['op', 'before', 'after'] : ['op', 'before', 'preamble', 'loop body'];
  const cells = (r: { op: string; before: number; after: number; preamble?: number; body?: number }) =>
    label < 0 ? [r.op, String(r.before), String(r.after)] : [r.op, String(r.before), String(r.preamble), String(r.body)];
  const lines = [...rows.map(cells), cells({ op: 'total', before: total((r) => r.before), after: total((r) => r.after), preamble: total((r) => r.preamble), body: total((r) => r.body) })];
  const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k]!.length)));
  const fmt = (l: readonly string[]) => l.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  return { rows, text: [fmt(header), ...lines.map(fmt)].join('\n') };
}

/** Op counts of one trace or section as JSON: the total and each op kind present. */
function countsJson(trace: Trace) {
  const counts = countOps(trace);
  const ops = Object.fromEntries(OP_NAMES.filter((op) => counts[op] > 0).map((op) => [op, counts[op]]));
  return { total: trace.ops.length, ops };
}

/**
 * `optimize --json`'s stats, the same keys for every trace: `before`, `after`, and `preamble` and
 * `body` (the label heads the body), null when the optimized trace has no label.
 */
export function opCountJson(before: Trace, after: Trace) {
  const label = labelIndex(after);
  return {
    before: countsJson(before),
    after: countsJson(after),
    preamble: label < 0 ? null : countsJson({ ...after, ops: after.ops.slice(0, label) }),
    body: label < 0 ? null : countsJson({ ...after, ops: after.ops.slice(label) }),
  };
}
