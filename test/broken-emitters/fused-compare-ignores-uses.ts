/**
 * Broken on purpose: an int compare followed by a guard on its result always leaves its
 * condition on the stack for the guard, even when a fail arg or a later op also reads the
 * result, whose local is then never written (it reads 0). The emitter's `feedsNextGuardOnly`
 * is what this leaves out. properties/wasm.prop.test.ts shows the wasm property catches it.
 */
import type { OpName } from '../../src/ir/index.ts';
import type { PlainInstr } from '../../src/wasm/instructions.ts';
import { OP_RULES, type OpRule, type OpRules } from '../../src/wasm/index.ts';

function alwaysFused(instr: PlainInstr): OpRule {
  return (op, cx) => {
    const next = cx.trace.ops[cx.trace.ops.indexOf(op) + 1];
    const guarded = next !== undefined && (next.name === 'guard_true' || next.name === 'guard_false') && next.args[0]!.kind === 'var' && next.args[0]!.name === op.result;
    if (!guarded) return OP_RULES[op.name](op, cx);
    cx.push(op.args[0]!);
    cx.push(op.args[1]!);
    cx.code.op(instr);
    cx.leaveCondition(op);
  };
}

const FUSED: Partial<Record<OpName, OpRule>> = {
  int_lt: alwaysFused('i64.lt_s'),
  int_le: alwaysFused('i64.le_s'),
  int_eq: alwaysFused('i64.eq'),
  int_ne: alwaysFused('i64.ne'),
  int_gt: alwaysFused('i64.gt_s'),
  int_ge: alwaysFused('i64.ge_s'),
};

export const FUSED_COMPARE_IGNORES_USES_RULES: OpRules = { ...OP_RULES, ...FUSED };
