/**
 * The boxless interpreter as the corpus test, the random-program property and the bench see it:
 * `runPython` from src/vm/run.ts, and the observation (stdout, last stderr line, status) of a
 * run, comparable with CPython's (cpython.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Observation, RunResult } from './cpython.ts';
import { observe } from './cpython.ts';

export interface GuestRunOptions {
  readonly file: string;
  readonly argv?: readonly string[];
  /** Replaces operations of the semantics record (a deliberately broken variant). */
  readonly semantics?: object;
  readonly gcStress?: boolean;
}

export type RunPython = (source: string, options: GuestRunOptions) => RunResult;

const RUN_MODULE = new URL('../src/vm/run.ts', import.meta.url);

/** Whether the interpreter exists yet (it is written on another branch). */
export function interpreterPresent(): boolean {
  return existsSync(fileURLToPath(RUN_MODULE));
}

let loaded: RunPython | null = null;

export async function loadRunPython(): Promise<RunPython> {
  if (loaded === null) {
    const module = (await import(RUN_MODULE.href)) as { runPython: RunPython };
    loaded = module.runPython;
  }
  return loaded;
}

/** Runs `source` as `file` with sys.argv = [file] and returns what is compared with CPython. */
export function observeGuest(runPython: RunPython, source: string, file: string, extra: Omit<GuestRunOptions, 'file'> = {}): Observation {
  return observe(runPython(source, { file, argv: [file], ...extra }));
}

/** A readable difference between two observations, or null when they are equal. */
export function differenceBetween(expected: Observation, actual: Observation, names = { expected: 'CPython', actual: 'boxless' }): string | null {
  const parts: string[] = [];
  if (expected.status !== actual.status) parts.push(`exit status: ${names.expected} ${expected.status}, ${names.actual} ${actual.status}`);
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
