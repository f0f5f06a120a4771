/**
 * The op rules: for every op of the op table, the wasm code that does what the op means.
 * `OP_RULES` is the exhaustive record the emitter uses by default; a test builds a variant with
 * `{ ...OP_RULES, int_lt: … }` and passes it to `compileTrace` (test/broken-emitters/).
 *
 * Rules push operands with `cx.push`, write instructions to `cx.code` and pop the result with
 * `cx.define`. Points where wasm and the IR differ, all handled here or in module-shape.ts:
 *   - i64.div_s / rem_s trap on 0 and (div) on MIN / -1; the IR's // and % are total and
 *     floored, so they call the `floordiv` and `mod` helpers.
 *   - wasm shifts already take the count mod 64, as the IR's `b & 63` does.
 *   - comparisons give i32; IR ints are i64 (extend, unsigned: 0 or 1).
 *   - `cast_float_to_int` is `i64.trunc_sat_f64_s`: truncation, NaN to 0, saturating.
 *   - `guard_value` on floats compares bit patterns, except that any NaN equals any NaN.
 *   - undefined behaviour (field of null, wrong class, out of bounds) is not checked: it reads
 *     or writes some other memory, or traps, and the host reports the run as an error.
 */
import { type Op, type Type, typeOfArg } from '../ir/index.ts';
import { EXIT_HEAP_FULL, type EmitContext, type OpRule, type OpRules, loadInstr, storeInstr } from './emit.ts';
import type { PlainInstr } from './instructions.ts';
import { ARRAY_TAG, HEADER, MAX_ARRAY_LENGTH } from './layout.ts';
import { FUNC, type HelperName, RUN_LOCALS } from './module-shape.ts';

/** Pushes every value operand, applies `instrs`, defines the result. */
function pure(...instrs: PlainInstr[]): OpRule {
  return (op, cx) => {
    for (const arg of op.args) cx.push(arg);
    for (const instr of instrs) cx.code.op(instr);
    cx.define(op);
  };
}

/**
 * A comparison: its i32 result widened to an IR int; or, when the result is only the condition
 * of the guard right after it, the i32 left on the stack for that guard (no i64 in between).
 */
function compare(instr: PlainInstr): OpRule {
  return (op, cx) => {
    for (const arg of op.args) cx.push(arg);
    cx.code.op(instr);
    if (cx.feedsNextGuardOnly(op)) cx.leaveCondition(op);
    else {
      cx.code.op('i64.extend_i32_u');
      cx.define(op);
    }
  };
}

/** guard_true / guard_false: on a condition a compare left on the stack, or on an IR int. */
function guardTruth(expected: boolean): OpRule {
  return (op, cx) => {
    if (cx.takeCondition(op.args[0]!)) {
      if (expected) cx.code.op('i32.eqz');
    } else {
      cx.push(op.args[0]!);
      cx.code.op('i64.eqz');
      if (!expected) cx.code.op('i32.eqz');
    }
    cx.exitIf(op);
  };
}

function callHelper(helper: HelperName): OpRule {
  return (op, cx) => {
    cx.push(op.args[0]!);
    cx.push(op.args[1]!);
    cx.code.call(cx.helper(helper));
    cx.define(op);
  };
}

/** An op the host computes: its operands to the imported function, its result from it. */
function callImport(func: number): OpRule {
  return (op, cx) => {
    for (const arg of op.args) cx.push(arg);
    cx.code.call(func);
    cx.define(op);
  };
}

/**
 * `*_ovf`: the wrapped result, and the overflow flag. For add, overflow iff both operands
 * differ in sign from the result; for sub, iff the operands differ in sign and the result
 * differs from a; for mul, the helper's division test.
 *
 * With a constant c != 0 (either operand of add, the subtrahend of sub) one signed compare of
 * the wrapped result r with the other operand a decides it: the exact sum a + c lies strictly
 * on c's side of a, and a wrapped one strictly on the other side (|c| < 2^64), so add
 * overflows iff (c > 0 ? r < a : r > a), and sub, whose exact a - c lies on the side of -c,
 * iff (c > 0 ? r > a : r < a). proofs-notes/wasm.md has the argument; c = 0 never overflows.
 */
