import type { Loc } from './trace.ts';

/**
 * An error about a trace that points at a place in it: syntax errors from the parser,
 * invariant violations from the validator. `src/text` turns it into `file:line:col` plus a
 * caret excerpt; nothing else should ever reach a user from bad input.
 */
export class TraceError extends Error {
  readonly loc: Loc | undefined;
  readonly what: 'syntax' | 'validation';
  constructor(what: 'syntax' | 'validation', message: string, loc?: Loc) {
    super(message);
    this.name = 'TraceError';
    this.what = what;
    this.loc = loc;
  }
}
