/**
 * The chained driver's segmented lists (src/optimizer/segmented.ts), directly across segment
 * boundaries, and through the driver on a loop whose output fills several segments (generated
 * property traces emit a few dozen ops, all in one segment).
 */
import { describe, expect, it } from 'vitest';
import { genLargeTrace } from '../../properties/arbitraries/trace.ts';
import { chainOptimize } from '../../src/optimizer/chain.ts';
import { SegmentedInt32List, SegmentedList } from '../../src/optimizer/segmented.ts';
import { assertBehavesLikeInput } from './contract.ts';

describe('a segmented list', () => {
  it('gives back every item pushed, at the index push returned, over several segments', () => {
    const list = new SegmentedList<{ k: number }>();
    const ints = new SegmentedInt32List();
    const items = Array.from({ length: 3 * 1024 + 5 }, (_, k) => ({ k }));
    for (const [k, item] of items.entries()) {
      expect(list.push(item)).toBe(k);
      expect(ints.push(7 * k - 5000)).toBe(k);
    }
    expect(list.length).toBe(items.length);
    expect(ints.length).toBe(items.length);
    for (const [k, item] of items.entries()) {
      expect(list.get(k)).toBe(item);
      expect(ints.get(k)).toBe(7 * k - 5000);
    }
  });
});

describe('the chained driver on a loop that emits several segments of ops', () => {
  it('behaves like its input', () => {
    const input = genLargeTrace(3000, 1001, { guards: 'passing' });
    const output = chainOptimize(input).trace;
    expect(output.ops.length).toBeGreaterThan(1024);
    assertBehavesLikeInput(input, output);
  });
});
