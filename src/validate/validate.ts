/**
 * Translation validation: is an optimized trace observationally equal to its input trace for
 * every input (every input heap, every aliasing among input objects, every fuel)?
 *
 * Invariant (soundness): `validateSymbolically` answers `proved` only if, for every input on
 * which the input trace's run is not undefined behaviour, the reference interpreter gives the
 * two traces equal outcomes (spec/equivalence.ts) at every fuel. A `suspect` is a difference the
 * symbolic check could not rule out; it is a counterexample only once a concrete input shows it
 * on the reference (the CLI's layer does that replay: src/ is not allowed to call spec/).
 *
 * Method.
 *  1. Both traces run symbolically (execute.ts) over the same unknown inputs, the first
 *     iteration up to the first back-edge: the input trace's jump (it has no label), the
 *     optimized trace's label, or its jump when it has none. The reference counts both as one
 *     back-edge, so fuel exits meet there.
 *  2. Events are matched in order (`match`): a guard of the optimized trace meets the input's
 *     guard with the same id; every input guard between them must be implied by what is known
 *     (else the optimizer dropped a guard that can fail); matched guards must test the same
 *     condition; on the path where it fails both exits are compared (compare.ts) after
 *     materializing resume data. The input's preconditions (a field of a non-null object of the
 *     right class, …) are assumed where its run makes them; the optimized trace's must be proved.
 *  3. Aliasing: two unknown objects or indexes that may be equal split the proof in two cases
 *     (terms.ts `Fork`); every case must hold.
 *  4. Loops, by a simulation relation at the loop head: the optimized trace's loop parameters
 *     are fresh unknowns y, the input trace's loop variables are the label's resume data
 *     evaluated on y (its virtuals become fresh objects that nothing else can reach), the
 *     heap outside them is one shared unknown heap. The step runs one more iteration of both
 *     from there, compares every exit, and checks at the jump that the relation holds again
 *     (the fuel exit there is equal, and the objects the label keeps virtual are private to the
 *     loop). What the relation may assume about y (constants, equalities, classes, nullness,
 *     fields of y and items at constant indices that hold other parameters or constants, a
 *     parameter that is a pure op of others or of constants, every carried object escaped) is
 *     found Houdini style: candidates read off the state at the first back-edge, dropped while
 *     the step does not re-establish them, until what is left is inductive.
 *
 * An input trace that is already peeled has its own label: its parameters must each meet a
 * parameter of the optimized loop (or a constant) at the back-edge, a candidate like the others;
 * or, when its label's exit lists exactly its parameters and its body uses nothing else from
 * before the label, its loop is a loop over those parameters as a trace without a label is over
 * its inputs, and they are taken from the optimized label's resume data (`inLabelAsInputs`).
 *
 * An optimized trace whose body ends in `finish` never goes round: its second iteration is run
 * from where the first left both traces, without a loop relation (`secondIteration`).
 *
 * Not covered (the answer is `unknown`, with the reason): traces with different inputs, alias case splits past a bound, loop
 * steps that escape objects whose escape status the relation does not fix.
 */
import { isOpName, isPure, type Op, type Trace, TraceError, type Type, typeOfVar, labelIndex, validate } from '../ir/index.ts';
import { ExitComparison, exitName } from './compare.ts';
import { type Event, type ExitRecord, itemKey, prebuiltTerm, Side, Unknown } from './execute.ts';
import { type Cond, Facts } from './facts.ts';
import type { SmtOracle } from './smt.ts';
import { type Decision, Fork, isAlloc, isUnknownRef, type Term, Terms } from './terms.ts';

export type SymbolicVerdict =
  | { readonly kind: 'proved'; readonly cases: number }
  | { readonly kind: 'suspect'; readonly reason: string; readonly phase: Phase; readonly decisions: readonly Decision[] }
  | { readonly kind: 'unknown'; readonly reason: string };

export type Phase = 'the first iteration' | 'a later iteration';

export interface ValidateOptions {
  /** Most alias cases explored per phase before giving up with `unknown`. Default 256. */
  readonly maxCases?: number;
  /**
   * The reference's largest array (spec/interpreter.ts MAX_ARRAY_LENGTH), handed in by the
   * caller (src/ does not import spec/). Without it, `new_array` of a constant size is proved
   * defined only where the input trace makes the same array.
   */
  readonly maxArrayLength?: number;
  /** The SMT fallback's answers so far; it records the questions it has none for (smt.ts). */
  readonly smt?: SmtOracle;
}

