/**
 * The chained driver's own tables (chain.ts): the common-subexpression table, directly and
 * through the driver's output once it has grown, and the slot of every variable name, plain
 * (`i12`) or not (`i01`, `i1_x`, a number past the table's end), which the slot table keeps apart
 * in two ways. Generated traces are small and plainly named: the properties alone reach neither
 * a grown table nor a name off the numbered one.
 */
import { describe, expect, it } from 'vitest';
import { v } from '../../src/ir/index.ts';
import { chainOptimize, PureTable, Val } from '../../src/optimizer/chain.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { assertBehavesLikeInput } from './contract.ts';

function optimized(source: string) {
  const input = parseTrace(source);
  const output = chainOptimize(input).trace;
  assertBehavesLikeInput(input, output);
  return output;
}

describe('the chained driver’s common-subexpression table', () => {
  it('finds each key it holds after growing, among keys that differ from it in one part only', () => {
    // 6 codes x 40 x 40 operand numbers: the table grows from 64 slots to 32,768, and long probe
    // runs pass keys that share two of the three parts with the one looked up.
    const table = new PureTable();
    const vals = new Map<string, Val>();
    const key = (code: number, a: number, b: number) => `${code} ${a} ${b}`;
    for (let code = 1; code <= 6; code++)
      for (let a = 0; a < 40; a++)
        for (let b = -1; b < 39; b++) {
          const val = new Val(v(`i${vals.size}`));
          vals.set(key(code, a, b), val);
          table.set(code, a, b, val);
        }
    for (let code = 1; code <= 6; code++)
      for (let a = 0; a < 40; a++) for (let b = -1; b < 39; b++) expect(table.get(code, a, b)).toBe(vals.get(key(code, a, b)));
    expect(table.get(7, 0, 0)).toBeUndefined();
    // Sized for a few entries, it grows the same way; a key filed again answers its newest value.
    const sized = new PureTable(3);
    for (let a = 0; a < 1000; a++) sized.set(1, a, -1, vals.get(key(1, a % 40, -1))!);
    const again = new Val(v('again'));
    sized.set(1, 5, -1, again);
    expect(sized.get(1, 5, -1)).toBe(again);
    for (let a = 6; a < 1000; a++) expect(sized.get(1, a, -1)).toBe(vals.get(key(1, a % 40, -1)));
    expect(sized.get(2, 5, -1)).toBeUndefined();
    expect(table.get(1, 40, 0)).toBeUndefined();
    expect(table.get(1, 0, 39)).toBeUndefined();
  });

  it('replaces a repeated pure op by the first one on a trace with more ops than its first size', () => {
    const n = 100;
    const lines = ['[i0]'];
    for (let k = 1; k <= n; k++) lines.push(`i${k} = int_add(i0, ${k})`);
    for (let k = 1; k <= n; k++) lines.push(`i${n + k} = int_add(i0, ${k})`);
    const again = Array.from({ length: n }, (_, k) => `i${n + k + 1}`);
    lines.push(`finish(${again.join(', ')})`, '', 'input a [5]', 'input b [-3]', '');
    const output = optimized(lines.join('\n'));
    expect(output.ops.filter((op) => op.name === 'int_add')).toHaveLength(n);
    const finish = output.ops.at(-1)!;
    expect(finish.args.map((a) => (a.kind === 'var' ? a.name : '?'))).toEqual(Array.from({ length: n }, (_, k) => `i${k + 1}`));
  });
});

describe('the chained driver’s variable slots', () => {
  it('keeps names that differ only in leading zeros or a suffix apart', () => {
    const source = `[i1, i01, i1_x, i001]
i2 = int_sub(i01, i1)
i3 = int_sub(i1_x, i001)
i4 = int_sub(i2, i3)
finish(i4, i01, i1_x)

input a [1, 10, 100, 1000]
`;
    expect(printTrace(optimized(source))).toBe(printTrace(parseTrace(source)));
  });

  it('keeps names whose number lies at or past the end of its numbered table apart', () => {
    // 3 inputs and 2 ops: the numbered table holds numbers below 2 * (3 + 2) + 16 = 26, so i26
    // and p26 are looked up by name, i25 by number.
    const source = `[i26, i25, p26]
i27 = int_sub(i26, i25)
finish(i27, p26)

input a [7, 2, null]
`;
    expect(printTrace(optimized(source))).toBe(printTrace(parseTrace(source)));
  });

  it('keeps a long name and a name with letters after its digits apart from the plain ones', () => {
    const source = `[i12345678901, i1, i1abc, f1, f12345678901]
i2 = int_sub(i12345678901, i1)
i3 = int_sub(i1abc, i2)
f2 = float_sub(f12345678901, f1)
finish(i3, f2)

input a [1000, 10, 1, 0.5, 2.25]
`;
    expect(printTrace(optimized(source))).toBe(printTrace(parseTrace(source)));
  });
});

describe('the chained driver’s interned constants', () => {
  it('carry no source location of their own: an operand’s location in the output is where its op wrote it', () => {
    // The 5 and 2.5 of the first sum are the ones interned; the products' operands are rebuilt
    // (their first operand was replaced), and must not point at the sums' lines.
    const source = `[i0, f0]
i1 = int_add(i0, 5)
i2 = int_add(i0, 5)
i3 = int_mul(i2, 5)
f1 = float_add(f0, 2.5)
f2 = float_add(f0, 2.5)
f3 = float_mul(f2, 2.5)
finish(i3, f3)

input a [4, 0.5]
`;
    const output = optimized(source);
    expect(output.ops.map((op) => op.name)).toEqual(['int_add', 'int_mul', 'float_add', 'float_mul', 'finish']);
    // Each op keeps its own line, rebuilt or not.
    expect(output.ops.map((op) => op.loc?.line)).toEqual([2, 4, 5, 7, 8]);
    for (const op of output.ops) for (const arg of op.args) if (arg.loc !== undefined) expect(arg.loc.line).toBe(op.loc?.line);
  });
});
