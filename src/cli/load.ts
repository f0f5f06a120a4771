/** Reading a trace file for a command: every way it can go wrong ends in one located message. */
import { readFileSync } from 'node:fs';
import { TraceError, type Trace } from '../ir/index.ts';
import { formatTraceError } from '../text/errors.ts';
import { parseTrace } from '../text/parser.ts';
import { UsageError } from './args.ts';
import { CommandFailed } from './command.ts';

export interface LoadedTrace {
  readonly file: string;
  readonly source: string;
  readonly trace: Trace;
}

export function loadTrace(file: string): LoadedTrace {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new UsageError(`cannot read ${file}: ${why}`);
  }
  try {
    return { file, source, trace: parseTrace(source, file) };
  } catch (err) {
    if (err instanceof TraceError) {
      console.error(formatTraceError(err, file, source));
      throw new CommandFailed(2);
    }
    throw err;
  }
}

/** The input sets a command runs on: all of the file's, or the one `--input NAME` names. */
export function selectInputSets(loaded: LoadedTrace, name: string | undefined): Trace['inputSets'] {
  const sets = loaded.trace.inputSets;
  if (sets.length === 0) {
    throw new UsageError(`${loaded.file} has no input sets to run on: add a line 'input NAME [args…] with @obj = Class{…}'`);
  }
  if (name === undefined) return sets;
  const chosen = sets.filter((s) => s.name === name);
  if (chosen.length === 0) throw new UsageError(`${loaded.file} has no input set '${name}' (it has: ${sets.map((s) => s.name).join(', ')})`);
  return chosen;
}
