/**
 * The text of values, exactly as CPython 3.11 prints them, and the parsing of numbers from
 * text (`int(s)`, `float(s)`): pure functions on unboxed values, no heap.
 *
 *  - `reprFloat`: CPython's `repr(float)` (= `str(float)`): the shortest digit string that
 *    reads back to the same double (JavaScript's `toExponential()` with no argument produces
 *    exactly those digits, the same ones as David Gay's mode 0 that CPython uses), written in
 *    positional form when the decimal exponent is in [-4, 16), else as `d.ddde±XX` with at least
 *    two exponent digits; `.0` is added to integral positional values; `inf`, `-inf`, `nan`,
 *    `-0.0`.
 *  - `strInt`: decimal digits of any int, and CPython 3.11's limit on conversions of more than
 *    4300 digits (ValueError, its exact message; `int(s)` has the same limit).
 *  - `reprStr`: CPython's quote choice (single quotes unless the text has a single quote and no
 *    double quote) and escapes (`\\`, the quote, `\t \n \r`, `\xHH` for other controls and
 *    non-printable Latin-1, `\uHHHH`/`\UHHHHHHHH` beyond). "Printable" is CPython 3.11's
 *    `str.isprintable()`, from its own Unicode 14 tables (unicode.ts), not JavaScript's.
 *  - `reprList`, `reprTuple`: the brackets and separators around already-formatted items.
 *  - `intFromString`, `floatFromString`: what `int(s)` and `float(s)` accept (surrounding
 *    Python whitespace, a sign, single underscores between digits, any Unicode decimal digits;
 *    for floats also `inf`, `infinity`, `nan` in any case), with CPython's ValueError messages.
 */
import { raise } from './errors.ts';
import { isPrintable } from './unicode.ts';

/** CPython 3.11's default limit on int/str conversions (sys.get_int_max_str_digits()). */
export const INT_MAX_STR_DIGITS = 4300;

export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // "d.ddde±N": the shortest round-trip digits and the decimal exponent.
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intDigits = exponent + 1;
  if (digits.length <= intDigits) return `${sign}${digits}${'0'.repeat(intDigits - digits.length)}.0`;
  return `${sign}${digits.slice(0, intDigits)}.${digits.slice(intDigits)}`;
}

export function strInt(a: bigint): string {
  const text = a.toString();
  const digits = a < 0n ? text.length - 1 : text.length;
  if (digits > INT_MAX_STR_DIGITS) {
    raise(
      'ValueError',
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  return text;
}


export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f) out += ch;
    else if (!isPrintable(code)) {
      out += code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** `repr` of a list whose items are already formatted (`[1, 'a']`). */
export function reprList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/** `repr` of a tuple whose items are already formatted (`()`, `(1,)`, `(1, 2)`). */
export function reprTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

// What int() and float() strip: C's ASCII whitespace and the non-ASCII characters of Python's
// str.isspace() (the ASCII information separators \x1c-\x1f are not stripped, though
// isspace() says they are spaces; JavaScript's \s would also take U+FEFF, which is not).
const PY_SPACE = '\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * ASCII digits for any Unicode decimal digits in `s` (Python's int() and float() accept them).
 * A digit's value is its distance from the start of its run of ten: Unicode assigns decimal
 * digits in contiguous runs 0-9.
 */
function asciiDigits(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7f && DECIMAL_DIGIT.test(ch)) {
      let start = code;
      while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
      out += String((code - start) % 10);
    } else out += ch;
  }
  return out;
}

const INT_TEXT = /^[+-]?[0-9](?:_?[0-9])*$/;

export function intFromString(s: string): bigint {
  const text = asciiDigits(s.replace(STRIP, ''));
  // CPython formats the text with %.200R: its repr, cut to 200 characters.
  if (!INT_TEXT.test(text)) raise('ValueError', `invalid literal for int() with base 10: ${[...reprStr(s)].slice(0, 200).join('')}`);
  const digits = text.replace(/[+_-]/g, '');
  if (digits.length > INT_MAX_STR_DIGITS) {
    raise(
      'ValueError',
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  return BigInt(text.replaceAll('_', ''));
}

const DIGIT_PART = '[0-9](?:_?[0-9])*';
const FLOAT_TEXT = new RegExp(
  `^[+-]?(?:(?:${DIGIT_PART})?\\.${DIGIT_PART}|${DIGIT_PART}\\.?)(?:[eE][+-]?${DIGIT_PART})?$`,
);
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

export function floatFromString(s: string): number {
  const text = asciiDigits(s.replace(STRIP, ''));
  const special = FLOAT_SPECIAL.exec(text);
  if (special) {
    const value = special[2]!.toLowerCase() === 'nan' ? NaN : Infinity;
    return special[1] === '-' ? -value : value;
  }
  if (!FLOAT_TEXT.test(text)) raise('ValueError', `could not convert string to float: ${reprStr(s)}`);
  // JavaScript's string-to-number conversion is correctly rounded, as CPython's.
  return Number(text.replaceAll('_', ''));
}
