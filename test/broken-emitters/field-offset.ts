/**
 * Broken on purpose: `getfield` reads 8 bytes past the field (the next field, or the next
 * cell's header). properties/wasm.prop.test.ts shows the wasm property catches it.
 */
import type { Type } from '../../src/ir/index.ts';
import { OP_RULES, type OpRules } from '../../src/wasm/index.ts';
import { loadInstr } from '../../src/wasm/emit.ts';

export const FIELD_OFFSET_RULES: OpRules = {
  ...OP_RULES,
  getfield: (op, cx) => {
    const { cls, field } = op.descr as { cls: string; field: string };
    const type: Type = cx.layout.cls(cls).fields.find((f) => f.name === field)!.type;
    cx.push(op.args[0]!);
    cx.code.mem(loadInstr(type), cx.layout.fieldOffset(cls, field) + 8);
    cx.define(op);
  },
};
