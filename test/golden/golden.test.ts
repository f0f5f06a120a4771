/**
 * Golden tests as text (STYLE.md practices 7 and 8). A file in test/golden/ holds an input trace
 * and, after it, one or more expectations:
 *
 *     <input trace, with its classes and input sets>
 *     === optimize --passes virtualize
 *     <the expected output trace (classes and prebuilt objects may be left out: the input's are used)>
 *     === error
 *     <the expected message of parsing the input: `line:col: message`>
 *
 * Optimized traces are compared up to a renaming of variables. `BLESS=1 npm test` rewrites every
 * expectation in place from what the code now does; a golden with no expectation fails.
 * Every optimize expectation is also checked against the reference interpreter — the expected
 * trace must behave like the input on the file's input sets and on generated ones, across fuel
 * values — so that blessing a wrong answer still fails — and proved equal to the input for all
 * inputs by the translation validator (src/validate/), which must say `proved`.
 *
 * One directory per pass holds that pass's expectations (`virtualize/`, `peel/`, `heapcache/`,
 * `fold/`, `dce/`: every optimize expectation there runs the pass, alone, in a list or in the
 * default pipeline), `pipeline/` whole figures through pipelines, `errors/` only `=== error`
 * expectations, `regressions/` the bugs once found, whatever they need. The runner enforces it,
 * so a pass's expectations stay in one place.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alphaEquivalent } from '../../src/ir/alpha.ts';
import { TraceError, type Trace } from '../../src/ir/index.ts';
import { optimize, PASSES } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/parser.ts';
import { printTrace } from '../../src/text/printer.ts';
import { checkAgainstReference } from '../shared/check-against-reference.ts';
import { formatValidation, validateTraces } from '../../src/cli/validate.ts';

const here = dirname(fileURLToPath(import.meta.url));
const BLESS = process.env.BLESS === '1';

interface Expectation {
  readonly command: string;
  readonly body: string;
}

interface GoldenFile {
  readonly input: string;
  readonly expectations: readonly Expectation[];
}

function goldenFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return goldenFiles(full);
    return name.endsWith('.trace') ? [full] : [];
  });
}

function splitGolden(text: string): GoldenFile {
  const parts = text.split(/^=== /m);
  const expectations = parts.slice(1).map((part) => {
    const newline = part.indexOf('\n');
    const command = (newline < 0 ? part : part.slice(0, newline)).trim();
    const body = newline < 0 ? '' : part.slice(newline + 1);
    return { command, body: body.trimEnd() };
  });
  return { input: parts[0]!, expectations };
}

function joinGolden(golden: GoldenFile): string {
  const blocks = golden.expectations.map((e) => `=== ${e.command}\n${e.body.trimEnd()}\n`);
  return `${golden.input.trimEnd()}\n\n${blocks.join('\n')}`;
}

/** What a command prints for the input: the text an expectation holds. */
function produce(command: string, source: string, file: string): string {
  const words = command.split(/\s+/);
  switch (words[0]) {
    case 'error':
      try {
        parseTrace(source, file);
      } catch (err) {
        if (err instanceof TraceError) return `${err.loc ? `${err.loc.line}:${err.loc.col}: ` : ''}${err.message}`;
        throw err;
      }
      return '(no error: the input parses and validates)';
    case 'optimize': {
      const passes = words[1] === '--passes' ? words[2]!.split(',') : undefined;
      const out = optimize(parseTrace(source, file), passes, { verify: true });
      return printBody({ ...out, inputSets: [] });
    }
    default:
      throw new Error(`unknown golden command '${command}' (known: optimize [--passes a,b], error)`);
  }
}

/** Declarations an expectation shares with its input: its classes and prebuilt objects. */
const isDeclaration = (line: string) => line.startsWith('class ') || line.startsWith('prebuilt ');

/** A trace printed without its declarations (the expectation shares the input's). */
function printBody(trace: Trace): string {
  const lines = printTrace(trace).split('\n');
  return lines.filter((line) => !isDeclaration(line)).join('\n').trim();
}

function parseExpected(body: string, input: Trace, file: string): Trace {
  const declarations = printTrace({ classes: input.classes, prebuilt: input.prebuilt, inputs: [], ops: [], inputSets: [] } as unknown as Trace);
  const lines = declarations.split('\n').filter(isDeclaration);
  return parseTrace(`${lines.join('\n')}\n${body}`, `${file} (expected)`);
}

const files = goldenFiles(here);

/** The directories a golden may sit in, besides one per pass. */
const OTHER_DIRECTORIES = ['pipeline', 'errors', 'regressions'];

