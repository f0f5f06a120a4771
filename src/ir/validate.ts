/**
 * The validator: states the IR's invariants and rejects any trace that breaks one, with a
 * message that names the op and, when the trace came from text, the line and column of the
 * offending item (the operand, exit value, field or input-set value when the parser recorded
 * where it was written, else the op).
 *
 * Invariants (each has negative tests, with their messages and locations, in
 * test/text/validate.test.ts, which fails if an invariant listed here has none):
 *  V1  classes have distinct names; a class's fields have distinct names.
 *  V2  inputs are distinct variables; every variable is defined exactly once (SSA).
 *  V3  every variable is defined before it is used (inputs, then op results in order).
 *  V4  a variable's first letter is its type; every operand has the type the op table asks for;
 *      `guard_value`'s and `setfield`'s/`setarrayitem`'s value operands match (the other
 *      operand's type, the field's type).
 *  V5  descrs name declared classes and fields; an ambiguous field name must be `Class.field`.
 *  V6  an op defines a result iff the op table gives it one.
 *  V7  every guard has an exit (fail args); no op but a guard or a label has one; every value in
 *      an exit is defined at that point, virtual indices are in range, virtual fields exist and
 *      hold values of their type.
 *  V8  `*_ovf` is immediately followed by `guard_no_overflow` or `guard_overflow`, and those
 *      guards immediately follow an `*_ovf` op.
 *  V9  the trace ends with exactly one `jump` or `finish`, and has neither anywhere else.
 *  V10 at most one `label`; its arguments are distinct variables; a jump's arguments match the
 *      label's (or, without a label, the inputs') in number and type; a label's exit rebuilds
 *      exactly the inputs' types.
 *  V11 input sets have distinct names, give one value of the right type per input, and their
 *      objects are well formed.
 *  V12 prebuilt objects have distinct names and are well formed (a declared class, its fields,
 *      values of their types, references only to prebuilt objects); an operand or exit value
 *      `@name` names a prebuilt object; an input set's objects do not reuse a prebuilt name
 *      (its `@name` values may name prebuilt objects).
 *      Using a prebuilt object at another class (`getfield(@none, Box.v)` where @none is no Box)
 *      is undefined behaviour at run time, as for any ref, and deliberately not rejected here:
 *      validity must survive replacing a variable by the constant a guard proved it equal to.
 */
import { TraceError } from './errors.ts';
import { OPS, opInfo, type OperandKind, type Type } from './ops.ts';
import {
  type Arg,
  type ExitDesc,
  type ExitValue,
  type HeapObjectDesc,
  type HeapValue,
  type Loc,
  type Op,
  type Trace,
  typeOfArg,
  VAR_NAME,
} from './trace.ts';

function fail(message: string, loc?: Loc): never {
  throw new TraceError('validation', message, loc);
}

