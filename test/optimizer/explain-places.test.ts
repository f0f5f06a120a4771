// Where explainOptimization places what survived, on inputs the optimizer did not write itself:
// an optimized trace optimized again (its body repeats its preamble's guard ids), a guard id
// written twice, names that look like a body's copies, and a pass of the user's own that adds an
// allocation and a guard the input does not have.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mkOp, type Trace, v } from '../../src/ir/index.ts';
import { explainOptimization } from '../../src/optimizer/explain.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';

/** The 1-based line of the first line of `source` that reads `text` (trimmed). */
const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.trim() === text) + 1;

describe('explainOptimization places guards on their side of the input label', () => {
  it("an optimized Figure 2 optimized again: the body's guard is the input body's, the preamble's the preamble's", () => {
    const figure2 = parseTrace(readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8'));
    const source = printTrace(optimize(figure2));
    const lines = source.split('\n');
    const preambleGuard = lines.findIndex((l) => l.startsWith('guard_true(i17, id=7)')) + 1;
    const bodyGuard = lines.findIndex((l) => l.startsWith('guard_true(i17_1, id=7)')) + 1;
    expect(preambleGuard).toBeGreaterThan(0);
    expect(bodyGuard).toBeGreaterThan(preambleGuard);
    const report = explainOptimization(parseTrace(source, 'again.trace'));
    expect(report.guards.map((g) => [g.guardId, g.section, g.at?.line])).toEqual([
      [0, 'preamble', lineOf(source, 'guard_class(p1, BoxedInteger)')],
      [1, 'preamble', lineOf(source, 'guard_class(p0, BoxedInteger)')],
      [7, 'preamble', preambleGuard],
      [7, 'body', bodyGuard],
    ]);
  });

  it('a guard id written twice on one side is placed at its first guard', () => {
    const source = ['[i0, i1]', 'i2 = int_lt(i0, 10)', 'guard_true(i2, id=3) [i0]', 'i3 = int_lt(i1, 10)', 'guard_true(i3, id=3) [i1]', 'finish(i0)'].join('\n');
    const report = explainOptimization(parseTrace(source, 'twice.trace'));
    const first = lineOf(source, 'guard_true(i2, id=3) [i0]');
    expect(report.guards.map((g) => [g.guardId, g.section, g.at?.line])).toEqual([
      [3, 'trace', first],
      [3, 'trace', first],
    ]);
  });
});

describe('explainOptimization names allocations after the input', () => {
  it('an input allocation p1_11 beside p1_1 is itself, though the body suffix is _1', () => {
    // No result x has a name x_1 here (p1_11 splits as p1 and 11), so a body's copies would end in
    // _1; p1_11 ends in _1 too, yet it is the input's own name, not a copy of p1_1.
    const source = ['class Box(v: int)', '[i0]', 'p1_1 = new(Box)', 'p1_11 = new(Box)', 'escape(p1_11)', 'finish(i0)'].join('\n');
    const report = explainOptimization(parseTrace(source, 'names.trace'));
    expect(report.allocations.map((a) => [a.name, a.section, a.allocatedAt?.line, a.forcedBy?.line])).toEqual([
      ['p1_11', 'trace', lineOf(source, 'p1_11 = new(Box)'), lineOf(source, 'escape(p1_11)')],
    ]);
  });

  it("a pass of the user's own that adds an allocation and a guard: neither has a place in the input", () => {
    // The added allocation is p1_9: the input has p1, and its body copies would end in _1, which
    // p1_9 does not: it is no copy of p1, and stays without a place.
    const source = ['class Box(v: int)', '[i0]', 'p1 = new(Box)', 'escape(p1)', 'finish(i0)'].join('\n');
    // Passes run in rounds until nothing changes: this one adds its ops once.
    const addsBoxAndGuard = (trace: Trace): Trace => {
      if (trace.ops.some((op) => op.result === 'p1_9')) return trace;
      const finish = trace.ops[trace.ops.length - 1]!;
      const added = [
        mkOp('new', [], { result: 'p1_9', descr: { kind: 'class', cls: 'Box' } }),
        mkOp('escape', [v('p1_9')]),
        mkOp('guard_nonnull', [v('p1_9')], { guardId: 42, exit: { values: [v('i0')], virtuals: [] } }),
      ];
      return { ...trace, ops: [...trace.ops.slice(0, -1), ...added, finish] };
    };
    const report = explainOptimization(parseTrace(source, 'added.trace'), [addsBoxAndGuard]);
    expect(report.allocations.map((a) => [a.name, a.allocatedAt?.line ?? null, a.forcedBy, a.code])).toEqual([
      ['p1', lineOf(source, 'p1 = new(Box)'), null, 'virtualize-not-run'],
      ['p1_9', null, null, 'virtualize-not-run'],
    ]);
    expect(report.guards.map((g) => [g.guardId, g.at])).toEqual([[42, null]]);
  });
});
