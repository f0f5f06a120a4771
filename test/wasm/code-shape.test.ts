/**
 * The shape of a compiled loop's hot path, read off the WAT dump (which is the code that runs:
 * wat.ts writes the same emitter's instructions as text). What it pins down, each a speed
 * property no differential test sees:
 *   - a compare read only by the guard after it leaves an i32 for that guard: no i64.extend;
 *   - an overflow check against a constant is one compare: no xor of signs;
 *   - the loop's guards leave by `br_if` to exit code placed after the main code, so the
 *     iteration's path holds no exit code (and no `if`);
 *   - the back-edge takes its unit of fuel and branches in one test (`i32.ge_s`, `br_if 0`).
 * The behaviour of the same shapes is checked in ops.test.ts and properties/wasm.prop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/text/index.ts';
import { traceToWat } from '../../src/wasm/index.ts';

const LOOP = `[i0, i1]
i2 = int_gt(i0, 0)
guard_true(i2) [i0, i1]
i3 = int_add_ovf(i1, i0)
guard_no_overflow() [i0, i1]
i4 = int_sub_ovf(i0, 1)
guard_no_overflow() [i0, i1]
jump(i4, i3)
`;

/** The instructions of the loop's body, from `loop` to its back-edge branch, without comments. */
function loopBody(wat: string): string[] {
  const lines = wat.split('\n').map((l) => l.trim());
  const from = lines.indexOf('loop');
  const to = lines.indexOf('br_if 0', from);
  return lines.slice(from + 1, to + 1).filter((l) => !l.startsWith(';;'));
}

/** The instructions emitted for trace op `index` (from its comment to the next one). */
function opCode(wat: string, index: number): string[] {
  const lines = wat.split('\n').map((l) => l.trim());
  const from = lines.findIndex((l) => l.startsWith(`;; [${index}]`));
  const to = lines.findIndex((l, k) => k > from && l.startsWith(';; ['));
  return lines.slice(from + 1, to);
}

/**
 * The loop's WAT and its body, compiled inside each test that reads them: code run while vitest
 * collects the tests (in a describe block) is outside every test, so a mutation run would not
 * count these tests as reaching the emitter and would never run them on its mutants.
 */
function compileLoop(): { wat: string; body: string[] } {
  const wat = traceToWat(parseTrace(LOOP, 'shape.trace'));
  return { wat, body: loopBody(wat) };
}

describe('compiled loop code shape', () => {

  it('a compare feeding only its guard branches on the i32', () => {
    const { wat } = compileLoop();
    expect(opCode(wat, 0)).toEqual(['local.get $i0', 'i64.const 0', 'i64.gt_s']);
    expect(opCode(wat, 1)).toEqual(['i32.eqz', 'br_if 1']);
    expect(wat.slice(wat.indexOf('(func $run'), wat.indexOf('(func', wat.indexOf('(func $run') + 1))).not.toContain('i64.extend_i32_u');
  });

  it('so does one read only by a guard_false', () => {
    const wat = traceToWat(parseTrace('[i0]\ni1 = int_lt(i0, 5)\nguard_false(i1) [i0]\nfinish(i0)\n', 'guard-false.trace'));
    expect(opCode(wat, 0)).toEqual(['local.get $i0', 'i64.const 5', 'i64.lt_s']);
  });

  it('an overflow check against a constant is one compare', () => {
    const { wat } = compileLoop();
    expect(opCode(wat, 4)).toEqual(['local.get $i0', 'i64.const 1', 'i64.sub', 'local.set $i4', 'local.get $i4', 'local.get $i0', 'i64.gt_s', 'local.set $overflow']);
    // The general case (two variables) keeps the sign test.
    expect(opCode(wat, 2)).toContain('i64.xor');
  });

  it('so is one against a constant on the left of an add, or a negative one; against 0 there is none', () => {
    const wat = traceToWat(
      parseTrace(
        '[i0, i1]\ni2 = int_add_ovf(5, i0)\nguard_no_overflow() [i0, i1]\ni3 = int_add_ovf(i1, 0)\nguard_no_overflow() [i0, i1]\n' +
          'i4 = int_sub_ovf(i1, -3)\nguard_no_overflow() [i0, i1]\ni5 = int_add_ovf(i0, -2)\nguard_no_overflow() [i0, i1]\nfinish(i2, i3, i4, i5)\n',
        'constants.trace',
      ),
    );
    // add of a positive constant and sub of a negative one overflow upward: the result is then below the other operand.
    expect(opCode(wat, 0)).toEqual(['i64.const 5', 'local.get $i0', 'i64.add', 'local.set $i2', 'local.get $i2', 'local.get $i0', 'i64.lt_s', 'local.set $overflow']);
    expect(opCode(wat, 2)).toEqual(['local.get $i1', 'i64.const 0', 'i64.add', 'local.set $i3', 'i32.const 0', 'local.set $overflow']);
    expect(opCode(wat, 4)).toEqual(['local.get $i1', 'i64.const -3', 'i64.sub', 'local.set $i4', 'local.get $i4', 'local.get $i1', 'i64.lt_s', 'local.set $overflow']);
    expect(opCode(wat, 6)).toEqual(['local.get $i0', 'i64.const -2', 'i64.add', 'local.set $i5', 'local.get $i5', 'local.get $i0', 'i64.gt_s', 'local.set $overflow']);
  });

  it("the loop's guards exit by br_if, with no exit code on the path", () => {
    const { wat, body } = compileLoop();
    expect(body.filter((l) => l.startsWith('br_if'))).toEqual(['br_if 1', 'br_if 2', 'br_if 3', 'br_if 0']);
    expect(body).not.toContain('if');
    expect(body).not.toContain('return');
    // One block per out-of-line exit around the main code.
    expect(wat.split('\n').slice(0, wat.split('\n').findIndex((l) => l.trim() === 'loop')).filter((l) => l.trim() === 'block')).toHaveLength(3);
  });

  it('a trace that does not loop exits inline, under an if, with no blocks around its code', () => {
    const wat = traceToWat(parseTrace('[i0]\ni1 = int_lt(i0, 5)\nguard_true(i1) [i0]\nfinish(i0)\n', 'straight.trace'));
    expect(opCode(wat, 1).slice(0, 2)).toEqual(['i32.eqz', 'if']);
    const run = wat.slice(wat.indexOf('(func $run'));
    expect(run.split('\n').map((l) => l.trim())).not.toContain('block');
    expect(run).not.toContain('br_if');
  });

  it("with a label, the preamble's guards exit inline and only the body's branch out of line", () => {
    const wat = traceToWat(
      parseTrace('[i0]\ni1 = int_gt(i0, 0)\nguard_true(i1) [i0]\nlabel(i0)\ni2 = int_sub(i0, 1)\ni3 = int_gt(i2, 0)\nguard_true(i3) [i2]\njump(i2)\n', 'peeled.trace'),
    );
    expect(opCode(wat, 1).slice(0, 2)).toEqual(['i32.eqz', 'if']);
    expect(opCode(wat, 5)[0]).toBe('i32.eqz');
    expect(opCode(wat, 5)[1]).toMatch(/^br_if /);
  });

  it('the back-edge is one decrement and one conditional branch', () => {
    const { body, wat } = compileLoop();
    // Without a label both entries load the same slots: no test of the entry.
    expect(wat).not.toContain('local.get $entry');
    expect(body.slice(-7)).toEqual(['local.get $fuel', 'i32.const 1', 'i32.sub', 'local.tee $fuel', 'i32.const 0', 'i32.ge_s', 'br_if 0']);
  });
});