export function validate(trace: Trace): Trace {
  const fieldTypes = new Map<string, Map<string, Type>>();
  for (const c of trace.classes) {
    if (fieldTypes.has(c.name)) fail(`class ${c.name} is declared twice`, c.loc);
    const fields = new Map<string, Type>();
    for (const f of c.fields) {
      if (fields.has(f.name)) fail(`class ${c.name} declares field ${f.name} twice`, f.loc ?? c.loc);
      fields.set(f.name, f.type);
    }
    fieldTypes.set(c.name, fields);
  }
  const prebuilt = validatePrebuilt(trace.prebuilt ?? [], fieldTypes);

  const defined = new Set<string>();
  const define = (name: string, loc: Loc | undefined, type: Type, what: string) => {
    if (!VAR_NAME.test(name)) fail(`${name} is not a variable name (i…, f… or p… followed by a digit)`, loc);
    if (defined.has(name)) fail(`${name} is defined twice`, loc);
    const letterType = typeOfArg({ kind: 'var', name });
    if (letterType !== type) fail(`${what} ${name} is ${type}, but its name says ${letterType}`, loc);
    defined.add(name);
  };
  for (const input of trace.inputs) define(input.name, input.loc, typeOfArg({ kind: 'var', name: input.name }), 'input');

  const useArg = (arg: Arg, want: Type | 'any', op: Op, position: string): Type => {
    const loc = arg.loc ?? op.loc;
    if (arg.kind === 'var' && !defined.has(arg.name)) fail(`${op.name}: ${arg.name} is used before it is defined`, loc);
    if (arg.kind === 'prebuilt' && !prebuilt.has(arg.name)) fail(`${op.name}: @${arg.name} is not a prebuilt object${declaredList(prebuilt)}`, loc);
    if (arg.kind === 'int' && (arg.value < -(1n << 63n) || arg.value >= 1n << 63n)) {
      fail(`${op.name}: ${arg.value} does not fit in a 64-bit int`, loc);
    }
    const t = typeOfArg(arg);
    if (want !== 'any' && t !== want) fail(`${op.name}: ${position} must be ${want}, got ${t} ${show(arg)}`, loc);
    return t;
  };

  const checkExit = (exit: ExitDesc, op: Op) => {
    const useExitValue = (value: ExitValue, want: Type | 'any', position: string) => {
      if (value.kind === 'virtual') {
        const loc = value.loc ?? op.loc;
        if (!Number.isInteger(value.index) || value.index < 0 || value.index >= exit.virtuals.length) {
          fail(`${op.name}: ${position} refers to $${value.index}, which is not described`, loc);
        }
        if (want !== 'any' && want !== 'ref') fail(`${op.name}: ${position} must be ${want}, got a virtual object`, loc);
        return;
      }
      useArg(value, want, op, position);
    };
    exit.values.forEach((value, k) => useExitValue(value, 'any', `exit value ${k + 1}`));
    exit.virtuals.forEach((virtual, k) => {
      if (virtual.kind === 'object') {
        const fields = fieldTypes.get(virtual.cls) ?? fail(`${op.name}: $${k} has unknown class ${virtual.cls}`, virtual.loc ?? op.loc);
        const seen = new Set<string>();
        for (const { field, value, loc } of virtual.fields) {
          const t = fields.get(field) ?? fail(`${op.name}: class ${virtual.cls} has no field ${field} (in $${k})`, loc ?? op.loc);
          if (seen.has(field)) fail(`${op.name}: $${k} sets field ${field} twice`, loc ?? op.loc);
          seen.add(field);
          useExitValue(value, t, `$${k}.${field}`);
        }
      } else {
        virtual.items.forEach((value, j) => useExitValue(value, virtual.elem, `$${k}[${j}]`));
      }
    });
  };

  let labelArgs: readonly Arg[] | null = null;
  const n = trace.ops.length;
  if (n === 0) fail('a trace needs at least one op: it must end with jump or finish');
  trace.ops.forEach((op, index) => {
    const info = OPS[op.name];
    const last = index === n - 1;
    if (op.name === 'jump' || op.name === 'finish') {
      if (!last) fail(`${op.name} must be the last op of the trace`, op.loc);
    } else if (last) {
      fail(`the trace must end with jump or finish, not ${op.name}`, op.loc);
    }

    // Value operands against the table.
    const valueKinds = info.operands.filter((k) => k !== 'class' && k !== 'field' && k !== 'elem');
    const descrKind = info.operands.find((k) => k === 'class' || k === 'field' || k === 'elem');
    if ('variadic' in info) {
      op.args.forEach((a, k) => useArg(a, 'any', op, `argument ${k + 1}`));
    } else {
      if (op.args.length !== valueKinds.length) {
        fail(`${op.name} takes ${valueKinds.length} value operand(s), got ${op.args.length}`, op.args[valueKinds.length]?.loc ?? op.loc);
      }
      op.args.forEach((a, k) => useArg(a, valueKinds[k] as Type | 'any', op, `operand ${k + 1}`));
    }

    // Descr.
    let resultType: Type | null = null;
    if (descrKind === undefined) {
      if (op.descr) fail(`${op.name} takes no class, field or type operand`, op.descr.loc ?? op.loc);
    } else if (!op.descr || op.descr.kind !== descrKind) {
      fail(`${op.name} needs ${descrKind === 'elem' ? 'an element type' : `a ${descrKind}`} operand`, op.descr?.loc ?? op.loc);
    } else if (op.descr.kind === 'class') {
      if (!fieldTypes.has(op.descr.cls)) fail(`${op.name}: unknown class ${op.descr.cls}`, op.descr.loc ?? op.loc);
    } else if (op.descr.kind === 'field') {
      const fields = fieldTypes.get(op.descr.cls) ?? fail(`${op.name}: unknown class ${op.descr.cls}`, op.descr.loc ?? op.loc);
      resultType = fields.get(op.descr.field) ?? fail(`${op.name}: class ${op.descr.cls} has no field ${op.descr.field}`, op.descr.loc ?? op.loc);
    } else {
      resultType = op.descr.type;
    }

    // Operand types that depend on another operand.
    if (op.name === 'guard_value') {
      const [a, b] = op.args as [Arg, Arg];
      if (typeOfArg(a) !== typeOfArg(b)) fail(`guard_value compares ${article(typeOfArg(a))} with ${article(typeOfArg(b))}`, b.loc ?? op.loc);
    }
    if (op.name === 'setfield') useArg(op.args[1]!, resultType!, op, 'the stored value');
    if (op.name === 'setarrayitem') {
      // The element type is the array's; it is checked at run time (a mismatch is undefined behaviour).
    }

    // Result.
    const result = info.result;
    if (result === null) {
      if (op.result) fail(`${op.name} produces no value, but defines ${op.result}`, op.loc);
    } else {
      const t = result === 'field' || result === 'elem' ? resultType! : result;
      if (!op.result) fail(`${op.name} produces ${article(t)}; give it a name (x = ${op.name}(…))`, op.loc);
      define(op.result, op.loc, t, `the result of ${op.name}`);
    }

    // Overflow pairing.
    const prev = trace.ops[index - 1];
    const next = trace.ops[index + 1];
    if (opInfo(op.name).effects.overflow && next?.name !== 'guard_no_overflow' && next?.name !== 'guard_overflow') {
      fail(`${op.name} must be followed immediately by guard_no_overflow or guard_overflow`, op.loc);
    }
    if ((op.name === 'guard_no_overflow' || op.name === 'guard_overflow') && (!prev || !opInfo(prev.name).effects.overflow)) {
      fail(`${op.name} must follow an int_*_ovf op immediately`, op.loc);
    }

    // Exits.
    if (opInfo(op.name).effects.exits) {
      if (!op.exit) fail(`${op.name} needs fail args`, op.loc);
      if (!Number.isInteger(op.guardId) || op.guardId < 0) fail(`${op.name} needs a guard id >= 0`, op.loc);
    } else if (op.name !== 'label' && op.exit) {
      fail(`${op.name} cannot carry fail args: only guards and label do`, op.exit.loc ?? op.loc);
    }
    if (op.exit) checkExit(op.exit, op);

    // Label and jump.
    if (op.name === 'label') {
      if (labelArgs) fail('a trace has at most one label', op.loc);
      const names = new Set<string>();
      for (const a of op.args) {
        if (a.kind !== 'var') fail(`label arguments must be variables, got ${show(a)}`, a.loc ?? op.loc);
        if (names.has(a.name)) fail(`label lists ${a.name} twice`, a.loc ?? op.loc);
        names.add(a.name);
      }
      labelArgs = op.args;
      if (op.exit) {
        const values = op.exit.values;
        if (values.length !== trace.inputs.length) {
          const at = values[trace.inputs.length]?.loc ?? op.exit.loc ?? op.loc;
          fail(`label rebuilds ${values.length} loop argument(s), the trace has ${trace.inputs.length} input(s)`, at);
        }
        values.forEach((value, k) => {
          const want = typeOfArg({ kind: 'var', name: trace.inputs[k]!.name });
          const got = value.kind === 'virtual' ? 'ref' : typeOfArg(value);
          if (want !== got) fail(`label rebuilds loop argument ${k + 1} as ${got}, input ${trace.inputs[k]!.name} is ${want}`, value.loc ?? op.loc);
        });
      }
    }
    if (op.name === 'jump') {
      const target: readonly Arg[] = labelArgs ?? trace.inputs.map((i): Arg => ({ kind: 'var', name: i.name }));
      const where = labelArgs ? 'the label' : 'the inputs';
      if (op.args.length !== target.length) {
        fail(`jump passes ${op.args.length} value(s), ${where} ${labelArgs ? 'takes' : 'take'} ${target.length}`, op.args[target.length]?.loc ?? op.loc);
      }
      op.args.forEach((a, k) => {
        if (typeOfArg(a) !== typeOfArg(target[k]!)) {
          fail(`jump argument ${k + 1} is ${typeOfArg(a)}, ${where} ${labelArgs ? 'expects' : 'expect'} ${typeOfArg(target[k]!)} (${show(target[k]!)})`, a.loc ?? op.loc);
        }
      });
    }
  });

  const setNames = new Map<string, Loc | undefined>();
  for (const set of trace.inputSets) {
    if (setNames.has(set.name)) {
      const first = setNames.get(set.name);
      fail(`there are two input sets named ${set.name}${first ? ` (the first at line ${first.line})` : ''}`, set.loc);
    }
    setNames.set(set.name, set.loc);
    validateInputSet(trace, set, fieldTypes, prebuilt);
  }
  return trace;
}

