/**
 * A deliberately wrong semantics: int `//` rounds toward zero (JavaScript's bigint `/`), as a
 * C-minded implementation would; `-7 // 2` gives -3 instead of -4. The semantics property and
 * the guest-program properties must catch it.
 */
import { raise } from '../../src/vm/errors.ts';
import { PY_SEMANTICS, type Semantics } from '../../src/vm/semantics.ts';

export const FLOORDIV_TRUNCATES: Semantics = {
  ...PY_SEMANTICS,
  intFloorDiv: (a, b) => (b === 0n ? raise('ZeroDivisionError', 'integer division or modulo by zero') : a / b),
};
