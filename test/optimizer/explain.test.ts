// explainOptimization on Figure 2: the two surviving allocations are forced by the jump, and
// each surviving guard says why it stayed; countOps counts every op name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOptimization } from '../../src/optimizer/explain.ts';
import { DEFAULT_PIPELINE } from '../../src/optimizer/pipeline.ts';
import { countOps } from '../../src/optimizer/stats.ts';
import { parseTrace } from '../../src/text/index.ts';

const source = readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8');
const figure2 = parseTrace(source);
const lineOf = (text: string) => source.split('\n').findIndex((l) => l.trim() === text) + 1;

/** The default pipeline without peel: the paper's section 4 plus the supporting passes. */
const UNPEELED = DEFAULT_PIPELINE.filter((pass) => pass !== 'peel');

describe('explainOptimization on Figure 2, without peel', () => {
  const report = explainOptimization(figure2, UNPEELED);

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

});

describe('explainOptimization on Figure 2, peeled (the default pipeline)', () => {
  const report = explainOptimization(figure2);

  it('finds no allocation left, and places each guard in the preamble or the loop body', () => {
    expect(report.allocations).toEqual([]);
    expect(report.guards.map((g) => [g.guardId, g.section, g.at?.line])).toEqual([
      [0, 'preamble', lineOf('guard_class(p1, BoxedInteger)')],
      [1, 'preamble', lineOf('guard_class(p0, BoxedInteger)')],
      [7, 'preamble', lineOf('guard_true(i17)')],
      [7, 'body', lineOf('guard_true(i17)')],
    ]);
    expect(report.guards[3]!.why).toBe('its condition i17_1, computed by int_gt, is not a constant');
  });
});

describe('explainOptimization, other pass lists and peeled loops', () => {
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

describe('explainOptimization on peeled loops', () => {
  it('blames the op of the body that forces an object the preamble kept virtual', () => {
    const source = [
      'class Box(v: int)',
      '[p0, i1]',
      'guard_class(p0, Box)',
      'i2 = getfield(p0, v)',
      'i3 = int_add(i2, i1)',
      'p4 = new(Box)',
      'setfield(p4, v, i3)',
      'i5 = int_lt(i3, 100)',
      'guard_true(i5)',
      'escape(p0)',
      'jump(p4, i3)',
    ].join('\n');
    const report = explainOptimization(parseTrace(source));
    // Iteration 1 escapes the input p0; every later one escapes the Box the previous made.
    expect(report.allocations.map((a) => [a.section, a.allocatedAt?.line, a.forcedBy?.op, a.forcedBy?.line, a.why])).toEqual([
      ['body', 6, 'escape', 10, 'passed to escape'],
    ]);
  });

  it('says when the loop cannot carry an object as a virtual (here: it moves to a plain argument)', () => {
    const source = readFileSync(new URL('../golden/peel/peel-class-change.trace', import.meta.url), 'utf8').split(/^===/m)[0]!;
    const report = explainOptimization(parseTrace(source));
    expect(report.allocations).toHaveLength(1);
    expect(report.allocations[0]).toMatchObject({ section: 'body', forcedBy: null });
    expect(report.allocations[0]!.why).toMatch(/cannot carry it as a virtual/);
  });
});
