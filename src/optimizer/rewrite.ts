/**
 * Small helpers the passes share: rewriting the values of an exit, and the one rule by which a
 * pass that replaces a variable by a value (virtualize, fold, heapcache) respects a label.
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

/**
 * What a label asks of a pass that replaces variables by values, and drops the op that defined
 * them. The label rebinds its arguments on every back-edge, while every other variable defined
 * before it keeps its one value (SSA): the loop body sees the preamble's value of those.
 *  - An op defining a label argument stays (the label needs a real, distinct variable), though
 *    its uses before the label may see the replacement.
 *  - An op defining a variable that crosses the label (defined before it, mentioned by the label
 *    or after it) may go only if its replacement does not change with the back-edge: a constant,
 *    a virtual (virtualize allocates those that cross, at the label), or a variable that is not a
 *    label argument. Replaced by a label argument, it stays: from the second iteration on, the
 *    label argument holds another value than the one the body must see. Such a variable is
 *    `kept`, and its uses before the label may still see the replacement.
 *  - At the label, a pass forgets the replacements of the label arguments and of the kept
 *    variables (`rebound`): from there on, the variable itself is the right value.
 * Without a label nothing is kept and nothing forgotten. Costs one scan of the ops.
 */
export class LabelBoundary {
  readonly args: ReadonlySet<string>;
  readonly crossing: ReadonlySet<string>;
  private readonly kept = new Set<string>();

  constructor(ops: readonly Op[]) {
    const label = ops.findIndex((op) => op.name === 'label');
    const args = new Set<string>();
    const crossing = new Set<string>();
    if (label >= 0) {
      for (const a of ops[label]!.args) if (a.kind === 'var') args.add(a.name);
      const definedAfter = new Set<string>();
      for (let k = label; k < ops.length; k++) {
        const op = ops[k]!;
        const mention = (x: ExitValue) => {
          if (x.kind === 'var' && !definedAfter.has(x.name) && !args.has(x.name)) crossing.add(x.name);
        };
        op.args.forEach(mention);
        if (op.exit) {
          op.exit.values.forEach(mention);
          for (const d of op.exit.virtuals) (d.kind === 'object' ? d.fields.map((f) => f.value) : d.items).forEach(mention);
        }
        if (op.result !== null) definedAfter.add(op.result);
      }
    }
    this.args = args;
    this.crossing = crossing;
  }

  /**
   * Whether the op defining `name` may go, its uses seeing `replacement` (null: a virtual, which
   * virtualize allocates at the label if it crosses). Records `name` as kept when it may not.
   */
  mayDrop(name: string, replacement: Arg | null): boolean {
    if (this.args.has(name)) return false;
    if (replacement !== null && replacement.kind === 'var' && this.crossing.has(name) && this.args.has(replacement.name)) {
      this.kept.add(name);
      return false;
    }
    return true;
  }

  /** The variables whose replacement a pass forgets at the label. */
  rebound(): Iterable<string> {
    return [...this.args, ...this.kept];
  }
}
