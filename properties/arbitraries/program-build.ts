/**
 * Builds a guest program (Python source in the boxless subset) from a recipe.
 *
 * Contract (what the random-program property relies on; the property asserts the first three
 * against CPython on every program it runs):
 *  1. Well formed: CPython compiles it (no SyntaxError, no SyntaxWarning).
 *  2. No error outside the subset and none unplanned: every statement that can raise (a raw
 *     `//` or index, a `raise`, a call of something that raises, a deliberate TypeError,
 *     NameError or AttributeError) sits in a `try` whose handlers catch every exception it can
 *     raise, or in a function whose callers are such statements; only the optional last
 *     statement of the program (`expectsUncaught`) raises uncaught, ending it with status 1.
 *     Everything else is total by construction: divisors are `(d or k)`, list indices are
 *     guarded by `len`, `int()` and `math.floor` of a float by `abs(x) < 1e15` (which nan and
 *     inf fail), `math.sqrt` takes `abs`.
 *  3. Terminating, in bounded time and memory: loops have constant trip counts (range of
 *     literals, counted whiles, lists kept to at most 16 items by guarding every append with
 *     `len(l) < 12`, strings kept to 24 characters); a callable calls only callables built
 *     before it (methods by the order of their names, then functions, then the main program),
 *     so there is no recursion; each callable's cost (statements executed, calls included,
 *     multiplied by enclosing trip counts) is bounded, and a call that would pass the bound is
 *     replaced by a simpler expression.
 *  4. Ints stay small enough to print (CPython refuses to print ints of more than 4300 digits):
 *     every int slot (variable, field, parameter, result, list item) has a cap in bits, every
 *     int expression a static bound on its bit length, and an assignment whose bound passes its
 *     cap is reduced modulo a constant below the cap, as `(e) % m` (so the cap holds whatever
 *     the trip counts). Caps of 64 and 100 bits put values across 2^63 and past 64 bits.
 *  5. Nothing printed depends on the run: no object, function or class is ever printed, no
 *     time, no identity of ints or strings (`is` only on objects, lists and None).
 *
 * Everything is resolved modulo what exists (see program-recipes.ts), and the statement or
 * expression form 0 is always the simplest, so shrinking the recipe shrinks the program.
 * `features` records what the program uses, for the coverage statistics.
 */
import type { ExprRecipe, FunctionRecipe, ProgramRecipe, StmtRecipe } from './program-recipes.ts';
import { UNCAUGHT_TAIL_PER_MILLE } from './program-recipes.ts';

// ---------------------------------------------------------------------------------------------
// Types of values

type ScalarTy = { readonly k: 'int'; readonly cap: number } | { readonly k: 'float' } | { readonly k: 'bool' } | { readonly k: 'str' };
export type Ty = ScalarTy | { readonly k: 'list'; readonly elem: ScalarTy } | { readonly k: 'tuple'; readonly elems: readonly ScalarTy[] } | { readonly k: 'obj'; readonly cls: number };

const INT8: ScalarTy = { k: 'int', cap: 8 };
const INT64: ScalarTy = { k: 'int', cap: 64 };
const INT100: ScalarTy = { k: 'int', cap: 100 };
const FLOAT: ScalarTy = { k: 'float' };
const BOOL: ScalarTy = { k: 'bool' };
const STR: ScalarTy = { k: 'str' };

/** Longest string any str slot holds (a longer expression is replaced by a literal). */
const STR_CAP = 24;
/** Appends are guarded by `len(l) < LIST_APPEND_BELOW`; list displays have at most 4 items. */
const LIST_APPEND_BELOW = 12;
const LIST_MAX = LIST_APPEND_BELOW + 4;
/** Statement executions allowed per callable (calls count their callee's cost). */
const COST_BUDGET = 4000;

/** The types a recipe number picks from, for variables, parameters, fields, results. */
const VALUE_TYPES: readonly Ty[] = [
  INT8,
  FLOAT,
  STR,
  INT64,
  BOOL,
  INT100,
  { k: 'list', elem: INT64 },
  { k: 'list', elem: FLOAT },
  { k: 'tuple', elems: [INT8, FLOAT] },
  { k: 'list', elem: STR },
  { k: 'tuple', elems: [STR, INT64, BOOL] },
  { k: 'tuple', elems: [FLOAT, FLOAT] },
];

/** Moduli by cap: positive constants below 2^cap, written as the program shows them. */
const MODULI: Readonly<Record<number, readonly [string, number][]>> = {
  8: [['97', 7], ['256', 9], ['251', 8]],
  64: [['2 ** 64', 65], ['18446744073709551557', 64], ['9223372036854775783', 63], ['2 ** 63 + 1', 64]],
  100: [['2 ** 100', 101], ['10 ** 30 + 57', 100]],
};

const BUILTIN_EXCEPTIONS = ['Exception', 'ZeroDivisionError', 'IndexError', 'TypeError', 'AttributeError', 'NameError', 'NotImplementedError'] as const;

/** Ints a literal picks from, simplest first: small values, then 2^31, 2^53, 2^62, 2^63, 2^64 neighbours. */
const INT_LITERALS: readonly bigint[] = [
  0n, 1n, 2n, -1n, 3n, -2n, 7n, -7n, 10n, -13n, 100n, 255n, -128n, 1000003n,
  2147483647n, -2147483648n, 9007199254740993n, 4611686018427387904n, 9223372036854775807n,
  -9223372036854775808n, 9223372036854775808n, 18446744073709551615n, -18446744073709551616n,
];
/** Floats a literal picks from: the corner cases of repr and of arithmetic. */
const FLOAT_LITERALS: readonly string[] = [
  '0.0', '1.5', '-0.0', '0.1', '-2.25', '3.0', '0.3', '1e16', '1.5e-07', '2.5', '-7.75', '1e+308',
  '-1e+308', '5e-324', '2.2250738585072014e-308', '123456.789', '1e22', '0.2', '-0.5', '100.0',
  '9007199254740993.0', '1e-05', '0.1234567890123', '4.35',
];
const STR_ALPHABET = ['a', 'b', 'z', ' ', '0', '_', "'", '"', '\\', '\n', '\u00e9', 'Q'];

function bitLength(n: bigint): number {
  let v = n < 0n ? -n : n;
  let bits = 0;
  while (v > 0n) {
    v >>= 1n;
    bits++;
  }
  return bits;
}

function sameTy(a: Ty, b: Ty): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'int' && b.k === 'int') return a.cap === b.cap;
  if (a.k === 'list' && b.k === 'list') return sameTy(a.elem, b.elem);
  if (a.k === 'tuple' && b.k === 'tuple') return a.elems.length === b.elems.length && a.elems.every((t, i) => sameTy(t, b.elems[i]!));
  if (a.k === 'obj' && b.k === 'obj') return a.cls === b.cls;
  return true;
}

/** Whether a value of type `from` may go where `to` is expected (ints by cap, objects by class). */
function fits(from: Ty, to: Ty, classes: readonly ClassInfo[]): boolean {
  if (from.k === 'int' && to.k === 'int') return true; // the cap is enforced by the bound, with a wrap
  if (from.k === 'obj' && to.k === 'obj') return isSubclass(classes, from.cls, to.cls);
  return sameTy(from, to);
}

