/**
 * The compile-time checks CPython makes after parsing, for the subset: a program that passes
 * the parser but that CPython refuses to compile is refused here too, with CPython's message
 * and a location.
 *
 * Two walks, in CPython's order (its symbol table is built for the whole module before any code
 * is compiled, so a scope error anywhere wins over a misplaced `break` earlier in the file):
 *  1. scopes: `global x` after a use of x in the same scope ("name 'x' is used prior to global
 *     declaration"), after an assignment ("… is assigned to before global declaration"), or of
 *     a parameter ("name 'x' is parameter and global"); a parameter named twice ("duplicate
 *     argument 'x' in function definition");
 *  2. placement: `break` outside a loop ("'break' outside loop"), `continue` outside a loop
 *     ("'continue' not properly in loop"), `return` outside a function ("'return' outside
 *     function"). A function or class body starts a new context: a `break` in a function
 *     defined in a loop is still outside any loop.
 *
 * Both walks recurse over statements (bounded by the lexer's 100 indentation levels) and the
 * first over expressions (bounded by the parser's MAX_EXPR_DEPTH), never deeper.
 */
import type { Expr, Module, Pos, Stmt, Target } from './ast.ts';
import { SourceError } from './errors.ts';

export function checkModule(module: Module): void {
  checkScope(module.body, new Set());
  checkPlacement(module.body, { inLoop: false, inFunction: false });
}

// --- scopes ---------------------------------------------------------------------------------

interface ScopeState {
  readonly params: ReadonlySet<string>;
  readonly used: Set<string>;
  readonly assigned: Set<string>;
}

function checkScope(body: readonly Stmt[], params: ReadonlySet<string>): void {
  const state: ScopeState = { params, used: new Set(), assigned: new Set() };
  for (const s of body) scopeStatement(s, state);
}

function scopeStatement(s: Stmt, state: ScopeState): void {
  const use = (e: Expr | null) => {
    if (e !== null) uses(e, state.used);
  };
  const assign = (t: Target) => assigns(t, state);
  const block = (b: readonly Stmt[]) => {
    for (const x of b) scopeStatement(x, state);
  };
  switch (s.kind) {
    case 'FunctionDef': {
      s.args.defaults.forEach(use);
      const params = new Set<string>();
      for (const a of s.args.args) {
        if (params.has(a.arg)) fail(`duplicate argument '${a.arg}' in function definition`, a);
        params.add(a.arg);
      }
      state.assigned.add(s.name);
      checkScope(s.body, params);
      return;
    }
    case 'ClassDef':
      s.bases.forEach(use);
      state.assigned.add(s.name);
      checkScope(s.body, new Set());
      return;
    case 'Return':
      use(s.value);
      return;
    case 'Assign':
      use(s.value);
      s.targets.forEach(assign);
      return;
    case 'AugAssign':
      use(s.value);
      // `x += 1` both reads and writes x (CPython marks the target as used and assigned).
      use(s.target);
      assign(s.target);
      return;
    case 'If':
    case 'While':
      use(s.test);
      block(s.body);
      if (s.kind === 'If') block(s.orelse);
      return;
    case 'For':
      use(s.iter);
      assign(s.target);
      block(s.body);
      return;
    case 'Global':
      for (const name of s.names) {
        if (state.params.has(name)) fail(`name '${name}' is parameter and global`, s);
        if (state.used.has(name)) fail(`name '${name}' is used prior to global declaration`, s);
        if (state.assigned.has(name)) fail(`name '${name}' is assigned to before global declaration`, s);
      }
      return;
    case 'Raise':
      use(s.exc);
      return;
    case 'Try':
      block(s.body);
      for (const h of s.handlers) {
        use(h.type);
        if (h.name !== null) state.assigned.add(h.name);
        block(h.body);
      }
      return;
    case 'Import':
      for (const a of s.names) state.assigned.add(a.asname ?? a.name);
      return;
    case 'Expr':
      use(s.value);
      return;
    case 'Break':
    case 'Continue':
    case 'Pass':
      return;
  }
}

/** Adds the names a target assigns (and, for attributes and items, the names it reads). */
function assigns(t: Target, state: ScopeState): void {
  switch (t.kind) {
    case 'Name':
      state.assigned.add(t.id);
      return;
    case 'Attribute':
      uses(t.value, state.used);
      return;
    case 'Subscript':
      uses(t.value, state.used);
      uses(t.slice, state.used);
      return;
    case 'Tuple':
    case 'List':
      for (const e of t.elts) assigns(e as Target, state);
  }
}

/** Adds every name `e` reads. */
function uses(e: Expr, used: Set<string>): void {
  switch (e.kind) {
    case 'Name':
      used.add(e.id);
      return;
    case 'Constant':
      return;
    case 'Attribute':
      uses(e.value, used);
      return;
    case 'Subscript':
      uses(e.value, used);
      uses(e.slice, used);
      return;
    case 'Call':
      uses(e.func, used);
      for (const a of e.args) uses(a, used);
      return;
    case 'BinOp':
      uses(e.left, used);
      uses(e.right, used);
      return;
    case 'UnaryOp':
      uses(e.operand, used);
      return;
    case 'BoolOp':
      for (const v of e.values) uses(v, used);
      return;
    case 'Compare':
      uses(e.left, used);
      for (const c of e.comparators) uses(c, used);
      return;
    case 'IfExp':
      uses(e.test, used);
      uses(e.body, used);
      uses(e.orelse, used);
      return;
    case 'List':
    case 'Tuple':
      for (const x of e.elts) uses(x, used);
  }
}

// --- placement ------------------------------------------------------------------------------

interface Context {
  readonly inLoop: boolean;
  readonly inFunction: boolean;
}

function checkPlacement(body: readonly Stmt[], ctx: Context): void {
  for (const s of body) {
    switch (s.kind) {
      case 'Break':
        if (!ctx.inLoop) fail("'break' outside loop", s);
        break;
      case 'Continue':
        if (!ctx.inLoop) fail("'continue' not properly in loop", s);
        break;
      case 'Return':
        if (!ctx.inFunction) fail("'return' outside function", s);
        break;
      case 'FunctionDef':
        checkPlacement(s.body, { inLoop: false, inFunction: true });
        break;
      case 'ClassDef':
        checkPlacement(s.body, { inLoop: false, inFunction: false });
        break;
      case 'If':
        checkPlacement(s.body, ctx);
        checkPlacement(s.orelse, ctx);
        break;
      case 'While':
      case 'For':
        checkPlacement(s.body, { ...ctx, inLoop: true });
        break;
      case 'Try':
        checkPlacement(s.body, ctx);
        for (const h of s.handlers) checkPlacement(h.body, ctx);
        break;
    }
  }
}

function fail(message: string, at: Pos): never {
  throw new SourceError(message, at);
}
