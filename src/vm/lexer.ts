/**
 * The guest language's tokenizer: Python source text to a flat array of tokens, following
 * CPython 3.11's tokenizer for the subset.
 *
 * Logical lines. A NEWLINE token ends each logical line; blank and comment-only lines make no
 * token. Inside () [] {} line breaks are ignored (implicit line joining), and a backslash at the
 * end of a line joins it to the next. Bracket nesting is a stack of openers (an array, not
 * recursion), bounded at 200 like CPython's ("too many nested parentheses"), so the parser's
 * recursion through parentheses is bounded too.
 *
 * Indentation. At the start of each logical line outside brackets the indentation is compared
 * with a stack of levels: deeper pushes one INDENT, shallower pops DEDENTs down to a level that
 * must exist ("unindent does not match any outer indentation level"). As in CPython, each level
 * is measured twice, with tabs to the next multiple of 8 and with a tab as one column; if the
 * two measures order lines differently the indentation is ambiguous ("inconsistent use of tabs
 * and spaces in indentation"). At most 100 levels ("too many levels of indentation"), so block
 * nesting, and any recursion over it, is bounded.
 *
 * Literals are converted here: ints (decimal, 0x, 0o, 0b, with single underscores between
 * digits) to `bigint`, floats to `number` (JavaScript's conversion is correctly rounded, as
 * CPython's), strings with their escapes decoded ('…', "…", '''…''', """…""", prefixes u and r;
 * b and f prefixes, imaginary literals and \N{…} escapes are located "not supported" errors).
 * Operators outside the subset (`& | ^ ~ << >> @ -> := { }`) are still tokens, so the parser can
 * name the construct they start. Every error is a located `SourceError`.
 *
 * Positions are 1-based lines and columns counted in UTF-16 code units; `\r\n` and `\r` end
 * lines like `\n`; a byte order mark opening the file is skipped.
 */
import { SourceError } from './errors.ts';

export type TokenKind = 'name' | 'int' | 'float' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text (for a string: the whole literal with its quotes and prefix). */
  readonly text: string;
  /** The literal's value for `int`, `float` and `string` tokens. */
  readonly value?: bigint | number | string;
  readonly line: number;
  readonly col: number;
  /** Where the token ends (just past its last character). */
  readonly endLine: number;
  readonly endCol: number;
}

/**
 * CPython's limits: nested brackets (tokenizer MAXLEVEL) and indentation levels (MAXINDENT,
 * counting the outermost level 0, so 99 nested blocks are the most).
 */
export const MAX_BRACKET_DEPTH = 200;
export const MAX_INDENT_LEVELS = 100;

/** Operators, longest first so that the first match is the longest. */
const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '->', ':=', '**', '//', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '+', '-', '*', '/', '%', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '@', '&', '|', '^', '~',
];
const OPENER_OF: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const DIGIT_PART = '[0-9](?:_?[0-9])*';
const DECIMAL = new RegExp(
  `(?:(?:${DIGIT_PART})?\\.${DIGIT_PART}|${DIGIT_PART}\\.?)(?:[eE][+-]?${DIGIT_PART})?`,
  'y',
);
const PREFIXED_INT: Record<string, { readonly digits: RegExp; readonly name: string; readonly any: RegExp }> = {
  x: { digits: /(?:_?[0-9a-fA-F])+/y, name: 'hexadecimal', any: /[0-9a-fA-F]/ },
  o: { digits: /(?:_?[0-7])+/y, name: 'octal', any: /[0-7]/ },
  b: { digits: /(?:_?[01])+/y, name: 'binary', any: /[01]/ },
};
const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const NAME_CHAR = /[\p{ID_Continue}]/u;
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

