// explainOptimization on Figure 2: the two surviving allocations are forced by the jump, and
// each surviving guard says why it stayed; countOps counts every op name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOptimization } from '../../src/optimizer/explain.ts';
import { countOps } from '../../src/optimizer/stats.ts';
import { parseTrace } from '../../src/text/index.ts';

const source = readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8');
const figure2 = parseTrace(source);
const lineOf = (text: string) => source.split('\n').findIndex((l) => l.trim() === text) + 1;

describe('explainOptimization on Figure 2', () => {
  const report = explainOptimization(figure2);

  it('says the jump forced p15 and p10, with input indices and lines', () => {
    const jump = figure2.ops.length - 1;
    expect(report.allocations.map((a) => [a.name, a.allocatedAt?.line, a.forcedBy])).toEqual([
      ['p15', lineOf('p15 = new(BoxedInteger)'), { index: jump, op: 'jump', line: lineOf('jump(p15, p10)') }],
      ['p10', lineOf('p10 = new(BoxedInteger)'), { index: jump, op: 'jump', line: lineOf('jump(p15, p10)') }],
    ]);
    expect(report.allocations[0]!.why).toMatch(/jump argument/);
  });

  it('says why each guard stayed: unknown classes of the inputs, a condition that is not constant', () => {
    expect(report.guards.map((g) => [g.guardId, g.at?.op, g.why])).toEqual([
      [0, 'guard_class', 'the class of p1, an input of the trace, is not known before this guard'],
      [1, 'guard_class', 'the class of p0, an input of the trace, is not known before this guard'],
      [7, 'guard_true', 'its condition i17, computed by int_gt, is not a constant'],
    ]);
  });

  it('with only fold, says virtualize did not run', () => {
    const onlyFold = explainOptimization(figure2, ['fold']);
    expect(onlyFold.allocations).toHaveLength(5);
    expect(onlyFold.allocations.every((a) => a.why === 'virtualize did not run')).toBe(true);
  });
});

describe('countOps', () => {
  it('counts every op name, zero included', () => {
    const counts = countOps(figure2);
    expect(counts.new).toBe(5);
    expect(counts.guard_class).toBe(7);
    expect(counts.escape).toBe(0);
  });
});
