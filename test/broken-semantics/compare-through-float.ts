/**
 * A deliberately wrong semantics: an int is compared with a float by converting it to a float
 * first, so 2**53 + 1 == 2.0**53 (CPython compares exactly: False). The semantics property must
 * catch it, which needs ints past 2^53.
 */
import { PY_SEMANTICS, type Semantics } from '../../src/vm/semantics.ts';

export const COMPARE_THROUGH_FLOAT: Semantics = {
  ...PY_SEMANTICS,
  compareIntFloat: (a, b) => {
    const x = Number(a);
    return x < b ? -1 : x > b ? 1 : x === b ? 0 : NaN;
  },
};
