/**
 * The guest language's parser: tokens (lexer.ts) to the AST (ast.ts), by recursive descent
 * over CPython 3.11's grammar restricted to the subset, then the compile-time checks
 * (check.ts). `parseModule` returns a Module or throws a located `SourceError`; nothing else.
 *
 * Precedence, lowest first, exactly Python's:
 *   x if c else y   or   and   not x   comparisons (chained: in, not in, is, is not, < … !=)
 *   + -   * / // %   unary - +   **   (right-associative, and binding tighter than a unary
 *   minus on its left: -2**2 == -4, 2**-1 == 0.5)   x.a  x[i]  x(…)   atoms
 * `| ^ & << >> ~ @` are parsed at their Python levels only to be reported as not supported.
 *
 * Bounded recursion. The parser recurses only through parentheses (at most 200 deep, the
 * lexer's bound) and through prefix and right-associative operators (`not`, unary `-`/`+`, `**`,
 * `… else …`), which count in `nesting`, bounded by MAX_NESTING. Left-associative chains are
 * loops, but they build deep trees that the compiler will walk recursively, so every expression
 * tree is also bounded in depth (MAX_EXPR_DEPTH); block nesting is bounded by the lexer's
 * 100 indentation levels. Past a bound, a located error, never a stack overflow.
 *
 * Constructs outside the subset are reported where they start, as `<construct> is not
 * supported`; syntax errors say what was expected and what was found; CPython's own messages are
 * used where it has a specific one (`'(' was never closed`, `expected ':'`,
 * `cannot assign to literal here. Maybe you meant '==' instead of '='?`, …).
 */
import type {
  Arg,
  Attribute,
  CmpOperator,
  Expr,
  ExceptHandler,
  ExprContext,
  Module,
  Name,
  Operator,
  Pos,
  Stmt,
  Subscript,
  Target,
} from './ast.ts';
import { checkModule } from './check.ts';
import { SourceError } from './errors.ts';
import { describeToken, tokenize, type Token } from './lexer.ts';

/** How deep prefix/right-recursive operators and parentheses may nest in one expression. */
export const MAX_NESTING = 200;
/** How deep any expression tree may be (left-associative chains included). */
export const MAX_EXPR_DEPTH = 1000;
/**
 * How deep statements may nest in the tree: blocks, and `elif` clauses (each one an If nested
 * in the previous one's orelse, as in CPython's tree).
 */
export const MAX_BLOCK_DEPTH = 300;

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Statements that start with a keyword and are outside the subset. */
const UNSUPPORTED_STATEMENTS: Record<string, string> = {
  with: "the 'with' statement",
  async: "'async'",
  await: "'await'",
  del: "the 'del' statement",
  assert: "the 'assert' statement",
  nonlocal: "the 'nonlocal' statement",
  yield: "'yield'",
  from: "'from … import'",
  lambda: "'lambda'",
};

const AUG_OPERATORS: Record<string, Operator> = {
  '+=': 'Add', '-=': 'Sub', '*=': 'Mult', '/=': 'Div', '//=': 'FloorDiv', '%=': 'Mod', '**=': 'Pow',
};
const UNSUPPORTED_AUG = new Set(['&=', '|=', '^=', '<<=', '>>=', '@=']);
const COMPARISONS: Record<string, CmpOperator> = { '==': 'Eq', '!=': 'NotEq', '<': 'Lt', '<=': 'LtE', '>': 'Gt', '>=': 'GtE' };
/** The names of unsupported constructs that read as plurals ("… are not supported"). */
const PLURAL = /(?:s|expressions|arguments|parameters|displays|annotations|definition)$/;
const BITWISE_OPERATORS = new Set(['|', '^', '&', '<<', '>>']);

/** Parses a whole module. Throws only `SourceError`. */
export function parseModule(source: string): Module {
  const module = new Parser(tokenize(source)).module();
  checkModule(module);
  return module;
}

class Parser {
  private index = 0;
  private nesting = 0;
  private blockDepth = 0;
  /** The depth of each expression tree built (leaves are 1); Names and Constants are absent. */
  private readonly depth = new WeakMap<Expr, number>();
  /**
   * Where a parenthesized expression's outermost '(' is: a node built on it (the BinOp of
   * `(a + b) * c`, the Call of `(f)(x)`) starts there, as in CPython.
   */
  private readonly parenStart = new WeakMap<Expr, Pos>();

