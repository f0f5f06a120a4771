/**
 * A run with undefined behaviour may scribble refs anywhere; the host checks every cell it reads
 * (escape's log, exit values, the final heap) and ends the run with a located `error` exit, never
 * a crash or a wrong object. Each case forges one kind of bad ref: the trace reads a Cell's ref
 * field as a Box's int (an address), moves it, writes it back, and escapes the forged ref. The
 * reference calls these runs undefined, so only the host's own checks are tested here.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/text/index.ts';
import { runWasm } from '../../src/wasm/index.ts';

/** `forge` computes i3 (the forged address) from i2 (the address of @t, a Box) and i1. */
function forged(forge: string, t: string): string {
  const trace = parseTrace(
    `class Box(v: int)
class Cell(next: ref)
[p0, i1]
i2 = getfield(p0, Box.v)
${forge}
setfield(p0, Box.v, i3)
p4 = getfield(p0, Cell.next)
escape(p4)
finish()
input s [@c, 0] with @c = Cell{next: @t}, @t = ${t}
`,
    'corrupt-heap.test.trace',
  );
  const outcome = runWasm(trace, trace.inputSets[0]!);
  if (outcome.exit.kind !== 'error') throw new Error(`expected an error exit, got ${outcome.exit.kind}`);
  return outcome.exit.message.replace(/at address [0-9]+$/, 'at address A');
}

const corrupt = (why: string) => `the heap is corrupt (undefined behaviour?): ${why} at address A`;
/** A Box's int whose low word is `tag` and high word `length`: what an array's header holds. */
const header = (tag: number, length: number) => String((BigInt(length) << 32n) | BigInt(tag >>> 0));

describe('the host on a heap a run scribbled over', () => {
  it('a forged ref below the heap, past its top, or between cells points to no cell', () => {
    expect(forged('i3 = int_add(0, 16)', 'Box{v: 0}')).toBe(corrupt('a ref to no cell'));
    expect(forged('i3 = int_add(i2, 4096)', 'Box{v: 0}')).toBe(corrupt('a ref to no cell'));
    // @t, a Box of 16 bytes, is the last cell: its address + 16 is the heap top itself.
    expect(forged('i3 = int_add(i2, 16)', 'Box{v: 0}')).toBe(corrupt('a ref to no cell'));
    expect(forged('i3 = int_add(i2, 4)', 'Box{v: 0}')).toBe(corrupt('a ref to no cell'));
  });

  it('a forged ref to a word that is no tag', () => {
    expect(forged('i3 = int_add(i2, 8)', 'Box{v: 12345}')).toBe(corrupt('tag 12345'));
  });

  it('a forged object or array that would end past the heap top, or of negative length', () => {
    // @t's field is the heap's last slot: a Box there (tag 1) would end 8 bytes past the top.
    expect(forged('i3 = int_add(i2, 8)', 'Box{v: 1}')).toBe(corrupt('an object past the heap top'));
    expect(forged('i3 = int_add(i2, 8)', `Box{v: ${header(-1, 2)}}`)).toBe(corrupt('an array of length 2'));
    expect(forged('i3 = int_add(i2, 8)', `Box{v: ${header(-1, -5)}}`)).toBe(corrupt('an array of length -5'));
  });

  it('a forged ref that does point to a cell is read as that cell', () => {
    // An empty float array fits in @t's last slot, the heap's top: the run escapes it (the call
    // logs it, then adds 1 to @t's int, an input object's: the tag becomes an int array's) and
    // finishes.
    const trace = parseTrace(
      `class Box(v: int)
class Cell(next: ref)
[p0]
i2 = getfield(p0, Box.v)
i3 = int_add(i2, 8)
setfield(p0, Box.v, i3)
p4 = getfield(p0, Cell.next)
escape(p4)
finish()
input s [@c] with @c = Cell{next: @t}, @t = Box{v: ${header(-2, 0)}}
`,
      'corrupt-heap.test.trace',
    );
    const outcome = runWasm(trace, trace.inputSets[0]!);
    expect(outcome.exit).toEqual({ kind: 'finish' });
    const [escaped] = outcome.escapes[0]!.args as [{ kind: 'ref'; id: number }];
    expect(outcome.escapes[0]!.heap.get(escaped.id)).toEqual({ kind: 'array', elem: 'float', items: [] });
    expect(outcome.finalHeap.get(escaped.id)).toEqual({ kind: 'array', elem: 'int', items: [] });
  });
});
