/**
 * fold: constant folding and guard removal from known values, classes and nullness.
 *
 * One forward pass with two maps: `constant` (a variable whose value is known: it is folded
 * away, or learned from a passing guard) and `facts` (what is known about a variable that is not
 * constant: the exact class or array length of a ref and that it is not null, that an int is
 * not zero). Facts come from `new`/`new_array` and from the guards that stay: after
 * `guard_class(p, C)` p is a C, after `guard_value(x, c)` x is c, after `guard_false(i)` i is 0.
 *
 *  - A pure int/float op on constants is evaluated (evaluate.ts, the op table's exact meaning)
 *    and disappears; `ptr_eq`/`ptr_ne` fold when identity is decided by the facts (a value is
 *    itself; null is not a non-null value; objects of different classes are different).
 *  - A pure op with the same name and operands (after substitution) as an earlier one is that
 *    op's value and goes (common subexpressions). Across a label only the earlier ops whose
 *    operands and result the back-edge does not rebind count: a pure op of the body computed on
 *    loop-invariant values is the preamble's copy, computed once (loop-invariant code motion;
 *    the body may refer to any value defined before the label, so no extra label argument).
 *  - `arraylen` of an array of known length folds; an `*_ovf` op on constants folds together with
 *    its overflow guard when that guard passes.
 *  - A guard known to pass vanishes. A guard known to fail stays (it is where every run leaves
 *    the trace, with its exit intact) and the trace ends after it with `finish()`. Why that
 *    representation: the validator wants a trace to end in jump or finish, and `finish()` is
 *    never reached (the guard before it always exits), so every run's outcome is unchanged; the
 *    ops that followed were unreachable and go. Rejected: keeping the dead rest (it would be
 *    optimized, counted and compiled for nothing), or a special "always exit" op (a new op
 *    every executor would need for one corner).
 *  - Label arguments are never replaced by constants in the label, and the label forgets what
 *    it knew about them: the back-edge rebinds them. An op on constants that defines one stays
 *    (the label needs the variable) while its uses before the label see the constant. What is
 *    known about other values defined before the label stays true in the body (SSA: each is
 *    computed once), and so does what is known about an *invariant* label argument, one the jump
 *    passes back unchanged (rewrite.ts, LabelBoundary): a guard of the body that the preamble
 *    proved for it goes. An invariant argument known to be a constant leaves the label and the
 *    jump; the body and the label's exit see the constant (proofs-notes/loops.md).
 *    When a guard known to fail cuts the trace before the label, the ops kept only for the
 *    label go as well (their uses all see the constant), so that fold stays idempotent.
 *
 * Known classes of values are fold's business, not virtualize's, so that `--passes virtualize`
 * stays exactly the paper's section 4 and fold works on any trace (forced objects, inputs).
 *
 * Pre:  the trace validates.
 * Post: the trace validates; no op or guard was added (one `finish()` may replace the end); on
 *       every run without undefined behaviour it has the input's outcome.
 *
 * Before:                                  After:
 *   [p0, i1]                                 [p0, i1]
 *   guard_class(p0, BoxedInteger) [p0]       guard_class(p0, BoxedInteger) [p0]
 *   i2 = int_add(3, 4)                       guard_value(i1, 7) [p0]
 *   guard_value(i1, i2) [p0]                 escape(p0)
 *   guard_class(p0, BoxedInteger) [p0]       finish(7)
 *   escape(p0)
 *   finish(i1)
 *
 * Proof notes: proofs-notes/fold.md.
 */
import { type Arg, cint, effectsOf, mkOp, NULL, type Op, type OpName, prebuiltObjects, sameArg, type Trace, v } from '../ir/index.ts';
import { evaluateOverflow, evaluatePure } from './evaluate.ts';
import { LabelBoundary, mapOperands } from './rewrite.ts';

/** What is known about a ref that is not constant null, or an int that is not constant. */
export interface Fact {
  /** The exact class of an object, or an array and its length (null when not constant). */
  readonly shape?: { readonly kind: 'object'; readonly cls: string } | { readonly kind: 'array'; readonly length: bigint | null };
  /** A ref: not null. An int: not zero. */
  readonly nonzero?: true;
}

