// Rejected loops (src/optimizer/loop-result.ts): a loop whose body holds a guard that can never
// pass, or whose jump never fits the label, is a typed rejection with its reason; the CLI prints
// the reason and exits with status 3.
import { describe, expect, it } from 'vitest';
import { optimizeLoop } from '../../src/optimizer/loop-result.ts';
import { CHAINED } from '../../src/optimizer/pipeline.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { main } from '../../src/cli/cli.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The preamble proves i0 = 0; the jump passes 1, so in the body guard_value(1, 0) always fails.
const NEVER_LOOPS = ['[i0]', 'guard_value(i0, 0) [i0]', 'jump(1)', 'input a [0]'].join('\n');

describe('optimizeLoop', () => {
  it('rejects a loop whose body has a guard that can never pass, naming the guard', () => {
    const result = optimizeLoop(parseTrace(NEVER_LOOPS));
    expect(result.kind).toBe('rejected');
    if (result.kind !== 'rejected') return;
    expect(result.guardId).toBe(0);
    expect(result.reason).toMatch(/guard 0 \(guard_\w+\) can never pass in the loop body/);
  });

  it('rejects a loop whose body intbounds cuts, naming the guard it decided on ranges', () => {
    // In the body i1 is 0 and i2_1 a comparison (0 or 1): `i2_1 < 0` never holds, a fact of
    // ranges, not of constants. The loop in test/golden/pipeline/loop-cut-by-intbounds.trace too.
    const source = ['[i0, i1]', 'i9 = int_mul(i0, 2)', 'i2 = int_lt(0, i0)', 'i3 = int_lt(i2, i1)', 'guard_true(i3, id=4) [i0, i9]', 'i4 = int_add(i0, 1)', 'jump(i4, 0)', 'input a [5, 3]'];
    const trace = parseTrace(source.join('\n'));
    const result = optimizeLoop(trace);
    expect(result.kind).toBe('rejected');
    if (result.kind !== 'rejected') return;
    expect(result.trace.ops.at(-1)!.name).toBe('finish');
    expect(result.guardId).toBe(4);
    expect(result.reason).toMatch(/guard 4 \(guard_true\) can never pass in the loop body/);
  });

  it('accepts a labelled trace that was no loop, whose body ends in a guard and finish', () => {
    const source = ['[i0]', 'label(i0) [i0]', 'i1 = int_gt(i0, 3)', 'guard_true(i1) [i0]', 'finish(i1)', 'input a [5]'];
    const result = optimizeLoop(parseTrace(source.join('\n')));
    expect(result.kind).toBe('optimized');
    expect(result.trace.ops.map((op) => op.name)).toEqual(['label', 'int_gt', 'guard_true', 'finish']);
  });

  it('accepts a loop whose body can run again (Figure 2 style countdown)', () => {
    const trace = parseTrace(['[i0]', 'i1 = int_sub(i0, 1)', 'i2 = int_gt(i1, 0)', 'guard_true(i2) [i1]', 'jump(i1)', 'input a [5]'].join('\n'));
    expect(optimizeLoop(trace).kind).toBe('optimized');
  });

  it('accepts a loop whose body guards a value it cannot decide, either way', () => {
    // guard_false on a variable: an optimizer that took any variable for nonzero would call it
    // a guard that always fails.
    for (const guard of ['guard_false', 'guard_true']) {
      const trace = parseTrace(['[i0]', 'i1 = int_gt(i0, 100)', `${guard}(i1) [i0]`, 'i2 = int_add(i0, 1)', 'jump(i2)', 'input a [5]'].join('\n'));
      const result = optimizeLoop(trace);
      expect(result.kind).toBe('optimized');
      // The body keeps its guard: the loop was peeled, not cut.
      const body = result.trace.ops.slice(result.trace.ops.findIndex((op) => op.name === 'label') + 1);
      expect(body.map((op) => op.name)).toContain(guard);
    }
  });

  it('keeps a guard_class on an object each iteration reads anew, and never rejects a trace that is no loop', () => {
    const list = parseTrace(['class Node(next: ref, val: int)', '[p0, i1]', 'guard_class(p0, Node) [p0, i1]', 'i2 = getfield(p0, val)', 'i3 = int_add(i1, i2)', 'p4 = getfield(p0, next)', 'guard_nonnull(p4) [p0, i3]', 'jump(p4, i3)'].join('\n'));
    const walked = optimizeLoop(list);
    expect(walked.kind).toBe('optimized');
    expect(printTrace(walked.trace).split('label(')[1]).toContain('guard_class(');
    // A guard that always fails, in a trace that ends in finish: the trace is cut there, not rejected.
    const straight = optimizeLoop(parseTrace(['[i0]', 'i1 = int_add(i0, 1)', 'guard_true(0) [i1]', 'finish(i1)', 'input a [1]'].join('\n')));
    expect(straight.kind).toBe('optimized');
  });

  it('rejects a loop that starts at its own label, with no preamble, whose body never passes a guard', () => {
    const result = optimizeLoop(parseTrace(['[i0]', 'label(i0) [i0]', 'i1 = int_add(i0, 1)', 'guard_true(0) [i1]', 'jump(i1)'].join('\n')));
    expect(result.kind).toBe('rejected');
    if (result.kind === 'rejected') expect(result.guardId).toBe(0);
  });

  it('runs the chained driver when no test replaces peel\'s test', () => {
    const names: string[] = [];
    optimizeLoop(parseTrace(['[i0]', 'i1 = int_sub(i0, 1)', 'i2 = int_gt(i1, 0)', 'guard_true(i2) [i1]', 'jump(i1)', 'input a [5]'].join('\n')), undefined, { afterPass: (name) => names.push(name) });
    expect(names).toEqual([CHAINED]);
  });

  it('rejects a loop whose jump never fits the label, with the reason peel gives (through its close seam)', () => {
    const trace = parseTrace(['[i0]', 'i1 = int_sub(i0, 1)', 'jump(i1)'].join('\n'));
    const result = optimizeLoop(trace, undefined, {}, () => ({ kind: 'fails', why: 'a loop argument is the constant 7 only in the first iteration' }));
    expect(result.kind).toBe('rejected');
    if (result.kind === 'rejected') expect(result.reason).toBe('the loop can never close: a loop argument is the constant 7 only in the first iteration');
  });

  it("takes the verdict of the pipeline's own peel runs: peel is not run again to decide", () => {
    const trace = parseTrace(['[i0]', 'i1 = int_sub(i0, 1)', 'jump(i1)'].join('\n'));
    let closes = 0;
    const peelRuns: (string | null)[] = [];
    const result = optimizeLoop(trace, undefined, { afterPeel: (rejected) => peelRuns.push(rejected) }, () => {
      closes += 1;
      return { kind: 'fails', why: 'never' };
    });
    expect(result.kind).toBe('rejected');
    // The trace returned is the one whose peel gave up (no label): the verdict and the trace
    // come from the same runs, and the seam was consulted by those runs only, once each.
    expect(result.trace.ops.some((op) => op.name === 'label')).toBe(false);
    expect(peelRuns.length).toBeGreaterThan(0);
    expect(peelRuns.every((rejected) => rejected === 'never')).toBe(true);
    expect(closes).toBe(peelRuns.length);
  });
});

describe('boxless optimize on a rejected loop', () => {
  it('prints the trace, the reason on stderr, and exits with 3', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'boxless-')), 'never.trace');
    writeFileSync(file, NEVER_LOOPS);
    const errors: string[] = [];
    const out: string[] = [];
    const error = console.error;
    const write = process.stdout.write.bind(process.stdout);
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      expect(await main(['optimize', file])).toBe(3);
    } finally {
      console.error = error;
      process.stdout.write = write;
    }
    expect(errors.join('\n')).toMatch(/^boxless: rejected loop: guard 0 .* can never pass in the loop body/);
    expect(out.join('')).toContain('label(');
  });
});
