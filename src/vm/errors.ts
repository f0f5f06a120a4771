/**
 * The two ways the guest language fails, kept apart because they end a program differently.
 *
 *  - `SourceError`: the program text is wrong (a syntax error, a construct outside the subset,
 *    `break` outside a loop). It carries a `file:line:col` location and is printed by the
 *    project's one located-error formatter (`formatTraceError` in src/text/errors.ts: the line,
 *    then the source line with a caret); the CLI exits with status 2.
 *  - `GuestException`: a Python exception raised by an operation (ZeroDivisionError, ValueError,
 *    …) with CPython's exact message. The pure semantics (`numeric.ts`, `format.ts`) throw it;
 *    the interpreter turns it into a guest exception object that `try/except` can catch, and an
 *    uncaught one prints CPython's last traceback line (`ZeroDivisionError: division by zero`)
 *    and exits with status 1.
 */
import type { Pos } from './ast.ts';

/** A located error in the guest program's text. `message` is without the location. */
export class SourceError extends Error {
  readonly loc: Pos;
  constructor(message: string, loc: Pos) {
    super(message);
    this.name = 'SourceError';
    this.loc = { line: loc.line, col: loc.col };
  }
}

/**
 * The built-in exception classes a pure operation may raise. The interpreter owns the class
 * hierarchy (and may know more classes); these are the names it must recognize here.
 */
export type BuiltinExceptionName =
  | 'ZeroDivisionError'
  | 'OverflowError'
  | 'ValueError'
  | 'TypeError'
  | 'IndexError'
  | 'AttributeError'
  | 'NameError'
  | 'UnboundLocalError'
  | 'NotImplementedError'
  | 'RecursionError'
  | 'MemoryError'
  | 'ModuleNotFoundError'
  | 'Exception';

/** A Python exception raised by a built-in operation, with CPython 3.11's message text. */
export class GuestException extends Error {
  readonly type: BuiltinExceptionName;
  constructor(type: BuiltinExceptionName, message: string) {
    super(message);
    this.name = 'GuestException';
    this.type = type;
  }
  /** CPython's last traceback line for this exception: `Type: message`, or `Type` alone. */
  get lastLine(): string {
    return this.message === '' ? this.type : `${this.type}: ${this.message}`;
  }
}

/** Throw a guest exception (an expression, so `?? raise(…)` reads naturally). */
export function raise(type: BuiltinExceptionName, message: string): never {
  throw new GuestException(type, message);
}
