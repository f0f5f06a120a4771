/**
 * The abstract syntax tree of the guest language, a Python subset: data only, built by
 * `parser.ts`, read by the bytecode compiler.
 *
 * Node and field names follow CPython's `ast` module (`ast.dump(ast.parse(src))`), so a reader
 * who knows Python's grammar knows this one, and a test can compare a parse against CPython's
 * tree field by field. Where the subset is narrower than Python, the fields are too: a call has
 * no keywords, a loop has no `else`, a `try` has no `else` or `finally`; the parser rejects
 * those with a located "… is not supported" error rather than building nodes nobody compiles.
 * This file only grows: new constructs add node kinds or optional fields, never rename.
 *
 * Differences from CPython's `ast`, each on purpose:
 *  - every node has `kind` (CPython's class name) as its discriminant;
 *  - positions are `line` and `col`, both 1-based and counted in UTF-16 code units (CPython's
 *    `col_offset` is 0-based and counts UTF-8 bytes): the project's located errors
 *    (`file:line:col`, see src/text/errors.ts) use this convention everywhere;
 *  - a `Constant` int is a `bigint` and a float a `number`, so the two never mix up
 *    (`1` and `1.0` are different constants); `True`/`False` are booleans, `None` is `null`;
 *  - operators are the names of CPython's operator classes as strings (`'Add'`, `'USub'`, `'Eq'`).
 *
 * Positions: a statement is at its first token (`def`, `if`, the first target of an
 * assignment); an expression at its first token, except that a `BinOp`, `BoolOp` or `Compare`
 * is at its left operand (as in CPython) and an `Attribute`, `Subscript` or `Call` at the start
 * of the value it applies to. `opLine`/`opCol` on BinOp, Attribute, Subscript and Call locate
 * the operator, the `.`, the `[` and the `(`, so a runtime error can point at the operation
 * that failed rather than the start of the expression.
 */

/** Where a node starts: 1-based line, 1-based column. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

// ---------------------------------------------------------------------------------------------
// Operators (CPython's operator class names).

/** Binary arithmetic operators of the subset: `+ - * / // % **`. */
export type Operator = 'Add' | 'Sub' | 'Mult' | 'Div' | 'FloorDiv' | 'Mod' | 'Pow';
/** Unary operators: `-x`, `+x`, `not x`. */
export type UnaryOperator = 'USub' | 'UAdd' | 'Not';
/** `and`, `or`. */
export type BoolOperator = 'And' | 'Or';
/** Comparison operators: `== != < <= > >= is is not in not in`. */
export type CmpOperator = 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE' | 'Is' | 'IsNot' | 'In' | 'NotIn';

/** The source spelling of each operator, for messages (`unsupported operand type(s) for +`). */
export const OPERATOR_SYMBOL: { readonly [K in Operator]: string } = {
  Add: '+',
  Sub: '-',
  Mult: '*',
  Div: '/',
  FloorDiv: '//',
  Mod: '%',
  Pow: '**',
};
export const UNARY_SYMBOL: { readonly [K in UnaryOperator]: string } = { USub: '-', UAdd: '+', Not: 'not' };
export const CMP_SYMBOL: { readonly [K in CmpOperator]: string } = {
  Eq: '==',
  NotEq: '!=',
  Lt: '<',
  LtE: '<=',
  Gt: '>',
  GtE: '>=',
  Is: 'is',
  IsNot: 'is not',
  In: 'in',
  NotIn: 'not in',
};

/** Whether a name, attribute, subscript, list or tuple is read or assigned (CPython's `ctx`). */
export type ExprContext = 'Load' | 'Store';

// ---------------------------------------------------------------------------------------------
// Expressions.

/** A literal: int (`bigint`), float (`number`), str, bool, or None (`null`). */
export type ConstantValue = bigint | number | string | boolean | null;

export interface Constant extends Pos {
  readonly kind: 'Constant';
  readonly value: ConstantValue;
}

export interface Name extends Pos {
  readonly kind: 'Name';
  readonly id: string;
  readonly ctx: ExprContext;
}

/** `value.attr`; at `value`'s start, `opLine`/`opCol` at the dot. */
export interface Attribute extends Pos {
  readonly kind: 'Attribute';
  readonly value: Expr;
  readonly attr: string;
  readonly ctx: ExprContext;
  readonly opLine: number;
  readonly opCol: number;
}

/** `value[slice]` with one index expression (slices `a:b` are not in the subset). */
export interface Subscript extends Pos {
  readonly kind: 'Subscript';
  readonly value: Expr;
  readonly slice: Expr;
  readonly ctx: ExprContext;
  readonly opLine: number;
  readonly opCol: number;
}

/** `func(args…)`: positional arguments only. */
export interface Call extends Pos {
  readonly kind: 'Call';
  readonly func: Expr;
  readonly args: readonly Expr[];
  readonly opLine: number;
  readonly opCol: number;
}

export interface BinOp extends Pos {
  readonly kind: 'BinOp';
  readonly left: Expr;
  readonly op: Operator;
  readonly right: Expr;
  readonly opLine: number;
  readonly opCol: number;
}

