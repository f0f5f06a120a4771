/**
 * Constant folding's arithmetic (src/optimizer/evaluate.ts) agrees with the reference interpreter
 * on every int and float op of the table, one op at a time, on operands chosen at the edges where
 * the two could part: signs (floor division and modulo round toward minus infinity), the 64-bit
 * ends (wrapping, overflow), shift counts past 63, -0.0, infinities and NaN, casts out of range.
 *
 * The differential properties on whole traces reach these only when a random trace happens to
 * fold such a pair of constants (a mutant that made int_mod truncate survived them); here each
 * op is evaluated on its own, as `i1 = op(c, d); finish(i1)` run by the reference. Shown to catch a
 * folder whose modulo truncates as JavaScript's `%` does (test/broken-folding/mod-truncates.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runReference } from '../spec/interpreter.ts';
import { type Arg, cfloat, cint, OP_NAMES, type OpName, opInfo } from '../src/ir/index.ts';
import { evaluateOverflow, evaluatePure } from '../src/optimizer/evaluate.ts';
import { parseTrace, printArg } from '../src/text/index.ts';
import { MOD_TRUNCATES } from '../test/broken-folding/mod-truncates.ts';
import { fcParams, fcParamsForBrokenVariant } from './fc-config.ts';

/** What constant folding uses: the two entry points of evaluate.ts. */
export interface Evaluator {
  readonly pure: typeof evaluatePure;
  readonly overflow: typeof evaluateOverflow;
}
const EVALUATE: Evaluator = { pure: evaluatePure, overflow: evaluateOverflow };

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

const intArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -20n, max: 20n }),
  fc.constantFrom(I64_MIN, I64_MIN + 1n, I64_MAX, I64_MAX - 1n, 63n, 64n, 65n, -1n, -64n),
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
);
const floatArb: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 2 ** 63, -(2 ** 63), 2 ** 63 - 1024, 0.5, -0.5, 1.5, -1.5),
  fc.integer({ min: -64, max: 64 }).map((n) => n / 4),
);

/** The int and float ops (no ref operand, a result): those folding may meet with constant operands. */
const NUMERIC_OPS = OP_NAMES.filter((name) => {
  const info = opInfo(name);
  const e = info.effects;
  return (e.pure === true || e.overflow === true) && info.result !== null && info.operands.every((k) => k === 'int' || k === 'float');
});

/** The ops evaluate.ts folds; every other numeric op (the libm and pow ops) is left to run. */
const FOLDED: readonly OpName[] = [
  'int_add', 'int_sub', 'int_mul', 'int_floordiv', 'int_mod', 'int_and', 'int_or', 'int_xor', 'int_lshift', 'int_rshift', 'int_neg',
  'int_lt', 'int_le', 'int_eq', 'int_ne', 'int_gt', 'int_ge',
  'float_add', 'float_sub', 'float_mul', 'float_truediv', 'float_neg', 'float_abs', 'float_sqrt',
  'float_lt', 'float_le', 'float_eq', 'float_ne', 'float_gt', 'float_ge',
  'cast_int_to_float', 'cast_float_to_int',
  'int_add_ovf', 'int_sub_ovf', 'int_mul_ovf',
];

const caseArb: fc.Arbitrary<{ name: OpName; args: Arg[] }> = fc.constantFrom(...NUMERIC_OPS).chain((name) =>
  fc.tuple(...opInfo(name).operands.map((k) => (k === 'int' ? intArb.map(cint) : floatArb.map(cfloat)))).map((args) => ({ name, args: args as Arg[] })),
);

/** The reference's value of `op(args)`: the finished value, or 'overflow' when the guard after an `_ovf` op exits. */
function reference(name: OpName, args: readonly Arg[]): string {
  const overflows = opInfo(name).effects.overflow === true;
  const result = opInfo(name).result === 'float' ? 'f1' : 'i1';
  const text = [`[]`, `${result} = ${name}(${args.map(printArg).join(', ')})`, ...(overflows ? ['guard_no_overflow() []'] : []), `finish(${result})`, 'input a []'];
  const trace = parseTrace(text.join('\n'));
  const outcome = runReference(trace, trace.inputSets[0]!);
  if (outcome.exit.kind === 'guard') return 'overflow';
  const v = outcome.values[0]!;
  return v.kind === 'int' ? printArg(cint(v.value)) : v.kind === 'float' ? printArg(cfloat(v.value)) : v.kind;
}

/** The folder's value of `op(args)`, as `reference` writes it; null when it does not fold the op. */
function folded(evaluate: Evaluator, name: OpName, args: readonly Arg[]): string | null {
  if (opInfo(name).effects.overflow === true) {
    const r = evaluate.overflow(name, args);
    return r === null ? null : r.overflow ? 'overflow' : printArg(r.result);
  }
  const r = evaluate.pure(name, args);
  return r === null ? null : printArg(r);
}

/** The first case (shrunk) on which `evaluate` and the reference differ, or null. */
function counterexample(evaluate: Evaluator, params: fc.Parameters<[{ name: OpName; args: Arg[] }]>): string | null {
  const details = fc.check(
    fc.property(caseArb, ({ name, args }) => {
      const mine = folded(evaluate, name, args);
      return mine === null || mine === reference(name, args);
    }),
    params,
  );
  if (!details.failed) return null;
  const [{ name, args }] = details.counterexample!;
  return `${name}(${args.map(printArg).join(', ')}): folded to ${folded(evaluate, name, args)}, the reference gives ${reference(name, args)}`;
}

describe('constant folding agrees with the reference, op by op', () => {
  it('folds exactly the ops it means to, and each one on constants (so no op drops out unnoticed)', () => {
    const foldedOps = NUMERIC_OPS.filter((name) => folded(EVALUATE, name, opInfo(name).operands.map((k) => (k === 'int' ? cint(3n) : cfloat(0.5)))) !== null);
    expect(foldedOps.sort()).toEqual([...FOLDED].sort());
    // An op with a variable operand is never folded.
    expect(evaluatePure('int_add', [cint(1n), { kind: 'var', name: 'i0' }])).toBeNull();
    expect(evaluateOverflow('int_add_ovf', [cint(1n), { kind: 'var', name: 'i0' }])).toBeNull();
  });

  it('on random operands at the edges', () => {
    expect(counterexample(EVALUATE, fcParams(3000))).toBeNull();
  });

  it('catches a folder whose modulo truncates, on a mixed-sign int_mod', () => {
    const found = counterexample(MOD_TRUNCATES, fcParamsForBrokenVariant(3000));
    expect(found).toMatch(/^int_mod\(/);
  });
});
