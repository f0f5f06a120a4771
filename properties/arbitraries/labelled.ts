/**
 * Loops that already carry a `label`, as a tracer that peels, or an earlier optimization, hands
 * them over: built from a generated loop (build.ts) of iteration T and jump J.
 *
 *   <a prefix of T: the preamble, original names>
 *   label(inputs…, extras…) [inputs…]
 *   <all of T again, its variables renamed x -> x_b, its guards given new ids: the body>
 *   jump(J renamed…, one value per extra)
 *
 * so the loop runs the preamble once, then the body on every iteration. Shapes the optimizer
 * must handle and the plain generator never makes:
 *  - the body uses values defined before the label (ints and floats of the preamble in place of
 *    the body's own; objects and arrays the preamble allocated in place of the body's own
 *    allocation of the same class or element type and length), including constants and objects
 *    the preamble's optimization makes virtual;
 *  - extra label arguments: int and float values of the preamble that the jump rebinds to
 *    another value (or a constant) every iteration, and that the body reads.
 * The label's exit rebuilds the loop's original arguments (the inputs) from its parameters.
 *
 * Why no undefined behaviour appears (build.ts's contract): the body is a whole iteration,
 * which re-establishes every class it relies on; a substituted int or float only feeds total
 * operations, guards, stores and exits (never an array length or index); a substituted object
 * has the class (an array the element type and length) of the one it stands for, which the
 * body then reads and writes as it did its own.
 */
import fc from 'fast-check';
import { type Arg, cfloat, cint, type ExitDesc, type ExitValue, mkOp, type Op, opInfo, type Trace, type Type, typeOfVar, v } from '../../src/ir/index.ts';

export interface LabelRecipe {
  /** Where the preamble ends (modulo the iteration's length + 1). */
  readonly split: number;
  /** Each: replace every use of one body value by one preamble value or extra label argument. */
  readonly substitutions: readonly (readonly [number, number])[];
  /** Preamble values (picks) that become extra label arguments. */
  readonly extras: readonly number[];
  /** For each extra, what the jump passes back: a body value of its type, or a constant. */
  readonly rebinds: readonly number[];
}

export const arbLabelRecipe: fc.Arbitrary<LabelRecipe> = fc.record({
  split: fc.nat(),
  substitutions: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
  extras: fc.array(fc.nat(), { maxLength: 3 }),
  rebinds: fc.array(fc.nat(), { maxLength: 3 }),
});

/** The loop `trace` (ending in jump, without a label) with a label as the header describes. */
export function withLabel(trace: Trace, recipe: LabelRecipe): Trace {
  const jump = trace.ops[trace.ops.length - 1]!;
  if (jump.name !== 'jump' || trace.ops.some((op) => op.name === 'label')) return trace;
  const iteration = trace.ops.slice(0, -1);
  let split = recipe.split % (iteration.length + 1);
  // An overflow op and its guard stay together.
  if (split > 0 && opInfo(iteration[split - 1]!.name).effects.overflow) split -= 1;
  const preamble = iteration.slice(0, split);

  const inputs = new Set(trace.inputs.map((i) => i.name));
  const bodyName = (name: string) => (inputs.has(name) ? name : `${name}_b`);
  const definedBy = new Map<string, Op>();
  for (const op of iteration) if (op.result !== null) definedBy.set(op.result, op);

  // Extra label arguments: distinct int/float results of the preamble.
  const scalars = preamble.flatMap((op) => (op.result !== null && typeOfVar(op.result) !== 'ref' ? [op.result] : []));
  const extras = [...new Set(recipe.extras.map((k) => scalars[k % Math.max(1, scalars.length)]).filter((x) => x !== undefined))] as string[];

  // Substitutions: body value (by its input name) -> preamble value or extra.
  const substitute = new Map<string, string>();
  const bodyResults = iteration.flatMap((op) => (op.result === null ? [] : [op.result]));
  for (const [from, to] of recipe.substitutions) {
    if (bodyResults.length === 0) break;
    const target = bodyResults[from % bodyResults.length]!;
    const candidates = preamble.flatMap((op) => (op.result !== null && sameKind(op, definedBy.get(target)!) ? [op.result] : []));
    if (candidates.length > 0) substitute.set(target, candidates[to % candidates.length]!);
  }

  const guardIds = iteration.filter((op) => op.exit !== null && op.name !== 'label').map((op) => op.guardId);
  const shift = guardIds.length === 0 ? 0 : Math.max(...guardIds) + 1;
  const renameUse = (arg: Arg): Arg => (arg.kind === 'var' ? v(substitute.get(arg.name) ?? bodyName(arg.name)) : arg);
  const renameExit = (exit: ExitDesc): ExitDesc => {
    const value = (x: ExitValue): ExitValue => (x.kind === 'virtual' ? x : renameUse(x));
    return {
      values: exit.values.map(value),
      virtuals: exit.virtuals.map((d) =>
        d.kind === 'object' ? { ...d, fields: d.fields.map((f) => ({ ...f, value: value(f.value) })) } : { ...d, items: d.items.map(value) },
      ),
    };
  };
  const body = iteration.map((op): Op => {
    // Lengths and indices keep the body's own values (a substituted int could leave the array).
    const args = op.args.map((arg, k) => (isLengthOrIndex(op, k) && arg.kind === 'var' ? v(bodyName(arg.name)) : renameUse(arg)));
    return {
      ...op,
      args,
      result: op.result === null ? null : bodyName(op.result),
      guardId: op.guardId < 0 ? op.guardId : op.guardId + shift,
      exit: op.exit && renameExit(op.exit),
    };
  });

  const bodyValues = (type: Type) => body.flatMap((op) => (op.result !== null && typeOfVar(op.result) === type ? [op.result] : []));
  const rebound = extras.map((name, k): Arg => {
    const type = typeOfVar(name);
    const pick = recipe.rebinds[k] ?? 0;
    const values = bodyValues(type);
    if (pick % 3 === 0 || values.length === 0) return type === 'int' ? cint(pick % 7) : cfloat(pick % 5);
    return v(values[pick % values.length]!);
  });
  const label = mkOp('label', [...trace.inputs.map((i) => v(i.name)), ...extras.map(v)], {
    exit: { values: trace.inputs.map((i) => v(i.name)), virtuals: [] },
  });
  const back = mkOp('jump', [...jump.args.map(renameUse), ...rebound]);
  return { ...trace, ops: [...preamble, label, ...body, back] };
}

/** A preamble op whose result may stand for `target`'s in the body (header: why). */
function sameKind(op: Op, target: Op): boolean {
  const type = typeOfVar(target.result!);
  if (typeOfVar(op.result!) !== type) return false;
  if (type !== 'ref') return true;
  if (op.name !== target.name) return false;
  if (op.name === 'new') return op.descr!.kind === 'class' && target.descr!.kind === 'class' && op.descr!.cls === target.descr!.cls;
  if (op.name === 'new_array') {
    const [a, b] = [op.args[0]!, target.args[0]!];
    return a.kind === 'int' && b.kind === 'int' && a.value === b.value && op.descr!.kind === 'elem' && target.descr!.kind === 'elem' && op.descr!.type === target.descr!.type;
  }
  return false;
}

function isLengthOrIndex(op: Op, k: number): boolean {
  return (op.name === 'new_array' && k === 0) || ((op.name === 'getarrayitem' || op.name === 'setarrayitem') && k === 1);
}
