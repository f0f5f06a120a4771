/**
 * The guest-program corpus (examples/programs/, properties/corpus.ts): every program runs through
 * the boxless interpreter (`runPython`) and must print what CPython 3.11 printed, byte for byte,
 * end with its last stderr line and exit with its status; the committed expectations are checked
 * against python3 itself, so they cannot drift; programs outside the subset end with a located
 * "… is not supported" error and status 2.
 *
 * A program the interpreter cannot run yet is kept out of the byte-for-byte check only by name,
 * in PENDING below, with the reason; the list is printed on every run, and a pending program that
 * starts to pass fails the test until it leaves the list (so the list cannot rot).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { observe, pythonExecutable, runCPythonFile } from '../../properties/cpython.ts';
import { CORPUS_DIR, hasExpectation, programNames, programSource, readExpectation, UNSUPPORTED_DIR } from '../../properties/corpus.ts';
import { runPython } from '../../src/vm/run.ts';
import { differenceBetween, observeGuest } from '../../properties/guest.ts';

/** Programs the interpreter does not run as CPython does yet: name → why (the first difference seen). */
const PENDING: Readonly<Record<string, string>> = {
  list_comprehension: "located at the `for` (3:13); the comprehension (CPython's ListComp node) starts at the `[` (3:6)",
  slicing: "located at the `:` (3:10); the slice (CPython's Slice node) starts at 3:9",
};

/** The paper's function `f`, as printed in the seed paper (section 2.3). */
const PAPER_F = `def f(y):
    res = BoxedInteger(0)
    while y.is_positive():
        res = res.add(y).add(BoxedInteger(-100))
        y = y.add(BoxedInteger(-1))
    return res
`;

const programs = programNames();
const unsupported = programNames(UNSUPPORTED_DIR);
const hasPython = pythonExecutable() !== null;

