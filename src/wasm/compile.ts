/**
 * compileTrace: a trace to a callable wasm instance. Emit `run` (emit.ts, one pass), put it in
 * a module with the helpers (module-shape.ts), encode (encoder.ts), let the engine compile it
 * synchronously, instantiate it against the shared memory. `compileMs` measures all of it.
 */
import type { Trace } from '../ir/index.ts';
import { cosCorrectlyRounded, powTotal, sinCorrectlyRounded } from '../ir/libm.ts';
import { type FuncBody, encodeModule } from './encoder.ts';
import { type EmitOptions, type TraceCode, emitRun, type OpRules } from './emit.ts';
import { sharedMemory, wasmApi } from './engine.ts';
import { BinarySink } from './instructions.ts';
import { FUNC, HELPERS, IMPORTS, TYPE, TYPES } from './module-shape.ts';
import { OP_RULES } from './rules.ts';

/** `run(entry, fuel, hp, limit)`: see module-shape.ts. */
export type RunFunction = (entry: number, fuel: number, hp: number, limit: number) => number;

/** The host side of the imported `escape`: set by the run in progress. */
export interface EscapePort {
  handler: ((site: number, hp: number) => void) | null;
}

export interface CompiledTrace {
  readonly trace: Trace;
  readonly code: TraceCode;
  readonly bytes: Uint8Array;
  /** Milliseconds from trace to callable instance (emit, encode, engine compile, instantiate). */
  readonly compileMs: number;
  readonly run: RunFunction;
  readonly escapePort: EscapePort;
}

export function compileTrace(trace: Trace, rules: OpRules = OP_RULES, options: EmitOptions = {}): CompiledTrace {
  const start = performance.now();
  const sink = new BinarySink();
  const code = emitRun(trace, rules, sink, options);
  const functions: FuncBody[] = [{ type: TYPE.run, locals: code.locals.map((l) => l.type), code: sink.out }];
  for (const name of code.helpers) {
    const helper = HELPERS[name];
    const helperSink = new BinarySink();
    helper.emit(helperSink);
    functions.push({ type: helper.type, locals: helper.locals.map((l) => l.type), code: helperSink.out });
  }
  const bytes = encodeModule({ types: TYPES, imports: IMPORTS, functions, exports: [{ name: 'run', func: FUNC.run }] });
  const escapePort: EscapePort = { handler: null };
  const module = new wasmApi.Module(bytes);
  const instance = new wasmApi.Instance(module, {
    env: {
      memory: sharedMemory(),
      escape: (site: number, hp: number) => escapePort.handler!(site, hp),
      float_pow: powTotal,
      float_sin: sinCorrectlyRounded,
      float_cos: cosCorrectlyRounded,
    },
  });
  const run = instance.exports.run as RunFunction;
  return { trace, code, bytes, compileMs: performance.now() - start, run, escapePort };
}
