/**
 * The package `boxless`: the library a researcher imports. One entry point for each layer's
 * public functions, in the reading order of docs/design.md; `boxless/testing`
 * (properties/testing.ts) holds the generators, the differential search, the reducer and the
 * pass contract.
 *
 *   import { parse, optimize, runReference, equivalent } from 'boxless';
 *
 * Everything here is compiled to JavaScript with its types (`npm run build`, dist/), so neither
 * a user nor the `boxless` command needs TypeScript at run time.
 */

// The IR: the op table, the trace and its helpers, validation, editing (immer), outcomes.
export * from './ir/index.ts';
// The text format.
export { parseTrace, parseTrace as parse, printTrace, printTrace as print, printOp, formatTraceError } from './text/index.ts';
// The optimizer: the pipeline, the passes by name and as functions, loops, bridges, explanations.
export {
  BrokenInvariantError,
  DEFAULT_PIPELINE,
  MAX_ROUNDS,
  optimize,
  type OptimizeOptions,
  type Pass,
  passName,
  PASSES,
  type PassSpec,
} from './optimizer/pipeline.ts';
export { virtualize } from './optimizer/virtualize.ts';
export { peel } from './optimizer/peel.ts';
export { heapcache } from './optimizer/heapcache.ts';
export { fold } from './optimizer/fold.ts';
export { dce } from './optimizer/dce.ts';
export { optimizeLoop, type LoopResult } from './optimizer/loop-result.ts';
export { optimizeBridge, type ExitState } from './optimizer/bridge.ts';
export { explainOptimization, type ExplainReport } from './optimizer/explain.ts';
// The reference semantics (the oracle) and observable equivalence.
export { runReference, type ReferenceOptions } from '../spec/interpreter.ts';
export { compareOutcomes, type Comparison, equivalent, type SideNames } from '../spec/equivalence.ts';
export { formatOutcome } from '../spec/format.ts';
// The WebAssembly backend.
export { compileTrace, type CompiledTrace, runCompiled, runWasm, traceToWat } from './wasm/index.ts';
// Translation validation (z3 is loaded only when a question needs it).
export { validateSymbolically, type SymbolicVerdict } from './validate/index.ts';
// The guest-language VM: run a Python program of the subset, interpreted or with the tracing JIT.
export { runPython, type RunOptions as PythonRunOptions, type RunResult as PythonRunResult } from './vm/run.ts';
export { DEFAULT_JIT_OPTIONS, type JitOptions, parseJitOptions } from './vm/jit/options.ts';
export type { JitRunOptions } from './vm/jit/jit.ts';
