/**
 * The guest parser is total and agrees with CPython on what is a program:
 *  - on any text (random bytes, or valid programs mutated by deleting, inserting, duplicating
 *    and re-indenting pieces) it returns a Module or throws a SourceError located inside the
 *    text, never anything else (no stack overflow, no TypeError);
 *  - what it accepts, CPython compiles; what CPython compiles and it rejects, it rejects as
 *    "… not supported" (a construct outside the subset), never as a syntax error.
 * Each run checks a batch of texts with one python3 process.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../src/vm/errors.ts';
import type { Module } from '../src/vm/ast.ts';
import { parseModule } from '../src/vm/parser.ts';
import { FORGETS_PLACEMENT, REJECTS_POWER } from '../test/broken-parsers/guest-parsers.ts';
import { fcParams, fcParamsForBrokenVariant } from './fc-config.ts';
import { runPython } from './python3.ts';

const SEEDS = [
  'class Base(object):\n    def add(self, other):\n        """ add self to other """\n        raise NotImplementedError("abstract base")\n',
  'class BoxedInteger(Base):\n    def __init__(self, intval):\n        self.intval = intval\n    def add(self, other):\n        return other.add__int(self.intval)\n',
  'def f(y):\n    res = BoxedInteger(0)\n    while y.is_positive():\n        res = res.add(y).add(BoxedInteger(-100))\n        y = y.add(BoxedInteger(-1))\n    return res\n',
  'x = [1, 2.5, "a"]\nfor i in range(len(x)):\n    if i % 2 == 0 and not x[i] is None:\n        print(x[-1], i ** 2, -i // 3)\n    elif i > 1:\n        break\n    else:\n        continue\n',
  'import math\ntry:\n    y = math.sqrt(-1)\nexcept ValueError as e:\n    print(e)\nexcept:\n    raise\n',
  'def g(a, b=1):\n    global t\n    t = a, b\n    a, b = b, a\n    a += b; b -= 1\n    return a if a < b <= 3 else (b, a)\n',
  "s = 'it\\'s' + \"q\" * 3\nn = 0x_ff + 0o7 + 0b1 + 1_000 + 1e-3 + .5\nprint(s[0], n != 1.0)\n",
];

const FRAGMENTS = [
  '(', ')', '[', ']', ':', ',', '.', '=', '==', '+', '-', '*', '**', '//', '%', '/', 'not', 'and', 'or', 'is',
  'in', 'if', 'else', 'elif', 'while', 'for', 'def', 'class', 'return', 'break', 'continue', 'pass', 'global',
  'try', 'except', 'raise', 'import', 'as', 'lambda', 'yield', 'with', '{', '}', '@', '&', 'x', '1', '1.5', "'s'",
  '"""', "'", '\\', '\n', '    ', '\t', '#', ';', '0x', '1_', '**=', '+=', 'None', 'True', ' ', '\r\n',
];

type Mutation = { at: number; kind: 'delete' | 'insert' | 'duplicate' | 'indent'; length: number; fragment: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'indent'),
  length: fc.integer({ min: 1, max: 12 }),
  fragment: fc.constantFrom(...FRAGMENTS),
});

function mutate(source: string, mutations: readonly Mutation[]): string {
  let s = source;
  for (const m of mutations) {
    const at = s.length === 0 ? 0 : m.at % (s.length + 1);
    if (m.kind === 'delete') s = s.slice(0, at) + s.slice(at + m.length);
    else if (m.kind === 'insert') s = s.slice(0, at) + m.fragment + s.slice(at);
    else if (m.kind === 'duplicate') s = s.slice(0, at) + s.slice(at, at + m.length) + s.slice(at);
    else {
      const lineStart = s.lastIndexOf('\n', at - 1) + 1;
      s = s.slice(0, lineStart) + ' '.repeat(m.length % 5) + s.slice(lineStart);
    }
  }
  return s;
}

const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutationArb, { minLength: 1, maxLength: 4 })).map(([s, ms]) => mutate(s, ms)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(' ')),
);

type Verdict = { accepted: true } | { accepted: false; error: SourceError };
type Parse = (source: string) => Module;

function parseVerdict(source: string, parse: Parse = parseModule): Verdict {
  try {
    const module = parse(source);
    if (module.kind !== 'Module') throw new Error('parseModule returned something other than a Module');
    return { accepted: true };
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    const lines = source.split(/\r\n?|\n/).length;
    if (e.loc.line < 1 || e.loc.line > lines + 1 || e.loc.col < 1) {
      throw new Error(`error located outside the text (${e.loc.line}:${e.loc.col}): ${e.message}`);
    }
    return { accepted: false, error: e };
  }
}

const COMPILES = String.raw`
import json, sys, warnings
warnings.simplefilter('ignore')
out = []
for src in json.load(sys.stdin):
    try:
        compile(src, 'prog.py', 'exec')
        out.append(True)
    except (SyntaxError, ValueError):
        out.append(False)
print(json.dumps(out))
`;

/** Errors a program CPython compiles may still get here: outside the subset, or past a bound. */
const ALLOWED_REJECTION = /(?:is|are) not supported$|too deeply nested|too many nested/;

