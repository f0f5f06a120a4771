/**
 * `npm run bench -- interp`: the guest-language interpreter against CPython 3.11, in the same
 * run, as ratios (boxless / CPython; below 1 means boxless is faster or smaller).
 *
 * The interpreter alone (`--no-jit`; bench `jit` measures the JIT). Workloads: the paper's `f` with Figure 1's classes at 10^6 iterations (figure1_int.py), and
 * three corpus kernels (nbody, richards, spectral-norm), each a program of examples/programs/
 * that takes its size and a timing flag from sys.argv. Each runs as its own process on both
 * sides (`boxless py FILE ARGS` and `python3 FILE ARGS`), BENCH_REPEATS times (default 3); the
 * table shows medians of:
 *   - inner time: the program's own time.perf_counter() around the work, as pyperformance
 *     measures (it prints `elapsed S` when given the timing flag);
 *   - process time: the whole process, wall clock (boxless's includes node's start and tsx
 *     compiling the TypeScript sources);
 *   - peak memory: maximum resident set size, from `/usr/bin/time -v`, or where that is
 *     missing from getrusage(RUSAGE_CHILDREN) in a python3 wrapper.
 * Both sides must print the same output (the timing line aside); a workload the interpreter
 * cannot run is reported with its first stderr line instead of a ratio.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { requirePython } from '../properties/cpython.ts';
import { CORPUS_DIR } from '../properties/corpus.ts';
import { table } from './measure.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BOXLESS = join(ROOT, 'bin', 'boxless.mjs');
const GNU_TIME = '/usr/bin/time';

/** Program, arguments (size, then the timing flag), and what it measures. */
const WORKLOADS: readonly { name: string; file: string; args: readonly string[] }[] = [
  { name: 'f, 10^6 iterations', file: 'figure1_int.py', args: ['1000000', 'timing'] },
  { name: 'nbody, 40000 steps', file: 'nbody.py', args: ['40000', 'timing'] },
  { name: 'richards, 60 runs', file: 'richards.py', args: ['60', 'timing'] },
  { name: 'spectral-norm, n=150', file: 'spectral_norm.py', args: ['150', 'timing'] },
];

interface Measurement {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly innerS: number | null;
  readonly processS: number;
  readonly peakKb: number | null;
}

const PEAK_WRAPPER = 'import resource, subprocess, sys\nr = subprocess.run(sys.argv[1:])\nsys.stderr.write("peak-rss-kb %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\nsys.exit(r.returncode)';

/** Runs `command` once in the corpus directory, measuring wall time and peak memory. */
function measure(command: readonly string[]): Measurement {
  const gnu = existsSync(GNU_TIME);
  const argv = gnu ? [GNU_TIME, '-v', ...command] : [requirePython(), '-c', PEAK_WRAPPER, ...command];
  const start = performance.now();
  const run = spawnSync(argv[0]!, argv.slice(1), { cwd: CORPUS_DIR, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const processS = (performance.now() - start) / 1000;
  const stderr = run.stderr ?? '';
  const peak = gnu ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) : /peak-rss-kb (\d+)/.exec(stderr);
  const inner = /^elapsed ([0-9.e+-]+)$/m.exec(run.stdout ?? '');
  // What the program itself wrote to stderr comes before /usr/bin/time's report (or the wrapper's line).
  const own = gnu ? stderr.slice(0, Math.max(0, stderr.lastIndexOf('\tCommand being timed:'))) : stderr.replace(/peak-rss-kb \d+\n$/, '');
  return { status: run.status ?? -1, stdout: run.stdout ?? '', stderr: own, innerS: inner ? Number(inner[1]) : null, processS, peakKb: peak ? Number(peak[1]) : null };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const withoutTiming = (stdout: string) => stdout.replace(/^elapsed .*\n/m, '');

export async function benchInterp(): Promise<string> {
  const python = requirePython();
  const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3));
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const w of WORKLOADS) {
    const sides = {
      boxless: [process.execPath, BOXLESS, 'py', '--no-jit', w.file, ...w.args],
      cpython: [python, w.file, ...w.args],
    };
    const runs = { boxless: [] as Measurement[], cpython: [] as Measurement[] };
    for (let k = 0; k < repeats; k++) {
      runs.cpython.push(measure(sides.cpython));
      runs.boxless.push(measure(sides.boxless));
    }
    const [b, c] = [runs.boxless[0]!, runs.cpython[0]!];
    if (b.status !== 0 || c.status !== 0 || withoutTiming(b.stdout) !== withoutTiming(c.stdout)) {
      const why = b.status !== 0 ? `boxless exits with ${b.status}: ${b.stderr.split('\n')[0]}` : c.status !== 0 ? `python3 exits with ${c.status}` : 'the two print different output';
      rows.push([w.name, '-', '-', '-', '-', '-', '-']);
      notes.push(`${w.name}: not compared (${why})`);
      continue;
    }
    const inner = (ms: Measurement[]) => median(ms.map((m) => m.innerS ?? Number.NaN));
    const whole = (ms: Measurement[]) => median(ms.map((m) => m.processS));
    const peak = (ms: Measurement[]) => median(ms.map((m) => m.peakKb ?? Number.NaN));
    const [bi, ci, bp, cp, bm, cm] = [inner(runs.boxless), inner(runs.cpython), whole(runs.boxless), whole(runs.cpython), peak(runs.boxless), peak(runs.cpython)];
    rows.push([
      w.name,
      `${bi.toFixed(3)} / ${ci.toFixed(3)}`,
      (bi / ci).toFixed(2),
      `${bp.toFixed(2)} / ${cp.toFixed(2)}`,
      (bp / cp).toFixed(2),
      `${(bm / 1024).toFixed(0)} / ${(cm / 1024).toFixed(0)}`,
      (bm / cm).toFixed(2),
    ]);
  }
  return [
    `guest interpreter vs CPython ${spawnSync(python, ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).stdout.trim()}: medians of ${repeats} runs each, boxless / CPython`,
    table(['workload', 'inner s', 'ratio', 'process s', 'ratio', 'peak MB', 'ratio'], rows),
    ...notes,
    `peak memory from ${existsSync(GNU_TIME) ? '/usr/bin/time -v' : 'getrusage(RUSAGE_CHILDREN)'}; inner time is the program's time.perf_counter() around its work`,
  ].join('\n');
}
