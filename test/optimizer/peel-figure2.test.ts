// The paper's running example (Figure 2) peeled: its body is the paper's Figure 6 (integer
// operations, the comparison and its guard, nothing else), its label carries plain integers, and
// with y a BoxedFloat the preamble exits at the guard on p0 exactly as the input trace does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freezeTrace, type Op, type Trace, typeOfArg, validate } from '../../src/ir/index.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { peel } from '../../src/optimizer/peel.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';
import { parseTrace } from '../../src/text/index.ts';
import { runReference } from '../../spec/interpreter.ts';
import { FUELS_0_TO_20, firstDifference } from './equivalence.ts';

const figure2 = freezeTrace(parseTrace(readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8')));

function split(trace: Trace): { preamble: readonly Op[]; label: Op; body: readonly Op[] } {
  const at = trace.ops.findIndex((op) => op.name === 'label');
  expect(at, 'the trace has a label').toBeGreaterThan(0);
  return { preamble: trace.ops.slice(0, at), label: trace.ops[at]!, body: trace.ops.slice(at + 1) };
}

const BODY_OPS = ['int_add', 'int_gt', 'guard_true', 'jump'];

describe.each([
  ['peel after virtualize', (t: Trace) => peel(virtualize(t))],
  ['peel, then the default pipeline', (t: Trace) => optimize(peel(virtualize(t)))],
])('Figure 2 through %s', (_, optimizeLoop) => {
  // Each test optimizes the figure itself (not the describe body, which runs while vitest
  // collects the tests): a mutation run counts only what a test runs as reached by it.
  const parts = () => {
    const peeled = optimizeLoop(figure2);
    return { peeled, ...split(peeled) };
  };

  it('validates', () => {
    const { peeled } = parts();
    expect(() => validate(peeled)).not.toThrow();
  });

  it('has a body of integer ops, the comparison and its guard (Figure 6)', () => {
    const { body } = parts();
    expect(body.map((op) => op.name)).toEqual(['int_add', 'int_add', 'int_add', 'int_gt', 'guard_true', 'jump']);
    expect(body.every((op) => BODY_OPS.includes(op.name))).toBe(true);
  });

  it('carries plain integers in the label, and rebuilds the two boxes at a fuel exit', () => {
    const { label } = parts();
    expect(label.args.map(typeOfArg)).toEqual(['int', 'int']);
    expect(label.exit!.values).toEqual([
      { kind: 'virtual', index: 0 },
      { kind: 'virtual', index: 1 },
    ]);
    expect(label.exit!.virtuals.map((d) => d.kind === 'object' && d.cls)).toEqual(['BoxedInteger', 'BoxedInteger']);
  });

  it('keeps the guards on the boxed inputs in the preamble, with their ids', () => {
    const { preamble, body } = parts();
    const guards = preamble.filter((op) => op.guardId >= 0);
    // (virtualize alone also keeps the second guard_class on p0, id 4: fold removes it)
    expect(guards.filter((op) => op.name === 'guard_class').map((op) => op.guardId).slice(0, 2)).toEqual([0, 1]);
    expect(body.filter((op) => op.guardId >= 0).map((op) => op.guardId)).toEqual([7]);
  });

  it('exits at the guard on p0 (id 1) in the preamble when y is a BoxedFloat, as the input does', () => {
    const { peeled } = parts();
    const floatY = figure2.inputSets.find((s) => s.name === 'float_y')!;
    expect(runReference(figure2, floatY).exit).toEqual({ kind: 'guard', guardId: 1 });
    expect(runReference(peeled, floatY).exit).toEqual({ kind: 'guard', guardId: 1 });
  });

  it('behaves like the input for fuel 0 to 20 (exits in the preamble, at the label, in the body)', () => {
    const { peeled } = parts();
    expect(firstDifference(figure2, peeled, figure2.inputSets, FUELS_0_TO_20)).toBeNull();
  });
});
