/**
 * The guest-program corpus (`examples/programs/`): each `NAME.py` has CPython 3.11's run
 * committed beside it, as three files:
 *   NAME.out     stdout, byte for byte
 *   NAME.err     the last line of stderr and a line break (empty when stderr is empty)
 *   NAME.status  the exit status and a line break
 * `npm run corpus:bless` (test/vm/corpus-bless.ts) rewrites them from python3; the corpus test
 * runs every program through the boxless interpreter against them, and checks they still match
 * python3, so they cannot drift.
 *
 * `examples/programs/unsupported/NAME.py` are programs outside the subset, with the same files
 * holding *our* expectation, not CPython's: status 2, nothing on stdout, and in NAME.err the
 * located message (`NAME.py:line:col: … is not supported`). The bless script never touches them.
 *
 * Every program runs with its directory as the working directory, under its bare file name, and
 * no further arguments: sys.argv is ['NAME.py'] on both sides.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Observation } from './cpython.ts';

export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'programs');
export const UNSUPPORTED_DIR = join(CORPUS_DIR, 'unsupported');

/** Program names (without `.py`) in `dir`, sorted. */
export function programNames(dir = CORPUS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.py'))
    .map((name) => name.slice(0, -3))
    .sort();
}

export function programSource(name: string, dir = CORPUS_DIR): string {
  return readFileSync(join(dir, `${name}.py`), 'utf8');
}

/**
 * The triple loop nest the JIT's nested-loop test and bench run (TraceMonkey's nested-loop case):
 * one definition, so the bench measures the program the test checks.
 */
export function tripleNestSource(n: number): string {
  return `def f(n):
    total = 0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                total = total + i * j + k
    return total
print(f(${n}))
`;
}

export function hasExpectation(name: string, dir = CORPUS_DIR): boolean {
  return ['out', 'err', 'status'].every((ext) => existsSync(join(dir, `${name}.${ext}`))) || (dir === UNSUPPORTED_DIR && existsSync(join(dir, `${name}.err`)));
}

export function readExpectation(name: string, dir = CORPUS_DIR): Observation {
  const read = (ext: string, absent: string) => {
    const path = join(dir, `${name}.${ext}`);
    return existsSync(path) ? readFileSync(path, 'utf8') : absent;
  };
  const statusText = read('status', '').trim();
  if (!/^[0-9]+$/.test(statusText)) throw new Error(`${join(dir, name)}.status: expected an exit status, found '${statusText}'`);
  return { stdout: read('out', ''), lastStderrLine: read('err', '').replace(/\n$/, ''), status: Number(statusText) };
}

export function writeExpectation(name: string, observation: Observation, dir = CORPUS_DIR): void {
  writeFileSync(join(dir, `${name}.out`), observation.stdout);
  writeFileSync(join(dir, `${name}.err`), observation.lastStderrLine === '' ? '' : `${observation.lastStderrLine}\n`);
  writeFileSync(join(dir, `${name}.status`), `${observation.status}\n`);
}
