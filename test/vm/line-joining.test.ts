/**
 * Implicit line joining: a line break inside brackets continues the logical line (CPython's
 * tokenizer). The line after the closing bracket must not be measured for indentation from
 * mid-line: `x = [1,\n 2]\nprint(x)` once failed with "expected end of line after a statement".
 */
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/vm/lexer.ts';
import { runPython } from '../../src/vm/run.ts';

const run = (source: string) => runPython(source, { file: 'joined.py' });

describe('implicit line joining inside brackets', () => {
  it('a list, a call, a parenthesized expression and a trailing comma continue the line', () => {
    const source = 'x = [1,\n     2]\nprint(x)\ny = (1 +\n  2)\nprint(y)\nz = [\n  1,\n  2,\n]\nprint(max(3,\n          4), len(z))\n';
    expect(run(source)).toEqual({ stdout: '[1, 2]\n3\n4 2\n', stderr: '', status: 0 });
  });

  it('inside a block, the lines after the closing bracket keep their block', () => {
    const source = 'def f(a,\n      b):\n    c = [a,\n  b]\n    return c\nprint(f(1, 2))\n';
    expect(run(source)).toEqual({ stdout: '[1, 2]\n', stderr: '', status: 0 });
  });

  it('the joined lines make one logical line: one NEWLINE token, no INDENT', () => {
    const kinds = tokenize('x = [1,\n        2]\n').map((t) => t.kind);
    expect(kinds.filter((k) => k === 'newline')).toHaveLength(1);
    expect(kinds).not.toContain('indent');
  });
});
