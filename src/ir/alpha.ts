/**
 * Equivalence of two traces up to a renaming of their variables (alpha-equivalence): what golden
 * tests mean by "the optimizer produced the expected trace", since a pass is free to name the
 * values it introduces.
 *
 * Two traces are equivalent when they declare the same classes (same names, same fields in the
 * same order) and their inputs and ops correspond one to one under a single bijection between
 * their variable names that keeps types: same op names, descrs, guard ids and constants (floats
 * compared as Object.is), operands and results related by the bijection, and exits equal with
 * virtuals compared structurally by index, and the same prebuilt objects (names, classes and
 * contents; a prebuilt operand `@name` is a constant, compared by name). `loc` and input sets are
 * ignored: they say where the trace came from and what to run it on, not what it is.
 *
 * The bijection is built in one forward pass (a variable's first occurrence binds it), so the
 * check is linear in the size of the traces. This module is below src/text, so a difference is
 * described with a small op rendering of its own, not with the printer.
 */
import { OPS } from './ops.ts';
import type { Arg, ClassDecl, Descr, ExitDesc, ExitValue, HeapObjectDesc, HeapValue, Op, Trace, VirtualDesc } from './trace.ts';

export type AlphaResult = { ok: true } | { ok: false; message: string };

export function alphaEquivalent(a: Trace, b: Trace): AlphaResult {
  const classDifference = compareClasses(a.classes, b.classes);
  if (classDifference) return { ok: false, message: classDifference };
  const prebuiltDifference = comparePrebuilt(a.prebuilt ?? [], b.prebuilt ?? []);
  if (prebuiltDifference) return { ok: false, message: prebuiltDifference };

  const renaming = new Renaming();
  if (a.inputs.length !== b.inputs.length) {
    return { ok: false, message: `the first trace has ${a.inputs.length} input(s), the second ${b.inputs.length}` };
  }
  for (const [k, input] of a.inputs.entries()) {
    const problem = renaming.relate(input.name, b.inputs[k]!.name);
    if (problem) return { ok: false, message: `input ${k + 1}: ${problem}` };
  }

  const common = Math.min(a.ops.length, b.ops.length);
  for (let k = 0; k < common; k++) {
    const opA = a.ops[k]!;
    const opB = b.ops[k]!;
    const problem = compareOps(opA, opB, renaming);
    if (problem) return { ok: false, message: `op ${k} differs: ${describeOp(opA)} vs ${describeOp(opB)}: ${problem}` };
  }
  if (a.ops.length !== b.ops.length) {
    const longer = a.ops.length > b.ops.length ? 'first' : 'second';
    const extra = (a.ops.length > b.ops.length ? a.ops : b.ops)[common]!;
    return {
      ok: false,
      message: `the first trace has ${a.ops.length} op(s), the second ${b.ops.length}; the ${longer} goes on with op ${common}: ${describeOp(extra)}`,
    };
  }
  return { ok: true };
}

/** A bijection between the variable names of two traces, grown as variables are met. */
class Renaming {
  private readonly forward = new Map<string, string>();
  private readonly backward = new Map<string, string>();

  /** Relates `x` (first trace) with `y` (second trace); returns why it cannot, or null. */
  relate(x: string, y: string): string | null {
    const image = this.forward.get(x);
    const preimage = this.backward.get(y);
    if (image === undefined && preimage === undefined) {
      if (x[0] !== y[0]) return `${x} and ${y} have different types`;
      this.forward.set(x, y);
      this.backward.set(y, x);
      return null;
    }
    if (image === y) return null;
    if (image !== undefined) return `${x} corresponds to ${image}, not ${y}`;
    return `${y} corresponds to ${preimage}, not ${x}`;
  }
}

function compareClasses(a: readonly ClassDecl[], b: readonly ClassDecl[]): string | null {
  const byName = new Map(b.map((c) => [c.name, c]));
  for (const c of a) {
    const other = byName.get(c.name);
    if (!other) return `class ${c.name} is declared only in the first trace`;
    const fieldsA = c.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
    const fieldsB = other.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
    if (fieldsA !== fieldsB) return `class ${c.name} has fields (${fieldsA}) in the first trace, (${fieldsB}) in the second`;
  }
  const namesA = new Set(a.map((c) => c.name));
  const onlyB = b.find((c) => !namesA.has(c.name));
  return onlyB ? `class ${onlyB.name} is declared only in the second trace` : null;
}

function compareOps(a: Op, b: Op, renaming: Renaming): string | null {
  if (a.name !== b.name) return 'different operations';
  if (!sameDescr(a.descr, b.descr)) return 'different class, field or element type';
  if (a.guardId !== b.guardId) return `guard id ${a.guardId} vs ${b.guardId}`;
  if (a.args.length !== b.args.length) return `${a.args.length} vs ${b.args.length} operand(s)`;
  for (const [k, arg] of a.args.entries()) {
    const problem = compareArgs(arg, b.args[k]!, renaming);
    if (problem) return `operand ${k + 1}: ${problem}`;
  }
  if ((a.exit === null) !== (b.exit === null)) return `only the ${a.exit ? 'first' : 'second'} has an exit`;
  if (a.exit && b.exit) {
    const problem = compareExits(a.exit, b.exit, renaming);
    if (problem) return problem;
  }
  if ((a.result === null) !== (b.result === null)) return `only the ${a.result !== null ? 'first' : 'second'} defines a result`;
  if (a.result !== null && b.result !== null) {
    const problem = renaming.relate(a.result, b.result);
    if (problem) return `result: ${problem}`;
  }
  return null;
}

