/**
 * Path conditions: what holds on the path being compared, from the guards both traces passed
 * and the preconditions the input trace's ops impose (a run of the input that breaks one is
 * undefined behaviour, for which nothing is claimed).
 *
 * Invariant: every fact added is implied by the path condition; `norm` rewrites a term only
 * with equalities the facts imply; `holds` answers true/false only when the facts imply it, and
 * null otherwise (never a guess). A contradiction marks the path infeasible: every claim on it
 * holds vacuously.
 *
 * Kept deliberately simple (a syntactic decision procedure): equalities with constants and
 * between terms (substitution), "not zero", per ref: null or not, exact class or array, and per
 * int term an interval from the comparisons on the path (`a < b` bounds a above by b's upper
 * bound less one, and b below), which decides comparisons and overflow flags of terms one step
 * away (a constant, a term with an interval, or an add, sub, mul, and, mod of those). What it
 * cannot decide the caller reports as unknown, or hands to the solver.
 */
import type { SmtOracle } from './smt.ts';
import { isBoolean, type Term, type Terms } from './terms.ts';

/** A condition: `term` is nonzero (positive) or zero (negative). */
export interface Cond {
  readonly term: Term;
  readonly positive: boolean;
}

interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const FULL: Interval = { lo: MIN, hi: MAX };

/** The exact (unwrapped) interval of `a op b` over a in x and b in y. */
function exactInterval(kind: 'add' | 'sub' | 'mul', x: Interval, y: Interval): Interval {
  if (kind === 'add') return { lo: x.lo + y.lo, hi: x.hi + y.hi };
  if (kind === 'sub') return { lo: x.lo - y.hi, hi: x.hi - y.lo };
  const corners = [x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi];
  let lo = corners[0]!;
  let hi = corners[0]!;
  for (const c of corners) {
    // Stryker disable next-line EqualityOperator: `<=` picks the other of two equal values
    if (c < lo) lo = c;
    // Stryker disable next-line EqualityOperator: `>=` picks the other of two equal values
    if (c > hi) hi = c;
  }
  return { lo, hi };
}

interface RefFact {
  null?: boolean;
  /** Exact class name, or `[]elem` for an array. */
  cls?: string;
  /** An array of unknown element type. */
  array?: boolean;
}

export class Facts {
  private subst = new Map<number, Term>();
  private nonzero = new Set<number>();
  private refs = new Map<number, RefFact>();
  private cache = new Map<number, Term>();
  /** Int term id -> the interval the path condition implies for it (normal terms only). */
  private bounds = new Map<number, Interval>();
  /** Term x's id -> the terms x + c with an interval, and their c (arrays replaced, never changed). */
  private offsets = new Map<number, readonly { readonly c: bigint; readonly id: number }[]>();
  contradiction = false;
  /** Every condition added, as given: what the solver is told. */
  private conds: Cond[] = [];

  constructor(
    readonly terms: Terms,
    /** The SMT fallback, when the caller runs one (smt.ts). */
    readonly smt: SmtOracle | null = null,
  ) {}

  get path(): readonly Cond[] {
    return this.conds;
  }

  /** `holds`, then, for what it leaves undecided, the solver: true only when one proves it. */
  implies(c: Cond): boolean {
    const h = this.holds(c);
    if (h !== null) return h;
    return this.smt?.ask(this.conds, { kind: 'holds', cond: c }) === true;
  }

  clone(): Facts {
    const f = new Facts(this.terms, this.smt);
    f.conds = [...this.conds];
    f.subst = new Map(this.subst);
    f.nonzero = new Set(this.nonzero);
    // `ref` replaces a fact rather than changing it, so the two may share them.
    f.refs = new Map(this.refs);
    f.cache = new Map(this.cache);
    f.bounds = new Map(this.bounds);
    f.offsets = new Map(this.offsets);
    f.contradiction = this.contradiction;
    return f;
  }

