/**
 * A line-level reducer for guest programs: makes a failing program smaller while it still
 * fails, after fast-check's shrinking of its recipe (as reduce.ts does for traces, and for the
 * same reason: shrinking stops in a local minimum that depends on the seed; deleting one
 * statement of the program is one step, whatever recipe produced it).
 *
 * The program is seen as statements by indentation (the generator writes one statement per
 * line, a compound statement's block indented by four spaces below its header). Moves, tried in
 * rounds until a round changes nothing or the budget of tries runs out:
 *  - delete a statement, with its block (an emptied block gets `pass`);
 *  - unwrap a compound statement: its block replaces it, one level out (for `if`, the `elif` and
 *    `else` clauses go; for `try`, the handlers go).
 * The first statement of a `while` body is never deleted: the generator puts the loop counter's
 * increment there, and a while without it would not terminate.
 * A candidate counts only if `fails` holds for it; what "fails" means (and which candidates are
 * acceptable programs at all) is the caller's.
 */

/** Candidates tried at most: every try runs `fails`, which runs CPython and the interpreter. */
export const PROGRAM_REDUCE_BUDGET = 400;

interface Span {
  readonly start: number;
  /** One past the statement's last line (its block included). */
  readonly end: number;
  readonly indent: number;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isHeader = (line: string) => /:\s*$/.test(line) && !line.trimStart().startsWith('#');

function spanAt(lines: readonly string[], start: number): Span {
  const indent = indentOf(lines[start]!);
  let end = start + 1;
  while (end < lines.length && (lines[end]!.trim() === '' || indentOf(lines[end]!) > indent)) end++;
  return { start, end, indent };
}

/** Lines without [start, end), with `pass` where that leaves a header without a block. */
function without(lines: readonly string[], start: number, end: number): string[] {
  const out = [...lines.slice(0, start), ...lines.slice(end)];
  const header = start - 1;
  if (header >= 0 && isHeader(out[header]!) && (start >= out.length || indentOf(out[start]!) <= indentOf(out[header]!))) {
    out.splice(start, 0, `${' '.repeat(indentOf(out[header]!) + 4)}pass`);
  }
  return out;
}

/** The compound statement at `start` replaced by its block, dedented; its sibling clauses dropped. */
function unwrapped(lines: readonly string[], start: number): string[] | null {
  const header = lines[start]!.trim();
  if (!/^(if|for|while|try)\b/.test(header)) return null;
  const span = spanAt(lines, start);
  const body = lines.slice(start + 1, span.end).map((line) => line.slice(4));
  let end = span.end;
  const clause = /^(if)\b/.test(header) ? /^(elif|else)\b/ : /^try\b/.test(header) ? /^(except|else|finally)\b/ : /^else\b/;
  while (end < lines.length && indentOf(lines[end]!) === span.indent && clause.test(lines[end]!.trim())) end = spanAt(lines, end).end;
  return [...lines.slice(0, start), ...body, ...lines.slice(end)];
}

function firstOfWhileBody(lines: readonly string[], index: number): boolean {
  return index > 0 && /^\s*while\b/.test(lines[index - 1]!) && indentOf(lines[index]!) > indentOf(lines[index - 1]!);
}

export async function reduceProgram(source: string, fails: (candidate: string) => Promise<boolean>, budget = PROGRAM_REDUCE_BUDGET): Promise<string> {
  let best = source.split('\n').filter((line) => line.trim() !== '');
  let tries = 0;
  const accept = async (candidate: string[] | null): Promise<boolean> => {
    if (candidate === null || tries >= budget) return false;
    tries++;
    if (!(await fails(`${candidate.join('\n')}\n`))) return false;
    best = candidate;
    return true;
  };
  for (let changed = true; changed && tries < budget; ) {
    changed = false;
    // Back to front, outermost statements first within a round: a late statement rarely feeds an
    // earlier one, so more deletions stick.
    for (let index = best.length - 1; index >= 0; index--) {
      if (index >= best.length || best[index]!.trim() === 'pass' || firstOfWhileBody(best, index)) continue;
      const span = spanAt(best, index);
      if (await accept(without(best, span.start, span.end))) {
        changed = true;
        continue;
      }
      if (isHeader(best[index]!) && (await accept(unwrapped(best, index)))) changed = true;
    }
  }
  return `${best.join('\n')}\n`;
}

/** Lines of a program that are statements (not blank, not comments): what a size bound counts. */
export function statementLines(source: string): number {
  return source.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#')).length;
}
