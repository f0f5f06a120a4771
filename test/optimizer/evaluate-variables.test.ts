/**
 * Folding answers only for constant operands: evaluatePure and evaluateOverflow on every op of
 * the table whose operands are ints or floats, with each operand in turn a variable, answer null
 * (fold.ts asks with the op's own operands, variables included). The properties fold constants
 * only, so they never ask this.
 */
import { describe, expect, it } from 'vitest';
import { type Arg, cfloat, cint, OP_NAMES, opInfo, v } from '../../src/ir/index.ts';
import { evaluateOverflow, evaluatePure } from '../../src/optimizer/evaluate.ts';

const constantOf = (kind: string): Arg => (kind === 'int' ? cint(3n) : cfloat(2.5));
const numeric = OP_NAMES.filter((name) => {
  const { operands, variadic } = opInfo(name);
  return !variadic && operands.length > 0 && operands.every((k) => k === 'int' || k === 'float');
});

describe('folding with a variable operand', () => {
  it('knows some ops on constants (so that the null answers below say something)', () => {
    expect(evaluatePure('int_add', [cint(3n), cint(4n)])).toEqual(cint(7n));
    expect(evaluatePure('float_lt', [cfloat(1), cfloat(2)])).toEqual(cint(1n));
    expect(evaluatePure('cast_float_to_int', [cfloat(2.5)])).toEqual(cint(2n));
    expect(evaluateOverflow('int_add_ovf', [cint(3n), cint(4n)])?.result).toEqual(cint(7n));
  });

  it.each(numeric)('%s answers null when any operand is a variable', (name) => {
    const kinds = opInfo(name).operands;
    for (let j = 0; j < kinds.length; j++) {
      const args = kinds.map((kind, i) => (i === j ? v(kind === 'int' ? 'i9' : 'f9') : constantOf(kind)));
      expect(evaluatePure(name, args)).toBeNull();
      expect(evaluateOverflow(name, args)).toBeNull();
    }
  });
});
