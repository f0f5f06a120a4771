/**
 * The lexer of the trace text format: source text to a flat array of tokens.
 *
 * Newlines matter: they end items (a class, the inputs, an op, an input set). The lexer decides
 * which newlines end an item so the parser never has to: it emits one `newline` token per run of
 * line breaks, except inside () [] {} (tracked by a depth counter, not by recursion, so deep
 * nesting costs nothing) and right after `,` or `with`, where a line simply goes on.
 *
 * Literals are classified here but converted by the parser, which knows what it expects:
 *   int     -?[0-9]+
 *   float   -?[0-9]+.[0-9]+ ([eE][+-]?[0-9]+)? | -?[0-9]+[eE][+-]?[0-9]+ | -inf
 *           (`nan` and `inf` are names; the parser reads them as floats where a value goes)
 *   virtual $[0-9]+        object  @NAME        name  [A-Za-z_][A-Za-z0-9_]*
 * A UTF-8 byte order mark opening the text is skipped. Every token records where it starts and
 * ends, so the parser can point just past the last token of a line at what is missing there.
 * Every error is a located `TraceError`; nothing else is ever thrown.
 */
import { TraceError, type Loc } from '../ir/index.ts';

export type TokenKind =
  | 'name'
  | 'int'
  | 'float'
  | 'virtual'
  | 'object'
  | 'punct'
  | 'newline'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for `virtual` and `object`: without the `$` or `@`). */
  readonly text: string;
  readonly loc: Loc;
  /** The column just after the token (a token never spans lines). */
  readonly endCol: number;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '=', '.']);
const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

// Sticky patterns for runs of characters: `lastIndex` is where a run starts, and where it ends after.
const DIGITS = /[0-9]+/y;
const NAME_CHARS = /[A-Za-z0-9_]+/y;
const REST_OF_LINE = /[^\n]+/y;

const isDigit = (c: string) => c >= '0' && c <= '9';
const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string) => isNameStart(c) || isDigit(c);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // A UTF-8 byte order mark (U+FEFF) at the very start is not part of the text. Columns on the
  // first line are counted after it, as editors count them.
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = pos;
  let depth = 0;

  const locAt = (offset: number): Loc => ({ line, col: offset - lineStart + 1 });
  const fail = (message: string, offset: number): never => {
    throw new TraceError('syntax', message, locAt(offset));
  };
  const push = (kind: TokenKind, text: string, start: number, end = start + text.length) =>
    tokens.push({ kind, text, loc: locAt(start), endCol: end - lineStart + 1 });
  const scanWhile = (from: number, pattern: RegExp) => {
    pattern.lastIndex = from;
    return pattern.test(source) ? pattern.lastIndex : from;
  };
  /** Does a line break here end an item? */
  const newlineEndsItem = () => {
    if (depth > 0 || tokens.length === 0) return false;
    const prev = tokens[tokens.length - 1]!;
    if (prev.kind === 'newline') return false;
    return !(prev.kind === 'punct' && prev.text === ',') && !(prev.kind === 'name' && prev.text === 'with');
  };

  while (pos < source.length) {
    const c = source[pos]!;
    if (c === '\n') {
      if (newlineEndsItem()) push('newline', '\n', pos);
      pos++;
      line++;
      lineStart = pos;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      pos++;
    } else if (c === '#') {
      pos = scanWhile(pos, REST_OF_LINE);
    } else if (isDigit(c) || (c === '-' && isDigit(source[pos + 1] ?? ''))) {
      pos = scanNumber(pos);
    } else if (c === '-' && source.startsWith('inf', pos + 1) && !isNameChar(source[pos + 4] ?? '')) {
      push('float', '-inf', pos);
      pos += 4;
    } else if (isNameStart(c)) {
      const end = scanWhile(pos, NAME_CHARS);
      push('name', source.slice(pos, end), pos);
      pos = end;
    } else if (c === '$') {
      const end = scanWhile(pos + 1, DIGITS);
      if (end === pos + 1) fail("expected the number of a virtual after '$' (as in $0)", pos + 1);
      if (isNameChar(source[end] ?? '')) fail(`malformed virtual '${source.slice(pos, scanWhile(end, NAME_CHARS))}'`, pos);
      push('virtual', source.slice(pos + 1, end), pos, end);
      pos = end;
    } else if (c === '@') {
      if (!isNameStart(source[pos + 1] ?? '')) fail("expected an object name after '@' (as in @y)", pos + 1);
      const end = scanWhile(pos + 1, NAME_CHARS);
      push('object', source.slice(pos + 1, end), pos, end);
      pos = end;
    } else if (PUNCTUATION.has(c)) {
      if (OPENERS.has(c)) depth++;
      else if (CLOSERS.has(c) && depth > 0) depth--;
      push('punct', c, pos);
      pos++;
    } else {
      const shown = c === '-' ? "'-' (a minus sign must start a number or -inf)" : describeChar(source, pos);
      fail(`unexpected character ${shown}`, pos);
    }
  }
  if (newlineEndsItem()) push('newline', '\n', pos);
  push('eof', '', pos);
  return tokens;

  /** Scans an int or float literal starting at `start`; returns the offset after it. */
  function scanNumber(start: number): number {
    let end = scanWhile(source[start] === '-' ? start + 1 : start, DIGITS);
    let isFloat = false;
    if (source[end] === '.' && isDigit(source[end + 1] ?? '')) {
      end = scanWhile(end + 1, DIGITS);
      isFloat = true;
    } else if (source[end] === '.') {
      fail(`expected digits after the '.' of ${source.slice(start, end + 1)} (as in 1.0)`, end + 1);
    }
    if (source[end] === 'e' || source[end] === 'E') {
      const sign = source[end + 1] === '+' || source[end + 1] === '-' ? 1 : 0;
      const digitsEnd = scanWhile(end + 1 + sign, DIGITS);
      if (digitsEnd === end + 1 + sign) fail(`expected the digits of an exponent in ${source.slice(start, end + 1 + sign)}`, end + 1 + sign);
      end = digitsEnd;
      isFloat = true;
    }
    if (isNameChar(source[end] ?? '')) {
      fail(`malformed number '${source.slice(start, scanWhile(end, NAME_CHARS))}'`, start);
    }
    push(isFloat ? 'float' : 'int', source.slice(start, end), start);
    return end;
  }
}

/** A character for a message: printable ones quoted, others by code point. */
function describeChar(source: string, pos: number): string {
  const code = source.codePointAt(pos)!;
  if (code >= 0x21 && code <= 0x7e) return `'${source[pos]}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** How a token reads in "found …" messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'newline':
      return 'end of line';
    case 'eof':
      return 'end of file';
    case 'virtual':
      return `'$${token.text}'`;
    case 'object':
      return `'@${token.text}'`;
    default:
      return `'${token.text}'`;
  }
}
