/**
 * intbounds: integer ranges, and the overflow checks and guards they decide (PyPy's intbounds).
 *
 * One forward pass that keeps, for int variables, an interval [lo, hi] within the int64 range
 * that holds on every run reaching the point where it is read:
 *  - from the op that defines the variable: a constant operand is its own interval; `int_add`,
 *    `int_sub`, `int_mul` and their `*_ovf` forms give the exact interval of their operands'
 *    when it stays within int64 (no run wraps), else the whole range; `int_and` with
 *    an operand known >= 0 lies in [0, that operand's hi]; `int_mod` by a positive divisor in
 *    [0, divisor - 1] (Python's sign of the divisor), `int_rshift` by a constant shifts both ends,
 *    `int_neg` mirrors them; a comparison is 0 or 1; `arraylen` is >= 0. Any other op (and an op
 *    added to the table) gives the whole range: nothing is claimed about it.
 *  - from the guards that stay: `guard_true`/`guard_false` of a comparison narrow both
 *    operands (after `guard_true(int_lt(a, b))`, a <= hi(b) - 1 and b >= lo(a) + 1);
 *    `guard_value(x, c)` makes x c; `guard_true(x)` of a plain int excludes 0 at an end of its
 *    interval, `guard_false(x)` makes it 0. Straight-line SSA: a fact learned at a guard holds at
 *    every later op, and a variable's interval only narrows.
 *
 * What it decides:
 *  - an `*_ovf` op whose exact interval lies within int64 cannot overflow: it becomes the plain
 *    op (same result, same value: the wrapped and the exact result agree) and the
 *    `guard_no_overflow` after it goes (the loop counter `i - 1` after `i > 0`, `i + 1` after
 *    `i < n`);
 *  - an `*_ovf` op made plain that repeats a plain op before it (same name and operands, since the
 *    last label) is that op's value: later ops read the earlier result, and the copy goes;
 *  - a `guard_true`, `guard_false` or `guard_value` whose condition the intervals decide to hold
 *    goes. One they decide to fail stays, and the trace ends after it with `finish()`, as fold
 *    ends it after a guard it decides to fail: every run that reaches the guard leaves there.
 *  - when it changed anything, every op then unused goes, as dce would remove it (the
 *    comparison a removed guard read, an overflow-checked op made plain whose result only fed its
 *    own check, and what only those read), so that optimizing the result again changes nothing.
 *
 * Loops: at a label everything known is forgotten, and the body's intervals come from the body
 * alone. The label's arguments are rebound by the back-edge, so what the preamble knew of them
 * does not hold in a later iteration. What it knew of other values (and of arguments the jump
 * passes back unchanged) would stay true, but carrying it needs an inductive argument at the
 * loop head that the translation validator does not make for intervals (its loop relation has
 * no interval candidates), so the pass claims nothing it could not have proved. The loops the
 * JIT records test their counters in the body, which is where this pass finds its facts.
 *
 * Why its own pass, after dce: it needs no heap or class knowledge, only the int ops that
 * survive the other passes, which dce has already removed the dead ones of. It adds no op, and
 * the only ops it rewrites keep their result name, so names stay as the passes before left them.
 *
 * Pre:  the trace validates.
 * Post: the trace validates; every op is an input op (its operands and exit perhaps renamed to an
 *       equal earlier result), an `*_ovf` op turned into its plain op, or the `finish()` after a
 *       guard decided to fail; no guard was added; on every run without undefined behaviour it
 *       has the input's outcome.
 *
 * Before:                                  After:
 *   [i0, i1]                                 [i0, i1]
 *   label(i0, i1)                            label(i0, i1)
 *   i2 = int_gt(i0, 0)                       i2 = int_gt(i0, 0)
 *   guard_true(i2) [i0, i1]                  guard_true(i2) [i0, i1]
 *   i3 = int_sub_ovf(i0, 1)                  i3 = int_sub(i0, 1)
 *   guard_no_overflow() [i0, i1]             i4 = int_add_ovf(i1, i0)
 *   i4 = int_add_ovf(i1, i0)                 guard_no_overflow(id=2) [i0, i1]
 *   guard_no_overflow() [i0, i1]             jump(i3, i4)
 *   i5 = int_ge(i3, 0)
 *   guard_true(i5) [i0, i1]
 *   jump(i3, i4)
 *
 * Proof notes: proofs-notes/intbounds.md.
 */
import { type Arg, type ExitValue, isRemovableWhenUnused, mkOp, type Op, type OpName, type Trace } from '../ir/index.ts';
import { I64_MAX, I64_MIN } from './evaluate.ts';

