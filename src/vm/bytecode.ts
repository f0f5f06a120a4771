/**
 * The bytecode: one op table as data, and the code objects the compiler builds.
 *
 * Every instruction is two Int32 words, `[opcode, arg]`, so `pc` always steps by 2 and the
 * dispatch loop reads both with no decoding. Jump args are absolute word indices.
 *
 * Loop headers are identifiable: the only backward jump is JUMP_BACKWARD, used for exactly the
 * back-edges of `while` and `for` loops (and `continue`); its target is the loop header. The
 * tracing JIT counts those.
 */

/** name, stack effect (NaN: depends on arg), one-line meaning. */
export const OPS = [
  ['NOP', 0, 'nothing'],
  ['LOAD_CONST', 1, 'push constant arg'],
  ['LOAD_FAST', 1, 'push local arg (UnboundLocalError if unset)'],
  ['STORE_FAST', -1, 'pop into local arg'],
  ['DELETE_FAST', 0, 'unset local arg'],
  ['LOAD_GLOBAL', 1, 'push global arg, else builtin arg (NameError if neither)'],
  ['STORE_GLOBAL', -1, 'pop into global arg'],
  ['DELETE_GLOBAL', 0, 'unset global arg'],
  ['LOAD_ATTR', 0, 'replace TOS by its attribute named arg'],
  ['STORE_ATTR', -2, 'TOS.name[arg] = TOS1'],
  ['LOAD_METHOD', 1, 'replace TOS by [function, self] or [null, attribute]'],
  ['CALL', NaN, 'call TOS-arg with arg args; result replaces the callable'],
  ['CALL_METHOD', NaN, 'call after LOAD_METHOD with arg args'],
  ['BINARY_OP', -1, 'TOS1 op TOS, op = BINARY_OPERATORS[arg]'],
  ['INPLACE_OP', -1, 'TOS1 op= TOS (lists extend in place for +)'],
  ['UNARY_NEGATIVE', 0, '-TOS'],
  ['UNARY_POSITIVE', 0, '+TOS'],
  ['UNARY_NOT', 0, 'not TOS'],
  ['COMPARE_OP', -1, 'TOS1 cmp TOS, cmp = COMPARE_OPERATORS[arg]'],
  ['IS_OP', -1, 'TOS1 is TOS (arg 1: is not)'],
  ['CONTAINS_OP', -1, 'TOS1 in TOS (arg 1: not in)'],
  ['BINARY_SUBSCR', -1, 'TOS1[TOS]'],
  ['STORE_SUBSCR', -3, 'TOS1[TOS] = TOS2'],
  ['BUILD_LIST', NaN, 'a list of the top arg values'],
  ['BUILD_TUPLE', NaN, 'a tuple of the top arg values'],
  ['UNPACK_SEQUENCE', NaN, 'replace TOS by its arg items, last item deepest... first on top'],
  ['POP_TOP', -1, 'drop TOS'],
  ['DUP_TOP', 1, 'push TOS again'],
  ['DUP_TOP_TWO', 2, 'push TOS1, TOS again'],
  ['ROT_TWO', 0, 'swap TOS, TOS1'],
  ['ROT_THREE', 0, 'TOS goes under TOS2'],
  ['PEEK', 1, 'push the value stack slot arg (counted from the stack bottom)'],
  ['JUMP_FORWARD', 0, 'jump to arg'],
  ['JUMP_BACKWARD', 0, 'loop back-edge: jump to the loop header arg'],
  ['POP_JUMP_IF_FALSE', -1, 'pop; jump to arg if falsy'],
  ['POP_JUMP_IF_TRUE', -1, 'pop; jump to arg if truthy'],
  ['JUMP_IF_FALSE_OR_POP', NaN, 'jump to arg keeping TOS if falsy, else pop'],
  ['JUMP_IF_TRUE_OR_POP', NaN, 'jump to arg keeping TOS if truthy, else pop'],
  ['GET_ITER', 0, 'replace TOS by an iterator over it'],
  ['FOR_ITER', NaN, 'push the next item of the iterator TOS, or pop it and jump to arg'],
  ['RETURN_VALUE', -1, 'return TOS'],
  ['MAKE_FUNCTION', NaN, 'a function of code arg, its defaults popped from the stack'],
  ['BUILD_CLASS', NaN, 'a class from spec arg: base, then the class body values'],
  ['IMPORT_NAME', 1, 'push module arg'],
  ['RAISE', -1, 'raise TOS (an exception class is instantiated)'],
  ['RERAISE', -1, 'raise TOS again (its traceback kept)'],
  ['CHECK_EXC_MATCH', 0, 'replace TOS (a class) by whether TOS1 is an instance of it'],
  // Quickened pairs: the interpreter's private copy of the bytecode has these at the first
  // instruction of a pair, which they execute with the next one (whose words stay in place, so a
  // jump to it still runs it alone). Never in a Program: the compiler does not emit them.
  ['LOAD_FAST_ATTR', 1, 'LOAD_FAST arg, then the LOAD_ATTR that follows'],
  ['LOAD_FAST_METHOD', 2, 'LOAD_FAST arg, then the LOAD_METHOD that follows'],
  ['LOAD_FAST_FAST', 2, 'LOAD_FAST arg, then the LOAD_FAST that follows'],
  ['RETURN_CONST', 0, 'LOAD_CONST arg, then the RETURN_VALUE that follows'],
  ['COMPARE_JUMP_IF_FALSE', -2, 'COMPARE_OP arg, then the POP_JUMP_IF_FALSE that follows'],
] as const;

