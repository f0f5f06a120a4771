// No recursion whose depth follows the input in forcing, in resume data and in loop peeling's
// state at the label: a chain of 20,000 nested virtuals (each object's `next` holds the one
// before) is allocated by one escape, described as resume data by one guard, and carried across
// a loop's jump as the label's virtual state, without a stack overflow (a recursive walk
// overflowed at about 2,000 in forcing and 5,000 in resume data). 20,000 keeps it so; 100,000
// was measured.
import { describe, expect, it } from 'vitest';
import { cint, mkOp, type Op, type Trace, v } from '../../src/ir/index.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';
import { optimize } from '../../src/optimizer/pipeline.ts';
import { peel } from '../../src/optimizer/peel.ts';

const DEPTH = 20_000;

function chain(end: (last: string) => Op[]): Trace {
  const ops: Op[] = [];
  for (let k = 1; k <= DEPTH; k++) {
    ops.push(mkOp('new', [], { result: `p${k}`, descr: { kind: 'class', cls: 'Node' } }));
    if (k > 1) ops.push(mkOp('setfield', [v(`p${k}`), v(`p${k - 1}`)], { descr: { kind: 'field', cls: 'Node', field: 'next' } }));
  }
  ops.push(...end(`p${DEPTH}`));
  return {
    classes: [{ name: 'Node', fields: [{ name: 'next', type: 'ref' }, { name: 'item', type: 'int' }] }],
    inputs: [{ name: 'i0' }],
    ops,
    inputSets: [],
  };
}

describe(`${DEPTH} nested virtuals`, () => {
  it('are allocated by the escape that reaches them, innermost field writes after each allocation', () => {
    const out = optimize(chain((last) => [mkOp('escape', [v(last)]), mkOp('finish', [])]));
    expect(out.ops.filter((op) => op.name === 'new')).toHaveLength(DEPTH);
    expect(out.ops.filter((op) => op.name === 'setfield')).toHaveLength(DEPTH - 1);
    // R1: the outermost object is allocated first, then the one it holds, and so on.
    expect(out.ops[0]!.result).toBe(`p${DEPTH}`);
  });

  it('are described as the resume data of a guard, each once, depth first', () => {
    const out = virtualize(chain((last) => [mkOp('guard_true', [v('i0')], { guardId: 0, exit: { values: [v(last)], virtuals: [] } }), mkOp('finish', [cint(1)])]));
    const guard = out.ops.find((op) => op.name === 'guard_true')!;
    expect(guard.exit!.values).toEqual([{ kind: 'virtual', index: 0 }]);
    expect(guard.exit!.virtuals).toHaveLength(DEPTH);
    expect(guard.exit!.virtuals[1]).toEqual({ kind: 'object', cls: 'Node', fields: [{ field: 'next', value: { kind: 'virtual', index: 2 } }] });
  });

  it('cross a loop jump as the label virtual state, matched at the jump without recursion', () => {
    const loop = chain((last) => [mkOp('jump', [v(last)])]);
    const input = { ...loop, inputs: [{ name: 'p0' }] };
    const out = peel(input);
    const label = out.ops.find((op) => op.name === 'label')!;
    // The whole chain is virtual at the label (its exit describes it) and in the body.
    expect(label.args).toEqual([]);
    expect(label.exit!.virtuals).toHaveLength(DEPTH);
    expect(out.ops.at(-1)).toEqual(mkOp('jump', []));
    expect(optimize(input).ops.filter((op) => op.name === 'new')).toHaveLength(0);
  });
});
