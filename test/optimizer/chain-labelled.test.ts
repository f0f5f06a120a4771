/**
 * The chained driver on traces that already have a label (chainOptimizeLabelled): regressions
 * whose optimized form the translation validator does not prove (so they cannot be goldens,
 * which must be proved), checked on the reference and against one more pass-by-pass round; and
 * whether the chain keeps a loop rather than leaving it to the passes (null), which a golden of
 * the same result from either cannot show.
 * The goldens test/golden/pipeline/labelled-*.trace and regressions/labelled-*.trace hold the rest.
 */
import { describe, expect, it } from 'vitest';
import { alphaEquivalent } from '../../src/ir/index.ts';
import { chainOptimize, chainOptimizeLabelled } from '../../src/optimizer/chain.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';
import { oneRound } from '../../properties/removal.ts';
import { assertBehavesLikeInput } from './contract.ts';

describe('the chained driver on a labelled input', () => {
  it('is not what chainOptimize takes: it says which entry point does', () => {
    const labelled = parseTrace(['[i0]', 'label(i0) [i0]', 'i1 = int_add(i0, 1)', 'jump(i1)', 'input a [5]'].join('\n'));
    expect(() => chainOptimize(labelled)).toThrow(/without a label here \(chainOptimizeLabelled\)/);
    expect(chainOptimizeLabelled(labelled)).not.toBeNull();
  });

  it('runs again on its result while that changes it: a dead write into an object made before the label no longer hides a repeated read', () => {
    // Found by "the pipeline runs to a fixpoint" (FC_SEED=-919901537, 3,000 runs). p1 is
    // allocated before the label (one object for every iteration); its write made the heap cache
    // forget BoxedInteger.intval of every object, so the second read of @box stayed; dce then
    // removed the write and the allocation, and a further round removed the read and the guard.
    // The validator answers unknown here: p1 is a value before the label that it cannot follow.
    const input = parseTrace(`class BoxedInteger(intval: int)
prebuilt @box = BoxedInteger{intval: 7}
[f0]
p1 = new(BoxedInteger)
label(f0) [f0]
i2_b = getfield(@box, intval)
setfield(p1, intval, i2_b)
i3_b = getfield(@box, intval)
guard_value(i3_b, i2_b, id=1) []
jump(f0)

input s0 [0.5]
`);
    const optimized = optimize(input);
    assertBehavesLikeInput(input, optimized);
    expect(alphaEquivalent(optimized, oneRound(optimized)).ok).toBe(true);
    expect(optimized.ops.map((op) => op.name)).toEqual(['label', 'jump']);
  });

  it('keeps a loop whose label, without an exit, takes an object the preamble made: allocated before the label', () => {
    // Without an exit the label's arguments are the loop's own (what a run out of fuel there
    // reports), so every object among them is allocated before it, and the chain keeps the loop
    // rather than leaving it to the passes (null).
    const input = parseTrace(`class Box(v: int)
[p0]
i0 = getfield(p0, v)
p1 = new(Box)
setfield(p1, v, i0)
label(p1)
i2 = getfield(p1, v)
i3 = int_add(i2, 1)
i4 = int_lt(i3, 100)
guard_true(i4) [p0]
p5 = new(Box)
setfield(p5, v, i3)
jump(p5)

input a [@b] with @b = Box{v: 1}
input b [@b] with @b = Box{v: 99}
`);
    const result = chainOptimizeLabelled(input);
    expect(result).not.toBeNull();
    expect(alphaEquivalent(result!.trace, input).ok).toBe(true);
  });
});
