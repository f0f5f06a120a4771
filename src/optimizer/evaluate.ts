/**
 * The meaning of the pure int and float ops on constants, for constant folding.
 *
 * This restates the op table's docs (src/ir/ops.ts) exactly: 64-bit two's complement ints
 * wrapping after every op, Python's floor division and modulo (0 when dividing by 0), shift
 * counts masked to 6 bits, IEEE doubles, total casts. It deliberately shares no code with the
 * reference interpreter in spec/ (the optimizer may not import it, and the reference must stay an
 * independent oracle): the properties compare the two on random traces, so a difference here
 * shows up as a folding pass that changes a trace's outcome.
 */
import { type Arg, cfloat, cint, type OpName } from '../ir/index.ts';

export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;

const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);
const bool = (b: boolean): bigint => (b ? 1n : 0n);

function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  // Stryker disable next-line EqualityOperator: `a <= 0n` or `b <= 0n` for the sign tests cannot change a result: a = 0 leaves no remainder (the test before them is false) and b = 0 returned above
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function floorMod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  // Stryker disable next-line EqualityOperator: `r <= 0n` or `b <= 0n` for the sign tests cannot change a result: r = 0 fails the test before them and b = 0 returned above
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function floatToInt(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 2 ** 63) return I64_MAX;
  // Stryker disable next-line EqualityOperator: `<` cannot change a result: -2^63 itself converts exactly to I64_MIN below
  if (x <= -(2 ** 63)) return I64_MIN;
  return BigInt(Math.trunc(x));
}

type IntOp = (a: bigint, b: bigint) => bigint;
type FloatOp = (a: number, b: number) => number;
type FloatTest = (a: number, b: number) => boolean;

const INT: Partial<Record<OpName, IntOp>> = {
  int_add: (a, b) => a + b,
  int_sub: (a, b) => a - b,
  int_mul: (a, b) => a * b,
  int_floordiv: floorDiv,
  int_mod: floorMod,
  int_and: (a, b) => a & b,
  int_or: (a, b) => a | b,
  int_xor: (a, b) => a ^ b,
  int_lshift: (a, b) => a << (b & 63n),
  int_rshift: (a, b) => a >> (b & 63n),
  int_neg: (a) => -a,
  int_lt: (a, b) => bool(a < b),
  int_le: (a, b) => bool(a <= b),
  int_eq: (a, b) => bool(a === b),
  int_ne: (a, b) => bool(a !== b),
  int_gt: (a, b) => bool(a > b),
  int_ge: (a, b) => bool(a >= b),
};

const FLOAT: Partial<Record<OpName, FloatOp>> = {
  float_add: (a, b) => a + b,
  float_sub: (a, b) => a - b,
  float_mul: (a, b) => a * b,
  float_truediv: (a, b) => a / b,
  float_neg: (a) => -a,
  float_abs: (a) => Math.abs(a),
  float_sqrt: (a) => Math.sqrt(a),
};

const FLOAT_TEST: Partial<Record<OpName, FloatTest>> = {
  float_lt: (a, b) => a < b,
  float_le: (a, b) => a <= b,
  float_eq: (a, b) => a === b,
  float_ne: (a, b) => a !== b,
  float_gt: (a, b) => a > b,
  float_ge: (a, b) => a >= b,
};

const OVERFLOW: Partial<Record<OpName, IntOp>> = {
  int_add_ovf: (a, b) => a + b,
  int_sub_ovf: (a, b) => a - b,
  int_mul_ovf: (a, b) => a * b,
};

/**
 * An operand's value if it is an int constant (`missing` if there is no such operand), else null.
 * Read in place, as floatValue: the folders run for every pure op whose operands are constants,
 * and copying the operands into an array each time was a twentieth of what the chained driver
 * allocated.
 */
const intValue = (a: Arg | undefined, missing: bigint): bigint | null => (a === undefined ? missing : a.kind === 'int' ? a.value : null);
const floatValue = (a: Arg | undefined, missing: number): number | null => (a === undefined ? missing : a.kind === 'float' ? a.value : null);

/** Folds one op on its operands: the constant it computes, or null (a variable operand). */
type Folder = (args: readonly Arg[]) => Arg | null;

/**
 * The folder of every op evaluatePure knows, by name, built from the tables above. One Map
 * lookup per call: the folding passes ask for every pure op whose operands are constants, and
 * asking three object literals in turn (most answering "no such key" only after walking to
 * Object.prototype) was a twelfth of the chained driver's time on a large loop.
 */
const FOLDERS = new Map<OpName, Folder>();
for (const [name, f] of Object.entries(INT) as [OpName, IntOp][]) {
  FOLDERS.set(name, (args) => {
    const x = intValue(args[0], 0n);
    const y = intValue(args[1], 0n);
    return x === null || y === null ? null : cint(wrap(f(x, y)));
  });
}
for (const [name, f] of Object.entries(FLOAT) as [OpName, FloatOp][]) {
  FOLDERS.set(name, (args) => {
    const x = floatValue(args[0], 0);
    const y = floatValue(args[1], 0);
    return x === null || y === null ? null : cfloat(f(x, y));
  });
}
for (const [name, f] of Object.entries(FLOAT_TEST) as [OpName, FloatTest][]) {
  FOLDERS.set(name, (args) => {
    const x = floatValue(args[0], 0);
    const y = floatValue(args[1], 0);
    return x === null || y === null ? null : cint(bool(f(x, y)));
  });
}
FOLDERS.set('cast_int_to_float', (args) => {
  const x = intValue(args[0], 0n);
  return x === null ? null : cfloat(Number(x));
});
FOLDERS.set('cast_float_to_int', (args) => {
  const x = floatValue(args[0], 0);
  return x === null ? null : cint(floatToInt(x));
});

/** The value of a pure int/float op on constant operands, or null (not such an op, or a variable operand). */
export function evaluatePure(name: OpName, args: readonly Arg[]): Arg | null {
  const folder = FOLDERS.get(name);
  return folder === undefined ? null : folder(args);
}

/** An `*_ovf` op on constants: its (wrapped) result and whether it overflowed; else null. */
export function evaluateOverflow(name: OpName, args: readonly Arg[]): { result: Arg; overflow: boolean } | null {
  const op = OVERFLOW[name];
  const x = intValue(args[0], 0n);
  const y = intValue(args[1], 0n);
  if (!op || x === null || y === null) return null;
  const exact = op(x, y);
  return { result: cint(wrap(exact)), overflow: exact < I64_MIN || exact > I64_MAX };
}