/** V12: the prebuilt objects' declarations; returns their names. */
function validatePrebuilt(objects: readonly HeapObjectDesc[], fieldTypes: Map<string, Map<string, Type>>): Set<string> {
  const names = new Set<string>();
  for (const o of objects) {
    if (names.has(o.name)) fail(`prebuilt object @${o.name} is declared twice`, o.loc);
    names.add(o.name);
  }
  const check = (value: HeapValue, want: Type, position: string, at: Loc | undefined) => {
    const got: Type = value.kind === 'obj' || value.kind === 'null' ? 'ref' : value.kind;
    if (got !== want) fail(`prebuilt ${position} must be ${want}, got ${got}`, value.loc ?? at);
    if (value.kind === 'obj' && !names.has(value.name)) {
      fail(`prebuilt ${position}: @${value.name} is not a prebuilt object (a prebuilt object can only point at prebuilt objects)`, value.loc ?? at);
    }
  };
  checkObjects(objects, fieldTypes, 'prebuilt', check);
  return names;
}

/** Classes, fields and value types of heap object descriptions (input sets, prebuilt objects). */
function checkObjects(
  objects: readonly HeapObjectDesc[],
  fieldTypes: Map<string, Map<string, Type>>,
  where: string,
  check: (value: HeapValue, want: Type, position: string, at: Loc | undefined) => void,
  setLoc?: Loc,
): void {
  for (const o of objects) {
    if (o.kind === 'object') {
      const fields = fieldTypes.get(o.cls) ?? fail(`${where}: @${o.name} has unknown class ${o.cls}`, o.loc ?? setLoc);
      const seen = new Set<string>();
      for (const { field, value, loc } of o.fields) {
        const t = fields.get(field) ?? fail(`${where}: class ${o.cls} has no field ${field} (in @${o.name})`, loc ?? setLoc);
        if (seen.has(field)) fail(`${where}: @${o.name} sets field ${field} twice`, loc ?? setLoc);
        seen.add(field);
        check(value, t, `@${o.name}.${field}`, loc ?? o.loc ?? setLoc);
      }
    } else {
      o.items.forEach((value, j) => check(value, o.elem, `@${o.name}[${j}]`, o.loc ?? setLoc));
    }
  }
}

