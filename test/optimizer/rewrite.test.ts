// The passes' shared rewriting of operands and resume data (src/optimizer/rewrite.ts): a value is
// replaced wherever it is read (operands, fail args, fields and items of the virtuals an exit
// describes), virtuals are left as they are, and what does not change is shared, not copied (the
// pipeline and the passes take an unchanged op, exit or trace by identity).
import { describe, expect, it } from 'vitest';
import { type Arg, cint, type Op } from '../../src/ir/index.ts';
import { mapExit, mapOperands } from '../../src/optimizer/rewrite.ts';
import { parseTrace } from '../../src/text/index.ts';

const ops = parseTrace(
  [
    'class Box(v: int)',
    'class Holder(b: ref)',
    '[i0, i1, p2]',
    'i3 = int_add(i0, i1)',
    'guard_true(i3) [i0, $0, $1, $2] with $0 = Box{v: i1}, $1 = int[i0, 5, i1], $2 = Holder{b: $0}',
    'guard_false(i3) [i0, i1]',
    'guard_true(i0) [$0, i1] with $0 = Box{v: 5}',
    'finish(i3)',
  ].join('\n'),
  'rewrite.trace',
).ops;
const [add, described, plain, virtualFirst] = ops as [Op, Op, Op, Op];
const same = (a: Arg) => a;
const i1To9 = (a: Arg): Arg => (a.kind === 'var' && a.name === 'i1' ? cint(9n) : a);
const everythingTo7 = (): Arg => cint(7n);

describe('mapOperands and mapExit', () => {
  it('give back the op and its exit themselves when nothing changes', () => {
    for (const op of ops) expect(mapOperands(op, same)).toBe(op);
    expect(mapExit(described.exit!, same)).toBe(described.exit);
    expect(mapExit(plain.exit!, same)).toBe(plain.exit);
  });

  it('replace a value in operands, fail args, and the fields and items of virtuals, and keep the source location', () => {
    const changed = mapOperands(add, i1To9);
    expect(changed.args).toEqual([add.args[0], cint(9n)]);
    expect(changed.loc).toEqual(add.loc);
    expect(changed.loc).toBeDefined();
    const exit = mapExit(described.exit!, i1To9);
    expect(exit.values).toEqual([described.exit!.values[0], ...described.exit!.values.slice(1)]);
    expect(exit.virtuals).toMatchObject([
      { kind: 'object', cls: 'Box', fields: [{ field: 'v', value: cint(9n) }] },
      { kind: 'array', elem: 'int', items: [described.exit!.virtuals[1]!.kind === 'array' ? described.exit!.virtuals[1]!.items[0] : null, cint(5n), cint(9n)] },
      { kind: 'object', cls: 'Holder' },
    ]);
    expect(mapExit(plain.exit!, i1To9).values).toEqual([plain.exit!.values[0], cint(9n)]);
  });

  it('never hand a virtual to the function: an exit value that is a virtual stays one', () => {
    const exit = mapExit(described.exit!, everythingTo7);
    expect(exit.values).toEqual([cint(7n), ...described.exit!.values.slice(1)]);
    expect(exit.values.slice(1).map((x) => x.kind)).toEqual(['virtual', 'virtual', 'virtual']);
    // A virtual held in a field of another, and a virtual before the first value that changes.
    expect(exit.virtuals[2]).toMatchObject({ kind: 'object', cls: 'Holder', fields: [{ field: 'b', value: { kind: 'virtual', index: 0 } }] });
    expect(mapExit(virtualFirst.exit!, everythingTo7).values).toMatchObject([{ kind: 'virtual', index: 0 }, cint(7n)]);
    expect(exit.virtuals).toMatchObject([
      { kind: 'object', cls: 'Box', fields: [{ field: 'v', value: cint(7n) }] },
      { kind: 'array', elem: 'int', items: [cint(7n), cint(7n), cint(7n)] },
      { kind: 'object', cls: 'Holder' },
    ]);
  });

  it('share what does not change: the exit of an op whose operands only changed, the other virtual of an exit, a value after the first changed', () => {
    const guarded = mapOperands(plain, (a) => a);
    expect(guarded).toBe(plain);
    const addChanged = mapOperands(described, (a) => (a.kind === 'var' && a.name === 'i3' ? cint(1n) : a));
    expect(addChanged.args).toEqual([cint(1n)]);
    expect(addChanged.exit).toBe(described.exit);
    // Only the array holds i0 among the virtuals: the Box description is shared.
    const exit = mapExit(described.exit!, (a) => (a.kind === 'var' && a.name === 'i0' ? cint(4n) : a));
    expect(exit.virtuals[0]).toBe(described.exit!.virtuals[0]);
    expect(exit.virtuals[1]).not.toBe(described.exit!.virtuals[1]);
  });
});
