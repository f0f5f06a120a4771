/**
 * The SMT fallback's encoding against the oracle: for each int and float op of the IR, on edge
 * values, z3 must prove that the op on unknowns fixed to those values equals what the reference
 * interpreter computes, and must not prove it equal to anything else. An encoding that differs
 * from the reference anywhere here (signed against unsigned shifts, truncating against floor
 * division, the zero-divisor cases, IEEE `==` against identity) fails this test.
 */
import { describe, expect, it } from 'vitest';
import { OPS, type OpName } from '../../src/ir/index.ts';
import { parseTrace } from '../../src/text/index.ts';
import { answerAll, SmtOracle } from '../../src/validate/smt.ts';
import { Terms, type Term } from '../../src/validate/terms.ts';
import { runReference } from '../../spec/interpreter.ts';

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const INT_PAIRS: [bigint, bigint][] = [[7n, 2n], [-7n, 2n], [7n, -2n], [-7n, -2n], [5n, 0n], [MIN, -1n], [MAX, 1n], [-1n, 63n], [1n, 64n], [-8n, -1n], [0n, MIN]];
const FLOAT_PAIRS: [number, number][] = [[0.1, 0.2], [-0, 0], [Number.NaN, 1], [Number.NaN, Number.NaN], [1e308, 1e308], [-1.5, 2.5], [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]];

/**
 * Ops the encoding leaves uninterpreted (a free value per distinct term: pow, sin and cos are
 * correctly rounded library functions no SMT theory states): z3 must prove nothing about their
 * values, so they are checked to stay unproved rather than equal.
 */
const UNINTERPRETED: ReadonlySet<OpName> = new Set(['float_pow', 'float_sin', 'float_cos']);

const INT_OPS = (Object.keys(OPS) as OpName[]).filter((n) => n.startsWith('int_') && !n.endsWith('_ovf') && OPS[n].operands.length === 2);
const FLOAT_OPS = (Object.keys(OPS) as OpName[]).filter((n) => n.startsWith('float_') && OPS[n].operands.length === 2);
const FLOAT_UNARY_OPS = (Object.keys(OPS) as OpName[]).filter((n) => n.startsWith('float_') && OPS[n].operands.length === 1 && OPS[n].operands[0] === 'float');
const FLOAT_SINGLES: number[] = [0.1, 2, -0, 0, -1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, 5e-324];

const lit = (x: bigint | number) => (typeof x === 'bigint' ? String(x) : Number.isNaN(x) ? 'nan' : Object.is(x, -0) ? '-0.0' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x).includes('.') || String(x).includes('e') ? String(x) : `${x}.0`);

function reference(op: OpName, type: 'int' | 'float', a: bigint | number, b: bigint | number) {
  const v = type === 'int' ? 'i' : 'f';
  const result = OPS[op].result === 'float' ? 'f2' : 'i2';
  const trace = parseTrace(`[${v}0, ${v}1]\n${result} = ${op}(${v}0, ${v}1)\nfinish(${result})\ninput x [${lit(a)}, ${lit(b)}]\n`, 'op.trace');
  return runReference(trace, trace.inputSets[0]!).values[0]!;
}

describe('the SMT encoding agrees with the reference', () => {
  it('on every binary int and float op and every unary float op, at edge values', async () => {
    const T = new Terms();
    const oracle = new SmtOracle();
    const cases: { what: string; key: string; expected: boolean }[] = [];
    const ask = (facts: { term: Term; positive: boolean }[], a: Term, b: Term, expected: boolean, what: string) => {
      oracle.ask(facts, { kind: 'equal', a, b });
      cases.push({ what, key: [...oracle.asked.keys()].at(-1)!, expected });
    };
    for (const op of INT_OPS) {
      for (const [a, b] of INT_PAIRS) {
        const x = T.sym('x', 'int');
        const y = T.sym('y', 'int');
        const facts = [{ term: T.op('int_eq', [x, T.int(a)]), positive: true }, { term: T.op('int_eq', [y, T.int(b)]), positive: true }];
        const r = reference(op, 'int', a, b);
        const value = (r as { value: bigint }).value;
        ask(facts, T.op(op, [x, y]), T.int(value), true, `${op}(${a}, ${b}) = ${value}`);
        ask(facts, T.op(op, [x, y]), T.int(value + 1n), false, `${op}(${a}, ${b}) != ${value + 1n}`);
      }
    }
    for (const op of FLOAT_OPS) {
      for (const [a, b] of FLOAT_PAIRS) {
        const x = T.sym('fx', 'float');
        const y = T.sym('fy', 'float');
        const facts = [{ term: T.op('same_float', [x, T.float(a)]), positive: true }, { term: T.op('same_float', [y, T.float(b)]), positive: true }];
        const r = reference(op, 'float', a, b);
        const expected = r.kind === 'float' ? T.float(r.value) : T.int((r as { value: bigint }).value);
        ask(facts, T.op(op, [x, y]), expected, !UNINTERPRETED.has(op), `${op}(${a}, ${b}) = ${String((r as { value: unknown }).value)}`);
      }
    }
    for (const op of FLOAT_UNARY_OPS) {
      for (const a of FLOAT_SINGLES) {
        const x = T.sym('fx', 'float');
        const facts = [{ term: T.op('same_float', [x, T.float(a)]), positive: true }];
        const result = OPS[op].result === 'float' ? 'f1' : 'i1';
        const trace = parseTrace(`[f0]\n${result} = ${op}(f0)\nfinish(${result})\ninput x [${lit(a)}]\n`, 'op.trace');
        const r = runReference(trace, trace.inputSets[0]!).values[0]!;
        const expected = r.kind === 'float' ? T.float(r.value) : T.int((r as { value: bigint }).value);
        ask(facts, T.op(op, [x]), expected, !UNINTERPRETED.has(op), `${op}(${a}) = ${String((r as { value: unknown }).value)}`);
      }
    }
    const answers = await answerAll(oracle.asked.values());
    const wrong = cases.filter((c) => answers.get(c.key)!.proved !== c.expected).map((c) => c.what);
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
  }, 300_000);
});
