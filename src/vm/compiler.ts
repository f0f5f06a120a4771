/**
 * compileModule: the AST of a guest program to bytecode (bytecode.ts), one linear walk per
 * function body, CPython 3.11's scoping and evaluation order.
 *
 * Scopes: module-level names are globals; in a function, a name is local when it is a parameter
 * or bound anywhere in the body (assignment, augmented assignment, `for` target, `except … as`,
 * `import`) and not declared `global`; every other name is a global, then a builtin. Locals are
 * slots of the frame (LOAD_FAST), globals slots of one table (LOAD_GLOBAL), resolved here.
 *
 * Why a class body is compiled inline rather than as a code object: the subset's class bodies
 * only define methods and bind constants, so the compiler pushes those values and BUILD_CLASS
 * builds the class in one step, with its instance layout (the attributes its methods assign on
 * `self`) fixed from a scan of the methods here.
 *
 * Pre: a Module from the parser. Post: a Program whose every code object's stack never exceeds
 * its `maxStack`, whose back-edges are exactly the JUMP_BACKWARDs, and whose exception table
 * lists inner handlers before outer ones; or a SourceError located at the offending construct.
 *
 * Before: `while y.is_positive(): y = y.add(one)`
 * After:  h: LOAD_FAST y; LOAD_METHOD is_positive; CALL_METHOD 0; POP_JUMP_IF_FALSE e;
 *            LOAD_FAST y; LOAD_METHOD add; LOAD_FAST one; CALL_METHOD 1; STORE_FAST y;
 *            JUMP_BACKWARD h; e: …
 */
import type * as A from './ast.ts';
import { SourceError } from './errors.ts';
import {
  BINARY_OPERATORS,
  COMPARE_OPERATORS,
  type ClassSpec,
  type CodeObject,
  type ConstValue,
  OP,
  OPS,
  type Program,
} from './bytecode.ts';

export const MODULES = ['math', 'time', 'sys'] as const;

export function compileModule(module: A.Module, file: string): Program {
  return new ProgramBuilder(file).build(module);
}

class ProgramBuilder {
  readonly codes: CodeObject[] = [];
  readonly consts: ConstValue[] = [];
  private readonly constIndex = new Map<string, number>();
  readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  readonly globals: string[] = [];
  private readonly globalIndex = new Map<string, number>();
  readonly classes: ClassSpec[] = [];
  readonly modules: string[] = [];

  constructor(readonly file: string) {}

  build(module: A.Module): Program {
    const placeholder = this.codes.length;
    this.codes.push(undefined as never);
    const code = new CodeBuilder(this, placeholder, '<module>', '<module>', [], null, 0).compileBody(module.body, true);
    this.codes[placeholder] = code;
    return {
      file: this.file,
      module: code,
      codes: this.codes,
      consts: this.consts,
      names: this.names,
      globals: this.globals,
      classes: this.classes,
      modules: this.modules,
    };
  }

  constant(value: ConstValue): number {
    const key = typeof value === 'number' ? `f${Object.is(value, -0) ? '-0' : String(value)}` : `${typeof value}${String(value)}`;
    let k = this.constIndex.get(key);
    if (k === undefined) {
      k = this.consts.length;
      this.consts.push(value);
      this.constIndex.set(key, k);
    }
    return k;
  }

  name(name: string): number {
    let k = this.nameIndex.get(name);
    if (k === undefined) {
      k = this.names.length;
      this.names.push(name);
      this.nameIndex.set(name, k);
    }
    return k;
  }

  global(name: string): number {
    let k = this.globalIndex.get(name);
    if (k === undefined) {
      k = this.globals.length;
      this.globals.push(name);
      this.globalIndex.set(name, k);
    }
    return k;
  }

  module(name: string): number {
    let k = this.modules.indexOf(name);
    if (k < 0) {
      k = this.modules.length;
      this.modules.push(name);
    }
    return k;
  }
}

const notSupported = (what: string, at: A.Pos): never => {
  throw new SourceError(`${what} is not supported`, at);
};

/** A loop being compiled: where `continue` and `break` go, and the stack depth inside it. */
interface LoopBlock {
  readonly header: number;
  readonly breaks: number[];
  /** Stack depth in the loop body (with the iterator, for `for`). */
  readonly bodyDepth: number;
  /** Items `break` pops to leave (the iterator of a `for`). */
  readonly ownItems: number;
}

