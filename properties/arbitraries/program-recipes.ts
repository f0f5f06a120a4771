/**
 * Guest-program recipes: the random data a generated Python program is built from, and their
 * arbitraries. As for traces (recipes.ts), a recipe is deliberately dumb: every choice is a
 * small number that program-build.ts resolves modulo what is available where it is used (the
 * variables of the type needed in scope, the forms of an expression of that type, the classes
 * defined so far). So any sub-list of any recipe list still builds a well-formed program, and
 * fast-check's ordinary shrinking (drop list items, move numbers toward 0) shrinks the program;
 * choice 0 is always the simplest (a literal, a `print`).
 */
import fc from 'fast-check';

/** An expression: `form` picks among the forms of the type wanted; `a`, `b` pick operands. */
export interface ExprRecipe {
  readonly form: number;
  readonly a: number;
  readonly b: number;
  readonly kids: readonly ExprRecipe[];
}

/** A statement: `kind` picks the statement, `a`–`c` its details, `exprs` and the bodies its parts. */
export interface StmtRecipe {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly exprs: readonly ExprRecipe[];
  readonly body: readonly StmtRecipe[];
  readonly orelse: readonly StmtRecipe[];
}

export interface FunctionRecipe {
  /** Parameter types (each resolved against the type table) and how many have defaults. */
  readonly params: readonly number[];
  readonly defaults: number;
  readonly returns: number;
  readonly body: readonly StmtRecipe[];
  readonly result: ExprRecipe;
}

export interface MethodRecipe extends FunctionRecipe {
  /** Overrides an inherited method (when there is one to override) or introduces a new one. */
  readonly override: number;
  /** A new method of a root class may be abstract: it raises NotImplementedError (Figure 1). */
  readonly abstract: number;
  /** An override may call the base's implementation, as `Base.method(self, …)`. */
  readonly callsBase: number;
}

export interface ClassRecipe {
  /** 0: a root class; otherwise derives from an earlier class. */
  readonly base: number;
  /** Types of the fields its __init__ adds. */
  readonly fields: readonly number[];
  /** 0: has its own __init__ (a subclass without one inherits its base's). */
  readonly init: number;
  readonly methods: readonly MethodRecipe[];
}

export interface ExceptionRecipe {
  /** Picks the base among the builtin exceptions and the earlier user exceptions. */
  readonly base: number;
  /** 0: `pass`; otherwise an __init__ that calls the base's and adds a field. */
  readonly custom: number;
}

export interface ProgramRecipe {
  readonly exceptions: readonly ExceptionRecipe[];
  readonly classes: readonly ClassRecipe[];
  readonly globals: readonly { readonly type: number; readonly init: ExprRecipe }[];
  readonly functions: readonly FunctionRecipe[];
  readonly main: readonly StmtRecipe[];
  /** Below UNCAUGHT_TAIL_SHARE: the program ends with an exception nobody catches. */
  readonly tail: number;
  readonly tailKind: number;
}

/** Out of 1000: the share of programs that end with an uncaught exception. */
export const UNCAUGHT_TAIL_PER_MILLE = 120;

const pick = fc.nat({ max: 999 });

export interface ProgramRecipeLimits {
  readonly maxMain: number;
  readonly maxFunctions: number;
  readonly maxClasses: number;
  readonly maxBody: number;
  readonly exprDepth: number;
  readonly stmtDepth: number;
}

export const DEFAULT_LIMITS: ProgramRecipeLimits = { maxMain: 12, maxFunctions: 3, maxClasses: 3, maxBody: 4, exprDepth: 3, stmtDepth: 3 };

export function arbExprRecipe(depth: number): fc.Arbitrary<ExprRecipe> {
  const leaf = fc.record({ form: pick, a: pick, b: pick, kids: fc.constant([] as ExprRecipe[]) });
  if (depth <= 0) return leaf;
  const inner = arbExprRecipe(depth - 1);
  return fc.oneof(
    { weight: 1, arbitrary: leaf },
    { weight: 2, arbitrary: fc.record({ form: pick, a: pick, b: pick, kids: fc.array(inner, { maxLength: 2 }) }) },
  );
}

export function arbStmtRecipe(limits: ProgramRecipeLimits, depth = limits.stmtDepth): fc.Arbitrary<StmtRecipe> {
  const exprs = fc.array(arbExprRecipe(limits.exprDepth), { maxLength: 3 });
  const none = fc.constant([] as StmtRecipe[]);
  const bodies = depth <= 0 ? none : fc.array(arbStmtRecipe(limits, depth - 1), { maxLength: Math.max(1, limits.maxBody - (limits.stmtDepth - depth)) });
  return fc.record({ kind: pick, a: pick, b: pick, c: pick, exprs, body: bodies, orelse: depth <= 0 ? none : fc.oneof(none, bodies) });
}

function arbFunctionFields(limits: ProgramRecipeLimits) {
  return {
    params: fc.array(pick, { maxLength: 3 }),
    defaults: pick,
    returns: pick,
    body: fc.array(arbStmtRecipe(limits, limits.stmtDepth - 1), { maxLength: limits.maxBody }),
    result: arbExprRecipe(limits.exprDepth),
  };
}

export function arbProgramRecipe(limits: ProgramRecipeLimits = DEFAULT_LIMITS): fc.Arbitrary<ProgramRecipe> {
  const method = fc.record({ ...arbFunctionFields(limits), override: pick, abstract: pick, callsBase: pick });
  return fc.record({
    exceptions: fc.array(fc.record({ base: pick, custom: pick }), { maxLength: 2 }),
    classes: fc.array(fc.record({ base: pick, fields: fc.array(pick, { maxLength: 3 }), init: pick, methods: fc.array(method, { maxLength: 2 }) }), { maxLength: limits.maxClasses }),
    globals: fc.array(fc.record({ type: pick, init: arbExprRecipe(1) }), { maxLength: 3 }),
    functions: fc.array(fc.record(arbFunctionFields(limits)), { maxLength: limits.maxFunctions }),
    main: fc.array(arbStmtRecipe(limits), { minLength: 1, maxLength: limits.maxMain }),
    tail: fc.nat({ max: 999 }),
    tailKind: pick,
  });
}
