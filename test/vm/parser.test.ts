/**
 * The guest parser against CPython's: each program below parses to the tree `ast.parse` builds
 * (compared as `ast.dump` text) with every node at CPython's position; each bad program is a
 * located error with the expected message. python3 runs once for the whole table.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/vm/errors.ts';
import { MAX_EXPR_DEPTH, MAX_NESTING, parseModule } from '../../src/vm/parser.ts';
import { formatTraceError } from '../../src/text/index.ts';
import { runPython } from '../../properties/python3.ts';
import { CPYTHON_AST_SCRIPT, dumpModule, positions } from './ast-dump.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The seed paper's Figure 1 and f, verbatim (the figure's text as the paper prints it). */
export function figure1Source(): string {
  const paper = readFileSync(join(here, '..', '..', '..', 'shared', 'seeds', 'pypy-escape-analysis-draft.txt'), 'utf8');
  const blocks = [...paper.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const classes = blocks.find((b) => b.startsWith('class Base(object):'))!;
  const f = blocks.find((b) => b.startsWith('def f(y):'))!;
  return classes + f;
}

const PROGRAMS: readonly string[] = [
  // statements
  'x = 1\n',
  'x = y = 2\n',
  'a, b = b, a\n',
  '(a, b), c = x\n',
  '[a, b] = 1, 2\n',
  'x.y = 3\nx[0] = 4\nx.y.z[1][2] = 5\n',
  'x += 1\nx -= 1\nx *= 2\nx /= 2\nx //= 2\nx %= 2\nx **= 2\n',
  'a.b += 1\na[0] -= 2\n',
  'if a:\n    pass\n',
  'if a:\n    x = 1\nelif b:\n    x = 2\nelif c:\n    x = 3\nelse:\n    x = 4\n',
  'if a: x = 1\nelse: x = 2\n',
  'while x < 10:\n    x += 1\n    if x == 5:\n        break\n    continue\n',
  'for i in range(10):\n    print(i)\n',
  'for a, b in pairs:\n    pass\n',
  'for x in [1, 2, 3]: pass\n',
  'def f():\n    pass\n',
  'def f(a, b=1, c=2):\n    return a + b + c\n',
  'def f(a, b,):\n    return\n',
  'def f(x):\n    return x, x\n',
  'class A:\n    pass\n',
  'class A():\n    x = 1\n',
  'class B(A):\n    def __init__(self, v):\n        self.v = v\n    def get(self):\n        return self.v\n',
  'class E(Exception):\n    pass\n',
  'x = 0\ndef g():\n    global x\n    x = 1\n',
  'global a, b\n',
  'raise ValueError("bad")\n',
  'try:\n    raise E\nexcept:\n    raise\n',
  'try:\n    x = 1 / 0\nexcept ZeroDivisionError as e:\n    print(e)\nexcept (TypeError, ValueError):\n    pass\nexcept Exception:\n    pass\n',
  'import math\nimport time, sys\nimport math as m\n',
  'print(1)\nf()\n',
  '"""docstring"""\n',
  'x = 1; y = 2;\n',
  'pass\n',
  // expressions: precedence and associativity
  'x = -2 ** 2\n',
  'x = 2 ** -1\n',
  'x = 2 ** 3 ** 2\n',
  'x = -x ** -y ** z\n',
  'x = not a == b\n',
  'x = not a and b or not c\n',
  'x = a or b and c\n',
  'x = a and b and c or d or e\n',
  'x = 1 + 2 * 3 - 4 / 5 // 6 % 7\n',
  'x = (1 + 2) * 3\n',
  'x = - - + -1\n',
  'x = a < b <= c > d >= e == f != g\n',
  'x = a is b is not c in d not in e\n',
  'x = a if b else c if d else e\n',
  'x = (a if b else c) + 1\n',
  'x = -a.b[c](d)(e).f\n',
  'x = a.b.c\n',
  'x = a[-1]\n',
  'x = a[1, 2]\n',
  'x = f(a, b,)\n',
  'x = f()\n',
  'x = (1,)\n',
  'x = ()\n',
  'x = 1,\n',
  'x = [1, [2, 3], (4, 5)]\n',
  'x = []\n',
  'x = [1, 2,]\n',
  'x = len("abc") * 3\n',
  'x = "a" * 3 + \'b\'\n',
  // literals
  'x = 0\nx = 00\nx = 1_000_000\nx = 0x_1f\nx = 0XFF\nx = 0o17\nx = 0O7\nx = 0b1010\nx = 0B1\n',
  'x = 123456789012345678901234567890\n',
  'x = 1if y else 2\nz = [0b1in y, 1.5or 2, 1e3and 1, 0x1for x in y]\n'.replace(', 0x1for x in y', ''),
  'x = 1.5\nx = 1.\nx = .5\nx = 1e10\nx = 1E-5\nx = 1_0.0_1e1_0\nx = 1e400\nx = 0.1\n',
  'x = True\nx = False\nx = None\n',
  "x = 'single'\nx = \"double\"\nx = '''triple\nline'''\nx = \"\"\"t\"\"\"\n",
  "x = 'a' 'b' \"c\"\n",
  "x = 'tab\\tnl\\nq\\'dq\\\"bs\\\\'\n",
  "x = '\\x41\\u00e9\\U0001F600\\101\\0\\a\\b\\f\\v\\r'\n",
  "x = '\\q\\d'\n",
  "x = r'\\n\\q'\nx = R\"\\\\\"\n",
  "x = 'line\\\ncontinued'\n",
  // layout
  'x = (1 +\n     2)\n',
  'x = [\n  1,\n  2,\n]\n',
  'def f(\na, b):\n    return (a +\nb)\n',
  'x = 1 + \\\n    2\n',
  '# comment only\n\nx = 1  # trailing\n\n\n   # indented comment\ny = 2\n',
  'if a:\n\n    # comment\n    x = 1\n\n    y = 2\n',
  'if a:\n\tx = 1\n\tif b:\n\t\ty = 2\n',
  'x = 1',
  'if a:\n    x = 1',
  '',
  '\n\n',
  'f(a)\r\nif x:\r\n    y = 1\r\n',
  'x = 1\n\u000cy = 2\n',
  // names
  'café = 1\n_x = 2\nX1 = 3\n',
];

describe('parser agrees with CPython', () => {
  const cpython = runPython<([string, string[]] | ['error', string])[]>(CPYTHON_AST_SCRIPT, PROGRAMS);
  PROGRAMS.forEach((source, k) => {
    it(JSON.stringify(source), () => {
      const expected = cpython[k]!;
      expect(expected[0]).not.toBe('error');
      const tree = parseModule(source);
      expect(dumpModule(tree)).toBe(expected[0]);
      expect(positions(tree)).toEqual(expected[1]);
    });
  });

  it("reads u'…' as a plain string (CPython marks it with kind='u', which the subset has no use for)", () => {
    expect(parseModule("x = u'u'\n").body[0]).toMatchObject({ kind: 'Assign', value: { kind: 'Constant', value: 'u' } });
  });

  it("parses the seed paper's Figure 1 and f verbatim, as CPython does", () => {
    const source = figure1Source();
    expect(source).toContain('class BoxedFloat(Base):');
    expect(source).toContain('        y = y.add(BoxedInteger(-1))');
    const [expected] = runPython<[[string, string[]]]>(CPYTHON_AST_SCRIPT, [source]);
    const tree = parseModule(source);
    expect(dumpModule(tree)).toBe(expected[0]);
    expect(positions(tree)).toEqual(expected[1]);
  });
});

/** The error for `source`: `line:col: message`. */
function errorOf(source: string): string {
  try {
    parseModule(source);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    return `${e.loc.line}:${e.loc.col}: ${e.message}`;
  }
  return 'no error';
}

describe('syntax errors are located and say what was expected', () => {
  const cases: [string, string][] = [
    ['x = (1,', "1:5: '(' was never closed"],
    ['x = )', "1:5: unmatched ')'"],
    ['x = [1)', "1:7: closing parenthesis ')' does not match opening parenthesis '['"],
    ['x = (1,\n2]', "2:2: closing parenthesis ']' does not match opening parenthesis '(' on line 1"],
    ["x = 'abc", '1:5: unterminated string literal (detected at line 1)'],
    ["x = '''abc\n\n", '1:5: unterminated triple-quoted string literal (detected at line 3)'],
    ['x = 01', '1:5: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers'],
    ['x = 1__0', '1:6: invalid decimal literal'],
    ['x = 1_', '1:6: invalid decimal literal'],
    ['x = 0x', '1:7: invalid hexadecimal literal'],
    ['x = 0b2', "1:7: invalid digit '2' in binary literal"],
    ['x = 1abc', '1:6: invalid decimal literal'],
    ['x = 1orb', '1:6: invalid decimal literal'],
    ['x = 0x1for_', '1:9: invalid hexadecimal literal'],
    ['x = $', "1:5: invalid character '$' (U+0024)"],
    ['x = \\ 1', '1:6: unexpected character after line continuation character'],
    ['if x\n    pass', "1:5: expected ':'"],
    ['for x in y\n pass', "1:11: expected ':'"],
    ['if x:\npass', "2:1: expected an indented block after 'if' statement on line 1"],
    ['def f():\nreturn', '2:1: expected an indented block after function definition on line 1'],
    ['if x:', "1:6: expected an indented block after 'if' statement on line 1"],
    ['  x = 1', '1:3: unexpected indent'],
    ['if 1:\n    x\n  y', '3:3: unindent does not match any outer indentation level'],
    ['if 1:\n\tx\n        y', '3:9: inconsistent use of tabs and spaces in indentation'],
    ['x ==', '1:5: expected an expression, found end of line'],
    ['x = 1 +', '1:8: expected an expression, found end of line'],
    ['x = 1 if 2', "1:5: expected 'else' after 'if' expression"],
    ['f(,)', "1:3: expected an expression, found ','"],
    ['x = (,)', "1:6: expected an expression, found ','"],
    ['x = a[]', "1:7: expected an index, found ']'"],
    ['x = a b', "1:7: expected end of line after a statement, found 'b'"],
    ['x = not', '1:8: expected an expression, found end of line'],
    ['x = a not b', "1:7: expected end of line after a statement, found 'not'"],
    ['def (): pass', "1:5: expected a function name after 'def', found '('"],
    ['def f(a, a): pass', "1:10: duplicate argument 'a' in function definition"],
    ['def f(a=1, b): pass', '1:12: non-default argument follows default argument'],
    ['try:\n    pass\n', "3:1: expected 'except' or 'finally' block"],
    ['try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass', "3:1: default 'except:' must be last"],
    ['try:\n    pass\nexcept A, B:\n    pass', '3:8: multiple exception types must be parenthesized'],
    ['class A(B:\n    pass', "1:8: '(' was never closed"],
    ['x = 1 = 2', "1:5: cannot assign to literal here. Maybe you meant '==' instead of '='?"],
    ['1 = x', "1:1: cannot assign to literal here. Maybe you meant '==' instead of '='?"],
    ['f() = 1', "1:1: cannot assign to function call here. Maybe you meant '==' instead of '='?"],
    ['a + 1 = 2', "1:1: cannot assign to expression here. Maybe you meant '==' instead of '='?"],
    ['(a, 1) = x', "1:5: cannot assign to literal here. Maybe you meant '==' instead of '='?"],
    ['None = 1', '1:1: cannot assign to None'],
    ['True = 1', '1:1: cannot assign to True'],
    ['for 1 in x: pass', '1:5: cannot assign to literal'],
    ['for f() in x: pass', '1:5: cannot assign to function call'],
    ['1 += 1', "1:1: 'literal' is an illegal expression for augmented assignment"],
    ['a, b += 1', "1:1: 'tuple' is an illegal expression for augmented assignment"],
    ['[a] += 1', "1:1: 'list' is an illegal expression for augmented assignment"],
    ['f() += 1', "1:1: 'function call' is an illegal expression for augmented assignment"],
    ['None += 1', "1:1: 'None' is an illegal expression for augmented assignment"],
    ['break', "1:1: 'break' outside loop"],
    ['continue', "1:1: 'continue' not properly in loop"],
    ['return 1', "1:1: 'return' outside function"],
    ['while 1:\n    def g():\n        break', "3:9: 'break' outside loop"],
    ['class A:\n    return 1', "2:5: 'return' outside function"],
    ['for x in y:\n    class A:\n        continue', "3:9: 'continue' not properly in loop"],
    ['def f():\n    x = 1\n    global x', "3:5: name 'x' is assigned to before global declaration"],
    ['def f():\n    print(x)\n    global x', "3:5: name 'x' is used prior to global declaration"],
    ['def f(x):\n    global x', "2:5: name 'x' is parameter and global"],
    ['x = 1\nglobal x', "2:1: name 'x' is assigned to before global declaration"],
    // a scope error anywhere wins over a misplaced break earlier, as in CPython
    ['break\ndef f():\n    x = 1\n    global x', "4:5: name 'x' is assigned to before global declaration"],
  ];
  for (const [source, expected] of cases) {
    it(JSON.stringify(source), () => expect(errorOf(source)).toBe(expected));
  }

  it('CPython rejects each of these programs too', () => {
    const results = runPython<([string, string[]] | ['error', string])[]>(CPYTHON_AST_SCRIPT, cases.map(([s]) => s));
    // ast.parse does not run the compiler's checks (break outside loop, global misuse): compile() does.
    const compiled = runPython<boolean[]>(
      'import json, sys\nout = []\nfor s in json.load(sys.stdin):\n    try:\n        compile(s, "t.py", "exec"); out.append(True)\n    except SyntaxError:\n        out.append(False)\nprint(json.dumps(out))',
      cases.map(([s]) => s),
    );
    expect(results.length).toBe(cases.length);
    expect(compiled.every((ok) => !ok)).toBe(true);
  });
});

describe('constructs outside the subset are located "not supported" errors', () => {
  const cases: [string, string][] = [
    ['f = lambda: 1', "1:5: 'lambda' is not supported"],
    ['x = [i for i in y]', '1:5: comprehensions and generator expressions are not supported'],
    ['x = f(i for i in y)', '1:6: comprehensions and generator expressions are not supported'],
    ['with a: pass', "1:1: the 'with' statement is not supported"],
    ['def f():\n    yield 1', "2:5: 'yield' is not supported"],
    ['@d\ndef f(): pass', '1:1: decorators are not supported'],
    ['f(a=1)', '1:3: keyword arguments are not supported'],
    ['def f(*a): pass', "1:7: '*' and '**' parameters are not supported"],
    ['f(*a)', "1:3: '*' and '**' arguments are not supported"],
    ["x = f'a'", '1:5: f-strings are not supported'],
    ["x = b'a'", '1:5: bytes literals are not supported'],
    ['x = {}', '1:5: dict and set displays are not supported'],
    ['x = a[1:2]', '1:7: slices are not supported'],
    ['x = a[:2]', '1:7: slices are not supported'],
    ['x = a & b', "1:7: the '&' operator is not supported"],
    ['x = a | b', "1:7: the '|' operator is not supported"],
    ['x = a << 1', "1:7: the '<<' operator is not supported"],
    ['x = ~a', "1:5: the '~' operator is not supported"],
    ['x = a @ b', "1:7: the '@' operator is not supported"],
    ['x |= 1', "1:3: the '|=' operator is not supported"],
    ['x = 1j', '1:5: imaginary literals are not supported'],
    ['x = ...', "1:5: '...' (Ellipsis) is not supported"],
    ['x: int = 1', '1:2: annotations are not supported'],
    ['def f(x: int): pass', '1:8: annotations are not supported'],
    ['def f() -> int: pass', '1:9: annotations are not supported'],
    ['del x', "1:1: the 'del' statement is not supported"],
    ['assert x', "1:1: the 'assert' statement is not supported"],
    ['def f():\n    nonlocal x', "2:5: the 'nonlocal' statement is not supported"],
    ['from math import sqrt', "1:1: 'from … import' is not supported"],
    ['import os.path', '1:10: importing a submodule is not supported'],
    ['async def f(): pass', "1:1: 'async' is not supported"],
    ['raise A from B', "1:9: 'raise … from' is not supported"],
    ['x = (y := 1)', "1:8: assignment expressions (':=') is not supported"],
    ['a, *b = c', '1:4: starred expressions are not supported'],
    ['class A(B, C): pass', '1:12: multiple inheritance is not supported'],
    ['class A(metaclass=M): pass', '1:9: keyword arguments in a class definition are not supported'],
    ['while x:\n    pass\nelse:\n    pass', "3:1: an 'else' clause on a loop is not supported"],
    ['try:\n    pass\nexcept:\n    pass\nelse:\n    pass', "5:1: an 'else' clause on 'try' is not supported"],
    ['try:\n    pass\nfinally:\n    pass', "3:1: 'finally' is not supported"],
    ["x = '\\N{DASH}'", '1:6: \\N{…} escapes are not supported'],
  ];
  for (const [source, expected] of cases) {
    it(JSON.stringify(source), () => expect(errorOf(source)).toBe(expected));
  }
});

describe('nesting is bounded: a clean located error, never a stack overflow', () => {
  it('100,000 open parentheses stop at the 201st, as CPython', () => {
    expect(errorOf(`x = ${'('.repeat(100_000)}1${')'.repeat(100_000)}`)).toBe('1:205: too many nested parentheses');
  });
  it('200 nested parentheses parse', () => {
    expect(errorOf(`x = ${'('.repeat(200)}1${')'.repeat(200)}\n`)).toBe('no error');
  });
  it('100,000 unary minuses, nots and powers stop at the nesting bound', () => {
    expect(errorOf(`x = ${'-'.repeat(100_000)}1`)).toBe(`1:${5 + MAX_NESTING}: expression too deeply nested (more than ${MAX_NESTING} levels)`);
    expect(errorOf(`x = ${'not '.repeat(100_000)}1`)).toMatch(/^1:\d+: expression too deeply nested/);
    expect(errorOf(`x = ${'2 ** '.repeat(100_000)}1`)).toMatch(/^1:\d+: expression too deeply nested/);
    expect(errorOf(`x = ${'a if b else '.repeat(100_000)}1`)).toMatch(/^1:\d+: expression too deeply nested/);
  });
  it('a 100,000-term sum builds no tree deeper than the bound', () => {
    expect(errorOf(`x = ${Array(100_000).fill('1').join(' + ')}`)).toBe(`1:5: expression too deeply nested (more than ${MAX_EXPR_DEPTH} levels)`);
    expect(errorOf(`x = ${Array(MAX_EXPR_DEPTH).fill('1').join(' + ')}\n`)).toBe('no error');
  });
  it('indentation stops at 100 levels, as CPython', () => {
    let source = '';
    for (let k = 0; k < 100; k++) source += `${' '.repeat(k)}if x:\n`;
    source += `${' '.repeat(100)}pass\n`;
    expect(errorOf(source)).toBe('101:101: too many levels of indentation');
    // 99 nested blocks are fine, as in CPython.
    source = '';
    for (let k = 0; k < 99; k++) source += `${' '.repeat(k)}if x:\n`;
    source += `${' '.repeat(99)}pass\n`;
    expect(errorOf(source)).toBe('no error');
  });
  it('a 100,000-clause elif chain stops at the block bound', () => {
    const source = `if x:\n    pass\n${'elif x:\n    pass\n'.repeat(100_000)}`;
    expect(errorOf(source)).toMatch(/^\d+:1: too many nested blocks/);
  });
  it('a long flat program is fine', () => {
    expect(errorOf('x = 1\n'.repeat(100_000))).toBe('no error');
  });
});

describe('errors print with the project formatter', () => {
  it('file:line:col, the line and a caret', () => {
    const source = 'def f(x):\n    return x +\n';
    try {
      parseModule(source);
      expect.unreachable();
    } catch (e) {
      expect(formatTraceError(e as SourceError, 'prog.py', source)).toBe(
        'prog.py:2:15: expected an expression, found end of line\n    return x +\n              ^',
      );
    }
  });
});
