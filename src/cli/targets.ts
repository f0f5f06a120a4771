/**
 * What `boxless fuzz --target T` checks: a transformation of the trace and the executor that runs
 * the result, compared with the reference interpreter running the input trace. The names are in
 * fuzz-targets.ts; this table must have one entry for each (but `reference`), which tsc checks.
 */
import type { Trace } from '../ir/index.ts';
import { optimize, type PassSpec } from '../optimizer/pipeline.ts';
import { runWasm } from '../wasm/index.ts';
import type { SideNames } from '../../spec/equivalence.ts';
import type { Executor } from '../../properties/differential.ts';
import type { FuzzTargetName } from './fuzz-targets.ts';

export interface FuzzTarget {
  /** The transformation, optimizing with `passes` (undefined: the default pipeline) where it optimizes. */
  readonly transform: (passes: readonly PassSpec[] | undefined) => (trace: Trace) => Trace;
  readonly executor?: Executor;
  readonly names: SideNames;
  /** How `boxless check` (or run) shows the difference again on the counterexample file. */
  readonly recheck: (file: string, passes: string | undefined) => string;
}

const identity = () => (trace: Trace) => trace;
const optimizing = (passes: readonly PassSpec[] | undefined) => (trace: Trace) => optimize(trace, passes);
const wasmExecutor: Executor = (trace, input, { fuel }) => runWasm(trace, input, { fuel });
const passesFlag = (passes: string | undefined) => (passes !== undefined ? ` --passes ${passes}` : '');

export const FUZZ_TARGETS_BY_NAME: Readonly<Record<Exclude<FuzzTargetName, 'reference'>, FuzzTarget>> = {
  optimize: {
    transform: optimizing,
    names: { expected: 'the input trace', actual: 'the optimized trace' },
    recheck: (file, passes) => `boxless check ${file}${passesFlag(passes)}`,
  },
  wasm: {
    transform: identity,
    executor: wasmExecutor,
    names: { expected: 'the reference', actual: 'wasm' },
    recheck: (file) => `boxless run ${file} and boxless run ${file} --wasm`,
  },
  'wasm-optimized': {
    transform: optimizing,
    executor: wasmExecutor,
    names: { expected: 'the reference on the input trace', actual: 'wasm on the optimized trace' },
    recheck: (file, passes) => `boxless check ${file} --wasm${passesFlag(passes)}`,
  },
};