class CodeBuilder {
  private readonly code: number[] = [];
  private readonly lines: number[] = [];
  private readonly cols: number[] = [];
  private readonly handlers: number[][] = [];
  private depth = 0;
  private maxDepth = 0;
  private readonly locals = new Map<string, number>();
  private readonly globalsDeclared = new Set<string>();
  private readonly loops: LoopBlock[] = [];
  /** Stack depths of the exceptions being handled (innermost last), for a bare `raise`. */
  private readonly handling: number[] = [];
  private at: A.Pos = { line: 1, col: 1 };

  constructor(
    private readonly program: ProgramBuilder,
    private readonly id: number,
    private readonly name: string,
    private readonly qualname: string,
    private readonly params: readonly A.Arg[],
    /** null for the module. */
    private readonly body: readonly A.Stmt[] | null,
    private readonly ndefaults: number,
  ) {}

  private get isModule(): boolean {
    return this.body === null;
  }

  compileBody(body: readonly A.Stmt[], isModule: boolean): CodeObject {
    if (!isModule) this.analyzeScope(body);
    for (const s of body) this.stmt(s);
    this.emit(OP.LOAD_CONST, this.program.constant(null));
    this.emit(OP.RETURN_VALUE, 0);
    const varnames = [...this.locals.keys()];
    return {
      id: this.id,
      name: this.name,
      qualname: this.qualname,
      argcount: this.params.length,
      varnames,
      nlocals: varnames.length,
      maxStack: this.maxDepth + 1,
      ndefaults: this.ndefaults,
      bytecode: Int32Array.from(this.code),
      lines: Int32Array.from(this.lines),
      cols: Int32Array.from(this.cols),
      exceptionTable: Int32Array.from(this.handlers.flat()),
    };
  }

  // --- scopes ---

  private analyzeScope(body: readonly A.Stmt[]): void {
    for (const p of this.params) {
      if (this.locals.has(p.arg)) throw new SourceError(`duplicate argument '${p.arg}' in function definition`, p);
      this.locals.set(p.arg, this.locals.size);
    }
    const bound: string[] = [];
    const walkTarget = (t: A.Expr): void => {
      if (t.kind === 'Name') bound.push(t.id);
      else if (t.kind === 'Tuple' || t.kind === 'List') t.elts.forEach(walkTarget);
    };
    const walk = (stmts: readonly A.Stmt[]): void => {
      for (const s of stmts) {
        switch (s.kind) {
          case 'Assign':
            s.targets.forEach(walkTarget);
            break;
          case 'AugAssign':
            walkTarget(s.target);
            break;
          case 'For':
            walkTarget(s.target);
            walk(s.body);
            break;
          case 'While':
            walk(s.body);
            break;
          case 'If':
            walk(s.body);
            walk(s.orelse);
            break;
          case 'Try':
            walk(s.body);
            for (const h of s.handlers) {
              if (h.name !== null) bound.push(h.name);
              walk(h.body);
            }
            break;
          case 'Import':
            for (const a of s.names) bound.push(a.asname ?? a.name);
            break;
          case 'Global':
            for (const n of s.names) {
              if (this.locals.has(n) && this.params.some((p) => p.arg === n)) throw new SourceError(`name '${n}' is parameter and global`, s);
              this.globalsDeclared.add(n);
            }
            break;
          case 'FunctionDef':
            notSupported('a function defined inside a function', s);
            break;
          case 'ClassDef':
            notSupported('a class defined inside a function', s);
            break;
          default:
            break;
        }
      }
    };
    walk(body);
    for (const n of bound) if (!this.globalsDeclared.has(n) && !this.locals.has(n)) this.locals.set(n, this.locals.size);
  }

  // --- emission ---

  private emit(op: number, arg: number, effect: number = OPS[op]![1]): number {
    const at = this.code.length;
    this.code.push(op, arg);
    this.lines.push(this.at.line);
    this.cols.push(this.at.col);
    this.adjust(effect);
    return at;
  }

  private adjust(effect: number): void {
    this.depth += effect;
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
  }

  private get here(): number {
    return this.code.length;
  }

