/**
 * The pass headers' examples are checked (STYLE.md practices 3 and 12), so they cannot drift.
 *
 * Every pass (a key of PASSES in src/optimizer/pipeline.ts, in the file named like it) opens
 * with a two-column example in its header comment:
 *
 *      * Before:                                  After:
 *      *   [p0, i1]                                 [p0, i1]
 *      *   i2 = int_add(i1, 1)                      i3 = int_mul(i1, 2)
 *      *   …
 *      *                                  <- a blank comment line ends the example
 *
 * With the ` * ` of the comment stripped, the After column starts at the column where `After:`
 * starts on the heading line; each line left of it belongs to Before (it must end in a space
 * there, so a Before line that runs into the After column is reported, not split). The Before
 * trace, run through the pass named like the file, must give the After trace up to a renaming of
 * variables, and the After trace must behave like the Before trace on the reference interpreter
 * (the same check as the golden tests). A pass without such an example fails, and so does an
 * example in a file that is not a pass (the helpers, such as pipeline.ts or rewrite.ts, have
 * none: the passes are exactly the keys of PASSES).
 *
 * The snippets do not declare their classes: both columns are parsed after CLASSES below, the
 * classes of the paper's examples. A snippet that needs another class adds it to that list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alphaEquivalent, editTrace, TraceError, type Trace } from '../../src/ir/index.ts';
import { PASSES } from '../../src/optimizer/pipeline.ts';
import { formatTraceError, parseTrace, printTrace } from '../../src/text/index.ts';
import { sampleInputSets } from '../../properties/arbitraries/input-heaps.ts';
import { checkAgainstReference } from '../shared/check-against-reference.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OPTIMIZER = join(root, 'src', 'optimizer');

/** The classes every snippet may use without declaring them. */
const CLASSES = ['class BoxedInteger(intval: int)', 'class BoxedFloat(floatval: float)'];

/** Generated input heaps the reference check runs besides the 25 of checkAgainstReference. */
const EXTRA_INPUT_SETS = 200;

/** One column of an example: its text, and where each of its lines is in the source file. */
interface Column {
  readonly text: string;
  /** For line k (0-based) of `text`: its 1-based line and the 0-based column it starts at. */
  readonly origins: readonly { readonly line: number; readonly col: number }[];
}

interface Example {
  /** 1-based line of the `Before:` heading in the source file. */
  readonly line: number;
  readonly before: Column;
  readonly after: Column;
}

const HEADING = /^Before:\s+After:\s*$/;
const COMMENT_PREFIX = /^\s*\*(?: |$)/;

/**
 * The Before/After examples of a file's header comment (the `/** … *\/` it starts with). Throws
 * when an example's Before column runs into its After column.
 */
function headerExamples(source: string, file: string): Example[] {
  const header = /^\s*\/\*\*[\s\S]*?\*\//.exec(source);
  if (!header) return [];
  const lines = header[0].split('\n');
  const examples: Example[] = [];
  for (let k = 0; k < lines.length; k++) {
    const prefix = COMMENT_PREFIX.exec(lines[k]!)?.[0].length ?? 0;
    const heading = lines[k]!.slice(prefix);
    if (!HEADING.test(heading)) continue;
    const headingLine = k + 1;
    const split = heading.indexOf('After:');
    const before: string[] = [];
    const after: string[] = [];
    const beforeOrigins: { line: number; col: number }[] = [];
    const afterOrigins: { line: number; col: number }[] = [];
    for (k = k + 1; k < lines.length; k++) {
      const raw = lines[k]!;
      const match = COMMENT_PREFIX.exec(raw);
      if (!match) break; // the comment's closing line
      const text = raw.slice(match[0].length);
      if (text.trim() === '') break;
      if (text.length > split && text[split - 1] !== ' ') {
        throw new Error(`${file}:${k + 1}: the Before column runs into the After column (which starts at column ${match[0].length + split + 1}):\n${raw}`);
      }
      before.push(text.slice(0, split).trimEnd());
      after.push(text.slice(split).trimEnd());
      beforeOrigins.push({ line: k + 1, col: match[0].length });
      afterOrigins.push({ line: k + 1, col: match[0].length + split });
    }
    examples.push({
      line: headingLine,
      before: { text: before.join('\n'), origins: beforeOrigins },
      after: { text: after.join('\n'), origins: afterOrigins },
    });
  }
  return examples;
}