/** The quickened pairs: [first, second, fused]. */
export const QUICKENED: readonly (readonly [OpName, OpName, OpName])[] = [
  ['LOAD_FAST', 'LOAD_ATTR', 'LOAD_FAST_ATTR'],
  ['LOAD_FAST', 'LOAD_METHOD', 'LOAD_FAST_METHOD'],
  ['LOAD_FAST', 'LOAD_FAST', 'LOAD_FAST_FAST'],
  ['LOAD_CONST', 'RETURN_VALUE', 'RETURN_CONST'],
  ['COMPARE_OP', 'POP_JUMP_IF_FALSE', 'COMPARE_JUMP_IF_FALSE'],
];

/** The interpreter's copy of `bytecode` with the quickened pairs fused (see QUICKENED). */
export function quicken(bytecode: Int32Array): Int32Array {
  const out = Int32Array.from(bytecode);
  for (let pc = 0; pc + 2 < bytecode.length; pc += 2) {
    for (const [first, second, fused] of QUICKENED) {
      if (bytecode[pc] === OP[first] && bytecode[pc + 2] === OP[second]) out[pc] = OP[fused];
    }
  }
  return out;
}

export type OpName = (typeof OPS)[number][0];
export const OP: { readonly [K in OpName]: number } = Object.fromEntries(OPS.map(([name], k) => [name, k])) as never;
export const OP_NAMES: readonly OpName[] = OPS.map(([name]) => name);

export const BINARY_OPERATORS = ['Add', 'Sub', 'Mult', 'Div', 'FloorDiv', 'Mod', 'Pow'] as const;
export const COMPARE_OPERATORS = ['Lt', 'LtE', 'Eq', 'NotEq', 'Gt', 'GtE'] as const;
export const BIN_ADD = 0;
export const BIN_SUB = 1;
export const BIN_MUL = 2;
export const CMP_LT = 0;
export const CMP_LE = 1;
export const CMP_EQ = 2;
export const CMP_NE = 3;
export const CMP_GT = 4;
export const CMP_GE = 5;

/** A compiled function body (or the module's). */
export interface CodeObject {
  readonly id: number;
  readonly name: string;
  /** `Class.method` for methods, as CPython's messages say. */
  readonly qualname: string;
  readonly argcount: number;
  readonly varnames: readonly string[];
  readonly nlocals: number;
  readonly maxStack: number;
  readonly ndefaults: number;
  readonly bytecode: Int32Array;
  /** Source line and column of each instruction (index pc / 2). */
  readonly lines: Int32Array;
  readonly cols: Int32Array;
  /** Handlers: [start, end, handler, stack depth] word indices, innermost first. */
  readonly exceptionTable: Int32Array;
}

/** What BUILD_CLASS needs that is known at compile time. */
export interface ClassSpec {
  readonly name: string;
  readonly hasBase: boolean;
  /** Names bound in the class body, in the order their values are on the stack. */
  readonly attrs: readonly string[];
  /** Attributes the class's methods assign on their first parameter, in order of appearance. */
  readonly selfFields: readonly string[];
}

export type ConstValue = bigint | number | string | boolean | null;

export interface Program {
  readonly file: string;
  readonly module: CodeObject;
  readonly codes: readonly CodeObject[];
  readonly consts: readonly ConstValue[];
  /** Attribute names (LOAD_ATTR, STORE_ATTR, LOAD_METHOD args). */
  readonly names: readonly string[];
  /** Global variable names (LOAD_GLOBAL, STORE_GLOBAL args). */
  readonly globals: readonly string[];
  readonly classes: readonly ClassSpec[];
  /** Module names (IMPORT_NAME args). */
  readonly modules: readonly string[];
}

/** A readable listing, for debugging and tests. */
export function disassemble(code: CodeObject, program: Program): string {
  const out: string[] = [];
  for (let pc = 0; pc < code.bytecode.length; pc += 2) {
    const op = OP_NAMES[code.bytecode[pc]!]!;
    const arg = code.bytecode[pc + 1]!;
    let note = '';
    if (op === 'LOAD_CONST') note = ` (${String(program.consts[arg])})`;
    else if (op === 'LOAD_FAST' || op === 'STORE_FAST' || op === 'DELETE_FAST') note = ` (${code.varnames[arg]})`;
    else if (op === 'LOAD_GLOBAL' || op === 'STORE_GLOBAL' || op === 'DELETE_GLOBAL') note = ` (${program.globals[arg]})`;
    else if (op === 'LOAD_ATTR' || op === 'STORE_ATTR' || op === 'LOAD_METHOD') note = ` (${program.names[arg]})`;
    out.push(`${String(pc).padStart(5)} ${op} ${arg}${note}`);
  }
  return out.join('\n');
}
