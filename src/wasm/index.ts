// The WebAssembly backend. Reading order: layout.ts (memory and cells), instructions.ts and
// encoder.ts (bytes), module-shape.ts (what every module holds), emit.ts and rules.ts (trace to
// code), compile.ts (to an instance), host.ts (running it: inputs, escape, exits, outcome),
// wat.ts (the text dump).
import type { InputSet, Outcome, Trace } from '../ir/index.ts';
import { compileTrace } from './compile.ts';
import { type RunOptions, runCompiled } from './host.ts';

export { type CompiledTrace, compileTrace } from './compile.ts';
export { type EmitOptions, type ExitPoint, type OpRule, type OpRules, EmitContext, EXIT_BACK_EDGE, EXIT_HEAP_FULL } from './emit.ts';
export { BACK_EDGES_PER_CALL, DEFAULT_FUEL, DEFAULT_HEAP_LIMIT, type RunOptions, runCompiled } from './host.ts';
export { OP_RULES } from './rules.ts';
export { traceToWat } from './wat.ts';

/** Compiles `trace` and runs it once on `input`. */
export function runWasm(trace: Trace, input: InputSet, options?: RunOptions): Outcome {
  return runCompiled(compileTrace(trace), input, options);
}