/**
 * Parses a column after CLASSES. Each line of the column is placed at its own line and column of
 * the source file (blank lines and spaces before it), so that a parse error and the renaming
 * check's "(line N)" point into the file.
 */
function parseColumn(column: Column, file: string, which: string): Trace {
  const lines = [...CLASSES];
  column.text.split('\n').forEach((text, k) => {
    const origin = column.origins[k]!;
    while (lines.length < origin.line - 1) lines.push('');
    lines.push(' '.repeat(origin.col) + text);
  });
  const source = lines.join('\n');
  try {
    return parseTrace(source, `${file} (${which})`);
  } catch (err) {
    if (!(err instanceof TraceError)) throw err;
    throw new Error(`the ${which} column of the header example does not parse:\n${formatTraceError(err, file, source)}`);
  }
}

/** A trace's text without the class declarations (what a header example shows). */
function printSnippet(trace: Trace): string {
  return printTrace({ ...trace, inputSets: [] })
    .split('\n')
    .filter((line) => !line.startsWith('class '))
    .join('\n')
    .trim();
}

const indent = (text: string) => text.replace(/^/gm, '  ');

/**
 * Checks one example against the pass `name` (`run`, given only by the self-tests below); throws
 * with the file, the expected and the actual text.
 */
function checkExample(example: Example, name: string, file: string, run: (trace: Trace) => Trace = PASSES[name]!): void {
  const where = `${file}:${example.line}`;
  const before = parseColumn(example.before, file, 'Before');
  const after = parseColumn(example.after, file, 'After');
  const actual = run(before);
  const same = alphaEquivalent(after, actual);
  if (!same.ok) {
    throw new Error(
      `${where}: the header example's After column is not what ${name} does to its Before column (${same.message})\n` +
        `--- expected (the header's After)\n${indent(printSnippet(after))}\n--- actual (${name} of the header's Before)\n${indent(printSnippet(actual))}`,
    );
  }
  // The snippets' inputs are tight (heapcache's p0 must be a BoxedInteger and p1 a BoxedFloat,
  // fold's i1 must be 7): most generated heaps stop at the first guard or are undefined, so
  // more of them than a golden file gets.
  const inputs = { ...before, inputSets: sampleInputSets(before, EXTRA_INPUT_SETS, 12) };
  checkAgainstReference(inputs, after, `${where}: the header example's After`);
}

const optimizerFiles = readdirSync(OPTIMIZER)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .sort();
const passFiles = Object.keys(PASSES).map((pass) => `${pass}.ts`);
/** Each file's examples, or why they cannot be read (reported by the file's own test). */
const examplesOf = new Map(
  optimizerFiles.map((name): [string, Example[] | Error] => {
    try {
      return [name, headerExamples(readFileSync(join(OPTIMIZER, name), 'utf8'), relative(root, join(OPTIMIZER, name)))];
    } catch (err) {
      return [name, err as Error];
    }
  }),
);
const hasExample = (name: string) => {
  const examples = examplesOf.get(name);
  return examples !== undefined && (examples instanceof Error || examples.length > 0);
};