  private patch(at: number, target: number = this.here): void {
    this.code[at + 1] = target;
  }

  private located<T>(node: A.Pos, f: () => T): T {
    const saved = this.at;
    this.at = node;
    try {
      return f();
    } finally {
      this.at = saved;
    }
  }

  // --- statements ---

  private stmt(s: A.Stmt): void {
    this.at = s;
    switch (s.kind) {
      case 'Expr':
        this.expr(s.value);
        this.emit(OP.POP_TOP, 0);
        return;
      case 'Pass':
      case 'Global':
        return;
      case 'Assign':
        this.expr(s.value);
        s.targets.forEach((t, k) => {
          if (k < s.targets.length - 1) this.emit(OP.DUP_TOP, 0);
          this.store(t);
        });
        return;
      case 'AugAssign':
        return this.augAssign(s);
      case 'If': {
        this.expr(s.test);
        const toElse = this.emit(OP.POP_JUMP_IF_FALSE, 0);
        s.body.forEach((b) => this.stmt(b));
        if (s.orelse.length === 0) {
          this.patch(toElse);
          return;
        }
        this.at = s;
        const toEnd = this.emit(OP.JUMP_FORWARD, 0);
        this.patch(toElse);
        s.orelse.forEach((b) => this.stmt(b));
        this.patch(toEnd);
        return;
      }
      case 'While': {
        const header = this.here;
        this.expr(s.test);
        const exit = this.emit(OP.POP_JUMP_IF_FALSE, 0);
        const loop: LoopBlock = { header, breaks: [], bodyDepth: this.depth, ownItems: 0 };
        this.loops.push(loop);
        s.body.forEach((b) => this.stmt(b));
        this.loops.pop();
        this.at = s;
        this.emit(OP.JUMP_BACKWARD, header);
        this.patch(exit);
        for (const b of loop.breaks) this.patch(b);
        return;
      }
      case 'For': {
        this.expr(s.iter);
        this.at = s;
        this.emit(OP.GET_ITER, 0);
        const header = this.here;
        const exit = this.emit(OP.FOR_ITER, 0, 1);
        const loop: LoopBlock = { header, breaks: [], bodyDepth: this.depth - 1, ownItems: 1 };
        this.store(s.target);
        this.loops.push(loop);
        s.body.forEach((b) => this.stmt(b));
        this.loops.pop();
        this.at = s;
        this.emit(OP.JUMP_BACKWARD, header);
        this.adjust(-1); // FOR_ITER pops the iterator when it jumps to the exit
        this.patch(exit);
        for (const b of loop.breaks) this.patch(b);
        return;
      }
      case 'Break':
      case 'Continue': {
        const loop = this.loops[this.loops.length - 1];
        if (!loop) throw new SourceError(`'${s.kind === 'Break' ? 'break' : 'continue'}' outside loop`, s);
        const saved = this.depth;
        const extra = this.depth - loop.bodyDepth + (s.kind === 'Break' ? loop.ownItems : 0);
        for (let k = 0; k < extra; k++) this.emit(OP.POP_TOP, 0);
        if (s.kind === 'Break') loop.breaks.push(this.emit(OP.JUMP_FORWARD, 0));
        else this.emit(OP.JUMP_BACKWARD, loop.header);
        this.depth = saved;
        return;
      }
      case 'Return':
        if (this.isModule) throw new SourceError("'return' outside function", s);
        if (s.value) this.expr(s.value);
        else this.emit(OP.LOAD_CONST, this.program.constant(null));
        this.emit(OP.RETURN_VALUE, 0);
        return;
      case 'FunctionDef':
        this.makeFunction(s, s.name);
        this.storeName(s.name);
        return;
      case 'ClassDef':
        return this.classDef(s);
      case 'Raise':
        if (s.exc) {
          this.expr(s.exc);
          this.at = s;
          this.emit(OP.RAISE, 0);
        } else {
          const handled = this.handling[this.handling.length - 1];
          if (handled === undefined) this.emit(OP.LOAD_CONST, this.program.constant(null));
          else this.emit(OP.PEEK, handled);
          this.emit(OP.RERAISE, 0);
        }
        return;
      case 'Try':
        return this.tryStmt(s);
      case 'Import':
        for (const alias of s.names) {
          if (!(MODULES as readonly string[]).includes(alias.name)) notSupported(`import of ${alias.name} (only ${MODULES.join(', ')})`, alias);
          this.emit(OP.IMPORT_NAME, this.program.module(alias.name));
          this.storeName(alias.asname ?? alias.name);
        }
        return;
    }
  }

