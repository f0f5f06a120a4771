/**
 * Small helpers the supporting passes share: rewriting the values of an exit, and finding the
 * label's arguments (which those passes must keep as variables: the label rebinds them on every
 * back-edge, see virtualize.ts R4).
 */
import type { Arg, ExitDesc, ExitValue, Op } from '../ir/index.ts';

/** The exit with `f` applied to every value that is not a virtual (fail args and virtual fields). */
export function mapExit(exit: ExitDesc, f: (arg: Arg) => Arg): ExitDesc {
  const value = (x: ExitValue): ExitValue => (x.kind === 'virtual' ? x : f(x));
  return {
    values: exit.values.map(value),
    virtuals: exit.virtuals.map((d) =>
      d.kind === 'object' ? { ...d, fields: d.fields.map((field) => ({ ...field, value: value(field.value) })) } : { ...d, items: d.items.map(value) },
    ),
  };
}

/** The op with `f` applied to its operands and exit values. */
export function mapOperands(op: Op, f: (arg: Arg) => Arg): Op {
  return { ...op, args: op.args.map(f), exit: op.exit && mapExit(op.exit, f) };
}

/** The names of the label's arguments (none without a label). */
export function labelArgNames(ops: readonly Op[]): ReadonlySet<string> {
  const label = ops.find((op) => op.name === 'label');
  return new Set(label ? label.args.flatMap((a) => (a.kind === 'var' ? [a.name] : [])) : []);
}
