/**
 * The JIT's random-program property can fail: each deliberately broken JIT (variants.ts) is
 * caught by the property (programs-jit.prop.test.ts's search, the JIT at threshold 1), and its
 * counterexample, shrunk by fast-check and reduced line by line, has at most 12 lines. A
 * difference counts only where the plain interpreter agrees with CPython, and the reduced
 * program is checked once more: it differs with the broken JIT, not with the real one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CPythonServer, type Observation, observe, pythonExecutable } from '../../properties/cpython.ts';
import { fcParamsForBrokenVariant } from '../../properties/fc-config.ts';
import { differenceBetween, type GuestRunOptions, observeGuest } from '../../properties/guest.ts';
import { PROPERTY_BUILD } from '../../properties/interpreter-pending.ts';
import { PROGRAM_FILE, searchProgramDifference } from '../../properties/program-differential.ts';
import { statementLines } from '../../properties/reduce-program.ts';
import { parseJitOptions } from '../../src/vm/jit/options.ts';
import { brokenJits } from './variants.ts';

let server: CPythonServer;
beforeAll(() => {
  server = new CPythonServer();
});
afterAll(() => server.close());

/** The difference from CPython's observation, or how the run threw (a broken JIT may). */
function differenceWith(expected: Observation, source: string, extra: GuestRunOptions): string | null {
  try {
    return differenceBetween(expected, observeGuest(source, PROGRAM_FILE, extra));
  } catch (err) {
    return `threw ${(err as Error).message}`;
  }
}

/**
 * The missing overflow guard is not caught by the random programs (2000 tried): their loops run
 * a few iterations, rarely compiled long enough to cross 2^63. Until the generator grows
 * JIT-shaped loops, it is shown wrong on a witness (and the real JIT right on it).
 */
const OVERFLOW_WITNESS = `x = 1
for i in range(70):
    x = x + x
print(x)
`;

/** Random programs rarely run a loop long enough to grow a bridge (200 tried): a loop nest does. */
const BRIDGE_WITNESS = `total = 0
for i in range(30):
    for j in range(30):
        total = total + i * j
print(total)
`;

/** Random programs do not call math.sqrt: a loop that meets a negative after warm-up does. */
const SQRT_WITNESS = `import math
xs = [4.0] * 20 + [-1.0]
total = 0.0
try:
    for x in xs:
        total = total + math.sqrt(x)
except ValueError as e:
    print(e)
print(total)
`;

/** Random programs do not use **: a loop that meets 0.0 ** -1.0 after warm-up does. */
const POW_WITNESS = `xs = [2.0] * 20 + [0.0]
total = 0.0
try:
    for x in xs:
        total = total + x ** -1.0
except ZeroDivisionError as e:
    print(e)
print(total)
`;

describe('a broken JIT differs from CPython on a witness', () => {
  it.skipIf(!pythonExecutable())('a missing pow guard: 0.0 to a negative power after warm-up in a compiled loop', async () => {
    const [, jit] = brokenJits(1).find(([name]) => name === 'a missing pow guard')!;
    const expected = observe(await server.run(POW_WITNESS, PROGRAM_FILE));
    expect(differenceWith(expected, POW_WITNESS, { jit })).not.toBeNull();
    expect(differenceWith(expected, POW_WITNESS, { jit: { options: parseJitOptions('threshold=1,bridge=1') } })).toBeNull();
  });

  it.skipIf(!pythonExecutable())('a missing sqrt guard: a negative argument after warm-up in a compiled loop', async () => {
    const [, jit] = brokenJits(1).find(([name]) => name === 'a missing sqrt guard')!;
    const expected = observe(await server.run(SQRT_WITNESS, PROGRAM_FILE));
    expect(differenceWith(expected, SQRT_WITNESS, { jit })).not.toBeNull();
    expect(differenceWith(expected, SQRT_WITNESS, { jit: { options: parseJitOptions('threshold=1,bridge=1') } })).toBeNull();
  });

  it.skipIf(!pythonExecutable())('a bridge that forgets a virtual: a loop nest, run by a loop and a bridge from its exit', async () => {
    const [, jit] = brokenJits(1).find(([name]) => name === 'a bridge that forgets a virtual')!;
    const expected = observe(await server.run(BRIDGE_WITNESS, PROGRAM_FILE));
    expect(differenceWith(expected, BRIDGE_WITNESS, { jit })).not.toBeNull();
    expect(differenceWith(expected, BRIDGE_WITNESS, { jit: { options: parseJitOptions('threshold=1,bridge=1') } })).toBeNull();
  });

  it.skipIf(!pythonExecutable())('a missing overflow guard: doubling past 2^63 in a compiled loop', async () => {
    const [, jit] = brokenJits(1).find(([name]) => name === 'a missing overflow guard')!;
    const expected = observe(await server.run(OVERFLOW_WITNESS, PROGRAM_FILE));
    expect(differenceWith(expected, OVERFLOW_WITNESS, { jit })).not.toBeNull();
    expect(differenceWith(expected, OVERFLOW_WITNESS, { jit: { options: parseJitOptions('threshold=1,bridge=1') } })).toBeNull();
  });
});

describe('broken JITs are caught by the random-program property', () => {
  for (const [name, jit, runs] of brokenJits(1).filter(([, , n]) => n > 0)) {
    it(`${name}, with a program of at most 12 lines`, async () => {
      const { found, numRuns } = await searchProgramDifference(server, { build: PROPERTY_BUILD, parameters: fcParamsForBrokenVariant, runs, control: true, guestRuns: [{ jit }] });
      expect(found, `${name} passed ${numRuns} programs`).not.toBeNull();
      console.log(`counterexample for ${name}:\n${found!.file}`);
      expect(statementLines(found!.source), found!.file).toBeLessThanOrEqual(12);
      const expected = observe(await server.run(found!.source, PROGRAM_FILE));
      expect(differenceWith(expected, found!.source, { jit })).not.toBeNull();
      const real = { jit: { options: parseJitOptions('threshold=1,bridge=1') } };
      expect(differenceBetween(expected, observeGuest(found!.source, PROGRAM_FILE, real))).toBeNull();
    }, Math.max(300_000, 300 * Number(process.env.FC_NUM_RUNS ?? 0)));
  }
});
