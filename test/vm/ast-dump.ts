/**
 * The guest AST written as CPython's `ast.dump(ast.parse(source))` writes its tree, so a parse
 * can be compared with CPython's field by field; and the positions of every node in the same
 * pre-order as `positionsScript` lists CPython's (type, line, col), with CPython's 0-based
 * `col_offset` made 1-based.
 */
import type { Expr, Module, Stmt } from '../../src/vm/ast.ts';
import { reprFloat, reprStr } from '../../src/vm/format.ts';

const list = (items: readonly string[]) => `[${items.join(', ')}]`;

function constant(value: bigint | number | string | boolean | null): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return reprFloat(value);
  return reprStr(value);
}

export function dumpExpr(e: Expr): string {
  switch (e.kind) {
    case 'Constant':
      return `Constant(value=${constant(e.value)})`;
    case 'Name':
      return `Name(id=${reprStr(e.id)}, ctx=${e.ctx}())`;
    case 'Attribute':
      return `Attribute(value=${dumpExpr(e.value)}, attr=${reprStr(e.attr)}, ctx=${e.ctx}())`;
    case 'Subscript':
      return `Subscript(value=${dumpExpr(e.value)}, slice=${dumpExpr(e.slice)}, ctx=${e.ctx}())`;
    case 'Call':
      return `Call(func=${dumpExpr(e.func)}, args=${list(e.args.map(dumpExpr))}, keywords=[])`;
    case 'BinOp':
      return `BinOp(left=${dumpExpr(e.left)}, op=${e.op}(), right=${dumpExpr(e.right)})`;
    case 'UnaryOp':
      return `UnaryOp(op=${e.op}(), operand=${dumpExpr(e.operand)})`;
    case 'BoolOp':
      return `BoolOp(op=${e.op}(), values=${list(e.values.map(dumpExpr))})`;
    case 'Compare':
      return `Compare(left=${dumpExpr(e.left)}, ops=${list(e.ops.map((o) => `${o}()`))}, comparators=${list(e.comparators.map(dumpExpr))})`;
    case 'IfExp':
      return `IfExp(test=${dumpExpr(e.test)}, body=${dumpExpr(e.body)}, orelse=${dumpExpr(e.orelse)})`;
    case 'List':
    case 'Tuple':
      return `${e.kind}(elts=${list(e.elts.map(dumpExpr))}, ctx=${e.ctx}())`;
  }
}

const body = (b: readonly Stmt[]) => list(b.map(dumpStmt));

export function dumpStmt(s: Stmt): string {
  switch (s.kind) {
    case 'FunctionDef': {
      const args = list(s.args.args.map((a) => `arg(arg=${reprStr(a.arg)})`));
      const defaults = list(s.args.defaults.map(dumpExpr));
      return `FunctionDef(name=${reprStr(s.name)}, args=arguments(posonlyargs=[], args=${args}, kwonlyargs=[], kw_defaults=[], defaults=${defaults}), body=${body(s.body)}, decorator_list=[])`;
    }
    case 'ClassDef':
      return `ClassDef(name=${reprStr(s.name)}, bases=${list(s.bases.map(dumpExpr))}, keywords=[], body=${body(s.body)}, decorator_list=[])`;
    case 'Return':
      return s.value === null ? 'Return()' : `Return(value=${dumpExpr(s.value)})`;
    case 'Assign':
      return `Assign(targets=${list(s.targets.map(dumpExpr))}, value=${dumpExpr(s.value)})`;
    case 'AugAssign':
      return `AugAssign(target=${dumpExpr(s.target)}, op=${s.op}(), value=${dumpExpr(s.value)})`;
    case 'If':
      return `If(test=${dumpExpr(s.test)}, body=${body(s.body)}, orelse=${body(s.orelse)})`;
    case 'While':
      return `While(test=${dumpExpr(s.test)}, body=${body(s.body)}, orelse=[])`;
    case 'For':
      return `For(target=${dumpExpr(s.target)}, iter=${dumpExpr(s.iter)}, body=${body(s.body)}, orelse=[])`;
    case 'Break':
    case 'Continue':
    case 'Pass':
      return `${s.kind}()`;
    case 'Global':
      return `Global(names=${list(s.names.map(reprStr))})`;
    case 'Raise':
      return s.exc === null ? 'Raise()' : `Raise(exc=${dumpExpr(s.exc)})`;
    case 'Try': {
      const handlers = s.handlers.map((h) => {
        const fields = [];
        if (h.type !== null) fields.push(`type=${dumpExpr(h.type)}`);
        if (h.name !== null) fields.push(`name=${reprStr(h.name)}`);
        fields.push(`body=${body(h.body)}`);
        return `ExceptHandler(${fields.join(', ')})`;
      });
      return `Try(body=${body(s.body)}, handlers=${list(handlers)}, orelse=[], finalbody=[])`;
    }
    case 'Import':
      return `Import(names=${list(s.names.map((a) => (a.asname === null ? `alias(name=${reprStr(a.name)})` : `alias(name=${reprStr(a.name)}, asname=${reprStr(a.asname)})`)))})`;
    case 'Expr':
      return `Expr(value=${dumpExpr(s.value)})`;
  }
}

