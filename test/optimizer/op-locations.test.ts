// An op the optimizer builds in place of an input op keeps that op's location, so that a message
// about the optimized trace (a validation error, the reference's undefined behaviour) points into
// the source. Here the guard known to fail, rebuilt as guard_true(0). In a file of its own: a
// mutation run reuses the verdicts of tests whose file did not change.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';

const source = [
  'class Box(v: int)',
  'class Other(w: int)',
  '[i0]',
  'p1 = new(Box)',
  'setfield(p1, v, i0)',
  'guard_class(p1, Other) [i0]',
  'finish(i0)',
].join('\n');

describe('a guard known to fail', () => {
  for (const passes of [['virtualize'], undefined]) {
    it(`keeps the input guard's location (${passes?.join(',') ?? 'default pipeline'})`, () => {
      const out = optimize(parseTrace(source, 'fails.trace'), passes);
      const guard = out.ops.find((op) => op.name === 'guard_true')!;
      expect(guard.args).toEqual([expect.objectContaining({ kind: 'int', value: 0n })]);
      expect(guard.loc).toEqual(expect.objectContaining({ line: 6 }));
      expect(Object.keys(guard)).not.toContain('line');
    });
  }
});
