// The trace text format. Read in this order: lexer.ts, parser.ts, printer.ts, errors.ts.
export { parseTrace } from './parser.ts';
export {
  type OpContext,
  printArg,
  printExit,
  printExitValue,
  printFloat,
  printHeapValue,
  printOp,
  printTrace,
} from './printer.ts';
export { formatTraceError } from './errors.ts';