export function dumpModule(m: Module): string {
  return `Module(body=${body(m.body)}, type_ignores=[])`;
}

/** Pre-order (kind, line, col) of every statement and expression, fields in CPython's order. */
export function positions(m: Module): string[] {
  const out: string[] = [];
  const expr = (e: Expr): void => {
    out.push(`${e.kind}:${e.line}:${e.col}`);
    switch (e.kind) {
      case 'Attribute':
        return expr(e.value);
      case 'Subscript':
        expr(e.value);
        return expr(e.slice);
      case 'Call':
        expr(e.func);
        return e.args.forEach(expr);
      case 'BinOp':
        expr(e.left);
        return expr(e.right);
      case 'UnaryOp':
        return expr(e.operand);
      case 'BoolOp':
        return e.values.forEach(expr);
      case 'Compare':
        expr(e.left);
        return e.comparators.forEach(expr);
      case 'IfExp':
        expr(e.test);
        expr(e.body);
        return expr(e.orelse);
      case 'List':
      case 'Tuple':
        return e.elts.forEach(expr);
    }
  };
  const stmt = (s: Stmt): void => {
    out.push(`${s.kind}:${s.line}:${s.col}`);
    switch (s.kind) {
      case 'FunctionDef':
        s.args.defaults.forEach(expr);
        return s.body.forEach(stmt);
      case 'ClassDef':
        s.bases.forEach(expr);
        return s.body.forEach(stmt);
      case 'Return':
        if (s.value) expr(s.value);
        return;
      case 'Assign':
        s.targets.forEach(expr);
        return expr(s.value);
      case 'AugAssign':
        expr(s.target);
        return expr(s.value);
      case 'If':
        expr(s.test);
        s.body.forEach(stmt);
        return s.orelse.forEach(stmt);
      case 'While':
        expr(s.test);
        return s.body.forEach(stmt);
      case 'For':
        expr(s.target);
        expr(s.iter);
        return s.body.forEach(stmt);
      case 'Raise':
        if (s.exc) expr(s.exc);
        return;
      case 'Try':
        s.body.forEach(stmt);
        for (const h of s.handlers) {
          out.push(`ExceptHandler:${h.line}:${h.col}`);
          if (h.type) expr(h.type);
          h.body.forEach(stmt);
        }
        return;
      case 'Expr':
        return expr(s.value);
    }
  };
  m.body.forEach(stmt);
  return out;
}

/** The Python side: for each source, [ast.dump, positions] or ['error', message]. */
export const CPYTHON_AST_SCRIPT = String.raw`
import ast, json, sys
SKIP = (ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.arguments, ast.arg, ast.alias)
def walk(node, out):
    if isinstance(node, (ast.stmt, ast.expr, ast.excepthandler)):
        # col_offset counts UTF-8 bytes; the guest AST counts UTF-16 code units.
        line = lines[node.lineno - 1].encode('utf-8')[:node.col_offset].decode('utf-8')
        col = len(line.encode('utf-16-le')) // 2
        out.append("%s:%d:%d" % (type(node).__name__, node.lineno, col + 1))
    for name in node._fields:
        value = getattr(node, name)
        if name == 'args' and isinstance(node, ast.FunctionDef):
            value = value.defaults
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, ast.AST) and not isinstance(item, SKIP):
                walk(item, out)
            elif isinstance(item, list):
                pass
out = []
for src in json.load(sys.stdin):
    lines = src.replace('\r\n', '\n').split('\n')
    try:
        tree = ast.parse(src)
        pos = []
        walk(tree, pos)
        out.append([ast.dump(tree), pos])
    except SyntaxError as e:
        out.append(['error', e.msg])
print(json.dumps(out))
`;
