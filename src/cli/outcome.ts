/**
 * How `boxless run` (and the demo) print an outcome: spec/format.ts's text (the oracle's
 * formatter, left as it is), with each exit value named after the trace's variable it is, and
 * the escape log cut to a readable length.
 *
 *   guard 7 failed in iteration 10
 *   values: p0 = BoxedInteger{intval: 1}, p1 = BoxedInteger{intval: -846}, i2 = -846, i3 = 1,
 *           i4 = -845, …
 *   escape #1: BoxedInteger{intval: 3}
 *   … 990 more escape calls (--all shows them)
 *   inputs at the end: p0 = BoxedInteger{intval: 10}, p1 = BoxedInteger{intval: 0}
 *   prebuilt at the end: @none = NoneType{}
 *
 * The names come from the input trace (the file as written), whatever ran: an optimized trace
 * exits with the values of the input trace's guard of the same id, its finish, or its loop
 * arguments, so they are named as the input trace names them. A value that is a constant or a
 * virtual object in the input's exit (or whose name the input's guards of that id disagree on)
 * is printed without a name.
 */
import type { Arg, Exit, ExitValue, Outcome, Trace } from '../ir/index.ts';
import { formatOutcome, formatPrebuilt, formatValues } from '../../spec/format.ts';

/** Escape calls printed before the rest are summarized in one line. */
export const ESCAPES_SHOWN = 10;
/** Values lines are filled up to this width, then go on indented under the first value. */
const WIDTH = 100;

/** The name of each exit value of `exit` in `trace`, null where it is not a variable; null if unknown. */
export function exitValueNames(trace: Trace, exit: Exit): (string | null)[] | null {
  switch (exit.kind) {
    case 'guard': {
      const guards = trace.ops.filter((op) => op.guardId === exit.guardId && op.exit);
      return guards.length === 0 ? null : commonNames(guards.map((g) => g.exit!.values));
    }
    case 'finish': {
      const last = trace.ops.at(-1);
      return last?.name === 'finish' ? commonNames([last.args]) : null;
    }
    case 'fuel': {
      // The loop's arguments: what the jump passes back to the top, or, in a trace with a label
      // (whose exit rebuilds them), the inputs they become.
      const last = trace.ops.at(-1);
      if (trace.ops.some((op) => op.name === 'label') || last?.name !== 'jump') return trace.inputs.map((i) => i.name);
      return commonNames([last.args]);
    }
    default:
      return null;
  }
}

function commonNames(lists: readonly (readonly (Arg | ExitValue)[])[]): (string | null)[] {
  const first = lists[0]!;
  return first.map((value, k) => {
    if (value.kind !== 'var') return null;
    const same = lists.every((list) => list.length === first.length && list[k]!.kind === 'var' && (list[k] as { name: string }).name === value.name);
    return same ? value.name : null;
  });
}

export interface FormatRunOptions {
  /** Print every escape call instead of the first ESCAPES_SHOWN. */
  readonly allEscapes?: boolean;
}

/** An outcome of running (a transformation of) `trace`, for people. */
export function formatRun(outcome: Outcome, trace: Trace, options: FormatRunOptions = {}): string {
  // The headline as spec/format.ts words it; the other lines are ours.
  const bare = formatOutcome({ ...outcome, values: [], escapes: [], inputArgs: [], prebuilt: [] });
  const lines = [bare.slice(0, bare.lastIndexOf('\nvalues: '))];
  const prebuilt = outcome.prebuilt ?? [];
  lines.push(named('values: ', outcome.values.length === 0 ? null : formatValues(outcome.values, outcome.finalHeap, prebuilt), exitValueNames(trace, outcome.exit), outcome.values.length));
  const shown = options.allEscapes ? outcome.escapes : outcome.escapes.slice(0, ESCAPES_SHOWN);
  shown.forEach((e, k) => lines.push(`escape #${k + 1}: ${formatValues(e.args, e.heap, prebuilt)}`));
  const hidden = outcome.escapes.length - shown.length;
  if (hidden > 0) lines.push(`… ${hidden} more escape call${hidden === 1 ? '' : 's'} (--all shows them)`);
  if (outcome.inputArgs.length > 0) {
    const inputs = formatValues(outcome.inputArgs, outcome.finalHeap, prebuilt);
    lines.push(named('inputs at the end: ', inputs, trace.inputs.map((i) => i.name), outcome.inputArgs.length));
  }
  if (prebuilt.length > 0) lines.push(`prebuilt at the end: ${formatPrebuilt(outcome.finalHeap, prebuilt)}`);
  return lines.join('\n');
}

/**
 * `prefix` then the values of `text` (formatValues of `count` values), each after its name when
 * it has one, filled into lines of WIDTH. Unnamed (as printed) when the text does not split into
 * `count` values or the names do not match them.
 */
function named(prefix: string, text: string | null, names: readonly (string | null)[] | null, count: number): string {
  if (text === null) return `${prefix}none`;
  const items = splitTopLevel(text);
  if (!names || names.length !== count || items.length !== count) return prefix + text;
  const parts = items.map((item, k) => (names[k] ? `${names[k]} = ${item}` : item));
  const indent = ' '.repeat(prefix.length);
  const lines: string[] = [];
  let line = prefix;
  parts.forEach((part, k) => {
    const piece = k < parts.length - 1 ? `${part},` : part;
    if (line.length > prefix.length && line.length + 1 + piece.length > WIDTH) {
      lines.push(line);
      line = indent + piece;
    } else {
      line += (line.length > prefix.length ? ' ' : '') + piece;
    }
  });
  lines.push(line);
  return lines.join('\n');
}

/**
 * formatValues' text back into its values: it joins them with ', ', and every ', ' inside a
 * value is inside {…}, […] or <…> (objects, arrays, unrecorded objects).
 */
export function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === '{' || c === '[' || c === '<') depth++;
    else if (c === '}' || c === ']' || c === '>') depth--;
    else if (depth === 0 && c === ',' && text[k + 1] === ' ') {
      items.push(text.slice(start, k));
      start = k + 2;
      k++;
    }
  }
  items.push(text.slice(start));
  return items;
}
