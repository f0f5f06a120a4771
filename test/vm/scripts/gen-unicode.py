"""Regenerates src/vm/unicode.ts: the character classes the guest language takes from CPython
3.11 (Unicode 14) rather than from JavaScript's \\p{...} classes, whose Unicode version is
Node's own and newer:

    python3 test/vm/scripts/gen-unicode.py > src/vm/unicode.ts
"""
import sys
import unicodedata

assert sys.version_info[:2] == (3, 11), 'run with CPython 3.11'


def ranges(predicate):
    out = []
    start = None
    for c in range(0x110000):
        if predicate(c):
            if start is None:
                start = c
        elif start is not None:
            out.append((start, c - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


def table(name, doc, rs):
    print('/** %s */' % doc)
    print('const %s: readonly number[] = [' % name)
    flat = [v for r in rs for v in r]
    for k in range(0, len(flat), 12):
        print('  ' + ', '.join('0x%x' % v for v in flat[k:k + 12]) + ',')
    print('];')
    print('')


print('/**')
print(' * Character classes of CPython 3.11 (Unicode %s), so the guest language agrees with it on' % unicodedata.unidata_version)
print(" * characters that JavaScript's newer Unicode tables (Node's) classify differently.")
print(' * Generated: do not edit; regenerate with')
print(' *   python3 test/vm/scripts/gen-unicode.py > src/vm/unicode.ts')
print(' * (test/vm/semantics.test.ts checks that the file is what the script prints).')
print(' */')
print('')
table('UNPRINTABLE', "Code points `str.isprintable()` rejects (Unicode's Other and Separator categories but the space), which repr escapes: first0, last0, first1, last1, ... inclusive.",
      ranges(lambda c: not chr(c).isprintable()))
table('IDENTIFIER_START', 'Code points that may start an identifier (XID_Start and the underscore).',
      ranges(lambda c: chr(c).isidentifier()))
table('IDENTIFIER_CONTINUE', 'Code points that may continue an identifier (XID_Continue).',
      ranges(lambda c: ('a' + chr(c)).isidentifier()))
print('''/** Whether `code` lies in one of the inclusive ranges of `table` (binary search). */
function inRanges(table: readonly number[], code: number): boolean {
  let lo = 0;
  let hi = table.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (code < table[2 * mid]!) hi = mid - 1;
    else if (code > table[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether CPython 3.11 prints `code` as itself in a repr. */
export const isPrintable = (code: number): boolean => !inRanges(UNPRINTABLE, code);
/** Whether `code` may start an identifier in CPython 3.11. */
export const isIdentifierStart = (code: number): boolean => inRanges(IDENTIFIER_START, code);
/** Whether `code` may continue an identifier in CPython 3.11. */
export const isIdentifierContinue = (code: number): boolean => inRanges(IDENTIFIER_CONTINUE, code);''')
