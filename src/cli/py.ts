/**
 * `boxless py FILE.py [args…]`: runs a guest program on the boxless VM, its output streamed to
 * stdout and stderr as CPython's would be, with CPython's exit status (0; 1 after an uncaught
 * exception or MemoryError; 2 when the program is outside the subset, with a located message).
 */
import { readFileSync, writeSync } from 'node:fs';
import { flag, intOption, UsageError } from './args.ts';
import type { Command } from './command.ts';

/** Output is written in chunks of this many characters (a write per print would dominate). */
const FLUSH_AT = 1 << 16;

export const py: Command = {
  summary: 'run a Python program (the guest subset) on the boxless VM; program arguments follow FILE.py (after -- if they start with -)',
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, names: 'FILE.py [args…]' },
  options: {
    'no-jit': { kind: 'flag', help: 'interpret only (the only mode for now)' },
    'heap-mb': { kind: 'int', help: 'megabytes the heap may take (both semispaces; default 512)' },
    'gc-stress': { kind: 'flag', help: 'collect at every safepoint after an allocation (slow; for testing the collector)' },
  },
  async run(args) {
    // Loaded here, not at the top: `boxless --help` must not pay for the VM.
    const { runPythonTo } = await import('../vm/run.ts');
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
    void flag(args, 'no-jit');
    try {
      return runPythonTo(
        source,
        { file, argv: [file, ...argv], heapBytes: heapMb * 1024 * 1024, gcStress: flag(args, 'gc-stress') },
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
