/**
 * Translation validation, the public face: `validateSymbolically(input, optimized)` proves an
 * optimized trace equal to its input for all inputs, or says why it cannot (validate.ts).
 *
 * The hook for the JIT: a debug mode of the tracing VM calls it on each trace it is about to
 * compile, and refuses (or reports) what is not `proved`. The verdict is symbolic only: turning
 * a `suspect` into a counterexample needs the reference interpreter, which src/ does not call;
 * `boxless validate` (src/cli/validate.ts) does that replay, with the SMT fallback.
 */
export { validateSymbolically, type SymbolicVerdict, type ValidateOptions } from './validate.ts';
export { SmtOracle, answerAll, type SmtAnswer, type SmtQuestion } from './smt.ts';
