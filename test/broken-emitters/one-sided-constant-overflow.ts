/**
 * Broken on purpose: `int_add_ovf` / `int_sub_ovf` with a constant operand test only one side,
 * "the wrapped result is below the other operand", whatever the constant's sign and the op (the
 * right test flips for a negative constant and for sub). So x + 1 overflows correctly, but
 * x - 1 and x + (-1) "overflow" on every ordinary value and never at MIN.
 * properties/wasm.prop.test.ts shows the wasm property catches it.
 */
import type { Arg } from '../../src/ir/index.ts';
import { OP_RULES, type OpRule, type OpRules } from '../../src/wasm/index.ts';
import { RUN_LOCALS } from '../../src/wasm/module-shape.ts';

function oneSided(kind: 'add' | 'sub'): OpRule {
  return (op, cx) => {
    const [a, b] = op.args as [Arg, Arg];
    const other = b.kind === 'int' ? a : kind === 'add' && a.kind === 'int' ? b : null;
    if (other === null) return OP_RULES[op.name](op, cx);
    cx.push(a);
    cx.push(b);
    cx.code.op(kind === 'add' ? 'i64.add' : 'i64.sub');
    cx.define(op);
    cx.code.local('local.get', cx.localIndex(op.result!));
    cx.push(other);
    cx.code.op('i64.lt_s');
    cx.code.local('local.set', RUN_LOCALS.overflow);
  };
}

export const ONE_SIDED_CONSTANT_OVERFLOW_RULES: OpRules = { ...OP_RULES, int_add_ovf: oneSided('add'), int_sub_ovf: oneSided('sub') };
