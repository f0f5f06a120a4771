// showArg (peel-state.ts): an operand as the loop driver's messages and the explain report show
// it, in the text format's spelling. In a file of its own: a mutation run reuses the verdicts of
// tests whose file did not change.
import { describe, expect, it } from 'vitest';
import { cint, NULL, v } from '../../src/ir/index.ts';
import { showArg } from '../../src/optimizer/peel-state.ts';

describe('showArg', () => {
  it('spells each kind of operand as the text format does', () => {
    expect(showArg(v('i3'))).toBe('i3');
    expect(showArg(NULL)).toBe('null');
    expect(showArg({ kind: 'prebuilt', name: 'none' })).toBe('@none');
    expect(showArg(cint(-5))).toBe('-5');
    expect(showArg({ kind: 'float', value: 2.5 })).toBe('2.5');
  });
});