function isSubclass(classes: readonly ClassInfo[], sub: number, sup: number): boolean {
  for (let c: number | null = sub; c !== null; c = classes[c]!.base) if (c === sup) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// What the builder knows about the program so far

interface Signature {
  readonly params: readonly Ty[];
  /** How many trailing parameters have defaults (their default literals follow). */
  readonly defaults: readonly string[];
  readonly returns: Ty;
}

interface Callable {
  readonly sig: Signature;
  cost: number;
  raises: Set<string>;
}

interface MethodName extends Callable {
  readonly name: string;
  readonly id: number;
  /** The class that introduced it. */
  readonly owner: number;
}

interface ClassInfo {
  readonly name: string;
  readonly base: number | null;
  /** Fields by name, the inherited ones first. */
  readonly fields: readonly { readonly name: string; readonly ty: Ty }[];
  /** Constructor parameters (the base's first), as __init__ takes them after self. */
  readonly ctor: readonly Ty[];
  readonly ownInit: boolean;
  /** Method names this class implements itself (introduced or overridden). */
  readonly implements: Set<number>;
  /** Method names it answers to (own and inherited). */
  readonly methods: Set<number>;
}

interface ExceptionInfo {
  readonly name: string;
  readonly base: string;
  readonly custom: boolean;
}

interface Var {
  readonly name: string;
  readonly ty: Ty;
  readonly assignable: boolean;
  /** A module-level variable (a function that assigns it declares it global). */
  readonly global: boolean;
}

interface Frame {
  /** What this callable may call: methods with an id below, functions with an index below. */
  readonly methodLimit: number;
  readonly functionLimit: number;
  readonly isMain: boolean;
  readonly returns: Ty | null;
  readonly self: number | null;
  cost: number;
  readonly globalsAssigned: Set<string>;
  counter: number;
}

interface Ctx {
  readonly frame: Frame;
  vars: Var[];
  readonly loop: boolean;
  readonly multiplier: number;
  /** Where a statement that can raise adds what it raises; null: such statements are not allowed here. */
  readonly raises: Set<string> | null;
  readonly depth: number;
}

export interface BuiltProgram {
  readonly source: string;
  readonly features: ReadonlySet<string>;
  /** The last statement raises an exception nobody catches: CPython exits with status 1. */
  readonly expectsUncaught: boolean;
  /** The exception classes (builtin and user) the program knows, for checking CPython's last line. */
  readonly exceptionNames: readonly string[];
}

/** What a generator can be told to leave out (a feature an interpreter does not have yet). */
export type Excludable = StatementKind | 'exception with __init__' | 'object.__init__ call' | 'math.sin/cos' | 'float(str)' | 'int(str)' | 'multi-line display';

export interface BuildOptions {
  readonly exclude?: readonly Excludable[];
}

interface Gen {
  readonly text: string;
  /** Int expressions: a bound on the bit length of the value. */
  readonly bits: number;
  /** Str expressions: a bound on the length. */
  readonly len: number;
}

const gen = (text: string, bits = 0, len = 0): Gen => ({ text, bits, len });
/** `text` as an operand: parenthesized unless it is a primary (a name, a number, a string, a call, …). */
const paren = (text: string) => (isPrimary(text) ? text : `(${text})`);

/** Whether `text` is one primary: an atom (name, positive number, string, bracketed group) and trailers (`.x`, `(…)`, `[…]`). */
function isPrimary(text: string): boolean {
  let i = 0;
  const group = (open: string, close: string): boolean => {
    if (text[i] !== open) return false;
    let depth = 0;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '"') {
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      } else if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') {
        depth--;
        if (depth === 0) {
          i++;
          return ch === close;
        }
      }
    }
    return false;
  };
  const name = () => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  if (/^[0-9][0-9.e+]*$/.test(text)) return true;
  if (text[0] === '"') {
    for (i = 1; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    i++;
  } else if (!(name() || group('(', ')') || group('[', ']'))) return false;
  while (i < text.length) {
    if (text[i] === '.') {
      i++;
      if (!name()) return false;
    } else if (!(group('(', ')') || group('[', ']'))) return false;
  }
  return true;
}

/** Python source for a str literal: double quotes, backslash escapes. */
function strLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

// ---------------------------------------------------------------------------------------------
// The builder

class Builder {
  readonly features = new Set<string>();
  readonly classes: ClassInfo[] = [];
  readonly methodNames: MethodName[] = [];
  readonly functions: (Callable & { name: string })[] = [];
  readonly exceptions: ExceptionInfo[] = [];
  readonly globals: Var[] = [];
  usesMath = false;
  usesTime = false;
  usesSys = false;

  constructor(readonly options: BuildOptions) {}

  off(feature: Excludable): boolean {
    return this.options.exclude?.includes(feature) ?? false;
  }

  private note(feature: string): void {
    this.features.add(feature);
  }

  typeFor(n: number, allowObjects: boolean): Ty {
    const choices = allowObjects && this.classes.length > 0 ? VALUE_TYPES.length + this.classes.length : VALUE_TYPES.length;
    const k = n % choices;
    return k < VALUE_TYPES.length ? VALUE_TYPES[k]! : { k: 'obj', cls: k - VALUE_TYPES.length };
  }

  fresh(ctx: Ctx, prefix: string): string {
    return `${prefix}${ctx.frame.counter++}`;
  }

  // ---- literals ------------------------------------------------------------------------------

  intLiteral(n: number, cap: number): Gen {
    const small = INT_LITERALS.filter((v) => bitLength(v) <= cap);
    const v = small[n % small.length]!;
    if (bitLength(v) > 63) this.note('int literal past 2^63');
    return gen(v < 0n ? `(${v})` : `${v}`, bitLength(v));
  }

  floatLiteral(n: number): Gen {
    const k = n % (FLOAT_LITERALS.length + 3);
    // inf and nan: from strings (as Python programs write them), or from arithmetic.
    const fromString = !this.off('float(str)');
    if (k === FLOAT_LITERALS.length) {
      this.note('inf');
      return gen(fromString ? 'float("inf")' : '(1e308 * 10)');
    }
    if (k === FLOAT_LITERALS.length + 1) {
      this.note('inf');
      return gen(fromString ? 'float("-inf")' : '(-1e308 * 10)');
    }
    if (k === FLOAT_LITERALS.length + 2) {
      this.note('nan');
      return gen(fromString ? 'float("nan")' : '(1e308 * 10 - 1e308 * 10)');
    }
    const text = FLOAT_LITERALS[k]!;
    if (text === '-0.0') this.note('-0.0');
    return gen(text.startsWith('-') ? `(${text})` : text);
  }

  strLiteral(a: number, b: number): Gen {
    const length = a % 5;
    let text = '';
    for (let i = 0; i < length; i++) text += STR_ALPHABET[Math.floor(b / (i + 1) + i * 7) % STR_ALPHABET.length]!;
    return gen(strLiteral(text), 0, length);
  }

