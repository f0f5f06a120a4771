/**
 * runPython: a guest program's source to its output and exit status, as a CPython process
 * would give them (stdout, stderr, status 0/1), or a located error and status 2 when the program
 * is outside the subset. The one entry point of the VM: the CLI streams through `runPythonTo`,
 * tests and the corpus call `runPython`.
 *
 * `semantics` overrides operations of the default record (PY_SEMANTICS); when it overrides any,
 * the interpreter's small-int and float fast paths are off, so every operation goes through the
 * record and an injected broken variant is seen.
 */
import { formatTraceError } from '../text/errors.ts';
import { compileModule } from './compiler.ts';
import { SourceError } from './errors.ts';
import { Interpreter } from './interpreter.ts';
import { Jit, type JitRunOptions } from './jit/jit.ts';
import type { JitReport } from './jit/stats.ts';
import { parseModule } from './parser.ts';
import { PY_SEMANTICS, type Semantics } from './semantics.ts';

export interface RunOptions {
  readonly file: string;
  /** sys.argv, the program's name first (default [file]). */
  readonly argv?: readonly string[];
  readonly semantics?: Partial<Semantics>;
  /** Collect at every safepoint that follows an allocation. */
  readonly gcStress?: boolean;
  /** Bytes the heap's two semispaces may take together. */
  readonly heapBytes?: number;
  /** Run with the tracing JIT (src/vm/jit/); absent: interpret only. */
  readonly jit?: JitRunOptions;
  /** Called at the end of a JIT run with its statistics. */
  readonly onJitReport?: (report: JitReport) => void;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

export interface OutputSink {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export function runPython(source: string, options: RunOptions): RunResult {
  const out: string[] = [];
  const err: string[] = [];
  const status = runPythonTo(source, options, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { stdout: out.join(''), stderr: err.join(''), status };
}

/**
 * The interpreter for a program, ready to `run()` (tests inspect its heap afterwards; the JIT
 * will drive it). Throws SourceError for a program outside the subset.
 */
export function createInterpreter(source: string, options: RunOptions, sink: OutputSink): Interpreter {
  const overrides = options.semantics ?? {};
  const sem: Semantics = { ...PY_SEMANTICS, ...overrides };
  const program = compileModule(parseModule(source), options.file);
  return new Interpreter(program, {
    file: options.file,
    argv: options.argv ?? [options.file],
    sem,
    fastPaths: Object.keys(overrides).length === 0,
    gcStress: options.gcStress,
    heapBytes: options.heapBytes,
    // Without a report to read them, running compiled code and exits are not timed (jit.ts).
    jit: options.jit ? (vm) => new Jit(vm, { timed: options.onJitReport !== undefined, ...options.jit! }) : undefined,
    write: sink.stdout,
    writeError: sink.stderr,
  });
}

/** Streams the program's output to `sink`; returns its exit status. */
export function runPythonTo(source: string, options: RunOptions, sink: OutputSink): number {
  try {
    const start = performance.now();
    const vm = createInterpreter(source, options, sink);
    const status = vm.run();
    if (options.onJitReport && vm.jit instanceof Jit) options.onJitReport(vm.jit.report(performance.now() - start));
    return status;
  } catch (e) {
    if (e instanceof SourceError) {
      sink.stderr(`${formatTraceError(e, options.file, source)}\n`);
      return 2;
    }
    throw e;
  }
}