/** A closed interval of int64 values, lo <= hi. */
export interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

const FULL: Interval = { lo: I64_MIN, hi: I64_MAX };
const BOOLEAN: Interval = { lo: 0n, hi: 1n };

// Stryker disable next-line EqualityOperator: `<=` for `<` picks the other of two equal values
const min = (a: bigint, b: bigint): bigint => (b < a ? b : a);
// Stryker disable next-line EqualityOperator: `>=` for `>` picks the other of two equal values
const max = (a: bigint, b: bigint): bigint => (b > a ? b : a);

/** The interval [lo, hi] when no run can leave int64 there, else null (some run may wrap). */
function exact(lo: bigint, hi: bigint): Interval | null {
  return lo >= I64_MIN && hi <= I64_MAX ? { lo, hi } : null;
}

/** The exact interval of `a op b` over all a in x and b in y, for add, sub and mul. */
function arithmetic(kind: 'add' | 'sub' | 'mul', x: Interval, y: Interval): { lo: bigint; hi: bigint } {
  if (kind === 'add') return { lo: x.lo + y.lo, hi: x.hi + y.hi };
  if (kind === 'sub') return { lo: x.lo - y.hi, hi: x.hi - y.lo };
  const corners = [x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi];
  return { lo: corners.reduce(min), hi: corners.reduce(max) };
}

const ARITHMETIC: Partial<Record<OpName, { kind: 'add' | 'sub' | 'mul'; overflowChecked: boolean; plain: OpName }>> = {
  int_add: { kind: 'add', overflowChecked: false, plain: 'int_add' },
  int_sub: { kind: 'sub', overflowChecked: false, plain: 'int_sub' },
  int_mul: { kind: 'mul', overflowChecked: false, plain: 'int_mul' },
  int_add_ovf: { kind: 'add', overflowChecked: true, plain: 'int_add' },
  int_sub_ovf: { kind: 'sub', overflowChecked: true, plain: 'int_sub' },
  int_mul_ovf: { kind: 'mul', overflowChecked: true, plain: 'int_mul' },
};

/** `op` with every variable `rename` maps replaced, in its operands and its exit. */
function renamed(op: Op, rename: ReadonlyMap<string, Arg>): Op {
  const sub = <T extends ExitValue>(x: T): T => (x.kind === 'var' ? ((rename.get(x.name) as T | undefined) ?? x) : x);
  const exit =
    op.exit === null
      ? null
      : {
          ...op.exit,
          values: op.exit.values.map(sub),
          virtuals: op.exit.virtuals.map((d) => (d.kind === 'object' ? { ...d, fields: d.fields.map((f) => ({ ...f, value: sub(f.value) })) } : { ...d, items: d.items.map(sub) })),
        };
  return { ...op, args: op.args.map(sub), exit };
}

/**
 * An int `guard_value`'s other operand and the constant it is compared with (either operand may
 * be the constant; both operands have one type), or null: two variables, or a float or ref
 * guard_value.
 */
function valueGuard(op: Op): { x: Arg; c: bigint } | null {
  const [a, b] = op.args as [Arg, Arg];
  if (b.kind === 'int') return { x: a, c: b.value };
  if (a.kind === 'int') return { x: b, c: a.value };
  return null;
}

/** An arithmetic op's name and operands, as a key. */
function plainKey(name: OpName, args: readonly Arg[]): string {
  return `${name}(${args.map((x) => (x.kind === 'var' ? x.name : x.kind === 'int' ? `${x.value}` : x.kind)).join(',')})`;
}

/** The int comparisons, as `a < b` or `a <= b` with the operands in that order (swapped for > and >=). */
const COMPARISONS: Partial<Record<OpName, { strict: boolean; swap: boolean } | 'eq' | 'ne'>> = {
  int_lt: { strict: true, swap: false },
  int_le: { strict: false, swap: false },
  int_gt: { strict: true, swap: true },
  int_ge: { strict: false, swap: true },
  int_eq: 'eq',
  int_ne: 'ne',
};

/** Ops whose result is 0 or 1 whatever their operands (the comparisons of every type). */
const ZERO_OR_ONE: ReadonlySet<OpName> = new Set<OpName>([
  'int_lt', 'int_le', 'int_gt', 'int_ge', 'int_eq', 'int_ne',
  'float_lt', 'float_le', 'float_gt', 'float_ge', 'float_eq', 'float_ne',
  'ptr_eq', 'ptr_ne',
]);

