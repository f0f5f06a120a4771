/**
 * `boxless py FILE.py [args…]`: runs a guest program on the boxless VM, its output streamed to
 * stdout and stderr as CPython's would be, with CPython's exit status (0; 1 after an uncaught
 * exception or MemoryError; 2 when the program is outside the subset, with a located message).
 */
import { mkdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JitOptions } from '../vm/jit/options.ts';
import { flag, intOption, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';

/** Output is written in chunks of this many characters (a write per print would dominate). */
const FLUSH_AT = 1 << 16;

export const py: Command = {
  summary: 'run a Python program (the guest subset) on the boxless VM; program arguments follow FILE.py (after -- if they start with -)',
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, names: 'FILE.py [args…]' },
  options: {
    'no-jit': { kind: 'flag', help: 'interpret only (the tracing JIT is on by default)' },
    jit: { kind: 'string', help: 'JIT settings: threshold=N (back-edges before recording), bridge=M, maxops=K, inline=D, blacklist=B' },
    'jit-log': { kind: 'string', help: 'write every recorded trace and its optimized form to DIR as .trace files' },
    'jit-stats': { kind: 'flag', help: "print the JIT's statistics to stderr at the end (per loop, aborts, time per activity)" },
    json: { kind: 'flag', help: 'with --jit-stats: as JSON' },
    'heap-mb': { kind: 'int', help: 'megabytes the heap may take (both semispaces; default 512)' },
    'gc-stress': { kind: 'flag', help: 'collect at every safepoint after an allocation (slow; for testing the collector)' },
  },
  async run(args) {
    // Loaded here, not at the top: `boxless --help` must not pay for the VM.
    const { runPythonTo } = await import('../vm/run.ts');
    const { DEFAULT_JIT_OPTIONS, parseJitOptions } = await import('../vm/jit/options.ts');
    const { formatJitReport } = await import('../vm/jit/stats.ts');
    const [file, ...argv] = args.positionals as [string, ...string[]];
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
      throw new UsageError(`cannot read ${file}: ${why}`);
    }
    const heapMb = intOption(args, 'heap-mb', 512);
    if (heapMb < 1) throw new UsageError(`--heap-mb: ${heapMb} is below 1`);
    let pending = '';
    const flush = () => {
      if (pending !== '') writeSync(1, pending);
      pending = '';
    };
    let jitOptions: JitOptions | null = flag(args, 'no-jit') ? null : DEFAULT_JIT_OPTIONS;
    const jitText = stringOption(args, 'jit');
    if (jitText !== undefined) {
      if (jitOptions === null) throw new UsageError('--jit and --no-jit together');
      try {
        jitOptions = parseJitOptions(jitText);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const logDir = stringOption(args, 'jit-log');
    if (logDir !== undefined) mkdirSync(logDir, { recursive: true });
    const stats = flag(args, 'jit-stats');
    const json = flag(args, 'json');
    try {
      return runPythonTo(
        source,
        {
          file,
          argv: [file, ...argv],
          heapBytes: heapMb * 1024 * 1024,
          gcStress: flag(args, 'gc-stress'),
          jit: jitOptions ? { options: jitOptions, logDir: logDir === undefined ? undefined : (name, text) => writeFileSync(join(logDir, name), text) } : undefined,
          onJitReport: stats
            ? (report) => {
                flush();
                writeSync(2, json ? `${JSON.stringify(report, null, 2)}\n` : formatJitReport(report));
              }
            : undefined,
        },
        {
          stdout: (text) => {
            pending += text;
            if (pending.length >= FLUSH_AT) flush();
          },
          stderr: (text) => {
            flush();
            writeSync(2, text);
          },
        },
      );
    } finally {
      flush();
    }
  },
};