/** A guard's outcome when it is known. */
export type Decision = 'passes' | 'fails' | 'unknown';

export function fold(trace: Trace): Trace {
  return foldWith(trace, decideGuard);
}

/** What a guard decision may ask about a value (after substitution of known constants). */
export type FactOf = (arg: Arg) => Fact;
export type GuardDecider = (op: Op, factOf: FactOf, nonzero: (arg: Arg) => boolean) => Decision;

/** fold with another guard decision or label boundary: how tests build a deliberately broken fold. */
export function foldWith(trace: Trace, decide: GuardDecider, boundaryOf: (ops: readonly Op[]) => LabelBoundary = (ops) => new LabelBoundary(ops)): Trace {
  const constant = new Map<string, Arg>();
  const facts = new Map<string, Fact>();
  const boundary = boundaryOf(trace.ops);
  /** Positions of the label's arguments that are loop constants, dropped from label and jump. */
  const leavesLoop = new Set<number>();
  const out: Op[] = [];

  /** A pure op's result -> the result of an earlier op with the same name and operands. */
  const same = new Map<string, Arg>();
  /** Pure ops computed so far, by name and operands (`pureKey`): their operands and result. */
  const computed = new Map<string, { readonly args: readonly Arg[]; readonly result: string }>();
  const value = (arg: Arg): Arg => {
    // Stryker disable next-line ConditionalExpression: `false` cannot change a result: a constant has no name, so both lookups below find nothing and it is returned as it is (the test only spares them)
    if (arg.kind !== 'var') return arg;
    const c = constant.get(arg.name);
    if (c !== undefined) return c;
    // The earlier result may have become a known constant since (a guard on it).
    const earlier = same.get(arg.name);
    return earlier === undefined ? arg : (constant.get((earlier as { name: string }).name) ?? earlier);
  };
  // A prebuilt object is a constant ref: never null, of the class (or array length) declared.
  const prebuilt = new Map<string, Fact>(
    prebuiltObjects(trace).map((o): [string, Fact] => [
      o.name,
      { shape: o.kind === 'object' ? { kind: 'object', cls: o.cls } : { kind: 'array', length: BigInt(o.items.length) }, nonzero: true },
    ]),
  );
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: the fallback for a prebuilt object that is not declared is never taken: fold's precondition is a trace that validates, and validation rejects an undeclared prebuilt (test/golden/errors/v12-unknown-prebuilt.trace)
  const factOf = (arg: Arg): Fact => (arg.kind === 'var' ? (facts.get(arg.name) ?? {}) : arg.kind === 'prebuilt' ? (prebuilt.get(arg.name) ?? { nonzero: true }) : {});
  // Stryker disable next-line ConditionalExpression,StringLiteral: the null test made false (or 'null' spelt otherwise) cannot change a result: null then reaches factOf, which knows nothing of a constant ({}), so the answer is false as before (the int branch's mutants fail passes.test.ts, 'tells a guard decision what is known of constants')
  const nonzero = (arg: Arg): boolean => (arg.kind === 'null' ? false : arg.kind === 'int' ? arg.value !== 0n : !!factOf(arg).nonzero);
  const learn = (arg: Arg, fact: Fact) => {
    // Stryker disable next-line ConditionalExpression: `true` cannot change a result: learn is only given variables (the result of new or new_array, or the operand of a guard_class, guard_nonnull or guard_true that stays; on null, an int or a prebuilt object decideGuard decides those guards)
    if (arg.kind === 'var') facts.set(arg.name, { ...facts.get(arg.name), ...fact });
  };
  const learnConstant = (arg: Arg, c: Arg) => {
    // Stryker disable next-line ConditionalExpression: `true` cannot change a result: every caller passes a variable (a guard_isnull, guard_false or guard_value whose operand is a constant was decided before learning, by decideGuard), and a constant has no name a later lookup uses
    if (arg.kind === 'var') constant.set(arg.name, c);
  };
  /**
   * A result whose value is `c`: uses see `c`, and the op goes unless the label needs it
   * (rewrite.ts, LabelBoundary: a label argument stays, its uses before the label see `c`).
   */
  const foldsTo = (op: Op, c: Arg | null): boolean => {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: the test is never true, so neither its `false` nor the returned value can change a result: no caller passes null (the pure branch calls foldsTo only on a value, evaluateOverflow's result is a constant, arraylen's a cint)
    if (c === null) return false;
    constant.set(op.result!, c);
    if (boundary.mayDrop(op.result!, c)) return true;
    keptForLabel.add(op.result!);
    return false;
  };
  /** Results of pure ops and reads known constant but kept because the label needs them. */
  /** Results kept only because the label needs them (null is never one: it stands for no result). */
  const keptForLabel = new Set<string | null>();
  let labelSeen = false;
  /**
   * The trace ends here (a guard that always fails). If the label was not reached it is gone,
   * and so is the only reason to keep an op whose value is a known constant: every use of it
   * sees the constant, so it goes (else fold run again would remove it: fold is idempotent).
   */
  const cutBeforeLabel = () => {
    if (labelSeen) return;
    const kept: Op[] = [];
    for (let k = 0; k < out.length; k++) {
      const op = out[k]!;
      if (!keptForLabel.has(op.result)) kept.push(op);
      // An overflow op on constants whose guard passes goes with that guard.
      else if (effectsOf(op.name).overflow) k += 1;
    }
    out.length = 0;
    for (const op of kept) out.push(op);
  };

  const ops = trace.ops;
  for (let index = 0; index < ops.length; index++) {
    const original = ops[index]!;
    if (original.name === 'label') {
      labelSeen = true;
      // Forget first: the label's exit is written in terms of its arguments, which every
      // back-edge rebinds, so a constant the preamble proved for one must not leak into it.
      const forgotten = new Set(boundary.rebound((name) => constant.get(name) ?? same.get(name)));
      for (const name of forgotten) {
        constant.delete(name);
        same.delete(name);
        facts.delete(name);
      }
      // A pure op computed before the label has the same value in the body when its operands
      // and its result do not change with the back-edge: the body's copy goes (loop-invariant
      // code motion: computed once, in the preamble).
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral,LogicalOperator: the forgotten test cannot change a result, so neither can its `false`, any mutant of its kind test (a constant is never forgotten) nor `||` for the first `&&` (an argument that is not invariantAtLabel is always forgotten): a forgotten name is a label argument the back-edge rebinds (not invariantAtLabel already), or a variable whose replacement is one; `computed` holds operands after replacement and first computations as results, so no such variable is in it (the line's other mutants fail test/golden/fold/label-invariant-pure-op.trace)
      const invariant = (a: Arg) => boundary.invariantAtLabel(a) && !(a.kind === 'var' && forgotten.has(a.name));
      for (const [key, entry] of computed) if (!invariant(v(entry.result)) || !entry.args.every(invariant)) computed.delete(key);
      // A constant invariant argument leaves the label (and the jump): the body sees the constant.
      // Only with an exit: without one, the label's arguments are the values of its fuel exit.
      // Stryker disable next-line ConditionalExpression,LogicalOperator: the invariance test made `true` (or its `&&` made `||`) cannot change a result, nor can the kind test made `true`: every argument the back-edge rebinds was just forgotten (`forgotten` above deletes its constant), and a constant argument has no entry in `constant`, so `constant.has` alone decides (the line's other mutants fail test/golden/fold/label-constant-invariant-argument.trace, label-without-exit.trace or test/optimizer/chain-labelled.test.ts)
      if (original.exit) original.args.forEach((a, k) => a.kind === 'var' && boundary.invariantArgs.has(a.name) && constant.has(a.name) && leavesLoop.add(k));
      const args = original.args.filter((_, k) => !leavesLoop.has(k));
      out.push({ ...original, args, exit: original.exit && mapOperands(original, value).exit });
      continue;
    }
    // The jump passes what the label takes: its operands at the arguments that left the loop go.
    if (original.name === 'jump') {
      out.push({ ...mapOperands(original, value), args: original.args.filter((_, k) => !leavesLoop.has(k)).map(value) });
      continue;
    }
    const op = mapOperands(original, value);
    const effects = effectsOf(op.name);

    if (effects.pure) {
      const c = op.name === 'ptr_eq' || op.name === 'ptr_ne' ? comparePointers(op, factOf) : evaluatePure(op.name, op.args);
      if (c === null) {
        // Common subexpressions: the same pure op on the same operands is the same value.
        const key = pureKey(op);
        const earlier = computed.get(key);
        if (earlier !== undefined) {
          same.set(op.result!, v(earlier.result));
          if (boundary.mayDrop(op.result!, v(earlier.result))) continue;
          keptForLabel.add(op.result!);
        } else computed.set(key, { args: op.args, result: op.result! });
      } else if (foldsTo(op, c)) continue;
      out.push(op);
      continue;
    }
    if (effects.overflow) {
      const guard = mapOperands(ops[index + 1]!, value);
      const folded = evaluateOverflow(op.name, op.args);
      if (folded) {
        const passes = folded.overflow === (guard.name === 'guard_overflow');
        if (passes && foldsTo(op, folded.result)) {
          index += 1;
          continue;
        }
        if (!passes) {
          out.push(op, guard, mkOp('finish', []));
          cutBeforeLabel();
          break;
        }
      }
      out.push(op, guard);
      index += 1;
      continue;
    }
    if (effects.exits) {
      const decision = decide(op, factOf, nonzero);
      if (decision === 'passes') continue;
      out.push(op);
      if (decision === 'fails') {
        out.push(mkOp('finish', []));
        cutBeforeLabel();
        break;
      }
      const [a, b] = op.args;
      switch (op.name) {
        case 'guard_class':
          learn(a!, { shape: { kind: 'object', cls: (op.descr as { cls: string }).cls }, nonzero: true });
          break;
        case 'guard_nonnull':
        case 'guard_true':
          learn(a!, { nonzero: true });
          break;
        case 'guard_isnull':
          learnConstant(a!, NULL);
          break;
        case 'guard_false':
          learnConstant(a!, cint(0));
          break;
        case 'guard_value':
          if (b!.kind !== 'var') learnConstant(a!, b!);
          else if (a!.kind !== 'var') learnConstant(b!, a!);
          break;
      }
      continue;
    }
    if (op.name === 'arraylen') {
      const shape = factOf(op.args[0]!).shape;
      if (shape?.kind === 'array' && shape.length !== null && foldsTo(op, cint(shape.length))) continue;
    }
    out.push(op);
    if (op.name === 'new') learn(v(op.result!), { shape: { kind: 'object', cls: (op.descr as { cls: string }).cls }, nonzero: true });
    if (op.name === 'new_array') {
      const n = op.args[0]!;
      // Stryker disable next-line EqualityOperator: `<=` for `<` cannot change a result: at a length of 0 both give 0n (the line's other mutants fail test/golden/fold/array-lengths.trace)
      learn(v(op.result!), { shape: { kind: 'array', length: n.kind === 'int' ? (n.value < 0n ? 0n : n.value) : null }, nonzero: true });
    }
  }
  return { ...trace, ops: out };
}

/** A pure op's name and operands as a table key. */
function pureKey(op: Op): string {
  let key: string = op.name;
  for (const a of op.args) {
    switch (a.kind) {
      case 'var':
        key += ` ${a.name}`;
        break;
      // Stryker disable next-line ConditionalExpression: emptying the int case cannot change a result: an int then falls into the float case and is spelt ` ~3`, still one spelling per value, and no op takes an int and a float at one operand position (its template emptied fails test/golden/fold/common-subexpressions-of-constants.trace)
      case 'int':
        key += ` #${a.value}`;
        break;
      case 'float':
        // -0.0 and 0.0 are different operands (1/x tells them apart); every NaN is one value.
        // The prefix is no variable's first letter: `f0` is a variable, `~0` the constant 0.0.
        // Stryker disable next-line UnaryOperator,StringLiteral: testing for +0 instead of -0, or writing -0.0 as '' instead of '-0', cannot change a result: the keys of -0.0 and 0.0 stay two different keys, and no other float prints as either (the line's template emptied fails test/golden/fold/common-subexpressions-of-constants.trace)
        key += ` ~${Object.is(a.value, -0) ? '-0' : String(a.value)}`;
        break;
      case 'null':
        // Stryker disable next-line StringLiteral: an empty spelling of null cannot change a result: the only pure ops with ref operands are ptr_eq and ptr_ne, each of two operands, so an empty spelling merges only ptr_eq(x, null) with ptr_eq(null, x) (ptr_ne alike), which are equal (two nulls were decided before)
        key += ' null';
        break;
      case 'prebuilt':
        key += ` @${a.name}`;
        break;
      // Stryker disable next-line ConditionalExpression: never reached: the cases above are every kind an Arg has (src/ir/trace.ts), which the type checker knows (`a` is `never` here)
      default:
        // Stryker disable next-line StringLiteral: never reached, as said above
        throw new Error(`pureKey: an operand of unknown kind ${(a satisfies never as Arg).kind}`);
    }
  }
  return key;
}

/** ptr_eq's value when identity is decided, else null (ptr_ne: its negation). */
function comparePointers(op: Op, factOf: (a: Arg) => Fact): Arg | null {
  const same = sameRef(op.args[0]!, op.args[1]!, factOf);
  if (same === null) return null;
  return cint(same === (op.name === 'ptr_eq') ? 1 : 0);
}

/** Whether two refs are the same object (null counts as one value), when that is known. */
function sameRef(a: Arg, b: Arg, factOf: (a: Arg) => Fact): boolean | null {
  if (sameArg(a, b)) return true;
  // Two prebuilt objects of different names are two objects.
  if (a.kind === 'prebuilt' && b.kind === 'prebuilt') return false;
  const fa = factOf(a);
  const fb = factOf(b);
  if ((a.kind === 'null' && fb.nonzero) || (b.kind === 'null' && fa.nonzero)) return false;
  if (fa.shape && fb.shape && differentShapes(fa.shape, fb.shape)) return false;
  return null;
}

function differentShapes(a: NonNullable<Fact['shape']>, b: NonNullable<Fact['shape']>): boolean {
  if (a.kind !== b.kind) return true;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: the kind tests cannot change a result: here a and b have one kind, and for two arrays `a.cls !== b.cls` compares undefined with undefined, false as the kind tests make it (the line's EqualityOperator and StringLiteral mutants fail test/golden/fold/pointers-floats-lengths.trace or properties/removal.prop.test.ts)
  return a.kind === 'object' && b.kind === 'object' && a.cls !== b.cls;
}

/** A guard's outcome from what is known about its operands. */
export function decideGuard(op: Op, factOf: FactOf, nonzero: (arg: Arg) => boolean): Decision {
  const [a, b] = op.args;
  const known = (holds: boolean): Decision => (holds ? 'passes' : 'fails');
  switch (op.name as OpName) {
    case 'guard_true':
      if (a!.kind === 'int') return known(a!.value !== 0n);
      return nonzero(a!) ? 'passes' : 'unknown';
    case 'guard_false':
      if (a!.kind === 'int') return known(a!.value === 0n);
      return nonzero(a!) ? 'fails' : 'unknown';
    case 'guard_nonnull':
      if (a!.kind === 'null') return 'fails';
      return nonzero(a!) ? 'passes' : 'unknown';
    case 'guard_isnull':
      if (a!.kind === 'null') return 'passes';
      return nonzero(a!) ? 'fails' : 'unknown';
    case 'guard_class': {
      if (a!.kind === 'null') return 'fails';
      const shape = factOf(a!).shape;
      if (!shape) return 'unknown';
      // Stryker disable next-line ConditionalExpression: the kind test made `true` cannot change a result: an array's shape has no class, so the class comparison alone makes guard_class on an array fail (the line's other mutants fail test/optimizer/passes.test.ts, 'decides each guard')
      return known(shape.kind === 'object' && shape.cls === (op.descr as { cls: string }).cls);
    }
    case 'guard_value': {
      if (sameArg(a!, b!)) return 'passes';
      if (a!.kind !== 'var' && b!.kind !== 'var') return 'fails';
      return sameRef(a!, b!, factOf) === false ? 'fails' : 'unknown';
    }
    default:
      return 'unknown';
  }
}
