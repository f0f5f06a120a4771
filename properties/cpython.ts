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
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
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

/**
 * The Python side of `CPythonServer`: reads one JSON request per line ({source, file, argv}),
 * compiles and runs the program in a fresh `__main__` namespace with stdout captured, and
 * answers one JSON line ({stdout, stderr, status}). An exception ending the program gives
 * status 1 and, as stderr, a traceback header and the line CPython's own handler prints
 * (`traceback.format_exception_only`, which is what that handler uses); a SyntaxError likewise;
 * warnings (a SyntaxWarning at compile time) are written to stderr as CPython writes them.
 * A program running longer than its `timeout` seconds is stopped with a ProgramTimeout (a
 * BaseException, raised again every second, so that no handler of the program keeps it going).
 */
const SERVER_DRIVER = String.raw`
import builtins, io, json, signal, sys, traceback, warnings
class ProgramTimeout(BaseException):
    pass
def on_alarm(signum, frame):
    signal.alarm(1)  # again, should a bare except swallow this one
    raise ProgramTimeout("the program ran too long")
signal.signal(signal.SIGALRM, on_alarm)
real_stdout = sys.stdout
for line in sys.stdin:
    request = json.loads(line)
    out = io.StringIO()
    err = io.StringIO()
    status = 0
    sys.argv = request["argv"]
    namespace = {"__name__": "__main__", "__builtins__": builtins, "__file__": request["file"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = compile(request["source"], request["file"], "exec")
        except SyntaxError as e:
            code = None
            status = 1
            err.write("".join(traceback.format_exception_only(type(e), e)))
        if code is not None:
            sys.stdout = out
            signal.alarm(request["timeout"])
            try:
                exec(code, namespace)
            except BaseException as e:
                status = 1
                err.write("Traceback (most recent call last):\n" + "".join(traceback.format_exception_only(type(e), e)))
            finally:
                signal.alarm(0)
                sys.stdout = real_stdout
    prefix = "".join("%s:%s: %s: %s\n" % (w.filename, w.lineno, w.category.__name__, w.message) for w in caught)
    real_stdout.write(json.dumps({"stdout": out.getvalue(), "stderr": prefix + err.getvalue(), "status": status}) + "\n")
    real_stdout.flush()
`;

/**
 * One long-lived python3 that runs programs in process, one after another: ~1 ms per small
 * program instead of a process start each (25 ms on an idle machine, 150 ms on a loaded one).
 * For generated programs only (they touch no interpreter state: no sys other than argv, no
 * imports but math); the corpus runs each program as its own process, as a user would, and a
 * test checks that the two modes agree on generated programs.
 */
export class CPythonServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (result: RunResult) => void; reject: (err: Error) => void }[] = [];
  private buffer = '';
  private failure: Error | null = null;

  constructor() {
    this.child = spawn(requirePython(), ['-I', '-S', '-X', 'utf8', '-c', SERVER_DRIVER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        this.waiting.shift()?.resolve(JSON.parse(line) as RunResult);
      }
    });
    let stderr = '';
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => (stderr += chunk));
    this.child.on('exit', (code) => {
      this.failure = new Error(`the python3 server exited (status ${code}): ${stderr.trim()}`);
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    });
  }

  run(source: string, file = 'program.py', timeoutSeconds = 10): Promise<RunResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ source, file, argv: [file], timeout: timeoutSeconds })}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
