/**
 * fast-check parameters from the environment, so a long campaign or the replay of a failure
 * needs no code change:
 *   FC_SEED=…  FC_PATH=…  FC_NUM_RUNS=…  npx vitest run properties/
 * `numRuns` is each property's default, scaled by FC_NUM_RUNS when that is set.
 */
import fc from 'fast-check';

export function fcParams<T>(defaultRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const env = process.env;
  const params: fc.Parameters<T> = { numRuns: defaultRuns, ...extra };
  if (env.FC_NUM_RUNS) params.numRuns = Number(env.FC_NUM_RUNS);
  if (env.FC_SEED) params.seed = Number(env.FC_SEED);
  if (env.FC_PATH) params.path = env.FC_PATH;
  return params;
}
