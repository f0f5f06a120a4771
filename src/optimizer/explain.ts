/**
 * explain: why is this allocation still in my loop, why is this guard still there?
 *
 * `explainOptimization` optimizes a trace and returns data (the CLI prints it for
 * `boxless optimize --explain`):
 *  - for every allocation that survived: the input op that forced it and why, as virtualize saw
 *    it on the input trace (its forcing report: escape, jump, a store into a non-virtual object,
 *    a non-constant index, held by another forced object…), or why it was never virtual;
 *  - for every guard that survived: why it could not be removed, from what the optimized trace
 *    knows about its operands (a class check on a value whose class nothing established, a
 *    condition computed from unknown values, …).
 * Places are indices into the input trace's ops, plus the line when the trace came from text.
 * Allocations are matched by variable (virtualize names a forced allocation after its `new`, and
 * no pass renames); guards by guard id.
 *
 * The allocation reasons come from virtualize run on the input itself: with the default
 * pipeline that is exactly the first round. A later round can only remove more, so a surviving
 * allocation was forced in the first round, for the reason reported.
 *
 * Peeled traces: every op is reported with its section (preamble or loop body), and the reasons
 * come from peel run on the input (peelReport: its virtualization of the preamble and of the
 * body, whose op indices are the input's), as the default pipeline's first round does it. peel
 * names the body's copy of input variable `x` as `x_k`, so a body allocation is placed at the
 * input's `new` of `x`.
 */
import { type Arg, effectsOf, isGuard, labelIndex, type Op, type OpName, type Trace } from '../ir/index.ts';
import { peelReport, secondIterationSuffix } from './peel.ts';
import { DEFAULT_PIPELINE, optimize, type OptimizeOptions, type PassSpec } from './pipeline.ts';
import { LabelBoundary } from './rewrite.ts';
import { entryState, type Forcing, MAX_VIRTUAL_ARRAY_LENGTH, virtualizeOps } from './virtualize.ts';

/** A place in the input trace. */
export interface Place {
  readonly index: number;
  readonly op: OpName;
  /** The op's line in the trace file, when the trace came from text. */
  readonly line: number | null;
}

/** Where an op of the optimized trace is: before the label, after it, or in a trace without one. */
export type Section = 'preamble' | 'body' | 'trace';

export interface AllocationExplanation {
  /** The allocation's variable in the optimized trace. */
  readonly name: string;
  readonly section: Section;
  /** Where it was allocated in the input (null if the input has no op defining that name). */
  readonly allocatedAt: Place | null;
  /** The op that forced it, when virtualize made it virtual and then had to allocate it. */
  readonly forcedBy: Place | null;
  /** The reason as a stable code (AllocationCode), for tools; `why` says it in words. */
  readonly code: AllocationCode;
  readonly why: string;
}

export interface GuardExplanation {
  readonly guardId: number;
  readonly section: Section;
  /** The guard in the input trace. */
  readonly at: Place | null;
  /** The reason as a stable code (GuardCode), for tools; `why` says it in words. */
  readonly code: GuardCode;
  readonly why: string;
}

/** Why an allocation survived. */
export type AllocationCode = 'forced' | 'virtualize-not-run' | 'label-argument' | 'array-too-long' | 'array-length-unknown' | 'never-virtual';

/** Why a guard survived. */
export type GuardCode = 'always-fails' | 'class-unknown' | 'nullness-unknown' | 'condition-unknown' | 'value-unknown' | 'overflow-unknown' | 'outcome-unknown';

export interface ExplainReport {
  readonly optimized: Trace;
  readonly allocations: readonly AllocationExplanation[];
  readonly guards: readonly GuardExplanation[];
}

