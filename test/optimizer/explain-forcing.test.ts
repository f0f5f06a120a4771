// explainOptimization on an allocation forced only because a forced object holds it: its
// forcing names the op that forced the holder and says it was reached from it. In a file of its
// own: a mutation run reuses the verdicts of tests whose file did not change.
import { describe, expect, it } from 'vitest';
import { explainOptimization } from '../../src/optimizer/explain.ts';
import { parseTrace } from '../../src/text/index.ts';

const source = [
  'class Box(v: ref)',
  'class Leaf(x: int)',
  '[p0, i1]',
  'p2 = new(Leaf)',
  'setfield(p2, x, i1)',
  'p3 = new(Box)',
  'setfield(p3, v, p2)',
  'setfield(p0, v, p3)',
  'finish()',
].join('\n');

describe('explainOptimization: a virtual reached from a forced one', () => {
  it('is forced by the same op, and says from which object', () => {
    const report = explainOptimization(parseTrace(source, 'reach.trace'));
    expect(report.allocations.map((a) => [a.name, a.allocatedAt?.line, a.forcedBy?.op, a.forcedBy?.line, a.code, a.why])).toEqual([
      ['p3', 6, 'setfield', 8, 'forced', 'stored into an object that is not virtual'],
      ['p2', 4, 'setfield', 8, 'forced', 'reachable from p3, forced by the same op'],
    ]);
  });
});
