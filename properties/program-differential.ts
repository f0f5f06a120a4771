/**
 * The random-program property: on every generated program, the boxless interpreter's run shows
 * what CPython 3.11's shows (stdout byte for byte, the last stderr line, the exit status).
 * The twin of differential.ts for guest programs, and built the same way: everything is a
 * parameter (the semantics record the interpreter runs with, so a deliberately broken variant
 * plugs in; the generator's options; the run count and how it meets FC_*).
 *
 * Each program is first run under CPython, which also checks the generator's contract
 * (program-build.ts): it compiles without a SyntaxError or SyntaxWarning, and it ends with
 * status 0 and an empty stderr, or, when it was built to end with an uncaught exception, with
 * status 1 and a known exception on the last line. A program breaking that is a generator bug,
 * reported as such (never as an interpreter difference).
 *
 * A failure is reported as a `.py` file: the shrunk program, then reduced (reduce-program.ts),
 * with the difference and the fast-check seed and path that replay it (FC_SEED, FC_PATH) in
 * comments. Save it and run `boxless py` and `python3` on it.
 */
import fc from 'fast-check';
import type { Semantics } from '../src/vm/semantics.ts';
import type { BuildOptions, BuiltProgram } from './arbitraries/program-build.ts';
import { arbProgram } from './arbitraries/programs.ts';
import { type CPythonServer, type Observation, observe, type RunResult } from './cpython.ts';
import { fcParams } from './fc-config.ts';
import { differenceBetween, type GuestRunOptions, runGuest } from './guest.ts';
import { reduceProgram } from './reduce-program.ts';

/** The file name generated programs run as (sys.argv[0], tracebacks). */
export const PROGRAM_FILE = 'program.py';

/** Exceptions a program of the subset may end with (CPython's own and the program's classes). */
const SUBSET_EXCEPTIONS = ['Exception', 'ZeroDivisionError', 'IndexError', 'TypeError', 'AttributeError', 'NameError', 'NotImplementedError'];

export interface ProgramSearchOptions {
  /** Operations of the semantics record replaced (a deliberately broken interpreter). */
  readonly semantics?: Partial<Semantics>;
  /** What the generator leaves out (features the interpreter does not have yet). */
  readonly build?: BuildOptions;
  /** Default number of programs, before FC_NUM_RUNS. Default 200. */
  readonly runs?: number;
  /** How the run count and seed meet the environment (fc-config.ts). Default fcParams. */
  readonly parameters?: typeof fcParams;
  /**
   * Count a difference only where the interpreter with the default semantics agrees with
   * CPython: what a broken variant is caught on must be the variant's doing, not a bug the
   * interpreter has anyway.
   */
  readonly control?: boolean;
  /**
   * Each program runs once per entry, with these run options (the JIT at several thresholds, a
   * deliberately broken JIT); the first difference counts. Default: one plain run.
   */
  readonly guestRuns?: readonly GuestRunOptions[];
}

export class GeneratorContractError extends Error {
  constructor(message: string, source: string) {
    super(`the program generator broke its contract (properties/arbitraries/program-build.ts): ${message}\n${source}`);
    this.name = 'GeneratorContractError';
  }
}

/** Why CPython's run of a candidate program is not one of the subset's, or null when it is. */
function outsideSubset(run: RunResult, userClasses: readonly string[]): string | null {
  if (/\bSyntax(Error|Warning)\b/.test(run.stderr)) return `CPython rejects it: ${run.stderr.trim()}`;
  if (run.status === 0) return run.stderr === '' ? null : `status 0 with stderr ${JSON.stringify(run.stderr)}`;
  if (run.status !== 1) return `status ${run.status}`;
  const last = observe(run).lastStderrLine;
  const type = /^([A-Za-z_][A-Za-z0-9_]*)(:|$)/.exec(last)?.[1];
  return type !== undefined && (SUBSET_EXCEPTIONS.includes(type) || userClasses.includes(type)) ? null : `it ends with ${last}`;
}