/**
 * How the pass treats what it knows, as data: the rules below are the pass's; tests build
 * deliberately broken variants from other values (test/broken-optimizers/).
 */
export interface IntboundsRules {
  /** Forget every interval at a label (the back-edge rebinds the label's arguments). */
  readonly forgetAtLabel: boolean;
  /** The least b - a that a passing `a < b` (strict) or `a <= b` guarantees. */
  readonly gap: (strict: boolean) => bigint;
}

/** The end a trace gets after a guard that always fails (fold's cut). */
const FINISH: Op = mkOp('finish', []);

export const INTBOUNDS_RULES: IntboundsRules = { forgetAtLabel: true, gap: (strict) => (strict ? 1n : 0n) };

export function intbounds(trace: Trace): Trace {
  const ops = intboundsOps(trace.ops);
  return ops === trace.ops ? trace : { ...trace, ops };
}

/** intbounds on a trace's ops: the same array when nothing changes (the chained driver's last step). */
export function intboundsOps(ops: readonly Op[], rules: IntboundsRules = INTBOUNDS_RULES): readonly Op[] {
  const known = new Map<string, Interval>();
  /** Variable -> the int comparison defining it (what a guard on it reads). */
  const definition = new Map<string, Op>();

  // Stryker disable next-line ConditionalExpression: `true` for the var test cannot change a result: `of` is asked only of int operands (the validator types them), which are variables or int constants
  const of = (arg: Arg): Interval => (arg.kind === 'int' ? { lo: arg.value, hi: arg.value } : arg.kind === 'var' ? (known.get(arg.name) ?? FULL) : FULL);
  /** Narrows a variable's interval to its meet with [lo, hi] (a constant is what it is). */
  const narrow = (arg: Arg, lo: bigint, hi: bigint) => {
    // Stryker disable next-line ConditionalExpression: `false` only files a constant's interval under no name (undefined), which no lookup uses
    if (arg.kind !== 'var') return;
    const now = of(arg);
    const next = { lo: max(lo, now.lo), hi: min(hi, now.hi) };
    // An empty meet: no run reaches here (a guard before always fails); keep what was known.
    // Stryker disable next-line ConditionalExpression: `true` only files an empty interval where no run goes, so whatever it decides is never run
    if (next.lo <= next.hi) known.set(arg.name, next);
  };

  /** Whether the comparison `a <op> b` holds on every run, by the intervals of a and b. */
  const comparisonHolds = (op: Op, positive: boolean): boolean => {
    // `definition` holds only comparisons.
    const shape = COMPARISONS[op.name]!;
    const [x, y] = [of(op.args[0]!), of(op.args[1]!)];
    if (shape === 'eq' || shape === 'ne') {
      const equal = x.lo === x.hi && y.lo === y.hi && x.lo === y.lo;
      const disjoint = x.hi < y.lo || y.hi < x.lo;
      return (shape === 'eq') === positive ? equal : disjoint;
    }
    const [a, b] = shape.swap ? [y, x] : [x, y];
    // a < b (strict) or a <= b; its negation is b <= a, or b < a.
    if (positive) return shape.strict ? a.hi < b.lo : a.hi <= b.lo;
    return shape.strict ? b.hi <= a.lo : b.hi < a.lo;
  };

  /** What a passing guard of comparison `op` (taken as `positive`) teaches about its operands. */
  const learnComparison = (op: Op, positive: boolean) => {
    const shape = COMPARISONS[op.name]!;
    const [p, q] = op.args as [Arg, Arg];
    if (shape === 'eq' || shape === 'ne') {
      if ((shape === 'eq') === positive) {
        const meet = { lo: max(of(p).lo, of(q).lo), hi: min(of(p).hi, of(q).hi) };
        narrow(p, meet.lo, meet.hi);
        narrow(q, meet.lo, meet.hi);
      } else {
        excludeAtEnd(p, of(q));
        excludeAtEnd(q, of(p));
      }
      return;
    }
    // Now a < b (strict) or a <= b holds, with a and b the operands in `<` order.
    let [a, b] = shape.swap ? [q, p] : [p, q];
    let strict = shape.strict;
    if (!positive) {
      [a, b] = [b, a];
      strict = !strict;
    }
    const gap = rules.gap(strict);
    narrow(a, I64_MIN, of(b).hi - gap);
    narrow(b, of(a).lo + gap, I64_MAX);
  };

  /** After `x != c` for a constant interval c: an end of x's interval equal to c moves in by one. */
  const excludeAtEnd = (x: Arg, c: Interval) => {
    if (c.lo !== c.hi) return;
    const now = of(x);
    if (now.lo === c.lo) narrow(x, now.lo + 1n, I64_MAX);
    else if (now.hi === c.lo) narrow(x, I64_MIN, now.hi - 1n);
  };

  /** The interval of the result of `op`, from its operands' (the whole range for an op not known here). */
  const resultInterval = (op: Op): Interval => {
    const arithmeticOp = ARITHMETIC[op.name];
    if (arithmeticOp !== undefined) {
      // Past a guard_no_overflow the result is also within e clipped to int64, but the
      // translation validator would have to find that guard to agree: not claimed.
      const e = arithmetic(arithmeticOp.kind, of(op.args[0]!), of(op.args[1]!));
      return exact(e.lo, e.hi) ?? FULL;
    }
    if (ZERO_OR_ONE.has(op.name)) return BOOLEAN;
    const [x, y] = [op.args[0], op.args[1]];
    switch (op.name) {
      case 'arraylen':
        return { lo: 0n, hi: I64_MAX };
      case 'int_and': {
        const [a, b] = [of(x!), of(y!)];
        // No bit the non-negative operand lacks: at most its upper end (the smaller, if both).
        if (a.lo < 0n && b.lo < 0n) return FULL;
        return { lo: 0n, hi: min(a.lo >= 0n ? a.hi : I64_MAX, b.lo >= 0n ? b.hi : I64_MAX) };
      }
      case 'int_mod': {
        const b = of(y!);
        // Stryker disable next-line EqualityOperator: `>=` lets in a divisor of 0, whose result (0) lies in [0, hi - 1] already
        if (b.lo > 0n) return { lo: 0n, hi: b.hi - 1n };
        // Stryker disable next-line EqualityOperator: `<=` lets in a divisor of 0, whose result (0) lies in [lo + 1, 0] already
        if (b.hi < 0n) return { lo: b.lo + 1n, hi: 0n };
        return FULL;
      }
      case 'int_rshift': {
        if (y!.kind !== 'int') return FULL;
        const shift = y!.value & 63n;
        const a = of(x!);
        return { lo: a.lo >> shift, hi: a.hi >> shift };
      }
      case 'int_neg': {
        const a = of(x!);
        return a.lo > I64_MIN ? { lo: -a.hi, hi: -a.lo } : FULL;
      }
    }
    return FULL;
  };

  const out: Op[] = [];
  let changed = false;
  /**
   * The plain arithmetic ops met so far, by name and operands, and their results. A check made
   * plain that repeats one is that value: its result is renamed to the earlier one rather than
   * computed again (the chain's common subexpressions would remove the copy in a second round,
   * and the pipeline would not be at its fixpoint).
   */
  const plainComputed = new Map<string, Arg>();
  /** Results replaced by an equal earlier one (a check made plain that repeats a plain op). */
  const rename = new Map<string, Arg>();
  for (let k = 0; k < ops.length; k++) {
    const op = rename.size === 0 ? ops[k]! : renamed(ops[k]!, rename);
    const next = ops[k + 1];
    if (op.name === 'label' && rules.forgetAtLabel) {
      // The back-edge rebinds the label's arguments: even which op defines one changes.
      known.clear();
      definition.clear();
      // A label argument keeps its name in the body but not its value: no op before is one after.
      plainComputed.clear();
      out.push(op);
      continue;
    }
    const arithmeticOp = ARITHMETIC[op.name];
    // (An overflow-checked op is never last: a trace ends in jump or finish.)
    if (arithmeticOp?.overflowChecked && next!.name === 'guard_no_overflow') {
      const e = arithmetic(arithmeticOp.kind, of(op.args[0]!), of(op.args[1]!));
      const cannotOverflow = exact(e.lo, e.hi) !== null;
      const earlier = plainComputed.get(plainKey(arithmeticOp.plain, op.args));
      if (cannotOverflow && earlier !== undefined) {
        // The same value as that earlier plain op: every later use reads that one.
        rename.set(op.result!, earlier);
        changed = true;
        k += 1;
        continue;
      }
      if (cannotOverflow) {
        // Cannot overflow: the plain op computes the same value, and the guard always passes.
        out.push({ ...op, name: arithmeticOp.plain });
        known.set(op.result!, { lo: e.lo, hi: e.hi });
        plainComputed.set(plainKey(arithmeticOp.plain, op.args), { kind: 'var', name: op.result! });
        changed = true;
        k += 1;
        continue;
      }
    }
    if (op.name === 'guard_true' || op.name === 'guard_false' || op.name === 'guard_value') {
      if (guardDecided(op, true)) {
        changed = true;
        continue;
      }
      if (guardDecided(op, false)) {
        // Every run that reaches it leaves here: what follows never runs (fold's cut).
        out.push(op, FINISH);
        changed = true;
        break;
      }
      learnGuard(op);
      out.push(op);
      continue;
    }
    if (arithmeticOp !== undefined && !arithmeticOp.overflowChecked) plainComputed.set(plainKey(op.name, op.args), { kind: 'var', name: op.result! });
    // Stryker disable next-line ConditionalExpression: `true` files what an op without a result gives (nothing: no comparison, the whole range) under null, which no lookup uses
    if (op.result !== null) {
      if (COMPARISONS[op.name] !== undefined) definition.set(op.result, op);
      const interval = resultInterval(op);
      // Stryker disable next-line ConditionalExpression: `true` files the whole range, which is what an absent entry reads as
      if (interval !== FULL) known.set(op.result, interval);
    }
    out.push(op);
  }
  return changed ? withoutUnused(out) : ops;

  /**
   * Whether the intervals decide `op`'s condition: to hold on every run that reaches it
   * (`holds` true: the guard never exits), or to fail on every one (`holds` false: it always exits).
   */
  function guardDecided(op: Op, holds: boolean): boolean {
    const a = op.args[0]!;
    if (op.name === 'guard_value') {
      const v = valueGuard(op);
      if (v === null) return false;
      const x = of(v.x);
      return holds ? x.lo === v.c && x.hi === v.c : v.c < x.lo || v.c > x.hi;
    }
    // The value the guard's operand is decided to have: a nonzero (true) or a zero (false) one.
    const nonzero = (op.name === 'guard_true') === holds;
    // Stryker disable next-line ConditionalExpression: `true` looks a constant up under no name (undefined), and finds nothing
    const compare = a.kind === 'var' ? definition.get(a.name) : undefined;
    if (compare !== undefined) return comparisonHolds(compare, nonzero);
    const x = of(a);
    return nonzero ? x.lo > 0n || x.hi < 0n : x.lo === 0n && x.hi === 0n;
  }

  function learnGuard(op: Op): void {
    const a = op.args[0]!;
    if (op.name === 'guard_value') {
      const v = valueGuard(op);
      if (v !== null) narrow(v.x, v.c, v.c);
      return;
    }
    const positive = op.name === 'guard_true';
    // Stryker disable next-line ConditionalExpression: `true` looks a constant up under no name (undefined), and finds nothing
    const compare = a.kind === 'var' ? definition.get(a.name) : undefined;
    if (compare !== undefined) learnComparison(compare, positive);
    if (positive) excludeAtEnd(a, { lo: 0n, hi: 0n });
    else narrow(a, 0n, 0n);
  }
}

