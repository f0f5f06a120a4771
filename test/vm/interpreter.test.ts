/**
 * The interpreter, construct by construct, against CPython 3.11: each snippet runs under
 * `python3` (the oracle, at test time) and under `runPython`, and stdout, the last stderr line
 * and the exit status must agree. The corpus (corpus.test.ts) runs whole programs; these pin the
 * corners: evaluation order, error messages, unwinding, the fast paths' edges.
 */
import { describe, expect, it } from 'vitest';
import { observe, pythonExecutable, runCPython } from '../../properties/cpython.ts';
import { runPython } from '../../src/vm/run.ts';
import { PY_SEMANTICS } from '../../src/vm/semantics.ts';

const SNIPPETS: Readonly<Record<string, string>> = {
  arithmetic_edges: `
a = 2 ** 62
print(a + a, a * 4, -a - a - a, a * a, (a + a) // 3, -(a + a) % 7)
print(7 // -2, -7 // 2, 7 % -2, -7 % 2, 7 / 2, 2 ** -1, 10 ** 20 // 3)
print(9007199254740991 + 1, 9007199254740993 - 1, 4503599627370496 * 2 + 1)
big = 9223372036854775807
small = -big - 1
print(big + 1, small - 1, big - small, small - big, big + small, small + small, big - -1, 4294967295 + 1, -4294967296 - 1)
print(big > small, small < big, big == big, big - 1 < big, small + 1 > small, 4294967296 > 4294967295, -1 < 0, -4294967296 < -4294967295)
print(46341 * 46341, -46341 * 46341, 3037000499 * 3037000499, 94906265 * 94906266, 2147483647 * 2147483647)
print(1.5 + 2, 3 - 0.5, 2 * 0.1, 1 / 3, 7.5 // 2, -7.5 % 2, True + True, -True, +False)
x = 3
x += 4
x *= x
x -= 1
x //= 5
x %= 7
x **= 3
print(x)
`,
  comparisons: `
xs = [0]
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 == 2, 1 == 1.0, 2 ** 64 == 2.0 ** 64, 2 ** 53 + 1 == 2.0 ** 53)
print("a" < "b", [1, 2] < [1, 3], (1, 2) == (1, 2), [1] == [1.0], None is None, xs is not None)
print(2 in [1, 2], "bc" in "abcd", 4 not in (1, 2), 3 in range(5), 5 in range(5))
print(not 0, not [], not "x", 0.0 or "empty", 3 and 4, 0 and 1 / 0, 1 or 1 / 0)
`,
  calls_and_defaults: `
def f(a, b=2, c=3):
    return a + b * c
print(f(1), f(1, 1), f(1, 1, 1))
def g():
    pass
print(g())
h = f
print(h(10))
try:
    f()
except TypeError as e:
    print(e)
try:
    f(1, 2, 3, 4)
except TypeError as e:
    print(e)
`,
  classes: `
class A:
    kind = "a"
    def __init__(self, x):
        self.x = x
    def get(self):
        return self.x
    def twice(self):
        return self.get() * 2
class B(A):
    def __init__(self, x, y):
        A.__init__(self, x)
        self.y = y
    def get(self):
        return self.x + self.y
b = B(1, 2)
m = b.twice
print(b.twice(), m(), A.get(b), b.kind, B.kind, isinstance(b, A), isinstance(A(1), B))
b.x += 10
print(b.get())
items = [A(1), B(2, 3)]
print(items[0].get(), items[-1].get())
`,
  exceptions: `
class MyError(Exception):
    def __init__(self, code):
        self.code = code
def risky(n):
    if n == 0:
        raise MyError(42)
    if n == 1:
        raise ValueError("one")
    return [1, 2][n]
for n in range(4):
    try:
        print(risky(n))
    except MyError as e:
        print("my", e.code, e.args)
    except (ValueError, IndexError) as e:
        print("caught", e)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        print("inner")
        raise
except ArithmeticError as e:
    print("outer", e)
def deep(n):
    if n == 0:
        return [][0]
    return deep(n - 1)
try:
    deep(50)
except IndexError as e:
    print("deep", e)
raise MyError(7)
`,
  lists_and_tuples: `
xs = [3, 1, 2]
xs.append(5)
xs[0] = 9
xs[-1] += 1
print(xs, len(xs), xs.pop(), xs.pop(0), xs)
ys = xs
ys += [7, 8]
print(xs, [0] * 3, 2 * [1, 2], (1,) + (2, 3), (1,) * 2, ())
a, b = 1, 2
a, b = b, a
(c, d), e = (a, b), "e"
print(a, b, c, d, e, min(3, 1, 2), max([4, 9, 2]), abs(-2.5), abs(-3))
for ch in "hey":
    print(ch)
t = (1, [2, 3])
t[1].append(4)
print(t, str(t), repr("it's"), str(1.0), int("  -12 "), float("1e3"), int(-2.7))
print(xs[10])
`,
  loops: `
total = 0
for i in range(10):
    if i == 2:
        continue
    if i == 7:
        break
    total += i
print(total)
i = 0
while True:
    i += 1
    if i > 5:
        break
print(i)
for i in range(10, 0, -3):
    print(i)
for x in (1, "a", None):
    print(x)
n = 0
for i in range(3):
    for j in range(3):
        if j == i:
            break
        n += 1
print(n)
`,
  globals_and_errors: `
count = 0
def bump():
    global count
    count += 1
bump()
bump()
print(count)
def local_before():
    print(y)
    y = 1
try:
    local_before()
except NameError as e:
    print("caught", e)
try:
    print(undefined_name)
except NameError as e:
    print(e)
try:
    None.x
except AttributeError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
print(1 + "a")
`,
  strings: `
s = "ab" * 3 + "c"
print(s, len(s), s[0], s[-1], "b" in s, s == "abababc", "x" * 0, str(12) + str(1.5) + str(True) + str(None))
print(repr('a"b'), repr("a'b"), repr("tab\\there"), [s, "q"])
print(s[7])
`,
};

const hasPython = pythonExecutable() !== null;

describe.skipIf(!hasPython)('the interpreter agrees with CPython 3.11', () => {
  for (const [name, source] of Object.entries(SNIPPETS)) {
    it(name, () => {
      const shown = (run: Parameters<typeof observe>[0]) => {
        const { stdout, lastStderrLine, status } = observe(run);
        return { stdout, lastStderrLine, status };
      };
      const expected = shown(runCPython(source, `${name}.py`));
      expect(shown(runPython(source, { file: `${name}.py` }))).toEqual(expected);
      // The same with every int and float operation through the semantics record (fast paths off).
      expect(shown(runPython(source, { file: `${name}.py`, semantics: { ...PY_SEMANTICS } }))).toEqual(expected);
    });
  }
});
