/**
 * Broken on purpose: `int_add_ovf`, `int_sub_ovf` and `int_mul_ovf` compute the wrapped result
 * but never set the overflow flag, so `guard_no_overflow` always passes and `guard_overflow`
 * always fails. properties/wasm.prop.test.ts shows the wasm property catches it.
 */
import type { PlainInstr } from '../../src/wasm/instructions.ts';
import { OP_RULES, type OpRule, type OpRules } from '../../src/wasm/index.ts';
import { RUN_LOCALS } from '../../src/wasm/module-shape.ts';

function unchecked(instr: PlainInstr): OpRule {
  return (op, cx) => {
    cx.push(op.args[0]!);
    cx.push(op.args[1]!);
    cx.code.op(instr);
    cx.define(op);
    cx.code.i32Const(0);
    cx.code.local('local.set', RUN_LOCALS.overflow);
  };
}

export const MISSING_OVERFLOW_CHECK_RULES: OpRules = {
  ...OP_RULES,
  int_add_ovf: unchecked('i64.add'),
  int_sub_ovf: unchecked('i64.sub'),
  int_mul_ovf: unchecked('i64.mul'),
};
