/**
 * Small helpers the passes share: rewriting the values of an exit, and the one rule by which a
 * pass that replaces a variable by a value (virtualize, fold, heapcache) respects a label.
 */
import { type Arg, effectsOf, type ExitDesc, type ExitValue, type Op } from '../ir/index.ts';

/*
 * Both rewrites return their input itself when `f` changes nothing (ops are immutable, so sharing
 * is safe): most ops of a trace are not rewritten, and copying each of them was a good part of
 * the optimizer's garbage.
 */

/** `xs` with `f` applied to each, or `xs` itself when `f` returns every item unchanged. */
function mapShared<T>(xs: readonly T[], f: (x: T) => T): readonly T[] {
  for (let k = 0; k < xs.length; k++) {
    const y = f(xs[k]!);
    if (y === xs[k]) continue;
    const out = xs.slice(0, k);
    out.push(y);
    for (let j = k + 1; j < xs.length; j++) out.push(f(xs[j]!));
    return out;
  }
  return xs;
}

/** `xs` with `f` applied to each value that is not a virtual; `xs` itself when nothing changes. */
function mapValues(xs: readonly ExitValue[], f: (arg: Arg) => Arg): readonly ExitValue[] {
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    if (x.kind === 'virtual') continue;
    const y = f(x);
    if (y === x) continue;
    const out = xs.slice(0, k);
    out.push(y);
    for (let j = k + 1; j < xs.length; j++) {
      const rest = xs[j]!;
      out.push(rest.kind === 'virtual' ? rest : f(rest));
    }
    return out;
  }
  return xs;
}

/** The exit with `f` applied to every value that is not a virtual (fail args and virtual fields). */
export function mapExit(exit: ExitDesc, f: (arg: Arg) => Arg): ExitDesc {
  const values = mapValues(exit.values, f);
  // Most exits describe no virtual: no closure is made for them.
  // Stryker disable next-line ConditionalExpression: `false` cannot change a result: the general path below gives the same exit (the same object when nothing changed)
  if (exit.virtuals.length === 0) return values === exit.values ? exit : { ...exit, values };
  const value = (x: ExitValue): ExitValue => (x.kind === 'virtual' ? x : f(x));
  const virtuals = mapShared(exit.virtuals, (d) => {
    if (d.kind === 'array') {
      const items = mapShared(d.items, value);
      return items === d.items ? d : { ...d, items };
    }
    const fields = mapShared(d.fields, (field) => {
      const changed = value(field.value);
      return changed === field.value ? field : { ...field, value: changed };
    });
    return fields === d.fields ? d : { ...d, fields };
  });
  return values === exit.values && virtuals === exit.virtuals ? exit : { ...exit, values, virtuals };
}

/** The op with `f` applied to its operands and exit values. */
export function mapOperands(op: Op, f: (arg: Arg) => Arg): Op {
  const args = mapShared<Arg>(op.args, f);
  const exit = op.exit && mapExit(op.exit, f);
  return args === op.args && exit === op.exit ? op : withParts(op, op.result, args, exit);
}

/**
 * `op` with another result, operands and exit. Built as one literal with the fields of `mkOp` in
 * its order (plus `loc` when the op has one) rather than by a spread: every op a pass builds then
 * has one of two shapes, which keeps the passes' property reads monomorphic.
 */
