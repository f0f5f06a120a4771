/**
 * The text format on random input:
 *  - printing then parsing gives back the same trace (ops, classes, inputs and input sets,
 *    ignoring source locations), and printing that gives the same text;
 *  - the parser never throws anything but a TraceError with a location inside the source,
 *    whatever it is given: arbitrary strings, soups of trace tokens, and valid traces with a few
 *    characters or tokens deleted, duplicated or replaced. Every such error formats.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceError } from '../src/ir/index.ts';
import { formatTraceError, parseTrace, printTrace } from '../src/text/index.ts';
import { arbTraceCase } from './arbitraries/trace.ts';
import { assertTraces } from './differential.ts';
import { fcParams } from './fc-config.ts';

/** A deep copy without `loc` fields: where a thing was written is not part of what it is. */
function withoutLocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'loc')
      .map(([key, v]) => [key, withoutLocs(v)]),
  );
}

/** Parses `source`; a failure must be a located TraceError that formats. Returns whether it parsed. */
function parsesOrFailsLocated(source: string): boolean {
  try {
    parseTrace(source, 'random.trace');
    return true;
  } catch (err) {
    if (!(err instanceof TraceError)) throw new Error(`the parser threw a non-TraceError: ${String(err)}`);
    const loc = err.loc;
    if (!loc) throw new Error(`TraceError without a location: ${err.message}`);
    const lines = source.split('\n').length;
    expect(loc.line, err.message).toBeGreaterThanOrEqual(1);
    expect(loc.line, err.message).toBeLessThanOrEqual(lines);
    expect(loc.col, err.message).toBeGreaterThanOrEqual(1);
    expect(formatTraceError(err, 'random.trace', source)).toContain(`random.trace:${loc.line}:${loc.col}`);
    return false;
  }
}

const TOKENS = [
  ...['class', 'input', 'with', 'id', 'int', 'float', 'ref', 'null', 'nan', 'inf', '-inf'],
  ...['new', 'getfield', 'setfield', 'new_array', 'getarrayitem', 'guard_class', 'guard_true', 'int_add_ovf'],
  ...['guard_no_overflow', 'escape', 'label', 'jump', 'finish', 'BoxedInteger', 'intval', 'Node.next'],
  ...['p0', 'i1', 'f2', 'p3', '@o0', '@o1', '$0', '$1', '0', '-1', '7', '9223372036854775808', '1.5', '-0.0', '1e400'],
  ...['[', ']', '(', ')', '{', '}', ',', '=', ':', '.', '#', ' ', ' ', '\n', '\n', '\t', '\r\n'],
];

/** One edit of a text: at a character or at a token (a run of word characters, of spaces, or one other character). */
interface Mutation {
  readonly unit: 'char' | 'token';
  readonly edit: 'delete' | 'duplicate' | 'replace';
  readonly at: number;
  readonly replacement: string;
}

const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  unit: fc.constantFrom('char' as const, 'token' as const),
  edit: fc.constantFrom('delete' as const, 'duplicate' as const, 'replace' as const),
  at: fc.nat(),
  replacement: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 2 })),
});

function mutate(source: string, mutation: Mutation): string {
  const pieces = mutation.unit === 'char' ? [...source] : (source.match(/[\w.@$-]+|\s+|[^\w\s]/g) ?? []);
  if (pieces.length === 0) return mutation.replacement;
  const at = mutation.at % pieces.length;
  const piece = pieces[at]!;
  const edited = { delete: '', duplicate: piece + piece, replace: mutation.replacement }[mutation.edit];
  return [...pieces.slice(0, at), edited, ...pieces.slice(at + 1)].join('');
}

describe('printTrace and parseTrace', () => {
  it('round-trip every generated trace', () => {
    // A failure is reduced and printed as a bare trace file (assertTraces).
    assertTraces(
      (trace) => {
        const text = printTrace(trace);
        const back = parseTrace(text, 'printed.trace');
        expect(withoutLocs(back)).toEqual(withoutLocs(trace));
        return printTrace(back) === text ? null : `printed, parsed and printed again, the text changes:\n${printTrace(back)}`;
      },
      { runs: 200 },
    );
  });
});

describe('parseTrace on bad input', () => {
  it('fails only with a located TraceError on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (source) => {
        parsesOrFailsLocated(source);
      }),
      fcParams(500),
    );
  });

  it('fails only with a located TraceError on soups of trace tokens', () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(''));
    fc.assert(
      fc.property(soup, (source) => {
        parsesOrFailsLocated(source);
      }),
      fcParams(500),
    );
  });

  it('fails only with a located TraceError on mutated valid traces', () => {
    fc.assert(
      fc.property(arbTraceCase({ maxOps: 10 }), fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (trace, mutations) => {
        const source = mutations.reduce(mutate, printTrace(trace));
        parsesOrFailsLocated(source);
      }),
      fcParams(300),
    );
  });
});