  private augAssign(s: A.AugAssign): void {
    const op = BINARY_OPERATORS.indexOf(s.op);
    const t = s.target;
    switch (t.kind) {
      case 'Name':
        this.loadName(t.id, t);
        this.expr(s.value);
        this.located(s, () => this.emit(OP.INPLACE_OP, op));
        this.storeName(t.id);
        return;
      case 'Attribute':
        this.expr(t.value);
        this.emit(OP.DUP_TOP, 0);
        this.located({ line: t.opLine, col: t.opCol }, () => this.emit(OP.LOAD_ATTR, this.program.name(t.attr)));
        this.expr(s.value);
        this.located(s, () => this.emit(OP.INPLACE_OP, op));
        this.emit(OP.ROT_TWO, 0);
        this.emit(OP.STORE_ATTR, this.program.name(t.attr));
        return;
      case 'Subscript':
        this.expr(t.value);
        this.expr(t.slice);
        this.emit(OP.DUP_TOP_TWO, 0);
        this.located({ line: t.opLine, col: t.opCol }, () => this.emit(OP.BINARY_SUBSCR, 0));
        this.expr(s.value);
        this.located(s, () => this.emit(OP.INPLACE_OP, op));
        this.emit(OP.ROT_THREE, 0);
        this.emit(OP.STORE_SUBSCR, 0);
        return;
    }
  }

  private tryStmt(s: A.Try): void {
    const start = this.here;
    const depth = this.depth;
    s.body.forEach((b) => this.stmt(b));
    this.at = s;
    const end = this.here;
    const toEnd: number[] = [this.emit(OP.JUMP_FORWARD, 0)];
    const handler = this.here;
    this.handlers.push([start, end, handler, depth]);
    this.depth = depth + 1; // the exception
    this.adjust(0);
    s.handlers.forEach((h, k) => {
      this.at = h;
      if (h.type === null && k < s.handlers.length - 1) throw new SourceError("default 'except:' must be last", h);
      let next = -1;
      if (h.type !== null) {
        this.expr(h.type);
        this.at = h;
        this.emit(OP.CHECK_EXC_MATCH, 0);
        next = this.emit(OP.POP_JUMP_IF_FALSE, 0);
      }
      if (h.name !== null) {
        this.emit(OP.DUP_TOP, 0);
        this.storeName(h.name);
      }
      this.handling.push(depth);
      h.body.forEach((b) => this.stmt(b));
      this.handling.pop();
      this.at = h;
      this.emit(OP.POP_TOP, 0);
      if (h.name !== null) this.deleteName(h.name);
      toEnd.push(this.emit(OP.JUMP_FORWARD, 0));
      this.depth = depth + 1;
      if (next >= 0) this.patch(next);
    });
    this.at = s;
    if (s.handlers[s.handlers.length - 1]?.type !== null) this.emit(OP.RERAISE, 0);
    this.depth = depth;
    for (const j of toEnd) this.patch(j);
  }

  private makeFunction(s: A.FunctionDef, qualname: string): void {
    for (const d of s.args.defaults) this.expr(d);
    const program = this.program;
    const id = program.codes.length;
    program.codes.push(undefined as never);
    const builder = new CodeBuilder(program, id, s.name, qualname, s.args.args, s.body, s.args.defaults.length);
    program.codes[id] = builder.compileBody(s.body, false);
    this.at = s;
    this.emit(OP.MAKE_FUNCTION, id, 1 - s.args.defaults.length);
  }