type Leaf =
  | { readonly kind: 'proved'; readonly holds: ReadonlySet<string> | null; readonly candidates?: ReadonlySet<string> }
  | { readonly kind: 'suspect'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export function validateSymbolically(input: Trace, optimized: Trace, options: ValidateOptions = {}): SymbolicVerdict {
  const maxCases = options.maxCases ?? 256;
  for (const [trace, which] of [[input, 'input'], [optimized, 'optimized']] as const) {
    try {
      validate(trace);
    } catch (err) {
      if (err instanceof TraceError) return { kind: 'unknown', reason: `the ${which} trace is not valid IR: ${err.message}` };
      throw err;
    }
  }
  if (input.inputs.length !== optimized.inputs.length || input.inputs.some((v, k) => typeOfVar(v.name) !== typeOfVar(optimized.inputs[k]!.name))) {
    return { kind: 'unknown', reason: 'the two traces take different inputs' };
  }
  if (prebuiltKey(input) !== prebuiltKey(optimized)) return { kind: 'unknown', reason: 'the two traces declare different prebuilt objects' };
  const shape = new LoopShape(input, optimized, options.maxArrayLength ?? null, options.smt ?? null);

  // Phase 1: the first iteration, every alias case.
  const first = explore((decisions) => firstIteration(shape, decisions), maxCases);
  if (first.verdict.kind !== 'proved') return withPhase(first.verdict, 'the first iteration');
  const loops = first.leaves.some((l) => l.kind === 'proved' && l.candidates !== undefined);
  if (!loops) return { kind: 'proved', cases: first.cases };

  // Phase 2: the loop step, under the strongest inductive relation among the candidates.
  let cases = first.cases;
  const tried = new Map<string, SymbolicVerdict>();
  for (const leaf of first.leaves) {
    if (leaf.kind !== 'proved' || leaf.candidates === undefined) continue;
    const key = [...leaf.candidates].sort().join(' ');
    let verdict = tried.get(key);
    if (!verdict) {
      verdict = loopStep(shape, leaf.candidates, maxCases);
      tried.set(key, verdict);
    }
    if (verdict.kind !== 'proved') return verdict;
    cases += verdict.cases;
  }
  return { kind: 'proved', cases };
}

function withPhase(v: Explored['verdict'], phase: Phase): SymbolicVerdict {
  if (v.kind === 'suspect') return { ...v, phase };
  return v;
}

/**
 * The most constant indices the loop relation tries items at: every array parameter reads each
 * at every back-edge, and a read past a write at an unknown index splits the alias cases.
 */
const ITEM_INDICES = 8;

/** Where each trace's loop starts and what its parameters are. */
class LoopShape {
  readonly optLabel: number;
  readonly label: Op | null;
  readonly inLabelIndex: number;
  /** The input trace's label, when it is already peeled. */
  readonly inLabel: Op | null;
  /** The optimized trace has a label and no jump after it: its loop body runs at most once. */
  readonly optimizedNeverLoops: boolean;
  /** The optimized trace's loop parameters: the label's args, or the trace's inputs. */
  readonly optHeads: readonly string[];
  /**
   * The constant indices either trace reads or writes an item at (the first ITEM_INDICES, in
   * trace order): where the loop relation looks for items that hold a parameter or a constant.
   */
  readonly itemIndices: readonly bigint[];

  constructor(
    readonly input: Trace,
    readonly optimized: Trace,
    readonly maxArrayLength: number | null,
    readonly smt: SmtOracle | null,
  ) {
    this.optLabel = labelIndex(optimized);
    this.label = this.optLabel >= 0 ? optimized.ops[this.optLabel]! : null;
    this.optExtras = this.label ? preambleValuesUsed(optimized, this.optLabel) : [];
    this.optHeads = this.label ? [...this.label.args.map((a) => (a as { name: string }).name), ...this.optExtras] : optimized.inputs.map((i) => i.name);
    this.optimizedNeverLoops = this.optLabel >= 0 && optimized.ops.at(-1)?.name !== 'jump';
    this.inLabelIndex = labelIndex(input);
    this.inLabel = this.inLabelIndex >= 0 ? input.ops[this.inLabelIndex]! : null;
    this.inExtras = this.inLabel ? preambleValuesUsed(input, this.inLabelIndex) : [];
    this.inHeads = this.inLabel ? [...this.inLabel.args.map((a) => (a as { name: string }).name), ...this.inExtras] : input.inputs.map((i) => i.name);
    const inExit = this.inLabel?.exit ?? null;
    this.inLabelAsInputs =
      this.inLabel !== null &&
      this.inExtras.length === 0 &&
      inExit !== null &&
      inExit.virtuals.length === 0 &&
      inExit.values.length === this.inLabel.args.length &&
      inExit.values.every((x, k) => x.kind === 'var' && x.name === (this.inLabel!.args[k] as { name: string }).name);
    const indices = new Set<bigint>();
    for (const op of [...input.ops, ...optimized.ops]) {
      if (op.name !== 'getarrayitem' && op.name !== 'setarrayitem') continue;
      const index = op.args[1]!;
      if (index.kind === 'int') indices.add(index.value);
    }
    this.itemIndices = [...indices].slice(0, ITEM_INDICES);
  }

  /**
   * The input's label reports its own parameters as the loop's arguments (its exit lists them, in
   * order) and its body uses nothing else from before it: its loop is then a loop over those
   * parameters exactly as a trace without a label is a loop over its inputs, and the relation
   * takes its loop variables from the optimized label's resume data as it does there (virtuals
   * fresh and private), rather than asking each to meet a parameter of the optimized loop.
   */
  readonly inLabelAsInputs: boolean;

  /**
   * Values defined before the label (not label parameters) that the loop body uses: they keep
   * their first iteration's value in every iteration (SSA), so the relation treats them as
   * parameters the back-edge passes on unchanged.
   */
  readonly optExtras: readonly string[];
  readonly inExtras: readonly string[];
  /** The input trace's loop parameters when it has a label (label args, then preamble values used). */
  readonly inHeads: readonly string[];

  inputFirstSegment(): readonly Op[] {
    return this.inLabelIndex >= 0 ? this.input.ops.slice(0, this.inLabelIndex + 1) : this.input.ops;
  }

  inputLoopSegment(): readonly Op[] {
    return this.inLabelIndex >= 0 ? this.input.ops.slice(this.inLabelIndex + 1) : this.input.ops;
  }

  firstSegment(): readonly Op[] {
    return this.optLabel >= 0 ? this.optimized.ops.slice(0, this.optLabel + 1) : this.optimized.ops;
  }

  loopSegment(): readonly Op[] {
    return this.optLabel >= 0 ? this.optimized.ops.slice(this.optLabel + 1) : this.optimized.ops;
  }
}

// ---------------------------------------------------------------------------------------------
// Case splits on aliasing.

interface Explored {
  readonly verdict: { kind: 'proved'; cases: number } | { kind: 'suspect'; reason: string; decisions: readonly Decision[] } | { kind: 'unknown'; reason: string };
  readonly leaves: readonly Leaf[];
  readonly cases: number;
}

function explore(run: (decisions: readonly Decision[]) => Leaf, maxCases: number): Explored {
  const stack: Decision[][] = [[]];
  const leaves: Leaf[] = [];
  let unknown: string | null = null;
  let cases = 0;
  while (stack.length > 0) {
    const decisions = stack.pop()!;
    if (++cases > maxCases) return { verdict: { kind: 'unknown', reason: `more than ${maxCases} alias cases` }, leaves, cases };
    let leaf: Leaf;
    try {
      leaf = run(decisions);
    } catch (err) {
      if (err instanceof Fork) {
        const [a, b] = err.key.split('=') as [string, string];
        stack.push([...decisions, { a, b, equal: false }], [...decisions, { a, b, equal: true }]);
        continue;
      }
      if (err instanceof Unknown) {
        leaf = { kind: 'unknown', reason: err.message };
      } else {
        throw err;
      }
    }
    if (leaf.kind === 'suspect') return { verdict: { kind: 'suspect', reason: leaf.reason, decisions }, leaves, cases };
    if (leaf.kind === 'unknown') unknown ??= leaf.reason;
    leaves.push(leaf);
  }
  if (unknown !== null) return { verdict: { kind: 'unknown', reason: unknown }, leaves, cases };
  return { verdict: { kind: 'proved', cases }, leaves, cases };
}

// ---------------------------------------------------------------------------------------------
// Phase 1.

function firstIteration(shape: LoopShape, decisions: readonly Decision[]): Leaf {
  const T = new Terms(decisions, shape.maxArrayLength);
  // Prebuilt objects first: an input that aliases one then stands for it (the earlier term is
  // the representative), and keeps its declared contents.
  for (const o of shape.input.prebuilt ?? []) prebuiltTerm(T, o.name);
  const args = shape.input.inputs.map((v, k) => T.sym(`${v.name}`, typeOfVar(v.name)));
  const declared = new Map((shape.input.prebuilt ?? []).map((o) => [o.name, o]));
  const A = new Side(T, shape.input, 'in', T.int(0n), true, new Map(), declared);
  const B = new Side(T, shape.optimized, 'opt', T.int(0n), true, new Map(), declared);
  shape.input.inputs.forEach((v, k) => A.env.set(v.name, args[k]!));
  shape.optimized.inputs.forEach((v, k) => B.env.set(v.name, args[k]!));
  A.run(shape.inputFirstSegment());
  B.run(shape.firstSegment());
  const F = new Facts(T, shape.smt);
  prebuiltFacts(shape.input, F);
  const m = match(F, A, B);
  if (m.kind !== 'backedge') return m.kind === 'done' ? { kind: 'proved', holds: null } : m;
  const edge = atBackEdge(shape, F, A, B, m.inEnd, m.optEnd);
  if (edge.kind !== 'proved') return edge;
  if (shape.optimizedNeverLoops) return secondIteration(shape, F, A, B, m.inEnd, m.optEnd);
  return { kind: 'proved', holds: null, candidates: edge.holds! };
}

/** A back-edge event: the input's or the optimized trace's label or jump, with the values it passes. */
type BackEdge = Extract<Event, { kind: 'backedge' }>;

/**
 * The optimized trace's loop body ends in `finish`, not in a jump: its loop runs once, from the
 * values of the first iteration. So the second iteration is run on both sides from where the
 * first left them (the same symbolic state, no loop relation) and matched like the first; the
 * input's must leave before its back-edge wherever the optimized trace's does.
 */
function secondIteration(
  shape: LoopShape,
  F: Facts,
  A: Side,
  B: Side,
  inEnd: BackEdge,
  optEnd: BackEdge,
): Leaf {
  const fromIn = A.events.indexOf(inEnd) + 1;
  const fromOut = B.events.indexOf(optEnd) + 1;
  // Without a label the input's back-edge is its jump, which binds its inputs for the next
  // iteration; a label binds its parameters to its own arguments, which they already are.
  if (!shape.inLabel) shape.input.inputs.forEach((v, k) => A.env.set(v.name, inEnd.values[k]!));
  A.run(shape.inputLoopSegment());
  B.run(shape.loopSegment());
  const m = match(F, A, B, fromIn, fromOut);
  if (m.kind === 'backedge') return { kind: 'suspect', reason: 'the optimized trace loops where the input trace finishes' };
  return m.kind === 'done' ? { kind: 'proved', holds: null } : m;
}

// ---------------------------------------------------------------------------------------------
// Phase 2.

function loopStep(shape: LoopShape, start: ReadonlySet<string>, maxCases: number): SymbolicVerdict {
  let assumed = start;
  let cases = 0;
  for (let round = 0; round < 16; round++) {
    const explored = explore((decisions) => stepOnce(shape, assumed, decisions), maxCases);
    cases += explored.cases;
    if (explored.verdict.kind === 'suspect') return { ...explored.verdict, phase: 'a later iteration' };
    let next = new Set(assumed);
    for (const leaf of explored.leaves) {
      if (leaf.kind === 'proved' && leaf.holds) next = new Set([...next].filter((c) => leaf.holds!.has(c)));
    }
    if (next.size === assumed.size) {
      if (explored.verdict.kind === 'unknown') return explored.verdict;
      return { kind: 'proved', cases };
    }
    assumed = next;
  }
  return { kind: 'unknown', reason: 'no inductive loop relation found within 16 rounds' };
}

function stepOnce(shape: LoopShape, assumed: ReadonlySet<string>, decisions: readonly Decision[]): Leaf {
  const T = new Terms(decisions, shape.maxArrayLength);
  for (const o of shape.input.prebuilt ?? []) prebuiltTerm(T, o.name);
  const heads: Term[] = shape.optHeads.map((name, k) => T.sym(`${name}'`, typeOfVar(name)));
  const parsed = [...assumed].map((c) => c.split(':'));
  for (const p of parsed) {
    if (p[0] === 'c') heads[Number(p[1])] = constantOf(T, p.slice(2).join(':'));
  }
  for (const p of parsed) {
    if (p[0] === 'e') heads[Number(p[2])] = heads[Number(p[1])]!;
  }
  // A parameter that is a pure op of others (a value the preamble computed from loop-invariant
  // ones and the body reuses): as often as there are such candidates, so chains settle.
  const pure = parsed.filter((p) => p[0] === 'p');
  for (let round = 0; round < pure.length; round++) {
    for (const p of pure) {
      const operands = p[3] === '' ? [] : p[3]!.split(',').map((ref) => (ref.startsWith('h') ? heads[Number(ref.slice(1))]! : constantOf(T, ref.slice(1))));
      heads[Number(p[1])] = T.op(p[2]!, operands);
    }
  }
  const headFields = new Map<string, Term>();
  for (const p of parsed) {
    const j = heads[Number(p[1])]!;
    if (p[0] === 'f') headFields.set(`${j.id}|${p[2]}`, heads[Number(p[3])]!);
    if (p[0] === 'fc') headFields.set(`${j.id}|${p[2]}`, constantOf(T, p.slice(3).join(':')));
    if (p[0] === 'l') headFields.set(`${j.id}|length`, heads[Number(p[2])]!);
    if (p[0] === 'lc') headFields.set(`${j.id}|length`, constantOf(T, p.slice(2).join(':')));
    if (p[0] === 'it') headFields.set(itemKey(T, j, `[]${p[2]}`, T.int(BigInt(p[3]!))), heads[Number(p[4])]!);
    if (p[0] === 'itc') headFields.set(itemKey(T, j, `[]${p[2]}`, T.int(BigInt(p[3]!))), constantOf(T, p.slice(4).join(':')));
  }
  for (const p of parsed) {
    if (p[0] === 'pf') headFields.set(`${prebuiltTerm(T, p[1]!).id}|${p[2]}`, heads[Number(p[3])]!);
    if (p[0] === 'pc') headFields.set(`${prebuiltTerm(T, p[1]!).id}|${p[2]}`, constantOf(T, p.slice(3).join(':')));
  }
  const escaped = assumed.has('closed') ? true : 'an escape in the loop may reach objects the loop carries, whose escape status the loop relation does not fix';
  const escapesBefore = T.sym('escapes', 'int');
  const A = new Side(T, shape.input, 'in', escapesBefore, escaped, headFields);
  const B = new Side(T, shape.optimized, 'opt', escapesBefore, escaped, headFields);
  shape.optHeads.forEach((name, k) => B.env.set(name, heads[k]!));
  // The input's loop variables: the label's resume data on the parameters (virtuals allocated
  // fresh, on the input side only), or the parameters themselves.
  const inputValues = shape.label ? B.exitRecord('fuel', -1, shape.label.exit, shape.label.args.map((a) => B.value(a))) : null;
  let values: readonly Term[];
  if (shape.inLabel && !(shape.inLabelAsInputs && inputValues)) {
    // An input trace that is peeled already: its label parameters are the optimized trace's
    // parameters (or constants) as the relation found them.
    const mapped: Term[] = [];
    for (let i = 0; i < shape.inHeads.length; i++) {
      const to = parsed.find((p) => (p[0] === 'x' || p[0] === 'xc') && Number(p[1]) === i);
      if (to) {
        mapped.push(to[0] === 'x' ? heads[Number(to[2])]! : constantOf(T, to.slice(2).join(':')));
        continue;
      }
      // Related to nothing of the optimized loop: any value at all. An object then is one the
      // optimized side never names, whose escape status nothing fixes.
      const name = shape.inHeads[i]!;
      const any = T.sym(`${name}''`, typeOfVar(name));
      if (any.sort === 'ref') A.uncertain.add(any.id);
      mapped.push(any);
    }
    values = mapped;
  } else if (inputValues) {
    const made = new Map<number, Term>();
    for (const [id, desc] of inputValues.mat) {
      made.set(id, A.allocate(desc.kind === 'object' ? { kind: 'object', cls: desc.cls } : { kind: 'array', elem: desc.elem, length: T.int(BigInt(desc.items.length)) }));
    }
    const local = (t: Term) => made.get(t.id) ?? t;
    for (const [id, desc] of inputValues.mat) {
      const obj = made.get(id)!;
      if (desc.kind === 'object') for (const [f, v] of desc.fields) A.push({ kind: 'set', obj, key: `${desc.cls}.${f}`, index: null, value: local(v) });
      else desc.items.forEach((v, k) => A.push({ kind: 'set', obj, key: `[]${desc.elem}`, index: T.int(BigInt(k)), value: local(v) }));
    }
    values = inputValues.values.map(local);
  } else {
    values = heads;
  }
  const inNames = shape.inLabel ? shape.inHeads : shape.input.inputs.map((v) => v.name);
  if (values.length !== inNames.length) return { kind: 'unknown', reason: 'the loop rebuilds a different number of values than the input trace takes' };
  inNames.forEach((name, k) => A.env.set(name, values[k]!));
  const F = new Facts(T, shape.smt);
  prebuiltFacts(shape.input, F);
  for (const p of parsed) {
    const j = heads[Number(p[1])]!;
    if (p[0] === 'k') F.add({ term: T.atom('is_class', [j], p[2]!), positive: true });
    if (p[0] === 'a') F.add({ term: T.atom('is_array', [j], p[2]!), positive: true });
    if (p[0] === 'n') F.add({ term: T.op('ptr_eq', [T.NULL, j]), positive: p[2] === '1' });
    if (p[0] === 'nz') F.add({ term: j, positive: true });
  }
  A.run(shape.inputLoopSegment());
  B.run(shape.loopSegment());
  const m = match(F, A, B);
  if (m.kind !== 'backedge') return m.kind === 'done' ? { kind: 'proved', holds: null } : m;
  return atBackEdge(shape, F, A, B, m.inEnd, m.optEnd);
}

/**
 * A prebuilt object's class (or array type) never changes, and two prebuilt objects are two
 * objects (each declaration makes its own): facts on every path.
 */
function prebuiltFacts(trace: Trace, F: Facts): void {
  const T = F.terms;
  const seen: Term[] = [];
  for (const o of trace.prebuilt ?? []) {
    const term = prebuiltTerm(T, o.name);
    F.add({ term: o.kind === 'object' ? T.atom('is_class', [term], o.cls) : T.atom('is_array', [term], o.elem), positive: true });
    for (const other of seen) F.add({ term: T.op('ptr_eq', [other, term]), positive: false });
    seen.push(term);
  }
}

/** The prebuilt declarations as text, locations left out: two traces must declare the same. */
function prebuiltKey(trace: Trace): string {
  return JSON.stringify(trace.prebuilt ?? [], (key, value) => (key === 'loc' ? undefined : typeof value === 'bigint' ? `${value}n` : typeof value === 'number' && !Number.isFinite(value) ? String(value) : Object.is(value, -0) ? '-0' : value));
}

/** Names defined before `label` (inputs included) that an op after it reads, label parameters excepted. */
function preambleValuesUsed(trace: Trace, label: number): string[] {
  const before = new Set(trace.inputs.map((i) => i.name));
  trace.ops.slice(0, label).forEach((op) => op.result && before.add(op.result));
  for (const a of trace.ops[label]!.args) if (a.kind === 'var') before.delete(a.name);
  const used = new Set<string>();
  const see = (x: { kind: string; name?: string }) => x.kind === 'var' && before.has(x.name!) && used.add(x.name!);
  for (const op of trace.ops.slice(label + 1)) {
    op.args.forEach(see);
    op.exit?.values.forEach(see);
    op.exit?.virtuals.forEach((v) => (v.kind === 'object' ? v.fields.forEach((f) => see(f.value)) : v.items.forEach(see)));
  }
  // The label's own exit is evaluated at every back-edge too.
  const exit = trace.ops[label]!.exit;
  exit?.values.forEach(see);
  exit?.virtuals.forEach((v) => (v.kind === 'object' ? v.fields.forEach((f) => see(f.value)) : v.items.forEach(see)));
  return [...used];
}

function constantOf(T: Terms, key: string): Term {
  if (key === 'null') return T.NULL;
  if (key.startsWith('i')) return T.int(BigInt(key.slice(1)));
  const u = new BigUint64Array([BigInt(`0x${key.slice(1)}`)]);
  return T.float(new Float64Array(u.buffer)[0]!);
}

// ---------------------------------------------------------------------------------------------
// Matching the two event sequences.

type Matched =
  | { readonly kind: 'done' }
  | { readonly kind: 'backedge'; readonly inEnd: BackEdge; readonly optEnd: BackEdge }
  | { readonly kind: 'suspect'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

function match(F: Facts, A: Side, B: Side, fromIn = 0, fromOut = 0): Matched {
  // Syntactic first; the solver only for what that leaves (Facts.implies).
  const ins = A.events;
  const outs = B.events;
  const nextGuard: (number | null)[] = new Array(outs.length);
  let upcoming: number | null = null;
  for (let j = outs.length - 1; j >= 0; j--) {
    const e = outs[j]!;
    if (e.kind === 'guard') upcoming = e.guardId;
    nextGuard[j] = upcoming;
  }
  let i = fromIn;
  const advance = (target: number | null): Matched | null => {
    for (; i < ins.length && !F.contradiction; i++) {
      const e = ins[i]!;
      if (e.kind === 'requires') {
        F.add(e.cond);
      } else if (e.kind === 'guard') {
        if (e.guardId === target) return null;
        if (!F.implies(e.cond)) {
          return { kind: 'suspect', reason: `guard ${e.guardId} of the input trace (${e.what}) may fail here, and the optimized trace has no guard for it at this point` };
        }
        F.add(e.cond);
      } else {
        return null;
      }
    }
    return null;
  };
  for (let j = fromOut; j < outs.length; j++) {
    if (F.contradiction) return { kind: 'done' };
    const e = outs[j]!;
    const stop = advance(nextGuard[j]!);
    if (stop) return stop;
    if (F.contradiction) return { kind: 'done' };
    const here = ins[i];
    switch (e.kind) {
      case 'requires': {
        if (!F.implies(e.cond)) return { kind: 'suspect', reason: `the optimized trace's ${e.what} is not implied where it runs (undefined behaviour the input trace does not have?)` };
        break;
      }
      case 'guard': {
        if (!here || here.kind !== 'guard' || here.guardId !== e.guardId) {
          return { kind: 'suspect', reason: `guard ${e.guardId} of the optimized trace has no guard with that id at this point of the input trace` };
        }
        const hIn = F.holds(here.cond);
        const hOpt = F.holds(e.cond);
        if (!(sameCond(F, here.cond, e.cond) || (hIn !== null && hIn === hOpt) || F.smt?.ask(F.path, { kind: 'same', a: here.cond, b: e.cond }) === true)) {
          return { kind: 'suspect', reason: `guard ${e.guardId} does not test the same condition in the two traces` };
        }
        if (hIn !== true && !F.implies(here.cond)) {
          const G = F.clone();
          G.add({ term: here.cond.term, positive: !here.cond.positive });
          if (!G.contradiction) {
            const diff = new ExitComparison(G, A, B).compare(here.exit, e.exit);
            if (diff) return { kind: 'suspect', reason: diff };
          }
        }
        F.add(here.cond);
        i++;
        break;
      }
      case 'finish': {
        if (!here || here.kind !== 'finish') return { kind: 'suspect', reason: `the optimized trace finishes where the input trace ${here ? 'loops' : 'ends'}` };
        const diff = new ExitComparison(F, A, B).compare(here.exit, e.exit);
        return diff ? { kind: 'suspect', reason: diff } : { kind: 'done' };
      }
      case 'backedge': {
        if (!here || here.kind !== 'backedge') return { kind: 'suspect', reason: 'the optimized trace loops where the input trace finishes' };
        return { kind: 'backedge', inEnd: here, optEnd: e };
      }
    }
  }
  return { kind: 'done' };
}

function sameCond(F: Facts, a: Cond, b: Cond): boolean {
  const strip = (c: Cond): [Term, boolean] => {
    let t = F.norm(c.term);
    let p = c.positive;
    while (t.op === 'not') {
      t = t.args[0]!;
      p = !p;
    }
    return [t, p];
  };
  const [ta, pa] = strip(a);
  const [tb, pb] = strip(b);
  return ta === tb && pa === pb;
}

// ---------------------------------------------------------------------------------------------
// At the back-edge: the fuel exit, and the loop relation for the next iteration.

function atBackEdge(
  shape: LoopShape,
  F: Facts,
  A: Side,
  B: Side,
  inEnd: BackEdge,
  optEnd: BackEdge,
): Leaf {
  let inFuel: ExitRecord;
  if (shape.inLabel) {
    shape.inLabel.args.forEach((a, k) => A.env.set((a as { name: string }).name, inEnd.values[k]!));
    inFuel = shape.inLabel.exit ? A.exitRecord('fuel', -1, shape.inLabel.exit, null) : A.exitRecord('fuel', -1, null, shape.inLabel.args.map((a) => A.value(a)));
  } else {
    inFuel = A.exitRecord('fuel', -1, null, inEnd.values);
  }
  // The optimized trace's parameters take the back-edge's values, then its label rebuilds the
  // original loop arguments (the reference's loopArguments).
  const optHeadValues = [...optEnd.values, ...shape.optExtras.map((name) => B.value({ kind: 'var', name }))];
  if (shape.label) shape.label.args.forEach((a, k) => B.env.set((a as { name: string }).name, optHeadValues[k]!));
  const optFuel: ExitRecord = shape.label ? B.exitRecord('fuel', -1, shape.label.exit, null) : B.exitRecord('fuel', -1, null, optEnd.values);
  const fuelValues = shape.label && !shape.label.exit ? shape.label.args.map((a) => B.value(a)) : null;
  const optExit = fuelValues ? { ...optFuel, values: fuelValues } : optFuel;
  const comparison = new ExitComparison(F, A, B);
  const diff = comparison.compare(inFuel, optExit);
  if (diff) return { kind: 'suspect', reason: `at the back-edge (a fuel exit there): ${diff}` };

  // Objects the label keeps virtual must be the input's private objects: not escaped, held by
  // nothing but each other, so that the next iteration may take them as fresh.
  const privateIn = new Set<number>();
  if (!shape.inLabel || (shape.inLabelAsInputs && shape.label?.exit)) for (const [a, b] of comparison.beta.forward) if (optExit.mat.has(b)) privateIn.add(a);
  for (const id of privateIn) {
    if (A.escaped.has(id)) return { kind: 'unknown', reason: `an object the optimized loop keeps virtual has escaped in the input trace (${exitName(inFuel)})` };
  }
  const T = F.terms;
  const live = privateIn.size > 0 ? liveAllocations(A, inEnd.values, privateIn) : new Set<number>();
  for (const e of A.log) {
    if (e.kind !== 'set') continue;
    const value = T.canon(e.value);
    if (!privateIn.has(value.id)) continue;
    const holder = T.canon(e.obj);
    if (isAlloc(holder) && (privateIn.has(holder.id) || !live.has(holder.id))) continue;
    if (A.read(holder, e.key, e.index, 'ref') === value) {
      return { kind: 'unknown', reason: 'an object the optimized loop keeps virtual is reachable from the heap in the input trace at the back-edge' };
    }
  }
  const holds = candidates(shape, F, A, B, optHeadValues, inEnd.values, privateIn);
  if (shape.inLabel) {
    // How the input trace's label parameters relate to the optimized trace's.
    // Objects the two sides allocated are the same parameter when they correspond, contents
    // included (they become one shared unknown object in the next iteration).
    const optNormed = optHeadValues.map((v) => F.norm(v));
    [...inEnd.values, ...shape.inExtras.map((name) => A.value({ kind: 'var', name }))].forEach((v, i) => {
      const n = F.norm(v);
      if (n.id < 0) holds.add(`xc:${i}:${F.terms.stableKey(n)}`);
      optNormed.forEach((m, j) => {
        if (m === n || (isAlloc(n) && isAlloc(m) && comparison.sameUnder(n, m, A.log.length, B.log.length))) holds.add(`x:${i}:${j}`);
      });
    });
  }
  return { kind: 'proved', holds };
}

/**
 * The allocations a later iteration can still reach without passing through a private object:
 * from the loop's values, from escaped objects, and from the current fields of unknown objects.
 * Any other allocation is garbage: a reference it holds can never be followed again.
 */
function liveAllocations(side: Side, carried: readonly Term[], privateIds: ReadonlySet<number>): Set<number> {
  const T = side.T;
  const work: Term[] = carried.map((v) => T.canon(v)).filter((v) => isAlloc(v) && !privateIds.has(v.id));
  for (const e of side.log) {
    if (e.kind === 'alloc' && side.escaped.has(e.obj.id)) work.push(e.obj);
    if (e.kind !== 'set' || isAlloc(T.canon(e.obj))) continue;
    const value = T.canon(e.value);
    if (isAlloc(value) && side.read(e.obj, e.key, e.index, 'ref') === value) work.push(value);
  }
  const live = new Set<number>();
  while (work.length > 0) {
    const obj = work.pop()!;
    if (live.has(obj.id) || privateIds.has(obj.id)) continue;
    live.add(obj.id);
    for (const child of side.refsHeldBy(obj)) if (isAlloc(child)) work.push(child);
  }
  return live;
}

/** What holds of the optimized loop's parameters at this back-edge: the relation's candidates. */
function candidates(shape: LoopShape, F: Facts, A: Side, B: Side, values: readonly Term[], inValues: readonly Term[], privateIn: ReadonlySet<number>): Set<string> {
  const T = F.terms;
  const out = new Set<string>();
  const normed = values.map((v) => F.norm(v));
  const attempt = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof Unknown)) throw err;
    }
  };
  normed.forEach((n, j) => {
    if (n.id < 0) out.add(`c:${j}:${T.stableKey(n)}`);
    const same = normed.findIndex((m) => m === n);
    if (same < j && n.id >= 0) out.add(`e:${same}:${j}`);
    // A pure op of the IR whose operands are constants or other parameters.
    if (n.id >= 0 && n.name === undefined && n.args.length > 0 && isPureOpName(n.op)) {
      const refs = n.args.map((a) => {
        const c = F.norm(a);
        if (c.id < 0) return `c${T.stableKey(c)}`;
        const i = normed.indexOf(c);
        return i >= 0 && i !== j ? `h${i}` : null;
      });
      if (refs.every((r) => r !== null)) out.add(`p:${j}:${n.op}:${refs.join(',')}`);
    }
    if (n.sort === 'int' && F.holds({ term: n, positive: true }) === true) out.add(`nz:${j}`);
    if (n.sort !== 'ref' || n.op === 'null') return;
    const shapeOf = B.shapes.get(n.id);
    const fact = F.refFact(n);
    const cls = shapeOf ? (shapeOf.kind === 'object' ? shapeOf.cls : `[]${shapeOf.elem}`) : fact?.cls;
    if (isAlloc(n) || fact?.null === false || cls !== undefined) out.add(`n:${j}:0`);
    if (fact?.null === true) out.add(`n:${j}:1`);
    if (cls === undefined) return;
    if (cls.startsWith('[]')) {
      out.add(`a:${j}:${cls.slice(2)}`);
      attempt(() => {
        const len = F.norm(B.length(n));
        if (len.id < 0) out.add(`lc:${j}:${T.stableKey(len)}`);
        const i = normed.indexOf(len);
        if (i >= 0) out.add(`l:${j}:${i}`);
      });
      // An item at a constant index that holds a parameter or a constant, as fields below.
      const elem = cls.slice(2) as Type;
      for (const index of shape.itemIndices) {
        attempt(() => {
          const r = F.norm(B.read(n, cls, T.int(index), elem));
          if (r.id < 0) out.add(`itc:${j}:${elem}:${index}:${T.stableKey(r)}`);
          const i = normed.indexOf(r);
          if (i >= 0) out.add(`it:${j}:${elem}:${index}:${i}`);
        });
      }
      return;
    }
    out.add(`k:${j}:${cls}`);
    const decl = shape.optimized.classes.find((c) => c.name === cls);
    for (const f of decl?.fields ?? []) {
      attempt(() => {
        const r = F.norm(B.read(n, `${cls}.${f.name}`, null, f.type));
        if (r.id < 0) out.add(`fc:${j}:${cls}.${f.name}:${T.stableKey(r)}`);
        const i = normed.indexOf(r);
        if (i >= 0) out.add(`f:${j}:${cls}.${f.name}:${i}`);
      });
    }
  });
  // A field of a prebuilt object that holds a parameter or a constant at every loop head (an
  // optimized loop that keeps what its preamble wrote there, rather than writing it again).
  for (const o of shape.optimized.prebuilt ?? []) {
    if (o.kind !== 'object') continue;
    const obj = prebuiltTerm(T, o.name);
    const decl = shape.optimized.classes.find((c) => c.name === o.cls);
    for (const f of decl?.fields ?? []) {
      attempt(() => {
        const r = F.norm(B.read(obj, `${o.cls}.${f.name}`, null, f.type));
        if (r.id < 0) out.add(`pc:${o.name}:${o.cls}.${f.name}:${T.stableKey(r)}`);
        const i = normed.indexOf(r);
        if (i >= 0) out.add(`pf:${o.name}:${o.cls}.${f.name}:${i}`);
      });
    }
  }
  if (closed(A, inValues.map((v) => F.norm(v)).filter((v) => !privateIn.has(v.id)), privateIn) && closed(B, normed, new Set())) out.add('closed');
  return out;
}

/** Whether a term's operation is one of the IR's pure ops (Terms.op rebuilds those). */
function isPureOpName(name: string): boolean {
  return isOpName(name) && isPure(name);
}

/**
 * Every object the loop carries is escaped (or null), and no escaped object holds one that is
 * not: then every unknown object of the next iteration is escaped, as at the trace's start.
 */
function closed(side: Side, carried: readonly Term[], privateIds: ReadonlySet<number>): boolean {
  const T = side.T;
  try {
    for (const v of carried) if (isAlloc(v) && !side.escaped.has(v.id) && !privateIds.has(v.id)) return false;
    for (const e of side.log) {
      if (e.kind !== 'set') continue;
      const value = T.canon(e.value);
      if (!isAlloc(value) || side.escaped.has(value.id)) continue;
      const holder = T.canon(e.obj);
      const holderEscaped = isAlloc(holder) ? side.escaped.has(holder.id) : isUnknownRef(holder);
      if (holderEscaped && side.read(holder, e.key, e.index, 'ref') === value) return false;
    }
    if (side.unknownEscaped !== true) return false;
  } catch (err) {
    if (err instanceof Unknown) return false;
    throw err;
  }
  return true;
}
