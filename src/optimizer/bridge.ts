/**
 * Bridges: optimizing a trace that starts where a guard of another trace exits, from that
 * guard's exit state instead of from nothing.
 *
 * A tracing JIT records a bridge from the interpreter state a failing guard rebuilds: the
 * recorded trace's inputs are the guard's exit values, in order. Some of those values are
 * virtual in the parent trace (its resume data describes them: an object of class C whose fields
 * are other exit values). The optimizer of the bridge should know that: reading a field of such
 * an object is the exit value it holds, a class check on it is decided, and it is allocated only
 * where the bridge lets it escape (virtualize's forcing), if at all. `ExitState` is that start
 * state; the chained driver runs the bridge from it as it runs a loop body from the label's state.
 *
 * The optimized bridge's inputs are the exit state's real values (`inputs`): the values the
 * guard passes that are not virtual. Its meaning is fixed by `materializedBridge`: the exit's
 * virtuals allocated and filled, then the recorded bridge run on them. The tests check the
 * optimized bridge against that trace on the reference interpreter.
 *
 * Pre:  the recorded bridge validates; `values` has one entry per bridge input, of its type;
 *       `inputs` are not defined by the bridge's ops.
 * Post: a trace with inputs `inputs` that, on every run without undefined behaviour, has the
 *       outcome of `materializedBridge(bridge, state)`.
 */
import {
  type Arg,
  cint,
  deepFreeze,
  type ExitValue,
  freshNamer,
  FREEZE_TRACES,
  type Input,
  mkOp,
  type Op,
  type Trace,
  TraceError,
  v,
  validate,
  type VirtualDesc,
} from '../ir/index.ts';
import { chainOptimize } from './chain.ts';
import { CHAINED, type OptimizeOptions } from './pipeline.ts';

/** A guard's exit state, as the start of a bridge. */
export interface ExitState {
  /** The values the guard passes that are not virtual, named as the optimized bridge's inputs. */
  readonly inputs: readonly Input[];
  /** What each input of the recorded bridge is: one of `inputs`, a constant, or a virtual. */
  readonly values: readonly ExitValue[];
  /** The virtuals `values` mention (resume data: `$k` is virtuals[k]). */
  readonly virtuals: readonly VirtualDesc[];
}

/**
 * Optimizes `bridge` from `state` with the chained driver, which starts from the exit state as a
 * loop body starts from the label's. A bridge ends in `finish` (the JIT's bridge that reaches a
 * loop header finishes there with that loop's inputs): a `jump` would re-enter the bridge with
 * its recorded inputs, which the exit state has replaced, so a bridge with a jump or a label is
 * refused.
 */
export function optimizeBridge(bridge: Trace, state: ExitState, options: OptimizeOptions = {}): Trace {
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: `null` or "Stryker was here" in the set cannot change a result: neither is an input's name
  const defined = new Set(bridge.ops.flatMap((op) => (op.result === null ? [] : [op.result])));
  const clash = state.inputs.find((input) => defined.has(input.name));
  if (clash) throw new TraceError('validation', `the exit state's input ${clash.name} is defined by the bridge too`);
  const loopOp = bridge.ops.find((op) => op.name === 'jump' || op.name === 'label');
  if (loopOp) throw new TraceError('validation', `a bridge ends in finish; this one has a ${loopOp.name}, which would start it again from inputs the exit state replaced`, loopOp.loc);
  const result = chainOptimize(FREEZE_TRACES ? deepFreeze(bridge) : bridge, { start: state }).trace;
  // Stryker disable next-line ConditionalExpression: the driver's result validates (the properties check it), so validating it always or never changes no result
  if (options.verify) validate(result);
  options.afterPass?.(CHAINED, result);
  return result;
}

/**
 * The meaning of a bridge started from an exit state, as one ordinary trace: the exit's virtuals
 * allocated (all first, then their fields, so cycles are fine), then the recorded bridge with its
 * inputs replaced by what the exit says they are.
 */
export function materializedBridge(bridge: Trace, state: ExitState): Trace {
  const fresh = freshNamer({ ...bridge, inputs: [...bridge.inputs, ...state.inputs] });
  const names = state.virtuals.map(() => fresh('ref'));
  const arg = (x: ExitValue): Arg => (x.kind === 'virtual' ? v(names[x.index]!) : x);
  const ops: Op[] = state.virtuals.map((desc, k) =>
    desc.kind === 'object'
      ? mkOp('new', [], { result: names[k]!, descr: { kind: 'class', cls: desc.cls } })
      : mkOp('new_array', [cint(desc.items.length)], { result: names[k]!, descr: { kind: 'elem', type: desc.elem } }),
  );
  state.virtuals.forEach((desc, k) => {
    if (desc.kind === 'object') {
      for (const f of desc.fields) ops.push(mkOp('setfield', [v(names[k]!), arg(f.value)], { descr: { kind: 'field', cls: desc.cls, field: f.field } }));
    } else {
      desc.items.forEach((item, i) => ops.push(mkOp('setarrayitem', [v(names[k]!), cint(i), arg(item)])));
    }
  });
  const replace = new Map(bridge.inputs.map((input, k) => [input.name, arg(state.values[k]!)]));
  // Stryker disable next-line ConditionalExpression: `true` cannot change a result: a constant has no name, and no key is undefined
  const value = (a: Arg): Arg => (a.kind === 'var' ? (replace.get(a.name) ?? a) : a);
  // Stryker disable next-line ConditionalExpression,StringLiteral: `value` returns a virtual as it is too (it is no variable): the test is a shortcut
  const exitValue = (x: ExitValue): ExitValue => (x.kind === 'virtual' ? x : value(x));
  for (const op of bridge.ops) {
    const exit = op.exit && {
      values: op.exit.values.map(exitValue),
      virtuals: op.exit.virtuals.map((d) =>
        d.kind === 'object' ? { ...d, fields: d.fields.map((f) => ({ ...f, value: exitValue(f.value) })) } : { ...d, items: d.items.map(exitValue) },
      ),
    };
    ops.push({ ...op, args: op.args.map(value), exit });
  }
  return { ...bridge, inputs: state.inputs, ops, inputSets: [] };
}
