/**
 * The JIT's transfers between fragments (src/vm/jit/transfer.ts) are parallel assignments of
 * exchange-slot words: every destination gets what its source held before the transfer, even
 * when moves form chains and cycles (run through a scratch copy) or sources are constants and
 * globals. Checked against a naive parallel assignment on every plan of a small space.
 */
import { describe, expect, it } from 'vitest';
import type { Interpreter } from '../../src/vm/interpreter.ts';
import { type Source, Transfer } from '../../src/vm/jit/transfer.ts';

function fakeVm(words: number[], globals: number[]): Interpreter {
  return { heap: { i32: Int32Array.from(words) }, globals: Int32Array.from(globals) } as unknown as Interpreter;
}

function naive(words: readonly number[], globals: readonly number[], dest: readonly number[], sources: readonly Source[]): number[] {
  const out = [...words];
  dest.forEach((d, k) => {
    const s = sources[k]!;
    out[d] = s.kind === 'word' ? words[s.word]! : s.kind === 'const' ? s.value : globals[s.g]!;
  });
  return out;
}

describe('Transfer', () => {
  it('a swap, a rotation, a chain: a parallel assignment, not a sequential one', () => {
    const cases: [number[], Source[]][] = [
      [[0, 1], [{ kind: 'word', word: 1 }, { kind: 'word', word: 0 }]],
      [[0, 1, 2], [{ kind: 'word', word: 2 }, { kind: 'word', word: 0 }, { kind: 'word', word: 1 }]],
      [[1, 2], [{ kind: 'word', word: 0 }, { kind: 'word', word: 1 }]],
      [[0, 1, 3], [{ kind: 'word', word: 1 }, { kind: 'global', g: 1 }, { kind: 'const', value: 77 }]],
    ];
    for (const [dest, sources] of cases) {
      const words = [10, 11, 12, 13];
      const globals = [20, 21];
      const vm = fakeVm(words, globals);
      new Transfer(dest, sources).run(vm);
      expect([...vm.heap.i32]).toEqual(naive(words, globals, dest, sources));
    }
  });

  it('every plan of two or three destinations over four words, a constant and a global', () => {
    const choices: Source[] = [0, 1, 2, 3].map((word) => ({ kind: 'word', word }) as Source).concat([{ kind: 'const', value: -5 }, { kind: 'global', g: 0 }]);
    const words = [100, 101, 102, 103];
    let checked = 0;
    for (const dest of [[0, 1], [1, 0], [0, 1, 2], [2, 0, 1], [3, 1, 0]]) {
      const plans: Source[][] = [[]];
      for (let k = 0; k < dest.length; k++) plans.splice(0, plans.length, ...plans.flatMap((p) => choices.map((c) => [...p, c])));
      for (const sources of plans) {
        const vm = fakeVm(words, [7]);
        new Transfer(dest, sources).run(vm);
        expect([...vm.heap.i32], JSON.stringify({ dest, sources })).toEqual(naive(words, [7], dest, sources));
        checked++;
      }
    }
    expect(checked).toBe(2 * 36 + 3 * 216);
  });
});
