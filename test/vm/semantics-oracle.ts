/**
 * CPython as the oracle of the pure semantics: a case names an operation and its operands; the
 * Python side computes it with the real operators (one python3 process for a whole batch), the
 * JavaScript side through a `Semantics` record, composed the way the interpreter composes it
 * (mixed int/float arithmetic converts the int with `intToFloat` first). Results are compared
 * as exact text: ints in hex (no 4300-digit limit), floats by their 64 bits (every nan alike),
 * strings as they are, errors as `Type: message`.
 */
import { GuestException } from '../../src/vm/errors.ts';
import type { Semantics } from '../../src/vm/semantics.ts';
import { runPython } from '../../properties/python3.ts';

export type Value = bigint | number | string;

export type Op =
  | 'add' | 'sub' | 'mul' | 'truediv' | 'floordiv' | 'mod' | 'pow' | 'neg'
  | 'cmp' | 'float' | 'int' | 'floor' | 'sqrt' | 'sin' | 'cos'
  | 'repr' | 'str';

export interface Case {
  readonly op: Op;
  readonly args: readonly Value[];
}

type Encoded = { i: string } | { f: string } | { s: string };

function floatBits(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

function bitsFloat(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

const hexInt = (a: bigint) => (a < 0n ? `-0x${(-a).toString(16)}` : `0x${a.toString(16)}`);

function encode(v: Value): Encoded {
  if (typeof v === 'bigint') return { i: hexInt(v) };
  if (typeof v === 'number') return { f: Number.isNaN(v) ? '7ff8000000000000' : floatBits(v) };
  return { s: v };
}

/** The canonical text of a result. */
export function showResult(v: Value | boolean): string {
  if (typeof v === 'bigint') return `int:${hexInt(v)}`;
  if (typeof v === 'number') return `float:${floatBits(v)}`;
  return `str:${String(v)}`;
}

const PYTHON = String.raw`
import json, math, struct, sys
def dec(v):
    if 'i' in v: return int(v['i'], 16)
    if 'f' in v: return struct.unpack('>d', bytes.fromhex(v['f']))[0]
    return v['s']
def show(r):
    if isinstance(r, bool): return 'str:' + str(r)
    if isinstance(r, int): return 'int:' + hex(r)
    if isinstance(r, float): return 'float:' + ('nan' if r != r else struct.pack('>d', r).hex())
    return 'str:' + r
def cmp(a, b):
    return -1 if a < b else 1 if a > b else 0 if a == b else 'nan'
OPS = {
    'add': lambda a, b: a + b, 'sub': lambda a, b: a - b, 'mul': lambda a, b: a * b,
    'truediv': lambda a, b: a / b, 'floordiv': lambda a, b: a // b, 'mod': lambda a, b: a % b,
    'pow': lambda a, b: a ** b, 'neg': lambda a: -a,
    'float': float, 'int': int, 'floor': math.floor, 'sqrt': math.sqrt, 'sin': math.sin, 'cos': math.cos,
    'repr': repr, 'str': str,
}
out = []
for op, args in json.load(sys.stdin):
    args = [dec(a) for a in args]
    try:
        if op == 'cmp':
            r = cmp(*args)
            out.append('cmp:' + str(r))
            continue
        r = OPS[op](*args)
        if isinstance(r, complex): out.append('complex')
        else: out.append(show(r))
    except OverflowError as e:
        # a complex result too large: still a complex number, outside the subset
        out.append('complex' if str(e) == 'complex exponentiation' else 'err:OverflowError: %s' % e)
    except Exception as e:
        out.append('err:%s: %s' % (type(e).__name__, e))
print(json.dumps(out))
`;

/** CPython's results for `cases`, in order (one python3 process). */
export function cpythonResults(cases: readonly Case[]): string[] {
  return runPython<string[]>(PYTHON, cases.map((c) => [c.op, c.args.map(encode)]));
}

type Binary = 'Add' | 'Sub' | 'Mul' | 'TrueDiv' | 'FloorDiv' | 'Mod' | 'Pow';
const BINARY: Record<string, Binary> = {
  add: 'Add', sub: 'Sub', mul: 'Mul', truediv: 'TrueDiv', floordiv: 'FloorDiv', mod: 'Mod', pow: 'Pow',
};

/** The interpreter's composition of a binary operation on two unboxed numbers. */
function binary(sem: Semantics, op: Binary, a: bigint | number, b: bigint | number): bigint | number {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (op === 'TrueDiv') return sem.intTrueDiv(a, b);
    if (op === 'Mul') return sem.intMul(a, b);
    return sem[`int${op}`](a, b);
  }
  const x = typeof a === 'bigint' ? sem.intToFloat(a) : a;
  const y = typeof b === 'bigint' ? sem.intToFloat(b) : b;
  if (op === 'Mul') return sem.floatMul(x, y);
  return sem[`float${op}`](x, y);
}

/** The result of `c` through `sem`, as `showResult` text or `err:Type: message`. */
export function semanticsResult(sem: Semantics, c: Case): string {
  const [a, b] = c.args;
  try {
    switch (c.op) {
      case 'neg':
        return showResult(typeof a === 'bigint' ? sem.intNeg(a) : sem.floatNeg(a as number));
      case 'cmp': {
        const r = sem.compareIntFloat(a as bigint, b as number);
        return `cmp:${Number.isNaN(r) ? 'nan' : r}`;
      }
      case 'float':
        return showResult(typeof a === 'bigint' ? sem.intToFloat(a) : sem.floatFromString(a as string));
      case 'int':
        return showResult(typeof a === 'number' ? sem.intFromFloat(a) : sem.intFromString(a as string));
      case 'floor':
        return showResult(sem.mathFloor(a as number));
      case 'sqrt':
        return showResult(sem.mathSqrt(a as number));
      case 'sin':
        return showResult(sem.mathSin(a as number));
      case 'cos':
        return showResult(sem.mathCos(a as number));
      case 'repr':
        return showResult(typeof a === 'number' ? sem.reprFloat(a) : typeof a === 'bigint' ? sem.strInt(a) : sem.reprStr(a as string));
      case 'str':
        return showResult(typeof a === 'number' ? sem.reprFloat(a) : typeof a === 'bigint' ? sem.strInt(a) : (a as string));
      default:
        return showResult(binary(sem, BINARY[c.op]!, a as bigint | number, b as bigint | number));
    }
  } catch (e) {
    if (e instanceof GuestException) return `err:${e.type}: ${e.message}`;
    throw e;
  }
}

/** The cases where `sem` and CPython differ, each as `op(args): expected … got …`. */
export function differences(sem: Semantics, cases: readonly Case[], expected = cpythonResults(cases)): string[] {
  return differingCases(sem, cases, expected).map((d) => d.message);
}

/** The cases where `sem` and CPython differ, with their messages. */
export function differingCases(
  sem: Semantics,
  cases: readonly Case[],
  expected = cpythonResults(cases),
): { case: Case; message: string }[] {
  const out: { case: Case; message: string }[] = [];
  cases.forEach((c, k) => {
    const got = semanticsResult(sem, c);
    // A negative float to a fractional power is complex in CPython; the subset has no complex
    // numbers and raises ValueError instead (numeric.ts), the one documented difference.
    if (expected[k] === 'complex' && got.startsWith('err:ValueError: negative number cannot be raised to a fractional power')) return;
    if (got !== expected[k]) out.push({ case: c, message: `${c.op}(${c.args.map(describe).join(', ')}): CPython ${expected[k]}, got ${got}` });
  });
  return out;
}

function describe(v: Value): string {
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0.0' : `${v}f`;
  return JSON.stringify(v);
}

export { bitsFloat };
