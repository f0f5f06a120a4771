/**
 * The chained driver on traces that already have a label (chainOptimizeLabelled): regressions
 * whose optimized form the translation validator does not prove (so they cannot be goldens,
 * which must be proved), checked on the reference and against one more pass-by-pass round.
 * The goldens test/golden/pipeline/labelled-*.trace and regressions/labelled-*.trace hold the rest.
 */
import { describe, expect, it } from 'vitest';
import { alphaEquivalent } from '../../src/ir/index.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';
import { oneRound } from '../../properties/removal.ts';
import { assertBehavesLikeInput } from './contract.ts';

describe('the chained driver on a labelled input', () => {
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
});
