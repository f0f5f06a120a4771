/**
 * How a `TraceError` reaches a user: one located line, then the source line with a caret under
 * the column, the way compilers print errors.
 *
 *   fig2.trace:3:19: expected ')' after the operands of getfield, found 'x'
 *   i2 = getfield(p1 x)
 *                    ^
 */
import type { TraceError } from '../ir/index.ts';

/**
 * Takes any located error (a trace's TraceError, a guest program's SourceError): only the
 * message and the location are read.
 */
export function formatTraceError(err: Pick<TraceError, 'message' | 'loc'>, file: string, source: string): string {
  if (!err.loc) return `${file}: ${err.message}`;
  const { line, col } = err.loc;
  const text = sourceLine(source, line);
  if (text === null) return `${file}:${line}:${col}: ${err.message}`;
  // The caret line copies the tabs before the column, so the caret lines up however tabs render.
  const pad = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
  return `${file}:${line}:${col}: ${err.message}\n${text}\n${pad}^`;
}

/** Line `line` (1-based) of `source`, without its line break; null if there is no such line. */
function sourceLine(source: string, line: number): string | null {
  let start = 0;
  for (let k = 1; k < line; k++) {
    const newline = source.indexOf('\n', start);
    if (newline < 0) return null;
    start = newline + 1;
  }
  const end = source.indexOf('\n', start);
  const text = source.slice(start, end < 0 ? source.length : end).replace(/\r$/, '');
  // A byte order mark opening the file is not part of its first line (the lexer skips it too).
  return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
