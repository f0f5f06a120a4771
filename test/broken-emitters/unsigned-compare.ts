/**
 * Broken on purpose: the int comparisons compare unsigned (`i64.lt_u` for `int_lt`, …), the
 * classic signed/unsigned mix-up. Negative ints then compare above positive ones.
 * properties/wasm.prop.test.ts shows the wasm property catches it.
 */
import type { OpName } from '../../src/ir/index.ts';
import type { PlainInstr } from '../../src/wasm/instructions.ts';
import { OP_RULES, type OpRule, type OpRules } from '../../src/wasm/index.ts';

function unsigned(instr: PlainInstr): OpRule {
  return (op, cx) => {
    cx.push(op.args[0]!);
    cx.push(op.args[1]!);
    cx.code.op(instr);
    cx.code.op('i64.extend_i32_u');
    cx.define(op);
  };
}

const SWAPPED: Partial<Record<OpName, OpRule>> = {
  int_lt: unsigned('i64.lt_u'),
  int_le: unsigned('i64.le_u'),
  int_gt: unsigned('i64.gt_u'),
  int_ge: unsigned('i64.ge_u'),
};

export const UNSIGNED_COMPARE_RULES: OpRules = { ...OP_RULES, ...SWAPPED };
