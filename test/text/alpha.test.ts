/**
 * alphaEquivalent: traces equal up to a consistent, type-keeping, one-to-one renaming of their
 * variables, ignoring where they came from (loc) and what to run them on (input sets).
 */
import { describe, expect, it } from 'vitest';
import { alphaEquivalent } from '../../src/ir/index.ts';
import { parseTrace } from '../../src/text/index.ts';

const CLASSES = 'class Node(next: ref, value: int)\nclass Cell(item: float)\n';

const base = `${CLASSES}
[p0, i1]
guard_nonnull(p0) [$0, p0] with $0 = Node{next: $1, value: i1}, $1 = Node{next: $0}
i2 = getfield(p0, value)
label(p0, i2) [$0, i2] with $0 = Node{next: p0, value: i2}
guard_true(i2, id=5) [$0] with $0 = float[1.5, -0.0]
p3 = new(Node)
i4 = int_add(i2, i2)
guard_value(i4, 3)
jump(p3, i4)
input s [null, 1]`;

/** `base` with every variable renamed, laid out differently, and without the input set. */
const renamed = `${CLASSES}
[p10, i20]
    guard_nonnull(p10) [$0, p10] with $0 = Node{next: $1, value: i20}, $1 = Node{next: $0}
    i7 = getfield(p10, value)
label(p10, i7) [$0, i7] with $0 = Node{next: p10, value: i7}
guard_true(i7, id=5) [$0] with $0 = float[1.5, -0.0]
p1 = new(Node)
i0 = int_add(i7, i7)
guard_value(i0, 3)
jump(p1, i0)`;

const check = (a: string, b: string) => alphaEquivalent(parseTrace(a), parseTrace(b));

/** Replaces exactly one occurrence of `from` in `base` (so each negative case changes one thing). */
function variant(from: string, to: string): string {
  expect(base.split(from)).toHaveLength(2);
  return base.replace(from, to);
}

describe('alphaEquivalent', () => {
  it('accepts a trace and a consistent renaming of it', () => {
    expect(check(base, renamed)).toEqual({ ok: true });
    expect(check(renamed, base)).toEqual({ ok: true });
    expect(check(base, base)).toEqual({ ok: true });
  });

  const differences: [string, string, string][] = [
    ['a different op', variant('i4 = int_add(i2, i2)', 'i4 = int_sub(i2, i2)'), 'op 5 differs: i4 = int_add(i2, i2) (line 10) vs i4 = int_sub(i2, i2) (line 10): different operations'],
    ['an inconsistent renaming', variant('i4 = int_add(i2, i2)', 'i4 = int_add(i2, i1)'), 'op 5 differs: i4 = int_add(i2, i2) (line 10) vs i4 = int_add(i2, i1) (line 10): operand 2: i2 corresponds to i2, not i1'],
    ['two variables merged into one', variant('jump(p3, i4)', 'jump(p0, i4)'), 'op 7 differs: jump(p3, i4) (line 12) vs jump(p0, i4) (line 12): operand 1: p3 corresponds to p3, not p0'],
    ['a different constant', variant('guard_value(i4, 3)', 'guard_value(i4, 4)'), 'operand 2: 3 vs 4'],
    ['-0.0 for 0.0', variant('float[1.5, -0.0]', 'float[1.5, 0.0]'), 'op 3 differs'],
    ['a different guard id', variant('id=5', 'id=6'), 'op 3 differs: guard_true(i2) (line 8) vs guard_true(i2) (line 8): guard id 5 vs 6'],
    ['a different descr', variant('p3 = new(Node)', 'p3 = new(Cell)'), 'op 4 differs: p3 = new(Node) (line 9) vs p3 = new(Cell) (line 9): different class, field or element type'],
    ['a virtual pointing elsewhere', variant('$1 = Node{next: $0}', '$1 = Node{next: $1}'), '$1: field next: $0 vs $1'],
    ['a missing exit value', variant('[$0, p0] with', '[$0] with'), 'op 0 differs: guard_nonnull(p0) (line 5) vs guard_nonnull(p0) (line 5): 2 vs 1 fail arg(s)'],
    ['a label without its exit', variant('label(p0, i2) [$0, i2] with $0 = Node{next: p0, value: i2}', 'label(p0, i2)'), 'only the first has an exit'],
    ['an extra op', variant('jump(p3, i4)', 'escape(p3)\njump(p3, i4)'), 'op 7 differs: jump(p3, i4) (line 12) vs escape(p3) (line 12): different operations'],
    ['another class', variant('class Cell(item: float)', 'class Cell(item: int)'), 'class Cell has fields (item: float) in the first trace, (item: int) in the second'],
  ];
  for (const [what, other, message] of differences) {
    it(`rejects ${what}, naming the first difference`, () => {
      const result = check(base, other);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(message);
    });
  }

  it('rejects inputs of different types or number', () => {
    expect(check('[i0]\nfinish()', '[f0]\nfinish()')).toEqual({ ok: false, message: 'input 1: i0 and f0 have different types' });
    expect(check('[i0]\nfinish()', '[i0, i1]\nfinish()')).toEqual({ ok: false, message: 'the first trace has 1 input(s), the second 2' });
  });

  it('rejects a trace that stops early, naming the op the other goes on with', () => {
    expect(check('[i0]\nescape(i0)\nfinish()', '[i0]\nescape(i0)\nescape(i0)\nfinish()')).toMatchObject({
      ok: false,
      message: expect.stringContaining('op 1 differs: finish() (line 3) vs escape(i0) (line 3)'),
    });
  });
});