export function tokenize(input: string): Token[] {
  // Line ends are normalized first; this keeps every line and column where it was.
  const source = input.replace(/\r\n?/g, '\n');
  const tokens: Token[] = [];
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = pos;
  /** Open brackets, innermost last. */
  const brackets: { readonly char: string; readonly line: number; readonly col: number }[] = [];
  /** Indentation levels (tabs to 8, and tabs as 1), outermost first. */
  const indents: { readonly col8: number; readonly col1: number }[] = [{ col8: 0, col1: 0 }];
  let atLineStart = true;

  const colAt = (offset: number) => offset - lineStart + 1;
  const fail = (message: string, offset: number, atLine = line): never => {
    throw new SourceError(message, { line: atLine, col: offset - lineStart + 1 });
  };
  const push = (kind: TokenKind, text: string, start: number, value?: bigint | number | string) => {
    tokens.push({ kind, text, value, line, col: colAt(start), endLine: line, endCol: colAt(start + text.length) });
  };

  while (true) {
    if (atLineStart && brackets.length === 0) {
      atLineStart = false;
      if (!indentation()) break;
    }
    if (pos >= source.length) break;
    const c = source[pos]!;
    if (c === '\n') {
      // Inside brackets a line break joins lines: no NEWLINE, and no indentation to measure
      // (or the line after the closing bracket would be measured from mid-line).
      const joined = brackets.length > 0;
      if (!joined) push('newline', '\n', pos);
      newLine(pos + 1);
      if (!joined) atLineStart = true;
    } else if (c === ' ' || c === '\t' || c === '\f') {
      pos++;
    } else if (c === '#') {
      while (pos < source.length && source[pos] !== '\n') pos++;
    } else if (c === '\\') {
      if (source[pos + 1] !== '\n') fail('unexpected character after line continuation character', pos + 1);
      if (pos + 2 >= source.length) fail('unexpected end of file after line continuation character', pos + 1);
      newLine(pos + 2);
    } else if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(source[pos + 1] ?? ''))) {
      number();
    } else if (c === '"' || c === "'") {
      string(pos, '');
    } else {
      NAME.lastIndex = pos;
      const name = NAME.exec(source)?.[0];
      if (name !== undefined) {
        const quote = source[pos + name.length];
        if ((quote === '"' || quote === "'") && STRING_PREFIXES.has(name.toLowerCase())) {
          string(pos, name.toLowerCase());
        } else {
          push('name', name, pos);
          pos += name.length;
        }
      } else {
        operator();
      }
    }
  }
  // End of file: close the last logical line, then every open block.
  if (brackets.length > 0) {
    const open = brackets[brackets.length - 1]!;
    throw new SourceError(`'${open.char}' was never closed`, { line: open.line, col: open.col });
  }
  const last = tokens[tokens.length - 1];
  if (last !== undefined && last.kind !== 'newline' && last.kind !== 'dedent') push('newline', '', pos);
  for (let k = 1; k < indents.length; k++) push('dedent', '', pos);
  push('eof', '', pos);
  return tokens;

  function newLine(next: number) {
    pos = next;
    line++;
    lineStart = pos;
  }

  /**
   * Measures the indentation of the line at `pos`, skipping blank and comment-only lines;
   * emits INDENT or DEDENTs. Returns false at the end of the file.
   */
  function indentation(): boolean {
    while (true) {
      let col8 = 0;
      let col1 = 0;
      let p = pos;
      for (; p < source.length; p++) {
        const c = source[p];
        if (c === ' ') {
          col8++;
          col1++;
        } else if (c === '\t') {
          col8 = (Math.floor(col8 / 8) + 1) * 8;
          col1++;
        } else if (c === '\f') {
          col8 = 0;
          col1 = 0;
        } else break;
      }
      const c = source[p];
      if (p >= source.length) {
        pos = p;
        return false;
      }
      if (c === '#' || c === '\n') {
        // A blank or comment-only line: no token, no indentation change.
        while (p < source.length && source[p] !== '\n') p++;
        if (p >= source.length) {
          pos = p;
          return false;
        }
        newLine(p + 1);
        continue;
      }
      pos = p;
      const top = indents[indents.length - 1]!;
      if (col8 === top.col8) {
        if (col1 !== top.col1) fail('inconsistent use of tabs and spaces in indentation', p);
      } else if (col8 > top.col8) {
        if (col1 <= top.col1) fail('inconsistent use of tabs and spaces in indentation', p);
        if (indents.length >= MAX_INDENT_LEVELS) fail('too many levels of indentation', p);
        indents.push({ col8, col1 });
        push('indent', '', p);
      } else {
        while (indents.length > 1 && col8 < indents[indents.length - 1]!.col8) {
          indents.pop();
          push('dedent', '', p);
        }
        const level = indents[indents.length - 1]!;
        if (col8 !== level.col8) fail('unindent does not match any outer indentation level', p);
        if (col1 !== level.col1) fail('inconsistent use of tabs and spaces in indentation', p);
      }
      return true;
    }
  }

  function operator() {
    const op = OPERATORS.find((o) => source.startsWith(o, pos));
    if (op === undefined) {
      const code = source.codePointAt(pos)!;
      const shown = String.fromCodePoint(code);
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      fail(code < 0x20 || code === 0x7f ? `invalid non-printable character U+${hex}` : `invalid character '${shown}' (U+${hex})`, pos);
    }
    const o = op!;
    if (o === '(' || o === '[' || o === '{') {
      if (brackets.length >= MAX_BRACKET_DEPTH) fail('too many nested parentheses', pos);
      brackets.push({ char: o, line, col: colAt(pos) });
    } else if (o === ')' || o === ']' || o === '}') {
      const open = brackets.pop();
      if (open === undefined) fail(`unmatched '${o}'`, pos);
      if (open!.char !== OPENER_OF[o]) {
        const where = open!.line === line ? '' : ` on line ${open!.line}`;
        fail(`closing parenthesis '${o}' does not match opening parenthesis '${open!.char}'${where}`, pos);
      }
    }
    push('op', o, pos);
    pos += o.length;
  }

  function number() {
    const start = pos;
    const prefix = source[pos] === '0' ? (source[pos + 1] ?? '').toLowerCase() : '';
    const based = PREFIXED_INT[prefix];
    if (based !== undefined) {
      based.digits.lastIndex = pos + 2;
      const end = based.digits.test(source) ? based.digits.lastIndex : pos + 2;
      const next = source[end] ?? '';
      if (end === pos + 2 || next === '_' || /[0-9]/.test(next) || NAME_CHAR.test(next)) {
        if (/[0-9]/.test(next) && !based.any.test(next)) fail(`invalid digit '${next}' in ${based.name} literal`, end);
        fail(`invalid ${based.name} literal`, end);
      }
      const text = source.slice(start, end);
      push('int', text, start, BigInt(`0${prefix}${text.slice(2).replaceAll('_', '')}`));
      pos = end;
      return;
    }
    DECIMAL.lastIndex = pos;
    DECIMAL.test(source);
    const end = DECIMAL.lastIndex;
    const text = source.slice(start, end);
    const next = source[end] ?? '';
    if (next === 'j' || next === 'J') fail('imaginary literals are not supported', start);
    if (next === '_' || NAME_CHAR.test(next)) fail('invalid decimal literal', end);
    const digits = text.replaceAll('_', '');
    if (/[.eE]/.test(text)) {
      push('float', text, start, Number(digits));
    } else {
      if (/^0+[1-9]/.test(digits)) {
        fail('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', start);
      }
      push('int', text, start, BigInt(digits));
    }
    pos = end;
  }

  /** A string literal at `start` with the (lower-cased) `prefix` already recognized. */
  function string(start: number, prefix: string) {
    if (prefix.includes('b')) fail('bytes literals are not supported', start);
    if (prefix.includes('f')) fail('f-strings are not supported', start);
    const raw = prefix.includes('r');
    const startLine = line;
    const startCol = colAt(start);
    let p = start + prefix.length;
    const quote = source[p]!;
    const triple = source.startsWith(quote.repeat(3), p);
    p += triple ? 3 : 1;
    let value = '';
    const unterminated = (): never => {
      const kind = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
      throw new SourceError(`${kind} (detected at line ${line})`, { line: startLine, col: startCol });
    };
    while (true) {
      if (p >= source.length) unterminated();
      const c = source[p]!;
      if (c === quote && (!triple || source.startsWith(quote.repeat(3), p))) {
        p += triple ? 3 : 1;
        break;
      }
      if (c === '\n') {
        if (!triple) unterminated();
        value += '\n';
        newLine(p + 1);
        p = pos;
        continue;
      }
      if (c !== '\\') {
        value += c;
        p++;
        continue;
      }
      // A backslash.
      const e = source[p + 1];
      if (e === undefined) unterminated();
      if (e === '\n') {
        if (raw) value += '\\\n';
        newLine(p + 2);
        p = pos;
        continue;
      }
      if (raw) {
        value += `\\${e}`;
        p += 2;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e!];
      if (simple !== undefined) {
        value += simple;
        p += 2;
      } else if (e! >= '0' && e! <= '7') {
        let q = p + 1;
        while (q < p + 4 && source[q]! >= '0' && source[q]! <= '7') q++;
        value += String.fromCodePoint(parseInt(source.slice(p + 1, q), 8));
        p = q;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = source.slice(p + 2, p + 2 + width);
        const escape = `\\${e}${'X'.repeat(width)}`;
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) {
          fail(`(unicode error) 'unicodeescape' codec can't decode bytes: truncated ${escape} escape`, p);
        }
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) fail(`(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character`, p);
        value += String.fromCodePoint(code);
        p += 2 + width;
      } else if (e === 'N') {
        fail('\\N{…} escapes are not supported', p);
      } else {
        // An unknown escape keeps its backslash (CPython warns, and keeps it too).
        value += `\\${e}`;
        p += 2;
      }
    }
    const text = source.slice(start, p);
    tokens.push({
      kind: 'string',
      text,
      value,
      line: startLine,
      col: startCol,
      endLine: line,
      endCol: colAt(p),
    });
    pos = p;
  }
}

/** How a token reads in "found …" messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'newline':
      return 'end of line';
    case 'indent':
      return 'an indent';
    case 'dedent':
      return 'an unindent';
    case 'eof':
      return 'end of file';
    case 'string':
      return 'a string';
    default:
      return `'${token.text}'`;
  }
}
