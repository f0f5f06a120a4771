/**
 * The interpreter's error messages are CPython 3.11's: each program below ends with an uncaught
 * exception, and the last line of its stderr must be CPython's, byte for byte (python3 runs
 * once for the table, on each program written to a temporary file). Importing a module the
 * subset does not have is a located "not supported" error here, not ModuleNotFoundError, so it
 * is not in the table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPython as runGuest } from '../../src/vm/run.ts';
import { runPython } from '../../properties/python3.ts';

const PROGRAMS: readonly string[] = [
  "1 + 'a'",
  "'a' + 1",
  '[1] + 1',
  '(1,) + [1]',
  "1 ** 'a'",
  "-'a'",
  '+[1]',
  'not_defined',
  "1 < 'a'",
  '[1] < 1',
  '1 < None',
  '[1][5]',
  '(1,)[5]',
  "'a'[5]",
  'x = [1]\nx[5] = 1',
  "[1]['a']",
  "(1,)['a']",
  "'a'['a']",
  'x = 1\nx[0]',
  'x = (1,)\nx[0] = 1',
  "x = 'a'\nx[0] = 1",
  'class A:\n    pass\nA().y',
  'class A:\n    pass\nA.y',
  'import math\nmath.nope',
  'def f():\n    y = y + 1\nf()',
  'x = 1\nx()',
  'def f(a, b):\n    pass\nf(1, 2, 3)',
  'def f(a, b):\n    pass\nf(1)',
  'def f(a, b, c):\n    pass\nf()',
  'def f(a, b=1):\n    pass\nf(1, 2, 3)',
  'def f():\n    pass\nf(1)',
  'def f(a):\n    pass\nf(1, 2)',
  'class A:\n    def m(self):\n        pass\nA().m(1)',
  'class A:\n    pass\nA(1)',
  'class A:\n    def __init__(self, x):\n        pass\nA()',
  'len(1)',
  'len(1, 2)',
  'int([1])',
  'float([1])',
  "abs('a')",
  'max([])',
  'min([])',
  'max(1)',
  'range(1.5)',
  'range(1, 2, 0)',
  'isinstance(1, 2)',
  '[].pop()',
  '[1].pop(5)',
  '[].append()',
  "1 in 'a'",
  '1 in 2',
  "'a' * 1.5",
  "[1] * 'a'",
  'raise 1',
  'raise',
  '[1].x',
  'x = 1\nx.y = 2',
  'None.x',
  'None + 1',
  "True + 'a'",
  "1.5 + 'a'",
  "'a' - 'a'",
  "'a' / 1",
  '[] // 1',
  '[] % 1',
  '1 // 0',
  '1 % 0',
  '1 / 0',
  '1.0 // 0',
  '1.0 % 0',
  '1.0 / 0',
  '0 ** -1',
  '0.0 ** -1',
  '2.0 ** 10000',
  'float(10 ** 400)',
  '10 ** 400 / 3',
  "int('x')",
  "float('x')",
  "int(float('inf'))",
  "int(float('nan'))",
  'import math\nmath.sqrt(-1)',
  "import math\nmath.floor(float('inf'))",
  'a, b = 1, 2, 3',
  'a, b = [1]',
  'a, b = 1',
  'def f():\n    f()\nf()',
  'raise ValueError',
  "raise ValueError('bad')",
  "raise Exception('a', 1)",
  'class E(Exception):\n    pass\nraise E()',
  "class E(Exception):\n    pass\nraise E('x')",
  'raise NotImplementedError("abstract base")',
  "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    raise TypeError(str(e))",
  "print(10 ** 5000)",
];

describe('uncaught exceptions end with CPython 3.11\'s last line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boxless-messages-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = PROGRAMS.map((source, k) => {
    const file = join(dir, `p${k}.py`);
    writeFileSync(file, `${source}\n`);
    return file;
  });
  const expected = runPython<[string, number][]>(
    String.raw`
import json, subprocess, sys
out = []
for f in json.load(sys.stdin):
    r = subprocess.run([sys.executable, f], capture_output=True, text=True)
    lines = r.stderr.strip().split('\n')
    out.append([lines[-1], r.returncode])
print(json.dumps(out))
`,
    files,
  );
  PROGRAMS.forEach((source, k) => {
    it(JSON.stringify(source), () => {
      const result = runGuest(`${source}\n`, { file: files[k]! });
      const last = result.stderr.trimEnd().split('\n').pop();
      expect([last, result.status]).toEqual(expected[k]);
    });
  });
});
