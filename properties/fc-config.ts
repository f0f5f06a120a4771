/**
 * fast-check parameters from the environment, so a long campaign or the replay of a failure
 * needs no code change:
 *   FC_SEED=…  FC_PATH=…  FC_NUM_RUNS=…  npx vitest run properties/
 * FC_NUM_RUNS replaces each property's default run count; FC_SEED and FC_PATH replay one failure.
 * A value that is not a number is an error, not a silent run of zero traces.
 *
 * Two kinds of clients:
 *  - a property (`fcParams`): the environment wins over the property's defaults;
 *  - a check that a deliberately broken variant IS caught (`fcParamsForBrokenVariant`): it
 *    promises a catch within its default run count, so FC_NUM_RUNS can raise that count but not
 *    lower it, FC_SEED still varies the traces, and FC_PATH (a path of some other property's
 *    failure) is ignored.
 *
 * Under a mutation run (Stryker sets STRYKER_MUTATOR_WORKER in its test-runner processes) a
 * property without FC_SEED runs on MUTATION_RUN_SEED: the dry run's per-test coverage and every
 * mutant's verdict then come from the same traces, so a rerun gives the same score. A property
 * that fixes its own seed (a measured share held to a bound on that seed) keeps it: the mutation
 * seed replaces only fast-check's random one.
 */
import fc from 'fast-check';

interface Environment {
  readonly numRuns?: number;
  /** FC_SEED: wins over every other seed. */
  readonly seed?: number;
  /** Under a mutation run: the seed of a property that fixes none. */
  readonly mutationSeed?: number;
  readonly path?: string;
}

function integerVariable(name: string, min: number): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name}=${text}: expected an integer of at least ${min}`);
  }
  return value;
}

/** The seed every property runs on under Stryker when FC_SEED is not set. */
export const MUTATION_RUN_SEED = 0x5eed;

function environment(): Environment {
  const path = process.env.FC_PATH;
  if (path !== undefined && path !== '' && !/^[0-9]+(:[0-9]+)*$/.test(path)) {
    throw new Error(`FC_PATH=${path}: expected a fast-check path such as 212:5:1`);
  }
  const underMutation = (process.env.STRYKER_MUTATOR_WORKER ?? '') !== '';
  return {
    numRuns: integerVariable('FC_NUM_RUNS', 1),
    seed: integerVariable('FC_SEED', -(2 ** 31)),
    mutationSeed: underMutation ? MUTATION_RUN_SEED : undefined,
    path: path === '' ? undefined : path,
  };
}

/**
 * Whether a property runs its own seed and count (neither FC_SEED nor FC_NUM_RUNS set): a share
 * measured at that seed (the validator's proved share) is asserted at its measured bound only then.
 */
export function ownSeedAndRuns(): boolean {
  const env = environment();
  return env.seed === undefined && env.numRuns === undefined;
}

export function fcParams<T>(defaultRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const env = environment();
  const params: fc.Parameters<T> = { numRuns: defaultRuns, ...extra };
  if (env.numRuns !== undefined) params.numRuns = env.numRuns;
  const seed = env.seed ?? params.seed ?? env.mutationSeed;
  if (seed !== undefined) params.seed = seed;
  if (env.path !== undefined) params.path = env.path;
  return params;
}

export function fcParamsForBrokenVariant<T>(defaultRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const env = environment();
  const params: fc.Parameters<T> = { ...extra, numRuns: Math.max(defaultRuns, env.numRuns ?? 0) };
  const seed = env.seed ?? params.seed ?? env.mutationSeed;
  if (seed !== undefined) params.seed = seed;
  return params;
}