/** The property, for the real parser or a deliberately broken one. */
function agreesWithCPython(parse: Parse) {
  return fc.property(fc.array(textArb, { minLength: 1, maxLength: 150, size: 'max' }), (texts) => checkBatch(parse, texts));
}

function fails(parse: Parse, text: string): boolean {
  try {
    checkBatch(parse, [text]);
    return false;
  } catch {
    return true;
  }
}

/** The first text of a batch where the parser and CPython disagree: a counterexample alone. */
class Disagreement extends Error {
  constructor(
    readonly text: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a Disagreement at the first text where `parse` and CPython disagree. */
function checkBatch(parse: Parse, texts: readonly string[]): void {
  const verdicts = texts.map((t) => parseVerdict(t, parse));
  const compiles = runPython<boolean[]>(COMPILES, texts);
  texts.forEach((text, k) => {
    const v = verdicts[k]!;
    if (v.accepted && !compiles[k]) throw new Disagreement(text, `accepted, but CPython does not compile it: ${JSON.stringify(text)}`);
    if (!v.accepted && compiles[k] && !ALLOWED_REJECTION.test(v.error.message)) {
      throw new Disagreement(text, `CPython compiles it, but: ${v.error.loc.line}:${v.error.loc.col}: ${v.error.message}\n${JSON.stringify(text)}`);
    }
  });
}

describe('the guest parser', () => {
  it('returns a Module or a located SourceError, and agrees with CPython on what compiles', () => {
    fc.assert(agreesWithCPython(parseModule), fcParams(15, { endOnFailure: true }));
  });

  const broken: [string, Parse][] = [
    ["forgets that 'break', 'continue' and 'return' must be inside a loop or function", FORGETS_PLACEMENT],
    ["rejects '**' as a syntax error", REJECTS_POWER],
  ];
  for (const [name, parse] of broken) {
    it(`catches a parser that ${name}`, () => {
      // No shrinking (each step would start python3 on a batch): the failure names the one
      // text that disagrees, a counterexample on its own.
      // Up to 200 batches, stopping at the first disagreement: 15 once all missed a misplaced
      // 'break' (a chance miss, not a blind property). Measured on seeds 1 to 100, the misplaced
      // 'break' is caught after 7.7 batches on average (at most 31), '**' after 3.2 (at most 16);
      // the catch is close to geometric, so 60 batches still missed the first about once in 2,500
      // runs. At 200 a miss has odds of about e^-26, and costs nothing when the catch comes early.
      const result = fc.check(agreesWithCPython(parse), fcParamsForBrokenVariant(200, { endOnFailure: true }));
      expect(result.failed, `a parser that ${name} went unnoticed`).toBe(true);
      const text = (result.errorInstance as Disagreement).text;
      console.log(`counterexample: ${JSON.stringify(text)}`);
      expect(fails(parse, text)).toBe(true);
      expect(fails(parseModule, text)).toBe(false);
    });
  }

  it('accepts every unmutated seed', () => {
    for (const s of SEEDS) expect(parseVerdict(s)).toEqual({ accepted: true });
  });
});