function overflowing(kind: 'add' | 'sub' | 'mul'): OpRule {
  return (op, cx) => {
    const [a, b] = op.args as [Op['args'][0], Op['args'][0]];
    const result = () => cx.code.local('local.get', cx.localIndex(op.result!));
    const c = cx.code;
    cx.push(a);
    cx.push(b);
    c.op(kind === 'add' ? 'i64.add' : kind === 'sub' ? 'i64.sub' : 'i64.mul');
    cx.define(op);
    const constant = kind === 'mul' ? null : b.kind === 'int' ? { c: b.value, other: a } : kind === 'add' && a.kind === 'int' ? { c: a.value, other: b } : null;
    if (constant !== null) {
      if (constant.c === 0n) c.i32Const(0);
      else {
        // Overflow iff the wrapped result lies below the other operand: add of a positive c, or sub of a negative one.
        // Stryker disable next-line EqualityOperator: `>=` for `>` cannot change the code: c is not 0 here (the branch above takes it); the line's other EqualityOperator mutants (`!==` for either `===`, `<=` for `>`) fail test/wasm/ops.test.ts and test/wasm/code-shape.test.ts
        const resultBelow = (kind === 'add') === (constant.c > 0n);
        result();
        cx.push(constant.other);
        c.op(resultBelow ? 'i64.lt_s' : 'i64.gt_s');
      }
    } else if (kind === 'mul') {
      cx.push(a);
      cx.push(b);
      c.call(cx.helper('mulOverflows'));
    } else {
      cx.push(a);
      if (kind === 'add') result();
      else cx.push(b);
      c.op('i64.xor');
      if (kind === 'add') cx.push(b);
      else cx.push(a);
      result();
      c.op('i64.xor');
      c.op('i64.and');
      c.i64Const(0n);
      c.op('i64.lt_s');
    }
    c.local('local.set', RUN_LOCALS.overflow);
  };
}

/** A guard whose failure condition is computed by `instrs` from its operands. */
function guardWhen(...instrs: PlainInstr[]): OpRule {
  return (op, cx) => {
    for (const arg of op.args) cx.push(arg);
    for (const instr of instrs) cx.code.op(instr);
    cx.exitIf(op);
  };
}

function fieldOf(op: Op): { cls: string; field: string } {
  return op.descr as { cls: string; field: string };
}

function fieldType(op: Op, cx: EmitContext): Type {
  const { cls, field } = fieldOf(op);
  return cx.layout.cls(cls).fields.find((f) => f.name === field)!.type;
}

/** Pushes the address of item `op.args[1]` of array `op.args[0]`, minus the header. */
function itemAddress(op: Op, cx: EmitContext): void {
  cx.push(op.args[0]!);
  cx.push(op.args[1]!);
  cx.code.op('i32.wrap_i64');
  cx.code.i32Const(3);
  cx.code.op('i32.shl');
  cx.code.op('i32.add');
}

