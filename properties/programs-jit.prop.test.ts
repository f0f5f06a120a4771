/**
 * The random-program property with the tracing JIT on: each generated program runs with the JIT
 * at recording thresholds 1, 2 and 7 and a bridge threshold of 1, and must print what CPython
 * 3.11 prints, byte for byte (the same generator, oracle and reducer as programs.prop.test.ts).
 * At threshold 1 every loop is recorded at its first back-edge, so traces are compiled and
 * entered on nearly every program with a loop, and left at their guards.
 * 50 programs per default run; FC_SEED, FC_NUM_RUNS and FC_PATH apply.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseJitOptions } from '../src/vm/jit/options.ts';
import { CPythonServer } from './cpython.ts';
import type { GuestRunOptions } from './guest.ts';
import { PROPERTY_BUILD } from './interpreter-pending.ts';
import { searchProgramDifference } from './program-differential.ts';

let server: CPythonServer;
beforeAll(() => {
  server = new CPythonServer();
});
afterAll(() => server.close());

export const JIT_RUNS: readonly GuestRunOptions[] = [1, 2, 7].map((threshold) => ({ jit: { options: parseJitOptions(`threshold=${threshold},bridge=1`) } }));

const TIMEOUT_MS = Math.max(120_000, 300 * Number(process.env.FC_NUM_RUNS ?? 0));

it(
  'with the JIT, boxless prints what CPython prints, on random programs',
  async () => {
    const { found, numRuns } = await searchProgramDifference(server, { build: PROPERTY_BUILD, runs: 50, guestRuns: JIT_RUNS });
    if (found) throw new Error(`the JIT differs from CPython on this program:\n${found.file}`);
    expect(numRuns).toBeGreaterThan(0);
  },
  TIMEOUT_MS,
);