  /** `t` rewritten with the known equalities and ref facts, refolded (no recursion on depth). */
  norm(t0: Term): Term {
    const T = this.terms;
    const root = T.canon(t0);
    // Stryker disable next-line ConditionalExpression: a shortcut only: a constant (negative id) has no args, no ref fact and no substitution (equate and add never rewrite a constant), so the loop below returns it unchanged
    if (root.id < 0) return root;
    const done = this.cache.get(root.id);
    // Stryker disable next-line ConditionalExpression: a shortcut only: with root cached the loop below pops it at once and returns the same cached term
    if (done) return done;
    const stack: Term[] = [root];
    const following = new Set<number>();
    while (stack.length > 0) {
      const t = stack[stack.length - 1]!;
      // Stryker disable next-line ConditionalExpression,BlockStatement: a term already done would only be done again from the same cached args and facts, to the same result
      if (this.cache.has(t.id)) {
        stack.pop();
        continue;
      }
      // Stryker disable next-line ConditionalExpression: `true` only queues constants too, which normalize to themselves (see the shortcut above); their args are read as themselves below either way
      const pending = t.args.filter((a) => T.canon(a).id >= 0 && !this.cache.has(T.canon(a).id));
      if (pending.length > 0) {
        for (const a of pending) stack.push(T.canon(a));
        continue;
      }
      const args = t.args.map((a) => (T.canon(a).id < 0 ? T.canon(a) : this.cache.get(T.canon(a).id)!));
      // Stryker disable next-line ArrowFunction,ConditionalExpression: a shortcut only: rebuilding a term from its own arguments gives the term itself (Terms hash-conses, and what Terms.op or Terms.atom built is already folded and ordered, so they leave it as it is); a term without arguments skips the rebuild either way (`every` of none is true)
      let r = args.every((a, k) => a === t.args[k]) ? t : this.rebuild(t, args);
      r = this.refine(T.canon(r));
      const s = this.subst.get(r.id);
      if (s) {
        // The target was normal when the equality was recorded, but a later one may rewrite it
        // in turn (i2 = i1, then i1 = i0): it is normalized too. Once per call: the rewriting
        // may lead back here (i0 + 5 = (i1 + 5) & 3, then i1 = i0 makes i1 + 5 a term that
        // holds i1 + 5), and the target as it stands is an equal term.
        if (!following.has(s.id)) {
          following.add(s.id);
          stack.push(s);
          continue;
        }
        r = this.cache.get(s.id) ?? s;
      }
      stack.pop();
      this.cache.set(t.id, r);
    }
    return this.cache.get(root.id) ?? root;
  }

  private rebuild(t: Term, args: Term[]): Term {
    const T = this.terms;
    switch (t.op) {
      case 'is_class':
      case 'is_array':
      case 'in_bounds':
      case 'size_ok':
        return T.atom(t.op, args, t.name!);
      case 'init':
      case 'init_item':
      case 'init_len':
      // Stryker disable next-line StringLiteral: a sym has no args, so it is never rebuilt
      case 'sym':
      // Stryker disable next-line StringLiteral: an alloc has no args, so it is never rebuilt
      case 'alloc':
        return T.make(t.op, t.sort, args, t.name);
      default:
        return T.op(t.op, args);
    }
  }

  /** What the ref facts decide about an atom. */
  private refine(t: Term): Term {
    const T = this.terms;
    if (t.op === 'is_class' || t.op === 'is_array') {
      const f = this.refs.get(t.args[0]!.id);
      if (!f) return t;
      if (f.null === true) return T.int(0n);
      if (t.op === 'is_class') {
        if (f.cls !== undefined) return T.bool(f.cls === t.name);
        if (f.array) return T.int(0n);
      } else if (f.cls !== undefined) {
        return T.bool(f.cls.startsWith('[]') && (t.name === '*' || f.cls === `[]${t.name}`));
      }
      // What else decides the atom is its own substitution (`add` sets it with the ref fact):
      // a failed guard_class, an `is_array(p, *)` that `array` records.
      return t;
    }
    // A ptr_eq term is always ptr_eq(null, p): Terms.op decides whether two other refs are one
    // by case split. A class or an array comes with `null: false` (`add`), so `null` decides.
    if (t.op === 'ptr_eq') {
      const f = this.refs.get(t.args[1]!.id);
      if (f?.null !== undefined) return T.bool(f.null);
    }
    return t;
  }

