/**
 * Deliberately wrong guest parsers, each one mistake away from the real one, for showing that
 * the parser property (properties/guest-parser.prop.test.ts) catches both directions of
 * disagreement with CPython.
 */
import type { Module } from '../../src/vm/ast.ts';
import { SourceError } from '../../src/vm/errors.ts';
import { parseModule } from '../../src/vm/parser.ts';

/** Accepts too much: a misplaced `break`, `continue` or `return` goes through as an empty module. */
export function FORGETS_PLACEMENT(source: string): Module {
  try {
    return parseModule(source);
  } catch (e) {
    if (e instanceof SourceError && /outside loop|not properly in loop|outside function/.test(e.message)) {
      return { kind: 'Module', body: [] };
    }
    throw e;
  }
}

/** Rejects too much: any program with `**` is a syntax error. */
export function REJECTS_POWER(source: string): Module {
  const at = source.indexOf('**');
  if (at >= 0) throw new SourceError("expected an operand, found '**'", { line: 1, col: 1 });
  return parseModule(source);
}
