/**
 * The parser: what it reads (Figure 2 unchanged, defaults for guard ids and fail args, field
 * resolution, literals, line continuation) and what it says about what it cannot read: every
 * syntax error names what was expected and where.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Arg, Trace } from '../../src/ir/index.ts';
import { formatTraceError, parseTrace } from '../../src/text/index.ts';
import { parseError, withoutLocs } from './helpers.ts';

const figure2Path = new URL('../../examples/paper-figure2.trace', import.meta.url);
const figure2 = readFileSync(figure2Path, 'utf8');

const names = (args: readonly { kind: string; name?: string }[]) => args.map((a) => a.name ?? a.kind);
const count = (trace: Trace, name: string) => trace.ops.filter((op) => op.name === name).length;

describe('Figure 2', () => {
  const trace = parseTrace(figure2, 'paper-figure2.trace');

  it('parses unchanged, with the paper counts', () => {
    expect(count(trace, 'new')).toBe(5);
    expect(count(trace, 'guard_class')).toBe(7);
    expect(trace.inputs.map((i) => i.name)).toEqual(['p0', 'p1']);
    expect(trace.inputSets.map((s) => s.name)).toEqual(['int_y', 'float_y']);
    expect(trace.ops.at(-1)).toMatchObject({ name: 'jump', args: [{ name: 'p15' }, { name: 'p10' }] });
  });

  it('numbers guards by position and gives them every variable defined so far', () => {
    const guards = trace.ops.filter((op) => op.name.startsWith('guard_'));
    expect(guards.map((g) => g.guardId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(names(guards[0]!.exit!.values as Arg[])).toEqual(['p0', 'p1']);
    expect(names(guards[1]!.exit!.values as Arg[])).toEqual(['p0', 'p1', 'i2']);
    expect(guards[7]!.exit!.values).toHaveLength(2 + 16);
  });

  it('records where each op was written, despite the indentation', () => {
    const i3 = trace.ops.find((op) => op.result === 'i3')!;
    expect(i3.loc).toEqual({ line: 23, col: 9 });
    expect(trace.inputSets[1]!.loc).toEqual({ line: 71, col: 7 });
    expect(i3.args[0]!.loc).toEqual({ line: 23, col: 23 });
  });

  it('keeps the objects of an input set in the order written', () => {
    expect(trace.inputSets[0]!.objects.map((o) => o.name)).toEqual(['y', 'res']);
    expect(withoutLocs(trace.inputSets[0]!.objects[0])).toEqual({ name: 'y', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: 10n } }] });
  });
});

describe('reading', () => {
  it('goes on past a line break after a comma, after `with` and inside brackets', () => {
    const trace = parseTrace(`class Box(
  value: int,    # the payload
  next: ref
)
[i0,
 p1]
guard_true(i0) [
  $0
] with
  $0 = Box{value: i0,
           next: p1}
finish(i0,
       p1)
input s [1,
  @b] with
  @b = Box{}`);
    expect(trace.classes[0]!.fields.map((f) => f.name)).toEqual(['value', 'next']);
    expect(trace.ops[0]!.exit!.virtuals).toHaveLength(1);
    expect(trace.inputSets[0]!.objects).toHaveLength(1);
  });

  it('resolves a bare field name to the one class that declares it, even one declared later', () => {
    const trace = parseTrace('[p0]\ni1 = getfield(p0, value)\nfinish(i1)\nclass Box(value: int)');
    expect(withoutLocs(trace.ops[0]!.descr)).toEqual({ kind: 'field', cls: 'Box', field: 'value' });
  });

  it('places virtuals by their number, whatever order they are written in', () => {
    const trace = parseTrace('class Box(value: int)\n[i0]\nguard_true(i0) [$1] with $1 = ref[$0], $0 = Box{value: i0}\nfinish()');
    expect(trace.ops[0]!.exit!.virtuals.map((v) => v.kind)).toEqual(['object', 'array']);
  });

  it('gives a label without brackets no exit, and takes guard ids from id=N', () => {
    const trace = parseTrace('[i0]\nlabel(i0)\nguard_true(i0, id=41)\njump(i0)');
    expect(trace.ops[0]!.exit).toBeNull();
    expect(trace.ops[1]!.guardId).toBe(41);
  });

  it('accepts a UTF-8 byte order mark at the start, counting columns after it', () => {
    const trace = parseTrace('\uFEFF[i0]\nfinish(i0)');
    expect(trace.inputs[0]!.loc).toEqual({ line: 1, col: 2 });
    const bad = '\uFEFF[i0] x\nfinish(i0)';
    expect(formatTraceError(parseError(bad), 'bom.trace', bad)).toBe("bom.trace:1:6: expected end of line after the inputs, found 'x'\n[i0] x\n     ^");
  });

  it('reads int64 bounds and float forms exactly', () => {
    const trace = parseTrace('[]\nfinish(-9223372036854775808, 9223372036854775807, -0.0, 1e300, 2E-3, nan, inf, -inf, 007)');
    const values = trace.ops[0]!.args.map((a) => (a.kind === 'int' || a.kind === 'float' ? a.value : null));
    expect(values).toEqual([-(2n ** 63n), 2n ** 63n - 1n, -0, 1e300, 0.002, NaN, Infinity, -Infinity, 7n]);
    expect(Object.is(values[2], -0)).toBe(true);
  });
});

describe('syntax errors', () => {
  const cases: [string, string, string, number, number][] = [
    ['an unknown op', '[p0]\ni1 = fetch(p0)\nfinish()', 'unknown operation fetch', 2, 6],
    ['a missing closing parenthesis', 'class A(x: int)\n[p0]\ni1 = getfield(p0, x x)\nfinish()', "expected ')' after the operands of getfield, found 'x'", 3, 21],
    ['too few operands', '[i0]\ni1 = int_add(i0)\nfinish()', "expected ',' before operand 2 of int_add (int_add takes 2), found ')'", 2, 16],
    ['a missing value', '[i0]\ni1 = int_add(i0, )\nfinish()', "expected operand 2 of int_add (a variable, a number, null or a prebuilt object @name), found ')'", 2, 18],
    ['an int out of range', '[]\nfinish(9223372036854775808)', '9223372036854775808 does not fit in a 64-bit int (-9223372036854775808 to 9223372036854775807)', 2, 8],
    ['an int far out of range', `[]\nfinish(-${'9'.repeat(5000)})`, 'does not fit in a 64-bit int', 2, 8],
    ['a float out of range', '[]\nfinish(1e400)', '1e400 is too large for a float (write inf for infinity)', 2, 8],
    ['a number glued to a name', '[]\nfinish(12ab)', "malformed number '12ab'", 2, 8],
    ['a dot without digits', '[]\nfinish(1.)', "expected digits after the '.' of 1. (as in 1.0)", 2, 10],
    ['an exponent without digits', '[]\nfinish(1e+)', 'expected the digits of an exponent in 1e+', 2, 11],
    ['a stray character', '[]\nfinish(%)', "unexpected character '%'", 2, 8],
    ['a stray minus', '[]\nfinish(- 1)', "unexpected character '-' (a minus sign must start a number or -inf)", 2, 8],
    ['a wrong element type', '[i0]\np1 = new_array(i0, bool)\nfinish()', "expected an element type as operand 2 of new_array (int, float or ref), found 'bool'", 2, 20],
    ['an unknown bare field', 'class A(x: int)\n[p0]\ni1 = getfield(p0, y)\nfinish()', 'no class declares a field y', 3, 19],
    ['an ambiguous bare field', 'class A(x: int)\nclass B(x: int)\n[p0]\ni1 = getfield(p0, x)\nfinish()', 'field x is declared by A and B: write A.x or B.x', 4, 19],
    ['a result that is not a variable', '[i0]\ntotal = int_add(i0, 1)\nfinish()', "expected a variable name (i…, f… or p… then a digit) before '=', found 'total'", 2, 1],
    ['an input that is not a variable', '[x]\nfinish()', "expected an input variable (i…, f… or p… then a digit), found 'x'", 1, 2],
    ['a second inputs line', '[i0]\n[i1]\nfinish()', 'a trace has one inputs line, and it was given at line 1', 2, 1],
    ['inputs after an op', 'class A()\nfinish()\n[i0]', 'expected the inputs of the trace, a line like [p0, i1], before the first op', 2, 1],
    ['no inputs line', 'class A()', 'expected the inputs of the trace, a line like [p0, i1]', 1, 10],
    ['two items on a line', '[i0] finish(i0)', "expected end of line after the inputs, found 'finish'", 1, 6],
    ['an op without parentheses', '[i0]\nfinish', "expected '(' after finish, found end of line", 2, 7],
    ['a gap in the virtuals', 'class A()\n[i0]\nguard_true(i0) [$0] with $0 = A{}, $2 = A{}\nfinish()', '$2 leaves a gap: the 2 virtual(s) of guard_true must be numbered $0 to $1', 3, 36],
    ['a virtual described twice', 'class A()\n[i0]\nguard_true(i0) [$0] with $0 = A{}, $0 = A{}\nfinish()', 'guard_true describes $0 twice', 3, 36],
    ['a negative guard id', '[i0]\nguard_true(i0, id=-1)\nfinish()', "expected a guard id (a number >= 0) after 'id=' in guard_true, found '-1'", 2, 19],
    ['a huge guard id', '[i0]\nguard_true(i0, id=12345678901234567890)\nfinish()', 'guard id of guard_true 12345678901234567890 is too large', 2, 19],
    ['an id on a non-guard', '[i0]\nescape(id=1)\nfinish()', "expected argument 1 of escape (a variable, a number, null or a prebuilt object @name), found 'id'", 2, 8],
    ['a bad heap value', 'input s [p0]\n[p0]\nfinish()', "expected value 1 of input set s (a number, null or an object @name), found 'p0'", 1, 10],
    ['an unclosed bracket, at the end of its line', '[i0\nfinish()', "expected ']' after the inputs, found 'finish' on line 2", 1, 4],
    ['a missing parenthesis, at the end of its line', '[i0]\ni1 = int_neg(i0  # note\n\nfinish(i1)', "expected ')' after the operands of int_neg, found 'finish' on line 4", 2, 16],
    ['a missing parenthesis at the end of the file', '[i0]\nfinish(i0\n', "expected ')' after the operands of finish, found end of file", 2, 10],
  ];
  for (const [what, source, message, line, col] of cases) {
    it(`says what it expected: ${what}`, () => {
      const err = parseError(source);
      expect(err.what).toBe('syntax');
      expect(err.message).toContain(message);
      expect(err.loc).toEqual({ line, col });
    });
  }
});

describe('formatTraceError', () => {
  it('prints file:line:col, the line and a caret under the column', () => {
    const source = 'class A(x: int)\n[p0]\n  i1 = getfield(p0, x x)\nfinish()';
    expect(formatTraceError(parseError(source), 'bad.trace', source)).toBe(
      [
        "bad.trace:3:23: expected ')' after the operands of getfield, found 'x'",
        '  i1 = getfield(p0, x x)',
        '                      ^',
      ].join('\n'),
    );
  });

  it('lines the caret up under tabs, and past the end of the last line', () => {
    const tabbed = '[i0]\n\ti1 = fetch(i0)\nfinish()';
    expect(formatTraceError(parseError(tabbed), 't.trace', tabbed).split('\n').slice(1)).toEqual(['\ti1 = fetch(i0)', '\t     ^']);
    const unfinished = '[i0]\r\nfinish(i0';
    expect(formatTraceError(parseError(unfinished), 'u.trace', unfinished)).toBe(
      "u.trace:2:10: expected ')' after the operands of finish, found end of file\nfinish(i0\n         ^",
    );
  });

  it('points a trace without ops at the end of the file', () => {
    const source = '[i0]\n';
    expect(formatTraceError(parseError(source), 'empty.trace', source)).toBe(
      'empty.trace:2:1: a trace needs at least one op: it must end with jump or finish\n\n^',
    );
  });
});