  /** true / false when the facts decide `c`, else null. */
  holds(c: Cond): boolean | null {
    let t = this.norm(c.term);
    let positive = c.positive;
    while (t.op === 'not') {
      t = t.args[0]!;
      positive = !positive;
    }
    // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut only: a constant is in no `nonzero` set, and decideByBounds reads its value as its interval, to the same answer
    if (t.op === 'int') return (t.value !== 0n) === positive;
    if (this.nonzero.has(t.id)) return positive;
    const value = this.decideByBounds(t);
    return value === null ? null : value === positive;
  }

  /**
   * Whether an int term is nonzero (true) or zero (false) by intervals, or null: `int_lt` and
   * `int_eq` by their arguments', an overflow flag by the exact result's (0 when it fits in
   * int64), any other int term by its own.
   */
  private decideByBounds(t: Term): boolean | null {
    if (t.op === 'int_lt') {
      const [a, b] = [this.intervalOf(t.args[0]!), this.intervalOf(t.args[1]!)];
      if (a.hi < b.lo) return true;
      if (a.lo >= b.hi) return false;
      return null;
    }
    if (t.op === 'ovf_add' || t.op === 'ovf_sub' || t.op === 'ovf_mul') {
      const e = exactInterval(t.op.slice(4) as 'add' | 'sub' | 'mul', this.intervalOf(t.args[0]!), this.intervalOf(t.args[1]!));
      return e.lo >= MIN && e.hi <= MAX ? false : null;
    }
    if (t.op === 'int_eq') {
      const [a, b] = [this.intervalOf(t.args[0]!), this.intervalOf(t.args[1]!)];
      if (a.lo === a.hi && b.lo === b.hi && a.lo === b.lo) return true;
      if (a.hi < b.lo || b.hi < a.lo) return false;
      return null;
    }
    // Stryker disable next-line ConditionalExpression: a shortcut only: a term of another sort has no interval (only int_lt's operands are narrowed), so the lines below find the full range and answer null
    if (t.sort !== 'int') return null;
    // A plain int as a condition: nonzero when its interval leaves 0 out.
    const x = this.intervalOf(t);
    if (x.lo > 0n || x.hi < 0n) return true;
    if (x.lo === 0n && x.hi === 0n) return false;
    return null;
  }

  /**
   * The interval of a normal int term: a constant's value, and the meet of what a comparison
   * recorded with what one step from those gives (never deeper: no recursion on the term's
   * depth): the exact interval of an add, sub or mul when no value in it wraps, x + c from an
   * interval of x + c', an `and` with an operand >= 0, a `mod` by a divisor > 0, an unknown
   * array's length >= 0, a comparison's 0 or 1. It builds no term (term ids follow build order,
   * which reruns rely on).
   */
  private intervalOf(t: Term): Interval {
    const leaf = (x: Term): Interval => (x.op === 'int' ? { lo: x.value as bigint, hi: x.value as bigint } : (this.bounds.get(x.id) ?? FULL));
    // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut only: a constant's one-step interval is the full range (no rule below matches one), and its meet with the constant's own is the constant's
    if (t.op === 'int') return leaf(t);
    const derived = this.derivedInterval(t, leaf);
    const stored = leaf(t);
    // Stryker disable next-line EqualityOperator: `>=` and `<=` pick the other of two equal ends
    const meet = { lo: stored.lo > derived.lo ? stored.lo : derived.lo, hi: stored.hi < derived.hi ? stored.hi : derived.hi };
    // An empty meet is a path the facts did not find infeasible (narrowing an argument does not
    // revisit the terms built on it): every answer holds there, and the stored interval keeps
    // lo <= hi for the rules that read it.
    // Stryker disable next-line ConditionalExpression: `true` returns the empty meet, on an infeasible path only, where any answer is sound
    return meet.lo <= meet.hi ? meet : stored;
  }

