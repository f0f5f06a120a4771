// The line diff behind `optimize --diff`: its script rebuilds both texts, is a shortest one on
// small cases checked against an LCS computed the slow way, and prints unified hunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/text/diff.ts';
import { fcParams } from '../../properties/fc-config.ts';

/** Length of a longest common subsequence, by the textbook table (the oracle). */
function lcs(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) table[i]![j] = a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
  }
  return table[a.length]![b.length]!;
}

const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 12 });

describe('diffLines', () => {
  it('rebuilds both texts and keeps a longest common subsequence', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const edits = diffLines(a.map((l) => `${l}\n`).join(''), b.map((l) => `${l}\n`).join(''));
        expect(edits.filter((e) => e.kind !== '+').map((e) => e.line)).toEqual(a);
        expect(edits.filter((e) => e.kind !== '-').map((e) => e.line)).toEqual(b);
        expect(edits.filter((e) => e.kind === ' ').length).toBe(lcs(a, b));
      }),
      fcParams(300),
    );
  });

  it('prints hunks with their line ranges, and nothing for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { before: 'x', after: 'y' })).toBe('');
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', { before: 'in', after: 'out' })).toBe('--- in\n+++ out\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });
});
