/**
 * The boxless interpreter as the corpus test and the random-program property see it: `runPython`
 * from src/vm/run.ts, and the observation (stdout, last stderr line, status) of a
 * run, comparable with CPython's (cpython.ts).
 */
import { type RunOptions, runPython } from '../src/vm/run.ts';
import type { Observation, RunResult } from './cpython.ts';
import { observe } from './cpython.ts';

export type GuestRunOptions = Omit<RunOptions, 'file'>;

/** Runs `source` as `file` (sys.argv = [file]) and returns what is compared with CPython. */
export function observeGuest(source: string, file: string, extra: GuestRunOptions = {}): Observation {
  return observe(runGuest(source, file, extra));
}

export function runGuest(source: string, file: string, extra: GuestRunOptions = {}): RunResult {
  return runPython(source, { file, ...extra });
}

/**
 * A readable difference between two observations, or null when they are equal. `actualStderr`,
 * when given, is the actual run's whole stderr: its first lines are shown when the statuses
 * differ (a located error's message is its first line, not its last).
 */
export function differenceBetween(expected: Observation, actual: Observation, names = { expected: 'CPython', actual: 'boxless' }, actualStderr = ''): string | null {
  const parts: string[] = [];
  if (expected.status !== actual.status) {
    const head = actualStderr.split('\n').slice(0, 3).join('\n    ');
    parts.push(`exit status: ${names.expected} ${expected.status}, ${names.actual} ${actual.status}${actualStderr ? `; ${names.actual}'s stderr begins:\n    ${head}` : ''}`);
  }
  if (expected.lastStderrLine !== actual.lastStderrLine) {
    parts.push(`last stderr line:\n  ${names.expected}: ${JSON.stringify(expected.lastStderrLine)}\n  ${names.actual}: ${JSON.stringify(actual.lastStderrLine)}`);
  }
  if (expected.stdout !== actual.stdout) parts.push(`stdout: ${firstLineDifference(expected.stdout, actual.stdout, names)}`);
  return parts.length ? parts.join('\n') : null;
}

function firstLineDifference(a: string, b: string, names: { expected: string; actual: string }): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let k = 0; k < Math.max(la.length, lb.length); k++) {
    if (la[k] !== lb[k]) {
      return `first difference at line ${k + 1}:\n  ${names.expected}: ${JSON.stringify(la[k] ?? '<end of output>')}\n  ${names.actual}: ${JSON.stringify(lb[k] ?? '<end of output>')}`;
    }
  }
  return 'equal lines, different bytes';
}
