/**
 * The JIT's knobs, one record with its defaults, and the parser of `--jit key=value,…`.
 *
 * Why these defaults (hot-loop threshold compared with the seeds' systems):
 *  - TraceMonkey records after 2 iterations: its recorder and compiler were cheap and its
 *    interpreter slow. LuaJIT waits 56: a very fast interpreter and a cheap compiler. PyPy waits
 *    1039 loop iterations (and 200 guard failures for a bridge): its optimizer and backend are
 *    slow (tens of milliseconds per loop).
 *  - Here one loop costs a few milliseconds to record, optimize (TypeScript) and compile (V8's
 *    wasm pipeline) when the process is young and V8 still runs that code unoptimized: f's loop
 *    took 1.6-3 ms to record, 2.8-5 to optimize and 2.5-4.6 to compile (`boxless py --jit-stats`,
 *    f at 10^7, load 0.4-1.2), and its first interpreted iterations cost about 17 µs each (f's 400
 *    iterations in 7 ms under --no-jit). So waiting is not free either: 200 iterations before
 *    recording made f's run 10-25% slower than 50 or 56 (three batches of 11 to 15 alternating
 *    runs). Recording at the first few iterations wastes compiles on short loops: at 10, the
 *    corpus's geometric mean speedup fell from 12.2x to 11.7x (richards, nqueens, matrix_mult),
 *    while 50 and 200 gave the same (12.3x, 12.2x). We take LuaJIT's 56.
 *  - A guard grows a bridge after 20 failures (PyPy: 200), for the same reason scaled down; a
 *    loop and its bridges grow at most 24 bridges in all (a loop nest needs a few; a loop whose
 *    guards keep failing on ever new paths would otherwise spend its time compiling).
 *  - Abort back-off: a loop whose recording aborted waits 2^k times the threshold before it is
 *    recorded again, and is blacklisted for good after `blacklist` aborts (PyPy's "don't trace
 *    here" after repeated aborts).
 */
export interface JitOptions {
  /** Back-edges of a loop header before it is recorded. */
  readonly threshold: number;
  /** Failures of a guard before a bridge is recorded from it. */
  readonly bridge: number;
  /** Ops a recording may hold before it aborts (PyPy's trace_limit). */
  readonly maxOps: number;
  /** Calls inlined into a trace, nested at most this deep. */
  readonly inlineDepth: number;
  /** Aborts of one loop before it is never recorded again. */
  readonly blacklist: number;
  /** Bridges one loop and its bridges may grow in all (each costs an optimization and a compile). */
  readonly bridges: number;
}

export const DEFAULT_JIT_OPTIONS: JitOptions = { threshold: 56, bridge: 20, maxOps: 6000, inlineDepth: 8, blacklist: 4, bridges: 24 };

const KEYS: Readonly<Record<string, keyof JitOptions>> = {
  threshold: 'threshold',
  bridge: 'bridge',
  maxops: 'maxOps',
  inline: 'inlineDepth',
  blacklist: 'blacklist',
  bridges: 'bridges',
};

/** `threshold=N,bridge=M,maxops=K,inline=D,blacklist=B,bridges=T` (any subset). Throws Error with a message for the user. */
export function parseJitOptions(text: string): JitOptions {
  const out: Record<string, number> = { ...DEFAULT_JIT_OPTIONS };
  if (text.trim() === '') return DEFAULT_JIT_OPTIONS;
  for (const part of text.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m) throw new Error(`--jit: expected key=number, got '${part}'`);
    const key = KEYS[m[1]!];
    if (!key) throw new Error(`--jit: unknown key '${m[1]}' (expected one of ${Object.keys(KEYS).join(', ')})`);
    const value = Number(m[2]);
    if (value < 1 && key !== 'inlineDepth') throw new Error(`--jit: ${m[1]} must be at least 1`);
    out[key] = value;
  }
  return out as unknown as JitOptions;
}