export const OP_RULES: OpRules = {
  int_add: pure('i64.add'),
  int_sub: pure('i64.sub'),
  int_mul: pure('i64.mul'),
  int_floordiv: callHelper('floordiv'),
  int_mod: callHelper('mod'),
  int_and: pure('i64.and'),
  int_or: pure('i64.or'),
  int_xor: pure('i64.xor'),
  int_lshift: pure('i64.shl'),
  int_rshift: pure('i64.shr_s'),
  int_neg: (op, cx) => {
    cx.code.i64Const(0n);
    cx.push(op.args[0]!);
    cx.code.op('i64.sub');
    cx.define(op);
  },
  int_lt: compare('i64.lt_s'),
  int_le: compare('i64.le_s'),
  int_eq: compare('i64.eq'),
  int_ne: compare('i64.ne'),
  int_gt: compare('i64.gt_s'),
  int_ge: compare('i64.ge_s'),
  int_add_ovf: overflowing('add'),
  int_sub_ovf: overflowing('sub'),
  int_mul_ovf: overflowing('mul'),

  float_add: pure('f64.add'),
  float_sub: pure('f64.sub'),
  float_mul: pure('f64.mul'),
  float_truediv: pure('f64.div'),
  float_neg: pure('f64.neg'),
  float_abs: pure('f64.abs'),
  float_sqrt: pure('f64.sqrt'),
  float_pow: callImport(FUNC.float_pow),
  float_sin: callImport(FUNC.float_sin),
  float_cos: callImport(FUNC.float_cos),
  float_lt: compare('f64.lt'),
  float_le: compare('f64.le'),
  float_eq: compare('f64.eq'),
  float_ne: compare('f64.ne'),
  float_gt: compare('f64.gt'),
  float_ge: compare('f64.ge'),
  cast_int_to_float: pure('f64.convert_i64_s'),
  cast_float_to_int: pure('i64.trunc_sat_f64_s'),

  new: (op, cx) => {
    const cls = cx.layout.cls((op.descr as { cls: string }).cls);
    const address = () => cx.code.local('local.get', cx.localIndex(op.result!));
    cx.allocate(op, cls.size);
    address();
    cx.code.i64Const(BigInt(cls.id));
    cx.code.mem('i64.store', 0);
    for (const f of cls.fields) {
      address();
      cx.code.i64Const(0n);
      cx.code.mem('i64.store', f.offset);
    }
  },
  getfield: (op, cx) => {
    const { cls, field } = fieldOf(op);
    cx.push(op.args[0]!);
    cx.code.mem(loadInstr(fieldType(op, cx)), cx.layout.fieldOffset(cls, field));
    cx.define(op);
  },
  setfield: (op, cx) => {
    const { cls, field } = fieldOf(op);
    cx.push(op.args[0]!);
    cx.push(op.args[1]!);
    cx.code.mem(storeInstr(fieldType(op, cx)), cx.layout.fieldOffset(cls, field));
  },
  new_array: (op, cx) => {
    const elem = (op.descr as { type: Type }).type;
    const c = cx.code;
    const n = op.args[0]!;
    const address = () => c.local('local.get', cx.localIndex(op.result!));
    const length = () => c.local('local.get', RUN_LOCALS.length);
    // n < 0 counts as 0; n beyond the IR's limit is undefined behaviour, reported as heap-full.
    cx.push(n);
    c.i64Const(BigInt(MAX_ARRAY_LENGTH));
    c.op('i64.gt_s');
    c.block('if');
    cx.leave(EXIT_HEAP_FULL);
    c.end();
    c.i64Const(0n);
    cx.push(n);
    cx.push(n);
    c.i64Const(0n);
    c.op('i64.lt_s');
    c.op('select');
    c.op('i32.wrap_i64');
    c.local('local.set', RUN_LOCALS.length);
    cx.allocate(op, 'length');
    address();
    c.i32Const(ARRAY_TAG[elem]);
    c.mem('i32.store', 0);
    address();
    length();
    c.mem('i32.store', 4);
    address();
    c.i32Const(HEADER);
    c.op('i32.add');
    c.i32Const(0);
    length();
    c.i32Const(3);
    c.op('i32.shl');
    c.op('memory.fill');
  },
  getarrayitem: (op, cx) => {
    itemAddress(op, cx);
    cx.code.mem(loadInstr((op.descr as { type: Type }).type), HEADER);
    cx.define(op);
  },
  setarrayitem: (op, cx) => {
    itemAddress(op, cx);
    cx.push(op.args[2]!);
    cx.code.mem(storeInstr(typeOfArg(op.args[2]!)), HEADER);
  },
  arraylen: (op, cx) => {
    cx.push(op.args[0]!);
    cx.code.mem('i32.load', 4);
    cx.code.op('i64.extend_i32_u');
    cx.define(op);
  },
  ptr_eq: compare('i32.eq'),
  ptr_ne: compare('i32.ne'),

  guard_true: guardTruth(true),
  guard_false: guardTruth(false),
  guard_class: (op, cx) => {
    // Null's header (address 0) holds 0 and arrays have negative tags: neither is a class id.
    cx.push(op.args[0]!);
    cx.code.mem('i32.load', 0);
    cx.code.i32Const(cx.layout.cls((op.descr as { cls: string }).cls).id);
    cx.code.op('i32.ne');
    cx.exitIf(op);
  },
  guard_value: (op, cx) => {
    const [a, b] = op.args as [Op['args'][0], Op['args'][0]];
    const c = cx.code;
    switch (typeOfArg(a)) {
      case 'int':
        return guardWhen('i64.ne')(op, cx);
      case 'ref':
        return guardWhen('i32.ne')(op, cx);
      case 'float':
        // same = (a and b are both NaN) or (their bits are equal)
        cx.push(a);
        cx.push(a);
        c.op('f64.ne');
        cx.push(b);
        cx.push(b);
        c.op('f64.ne');
        c.op('i32.and');
        cx.push(a);
        c.op('i64.reinterpret_f64');
        cx.push(b);
        c.op('i64.reinterpret_f64');
        c.op('i64.eq');
        c.op('i32.or');
        c.op('i32.eqz');
        cx.exitIf(op);
    }
  },
  guard_nonnull: guardWhen('i32.eqz'),
  guard_isnull: guardWhen('i32.eqz', 'i32.eqz'),
  guard_no_overflow: (op, cx) => {
    cx.code.local('local.get', RUN_LOCALS.overflow);
    cx.exitIf(op);
  },
  guard_overflow: (op, cx) => {
    cx.code.local('local.get', RUN_LOCALS.overflow);
    cx.code.op('i32.eqz');
    cx.exitIf(op);
  },

  escape: (op, cx) => cx.escape(op),
  label: (_op, cx) => cx.backEdge(),
  jump: (op, cx) => cx.jump(op),
  finish: (op, cx) => cx.finish(op),
};