/** Each feature the subset lists, and patterns that show corpus programs use it (each somewhere). */
const FEATURES: readonly [string, RegExp | readonly RegExp[]][] = [
  ['int past 64 bits', /\b2 \*\* (6[4-9]|[7-9][0-9]|1[0-9]{2})\b|\d{20,}/],
  ['float literal in exponent form', /\d(\.\d+)?e[+-]?\d+/],
  ['bool literals', /\bTrue\b[\s\S]*\bFalse\b/],
  ['None', /\bNone\b/],
  ['str literal', /"[^"]*"/],
  ['list display', /= \[\d/],
  ['tuple display', /= \(\d+, /],
  ['instances of user classes', /^class \w+(\(\w+\))?:/m],
  ['functions as values', /^\s*\w+ = \w+\n/m],
  ['bound methods as values', /= \w+\.\w+\n/],
  ['+ - * / // % **', [/ \+ /, / - /, / \* /, / \/ /, / \/\/ /, / % /, / \*\* /]],
  ['unary - + not', [/\(-\w/, /\+5\b/, /\bnot /]],
  ['chained comparison', /\w+ < \w+ < \w+/],
  ['is / is not', /\bis not\b[\s\S]*\bis\b/],
  ['in / not in', /\bnot in\b/],
  ['and / or', /\band\b[\s\S]*\bor\b/],
  ['call with a default left out', /def \w+\([^)]*=[^)]*\)/],
  ['attribute access', /self\.\w+/],
  ['negative index', /\[-\d+\]/],
  ['len', /\blen\(/],
  ['string repetition', /"[^"]*" \* \d|\d \* "/],
  ['tuple assignment', /^\s*\w+, \w+ = \w+, \w+/m],
  ['assignment to an item', /^\s*\w+(\.\w+)?\[[^\]]+\] = /m],
  ['assignment to an attribute', /^\s*\w+\.\w+ = /m],
  ['augmented assignment', [/\+= /, /-= /, /\*= /, /\/\/= /, /%= /]],
  ['if / elif / else', /^\s*elif [\s\S]*^\s*else:/m],
  ['while', /^\s*while /m],
  ['for over range', /for \w+ in range\(/],
  ['for over a list', /for \w+ in \[/],
  ['for over a tuple', /for \w+ in \(/],
  ['for over a string', /for \w+ in "/],
  ['break', /^\s*break$/m],
  ['continue', /^\s*continue$/m],
  ['return', /^\s*return /m],
  ['pass', /^\s*pass$/m],
  ['single inheritance', /^class \w+\([A-Z]\w+\):/m],
  ['__init__', /def __init__\(self/],
  ['Base.method(self, …)', /[A-Z]\w+\.\w+\(self\b/],
  ['global', /^\s*global \w+/m],
  ['raise', /^\s*raise \w+/m],
  ['try / except Name as e', /except \w+ as \w+:/],
  ['bare except', /^\s*except:$/m],
  ['import math', /^import math$/m],
  ['import time', /^import time$/m],
  ['import sys', /^import sys$/m],
  ['math.sqrt sin cos floor pi', [/math\.sqrt\(/, /math\.sin\(/, /math\.cos\(/, /math\.floor\(/, /math\.pi\b/]],
  ['time.perf_counter', /time\.perf_counter\(\)/],
  ['sys.argv', /sys\.argv/],
  ['print', /print\(/],
  ['abs min max int float str isinstance range', [/\babs\(/, /\bmin\(/, /\bmax\(/, /\bint\(/, /\bfloat\(/, /\bstr\(/, /\bisinstance\(/, /\brange\(/]],
  ['list.append, list.pop', [/\.append\(/, /\.pop\(/]],
  ['the builtin exceptions', ['Exception', 'ZeroDivisionError', 'IndexError', 'TypeError', 'AttributeError', 'NameError', 'NotImplementedError'].map((name) => new RegExp(`except ${name}\\b`))],
  ['user subclass of a builtin exception', /^class \w+\((Exception|ZeroDivisionError|IndexError|TypeError|AttributeError|NameError|NotImplementedError)\):/m],
];

describe('the guest-program corpus', () => {
  it("has the paper's Figure 1 and f verbatim, on the BoxedInteger and the BoxedFloat path", () => {
    const figure1 = (source: string) => source.slice(source.indexOf('class Base(object):'), source.indexOf(PAPER_F));
    const intProgram = programSource('figure1_int');
    const floatProgram = programSource('figure1_float');
    for (const source of [intProgram, floatProgram]) {
      expect(source).toContain(PAPER_F);
      expect(figure1(source)).toMatch(/^class Base\(object\):\n {4}def add\(self, other\):\n {8}""" add self to other """/);
      expect(figure1(source)).toContain('class BoxedFloat(Base):');
    }
    expect(figure1(floatProgram)).toBe(figure1(intProgram));
    expect(intProgram).toContain('f(BoxedInteger(n))');
    expect(floatProgram).toContain('f(BoxedFloat(n + 0.5))');
  });

  it('has at least 25 programs besides Figure 1, each with its expectation, and nothing orphaned', () => {
    expect(programs.filter((name) => !name.startsWith('figure1_')).length).toBeGreaterThanOrEqual(25);
    expect(programs.filter((name) => !hasExpectation(name))).toEqual([]);
    expect(unsupported.filter((name) => !hasExpectation(name, UNSUPPORTED_DIR))).toEqual([]);
    expect(programs.filter((name) => readExpectation(name).status === 1).length, 'uncaught exceptions ending with status 1').toBeGreaterThanOrEqual(4);
    expect(Object.keys(PENDING).filter((name) => !programs.includes(name) && !unsupported.includes(name))).toEqual([]);
  });

  it('uses every feature of the subset somewhere', () => {
    const all = programs.map((name) => programSource(name));
    const missing = FEATURES.flatMap(([feature, patterns]) =>
      (Array.isArray(patterns) ? patterns : [patterns]).filter((pattern: RegExp) => !all.some((source) => pattern.test(source))).map((pattern: RegExp) => `${feature}: ${pattern}`),
    );
    expect(missing).toEqual([]);
  });

  it('prints nothing time-dependent: the timing lines appear only with a second argument', () => {
    for (const name of programs) {
      const source = programSource(name);
      for (const match of source.matchAll(/print\([^\n]*\belapsed\b/g)) {
        const before = source.slice(0, match.index);
        expect(before.endsWith('if len(sys.argv) > 2:\n    '), `${name}.py prints its timing unconditionally`).toBe(true);
      }
    }
  });

  it.skipIf(!hasPython)('expectations are still what python3 prints (they cannot drift)', () => {
    const drifted: string[] = [];
    for (const name of programs) {
      const difference = differenceBetween(readExpectation(name), observe(runCPythonFile(`${name}.py`, { cwd: CORPUS_DIR })), { expected: 'committed', actual: 'python3' });
      if (difference !== null) drifted.push(`${name}.py: ${difference}`);
    }
    expect(drifted, 'run `npm run corpus:bless` if the program changed on purpose').toEqual([]);
  });
});

describe('the corpus on the boxless interpreter', () => {
  beforeAll(() => {
    const pending = Object.entries(PENDING);
    console.log(
      pending.length === 0
        ? 'corpus: every program is checked byte for byte'
        : `corpus: ${pending.length} program(s) PENDING, not held to CPython's output yet:\n${pending.map(([name, why]) => `  ${name}.py: ${why}`).join('\n')}`,
    );
  });

  for (const name of programs) {
    if (name in PENDING) {
      it(`${name}.py is pending (${PENDING[name]}) and still differs`, () => {
        const difference = differenceBetween(readExpectation(name), observeGuest(programSource(name), `${name}.py`));
        expect(difference, `${name}.py now matches CPython: take it off the PENDING list`).not.toBeNull();
      });
    } else {
      it(`${name}.py prints what CPython prints`, () => {
        const run = runPython(programSource(name), { file: `${name}.py` });
        expect(differenceBetween(readExpectation(name), observe(run), undefined, run.stderr), `${name}.py`).toBeNull();
      });
    }
  }

  for (const name of unsupported) {
    it(`unsupported/${name}.py is a located error, status 2${name in PENDING ? ` (pending: ${PENDING[name]})` : ''}`, () => {
      const mismatch = locatedErrorMismatch(name);
      if (name in PENDING) expect(mismatch, `unsupported/${name}.py now gives the expected error: take it off the PENDING list`).not.toBeNull();
      else expect(mismatch).toBeNull();
    });
  }
});

/**
 * Why the interpreter's answer to an unsupported program differs from our expectation, or null:
 * status 2, nothing on stdout, and a first stderr line (the source line and a caret follow it)
 * with the expected `file:line:col: `, ending in "is (or are) not supported", and naming the
 * construct (every word of it of three letters or more, as the expectation spells it).
 */
function locatedErrorMismatch(name: string): string | null {
  const expected = readExpectation(name, UNSUPPORTED_DIR).lastStderrLine;
  const run = runPython(programSource(name, UNSUPPORTED_DIR), { file: `${name}.py` });
  const first = run.stderr.split('\n')[0] ?? '';
  const location = expected.slice(0, expected.indexOf(': ') + 2);
  const construct = expected.slice(location.length, expected.indexOf(' is not supported'));
  const words = construct.split(/\s+/).filter((word) => word.length > 2 || word === 'os');
  if (run.status !== 2 || run.stdout !== '') return `status ${run.status}, stdout ${JSON.stringify(run.stdout)}`;
  if (!first.startsWith(location)) return `expected '${expected}', got '${first}'`;
  if (!/ (is|are) not supported$/.test(first)) return `expected '... is not supported', got '${first}'`;
  const missing = words.filter((word) => !first.toLowerCase().includes(word.toLowerCase()));
  return missing.length ? `the message '${first}' does not name ${missing.join(', ')}` : null;
}
