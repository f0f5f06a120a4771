/**
 * Broken on purpose: `float_sqrt` takes the root of the operand's magnitude (`f64.abs` before
 * `f64.sqrt`), a plausible "make the domain total" shortcut. A negative operand then gives a
 * number instead of NaN, and -0.0 gives +0.0.
 * properties/wasm.prop.test.ts shows the wasm property catches it.
 */
import { OP_RULES, type OpRules } from '../../src/wasm/index.ts';

export const SQRT_OF_MAGNITUDE_RULES: OpRules = {
  ...OP_RULES,
  float_sqrt: (op, cx) => {
    cx.push(op.args[0]!);
    cx.code.op('f64.abs');
    cx.code.op('f64.sqrt');
    cx.define(op);
  },
};
