/**
 * What `boxless fuzz --target T` checks: a transformation of the trace and the executor that runs
 * the result, compared with the reference interpreter running the input trace.
 */
import type { Trace } from '../ir/index.ts';
import type { SideNames } from '../../spec/equivalence.ts';
import type { Executor } from '../../properties/differential.ts';

export interface FuzzTarget {
  readonly transform: (trace: Trace) => Trace;
  readonly executor?: Executor;
  readonly names: SideNames;
}

export const FUZZ_TARGETS_BY_NAME: Readonly<Record<string, FuzzTarget>> = {};