  literal(ty: Ty, r: ExprRecipe): Gen {
    switch (ty.k) {
      case 'int':
        return this.intLiteral(r.a, ty.cap);
      case 'float':
        return this.floatLiteral(r.a);
      case 'bool':
        return gen(r.a % 2 === 0 ? 'True' : 'False');
      case 'str':
        return this.strLiteral(r.a, r.b);
      case 'list': {
        this.note('list');
        const n = r.a % 4;
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(this.literal(ty.elem, { form: 0, a: r.b + i * 13, b: r.a + i, kids: [] }).text);
        return gen(`[${items.join(', ')}]`);
      }
      case 'tuple': {
        this.note('tuple');
        const items = ty.elems.map((t, i) => this.literal(t, { form: 0, a: r.a + i * 5, b: r.b + i, kids: [] }).text);
        return gen(items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`);
      }
      case 'obj':
        return this.construct(ty.cls, null, r, 0);
    }
  }

  // ---- expressions ---------------------------------------------------------------------------

  varsOf(ctx: Ctx, ty: Ty, assignableOnly = false): Var[] {
    return ctx.vars.filter((v) => (assignableOnly ? v.assignable : true) && (ty.k === 'obj' && v.ty.k === 'obj' ? isSubclass(this.classes, v.ty.cls, ty.cls) : ty.k === 'int' && v.ty.k === 'int' ? true : sameTy(v.ty, ty)));
  }

  variable(ctx: Ctx, ty: Ty, n: number): Gen | null {
    const vars = this.varsOf(ctx, ty);
    if (vars.length === 0) return null;
    const v = vars[vars.length - 1 - (n % vars.length)]!;
    return gen(v.name, v.ty.k === 'int' ? v.ty.cap : 0, v.ty.k === 'str' ? STR_CAP : 0);
  }

  /** An expression of type `ty`; form 0 is a literal or a variable, the simplest there is. */
  expr(ctx: Ctx, ty: Ty, r: ExprRecipe | undefined, depth: number): Gen {
    const recipe = r ?? { form: 0, a: 0, b: 0, kids: [] };
    if (depth <= 0 || recipe.kids.length === 0) return this.leaf(ctx, ty, recipe);
    const made = this.compound(ctx, ty, recipe, depth);
    return made ?? this.leaf(ctx, ty, recipe);
  }

  leaf(ctx: Ctx, ty: Ty, r: ExprRecipe): Gen {
    if (r.form % 3 !== 0) {
      const v = this.variable(ctx, ty, r.b);
      if (v) return v;
    }
    return this.literal(ty, r);
  }

  kid(r: ExprRecipe, k: number): ExprRecipe | undefined {
    return r.kids[k];
  }

  compound(ctx: Ctx, ty: Ty, r: ExprRecipe, depth: number): Gen | null {
    const sub = (t: Ty, k: number) => this.expr(ctx, t, this.kid(r, k), depth - 1);
    switch (ty.k) {
      case 'int': {
        const forms = 14;
        switch (r.form % forms) {
          case 0:
          case 1: {
            const op = ['+', '-', '*'][r.a % 3]!;
            const x = sub(INT64, 0);
            const y = sub(r.b % 2 ? INT8 : INT64, 1);
            this.note(`int ${op}`);
            return gen(`${paren(x.text)} ${op} ${paren(y.text)}`, op === '*' ? x.bits + y.bits : Math.max(x.bits, y.bits) + 1);
          }
          case 2:
          case 3: {
            const x = sub(INT64, 0);
            const y = sub(INT8, 1);
            const fallback = this.intLiteral(r.b, 8).text;
            const divisor = `(${paren(y.text)} or ${fallback === '0' ? '3' : fallback})`;
            if (r.form % forms === 2) {
              this.note('int //');
              return gen(`${paren(x.text)} // ${divisor}`, x.bits);
            }
            this.note('int %');
            return gen(`${paren(x.text)} % ${divisor}`, 9);
          }
          case 4: {
            const x = sub(INT8, 0);
            const k = r.a % 4;
            this.note('int **');
            return gen(`${paren(x.text)} ** ${k}`, k === 0 ? 1 : k * x.bits);
          }
          case 5: {
            const x = sub(ty, 0);
            this.note('unary');
            return r.a % 2 ? gen(`-${paren(x.text)}`, x.bits) : gen(`abs(${x.text})`, x.bits);
          }
          case 6: {
            const target = [STR, { k: 'list', elem: INT64 } as Ty, { k: 'list', elem: FLOAT } as Ty, { k: 'tuple', elems: [STR, INT64, BOOL] } as Ty][r.a % 4]!;
            this.note('len');
            return gen(`len(${sub(target, 0).text})`, 6);
          }
          case 7: {
            const x = sub(INT64, 0);
            const y = sub(INT64, 1);
            this.note('min/max');
            return gen(`${r.a % 2 ? 'min' : 'max'}(${x.text}, ${y.text})`, Math.max(x.bits, y.bits));
          }
          case 8: {
            const x = sub(INT64, 0);
            const y = sub(INT8, 1);
            this.note('and/or value');
            return gen(`${paren(x.text)} ${r.a % 2 ? 'or' : 'and'} ${paren(y.text)}`, Math.max(x.bits, y.bits));
          }
          case 9: {
            const b = sub(BOOL, 0);
            this.note('bool arithmetic');
            return gen(`${paren(b.text)} + ${this.intLiteral(r.a, 8).text}`, 9);
          }
          case 10:
            return this.call(ctx, ty, r, depth);
          case 11:
            return this.fieldRead(ctx, ty, r);
          case 12: {
            const t: Ty = { k: 'tuple', elems: [STR, INT64, BOOL] };
            const v = this.variable(ctx, t, r.a);
            if (!v) return null;
            this.note('tuple index');
            return gen(`${v.text}[${r.b % 2 ? '1' : '-2'}]`, 64);
          }
          default: {
            const s = String(r.a % 2 ? -(r.b % 1000) : r.b * 7919);
            this.note('int()');
            return r.a % 3 === 0 && !this.off('int(str)') ? gen(`int(${strLiteral(` ${s} `)})`, bitLength(BigInt(s))) : gen(`int(${paren(sub(BOOL, 0).text)})`, 1);
          }
        }
      }
      case 'float': {
        switch (r.form % 11) {
          case 0:
          case 1:
          case 2: {
            const op = ['+', '-', '*', '/'][r.a % 4]!;
            // At least one float operand, so the result is a float whatever the operator.
            const xInt = r.b % 3 === 0;
            const x = sub(xInt ? INT64 : FLOAT, 0);
            const y = sub(!xInt && r.b % 5 === 1 ? INT8 : FLOAT, 1);
            this.note(`float ${op}`);
            if (op === '/') return gen(`${paren(x.text)} / (${paren(y.text)} or ${r.b % 2 ? '2.0' : '3'})`);
            return gen(`${paren(x.text)} ${op} ${paren(y.text)}`);
          }
          case 3: {
            const x = sub(FLOAT, 0);
            const y = sub(FLOAT, 1);
            const op = r.a % 2 ? '//' : '%';
            this.note(`float ${op}`);
            return gen(`${paren(x.text)} ${op} (${paren(y.text)} or ${r.b % 2 ? '-1.5' : '0.25'})`);
          }
          case 4: {
            const x = sub(INT64, 0);
            const y = sub(INT64, 1);
            this.note('int / int');
            return gen(`${paren(x.text)} / (${paren(y.text)} or 7)`);
          }
          case 5: {
            const x = sub(r.a % 2 ? INT100 : INT64, 0);
            this.note('float(int)');
            return gen(`float(${x.text})`);
          }
          case 6: {
            const x = sub(FLOAT, 0);
            this.note('unary');
            return r.a % 2 ? gen(`-${paren(x.text)}`) : gen(`abs(${x.text})`);
          }
          case 7: {
            this.usesMath = true;
            const x = sub(FLOAT, 0);
            const which = r.a % (this.off('math.sin/cos') ? 2 : 4);
            this.note('math');
            if (which === 0) return gen(`math.sqrt(abs(${x.text}))`);
            if (which === 1) return gen(`math.pi * ${paren(x.text)}`);
            this.note('math.sin/cos');
            // Small arguments only: sin and cos of huge or infinite floats are errors.
            return gen(`math.${which === 2 ? 'sin' : 'cos'}(${paren(this.intLiteral(r.b, 8).text)} / 4)`);
          }
          case 8:
            return this.call(ctx, ty, r, depth);
          case 9:
            return this.fieldRead(ctx, ty, r);
          default: {
            const x = sub(FLOAT, 0);
            const y = sub(FLOAT, 1);
            this.note('min/max');
            return gen(`${r.a % 2 ? 'min' : 'max'}(${x.text}, ${y.text})`);
          }
        }
      }
      case 'bool': {
        switch (r.form % 10) {
          case 0:
          case 1: {
            const op = ['<', '<=', '==', '!=', '>', '>='][r.a % 6]!;
            const t = [INT64, FLOAT, STR, INT8][r.b % 4]!;
            const u = t.k === 'int' && r.b % 3 === 0 ? FLOAT : t.k === 'float' && r.b % 5 === 0 ? INT64 : t;
            const x = sub(t, 0);
            const y = sub(u, 1);
            this.note('comparison');
            if (t.k !== u.k) this.note('int/float comparison');
            if (r.a % 5 === 4) {
              this.note('chained comparison');
              const z = this.expr(ctx, u, this.kid(r, 0), 0);
              return gen(`${paren(x.text)} ${op} ${paren(y.text)} ${['<', '<=', '!='][r.b % 3]!} ${paren(z.text)}`);
            }
            return gen(`${paren(x.text)} ${op} ${paren(y.text)}`);
          }
          case 2: {
            this.note('not');
            return gen(`not ${paren(sub([BOOL, INT64, STR, { k: 'list', elem: FLOAT } as Ty][r.a % 4]!, 0).text)}`);
          }
          case 3: {
            const x = sub(BOOL, 0);
            const y = sub(BOOL, 1);
            this.note('and/or');
            return gen(`${paren(x.text)} ${r.a % 2 ? 'and' : 'or'} ${paren(y.text)}`);
          }
          case 4: {
            const containers: Ty[] = [STR, { k: 'list', elem: INT64 }, { k: 'tuple', elems: [STR, INT64, BOOL] }, { k: 'list', elem: STR }];
            const c = containers[r.a % containers.length]!;
            const item = c.k === 'str' ? STR : c.k === 'list' ? c.elem : INT64;
            this.note('in');
            return gen(`${paren(sub(item, 1).text)} ${r.b % 3 === 0 ? 'not in' : 'in'} ${paren(sub(c, 0).text)}`);
          }
          case 5: {
            if (this.classes.length === 0) return null;
            const objs = ctx.vars.filter((v) => v.ty.k === 'obj');
            if (objs.length === 0) return null;
            const v = objs[r.a % objs.length]!;
            this.note('isinstance');
            const target = r.b % 4 === 0 ? ['int', 'str', 'float'][r.a % 3]! : this.classes[r.b % this.classes.length]!.name;
            return gen(`isinstance(${v.name}, ${target})`);
          }
          case 6: {
            const candidates = ctx.vars.filter((v) => v.ty.k === 'obj' || v.ty.k === 'list');
            if (candidates.length === 0) return null;
            const x = candidates[r.a % candidates.length]!;
            const peers = candidates.filter((v) => v.ty.k === x.ty.k);
            const y = peers[r.b % peers.length]!;
            this.note('is');
            return gen(r.form % 2 ? `${x.name} is not ${r.a % 3 === 0 ? 'None' : y.name}` : `${x.name} is ${r.a % 3 === 0 ? 'None' : y.name}`);
          }
          case 7: {
            this.note('isinstance');
            const scalar = [INT64, FLOAT, STR, BOOL][r.a % 4]!;
            return gen(`isinstance(${sub(scalar, 0).text}, ${['int', 'float', 'str'][r.b % 3]!})`);
          }
          case 8:
            return this.call(ctx, ty, r, depth);
          default:
            return this.fieldRead(ctx, ty, r);
        }
      }
      case 'str': {
        switch (r.form % 6) {
          case 0:
          case 1: {
            const x = sub(STR, 0);
            const y = sub(STR, 1);
            if (x.len + y.len > STR_CAP) return null;
            this.note('str +');
            return gen(`${paren(x.text)} + ${paren(y.text)}`, 0, x.len + y.len);
          }
          case 2: {
            const x = sub(STR, 0);
            const k = r.a % 4;
            if (x.len * k > STR_CAP) return null;
            this.note('str *');
            return gen(r.b % 2 ? `${paren(x.text)} * ${k}` : `${k} * ${paren(x.text)}`, 0, x.len * k);
          }
          case 3: {
            const t = [INT64, FLOAT, BOOL, INT8][r.a % 4]!;
            const x = sub(t, 0);
            this.note('str()');
            return gen(`str(${x.text})`, 0, t.k === 'int' ? Math.ceil(t.cap * 0.31) + 2 : 24);
          }
          case 4:
            return this.call(ctx, ty, r, depth);
          default: {
            const x = sub(STR, 0);
            const y = sub(STR, 1);
            this.note('and/or value');
            return gen(`${paren(x.text)} ${r.a % 2 ? 'or' : 'and'} ${paren(y.text)}`, 0, Math.max(x.len, y.len));
          }
        }
      }
      case 'list': {
        if (r.form % 3 === 2) return this.call(ctx, ty, r, depth);
        this.note('list');
        const n = 1 + (r.a % 4);
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(this.fitTo(ty.elem, sub(ty.elem, i), r.b + i).text);
        return gen(`[${items.join(', ')}]`);
      }
      case 'tuple': {
        this.note('tuple');
        const items = ty.elems.map((t, i) => this.fitTo(t, sub(t, i), r.b + i).text);
        return gen(items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`);
      }
      case 'obj': {
        if (r.form % 2 === 1) {
          const made = this.call(ctx, ty, r, depth);
          if (made) return made;
        }
        const subclasses = this.classes.map((_, k) => k).filter((k) => isSubclass(this.classes, k, ty.cls));
        return this.construct(subclasses[r.a % subclasses.length]!, ctx, r, depth);
      }
    }
  }

  /** An int expression brought under `ty`'s cap (reduced modulo a constant when its bound is above). */
  fitTo(ty: Ty, g: Gen, n: number): Gen {
    if (ty.k === 'str' && g.len > STR_CAP) return this.strLiteral(n, n);
    if (ty.k !== 'int' || g.bits <= ty.cap) return g;
    const moduli = MODULI[ty.cap]!;
    const [m, bits] = moduli[n % moduli.length]!;
    this.note('reduced modulo');
    const negative = n % 5 === 4;
    return gen(`${paren(g.text)} % ${negative ? `-(${m})` : paren(m)}`, bits);
  }

  fieldRead(ctx: Ctx, ty: Ty, r: ExprRecipe): Gen | null {
    const options: { obj: string; field: string; fty: Ty }[] = [];
    for (const v of ctx.vars) {
      if (v.ty.k !== 'obj') continue;
      for (const f of this.classes[v.ty.cls]!.fields) if (fits(f.ty, ty, this.classes)) options.push({ obj: v.name, field: f.name, fty: f.ty });
    }
    if (options.length === 0) return null;
    const o = options[r.a % options.length]!;
    this.note('attribute read');
    return gen(`${o.obj}.${o.field}`, o.fty.k === 'int' ? o.fty.cap : 0, o.fty.k === 'str' ? STR_CAP : 0);
  }

  /** `C(args)`, a constructor call (its __init__ is cheap: counted as one statement per field). */
  construct(cls: number, ctx: Ctx | null, r: ExprRecipe, depth: number): Gen {
    const info = this.classes[cls]!;
    const args = info.ctor.map((t, i) => {
      if (ctx && t.k !== 'obj') return this.fitTo(t, this.expr(ctx, t, r.kids[i], depth - 1), r.b + i).text;
      if (t.k === 'obj') return this.construct(t.cls, ctx, { form: 0, a: r.a + i, b: r.b, kids: [] }, 0).text;
      return this.literal(t, { form: 0, a: r.a + i * 3, b: r.b + i, kids: [] }).text;
    });
    if (ctx) this.charge(ctx, 1 + info.fields.length);
    this.note('object construction');
    return gen(`${info.name}(${args.join(', ')})`);
  }

  charge(ctx: Ctx, units: number): void {
    ctx.frame.cost += units * ctx.multiplier;
  }

  affordable(ctx: Ctx, cost: number): boolean {
    return ctx.frame.cost + (cost + 1) * ctx.multiplier <= COST_BUDGET;
  }

  /** A call returning `ty`: a function or a method of an object in scope, if one is affordable and allowed here. */
  /** The callables allowed and affordable here (returning `ty`, or anything when null). */
  callables(ctx: Ctx, ty: Ty | null): { text: string; callee: Callable }[] {
    const options: { text: string; callee: Callable }[] = [];
    const returns = (callee: Callable) => ty === null || fits(callee.sig.returns, ty, this.classes);
    this.functions.forEach((f, index) => {
      if (index < ctx.frame.functionLimit && returns(f)) options.push({ text: f.name, callee: f });
    });
    for (const v of ctx.vars) {
      if (v.ty.k !== 'obj') continue;
      for (const id of this.classes[v.ty.cls]!.methods) {
        const m = this.methodNames[id]!;
        if (id < ctx.frame.methodLimit && returns(m)) options.push({ text: `${v.name}.${m.name}`, callee: m });
      }
    }
    return options.filter((o) => this.affordable(ctx, o.callee.cost) && (o.callee.raises.size === 0 || ctx.raises !== null));
  }

  call(ctx: Ctx, ty: Ty, r: ExprRecipe, depth: number): Gen | null {
    const usable = this.callables(ctx, ty);
    if (usable.length === 0) return null;
    const chosen = usable[r.a % usable.length]!;
    const g = this.callText(ctx, chosen.text, chosen.callee, r, depth);
    if (ty.k === 'int' && chosen.callee.sig.returns.k === 'int') return gen(g.text, chosen.callee.sig.returns.cap);
    return gen(g.text, 0, STR_CAP);
  }

  callText(ctx: Ctx, callee: string, target: Callable, r: ExprRecipe, depth: number): Gen {
    const { params, defaults } = target.sig;
    const required = params.length - defaults.length;
    const given = required + (defaults.length === 0 ? 0 : r.b % (defaults.length + 1));
    if (given < params.length) this.note('default parameter used');
    const args: string[] = [];
    for (let i = 0; i < given; i++) args.push(this.fitTo(params[i]!, this.expr(ctx, params[i]!, r.kids[i], depth - 1), r.a + i).text);
    this.charge(ctx, target.cost);
    for (const e of target.raises) ctx.raises?.add(e);
    this.note(callee.includes('.') ? 'method call' : 'function call');
    return gen(`${callee}(${args.join(', ')})`);
  }

  // ---- statements ----------------------------------------------------------------------------

  block(ctx: Ctx, recipes: readonly StmtRecipe[], extra: Partial<Omit<Ctx, 'frame' | 'vars'>> = {}): string[] {
    const inner: Ctx = { ...ctx, ...extra, vars: [...ctx.vars], depth: ctx.depth + 1 };
    const lines = recipes.flatMap((r) => this.stmt(inner, r));
    return (lines.length ? lines : ['pass']).map((line) => `    ${line}`);
  }

  printable(n: number): Ty {
    return [INT64, FLOAT, STR, BOOL, { k: 'list', elem: FLOAT } as Ty, { k: 'tuple', elems: [INT8, FLOAT] } as Ty, INT100, { k: 'list', elem: STR } as Ty][n % 8]!;
  }

  stmt(ctx: Ctx, r: StmtRecipe): string[] {
    this.charge(ctx, 1);
    const kinds = STATEMENT_KINDS;
    const kind = kinds[r.kind % kinds.length]!;
    const made = this.off(kind) ? null : this.statement(ctx, kind, r);
    return made ?? this.printStatement(ctx, r);
  }

  printStatement(ctx: Ctx, r: StmtRecipe): string[] {
    const n = 1 + (r.a % 3);
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const ty = this.printable(r.b + i * 3);
      if (ty.k === 'float') this.note('float printed');
      args.push(this.fitTo(ty, this.expr(ctx, ty, r.exprs[i], 3), r.c + i).text);
    }
    this.note('print');
    return [`print(${args.join(', ')})`];
  }

  assignTarget(ctx: Ctx, ty: Ty | null, n: number): Var | null {
    const vars = ctx.vars.filter((v) => v.assignable && (ty === null || sameTy(v.ty, ty)));
    if (vars.length === 0) return null;
    return vars[vars.length - 1 - (n % vars.length)]!;
  }

  /** Writes to `v` from inside a function: a module-level variable needs `global`. */
  assigning(ctx: Ctx, v: Var): void {
    if (v.global && !ctx.frame.isMain) {
      ctx.frame.globalsAssigned.add(v.name);
      this.note('global');
    }
  }

  statement(ctx: Ctx, kind: StatementKind, r: StmtRecipe): string[] | null {
    const e = (ty: Ty, k: number, depth = 3) => this.fitTo(ty, this.expr(ctx, ty, r.exprs[k], depth), r.c + k);
    switch (kind) {
      case 'print':
        return this.printStatement(ctx, r);
      case 'new variable': {
        const ty = this.typeFor(r.a, true);
        const value = e(ty, 0);
        const name = this.fresh(ctx, 'v');
        ctx.vars.push({ name, ty, assignable: true, global: ctx.frame.isMain });
        return [`${name} = ${value.text}`];
      }
      case 'assign': {
        const v = this.assignTarget(ctx, null, r.a);
        if (!v) return null;
        const value = e(v.ty, 0);
        this.assigning(ctx, v);
        return [`${v.name} = ${value.text}`];
      }
      case 'augmented assignment': {
        const v = this.assignTarget(ctx, null, r.a);
        if (!v || !(v.ty.k === 'int' || v.ty.k === 'float' || v.ty.k === 'str')) return null;
        this.assigning(ctx, v);
        this.note('augmented assignment');
        if (v.ty.k === 'str') {
          // A literal of at most 4 characters, appended while the string is short: the cap holds.
          return [`if len(${v.name}) < ${STR_CAP - 4}:`, `    ${v.name} += ${this.strLiteral(r.b, r.c).text}`];
        }
        if (v.ty.k === 'float') {
          const op = ['+=', '-=', '*=', '/='][r.b % 4]!;
          const y = e(r.c % 3 === 0 ? INT8 : FLOAT, 0);
          return [op === '/=' ? `${v.name} /= (${paren(y.text)} or 2.0)` : `${v.name} ${op} ${y.text}`];
        }
        const op = ['+', '-', '*', '//', '%'][r.b % 5]!;
        const y = e(r.c % 2 ? INT8 : INT64, 0);
        const rhs = op === '//' || op === '%' ? `(${paren(y.text)} or 5)` : y.text;
        const bits = op === '*' ? v.ty.cap + y.bits : op === '//' ? v.ty.cap : op === '%' ? y.bits : Math.max(v.ty.cap, y.bits) + 1;
        if (bits <= v.ty.cap) return [`${v.name} ${op}= ${rhs}`];
        const wrapped = this.fitTo(v.ty, gen(`${v.name} ${op} ${paren(rhs)}`, bits), r.c);
        return [`${v.name} = ${wrapped.text}`];
      }
      case 'if': {
        const cond = e(BOOL, 0);
        const lines = [`if ${cond.text}:`, ...this.block(ctx, r.body)];
        if (r.orelse.length > 0) {
          if (r.b % 2 === 0) {
            lines.push(`elif ${e(BOOL, 1).text}:`, ...this.block(ctx, r.orelse.slice(0, 1)));
            this.note('elif');
            if (r.orelse.length > 1) lines.push('else:', ...this.block(ctx, r.orelse.slice(1)));
          } else {
            lines.push('else:', ...this.block(ctx, r.orelse));
          }
        }
        this.note('if');
        return lines;
      }
      case 'for range': {
        const start = (r.a % 5) - 2;
        const count = r.b % 5;
        const step = [1, 2, -1, 3][r.c % 4]!;
        const stop = start + count * step;
        const args = r.c % 4 === 0 ? (start === 0 ? `${stop}` : `${start}, ${stop}`) : `${start}, ${stop}, ${step}`;
        const name = this.fresh(ctx, 'i');
        const body = this.loopBody(ctx, r, Math.max(count, 1), { name, ty: INT8, assignable: true, global: ctx.frame.isMain });
        this.note('for range');
        return [`for ${name} in range(${args}):`, ...body];
      }
      case 'while': {
        const counter = this.fresh(ctx, 'w');
        const trips = 1 + (r.a % 4);
        const inner: Ctx = { ...ctx, vars: [...ctx.vars, { name: counter, ty: INT8, assignable: false, global: ctx.frame.isMain }] };
        const cond = r.b % 3 === 0 ? ` and ${paren(this.expr(inner, BOOL, r.exprs[0], 2).text)}` : '';
        const body = this.loopBody(inner, r, trips, null);
        this.note('while');
        return [`${counter} = 0`, `while ${counter} < ${trips}${cond}:`, `    ${counter} += 1`, ...body];
      }
      case 'for each': {
        const sources: Ty[] = [{ k: 'list', elem: INT64 }, STR, { k: 'tuple', elems: [FLOAT, FLOAT] }, { k: 'list', elem: FLOAT }, { k: 'list', elem: STR }];
        const ty = sources[r.a % sources.length]!;
        const it = e(ty, 0, 2);
        const elem: ScalarTy = ty.k === 'list' ? ty.elem : ty.k === 'str' ? STR : FLOAT;
        const name = this.fresh(ctx, 'x');
        const trips = ty.k === 'str' ? STR_CAP : ty.k === 'tuple' ? 2 : LIST_MAX;
        this.note(`for over ${ty.k}`);
        return [`for ${name} in ${it.text}:`, ...this.loopBody(ctx, r, trips, { name, ty: elem, assignable: true, global: ctx.frame.isMain })];
      }
      case 'break or continue': {
        if (!ctx.loop) return null;
        const word = r.a % 2 ? 'continue' : 'break';
        this.note(word);
        return [`if ${e(BOOL, 0).text}:`, `    ${word}`];
      }
      case 'return': {
        if (ctx.frame.returns === null) return null;
        this.note('return');
        return [`if ${e(BOOL, 0).text}:`, `    return ${e(ctx.frame.returns, 1).text}`];
      }
      case 'try':
        return this.tryStatement(ctx, r);
      case 'raise': {
        if (ctx.raises === null) return null;
        return [this.raiseText(ctx, r.a, r.b)];
      }
      case 'risky operation':
        return this.risky(ctx, r);
      case 'list operation': {
        const lists = ctx.vars.filter((v) => v.ty.k === 'list');
        if (lists.length === 0) return null;
        const l = lists[r.a % lists.length]!;
        const elem = (l.ty as { elem: ScalarTy }).elem;
        this.note('list method');
        switch (r.b % 4) {
          case 0:
            return [`if len(${l.name}) < ${LIST_APPEND_BELOW}:`, `    ${l.name}.append(${e(elem, 0).text})`];
          case 1:
            return [`if len(${l.name}) > 0:`, `    print(${l.name}.pop()${r.c % 2 ? '' : `, ${l.name}`})`];
          case 2: {
            const index = r.c % 2 ? '-1' : '0';
            return [`if len(${l.name}) > 0:`, `    ${l.name}[${index}] = ${e(elem, 0).text}`];
          }
          default: {
            const k = r.c % 3;
            return [`if len(${l.name}) > ${k}:`, `    print(${l.name}[${k}], ${l.name}[-${k + 1}])`];
          }
        }
      }
      case 'attribute assignment': {
        const objs = ctx.vars.filter((v) => v.ty.k === 'obj' && this.classes[v.ty.cls]!.fields.length > 0);
        if (objs.length === 0) return null;
        const o = objs[r.a % objs.length]!;
        const fields = this.classes[(o.ty as { cls: number }).cls]!.fields;
        const f = fields[r.b % fields.length]!;
        this.note('attribute assignment');
        return [`${o.name}.${f.name} = ${e(f.ty, 0).text}`];
      }
      case 'tuple assignment': {
        const a = this.assignTarget(ctx, null, r.a);
        if (!a) return null;
        const peers = ctx.vars.filter((v) => v.assignable && sameTy(v.ty, a.ty) && v.name !== a.name);
        this.note('tuple assignment');
        if (peers.length > 0 && r.b % 2 === 0) {
          const b = peers[r.c % peers.length]!;
          this.assigning(ctx, a);
          this.assigning(ctx, b);
          return [`${a.name}, ${b.name} = ${b.name}, ${a.name}`];
        }
        const t: Ty = { k: 'tuple', elems: [INT8, FLOAT] };
        const x = this.fresh(ctx, 'v');
        const y = this.fresh(ctx, 'v');
        const source = r.b % 3 === 1 ? e(t, 0).text : `${e(INT8, 0).text}, ${e(FLOAT, 1).text}`;
        ctx.vars.push({ name: x, ty: INT8, assignable: true, global: ctx.frame.isMain }, { name: y, ty: FLOAT, assignable: true, global: ctx.frame.isMain });
        return [`${x}, ${y} = ${source}`];
      }
      case 'call': {
        // Any callable in reach, whatever it returns; the result is printed unless it is an object.
        const options = this.callables(ctx, null);
        if (options.length === 0) return null;
        const chosen = options[r.a % options.length]!;
        const made = this.callText(ctx, chosen.text, chosen.callee, { form: 0, a: r.b, b: r.c, kids: r.exprs }, 3);
        return [chosen.callee.sig.returns.k === 'obj' ? made.text : `print(${made.text})`];
      }
      case 'float to int': {
        const f = e(FLOAT, 0);
        this.note('float to int');
        const floor = r.a % 2 === 0;
        if (floor) this.usesMath = true;
        return [`if abs(${f.text}) < 1e15:`, `    print(int(${f.text}), ${floor ? `math.floor(${f.text})` : `int(-${paren(f.text)})`})`];
      }
      case 'time and sys': {
        // Nothing time-dependent is printed: perf_counter only compared with itself.
        if (r.a % 2 === 0) {
          this.usesSys = true;
          this.note('sys.argv');
          return ['print(len(sys.argv), sys.argv[0] == sys.argv[-1], len(sys.argv[0]))'];
        }
        this.usesTime = true;
        this.note('time.perf_counter');
        const name = this.fresh(ctx, 't');
        return [`${name} = time.perf_counter()`, `print(time.perf_counter() >= ${name}, isinstance(${name}, float))`];
      }
      case 'new object': {
        if (this.classes.length === 0) return null;
        const cls = r.a % this.classes.length;
        const value = this.construct(cls, ctx, { form: 0, a: r.b, b: r.c, kids: r.exprs }, 3);
        const name = this.fresh(ctx, 'o');
        ctx.vars.push({ name, ty: { k: 'obj', cls }, assignable: true, global: ctx.frame.isMain });
        return [`${name} = ${value.text}`];
      }
    }
  }

  loopBody(ctx: Ctx, r: StmtRecipe, trips: number, loopVar: Var | null): string[] {
    const inner: Ctx = { ...ctx, vars: loopVar ? [...ctx.vars, loopVar] : [...ctx.vars] };
    if (ctx.loop) this.note('nested loop');
    return this.block(inner, r.body, { loop: true, multiplier: ctx.multiplier * trips });
  }

  exceptionNames(): string[] {
    return [...BUILTIN_EXCEPTIONS, ...this.exceptions.map((x) => x.name)];
  }

  parentOf(name: string): string | null {
    if (name === 'Exception') return null;
    const user = this.exceptions.find((x) => x.name === name);
    return user ? user.base : 'Exception';
  }

  catches(handler: string, raised: string): boolean {
    for (let c: string | null = raised; c !== null; c = this.parentOf(c)) if (c === handler) return true;
    return false;
  }

  /** Whether raising `name` needs one message argument (it or a base has a custom __init__). */
  takesMessage(name: string): boolean {
    for (let c: string | null = name; c !== null; c = this.parentOf(c)) if (this.exceptions.some((x) => x.name === c && x.custom)) return true;
    return false;
  }

  raiseText(ctx: Ctx, a: number, b: number): string {
    const names = this.exceptionNames();
    const name = names[(a + 1) % names.length]!;
    const user = this.exceptions.find((x) => x.name === name);
    ctx.raises?.add(name);
    this.note('raise');
    if (user) this.note('user exception raised');
    const message = [strLiteral(`bad ${b % 10}`), String(b % 50 - 10), ''][this.takesMessage(name) ? 0 : b % 3]!;
    return `raise ${name}(${message})`;
  }

  /** A statement that may raise a builtin exception, added to the enclosing accumulator. */
  risky(ctx: Ctx, r: StmtRecipe): string[] | null {
    if (ctx.raises === null) return null;
    const add = (name: string) => ctx.raises!.add(name);
    switch (r.a % 7) {
      case 0: {
        const x = this.expr(ctx, INT64, r.exprs[0], 2);
        const y = this.expr(ctx, INT8, r.exprs[1], 1);
        add('ZeroDivisionError');
        this.note('raw division');
        const op = ['//', '%', '/'][r.b % 3]!;
        return [`print(${paren(x.text)} ${op} ${paren(y.text)})`];
      }
      case 1: {
        const lists = ctx.vars.filter((v) => v.ty.k === 'list');
        add('IndexError');
        this.note('raw index');
        if (lists.length === 0) return [`print(${this.strLiteral(r.b, r.c).text}[${r.c % 5 - 2}])`];
        const l = lists[r.b % lists.length]!;
        return [r.c % 3 === 0 ? `print(${l.name}.pop())` : `print(${l.name}[${(r.c % 7) - 3}])`];
      }
      case 2:
        add('NameError');
        this.note('NameError');
        return [`print(undefined_${r.b % 3})`];
      case 3: {
        const objs = ctx.vars.filter((v) => v.ty.k === 'obj');
        if (objs.length === 0) return null;
        add('AttributeError');
        this.note('AttributeError');
        return [`print(${objs[r.b % objs.length]!.name}.missing_${r.c % 3})`];
      }
      case 4: {
        add('TypeError');
        this.note('TypeError');
        const pairs: [Ty, Ty, string][] = [
          [INT64, STR, '+'],
          [STR, INT8, '+'],
          [STR, FLOAT, '*'],
          [{ k: 'list', elem: INT64 }, INT8, '<'],
          [FLOAT, STR, '-'],
        ];
        const [t, u, op] = pairs[r.b % pairs.length]!;
        return [`print(${paren(this.expr(ctx, t, r.exprs[0], 1).text)} ${op} ${paren(this.expr(ctx, u, r.exprs[1], 1).text)})`];
      }
      default:
        return [this.raiseText(ctx, r.b, r.c)];
    }
  }

  tryStatement(ctx: Ctx, r: StmtRecipe): string[] {
    const raised = new Set<string>();
    // The body always holds something that can raise (its first statement), then the recipe's.
    const first: StmtRecipe = { ...r, kind: 0, body: [], orelse: [] };
    const inner: Ctx = { ...ctx, vars: [...ctx.vars], depth: ctx.depth + 1, raises: raised };
    const bodyLines = [...(this.risky(inner, first) ?? [this.raiseText(inner, r.b, r.c)]), ...r.body.flatMap((s) => this.stmt(inner, s))];
    const lines = ['try:', ...bodyLines.map((l) => `    ${l}`)];
    const names = this.exceptionNames();
    const handlers: string[] = [];
    const choose = (n: number) => names[n % names.length]!;
    // Handlers the recipe picks (they may or may not match), then one per exception left uncaught.
    const picked = [r.b % 3 === 0 ? choose(r.c + 3) : null, choose(r.c)].filter((h): h is string => h !== null);
    for (const h of picked) if (!handlers.includes(h)) handlers.push(h);
    for (const x of raised) {
      if (handlers.some((h) => this.catches(h, x))) continue;
      let h = x;
      for (let up = r.a % 3; up > 0 && this.parentOf(h) !== null; up--) h = this.parentOf(h)!;
      handlers.push(h);
    }
    const bare = r.c % 7 === 3;
    handlers.forEach((h, k) => {
      const useAs = (r.a + k) % 3 !== 2;
      const variable = this.fresh(ctx, 'e');
      lines.push(useAs ? `except ${h} as ${variable}:` : `except ${h}:`);
      const body = k === handlers.length - 1 ? this.block(ctx, r.orelse) : [];
      lines.push(useAs ? `    print(${strLiteral(h)}, ${variable})` : `    print(${strLiteral(`caught ${h}`)})`, ...body.filter((l) => l !== '    pass'));
      if (this.exceptions.some((x) => x.name === h)) this.note('user exception caught');
      if ([...raised].some((x) => x !== h && this.catches(h, x))) this.note('caught by a base class');
    });
    if (bare) {
      lines.push('except:', `    print("bare except")`);
      this.note('bare except');
    }
    this.note('try');
    return lines;
  }

  // ---- definitions ---------------------------------------------------------------------------

  signature(fr: FunctionRecipe, allowObjects: boolean): Signature {
    const params = fr.params.map((p) => this.typeFor(p, allowObjects));
    let lastMutable = -1;
    params.forEach((t, i) => {
      if (t.k === 'obj' || t.k === 'list') lastMutable = i;
    });
    const defaultable = params.length - lastMutable - 1;
    const count = Math.min(defaultable, fr.defaults % (params.length + 1));
    const defaults = params.slice(params.length - count).map((t, i) => this.literal(t, { form: 0, a: fr.defaults + i * 7, b: fr.defaults + i, kids: [] }).text);
    if (count > 0) this.note('parameter defaults');
    return { params, defaults, returns: this.typeFor(fr.returns, allowObjects) };
  }

  frame(methodLimit: number, functionLimit: number, returns: Ty | null, self: number | null, isMain: boolean): Frame {
    return { methodLimit, functionLimit, returns, self, isMain, cost: 0, globalsAssigned: new Set(), counter: 0 };
  }

  /** A callable's body: params in scope, the statements, then `return <result>`. */
  body(frame: Frame, params: Var[], fr: FunctionRecipe, sig: Signature, raises: Set<string>): string[] {
    const ctx: Ctx = { frame, vars: [...this.globals, ...params], loop: false, multiplier: 1, raises, depth: 1 };
    const lines = fr.body.flatMap((s) => this.stmt(ctx, s));
    lines.push(`return ${this.fitTo(sig.returns, this.expr(ctx, sig.returns, fr.result, 3), fr.returns).text}`);
    const globals = [...frame.globalsAssigned];
    return [...(globals.length ? [`global ${globals.join(', ')}`] : []), ...lines];
  }

  paramList(sig: Signature, self: boolean): { text: string; vars: Var[] } {
    const names = sig.params.map((_, i) => `p${i}`);
    const required = sig.params.length - sig.defaults.length;
    const text = names.map((n, i) => (i < required ? n : `${n}=${sig.defaults[i - required]}`));
    return { text: [...(self ? ['self'] : []), ...text].join(', '), vars: names.map((name, i) => ({ name, ty: sig.params[i]!, assignable: true, global: false })) };
  }

  build(recipe: ProgramRecipe): BuiltProgram {
    const out: string[] = [];
    // Exceptions.
    recipe.exceptions.forEach((x, k) => {
      const bases = [...BUILTIN_EXCEPTIONS, ...this.exceptions.map((e) => e.name)];
      const base = bases[x.base % bases.length]!;
      const custom = x.custom % 4 === 3 && !this.exceptions.some((e) => e.name === base && e.custom) && !this.off('exception with __init__');
      const name = `E${k}`;
      this.exceptions.push({ name, base, custom });
      this.note('user exception class');
      out.push(`class ${name}(${base}):`);
      if (custom) {
        this.note('exception with __init__');
        out.push('    def __init__(self, message):', `        ${base}.__init__(self, message)`, '        self.detail = len(message)');
      } else out.push('    pass');
      out.push('');
    });
    // Classes: structure first (fields, constructor, method names), bodies by method-name order.
    const methodBodies: { cls: number; id: number; recipe: FunctionRecipe; abstract: boolean; callsBase: boolean }[] = [];
    let fieldCounter = 0;
    recipe.classes.forEach((c, k) => {
      const base = c.base % (k + 1) === 0 ? null : (c.base % (k + 1)) - 1;
      const baseInfo = base === null ? null : this.classes[base]!;
      const ownInit = base === null ? c.fields.length > 0 || c.init % 3 === 0 : c.init % 4 !== 3;
      const own = ownInit ? c.fields.map((f) => ({ name: `a${fieldCounter++}`, ty: this.typeFor(f, false) })) : [];
      const info: ClassInfo = {
        name: `C${k}`,
        base,
        fields: [...(baseInfo?.fields ?? []), ...own],
        ctor: [...(baseInfo?.ctor ?? []), ...own.map((f) => f.ty)],
        ownInit,
        implements: new Set(),
        methods: new Set(baseInfo?.methods ?? []),
      };
      this.classes.push(info);
      if (base !== null) this.note('inheritance');
      for (const m of c.methods) {
        const inherited = [...info.methods].filter((id) => !info.implements.has(id));
        let id: number;
        if (inherited.length > 0 && m.override % 3 !== 0) {
          id = inherited[m.override % inherited.length]!;
          this.note('method override');
        } else {
          id = this.methodNames.length;
          this.methodNames.push({ name: `m${id}`, id, owner: k, sig: this.signature(m, false), cost: 0, raises: new Set() });
        }
        info.implements.add(id);
        info.methods.add(id);
        const abstract = base === null && m.abstract % 5 === 4 && this.methodNames[id]!.owner === k;
        methodBodies.push({ cls: k, id, recipe: m, abstract, callsBase: base !== null && this.methodNames[id]!.owner !== k && m.callsBase % 3 !== 0 });
      }
    });
    const methodText = new Map<string, string[]>();
    for (const id of this.methodNames.map((m) => m.id)) {
      for (const mb of methodBodies.filter((b) => b.id === id)) {
        const m = this.methodNames[id]!;
        const frame = this.frame(id, 0, m.sig.returns, mb.cls, false);
        const { text, vars } = this.paramList(m.sig, true);
        const self: Var = { name: 'self', ty: { k: 'obj', cls: mb.cls }, assignable: false, global: false };
        let lines: string[];
        if (mb.abstract) {
          m.raises.add('NotImplementedError');
          this.note('abstract method');
          lines = [`raise NotImplementedError(${strLiteral(`${m.name} is abstract`)})`];
        } else {
          const raises = new Set<string>();
          const frameBody = this.body(frame, [self, ...vars], mb.recipe, m.sig, raises);
          if (mb.callsBase) {
            // Base.method(self, …): the nearest base that implements it.
            let owner = this.classes[mb.cls]!.base;
            while (owner !== null && !this.classes[owner]!.implements.has(id)) owner = this.classes[owner]!.base;
            const baseName = this.classes[owner!]!.name;
            const call = `${baseName}.${m.name}(self${vars.length ? ', ' : ''}${vars.map((v) => v.name).join(', ')})`;
            const prior = methodBodies.find((b) => b.id === id && b.cls === owner);
            const shown = m.sig.returns.k === 'obj' ? call : `print(${call})`;
            if (prior && (prior.abstract || m.raises.size > 0)) {
              frameBody.unshift('try:', `    ${shown}`, 'except NotImplementedError as e:', '    print("abstract base:", e)');
            } else frameBody.unshift(shown);
            this.note('Base.method(self)');
          }
          for (const x of raises) m.raises.add(x);
          m.cost = Math.max(m.cost, frame.cost + 2);
          lines = frameBody;
        }
        methodText.set(`${mb.cls}:${id}`, [`    def ${m.name}(${text}):`, ...lines.map((l) => `        ${l}`)]);
      }
    }
    this.classes.forEach((info, k) => {
      out.push(info.base === null ? (k % 2 ? `class ${info.name}(object):` : `class ${info.name}:`) : `class ${info.name}(${this.classes[info.base]!.name}):`);
      const body: string[] = [];
      if (info.ownInit) {
        this.note('__init__');
        const params = info.ctor.map((_, i) => `q${i}`);
        body.push(`    def __init__(${['self', ...params].join(', ')}):`);
        const baseInfo = info.base === null ? null : this.classes[info.base]!;
        // A base with no __init__ in its chain answers Base.__init__ with object.__init__.
        const objectInit = (c: number | null): boolean => c === null || (!this.classes[c]!.ownInit && objectInit(this.classes[c]!.base));
        if (baseInfo && !(objectInit(info.base) && this.off('object.__init__ call'))) {
          const baseArgs = params.slice(0, baseInfo.ctor.length);
          body.push(`        ${baseInfo.name}.__init__(${['self', ...baseArgs].join(', ')})`);
          this.note(objectInit(info.base) ? 'object.__init__ call' : 'Base.__init__(self)');
        }
        const start = baseInfo ? baseInfo.ctor.length : 0;
        info.fields.slice(baseInfo?.fields.length ?? 0).forEach((f, i) => body.push(`        self.${f.name} = q${start + i}`));
        if (body.length === 1) body.push('        pass');
      }
      for (const id of info.implements) body.push(...methodText.get(`${k}:${id}`)!);
      out.push(...(body.length ? body : ['    pass']), '');
    });
    // Globals.
    recipe.globals.forEach((g, k) => {
      const ty = this.typeFor(g.type, false);
      const name = `g${k}`;
      out.push(`${name} = ${this.literal(ty, g.init).text}`);
      this.globals.push({ name, ty, assignable: true, global: true });
    });
    if (recipe.globals.length) out.push('');
    // Functions.
    recipe.functions.forEach((fr, k) => {
      const sig = this.signature(fr, true);
      const f = { name: `f${k}`, sig, cost: 0, raises: new Set<string>() };
      const frame = this.frame(this.methodNames.length, k, sig.returns, null, false);
      const { text, vars } = this.paramList(sig, false);
      const lines = this.body(frame, vars, fr, sig, f.raises);
      f.cost = frame.cost + 2;
      this.functions.push(f);
      out.push(`def ${f.name}(${text}):`, ...lines.map((l) => `    ${l}`), '');
    });
    // The main program: statements that can raise only inside try.
    const main = this.frame(this.methodNames.length, this.functions.length, null, null, true);
    const ctx: Ctx = { frame: main, vars: [...this.globals], loop: false, multiplier: 1, raises: null, depth: 0 };
    for (const s of recipe.main) out.push(...this.stmt(ctx, s));
    const expectsUncaught = recipe.tail >= 1000 - UNCAUGHT_TAIL_PER_MILLE;
    if (expectsUncaught) {
      const sink = new Set<string>();
      const tailCtx: Ctx = { ...ctx, raises: sink };
      const kind = recipe.tailKind % 3;
      out.push(kind === 0 ? this.raiseText(tailCtx, recipe.tailKind, recipe.tail) : kind === 1 ? `print(${this.intLiteral(recipe.tailKind, 64).text} // 0)` : `print([${recipe.tailKind % 3}][${1 + (recipe.tail % 3)}])`);
      this.note('uncaught exception');
    }
    const imports = [...(this.usesMath ? ['import math'] : []), ...(this.usesTime ? ['import time'] : []), ...(this.usesSys ? ['import sys'] : [])];
    const header = imports.length ? [...imports, ''] : [];
    return { source: `${[...header, ...out].join('\n')}\n`, features: this.features, expectsUncaught, exceptionNames: this.exceptionNames() };
  }
}

/** Statement kinds, weighted by repetition; index 0 (`print`) is what a shrunk kind becomes. */
type StatementKind =
  | 'print'
  | 'new variable'
  | 'assign'
  | 'augmented assignment'
  | 'if'
  | 'for range'
  | 'while'
  | 'for each'
  | 'break or continue'
  | 'return'
  | 'try'
  | 'raise'
  | 'risky operation'
  | 'list operation'
  | 'attribute assignment'
  | 'tuple assignment'
  | 'call'
  | 'float to int'
  | 'time and sys'
  | 'new object';

const STATEMENT_KINDS: readonly StatementKind[] = [
  'print', 'new variable', 'new variable', 'assign', 'augmented assignment', 'if', 'for range', 'print',
  'while', 'for each', 'break or continue', 'return', 'try', 'try', 'raise', 'list operation',
  'attribute assignment', 'tuple assignment', 'call', 'call', 'float to int', 'new object', 'new variable',
  'augmented assignment', 'new object', 'risky operation', 'time and sys',
];

export function buildProgram(recipe: ProgramRecipe, options: BuildOptions = {}): BuiltProgram {
  return new Builder(options).build(recipe);
}
