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
 * state; `bridgeEntryState` turns it into the abstract state virtualize runs from (the same
 * entry point the loop peeler uses for a loop body: `virtualizeOps` from a given state).
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
  zeroOf,
} from '../ir/index.ts';
import { chainOptimize } from './chain.ts';
import { CHAINED, DEFAULT_PIPELINE, optimize, type OptimizeOptions } from './pipeline.ts';
import { PVector } from './pvector.ts';
import { type AbstractState, type HeapEntry, type Known, virtualizeOps } from './virtualize.ts';

/** A guard's exit state, as the start of a bridge. */
export interface ExitState {
  /** The values the guard passes that are not virtual, named as the optimized bridge's inputs. */
  readonly inputs: readonly Input[];
  /** What each input of the recorded bridge is: one of `inputs`, a constant, or a virtual. */
  readonly values: readonly ExitValue[];
  /** The virtuals `values` mention (resume data: `$k` is virtuals[k]). */
  readonly virtuals: readonly VirtualDesc[];
}

/** The abstract state the bridge starts in: its inputs are what the exit says; virtuals are in the heap. */
export function bridgeEntryState(bridge: Trace, state: ExitState): AbstractState {
  const known = (x: ExitValue): Known => (x.kind === 'virtual' ? { kind: 'vref', id: x.index } : x);
  let heap = PVector.empty<HeapEntry>();
  for (const desc of state.virtuals) {
    const origin = { name: null, index: -1 };
    if (desc.kind === 'array') {
      heap = heap.push({ kind: 'array', elem: desc.elem, items: desc.items.map(known), origin });
      continue;
    }
    const decl = bridge.classes.find((c) => c.name === desc.cls);
    if (!decl) throw new TraceError('validation', `the exit state describes an object of class ${desc.cls}, which the bridge does not declare`);
    const given = new Map(desc.fields.map((f) => [f.field, f.value]));
    heap = heap.push({ kind: 'object', cls: desc.cls, fields: decl.fields.map((f) => known(given.get(f.name) ?? zeroOf(f.type))), origin });
  }
  if (state.values.length !== bridge.inputs.length) {
    throw new TraceError('validation', `the exit state has ${state.values.length} value(s), the bridge ${bridge.inputs.length} input(s)`);
  }
  return { env: new Map(bridge.inputs.map((input, k) => [input.name, known(state.values[k]!)])), heap };
}

/**
 * Optimizes `bridge` from `state`: virtualize from the exit state, then the default pipeline's
 * other passes (peel does nothing to a bridge that ends in `finish`).
 */
export function optimizeBridge(bridge: Trace, state: ExitState, options: OptimizeOptions = {}): Trace {
  const defined = new Set(bridge.ops.flatMap((op) => (op.result === null ? [] : [op.result])));
  const clash = state.inputs.find((input) => defined.has(input.name));
  if (clash) throw new TraceError('validation', `the exit state's input ${clash.name} is defined by the bridge too`);
  // A bridge that ends in finish (what the JIT records): the chained driver from the exit state.
  if (bridge.ops.at(-1)?.name !== 'jump' && !bridge.ops.some((op) => op.name === 'label')) {
    const result = chainOptimize(FREEZE_TRACES ? deepFreeze(bridge) : bridge, { start: state }).trace;
    if (options.verify) validate(result);
    options.afterPass?.(CHAINED, result);
    return result;
  }
  const named = { ...bridge, inputs: [...bridge.inputs, ...state.inputs] };
  const run = virtualizeOps(bridge.ops, bridgeEntryState(bridge, state), { classes: bridge.classes, fresh: freshNamer(named) });
  // The bridge's input sets describe its recorded inputs, not the exit state's: none carry over.
  const started: Trace = { ...bridge, inputs: state.inputs, ops: run.ops, inputSets: [] };
  return optimize(
    started,
    DEFAULT_PIPELINE.filter((pass) => pass !== 'virtualize'),
    options,
  );
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
  const value = (a: Arg): Arg => (a.kind === 'var' ? (replace.get(a.name) ?? a) : a);
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