  constructor(private readonly tokens: readonly Token[]) {}

  // --- tokens -------------------------------------------------------------------------------

  /** The current token (a method, not a getter, so TypeScript never narrows it across a `next()`). */
  private cur(): Token {
    return this.tokens[this.index]!;
  }
  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const token = this.cur();
    if (token.kind !== 'eof') this.index++;
    return token;
  }
  private isOp(text: string, token = this.cur()): boolean {
    return token.kind === 'op' && token.text === text;
  }
  private isKeyword(text: string, token = this.cur()): boolean {
    return token.kind === 'name' && token.text === text;
  }
  private fail(message: string, at: Pos = this.cur()): never {
    throw new SourceError(message, at);
  }
  /** `what` is a singular construct (`the 'with' statement`) or a plural one (`slices`). */
  private unsupported(what: string, at: Pos = this.cur()): never {
    throw new SourceError(`${what} ${PLURAL.test(what) ? 'are' : 'is'} not supported`, at);
  }
  /** Where a missing token is reported: just past the previous token, if on this line. */
  private missingAt(): Pos {
    const prev = this.tokens[this.index - 1];
    const token = this.cur();
    if (prev && (token.kind === 'newline' || token.kind === 'eof' || token.kind === 'indent' || token.kind === 'dedent')) {
      return { line: prev.endLine, col: prev.endCol };
    }
    return token;
  }
  private expectOp(text: string, context: string): Token {
    if (this.isOp(text)) return this.next();
    if (text === ':') this.fail("expected ':'", this.missingAt());
    return this.fail(`expected '${text}' ${context}, found ${describeToken(this.cur())}`, this.missingAt());
  }
  private expectName(what: string): Token {
    const token = this.cur();
    if (token.kind !== 'name' || KEYWORDS.has(token.text)) {
      this.fail(`expected ${what}, found ${describeToken(token)}`, this.missingAt());
    }
    return this.next();
  }
  private expectNewline(after: string) {
    const token = this.cur();
    if (token.kind === 'newline') {
      this.next();
      return;
    }
    if (token.kind === 'eof') return;
    this.reportUnsupportedHere();
    this.fail(`expected end of line after ${after}, found ${describeToken(token)}`);
  }

  /** If the current token starts or continues a construct outside the subset, reports it. */
  private reportUnsupportedHere(): void {
    const t = this.cur();
    if (t.kind === 'op') {
      if (BITWISE_OPERATORS.has(t.text)) this.unsupported(`the '${t.text}' operator`);
      if (t.text === '@') this.unsupported("the '@' operator");
      if (t.text === ':=') this.unsupported("assignment expressions (':=')");
      if (UNSUPPORTED_AUG.has(t.text)) this.unsupported(`the '${t.text}' operator`);
      if (t.text === ':') this.unsupported('annotations');
    }
    if (t.kind === 'name') {
      if (t.text === 'for') this.unsupported('comprehensions and generator expressions');
      if (t.text === 'if') this.fail("expected 'else' after 'if' expression");
    }
  }

  // --- statements ---------------------------------------------------------------------------

  module(): Module {
    const body: Stmt[] = [];
    while (this.cur().kind !== 'eof') {
      if (this.cur().kind === 'newline') {
        this.next();
        continue;
      }
      body.push(...this.statement());
    }
    return { kind: 'Module', body };
  }

  /** One statement line: a compound statement, or simple statements separated by ';'. */
  private statement(): Stmt[] {
    const t = this.cur();
    if (t.kind === 'indent') this.fail('unexpected indent');
    if (t.kind === 'dedent') this.fail('unindent does not match any outer indentation level');
    if (t.kind === 'name') {
      switch (t.text) {
        case 'if':
          return [this.ifStatement()];
        case 'while':
          return [this.whileStatement()];
        case 'for':
          return [this.forStatement()];
        case 'def':
          return [this.functionDef()];
        case 'class':
          return [this.classDef()];
        case 'try':
          return [this.tryStatement()];
      }
    }
    if (this.isOp('@')) this.unsupported('decorators');
    return this.simpleStatements();
  }

  private simpleStatements(): Stmt[] {
    const body: Stmt[] = [this.simpleStatement()];
    while (this.isOp(';')) {
      this.next();
      if (this.cur().kind === 'newline' || this.cur().kind === 'eof') break;
      body.push(this.simpleStatement());
    }
    this.expectNewline('a statement');
    return body;
  }

  private simpleStatement(): Stmt {
    const t = this.cur();
    const at = { line: t.line, col: t.col };
    if (t.kind === 'name') {
      const unsupported = UNSUPPORTED_STATEMENTS[t.text];
      if (unsupported !== undefined) this.unsupported(unsupported);
      switch (t.text) {
        case 'pass':
          this.next();
          return { kind: 'Pass', ...at };
        case 'break':
          this.next();
          return { kind: 'Break', ...at };
        case 'continue':
          this.next();
          return { kind: 'Continue', ...at };
        case 'return': {
          this.next();
          const value = this.atStatementEnd() ? null : this.expressionList();
          return { kind: 'Return', value, ...at };
        }
        case 'global': {
          this.next();
          const names = [this.expectName("a name after 'global'").text];
          while (this.isOp(',')) {
            this.next();
            names.push(this.expectName("a name after ','").text);
          }
          return { kind: 'Global', names, ...at };
        }
        case 'raise': {
          this.next();
          const exc = this.atStatementEnd() ? null : this.expression();
          if (this.isKeyword('from')) this.unsupported("'raise … from'");
          return { kind: 'Raise', exc, ...at };
        }
        case 'import':
          return this.importStatement();
      }
    }
    return this.expressionStatement();
  }

  private atStatementEnd(): boolean {
    const t = this.cur();
    return t.kind === 'newline' || t.kind === 'eof' || this.isOp(';');
  }

  private importStatement(): Stmt {
    const at = this.next();
    const names = [];
    do {
      if (names.length > 0) this.next();
      const name = this.expectName("a module name after 'import'");
      if (this.isOp('.')) this.unsupported('importing a submodule');
      let asname: string | null = null;
      if (this.isKeyword('as')) {
        this.next();
        asname = this.expectName("a name after 'as'").text;
      }
      names.push({ name: name.text, asname, line: name.line, col: name.col });
    } while (this.isOp(','));
    return { kind: 'Import', names, line: at.line, col: at.col };
  }

  /** An expression statement, an assignment (possibly chained) or an augmented assignment. */
  private expressionStatement(): Stmt {
    const start = this.cur();
    if (start.kind === 'newline' || this.isOp(';')) this.fail(`expected a statement, found ${describeToken(start)}`);
    const first = this.expressionList();
    const at = { line: start.line, col: start.col };
    const t = this.cur();
    if (t.kind === 'op' && AUG_OPERATORS[t.text] !== undefined) {
      const target = this.augTarget(first);
      this.next();
      const value = this.expressionList();
      return { kind: 'AugAssign', target, op: AUG_OPERATORS[t.text]!, value, ...at };
    }
    if (!this.isOp('=')) {
      if (!this.atStatementEnd()) this.reportUnsupportedHere();
      return { kind: 'Expr', value: first, ...at };
    }
    const items: Expr[] = [first];
    while (this.isOp('=')) {
      this.next();
      if (this.isKeyword('yield')) this.unsupported("'yield'");
      items.push(this.expressionList());
    }
    const value = items.pop()!;
    const targets = items.map((e) => this.toTarget(e, 'assign'));
    return { kind: 'Assign', targets, value, ...at };
  }

  /** The target of `x op= …`: a name, attribute or subscript, in Store context. */
  private augTarget(e: Expr): Name | Attribute | Subscript {
    if (e.kind === 'Name' || e.kind === 'Attribute' || e.kind === 'Subscript') return { ...e, ctx: 'Store' };
    const what =
      e.kind === 'Constant'
        ? e.value === null || typeof e.value === 'boolean'
          ? String(constantName(e.value))
          : 'literal'
        : e.kind === 'Tuple'
          ? 'tuple'
          : e.kind === 'List'
            ? 'list'
            : e.kind === 'Call'
              ? 'function call'
              : e.kind === 'Compare'
                ? 'comparison'
                : 'expression';
    return this.fail(`'${what}' is an illegal expression for augmented assignment`, e);
  }

  /**
   * `e` as an assignment target (`assign`: after `=`, with CPython's "Maybe you meant '=='"
   * hint; `for`: a loop variable). Tuples and lists convert element-wise; the walk follows the
   * tree, whose depth is bounded (MAX_EXPR_DEPTH).
   */
  private toTarget(e: Expr, where: 'assign' | 'for'): Target {
    switch (e.kind) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        return { ...e, ctx: 'Store' };
      case 'Tuple':
      case 'List':
        return { ...e, elts: e.elts.map((x) => this.toTarget(x, where)), ctx: 'Store' } as Target;
      case 'Constant':
        if (e.value === null || typeof e.value === 'boolean') this.fail(`cannot assign to ${constantName(e.value)}`, e);
    }
    const what =
      e.kind === 'Constant'
        ? 'literal'
        : e.kind === 'Call'
          ? 'function call'
          : e.kind === 'Compare'
            ? 'comparison'
            : e.kind === 'IfExp'
              ? 'conditional expression'
              : 'expression';
    const hint = where === 'assign' && !(e.kind === 'Compare') ? " here. Maybe you meant '==' instead of '='?" : '';
    return this.fail(`cannot assign to ${what}${hint}`, e);
  }

  /** The block after a compound statement's ':' (the header's keyword and line name it). */
  private block(keyword: string, header: Token): Stmt[] {
    this.expectOp(':', '');
    if (this.cur().kind !== 'newline') {
      if (this.cur().kind === 'eof') this.fail(`expected an indented block after ${keyword} on line ${header.line}`);
      return this.simpleStatements();
    }
    this.next();
    const first = this.peek(0);
    if (first.kind !== 'indent') {
      this.fail(`expected an indented block after ${keyword} on line ${header.line}`, first.kind === 'eof' ? this.missingAt() : first);
    }
    this.next();
    const body: Stmt[] = [];
    if (++this.blockDepth > MAX_BLOCK_DEPTH) this.fail(`too many nested blocks (more than ${MAX_BLOCK_DEPTH}, counting each 'elif')`, header);
    while (this.cur().kind !== 'dedent' && this.cur().kind !== 'eof') {
      if (this.cur().kind === 'newline') {
        this.next();
        continue;
      }
      body.push(...this.statement());
    }
    if (this.cur().kind === 'dedent') this.next();
    this.blockDepth--;
    return body;
  }

  private ifStatement(): Stmt {
    // An elif chain is a loop here (each elif is an If alone in the previous one's orelse), so
    // a long chain nests the tree but not the parser's stack.
    const first = this.next();
    const test = this.expression();
    const body = this.block("'if' statement", first);
    const chain: { test: Expr; body: Stmt[]; at: Token }[] = [{ test, body, at: first }];
    let orelse: Stmt[] = [];
    const outerDepth = this.blockDepth;
    while (this.isKeyword('elif')) {
      const at = this.next();
      if (++this.blockDepth > MAX_BLOCK_DEPTH) this.fail(`too many nested blocks (more than ${MAX_BLOCK_DEPTH}, counting each 'elif')`, at);
      const t = this.expression();
      chain.push({ test: t, body: this.block("'elif' statement", at), at });
    }
    if (this.isKeyword('else')) {
      const at = this.next();
      orelse = this.block("'else' statement", at);
    }
    this.blockDepth = outerDepth;
    for (let k = chain.length - 1; k >= 0; k--) {
      const c = chain[k]!;
      orelse = [{ kind: 'If', test: c.test, body: c.body, orelse, line: c.at.line, col: c.at.col }];
    }
    return orelse[0]!;
  }

  private loopElse() {
    if (this.isKeyword('else')) this.unsupported("an 'else' clause on a loop");
  }

  private whileStatement(): Stmt {
    const at = this.next();
    const test = this.expression();
    const body = this.block("'while' statement", at);
    this.loopElse();
    return { kind: 'While', test, body, line: at.line, col: at.col };
  }

  private forStatement(): Stmt {
    const at = this.next();
    const targetExpr = this.targetList();
    if (!this.isKeyword('in')) this.fail(`expected 'in' after the target of 'for', found ${describeToken(this.cur())}`, this.missingAt());
    this.next();
    const iter = this.expressionList();
    const target = this.toTarget(targetExpr, 'for');
    const body = this.block("'for' statement", at);
    this.loopElse();
    return { kind: 'For', target, iter, body, line: at.line, col: at.col };
  }

  /** A `for` target: or-expressions (no comparisons, so `in` ends it) separated by commas. */
  private targetList(): Expr {
    const start = this.cur();
    const first = this.bitwiseOr();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.isKeyword('in')) break;
      elts.push(this.bitwiseOr());
    }
    return this.build({ kind: 'Tuple', elts, ctx: 'Load', line: start.line, col: start.col });
  }

  private functionDef(): Stmt {
    const at = this.next();
    const name = this.expectName("a function name after 'def'");
    this.expectOp('(', `after the function name '${name.text}'`);
    const args: Arg[] = [];
    const defaults: Expr[] = [];
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) this.unsupported("'*' and '**' parameters");
      if (this.isOp('/')) this.unsupported("positional-only parameters ('/')");
      const param = this.expectName('a parameter name');
      if (this.isOp(':')) this.unsupported('annotations');
      if (this.isOp('=')) {
        this.next();
        defaults.push(this.expression());
      } else if (defaults.length > 0) {
        this.fail('non-default argument follows default argument', param);
      }
      args.push({ arg: param.text, line: param.line, col: param.col });
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')', 'after the parameters');
    if (this.isOp('->')) this.unsupported('annotations');
    const body = this.block("function definition", at);
    return { kind: 'FunctionDef', name: name.text, args: { args, defaults }, body, line: at.line, col: at.col };
  }

  private classDef(): Stmt {
    const at = this.next();
    const name = this.expectName("a class name after 'class'");
    const bases: Expr[] = [];
    if (this.isOp('(')) {
      this.next();
      while (!this.isOp(')')) {
        if (this.cur().kind === 'name' && this.isOp('=', this.peek())) this.unsupported('keyword arguments in a class definition');
        if (bases.length === 1) this.unsupported('multiple inheritance');
        bases.push(this.expression());
        if (!this.isOp(',')) break;
        this.next();
      }
      this.expectOp(')', 'after the base class');
    }
    const body = this.block("class definition", at);
    return { kind: 'ClassDef', name: name.text, bases, body, line: at.line, col: at.col };
  }

  private tryStatement(): Stmt {
    const at = this.next();
    const body = this.block("'try' statement", at);
    const handlers: ExceptHandler[] = [];
    while (this.isKeyword('except')) {
      const h = this.next();
      if (handlers.length > 0 && handlers[handlers.length - 1]!.type === null) {
        this.fail("default 'except:' must be last", handlers[handlers.length - 1]!);
      }
      if (this.isOp('*')) this.unsupported("'except*'");
      let type: Expr | null = null;
      let name: string | null = null;
      if (!this.isOp(':')) {
        type = this.expression();
        if (this.isOp(',')) this.fail('multiple exception types must be parenthesized', type);
        if (this.isKeyword('as')) {
          this.next();
          name = this.expectName("a name after 'as'").text;
        }
      }
      const handlerBody = this.block("'except' statement", h);
      handlers.push({ type, name, body: handlerBody, line: h.line, col: h.col });
    }
    if (this.isKeyword('finally')) this.unsupported("'finally'");
    if (handlers.length === 0) this.fail("expected 'except' or 'finally' block", this.missingAt());
    if (this.isKeyword('else')) this.unsupported("an 'else' clause on 'try'");
    return { kind: 'Try', body, handlers, line: at.line, col: at.col };
  }

  // --- expressions --------------------------------------------------------------------------

  /** Records a node's tree depth and enforces MAX_EXPR_DEPTH. */
  private build<E extends Expr>(node: E, ...children: readonly Expr[]): E {
    let d = 0;
    const visit = (c: Expr) => {
      d = Math.max(d, this.depth.get(c) ?? 1);
    };
    for (const c of children) visit(c);
    if ('elts' in node) node.elts.forEach(visit);
    if (node.kind === 'Call') node.args.forEach(visit);
    if (node.kind === 'BoolOp') node.values.forEach(visit);
    if (node.kind === 'Compare') node.comparators.forEach(visit);
    if (d + 1 > MAX_EXPR_DEPTH) this.fail(`expression too deeply nested (more than ${MAX_EXPR_DEPTH} levels)`, node);
    this.depth.set(node, d + 1);
    return node;
  }

  /** Enters a prefix or right-recursive construct, bounded by MAX_NESTING. */
  private enter(at: Pos) {
    if (++this.nesting > MAX_NESTING) this.fail(`expression too deeply nested (more than ${MAX_NESTING} levels)`, at);
  }
  private leave() {
    this.nesting--;
  }

  /** `e`, or `e, e, …` as a Tuple (a trailing comma makes a one-element tuple). */
  private expressionList(): Expr {
    const start = this.cur();
    if (this.isOp('*')) this.unsupported('starred expressions');
    const first = this.expression();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.atExpressionListEnd()) break;
      if (this.isOp('*')) this.unsupported('starred expressions');
      elts.push(this.expression());
    }
    return this.build({ kind: 'Tuple', elts, ctx: 'Load', line: start.line, col: start.col });
  }

  private atExpressionListEnd(): boolean {
    const t = this.cur();
    return t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'op' && (t.text === '=' || t.text === ';' || t.text === ')' || AUG_OPERATORS[t.text] !== undefined || t.text === ':'));
  }

  /** expression: or_test ['if' or_test 'else' expression] */
  expression(): Expr {
    const t = this.cur();
    if (this.isKeyword('lambda')) this.unsupported("'lambda'");
    if (this.isKeyword('yield')) this.unsupported("'yield'");
    if (this.isKeyword('await')) this.unsupported("'await'");
    const body = this.orTest();
    if (!this.isKeyword('if')) return body;
    this.next();
    const test = this.orTest();
    if (!this.isKeyword('else')) this.fail("expected 'else' after 'if' expression", t);
    this.enter(this.next());
    const orelse = this.expression();
    this.leave();
    const at = this.startOf(body);
    return this.build({ kind: 'IfExp', test, body, orelse, line: at.line, col: at.col }, test, body, orelse);
  }

  private orTest(): Expr {
    return this.boolChain('or', 'Or', () => this.andTest());
  }
  private andTest(): Expr {
    return this.boolChain('and', 'And', () => this.notTest());
  }
  private boolChain(word: string, op: 'And' | 'Or', operand: () => Expr): Expr {
    const first = operand();
    if (!this.isKeyword(word)) return first;
    const values = [first];
    while (this.isKeyword(word)) {
      this.next();
      values.push(operand());
    }
    const at = this.startOf(first);
    return this.build({ kind: 'BoolOp', op, values, line: at.line, col: at.col });
  }

  private notTest(): Expr {
    if (!this.isKeyword('not')) return this.comparison();
    const at = this.next();
    this.enter(at);
    const operand = this.notTest();
    this.leave();
    return this.build({ kind: 'UnaryOp', op: 'Not', operand, line: at.line, col: at.col }, operand);
  }

  private comparison(): Expr {
    const left = this.bitwiseOr();
    const ops: CmpOperator[] = [];
    const comparators: Expr[] = [];
    while (true) {
      const t = this.cur();
      let op: CmpOperator | undefined;
      if (t.kind === 'op') op = COMPARISONS[t.text];
      else if (this.isKeyword('in')) op = 'In';
      else if (this.isKeyword('is')) op = this.isKeyword('not', this.peek()) ? 'IsNot' : 'Is';
      else if (this.isKeyword('not') && this.isKeyword('in', this.peek())) op = 'NotIn';
      if (op === undefined) break;
      this.next();
      if (op === 'IsNot' || op === 'NotIn') this.next();
      ops.push(op);
      comparators.push(this.bitwiseOr());
    }
    if (ops.length === 0) return left;
    const at = this.startOf(left);
    return this.build({ kind: 'Compare', left, ops, comparators, line: at.line, col: at.col }, left);
  }

  /** The bitwise levels are outside the subset: parse the sum, then report any of them. */
  private bitwiseOr(): Expr {
    const e = this.arith();
    const t = this.cur();
    if (t.kind === 'op' && BITWISE_OPERATORS.has(t.text)) this.unsupported(`the '${t.text}' operator`);
    return e;
  }

  private arith(): Expr {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const opToken = this.next();
      const right = this.term();
      left = this.binOp(left, opToken.text === '+' ? 'Add' : 'Sub', opToken, right);
    }
    return left;
  }

  private term(): Expr {
    let left = this.factor();
    while (true) {
      const t = this.cur();
      if (t.kind !== 'op') break;
      const op: Operator | undefined =
        t.text === '*' ? 'Mult' : t.text === '/' ? 'Div' : t.text === '//' ? 'FloorDiv' : t.text === '%' ? 'Mod' : undefined;
      if (t.text === '@') this.unsupported("the '@' operator");
      if (op === undefined) break;
      this.next();
      left = this.binOp(left, op, t, this.factor());
    }
    return left;
  }

  private binOp(left: Expr, op: Operator, opToken: Token, right: Expr): Expr {
    const at = this.startOf(left);
    return this.build(
      { kind: 'BinOp', left, op, right, line: at.line, col: at.col, opLine: opToken.line, opCol: opToken.col },
      left,
      right,
    );
  }

  /** factor: ('-' | '+') factor | power */
  private factor(): Expr {
    const t = this.cur();
    if (this.isOp('~')) this.unsupported("the '~' operator");
    if (!this.isOp('-') && !this.isOp('+')) return this.power();
    this.enter(this.next());
    const operand = this.factor();
    this.leave();
    return this.build({ kind: 'UnaryOp', op: t.text === '-' ? 'USub' : 'UAdd', operand, line: t.line, col: t.col }, operand);
  }

  /** power: primary ['**' factor] (so -2**2 is -(2**2) and 2**-1 is 2**(-1)) */
  private power(): Expr {
    const base = this.primary();
    if (!this.isOp('**')) return base;
    const opToken = this.next();
    this.enter(opToken);
    const exponent = this.factor();
    this.leave();
    return this.binOp(base, 'Pow', opToken, exponent);
  }

  /** primary: atom ('.' NAME | '(' args ')' | '[' index ']')* */
  private primary(): Expr {
    let e = this.atom();
    const at = this.startOf(e);
    while (true) {
      const t = this.cur();
      if (this.isOp('.')) {
        this.next();
        const attr = this.expectName("an attribute name after '.'");
        e = this.build(
          { kind: 'Attribute', value: e, attr: attr.text, ctx: 'Load', line: at.line, col: at.col, opLine: t.line, opCol: t.col },
          e,
        );
      } else if (this.isOp('(')) {
        this.next();
        const args = this.callArguments(t);
        e = this.build({ kind: 'Call', func: e, args, line: at.line, col: at.col, opLine: t.line, opCol: t.col }, e);
      } else if (this.isOp('[')) {
        this.next();
        const index = this.subscriptIndex();
        e = this.build(
          { kind: 'Subscript', value: e, slice: index, ctx: 'Load', line: at.line, col: at.col, opLine: t.line, opCol: t.col },
          e,
          index,
        );
      } else {
        return e;
      }
    }
  }

  /** Arguments after the call's '(' (at `open`, where a generator argument is reported). */
  private callArguments(open: Pos): Expr[] {
    const args: Expr[] = [];
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) this.unsupported("'*' and '**' arguments");
      if (this.cur().kind === 'name' && !KEYWORDS.has(this.cur().text) && this.isOp('=', this.peek())) {
        this.unsupported('keyword arguments');
      }
      args.push(this.expression());
      if (this.isKeyword('for')) this.unsupported('comprehensions and generator expressions', open);
      if (this.isOp(':=')) this.unsupported("assignment expressions (':=')");
      if (!this.isOp(',')) break;
      this.next();
    }
    if (!this.isOp(')')) this.fail(`expected ',' or ')' after an argument, found ${describeToken(this.cur())}`, this.missingAt());
    this.next();
    return args;
  }

  private subscriptIndex(): Expr {
    // A slice is reported where CPython's Slice node starts: its lower bound, or the ':'.
    if (this.isOp(':')) this.unsupported('slices');
    if (this.isOp(']')) this.fail(`expected an index, found ']'`);
    const start = this.cur();
    const index = this.expressionListInBrackets(']');
    if (this.isOp(':')) this.unsupported('slices', start);
    if (!this.isOp(']')) this.fail(`expected ']' after the index, found ${describeToken(this.cur())}`, this.missingAt());
    this.next();
    return index;
  }

  /** Expressions separated by commas up to `close` (not consumed); a Tuple if any comma. */
  private expressionListInBrackets(close: string, start: Pos = this.cur()): Expr {
    if (this.isOp('*')) this.unsupported('starred expressions');
    const first = this.expression();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.isOp(close)) break;
      if (this.isOp('*')) this.unsupported('starred expressions');
      elts.push(this.expression());
    }
    return this.build({ kind: 'Tuple', elts, ctx: 'Load', line: start.line, col: start.col });
  }

  private atom(): Expr {
    const t = this.cur();
    const at = { line: t.line, col: t.col };
    switch (t.kind) {
      case 'int':
      case 'float':
        this.next();
        return { kind: 'Constant', value: t.value as bigint | number, ...at };
      case 'string': {
        // Adjacent string literals are one constant, as in CPython.
        let value = '';
        while (this.cur().kind === 'string') value += this.next().value as string;
        return { kind: 'Constant', value, ...at };
      }
      case 'name': {
        if (t.text === 'True' || t.text === 'False' || t.text === 'None') {
          this.next();
          return { kind: 'Constant', value: t.text === 'None' ? null : t.text === 'True', ...at };
        }
        if (KEYWORDS.has(t.text)) {
          const unsupported = UNSUPPORTED_STATEMENTS[t.text];
          if (unsupported !== undefined) this.unsupported(unsupported);
          this.fail(`expected an expression, found '${t.text}'`);
        }
        this.next();
        return { kind: 'Name', id: t.text, ctx: 'Load', ...at };
      }
      case 'op':
        if (t.text === '(') return this.parenthesized();
        if (t.text === '[') return this.listDisplay();
        if (t.text === '{') this.unsupported('dict and set displays');
        if (t.text === '...') this.unsupported("'...' (Ellipsis)");
        if (t.text === '*') this.unsupported('starred expressions');
    }
    this.reportUnsupportedHere();
    return this.fail(`expected an expression, found ${describeToken(t)}`, this.missingAt());
  }

  private parenthesized(): Expr {
    const open = this.next();
    if (this.isOp(')')) {
      this.next();
      return this.build({ kind: 'Tuple', elts: [], ctx: 'Load', line: open.line, col: open.col });
    }
    if (this.isKeyword('yield')) this.unsupported("'yield'");
    const inner = this.expressionListInBrackets(')', open);
    if (this.isKeyword('for')) this.unsupported('comprehensions and generator expressions', open);
    if (this.isOp(':=')) this.unsupported("assignment expressions (':=')");
    if (!this.isOp(')')) {
      this.reportUnsupportedHere();
      this.fail(`expected ')', found ${describeToken(this.cur())}`, this.missingAt());
    }
    this.next();
    this.parenStart.set(inner, { line: open.line, col: open.col });
    return inner;
  }

  /** Where `e` starts in the source, its parentheses included. */
  private startOf(e: Expr): Pos {
    return this.parenStart.get(e) ?? e;
  }

  private listDisplay(): Expr {
    const open = this.next();
    const elts: Expr[] = [];
    while (!this.isOp(']')) {
      if (this.isOp('*')) this.unsupported('starred expressions');
      elts.push(this.expression());
      // Reported at the '[', where CPython's ListComp node starts.
      if (this.isKeyword('for')) this.unsupported('comprehensions and generator expressions', open);
      if (!this.isOp(',')) break;
      this.next();
    }
    if (!this.isOp(']')) {
      this.reportUnsupportedHere();
      this.fail(`expected ',' or ']' in a list, found ${describeToken(this.cur())}`, this.missingAt());
    }
    this.next();
    return this.build({ kind: 'List', elts, ctx: 'Load' as ExprContext, line: open.line, col: open.col });
  }
}

function constantName(value: null | boolean): string {
  return value === null ? 'None' : value ? 'True' : 'False';
}
