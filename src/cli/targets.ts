/**
 * What `boxless fuzz --target T` checks: a transformation of the trace and the executor that runs
 * the result, compared with the reference interpreter running the input trace.
 */
import type { Trace } from '../ir/index.ts';
import { optimize } from '../optimizer/pipeline.ts';
import { runWasm } from '../wasm/index.ts';
import type { SideNames } from '../../spec/equivalence.ts';
import type { Executor } from '../../properties/differential.ts';

export interface FuzzTarget {
  readonly transform: (trace: Trace) => Trace;
  readonly executor?: Executor;
  readonly names: SideNames;
}

const identity = (trace: Trace) => trace;
const wasmExecutor: Executor = (trace, input, { fuel }) => runWasm(trace, input, { fuel });

export const FUZZ_TARGETS_BY_NAME: Readonly<Record<string, FuzzTarget>> = {
  optimize: { transform: (trace) => optimize(trace), names: { expected: 'the input trace', actual: 'the optimized trace' } },
  wasm: { transform: identity, executor: wasmExecutor, names: { expected: 'the reference', actual: 'wasm' } },
  'wasm-optimized': {
    transform: (trace) => optimize(trace),
    executor: wasmExecutor,
    names: { expected: 'the reference on the input trace', actual: 'wasm on the optimized trace' },
  },
};
