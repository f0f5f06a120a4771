/**
 * The JIT's knobs, one record with its defaults, and the parser of `--jit key=value,…`.
 *
 * Why these defaults (hot-loop threshold compared with the seeds' systems):
 *  - TraceMonkey records after 2 iterations: its recorder and compiler were cheap and its
 *    interpreter slow. LuaJIT waits 56: a very fast interpreter and a cheap compiler. PyPy waits
 *    1039 loop iterations (and 200 guard failures for a bridge): its optimizer and backend are
 *    slow (tens of milliseconds per loop).
 *  - Here one loop costs about 1–5 ms to optimize (TypeScript) and to compile (V8's wasm
 *    pipeline), an interpreted iteration of a small loop body about 0.2–1 µs, a compiled one
 *    10–100 times less: a loop pays for itself after a few thousand iterations, so recording at
 *    the first few iterations would waste compiles on loops that run a hundred times and stop.
 *    We take 200, between LuaJIT and PyPy; bench `jit` reports the measured break-even.
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
  /** Failures of a guard before a bridge is recorded from it (not yet implemented: exits go to the interpreter). */
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

export const DEFAULT_JIT_OPTIONS: JitOptions = { threshold: 200, bridge: 20, maxOps: 6000, inlineDepth: 8, blacklist: 4, bridges: 24 };

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
