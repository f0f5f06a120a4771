/**
 * traceToWat: the module a trace compiles to, as WebAssembly text, for `boxless wasm --wat`.
 *
 * The same emitter and op rules that produce the binary write into a `WatSink` here instead of
 * a `BinarySink`, so the text is the code that runs, instruction for instruction. Each trace op
 * appears as a `;; [index] op` comment before its code; locals carry the trace's variable names.
 */
import { type Arg, type ExitValue, OPS, type Op, type Trace } from '../ir/index.ts';
import { type OpRules, emitRun } from './emit.ts';
import type { BlockKind, CodeSink, LocalInstr, MemoryInstr, PlainInstr, ValType } from './instructions.ts';
import { FIRST_HELPER, FUNC, HELPERS, IMPORT_PARAMS, IMPORTS, RUN_LOCALS, TYPE, TYPES } from './module-shape.ts';
import { OP_RULES } from './rules.ts';

/** Lines are rendered at the end: the run function's local names and the module's helpers are known only after emission. */
class WatSink implements CodeSink {
  private readonly pending: (() => string)[] = [];
  private depth = 2;

  constructor(
    private readonly localNames: readonly string[],
    /** Function names by index. */
    private readonly funcNames: readonly string[],
  ) {}

  lines(): string[] {
    return this.pending.map((render) => render());
  }

  private line(text: string | (() => string)): void {
    const indent = '  '.repeat(this.depth);
    this.pending.push(typeof text === 'string' ? () => indent + text : () => indent + text());
  }
  op(name: PlainInstr): void {
    this.line(name);
  }
  mem(name: MemoryInstr, offset: number): void {
    this.line(offset === 0 ? name : `${name} offset=${offset}`);
  }
  local(name: LocalInstr, index: number): void {
    this.line(() => `${name} $${this.localNames[index]}`);
  }
  i32Const(v: number): void {
    this.line(`i32.const ${v | 0}`);
  }
  i64Const(v: bigint): void {
    this.line(`i64.const ${v}`);
  }
  f64Const(v: number): void {
    this.line(`f64.const ${floatText(v)}`);
  }
  block(kind: BlockKind, result?: ValType): void {
    this.line(result ? `${kind} (result ${result})` : kind);
    this.depth++;
  }
  else(): void {
    this.depth--;
    this.line('else');
    this.depth++;
  }
  end(): void {
    this.depth--;
    this.line('end');
  }
  br(name: 'br' | 'br_if', depth: number): void {
    this.line(`${name} ${depth}`);
  }
  call(func: number): void {
    this.line(() => `call $${this.funcNames[func]}`);
  }
  traceOp(index: number, op: Op): void {
    this.line(`;; [${index}] ${formatOp(op)}`);
  }
}

export function traceToWat(trace: Trace, rules: OpRules = OP_RULES): string {
  const runParams = Object.keys(RUN_LOCALS).slice(0, TYPES[TYPE.run]!.params.length);
  const names: string[] = [...runParams];
  const funcNames: string[] = Object.keys(FUNC);
  const sink = new WatSink(names, funcNames);
  const code = emitRun(trace, rules, sink);
  for (const l of code.locals) names.push(l.name);
  code.helpers.forEach((name, k) => (funcNames[FIRST_HELPER + k] = name));

  const out: string[] = ['(module'];
  for (const imp of IMPORTS) {
    if (imp.kind === 'memory') out.push(`  (import "${imp.module}" "${imp.name}" (memory ${imp.minPages}))`);
    else out.push(`  (import "${imp.module}" "${imp.name}" (func $${imp.name}${signature(imp.type, IMPORT_PARAMS[imp.name]!)}))`);
  }
  out.push(`  (func $run (export "run")${signature(TYPE.run, runParams)}`);
  for (const l of code.locals) out.push(`    (local $${l.name} ${l.type})`);
  // One push per line: a spread of a 10,000-op trace's lines overflows the call stack.
  for (const line of sink.lines()) out.push(line);
  out.push('  )');
  for (const name of code.helpers) {
    const helper = HELPERS[name];
    const helperNames = [...helper.paramNames, ...helper.locals.map((l) => l.name)];
    const helperSink = new WatSink(helperNames, funcNames);
    helper.emit(helperSink);
    // Stryker disable next-line StringLiteral: another separator cannot change the text: no helper has more than one local (HELPERS); the line's other StringLiteral mutant, an empty declaration, fails test/wasm/wat.test.ts
    const locals = helper.locals.map((l) => ` (local $${l.name} ${l.type})`).join('');
    out.push(`  (func $${helper.name}${signature(helper.type, helper.paramNames)}${locals}`, ...helperSink.lines(), '  )');
  }
  out.push(')');
  return out.join('\n') + '\n';
}

function signature(typeIndex: number, paramNames: readonly string[]): string {
  const t = TYPES[typeIndex]!;
  const params = t.params.map((p, k) => ` (param $${paramNames[k]} ${p})`).join('');
  // Stryker disable next-line StringLiteral: another separator cannot change the text: no function type has more than one result (TYPES); the line's other StringLiteral mutant, an empty result, fails test/wasm/wat.test.ts
  const results = t.results.map((r) => ` (result ${r})`).join('');
  return params + results;
}

function floatText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  return String(v);
}

function argText(a: Arg | ExitValue): string {
  switch (a.kind) {
    case 'var':
      return a.name;
    // Stryker disable next-line ConditionalExpression: an int that falls through to the float case is printed the same: floatText of a bigint is String of it (it is no NaN, infinity or -0.0)
    case 'int':
      return String(a.value);
    case 'float':
      return floatText(a.value);
    case 'null':
      return 'null';
    case 'prebuilt':
      return `@${a.name}`;
    case 'virtual':
      return `$${a.index}`;
  }
}

/** One op, roughly as the trace text writes it (operands in op-table order, fail args after). */
function formatOp(op: Op): string {
  const info = OPS[op.name];
  const operands: string[] = [];
  let next = 0;
  if ('variadic' in info) {
    operands.push(...op.args.map(argText));
  } else {
    for (const kind of info.operands) {
      if (kind === 'class' || kind === 'field' || kind === 'elem') {
        const d = op.descr!;
        operands.push(d.kind === 'class' ? d.cls : d.kind === 'field' ? `${d.cls}.${d.field}` : d.type);
      } else {
        operands.push(argText(op.args[next++]!));
      }
    }
  }
  const head = `${op.result ? `${op.result} = ` : ''}${op.name}(${operands.join(', ')})`;
  return op.exit ? `${head} [${op.exit.values.map(argText).join(', ')}]` : head;
}
