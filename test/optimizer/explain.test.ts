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
  it('with virtualize alone, says what forced each allocation, as with the whole pipeline', () => {
    const alone = explainOptimization(figure2, ['virtualize']);
    expect(alone.allocations.length).toBeGreaterThan(0);
    expect(alone.allocations.every((a) => a.code === 'forced')).toBe(true);
  });

  it('with only fold, says virtualize did not run', () => {
    const onlyFold = explainOptimization(figure2, ['fold']);
    expect(onlyFold.allocations).toHaveLength(5);
    expect(onlyFold.allocations.every((a) => a.why === 'virtualize did not run' && a.code === 'virtualize-not-run')).toBe(true);
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

describe('explainOptimization, each reason in its words', () => {
  const lines = [
    'class Box(v: int, next: ref)',
    '[p0, i1, i2]',
    'guard_class(p0, Box) [p0]',
    'p3 = getfield(p0, next)',
    'guard_nonnull(p3) [p0]',
    'p4 = getfield(p3, next)',
    'guard_isnull(p4) [p0]',
    'guard_value(i1, 7) [p0]',
    'i5 = int_add_ovf(i2, 1)',
    'guard_no_overflow() [p0]',
    'i6 = int_sub_ovf(i2, 1)',
    'guard_overflow() [p0]',
    'i7 = int_lt(i5, 100)',
    'guard_false(i7) [p0]',
    'p8 = new_array(i2, int)',
    'p9 = new_array(100000, int)',
    'p10 = new(Box)',
    'escape(p8, p9, p10)',
    'i11 = int_add(i1, 1)',
    'guard_value(i11, 9) [p0]',
    'finish(i5)',
  ];
  const lineOf = (text: string) => lines.indexOf(text) + 1;

  it('why each guard stayed: class, nullness (of heap reads), value, overflow either way, condition, and a guard that always fails', () => {
    const report = explainOptimization(parseTrace(lines.join('\n'), 'reasons.trace'));
    expect(report.guards.map((g) => [g.at?.line, g.code, g.why])).toEqual([
      [lineOf('guard_class(p0, Box) [p0]'), 'class-unknown', 'the class of p0, an input of the trace, is not known before this guard'],
      [lineOf('guard_nonnull(p3) [p0]'), 'nullness-unknown', 'whether p3, read from the heap by getfield, is null is not known before this guard'],
      [lineOf('guard_isnull(p4) [p0]'), 'nullness-unknown', 'whether p4, read from the heap by getfield, is null is not known before this guard'],
      [lineOf('guard_value(i1, 7) [p0]'), 'value-unknown', 'i1, an input of the trace, is not known to equal a constant'],
      [lineOf('guard_no_overflow() [p0]'), 'overflow-unknown', 'the operands of the overflow check are not constants'],
      [lineOf('guard_overflow() [p0]'), 'overflow-unknown', 'the operands of the overflow check are not constants'],
      [lineOf('guard_false(i7) [p0]'), 'condition-unknown', 'its condition i7, computed by int_lt, is not a constant'],
      // i1 is 7 from the first guard_value on, so i11 is 8: the second guard_value never passes.
      [lineOf('guard_value(i11, 9) [p0]'), 'always-fails', 'it always fails (its operands are constants): every run leaves the trace here, and what followed was removed'],
    ]);
  });

  it('a guard on an allocation, with a pipeline that does not fold it, says what allocated its operand', () => {
    const trace = ['class Box(v: int)', '[i0]', 'p1 = new(Box)', 'escape(p1)', 'guard_class(p1, Box) [i0]', 'finish(i0)'].join('\n');
    const report = explainOptimization(parseTrace(trace, 'allocated.trace'), ['dce']);
    expect(report.guards.map((g) => [g.at?.line, g.code, g.why])).toEqual([[5, 'class-unknown', 'the class of p1, allocated by new, is not known before this guard']]);
  });

  it('why each allocation stayed: a length not constant, a length past the limit, an escape', () => {
    const report = explainOptimization(parseTrace(lines.join('\n').replace('guard_value(i11, 9)', 'guard_value(i11, 8)'), 'reasons.trace'));
    expect(report.allocations.map((a) => [a.name, a.allocatedAt?.line, a.forcedBy?.line ?? null, a.code, a.why])).toEqual([
      ['p8', lineOf('p8 = new_array(i2, int)'), null, 'array-length-unknown', 'its length is not a constant'],
      ['p9', lineOf('p9 = new_array(100000, int)'), null, 'array-too-long', 'its length is above 64, the longest array kept virtual'],
      ['p10', lineOf('p10 = new(Box)'), lineOf('escape(p8, p9, p10)'), 'forced', 'passed to escape'],
    ]);
  });

  it("names the input op of a peeled body's copy (`p1_1` is the input's `p1`)", () => {
    const loop = ['class Box(v: int, next: ref)', '[i0]', 'p1 = new(Box)', 'escape(p1)', 'i2 = int_add(i0, 1)', 'jump(i2)'];
    const report = explainOptimization(parseTrace(loop.join('\n'), 'loop.trace'));
    expect(report.allocations.map((a) => [a.name, a.section, a.allocatedAt?.line, a.forcedBy?.line])).toEqual([
      ['p1', 'preamble', 3, 4],
      ['p1_1', 'body', 3, 4],
    ]);
    // peel alone runs virtualize on both sections: the same forcings, not "virtualize did not run".
    const peelAlone = explainOptimization(parseTrace(loop.join('\n'), 'loop.trace'), ['peel']);
    expect(peelAlone.allocations.map((a) => [a.name, a.code, a.why])).toEqual([
      ['p1', 'forced', 'passed to escape'],
      ['p1_1', 'forced', 'passed to escape'],
    ]);
  });
});

describe('explainOptimization on traces of other shapes', () => {
  it('a trace that starts at its own label: the body is the body, and the escape forced the allocation', () => {
    const lines = ['class Box(v: int)', '[i0]', 'label(i0) [i0]', 'p1 = new(Box)', 'setfield(p1, v, i0)', 'escape(p1)', 'i2 = int_add(i0, 1)', 'i3 = int_lt(i2, 10)', 'guard_true(i3) [i2]', 'jump(i2)'];
    const report = explainOptimization(parseTrace(lines.join('\n'), 'labelled.trace'));
    expect(report.allocations.map((a) => [a.name, a.section, a.allocatedAt?.line, a.forcedBy?.line, a.code])).toEqual([['p1', 'body', 4, 6, 'forced']]);
    expect(report.guards.map((g) => [g.section, g.at?.line])).toEqual([['body', 9]]);
  });

  it("names the input op of a body copy whose suffix the trace's names pushed to two digits (`p1_10`)", () => {
    // p1_1 .. p1_9 are taken (inputs of the trace), so the body's names end in _10.
    const taken = Array.from({ length: 9 }, (_, k) => `p1_${k + 1}`);
    const loop = ['class Box(v: int)', `[i0, ${taken.join(', ')}]`, 'p1 = new(Box)', 'escape(p1)', 'i2 = int_add(i0, 1)', `jump(i2, ${taken.join(', ')})`];
    const report = explainOptimization(parseTrace(loop.join('\n'), 'suffix.trace'));
    expect(report.allocations.map((a) => [a.name, a.section, a.allocatedAt?.line, a.forcedBy?.line])).toEqual([
      ['p1', 'preamble', 3, 4],
      ['p1_10', 'body', 3, 4],
    ]);
  });

  it('an input variable named like a copy (`p1_1` beside `p1`) is itself, in a trace without sections', () => {
    const report = explainOptimization(parseTrace(['class Box(v: int)', '[i0]', 'p1 = new(Box)', 'p1_1 = new(Box)', 'escape(p1_1)', 'finish(i0)'].join('\n'), 'names.trace'));
    expect(report.allocations.map((a) => [a.name, a.section, a.allocatedAt?.line])).toEqual([['p1_1', 'trace', 4]]);
  });

  it('ops without a source location (a trace built in code) have places without lines', () => {
    const parsed = parseTrace(['class Box(v: int)', '[i0]', 'p1 = new(Box)', 'escape(p1)', 'finish(i0)'].join('\n'));
    const built = { ...parsed, ops: parsed.ops.map((op) => ({ ...op, loc: undefined })) };
    const report = explainOptimization(built);
    expect(report.allocations.map((a) => [a.allocatedAt, a.forcedBy])).toEqual([[{ index: 0, op: 'new', line: null }, { index: 1, op: 'escape', line: null }]]);
  });
});