  /** The interval of `t` one step from the intervals of its arguments (`leaf`). */
  private derivedInterval(t: Term, leaf: (x: Term) => Interval): Interval {
    const [a, b] = t.args;
    switch (t.op) {
      case 'init_len':
        return { lo: 0n, hi: MAX };
      case 'int_add':
      case 'int_sub':
      case 'int_mul': {
        const kind = t.op.slice(4) as 'add' | 'sub' | 'mul';
        const e = exactInterval(kind, leaf(a!), leaf(b!));
        let best = e.lo >= MIN && e.hi <= MAX ? e : FULL;
        // x + c from another x + c' with an interval: the difference c - c' added without a wrap.
        if (kind === 'add' && b!.op === 'int') {
          for (const other of this.offsets.get(a!.id) ?? []) {
            // narrow files an offset only after giving its term an interval.
            const s = this.bounds.get(other.id)!;
            const d = (b!.value as bigint) - other.c;
            if (s.lo + d < MIN || s.hi + d > MAX) continue;
            // Stryker disable next-line EqualityOperator: `>=` and `<=` pick the other of two equal ends
            best = { lo: best.lo > s.lo + d ? best.lo : s.lo + d, hi: best.hi < s.hi + d ? best.hi : s.hi + d };
          }
          // Empty: two sums of x disagree, so the path is infeasible (as for an empty meet above).
          // Stryker disable next-line ConditionalExpression: `false` returns the empty interval, on an infeasible path only, where any answer is sound
          if (best.lo > best.hi) return FULL;
        }
        return best;
      }
      case 'int_and': {
        const [x, y] = [leaf(a!), leaf(b!)];
        // Stryker disable next-line EqualityOperator: `x.hi <= y.hi` picks the other of two equal ends
        if (x.lo >= 0n && y.lo >= 0n) return { lo: 0n, hi: x.hi < y.hi ? x.hi : y.hi };
        if (x.lo >= 0n || y.lo >= 0n) return { lo: 0n, hi: x.lo >= 0n ? x.hi : y.hi };
        return FULL;
      }
      case 'int_mod': {
        const y = leaf(b!);
        return y.lo > 0n ? { lo: 0n, hi: y.hi - 1n } : FULL;
      }
      default:
        // A comparison, a negation, a class or bounds test: 0 or 1.
        return isBoolean(t) ? { lo: 0n, hi: 1n } : FULL;
    }
  }

  /**
   * Narrows the interval of a normal int term; an empty one is a contradiction. A constant's is
   * fixed, and its side of a comparison needs no check: `order` narrows the other operand with the
   * same bound (c <= hi(b) - gap just when b's new low end c + gap is at most hi(b), and the mirror
   * case), so an empty interval shows there. Two constants are never compared: Terms folds that.
   */
  private narrow(t: Term, lo: bigint, hi: bigint): void {
    // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: a constant falls through to the same answer: its interval is its value, an empty meet the contradiction the other operand's narrowing finds too, and an interval filed under a constant's id is never read (leaf reads a constant's value)
    if (t.op === 'int') return;
    const now = this.intervalOf(t);
    // Stryker disable next-line EqualityOperator: `>=` and `<=` pick the other of two equal ends
    const next = { lo: lo > now.lo ? lo : now.lo, hi: hi < now.hi ? hi : now.hi };
    if (next.lo > next.hi) {
      this.contradiction = true;
      return;
    }
    this.bounds.set(t.id, next);
    // x + c (constant chains fold to one such term, and x is no constant: Terms folds c + c'):
    // remembered under x, for the other x + c'.
    const [x, c] = t.args;
    if (t.op === 'int_add' && c!.op === 'int') {
      const known = this.offsets.get(x!.id) ?? [];
      // Stryker disable next-line ConditionalExpression,ArrowFunction: the check only keeps the list from growing at each narrowing of one term: an offset filed twice gives the same meet twice
      if (!known.some((o) => o.id === t.id)) this.offsets.set(x!.id, [...known, { c: c!.value as bigint, id: t.id }]);
    }
  }