/** `: the prebuilt objects are @a, @b` (at most a few), or `: the trace declares none`. */
function declaredList(names: ReadonlySet<string>): string {
  if (names.size === 0) return ' (the trace declares none: `prebuilt @name = Class{…}`)';
  const shown = [...names].slice(0, 5).map((n) => `@${n}`);
  return ` (the trace declares ${shown.join(', ')}${names.size > 5 ? ', …' : ''})`;
}

function validateInputSet(trace: Trace, set: Trace['inputSets'][number], fieldTypes: Map<string, Map<string, Type>>, prebuilt: ReadonlySet<string>) {
  const where = `input ${set.name}`;
  const objects = new Map<string, Type | 'array'>();
  for (const o of set.objects) {
    if (objects.has(o.name)) fail(`${where}: @${o.name} is described twice`, o.loc ?? set.loc);
    if (prebuilt.has(o.name)) fail(`${where}: @${o.name} is the name of a prebuilt object; give the input set's object another name`, o.loc ?? set.loc);
    objects.set(o.name, o.kind === 'array' ? 'array' : 'ref');
  }
  const check = (value: HeapValue, want: Type, position: string) => {
    const got: Type = value.kind === 'obj' || value.kind === 'null' ? 'ref' : value.kind;
    if (got !== want) fail(`${where}: ${position} must be ${want}, got ${got}`, value.loc ?? set.loc);
    if (value.kind === 'obj' && !objects.has(value.name) && !prebuilt.has(value.name)) fail(`${where}: @${value.name} is not described`, value.loc ?? set.loc);
  };
  if (set.args.length !== trace.inputs.length) {
    const at = set.args[trace.inputs.length]?.loc ?? set.loc;
    fail(`${where} gives ${set.args.length} value(s), the trace has ${trace.inputs.length} input(s)`, at);
  }
  set.args.forEach((value, k) => check(value, typeOfArg({ kind: 'var', name: trace.inputs[k]!.name }), trace.inputs[k]!.name));
  checkObjects(set.objects, fieldTypes, where, (value, want, position) => check(value, want, position), set.loc);
}

/** "an int", "a float", "a ref". */
function article(type: Type): string {
  return `${type === 'int' ? 'an' : 'a'} ${type}`;
}

function show(a: Arg): string {
  switch (a.kind) {
    case 'var':
      return a.name;
    case 'int':
      return String(a.value);
    case 'float':
      return String(a.value);
    case 'null':
      return 'null';
    case 'prebuilt':
      return `@${a.name}`;
  }
}

export type { OperandKind };
