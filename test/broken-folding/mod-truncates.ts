/**
 * Broken on purpose: constant folding's int_mod as JavaScript's `%`, which truncates toward zero
 * (-7 mod 3 folds to -1; the IR's modulo, Python's, gives 2). Every other op folds correctly.
 */
import { cint } from '../../src/ir/index.ts';
import { evaluateOverflow, evaluatePure } from '../../src/optimizer/evaluate.ts';

export const MOD_TRUNCATES = {
  pure: (...[name, args]: Parameters<typeof evaluatePure>): ReturnType<typeof evaluatePure> => {
    const [a, b] = args;
    if (name === 'int_mod' && a?.kind === 'int' && b?.kind === 'int') return cint(b.value === 0n ? 0n : BigInt.asIntN(64, a.value % b.value));
    return evaluatePure(name, args);
  },
  overflow: evaluateOverflow,
};
