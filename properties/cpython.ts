/**
 * CPython 3.11 as the oracle for guest programs: runs a program under `python3` and reduces the
 * run to what the guest language promises to reproduce (DESIGN.md, "The tracing VM"): stdout
 * byte for byte, the last line of stderr (the traceback's `Type: message`) and the exit status.
 *
 * Why the resolved executable: `python3` on these machines is a pyenv shim (a shell script that
 * re-resolves the version on every call, ~400 ms); `sys.executable` behind it starts in ~25 ms,
 * which is what makes one process per random program affordable. Resolved once per process.
 *
 * Why `-I -S -X utf8`: isolated mode ignores PYTHON* variables and the user's site packages, so
 * the oracle does not depend on who runs the tests; UTF-8 I/O whatever the locale, as the
 * boxless interpreter writes.
 *
 * The oracle never calls the boxless interpreter and shares none of its code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a guest run shows: the three things compared with CPython's. */
export interface Observation {
  readonly stdout: string;
  /** The last non-empty line of stderr, without its line break; '' when stderr is empty. */
  readonly lastStderrLine: string;
  readonly status: number;
}

/** The raw result of a run, as `runPython` returns it. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

export function observe(run: RunResult): Observation {
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
  return { stdout: run.stdout, lastStderrLine: lines.length ? lines[lines.length - 1]!.replace(/\r$/, '') : '', status: run.status };
}

let resolved: string | null | undefined;

/** The real python3 executable (behind any shim), or null when there is no python3 3.x. */
export function pythonExecutable(): string | null {
  if (resolved !== undefined) return resolved;
  const probe = spawnSync('python3', ['-c', 'import sys; print(sys.executable); print(sys.version_info[0], sys.version_info[1])'], { encoding: 'utf8' });
  if (probe.status !== 0 || probe.error) {
    resolved = null;
    return resolved;
  }
  const [executable, version] = probe.stdout.trim().split('\n');
  resolved = executable && version?.startsWith('3 ') ? executable : null;
  return resolved;
}

/** python3's version as `3.11.7`, for messages. */
export function pythonVersion(): string {
  const exe = pythonExecutable();
  if (exe === null) return 'none';
  return spawnSync(exe, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' }).stdout.trim();
}

export function requirePython(): string {
  const exe = pythonExecutable();
  if (exe === null) {
    throw new Error('python3 is not on the PATH: the guest-language tests compare the interpreter with CPython 3.11 (install python3; boxless itself does not need it)');
  }
  return exe;
}

export interface CPythonOptions {
  /** Directory the program runs in (and where `file` is). */
  readonly cwd: string;
  /** Arguments after the file name (sys.argv[1:]). */
  readonly args?: readonly string[];
  /** Killed after this many milliseconds (a generated program that loops is a generator bug). */
  readonly timeoutMs?: number;
}

/** Runs the file `file` (relative to `cwd`) under CPython. */
export function runCPythonFile(file: string, options: CPythonOptions): RunResult {
  const result = spawnSync(requirePython(), ['-I', '-S', '-X', 'utf8', file, ...(options.args ?? [])], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`python3 ${file}: ${result.error.message}`);
  if (result.status === null) throw new Error(`python3 ${file}: killed by ${result.signal}`);
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

let scratch: string | null = null;

/** Runs `source` under CPython as the file `file` (so sys.argv[0] and tracebacks name it). */
export function runCPython(source: string, file = 'program.py', options: Omit<CPythonOptions, 'cwd'> = {}): RunResult {
  if (scratch === null) {
    scratch = mkdtempSync(join(tmpdir(), 'boxless-cpython-'));
    const dir = scratch;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  writeFileSync(join(scratch, file), source);
  return runCPythonFile(file, { ...options, cwd: scratch });
}