  private classDef(s: A.ClassDef): void {
    if (s.bases.length > 1) notSupported('multiple inheritance', s.bases[1]!);
    if (s.bases.length === 1) this.expr(s.bases[0]!);
    const attrs: string[] = [];
    const selfFields: string[] = [];
    for (const item of s.body) {
      this.at = item;
      switch (item.kind) {
        case 'Pass':
          break;
        case 'Expr':
          if (item.value.kind !== 'Constant') notSupported('an expression statement in a class body', item);
          break;
        case 'FunctionDef':
          this.makeFunction(item, `${s.name}.${item.name}`);
          attrs.push(item.name);
          scanSelfFields(item, selfFields);
          break;
        case 'Assign':
          if (item.targets.length !== 1 || item.targets[0]!.kind !== 'Name') notSupported('this assignment in a class body (only NAME = value)', item);
          this.expr(item.value);
          attrs.push((item.targets[0] as A.Name).id);
          break;
        default:
          notSupported(`'${item.kind}' in a class body`, item);
      }
    }
    this.at = s;
    const spec = this.program.classes.length;
    this.program.classes.push({ name: s.name, hasBase: s.bases.length === 1, attrs, selfFields });
    this.emit(OP.BUILD_CLASS, spec, 1 - attrs.length - (s.bases.length === 1 ? 1 : 0));
    this.storeName(s.name);
  }

  // --- names ---

  private loadName(name: string, at: A.Pos): void {
    this.located(at, () => {
      const local = this.locals.get(name);
      if (local !== undefined && !this.isModule) this.emit(OP.LOAD_FAST, local);
      else this.emit(OP.LOAD_GLOBAL, this.program.global(name));
    });
  }

  private storeName(name: string): void {
    const local = this.locals.get(name);
    if (local !== undefined && !this.isModule) this.emit(OP.STORE_FAST, local);
    else this.emit(OP.STORE_GLOBAL, this.program.global(name));
  }

  private deleteName(name: string): void {
    const local = this.locals.get(name);
    if (local !== undefined && !this.isModule) this.emit(OP.DELETE_FAST, local);
    else this.emit(OP.DELETE_GLOBAL, this.program.global(name));
  }

  private store(t: A.Target | A.Expr): void {
    switch (t.kind) {
      case 'Name':
        this.located(t, () => this.storeName(t.id));
        return;
      case 'Attribute':
        this.expr(t.value);
        this.located({ line: t.opLine, col: t.opCol }, () => this.emit(OP.STORE_ATTR, this.program.name(t.attr)));
        return;
      case 'Subscript':
        this.expr(t.value);
        this.expr(t.slice);
        this.located({ line: t.opLine, col: t.opCol }, () => this.emit(OP.STORE_SUBSCR, 0));
        return;
      case 'Tuple':
      case 'List':
        this.located(t, () => this.emit(OP.UNPACK_SEQUENCE, t.elts.length, t.elts.length - 1));
        for (const e of t.elts) this.store(e);
        return;
      default:
        throw new SourceError('cannot assign to expression here', t);
    }
  }

  // --- expressions ---

  private expr(e: A.Expr): void {
    const saved = this.at;
    this.at = e;
    this.exprAt(e);
    this.at = saved;
  }