function compareExits(a: ExitDesc, b: ExitDesc, renaming: Renaming): string | null {
  if (a.values.length !== b.values.length) return `${a.values.length} vs ${b.values.length} fail arg(s)`;
  for (const [k, value] of a.values.entries()) {
    const problem = compareExitValues(value, b.values[k]!, renaming);
    if (problem) return `fail arg ${k + 1}: ${problem}`;
  }
  if (a.virtuals.length !== b.virtuals.length) return `${a.virtuals.length} vs ${b.virtuals.length} virtual(s)`;
  for (const [k, virtual] of a.virtuals.entries()) {
    const problem = compareVirtuals(virtual, b.virtuals[k]!, renaming);
    if (problem) return `$${k}: ${problem}`;
  }
  return null;
}

function compareVirtuals(a: VirtualDesc, b: VirtualDesc, renaming: Renaming): string | null {
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.cls !== b.cls) return `class ${a.cls} vs ${b.cls}`;
    if (a.fields.length !== b.fields.length) return `${a.fields.length} vs ${b.fields.length} field(s)`;
    for (const [k, { field, value }] of a.fields.entries()) {
      const other = b.fields[k]!;
      if (field !== other.field) return `field ${field} vs ${other.field}`;
      const problem = compareExitValues(value, other.value, renaming);
      if (problem) return `field ${field}: ${problem}`;
    }
    return null;
  }
  if (a.kind === 'array' && b.kind === 'array') {
    if (a.elem !== b.elem) return `${a.elem} array vs ${b.elem} array`;
    if (a.items.length !== b.items.length) return `${a.items.length} vs ${b.items.length} item(s)`;
    for (const [k, item] of a.items.entries()) {
      const problem = compareExitValues(item, b.items[k]!, renaming);
      if (problem) return `item ${k}: ${problem}`;
    }
    return null;
  }
  return `${a.kind} vs ${b.kind}`;
}

function compareExitValues(a: ExitValue, b: ExitValue, renaming: Renaming): string | null {
  if (a.kind === 'virtual' || b.kind === 'virtual') {
    if (a.kind === 'virtual' && b.kind === 'virtual' && a.index === b.index) return null;
    return `${showExitValue(a)} vs ${showExitValue(b)}`;
  }
  return compareArgs(a, b, renaming);
}

function compareArgs(a: Arg, b: Arg, renaming: Renaming): string | null {
  if (a.kind === 'var' && b.kind === 'var') return renaming.relate(a.name, b.name);
  const same =
    (a.kind === 'int' && b.kind === 'int' && a.value === b.value) ||
    (a.kind === 'float' && b.kind === 'float' && Object.is(a.value, b.value)) ||
    (a.kind === 'null' && b.kind === 'null') ||
    (a.kind === 'prebuilt' && b.kind === 'prebuilt' && a.name === b.name);
  return same ? null : `${showExitValue(a)} vs ${showExitValue(b)}`;
}

function comparePrebuilt(a: readonly HeapObjectDesc[], b: readonly HeapObjectDesc[]): string | null {
  if (a.length !== b.length) return `the first trace has ${a.length} prebuilt object(s), the second ${b.length}`;
  for (const [k, x] of a.entries()) {
    const y = b[k]!;
    if (describeHeapObject(x) !== describeHeapObject(y)) return `prebuilt object ${k + 1}: ${describeHeapObject(x)} vs ${describeHeapObject(y)}`;
  }
  return null;
}

function describeHeapObject(o: HeapObjectDesc): string {
  const value = (x: HeapValue) => (x.kind === 'obj' ? `@${x.name}` : x.kind === 'null' ? 'null' : x.kind === 'float' ? `${Object.is(x.value, -0) ? '-0' : x.value}f` : `${x.value}`);
  if (o.kind === 'array') return `@${o.name} = ${o.elem}[${o.items.map(value).join(', ')}]`;
  return `@${o.name} = ${o.cls}{${o.fields.map((f) => `${f.field}: ${value(f.value)}`).join(', ')}}`;
}

function sameDescr(a: Descr | null, b: Descr | null): boolean {
  if (a === null || b === null) return a === b;
  switch (a.kind) {
    case 'class':
      return b.kind === 'class' && a.cls === b.cls;
    case 'field':
      return b.kind === 'field' && a.cls === b.cls && a.field === b.field;
    case 'elem':
      return b.kind === 'elem' && a.type === b.type;
  }
}

/** `i4 = int_add(i2, i3)`, `setfield(p5, BoxedInteger.intval, i4) (line 7)`: enough to find the op. */
function describeOp(op: Op): string {
  const operands = op.args.map(showExitValue);
  if (op.descr) {
    const at = OPS[op.name].operands.findIndex((k) => k === 'class' || k === 'field' || k === 'elem');
    operands.splice(at < 0 ? operands.length : at, 0, showDescr(op.descr));
  }
  const result = op.result !== null ? `${op.result} = ` : '';
  const where = op.loc ? ` (line ${op.loc.line})` : '';
  return `${result}${op.name}(${operands.join(', ')})${where}`;
}

function showDescr(descr: Descr): string {
  switch (descr.kind) {
    case 'class':
      return descr.cls;
    case 'field':
      return `${descr.cls}.${descr.field}`;
    case 'elem':
      return descr.type;
  }
}

function showExitValue(value: ExitValue): string {
  switch (value.kind) {
    case 'var':
      return value.name;
    case 'int':
      return String(value.value);
    case 'float':
      return String(value.value);
    case 'null':
      return 'null';
    case 'prebuilt':
      return `@${value.name}`;
    case 'virtual':
      return `$${value.index}`;
  }
}