export function explainOptimization(input: Trace, passes: readonly PassSpec[] = DEFAULT_PIPELINE, options: OptimizeOptions = {}): ExplainReport {
  const optimized = optimize(input, passes, options);
  const place = (index: number): Place => {
    const op = input.ops[index]!;
    return { index, op: op.name, line: op.loc?.line ?? null };
  };
  const inputDefinition = new Map<string, number>();
  // Stryker disable next-line ConditionalExpression: `true` adds the key null, which no name looked up equals
  input.ops.forEach((op, index) => op.result !== null && inputDefinition.set(op.result, index));

  const labelAt = labelIndex(optimized);
  // Stryker disable next-line EqualityOperator: `index <= labelAt` differs only at the label, which is neither an allocation nor a guard (the line's other mutants fail test/optimizer/explain.test.ts)
  const sectionOf = (index: number): Section => (labelAt < 0 ? 'trace' : index < labelAt ? 'preamble' : 'body');
  /**
   * The input variable an optimized variable stands for (`x_k` in a peeled body is `x`, k the
   * trace's). An input's own name ending in `_k` is never taken for a copy: the suffix is chosen
   * so that what precedes it in such a name is no result of the input (secondIterationSuffix).
   */
  const bodySuffix = secondIterationSuffix(input);
  const inputName = (name: string): string => {
    if (!name.endsWith(bodySuffix)) return name;
    const copied = name.slice(0, -bodySuffix.length);
    return inputDefinition.has(copied) ? copied : name;
  };

  const ranVirtualize = passes.includes('virtualize') || passes.includes('peel');
  const forcings: Record<Section, Map<string, Forcing>> = { preamble: new Map(), body: new Map(), trace: new Map() };
  // Stryker disable next-line EqualityOperator: `labelAt > 0` differs only for a peeled loop with an empty preamble (an iteration of no ops), which has nothing to explain
  const peeled = passes.includes('peel') && labelAt >= 0 && !input.ops.some((op) => op.name === 'label') ? peelReport(input) : null;
  if (peeled) {
    for (const f of peeled.preambleForcings) forcings.preamble.set(f.name, f);
    for (const f of peeled.bodyForcings) forcings.body.set(f.name, f);
  } else {
    const analysis = virtualizeOps(input.ops, entryState(input), { classes: input.classes });
    for (const f of analysis.forcings) for (const section of [forcings.preamble, forcings.body, forcings.trace]) section.set(f.name, f);
  }
  const pinned = new LabelBoundary(input.ops).args;

  const allocations = optimized.ops.flatMap((op, at): AllocationExplanation[] => {
    if (!effectsOf(op.name).allocates) return [];
    const name = op.result!;
    const section = sectionOf(at);
    const index = inputDefinition.get(inputName(name));
    const allocatedAt = index === undefined ? null : place(index);
    const forcing = ranVirtualize ? (forcings[section].get(name) ?? forcings[section].get(inputName(name))) : undefined;
    // Stryker disable next-line EqualityOperator: `<= 0` cannot change a result: an op that forces an allocation comes after it, never at index 0
    if (forcing) return [{ name, section, allocatedAt, forcedBy: forcing.index < 0 ? null : place(forcing.index), code: 'forced', why: forcing.why }];
    return [{ name, section, allocatedAt, forcedBy: null, ...neverVirtual(op, pinned, ranVirtualize) }];
  });

  // A guard is placed at the input's guard of its id. An input with a label of its own (an
  // optimized trace optimized again) repeats its preamble's guard ids in its body, so each side of
  // the input's label has its own table, and a guard is looked up on its own side first. With no
  // label every guard is after it (index > -1), and a guard of either section finds it there.
  // Within one side, the first guard of an id stands for it.
  const inputLabel = labelIndex(input);
  const guardsBefore = new Map<number, Place>();
  const guardsAfter = new Map<number, Place>();
  input.ops.forEach((op, index) => {
    // Stryker disable next-line ConditionalExpression: `false` files every other op under its id, -1, which no guard has (validate.ts: a guard's id is >= 0) (checked by hand: `true` fails test/optimizer/explain-places.test.ts)
    if (!isGuard(op.name)) return;
    // Stryker disable next-line EqualityOperator: `>=` differs only at the label, which is no guard
    const places = index > inputLabel ? guardsAfter : guardsBefore;
    if (!places.has(op.guardId)) places.set(op.guardId, place(index));
  });
  const guardPlace = (id: number, section: Section): Place | null =>
    (section === 'preamble' ? (guardsBefore.get(id) ?? guardsAfter.get(id)) : (guardsAfter.get(id) ?? guardsBefore.get(id))) ?? null;
  const definedBy = new Map<string, Op>();
  // Stryker disable next-line ConditionalExpression: `true` adds the key null, which no name looked up equals
  for (const op of optimized.ops) if (op.result !== null) definedBy.set(op.result, op);
  const guards = optimized.ops.flatMap((op, at): GuardExplanation[] => {
    if (!isGuard(op.name)) return [];
    const section = sectionOf(at);
    return [{ guardId: op.guardId, section, at: guardPlace(op.guardId, section), ...guardReason(op, definedBy) }];
  });

  return { optimized, allocations, guards };
}

