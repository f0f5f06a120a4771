// The IR: data only. Read in this order: ops.ts (the op table), trace.ts (the trace), validate.ts.
export * from './ops.ts';
export * from './trace.ts';
export * from './errors.ts';
export { validate } from './validate.ts';
export * from './outcome.ts';
export { alphaEquivalent, type AlphaResult } from './alpha.ts';
export { asDraft, editTrace, FREEZE_TRACES, type TraceDraft } from './edit.ts';
