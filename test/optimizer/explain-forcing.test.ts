// explainOptimization's reasons for a forcing that no op table entry words: an allocation forced
// only because a forced object holds it (named by the op that forced the holder, reached from
// it), one forced by an op with no reason of its own (the label argument the op defines, or the
// op's name), and one forced by a label (the loop reaches it). In a file of its own: a mutation run reuses the verdicts of tests whose file
// did not change.
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

describe('explainOptimization: the reason an op with no reason of its own forces', () => {
  it('names the label argument the op defines, or the op; a label, what it forces', () => {
    const trace = parseTrace(
      [
        'class Box(v: int)',
        'class Other(w: int)',
        '[p0, i1]',
        'p2 = new(Box)',
        'setfield(p2, v, i1)',
        'i3 = getfield(p2, v)',
        'p4 = new(Box)',
        'i5 = getfield(p4, w)',
        'p6 = new(Box)',
        'label(p0, i3)',
        'setfield(p0, v, i3)',
        'setfield(p6, v, i3)',
        'jump(p0, i3)',
      ].join('\n'),
      'reasons.trace',
    );
    const report = explainOptimization(trace, ['virtualize']);
    expect(report.allocations.map((a) => [a.name, a.forcedBy?.op, a.why])).toEqual([
      ['p2', 'getfield', 'defines the label argument i3'],
      ['p4', 'getfield', 'used by getfield'],
      ['p6', 'label', 'reachable from the loop body through a value defined before the label'],
    ]);
  });
});
