/**
 * The printer of the trace text format: a `Trace` to its canonical text, which `parseTrace` reads
 * back to the same trace (ignoring `loc`).
 *
 * Canonical form: the classes, a blank line, the prebuilt objects one per line, a blank line,
 * the inputs and the ops one per line without indentation, a blank line, the input sets (empty
 * sections and their blank line are left out).
 * An op's text leaves out what the parser would supply anyway: a guard's id when it is the
 * guard's position among the trace's guards, and its `[...]` when the fail args are exactly the
 * variables defined before it with no virtuals. A field is printed bare when a single class
 * declares that name, else as `Class.field`. Floats print as the shortest text that reads back to
 * the same double, always with a `.` or an exponent (or as nan, inf, -inf).
 *
 * Every dump reuses `printOp` and `printArg` (optimizer --explain, wasm --wat comments), so an op
 * looks the same everywhere. Operands are printed by the op table's operand kinds, like the parser
 * reads them, so a new op needs no change here. Printing is linear in the size of the trace: the
 * default-fail-args test compares lengths before it compares names.
 */
import type { Arg, ClassDecl, ExitDesc, ExitValue, HeapObjectDesc, HeapValue, InputSet, Op, Trace, VirtualDesc } from '../ir/index.ts';
import { OPS, opInfo } from '../ir/index.ts';

/** Where an op stands in its trace: what decides which of its parts are defaults. */
export interface OpContext {
  /** The op's position among the trace's guards: a guard's default id. */
  readonly guardIndex: number;
  /** The variables defined before the op (inputs, then results, in order): a guard's default fail args. */
  readonly definedBefore: readonly string[];
}

export function printTrace(trace: Trace): string {
  const sections: string[][] = [];
  if (trace.classes.length > 0) sections.push(trace.classes.map(printClass));
  if (trace.prebuilt && trace.prebuilt.length > 0) sections.push(trace.prebuilt.map((o) => `prebuilt ${printHeapObject(o)}`));

  const body = [`[${trace.inputs.map((i) => i.name).join(', ')}]`];
  const definedBefore = trace.inputs.map((i) => i.name);
  let guardIndex = 0;
  for (const op of trace.ops) {
    body.push(printOp(op, trace, { guardIndex, definedBefore }));
    if (opInfo(op.name).effects.exits) guardIndex++;
    if (op.result !== null) definedBefore.push(op.result);
  }
  sections.push(body);

  if (trace.inputSets.length > 0) sections.push(trace.inputSets.map(printInputSet));
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/**
 * One op on one line. Without a context (an op shown on its own), a guard's id and fail args are
 * always written out, so the text means the same wherever it is pasted.
 */
export function printOp(op: Op, trace: Pick<Trace, 'classes'>, context?: OpContext): string {
  const info = OPS[op.name];
  const operands = op.args.map(printArg);
  if (op.descr) {
    const at = info.operands.findIndex((k) => k === 'class' || k === 'field' || k === 'elem');
    operands.splice(at < 0 ? operands.length : at, 0, printDescr(op.descr, trace));
  }
  const isGuard = opInfo(op.name).effects.exits === true;
  if (isGuard && op.guardId !== context?.guardIndex) operands.push(`id=${op.guardId}`);
  let text = `${op.result !== null ? `${op.result} = ` : ''}${op.name}(${operands.join(', ')})`;
  if (op.exit && !(isGuard && context && isDefaultExit(op.exit, context.definedBefore))) text += ` ${printExit(op.exit)}`;
  return text;
}

/** A value operand: `i3`, `-7`, `1.5`, `null`, `@none`. */
export function printArg(arg: Arg): string {
  switch (arg.kind) {
    case 'var':
      return arg.name;
    case 'int':
      return String(arg.value);
    case 'float':
      return printFloat(arg.value);
    case 'null':
      return 'null';
    case 'prebuilt':
      return `@${arg.name}`;
  }
}

/** The shortest text that reads back as exactly `x`: `1.0`, `-0.0`, `5e-324`, `nan`, `-inf`. */
export function printFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0.0';
  const text = String(x).replace('e+', 'e');
  return /[.e]/.test(text) ? text : `${text}.0`;
}

export function printExitValue(value: ExitValue): string {
  return value.kind === 'virtual' ? `$${value.index}` : printArg(value);
}

/** Fail args and virtuals: `[p0, $0] with $0 = BoxedInteger{intval: i4}`. */
export function printExit(exit: ExitDesc): string {
  const values = `[${exit.values.map(printExitValue).join(', ')}]`;
  if (exit.virtuals.length === 0) return values;
  return `${values} with ${exit.virtuals.map((virtual, k) => `$${k} = ${printVirtual(virtual)}`).join(', ')}`;
}

export function printHeapValue(value: HeapValue): string {
  return value.kind === 'obj' ? `@${value.name}` : printArg(value);
}

function printVirtual(virtual: VirtualDesc): string {
  if (virtual.kind === 'array') return `${virtual.elem}[${virtual.items.map(printExitValue).join(', ')}]`;
  return `${virtual.cls}{${virtual.fields.map((f) => `${f.field}: ${printExitValue(f.value)}`).join(', ')}}`;
}

function printClass(decl: ClassDecl): string {
  return `class ${decl.name}(${decl.fields.map((f) => `${f.name}: ${f.type}`).join(', ')})`;
}

function printInputSet(set: InputSet): string {
  const args = `input ${set.name} [${set.args.map(printHeapValue).join(', ')}]`;
  return set.objects.length === 0 ? args : `${args} with ${set.objects.map(printHeapObject).join(', ')}`;
}

/** An input set's or a prebuilt object's description: `@none = NoneType{}`, `@t = int[1, 2]`. */
export function printHeapObject(object: HeapObjectDesc): string {
  if (object.kind === 'array') return `@${object.name} = ${object.elem}[${object.items.map(printHeapValue).join(', ')}]`;
  return `@${object.name} = ${object.cls}{${object.fields.map((f) => `${f.field}: ${printHeapValue(f.value)}`).join(', ')}}`;
}

function printDescr(descr: NonNullable<Op['descr']>, trace: Pick<Trace, 'classes'>): string {
  switch (descr.kind) {
    case 'class':
      return descr.cls;
    case 'elem':
      return descr.type;
    case 'field':
      return fieldOwners(trace.classes).get(descr.field) === descr.cls ? descr.field : `${descr.cls}.${descr.field}`;
  }
}

/** Does the exit say exactly what a guard written without `[...]` means? */
function isDefaultExit(exit: ExitDesc, definedBefore: readonly string[]): boolean {
  if (exit.virtuals.length !== 0 || exit.values.length !== definedBefore.length) return false;
  return exit.values.every((value, k) => value.kind === 'var' && value.name === definedBefore[k]);
}

/** Field name to the one class declaring it, or to null when several do. Cached per class list. */
const ownersCache = new WeakMap<readonly ClassDecl[], ReadonlyMap<string, string | null>>();

function fieldOwners(classes: readonly ClassDecl[]): ReadonlyMap<string, string | null> {
  let owners = ownersCache.get(classes);
  if (!owners) {
    const map = new Map<string, string | null>();
    for (const c of classes) {
      for (const f of c.fields) map.set(f.name, map.has(f.name) && map.get(f.name) !== c.name ? null : c.name);
    }
    owners = map;
    ownersCache.set(classes, owners);
  }
  return owners;
}