/**
 * `ops` without the ops the removed guards left unused: the comparisons they read, the ops only
 * those read, and an `*_ovf` op made plain whose result nothing reads. One backward sweep (every
 * use of a value comes after its definition, so a definition is reached after all its readers
 * are decided), removing only what the op table says may go when unused, as dce does.
 */
function withoutUnused(ops: readonly Op[]): Op[] {
  const uses = new Map<string, number>();
  const count = (delta: number) => (x: ExitValue) => {
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: `true` counts constants under no name (undefined), which no op defines; `-` counts every use negatively and every drop back up, and only whether a count is 0 is asked
    if (x.kind === 'var') uses.set(x.name, (uses.get(x.name) ?? 0) + delta);
  };
  const eachRead = (op: Op, visit: (x: ExitValue) => void) => {
    op.args.forEach(visit);
    if (op.exit === null) return;
    op.exit.values.forEach(visit);
    for (const v of op.exit.virtuals) {
      if (v.kind === 'object') v.fields.forEach((f) => visit(f.value));
      else v.items.forEach(visit);
    }
  };
  const add = count(1);
  for (const op of ops) eachRead(op, add);
  const drop = count(-1);
  const kept: Op[] = [];
  for (let k = ops.length - 1; k >= 0; k--) {
    const op = ops[k]!;
    // Stryker disable next-line ConditionalExpression: `true` for the result test asks the op table of an op without a result, none of which may go when unused (guards, writes, escape, label, jump, finish)
    if (op.result !== null && !uses.get(op.result) && isRemovableWhenUnused(op.name)) eachRead(op, drop);
    else kept.push(op);
  }
  return kept.reverse();
}