function neverVirtual(op: Op, pinned: ReadonlySet<string>, ranVirtualize: boolean): { code: AllocationCode; why: string } {
  if (!ranVirtualize) return { code: 'virtualize-not-run', why: 'virtualize did not run' };
  // Stryker disable next-line ConditionalExpression,ObjectLiteral,StringLiteral: not reached by any trace: an allocation the input's label takes is forced by virtualize's label rule (R4), so explainOptimization finds that forcing first; the answer stays for a label argument no forcing names
  if (pinned.has(op.result!)) return { code: 'label-argument', why: 'it is a label argument: the label rebinds it on every back-edge' };
  // Stryker disable next-line ConditionalExpression: only a new_array comes here (with virtualize run, a surviving new was forced: see the last line)
  if (op.name === 'new_array') {
    const n = op.args[0]!;
    return n.kind === 'int'
      ? { code: 'array-too-long', why: `its length is above ${MAX_VIRTUAL_ARRAY_LENGTH}, the longest array kept virtual` }
      : { code: 'array-length-unknown', why: 'its length is not a constant' };
  }
  // Stryker disable next-line ObjectLiteral,StringLiteral: not reached by the op table of today: with virtualize run, every `new` is virtual until a forcing, which explainOptimization finds first; the answer stays for an allocating op virtualize does not know
  return { code: 'never-virtual', why: 'it was never virtual' };
}

/** Where a value comes from, in words: what the optimizer could not see through. */
function origin(arg: Arg, definedBy: ReadonlyMap<string, Op>): string {
  if (arg.kind !== 'var') return 'a constant';
  const op = definedBy.get(arg.name);
  if (!op) return `${arg.name}, an input of the trace`;
  const effects = effectsOf(op.name);
  if (effects.allocates) return `${arg.name}, allocated by ${op.name}`;
  if (effects.readsHeap) return `${arg.name}, read from the heap by ${op.name}`;
  return `${arg.name}, computed by ${op.name}`;
}

function guardReason(op: Op, definedBy: ReadonlyMap<string, Op>): { code: GuardCode; why: string } {
  const [a, b] = op.args;
  if (op.args.length > 0 && op.args.every((x) => x.kind !== 'var')) {
    return { code: 'always-fails', why: 'it always fails (its operands are constants): every run leaves the trace here, and what followed was removed' };
  }
  switch (op.name as OpName) {
    case 'guard_class':
      return { code: 'class-unknown', why: `the class of ${origin(a!, definedBy)}, is not known before this guard` };
    case 'guard_nonnull':
    case 'guard_isnull':
      return { code: 'nullness-unknown', why: `whether ${origin(a!, definedBy)}, is null is not known before this guard` };
    case 'guard_true':
    case 'guard_false':
      return { code: 'condition-unknown', why: `its condition ${origin(a!, definedBy)}, is not a constant` };
    case 'guard_value':
      return { code: 'value-unknown', why: `${origin(a!, definedBy)}, is not known to equal ${origin(b!, definedBy)}` };
    case 'guard_no_overflow':
    case 'guard_overflow':
      return { code: 'overflow-unknown', why: 'the operands of the overflow check are not constants' };
    // Stryker disable all: no guard of the op table reaches the default (each has its case above); it is the answer for a guard added to the table without one
    default:
      return { code: 'outcome-unknown', why: 'its outcome is not known' };
    // Stryker restore all
  }
}
