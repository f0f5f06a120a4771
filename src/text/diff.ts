/**
 * A line diff of two texts in the unified format (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks with
 * three lines of context), for `boxless optimize --diff`: what a pass changed, on the printer's
 * text (one printer for every dump).
 *
 * Myers' O(ND) algorithm, iterative (no recursion whose depth follows the input), after the
 * common head and tail are set aside. Its frontier per edit distance is kept to trace the path
 * back, O(D^2) memory: past MAX_EDITS the diff gives up finding a shortest script and reports the
 * differing middle as removed, then added (still a correct diff, only longer).
 */

/** Edit distance past which the middle is reported as replaced wholesale. */
export const MAX_EDITS = 4000;

type Edit = { readonly kind: ' ' | '-' | '+'; readonly line: string };

function middleScript(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const frontiers: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    frontiers.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
  }
  if (found < 0) return [...a.map((line): Edit => ({ kind: '-', line })), ...b.map((line): Edit => ({ kind: '+', line }))];
  // Walk back from (n, m): frontiers[d] is the frontier before step d.
  const script: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const before = frontiers[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && before[offset + k - 1]! < before[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = before[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) script.push({ kind: ' ', line: a[--x]! }), y--;
    if (down) script.push({ kind: '+', line: b[--y]! });
    else script.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) script.push({ kind: ' ', line: a[--x]! }), y--;
  return script.reverse();
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edits turning `before` into `after`, line by line. */
export function diffLines(before: string, after: string): Edit[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return [
    ...a.slice(0, head).map((line): Edit => ({ kind: ' ', line })),
    ...middleScript(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((line): Edit => ({ kind: ' ', line })),
  ];
}

/** The unified diff of two texts (empty when they are equal). */
export function unifiedDiff(before: string, after: string, names: { before: string; after: string }, context = 3): string {
  const edits = diffLines(before, after);
  if (edits.every((e) => e.kind === ' ')) return '';
  const out = [`--- ${names.before}`, `+++ ${names.after}`];
  // Line numbers (1-based) of each edit in both texts.
  const aLine: number[] = [];
  const bLine: number[] = [];
  let la = 1;
  let lb = 1;
  for (const e of edits) {
    aLine.push(la);
    bLine.push(lb);
    if (e.kind !== '+') la++;
    if (e.kind !== '-') lb++;
  }
  let k = 0;
  while (k < edits.length) {
    while (k < edits.length && edits[k]!.kind === ' ') k++;
    if (k >= edits.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while the next change is within 2 * context unchanged lines.
    for (;;) {
      while (end < edits.length && edits[end]!.kind !== ' ') end++;
      let gap = end;
      while (gap < edits.length && edits[gap]!.kind === ' ') gap++;
      if (gap < edits.length && gap - end <= 2 * context) end = gap;
      else {
        end = Math.min(edits.length, end + context);
        break;
      }
    }
    const hunk = edits.slice(start, end);
    const aCount = hunk.filter((e) => e.kind !== '+').length;
    const bCount = hunk.filter((e) => e.kind !== '-').length;
    const aStart = aCount === 0 ? aLine[start]! - 1 : aLine[start]!;
    const bStart = bCount === 0 ? bLine[start]! - 1 : bLine[start]!;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const e of hunk) out.push(`${e.kind}${e.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}
