/**
 * The random-program property (program-differential.ts): the boxless interpreter prints what
 * CPython 3.11 prints on random programs of the subset (properties/arbitraries/programs.ts),
 * 200 per default run; FC_SEED, FC_NUM_RUNS and FC_PATH apply. A failure prints the program,
 * shrunk and reduced, as a `.py` file with its difference and replay line.
 *
 * What the generator leaves out because the interpreter cannot run it yet is named, with the
 * reason, in interpreter-pending.ts, and printed on every run: never left out silently.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CPythonServer, observe } from './cpython.ts';
import { differenceBetween, observeGuest } from './guest.ts';
import { PENDING_FEATURES, pendingReport, PROPERTY_BUILD } from './interpreter-pending.ts';
import { PROGRAM_FILE, searchProgramDifference } from './program-differential.ts';

let server: CPythonServer;
beforeAll(() => {
  server = new CPythonServer();
  console.log(pendingReport());
});
afterAll(() => server.close());

// A campaign (FC_NUM_RUNS=10000) takes longer than vitest's default limit: about 50 ms a program.
const TIMEOUT_MS = Math.max(120_000, 100 * Number(process.env.FC_NUM_RUNS ?? 0));

it(
  'the boxless interpreter prints what CPython prints, on random programs',
  async () => {
    const { found, numRuns } = await searchProgramDifference(server, { build: PROPERTY_BUILD });
    if (found) throw new Error(`the interpreter differs from CPython on this program:\n${found.file}`);
    expect(numRuns).toBeGreaterThan(0);
  },
  TIMEOUT_MS,
);

it('each feature left out still shows its difference (a fixed one must leave the pending list)', async () => {
  for (const [feature, pending] of Object.entries(PENDING_FEATURES)) {
    const expected = observe(await server.run(pending!.witness, PROGRAM_FILE));
    const difference = differenceBetween(expected, observeGuest(pending!.witness, PROGRAM_FILE));
    expect(difference, `'${feature}' now runs as CPython does: take it off PENDING_FEATURES (properties/interpreter-pending.ts)`).not.toBeNull();
  }
});