export interface UnaryOp extends Pos {
  readonly kind: 'UnaryOp';
  readonly op: UnaryOperator;
  readonly operand: Expr;
}

/** `a and b and c` is one BoolOp with three values (as in CPython). */
export interface BoolOp extends Pos {
  readonly kind: 'BoolOp';
  readonly op: BoolOperator;
  readonly values: readonly Expr[];
}

/** `a < b <= c`: left `a`, ops `[Lt, LtE]`, comparators `[b, c]` (each evaluated at most once). */
export interface Compare extends Pos {
  readonly kind: 'Compare';
  readonly left: Expr;
  readonly ops: readonly CmpOperator[];
  readonly comparators: readonly Expr[];
}

/** `body if test else orelse`. */
export interface IfExp extends Pos {
  readonly kind: 'IfExp';
  readonly test: Expr;
  readonly body: Expr;
  readonly orelse: Expr;
}

export interface List extends Pos {
  readonly kind: 'List';
  readonly elts: readonly Expr[];
  readonly ctx: ExprContext;
}

/** A tuple display; `line`/`col` at its first element, or at `(` when parenthesized and empty. */
export interface Tuple extends Pos {
  readonly kind: 'Tuple';
  readonly elts: readonly Expr[];
  readonly ctx: ExprContext;
}

export type Expr =
  | Constant
  | Name
  | Attribute
  | Subscript
  | Call
  | BinOp
  | UnaryOp
  | BoolOp
  | Compare
  | IfExp
  | List
  | Tuple;

/** What may be assigned to: a name, an attribute, an item, or a tuple/list of targets. */
export type Target = Name | Attribute | Subscript | Tuple | List;

// ---------------------------------------------------------------------------------------------
// Statements.

/** A parameter name. */
export interface Arg extends Pos {
  readonly arg: string;
}

/** Parameters: `defaults` belong to the last `defaults.length` parameters, as in CPython. */
export interface Arguments {
  readonly args: readonly Arg[];
  readonly defaults: readonly Expr[];
}

export interface FunctionDef extends Pos {
  readonly kind: 'FunctionDef';
  readonly name: string;
  readonly args: Arguments;
  readonly body: readonly Stmt[];
}

/** `class Name(base):`; `bases` has at most one element (single inheritance). */
export interface ClassDef extends Pos {
  readonly kind: 'ClassDef';
  readonly name: string;
  readonly bases: readonly Expr[];
  readonly body: readonly Stmt[];
}

export interface Return extends Pos {
  readonly kind: 'Return';
  readonly value: Expr | null;
}

/** `t1 = t2 = value`: targets in source order, assigned left to right after `value`. */
export interface Assign extends Pos {
  readonly kind: 'Assign';
  readonly targets: readonly Target[];
  readonly value: Expr;
}

/** `target op= value`; the target is a Name, Attribute or Subscript (never a tuple). */
export interface AugAssign extends Pos {
  readonly kind: 'AugAssign';
  readonly target: Name | Attribute | Subscript;
  readonly op: Operator;
  readonly value: Expr;
}

/** `if`/`elif`/`else`: an `elif` is an If alone in `orelse`, as in CPython. */
export interface If extends Pos {
  readonly kind: 'If';
  readonly test: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}

export interface While extends Pos {
  readonly kind: 'While';
  readonly test: Expr;
  readonly body: readonly Stmt[];
}

export interface For extends Pos {
  readonly kind: 'For';
  readonly target: Target;
  readonly iter: Expr;
  readonly body: readonly Stmt[];
}

export interface Break extends Pos {
  readonly kind: 'Break';
}
export interface Continue extends Pos {
  readonly kind: 'Continue';
}
export interface Pass extends Pos {
  readonly kind: 'Pass';
}

export interface Global extends Pos {
  readonly kind: 'Global';
  readonly names: readonly string[];
}

/** `raise exc`, or a bare `raise` (re-raise the exception being handled): `exc` null. */
export interface Raise extends Pos {
  readonly kind: 'Raise';
  readonly exc: Expr | null;
}

/** `except:`, `except E:`, `except E as name:`. */
export interface ExceptHandler extends Pos {
  readonly type: Expr | null;
  readonly name: string | null;
  readonly body: readonly Stmt[];
}

export interface Try extends Pos {
  readonly kind: 'Try';
  readonly body: readonly Stmt[];
  readonly handlers: readonly ExceptHandler[];
}

/** `import a` or `import a as b` (one alias per imported module). */
export interface Alias extends Pos {
  readonly name: string;
  readonly asname: string | null;
}

export interface Import extends Pos {
  readonly kind: 'Import';
  readonly names: readonly Alias[];
}

/** An expression evaluated for its effect (a call, or a docstring). */
export interface ExprStmt extends Pos {
  readonly kind: 'Expr';
  readonly value: Expr;
}

export type Stmt =
  | FunctionDef
  | ClassDef
  | Return
  | Assign
  | AugAssign
  | If
  | While
  | For
  | Break
  | Continue
  | Pass
  | Global
  | Raise
  | Try
  | Import
  | ExprStmt;

export interface Module {
  readonly kind: 'Module';
  readonly body: readonly Stmt[];
}

export type StmtKind = Stmt['kind'];
export type ExprKind = Expr['kind'];