  /** `a < b` (strict) or `a <= b` holds: a below b's upper bound, b above a's lower bound. */
  private order(a: Term, b: Term, strict: boolean): void {
    const gap = strict ? 1n : 0n;
    this.narrow(a, MIN, this.intervalOf(b).hi - gap);
    this.narrow(b, this.intervalOf(a).lo + gap, MAX);
  }

  add(c: Cond): void {
    // Stryker disable next-line ConditionalExpression: a shortcut only: once set, nothing clears the contradiction, and no caller reads the facts of an infeasible path (match stops at it, and takes a failure path's clone only without one; concretize keeps only a clone without one)
    if (this.contradiction) return;
    this.conds.push(c);
    const T = this.terms;
    let t = this.norm(c.term);
    let positive = c.positive;
    while (t.op === 'not') {
      t = t.args[0]!;
      positive = !positive;
    }
    if (t.op === 'int') {
      if ((t.value !== 0n) !== positive) this.contradiction = true;
      return;
    }
    if (this.nonzero.has(t.id)) {
      if (!positive) this.contradiction = true;
      return;
    }
    if (t.op === 'int_lt') {
      if (positive) this.order(t.args[0]!, t.args[1]!, true);
      else this.order(t.args[1]!, t.args[0]!, false);
    }
    if (positive) {
      if (isBoolean(t)) this.setSubst(t, T.int(1n));
      else this.nonzero.add(t.id);
      if (t.op === 'int_eq' || t.op === 'same_float') this.equate(t.args[0]!, t.args[1]!);
      if (t.op === 'ptr_eq') this.ref(t.args[1]!, { null: true });
      if (t.op === 'is_class') this.ref(t.args[0]!, { null: false, cls: t.name! });
      if (t.op === 'is_array') this.ref(t.args[0]!, t.name === '*' ? { null: false, array: true } : { null: false, cls: `[]${t.name}` });
    } else {
      this.setSubst(t, T.int(0n));
      if (t.op === 'ptr_eq') this.ref(t.args[1]!, { null: false });
    }
  }

  /**
   * Records a = b for the arguments of an int_eq or same_float term that `add` normalized and
   * found undecided: Terms.op folds it when they are one term or two constants, and orders them
   * (a constant last, else the earlier term first), so `b` is a constant or the later term. The
   * later term is rewritten to the earlier, or to the constant.
   */
  private equate(a: Term, b: Term): void {
    // Stryker disable next-line EqualityOperator: `<=` cannot change a result: no `b` here has id 0, since a `b` that is no constant comes after `a`, which is no constant either (id 0 or more)
    if (b.id < 0) this.setSubst(a, b);
    else this.setSubst(b, a);
  }

  private setSubst(from: Term, to: Term): void {
    this.subst.set(from.id, to);
    this.cache.clear();
  }

  /**
   * Adds to what is known of `p`. Never a conflict: `add` normalized the condition first, and
   * `refine` folds an atom on `p` that contradicts what is known of it (to a constant, which
   * `add` takes as a contradiction) before it gets here. Nor is `p` ever the null constant:
   * an atom on null folds (Terms.atom), and `ptr_eq(null, null)` is 1.
   */
  private ref(p: Term, fact: RefFact): void {
    this.refs.set(p.id, { ...this.refs.get(p.id), ...fact });
    this.cache.clear();
  }

  /** What is known of a ref: its exact class (or `[]elem`), and nullness. */
  refFact(p: Term): Readonly<RefFact> | undefined {
    return this.refs.get(this.norm(p).id);
  }
}
