/**
 * The random-program property can fail: each deliberately broken interpreter here (injected
 * through the semantics record) is caught within the property's default run count (200
 * programs; FC_NUM_RUNS may raise it, FC_SEED varies it), and its counterexample, shrunk by
 * fast-check and then reduced line by line (properties/reduce-program.ts), has at most 10 lines.
 * A difference counts only where the interpreter with the real semantics agrees with CPython,
 * so what is caught is the variant, not a bug the interpreter has anyway; the reduced program is
 * checked once more for exactly that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Semantics } from '../../src/vm/semantics.ts';
import { CPythonServer, observe } from '../../properties/cpython.ts';
import { fcParamsForBrokenVariant } from '../../properties/fc-config.ts';
import { differenceBetween, observeGuest } from '../../properties/guest.ts';
import { PROPERTY_BUILD } from '../../properties/interpreter-pending.ts';
import { PROGRAM_FILE, searchProgramDifference } from '../../properties/program-differential.ts';
import { statementLines } from '../../properties/reduce-program.ts';
import { floatRepr17Digits } from './float-repr-17-digits.ts';
import { floorDivisionTowardZero } from './floor-division-toward-zero.ts';

const BROKEN: [string, Partial<Semantics>][] = [
  ['// rounding toward zero', floorDivisionTowardZero],
  ['print of floats with 17 significant digits', floatRepr17Digits],
];

let server: CPythonServer;
beforeAll(() => {
  server = new CPythonServer();
});
afterAll(() => server.close());

describe('broken interpreters are caught by the random-program property', () => {
  for (const [name, semantics] of BROKEN) {
    it(`${name}, with a program of at most 10 lines`, async () => {
      const { found, numRuns } = await searchProgramDifference(server, { semantics, build: PROPERTY_BUILD, parameters: fcParamsForBrokenVariant, control: true });
      expect(found, `${name} passed ${numRuns} programs`).not.toBeNull();
      console.log(`counterexample for ${name}:\n${found!.file}`);
      expect(statementLines(found!.source), found!.file).toBeLessThanOrEqual(10);
      const expected = observe(await server.run(found!.source, PROGRAM_FILE));
      expect(differenceBetween(expected, observeGuest(found!.source, PROGRAM_FILE, { semantics }))).not.toBeNull();
      expect(differenceBetween(expected, observeGuest(found!.source, PROGRAM_FILE))).toBeNull();
    }, Math.max(120_000, 200 * Number(process.env.FC_NUM_RUNS ?? 0)));
  }
});