export function withParts(op: Op, result: string | null, args: readonly Arg[], exit: ExitDesc | null): Op {
  const built: Op = { name: op.name, result, args, descr: op.descr, guardId: op.guardId, exit };
  // Stryker disable next-line ConditionalExpression: an op with `loc: undefined` reads as one without it (every consumer tests `loc === undefined` or reads `op.loc?.`); the test keeps the shapes few
  return op.loc === undefined ? built : { ...built, loc: op.loc };
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
 *
 * What stays true across the label (proofs-notes/loops.md): a label argument the trace's jump
 * passes back at its own position is rebound to itself, so it is *invariant*: every iteration
 * sees the value the preamble saw, and what the preamble proved about it (its class, that it is
 * not null, its constant) holds in the body. `loopWrites` summarizes, from the op table's effect
 * flags, what the ops after the label may write: the heap contents a cache may keep across the
 * label are those of invariant objects in fields the loop never writes.
 */
export class LabelBoundary {
  readonly args: ReadonlySet<string>;
  /** Label arguments the final jump passes back unchanged, at their own position. */
  readonly invariantArgs: ReadonlySet<string>;
  private writes: LoopWrites | null = null;
  private readonly kept = new Set<string>();
  private readonly ops: readonly Op[];
  private readonly label: number;
  /** Built on first use: a pass asks only when a label argument would replace a variable, rarely. */
  private crossingSet: ReadonlySet<string> | null = null;

  constructor(ops: readonly Op[]) {
    const label = ops.findIndex((op) => op.name === 'label');
    this.ops = ops;
    this.label = label;
    const args = new Set<string>();
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a label's arguments are variables (validate.ts, V10); `label > 0` differs only for a label at index 0, before which no op is, so no result is a label argument or crosses it
    if (label >= 0) for (const a of ops[label]!.args) if (a.kind === 'var') args.add(a.name);
    this.args = args;
    const invariant = new Set<string>();
    // Stryker disable next-line EqualityOperator: `label > 0` differs only for a label at index 0, before which nothing is known, kept or replaced, so what is invariant there is never asked
    if (label >= 0) {
      const last = ops[ops.length - 1]!;
      // Stryker disable next-line ConditionalExpression: `true` cannot change a result: a trace that ends in finish never goes back to its label, so what holds at the label holds after it whatever is called invariant
      if (last.name === 'jump') {
        ops[label]!.args.forEach((a, k) => {
          const back = last.args[k];
          // Stryker disable next-line ConditionalExpression,LogicalOperator,OptionalChaining: a label's arguments are variables and the jump has as many (validate.ts, V10), and a constant has no name equal to a variable's
          if (a.kind === 'var' && back?.kind === 'var' && back.name === a.name) invariant.add(a.name);
        });
      }
    }
    this.invariantArgs = invariant;
  }

  /** What the ops after the label may write (built on first use: only at the label). */
  get loopWrites(): LoopWrites {
    // Stryker disable next-line ConditionalExpression: a cache: computing again gives the same summary
    if (this.writes !== null) return this.writes;
    const writes: { any: boolean; items: boolean; fields: Set<string> } = { any: false, items: false, fields: new Set() };
    // Stryker disable next-line ConditionalExpression,EqualityOperator: asked only at a label (label >= 0); a label at index 0 has nothing cached before it
    for (let k = this.label < 0 ? this.ops.length : this.label + 1; k < this.ops.length; k++) {
      const op = this.ops[k]!;
      const e = effectsOf(op.name);
      if (e.writesHeap === 'any' || e.escapes) writes.any = true;
      else if (e.writesHeap === 'target') {
        if (op.descr?.kind === 'field') writes.fields.add(`${op.descr.cls}.${op.descr.field}`);
        else {
          // An item write has no descr (its operands say the array): it writes items, no field.
          // Any other op that writes its target without a field descr may write anything.
          // Stryker disable next-line ConditionalExpression,BooleanLiteral: setarrayitem is the one op of the table that writes its target without a field descr, so `true` for the test and `false` for the other branch's flag cannot change a result; that branch is the conservative answer for such an op added to the table
          if (op.name === 'setarrayitem') writes.items = true; else writes.any = true;
        }
      }
    }
    this.writes = writes;
    return writes;
  }

  /** The variables defined before the label that the label or an op after it mentions. */
  get crossing(): ReadonlySet<string> {
    // Stryker disable next-line ConditionalExpression: a cache: computing again gives the same set
    if (this.crossingSet !== null) return this.crossingSet;
    const { ops, label, args } = this;
    const crossing = new Set<string>();
    // Stryker disable next-line EqualityOperator: `label > 0` differs only for a label at index 0, before which nothing is defined to cross it
    if (label >= 0) {
      const definedAfter = new Set<string>();
      // One closure for the scan, not one per op.
      const mention = (x: ExitValue) => {
        // Stryker disable next-line ConditionalExpression: `true` for the kind test cannot change a result: it adds no name, and only names are looked up
        if (x.kind === 'var' && !definedAfter.has(x.name) && !args.has(x.name)) crossing.add(x.name);
      };
      for (let k = label; k < ops.length; k++) {
        const op = ops[k]!;
        for (const a of op.args) mention(a);
        if (op.exit) {
          for (const x of op.exit.values) mention(x);
          for (const d of op.exit.virtuals) {
            if (d.kind === 'object') for (const f of d.fields) mention(f.value);
            else for (const x of d.items) mention(x);
          }
        }
        // Stryker disable next-line ConditionalExpression: `true` adds null, which no variable's name equals
        if (op.result !== null) definedAfter.add(op.result);
      }
    }
    this.crossingSet = crossing;
    return crossing;
  }

  /** Whether `arg`, at the label, has the same value in every iteration of the loop. */
  invariantAtLabel(arg: Arg): boolean {
    // Stryker disable next-line ConditionalExpression: `false` cannot change the answer: a constant has no name, so the test below answers true for it too
    if (arg.kind !== 'var') return true;
    return !this.args.has(arg.name) || this.invariantArgs.has(arg.name);
  }

  /**
   * Whether the op defining `name` may go, its uses seeing `replacement` (null: a virtual, which
   * virtualize allocates at the label if it crosses). Records `name` as kept when it may not.
   */
  mayDrop(name: string, replacement: Arg | null): boolean {
    if (this.args.has(name)) return false;
    // Stryker disable next-line ConditionalExpression: `replacement.kind === 'var'` made `true` lets a constant through to `this.args.has(replacement.name)`, false for it (a constant has no name) (checked by hand: the test's first two parts made `true` fail test/golden/virtualize/label-crossing-virtual-read-from-field.trace)
    if (replacement !== null && replacement.kind === 'var' && this.crossing.has(name) && this.args.has(replacement.name)) {
      this.kept.add(name);
      return false;
    }
    return true;
  }

  /**
   * The variables whose replacement a pass forgets at the label: the label arguments and the kept
   * variables, but for an invariant argument whose replacement (`replacementOf`) is itself
   * invariant, which stays true in the body.
   */
  rebound(replacementOf: (name: string) => Arg | undefined): string[] {
    const forgotten = [...this.kept];
    for (const name of this.args) {
      const replacement = replacementOf(name);
      if (!this.invariantArgs.has(name) || (replacement !== undefined && !this.invariantAtLabel(replacement))) forgotten.push(name);
    }
    return forgotten;
  }
}

/** What the ops after the label may write (from their effect flags). */
export interface LoopWrites {
  /** Some op may write any object (a call, an op writing anything). */
  readonly any: boolean;
  /** Some op writes array items. */
  readonly items: boolean;
  /** The fields (`Class.field`) some op writes. */
  readonly fields: ReadonlySet<string>;
}
