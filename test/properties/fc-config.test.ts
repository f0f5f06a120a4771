// The environment's say over fast-check's parameters, and the fixed seed of a mutation run:
// under Stryker (STRYKER_MUTATOR_WORKER set) every property draws the same traces in the dry run
// and in each mutant's run, unless FC_SEED says otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import { fcParams, fcParamsForBrokenVariant, MUTATION_RUN_SEED, ownSeedAndRuns } from '../../properties/fc-config.ts';

const NAMES = ['STRYKER_MUTATOR_WORKER', 'FC_SEED', 'FC_NUM_RUNS', 'FC_PATH'] as const;
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));

function setEnvironment(values: Partial<Record<(typeof NAMES)[number], string>>): void {
  for (const name of NAMES) {
    const value = values[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('fast-check parameters from the environment', () => {
  it('outside a mutation run, no seed unless FC_SEED gives one', () => {
    setEnvironment({});
    expect(fcParams(40)).toEqual({ numRuns: 40 });
    expect(fcParamsForBrokenVariant(40)).toEqual({ numRuns: 40 });
  });

  it('under Stryker, the fixed seed for properties and for broken-variant checks', () => {
    setEnvironment({ STRYKER_MUTATOR_WORKER: '0' });
    expect(fcParams(40)).toEqual({ numRuns: 40, seed: MUTATION_RUN_SEED });
    expect(fcParamsForBrokenVariant(40)).toEqual({ numRuns: 40, seed: MUTATION_RUN_SEED });
  });

  it('a property runs its own seed and count unless FC_SEED or FC_NUM_RUNS is set (Stryker and FC_PATH do not change that)', () => {
    setEnvironment({ STRYKER_MUTATOR_WORKER: '0', FC_PATH: '3:1' });
    expect(ownSeedAndRuns()).toBe(true);
    setEnvironment({ FC_SEED: '5' });
    expect(ownSeedAndRuns()).toBe(false);
    setEnvironment({ FC_NUM_RUNS: '5' });
    expect(ownSeedAndRuns()).toBe(false);
  });

  it('under Stryker, FC_SEED still wins', () => {
    setEnvironment({ STRYKER_MUTATOR_WORKER: '1', FC_SEED: '-7', FC_NUM_RUNS: '3' });
    expect(fcParams(40)).toEqual({ numRuns: 3, seed: -7 });
    expect(fcParamsForBrokenVariant(40)).toEqual({ numRuns: 40, seed: -7 });
  });

  it("under Stryker, a property's own seed is kept (FC_SEED still wins over it)", () => {
    setEnvironment({ STRYKER_MUTATOR_WORKER: '0' });
    expect(fcParams(40, { seed: 99 })).toEqual({ numRuns: 40, seed: 99 });
    expect(fcParamsForBrokenVariant(40, { seed: 99 })).toEqual({ numRuns: 40, seed: 99 });
    setEnvironment({ STRYKER_MUTATOR_WORKER: '0', FC_SEED: '5' });
    expect(fcParams(40, { seed: 99 })).toEqual({ numRuns: 40, seed: 5 });
  });

  it('an empty STRYKER_MUTATOR_WORKER is no mutation run', () => {
    setEnvironment({ STRYKER_MUTATOR_WORKER: '' });
    expect(fcParams(5)).toEqual({ numRuns: 5 });
  });
});