const classesOf = (source: string) => [...source.matchAll(/^class ([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1]!);

/** CPython's observation of a generated program, its contract checked. */
export async function cpythonObservation(server: CPythonServer, program: BuiltProgram): Promise<Observation> {
  const raw = await server.run(program.source, PROGRAM_FILE);
  const why = outsideSubset(raw, program.exceptionNames);
  const run = observe(raw);
  if (why !== null) throw new GeneratorContractError(why, program.source);
  if (program.expectsUncaught !== (run.status === 1)) {
    throw new GeneratorContractError(program.expectsUncaught ? 'it was built to end with an uncaught exception, and ends with status 0' : `it ends with an exception nobody catches: ${run.lastStderrLine}`, program.source);
  }
  return run;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The interpreter's run, or a description of how it crashed. */
function interpreterRun(source: string, semantics: Partial<Semantics> | undefined, extra: GuestRunOptions = {}): RunResult | string {
  try {
    return runGuest(source, PROGRAM_FILE, semantics ? { ...extra, semantics } : extra);
  } catch (err) {
    return `the interpreter threw ${describeError(err)}`;
  }
}

/** The difference between CPython's run (`expected`) and the interpreter's on `source`, or null. */
function differenceOn(source: string, expected: Observation, options: ProgramSearchOptions): string | null {
  let difference: string | null = null;
  for (const extra of options.guestRuns ?? [{}]) {
    const actual = interpreterRun(source, options.semantics, extra);
    difference = typeof actual === 'string' ? actual : differenceBetween(expected, observe(actual), undefined, actual.stderr);
    if (difference !== null) {
      if (options.guestRuns) difference = `with ${describeRun(extra)}: ${difference}`;
      break;
    }
  }
  if (difference === null || !options.control || (!options.semantics && !options.guestRuns)) return difference;
  const reference = interpreterRun(source, undefined);
  return typeof reference !== 'string' && differenceBetween(expected, observe(reference)) === null ? difference : null;
}

function describeRun(extra: GuestRunOptions): string {
  const jit = extra.jit?.options;
  return jit ? `the JIT (threshold ${jit.threshold}, bridge ${jit.bridge})` : 'the interpreter';
}

export interface ProgramCounterexample {
  /** The program, shrunk and reduced, as a `.py` file with the difference in comments. */
  readonly file: string;
  /** The program alone. */
  readonly source: string;
  readonly difference: string;
}

export interface ProgramSearch {
  readonly found: ProgramCounterexample | null;
  readonly numRuns: number;
}

export async function searchProgramDifference(server: CPythonServer, options: ProgramSearchOptions = {}): Promise<ProgramSearch> {
  const details = await fc.check(
    fc.asyncProperty(arbProgram(options.build), async (program) => {
      const expected = await cpythonObservation(server, program);
      return differenceOn(program.source, expected, options) === null;
    }),
    (options.parameters ?? fcParams)(options.runs ?? 200),
  );
  if (!details.failed) return { found: null, numRuns: details.numRuns };
  if (details.errorInstance instanceof GeneratorContractError || details.counterexample === null) throw details.errorInstance;
  const [shrunk] = details.counterexample;
  const stillFails = async (candidate: string): Promise<boolean> => {
    const run = await server.run(candidate, PROGRAM_FILE, 2);
    if (outsideSubset(run, classesOf(candidate)) !== null) return false;
    return differenceOn(candidate, observe(run), options) !== null;
  };
  const source = await reduceProgram(shrunk.source, stillFails);
  const expected = observe(await server.run(source, PROGRAM_FILE));
  const difference = differenceOn(source, expected, options) ?? `the property failed: ${describeError(details.errorInstance)}`;
  const replay = `replay: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ''} (shrunk ${details.numShrinks} times, then reduced from ${shrunk.source.split('\n').length - 1} to ${source.split('\n').length - 1} lines)`;
  const comments = [...difference.split('\n'), replay].map((line) => `# ${line}`);
  return { found: { file: `${comments.join('\n')}\n${source}`, source, difference }, numRuns: details.numRuns };
}
