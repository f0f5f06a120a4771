/**
 * A deliberately wrong interpreter: `//` on ints rounds toward zero (C's and JavaScript's
 * BigInt division) instead of toward minus infinity, so `-7 // 2` is -3, not -4. Injected
 * through the semantics record (`runPython(…, { semantics })`); division by zero still raises
 * as it should, so only the rounding is wrong. caught.test.ts shows the random-program
 * property catches it with a small program.
 */
import { PY_SEMANTICS, type Semantics } from '../../src/vm/semantics.ts';

export const floorDivisionTowardZero: Partial<Semantics> = {
  intFloorDiv: (a, b) => (b === 0n ? PY_SEMANTICS.intFloorDiv(a, b) : a / b),
};