  private exprAt(e: A.Expr): void {
    switch (e.kind) {
      case 'Constant':
        this.emit(OP.LOAD_CONST, this.program.constant(e.value));
        return;
      case 'Name':
        this.loadName(e.id, e);
        return;
      case 'Attribute':
        this.expr(e.value);
        this.located({ line: e.opLine, col: e.opCol }, () => this.emit(OP.LOAD_ATTR, this.program.name(e.attr)));
        return;
      case 'Subscript':
        this.expr(e.value);
        this.expr(e.slice);
        this.located({ line: e.opLine, col: e.opCol }, () => this.emit(OP.BINARY_SUBSCR, 0));
        return;
      case 'Call': {
        const f = e.func;
        if (f.kind === 'Attribute') {
          this.expr(f.value);
          this.located({ line: f.opLine, col: f.opCol }, () => this.emit(OP.LOAD_METHOD, this.program.name(f.attr)));
          for (const a of e.args) this.expr(a);
          this.emit(OP.CALL_METHOD, e.args.length, -e.args.length - 1);
        } else {
          this.expr(f);
          for (const a of e.args) this.expr(a);
          this.emit(OP.CALL, e.args.length, -e.args.length);
        }
        return;
      }
      case 'BinOp':
        this.expr(e.left);
        this.expr(e.right);
        this.located({ line: e.opLine, col: e.opCol }, () => this.emit(OP.BINARY_OP, BINARY_OPERATORS.indexOf(e.op)));
        return;
      case 'UnaryOp':
        // `-100` is a constant, as CPython folds it (a negative literal is not an operation).
        if (e.op === 'USub' && e.operand.kind === 'Constant' && (typeof e.operand.value === 'bigint' || typeof e.operand.value === 'number')) {
          this.emit(OP.LOAD_CONST, this.program.constant(-e.operand.value));
          return;
        }
        this.expr(e.operand);
        this.emit(e.op === 'USub' ? OP.UNARY_NEGATIVE : e.op === 'UAdd' ? OP.UNARY_POSITIVE : OP.UNARY_NOT, 0);
        return;
      case 'BoolOp': {
        const jumps: number[] = [];
        e.values.forEach((v, k) => {
          this.expr(v);
          if (k < e.values.length - 1) {
            jumps.push(this.emit(e.op === 'And' ? OP.JUMP_IF_FALSE_OR_POP : OP.JUMP_IF_TRUE_OR_POP, 0, -1));
          }
        });
        for (const j of jumps) this.patch(j);
        return;
      }
      case 'Compare': {
        this.expr(e.left);
        if (e.ops.length === 1) {
          this.expr(e.comparators[0]!);
          this.compareOp(e.ops[0]!);
          return;
        }
        const cleanups: number[] = [];
        e.ops.forEach((op, k) => {
          this.expr(e.comparators[k]!);
          if (k < e.ops.length - 1) {
            this.emit(OP.DUP_TOP, 0);
            this.emit(OP.ROT_THREE, 0);
            this.compareOp(op);
            cleanups.push(this.emit(OP.JUMP_IF_FALSE_OR_POP, 0, -1));
          } else {
            this.compareOp(op);
          }
        });
        const toEnd = this.emit(OP.JUMP_FORWARD, 0);
        for (const c of cleanups) this.patch(c);
        this.adjust(1);
        this.emit(OP.ROT_TWO, 0);
        this.emit(OP.POP_TOP, 0);
        this.patch(toEnd);
        return;
      }
      case 'IfExp': {
        this.expr(e.test);
        const toElse = this.emit(OP.POP_JUMP_IF_FALSE, 0);
        this.expr(e.body);
        const toEnd = this.emit(OP.JUMP_FORWARD, 0);
        this.adjust(-1);
        this.patch(toElse);
        this.expr(e.orelse);
        this.patch(toEnd);
        return;
      }
      case 'List':
      case 'Tuple':
        for (const x of e.elts) this.expr(x);
        this.emit(e.kind === 'List' ? OP.BUILD_LIST : OP.BUILD_TUPLE, e.elts.length, 1 - e.elts.length);
        return;
    }
  }

  private compareOp(op: A.CmpOperator): void {
    switch (op) {
      case 'Is':
      case 'IsNot':
        this.emit(OP.IS_OP, op === 'IsNot' ? 1 : 0);
        return;
      case 'In':
      case 'NotIn':
        this.emit(OP.CONTAINS_OP, op === 'NotIn' ? 1 : 0);
        return;
      default:
        this.emit(OP.COMPARE_OP, COMPARE_OPERATORS.indexOf(op));
    }
  }
}

/** Appends to `out` the attributes `method` assigns on its first parameter, in source order. */
function scanSelfFields(method: A.FunctionDef, out: string[]): void {
  const self = method.args.args[0]?.arg;
  if (self === undefined) return;
  const target = (t: A.Expr): void => {
    if (t.kind === 'Attribute' && t.value.kind === 'Name' && t.value.id === self) {
      if (!out.includes(t.attr)) out.push(t.attr);
    } else if (t.kind === 'Tuple' || t.kind === 'List') t.elts.forEach(target);
  };
  const walk = (stmts: readonly A.Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'Assign') s.targets.forEach(target);
      else if (s.kind === 'AugAssign') target(s.target);
      else if (s.kind === 'For') {
        target(s.target);
        walk(s.body);
      } else if (s.kind === 'While') walk(s.body);
      else if (s.kind === 'If') {
        walk(s.body);
        walk(s.orelse);
      } else if (s.kind === 'Try') {
        walk(s.body);
        for (const h of s.handlers) walk(h.body);
      }
    }
  };
  walk(method.body);
}
