/**
 * The package `boxless/testing`: what a researcher needs to hold a pass of their own to the
 * contract boxless's passes keep, and to run campaigns of their own.
 *
 *   import { checkPass } from 'boxless/testing';
 *   checkPass(myPass, { idempotent: true });   // throws a reduced counterexample as a trace file
 *
 * The arbitraries (random traces with input sets, input heaps), the differential search against
 * the reference interpreter, the reducer, and the fast-check parameters read from FC_SEED,
 * FC_NUM_RUNS and FC_PATH.
 */
export { arbTraceCase, classifyLifetimes, genLargeTrace, type LifetimeCensus, type TraceArbOptions } from './arbitraries/trace.ts';
export { arbInputSet, sampleInputSets } from './arbitraries/input-heaps.ts';
export {
  assertEquivalentUnder,
  assertTraces,
  type Counterexample,
  CounterexampleError,
  differenceUnder,
  type DifferentialOptions,
  type Executor,
  explicit,
  findCounterexample,
  formatCounterexample,
  type Search,
  search,
  searchTraces,
  searchTracesAsync,
  type TraceCheck,
  type TraceSearchOptions,
} from './differential.ts';
export { REDUCE_BUDGET, reduceTrace } from './reduce.ts';
export { fcParams, fcParamsForBrokenVariant } from './fc-config.ts';
export { checkPass, type PassContractOptions, passContractViolation, searchPassContract } from './pass-contract.ts';