/** Why a golden's expectation does not belong in its directory, or null when it does. */
function misplaced(directory: string, command: string): string | null {
  const words = command.split(/\s+/);
  if (directory === 'errors') return words[0] === 'error' ? null : `errors/ holds only '=== error' expectations`;
  if (!Object.prototype.hasOwnProperty.call(PASSES, directory)) return null;
  if (words[0] !== 'optimize') return `${directory}/ holds only optimize expectations`;
  if (words[1] === '--passes' && !words[2]!.split(',').includes(directory)) return `${directory}/ holds expectations that run ${directory}`;
  return null;
}

describe('the golden runner', () => {
  it('rejects a blessed expectation that behaves differently from its input', () => {
    const path = join(here, 'virtualize', 'figure2.trace');
    const golden = splitGolden(readFileSync(path, 'utf8'));
    const input = parseTrace(golden.input, 'figure2.trace');
    // What blessing an optimizer that forgets the stores into the jump's objects would record.
    const body = produce('optimize --passes virtualize', golden.input, 'figure2.trace').replace(/^setfield\(.*\n/gm, '');
    const wrong = parseExpected(body, input, 'figure2.trace');
    expect(() => checkAgainstReference(input, wrong, 'figure2.trace')).toThrow(/differs from the input on input/);
    expect(validateTraces({ ...input, inputSets: [] }, wrong).verdict).toBe('counterexample');
  });

  it('splits and joins golden files without changing them', () => {
    const text = 'class A(x: int)\n[i0]\nfinish(i0)\n\n=== optimize\n[i0]\nfinish(i0)\n\n=== error\n(no error)\n';
    expect(joinGolden(splitGolden(text))).toBe(text);
  });
});

describe('golden traces', () => {
  it('there are golden files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('every golden sits in the directory of its pass, pipeline/, errors/ or regressions/', () => {
    const wrong = files.flatMap((path) => {
      const directory = relative(here, path).split(/[\\/]/)[0]!;
      if (!Object.prototype.hasOwnProperty.call(PASSES, directory) && !OTHER_DIRECTORIES.includes(directory)) {
        return [`${relative(here, path)}: not in a pass's directory nor in ${OTHER_DIRECTORIES.join('/, ')}/`];
      }
      return splitGolden(readFileSync(path, 'utf8')).expectations.flatMap((e) => {
        const why = misplaced(directory, e.command);
        return why === null ? [] : [`${relative(here, path)}: '=== ${e.command}': ${why}`];
      });
    });
    expect(wrong).toEqual([]);
    for (const pass of Object.keys(PASSES)) {
      expect(files.some((path) => relative(here, path).split(/[\\/]/)[0] === pass), `test/golden/${pass}/ has a golden`).toBe(true);
    }
  });

  it('the placement check rejects an expectation in another pass\'s directory', () => {
    expect(misplaced('fold', 'optimize --passes heapcache')).toMatch(/fold\/ holds expectations that run fold/);
    expect(misplaced('errors', 'optimize')).toMatch(/only '=== error'/);
    expect(misplaced('fold', 'optimize --passes heapcache,fold')).toBeNull();
  });

  for (const path of files) {
    const name = relative(here, path);
    it(name, () => {
      const golden = splitGolden(readFileSync(path, 'utf8'));
      expect(golden.expectations.length, `${name} has no '=== <command>' expectation`).toBeGreaterThan(0);
      const actual = golden.expectations.map((e) => ({ command: e.command, body: produce(e.command, golden.input, name) }));
      if (BLESS) {
        writeFileSync(path, joinGolden({ input: golden.input, expectations: actual }));
        return;
      }
      golden.expectations.forEach((e, k) => {
        if (e.command === 'error') {
          expect(actual[k]!.body, `${name}: ${e.command}`).toBe(e.body);
          return;
        }
        const input = parseTrace(golden.input, name);
        const expected = parseExpected(e.body, input, name);
        const got = parseExpected(actual[k]!.body, input, name);
        const same = alphaEquivalent(expected, got);
        if (!same.ok) {
          throw new Error(`${name}: '${e.command}' differs from the expectation (BLESS=1 to accept):\n${same.message}\n--- expected\n${e.body}\n--- actual\n${actual[k]!.body}`);
        }
        checkAgainstReference(input, expected, `${name}: ${e.command}`);
        const validation = validateTraces(input, expected);
        if (validation.verdict !== 'proved') throw new Error(`${name}: '${e.command}' is not proved equal to its input:\n${formatValidation(validation, input)}`);
      });
    });
  }
});