describe('pass header examples', () => {
  it('every pass has a Before/After example in its header', () => {
    const missing = passFiles.filter((name) => !hasExample(name));
    expect(missing, `passes whose header has no 'Before: … After:' example (src/optimizer/): ${missing.join(', ')}`).toEqual([]);
  });

  it('only passes have one (the pass named like the file is what the example runs)', () => {
    const strays = optimizerFiles.filter((name) => hasExample(name) && !passFiles.includes(name));
    expect(strays, `files with a header example but no pass of that name in PASSES: ${strays.join(', ')}`).toEqual([]);
  });

  for (const name of passFiles.filter(hasExample)) {
    it(`src/optimizer/${name}`, () => {
      const examples = examplesOf.get(name)!;
      if (examples instanceof Error) throw examples;
      for (const example of examples) checkExample(example, name.replace(/\.ts$/, ''), `src/optimizer/${name}`);
    });
  }
});

describe('the header example checker', () => {
  /** A header comment with the example `rows` ([before, after] text pairs, After at column 24). */
  const header = (rows: readonly (readonly [string, string])[]) =>
    [
      '/**',
      ' * demo: a header.',
      ' *',
      ` * ${'Before:'.padEnd(24)}After:`,
      ...rows.map(([before, after]) => ` * ${before.padEnd(24)}${after}`.trimEnd()),
      ' *',
      ' * Proof notes: none.',
      ' */',
      'export const x = 1;',
    ].join('\n');
  const source = header([
    ['  [p0, i1]', '  [p0, i1]'],
    ['  i2 = int_add(i1, 1)', '  finish(p0)'],
    ['  finish(p0)', ''],
  ]);

  it('splits the columns at the column of After:', () => {
    const [example, ...rest] = headerExamples(source, 'demo.ts');
    expect(rest).toEqual([]);
    expect(example!.line).toBe(4);
    expect(example!.before.text).toBe('  [p0, i1]\n  i2 = int_add(i1, 1)\n  finish(p0)');
    expect(example!.after.text).toBe('  [p0, i1]\n  finish(p0)\n');
    expect(() => checkExample(example!, 'dce', 'demo.ts')).not.toThrow();
  });

  it('reports an After column the pass does not produce, with both texts', () => {
    const drifted = header([
      ['  [p0, i1]', '  [p0, i1]'],
      ['  i2 = int_add(i1, 1)', '  escape(p0)'],
      ['  finish(p0)', '  finish(p0)'],
    ]);
    const [example] = headerExamples(drifted, 'demo.ts');
    expect(() => checkExample(example!, 'dce', 'demo.ts')).toThrow(/^demo\.ts:4: .*\(line 6\).*\n--- expected.*\n[\s\S]*escape\(p0\)[\s\S]*--- actual/);
  });

  it('reports an After column that behaves differently from its Before column, even when the pass agrees', () => {
    const wrong = header([
      ['  [i0, p1]', '  [i0, p1]'],
      ['  guard_true(i0) [p1]', '  finish(p1)'],
      ['  finish(p1)', ''],
    ]);
    const [example] = headerExamples(wrong, 'demo.ts');
    const dropGuards = (trace: Trace): Trace => editTrace(trace, (draft) => void (draft.ops = draft.ops.filter((op) => !op.name.startsWith('guard_'))));
    expect(() => checkExample(example!, 'drop-guards', 'demo.ts', dropGuards)).toThrow(/^demo\.ts:4: the header example's After: the expected trace differs from the input on input random\d+/);
  });

  it('reports a Before column that runs into the After column, and locates parse errors in the file', () => {
    expect(() => headerExamples(source.replace('i2 = int_add(i1, 1)   ', 'i2 = int_add(i1, 100000'), 'demo.ts')).toThrow(/demo\.ts:6: the Before column runs into the After column/);
    const [example] = headerExamples(source.replace('i2 = int_add(i1, 1)', 'i2 = int_add(i1,  )'), 'demo.ts');
    expect(() => checkExample(example!, 'dce', 'demo.ts')).toThrow(/the Before column of the header example does not parse:\ndemo\.ts:6:24: expected operand 2 of int_add/);
  });

  it('finds no example in a helper file', () => {
    expect(headerExamples('/**\n * rewrite: helpers.\n */\nexport {};\n', 'rewrite.ts')).toEqual([]);
  });
});
