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
 * between terms (substitution), "not zero", and per ref: null or not, exact class or array.
 * What it cannot decide the caller reports as unknown, or hands to the solver.
 */
import type { SmtOracle } from './smt.ts';
import { isBoolean, type Term, type Terms } from './terms.ts';

/** A condition: `term` is nonzero (positive) or zero (negative). */
export interface Cond {
  readonly term: Term;
  readonly positive: boolean;
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
    if (t.op === 'int') return (t.value !== 0n) === positive;
    if (this.nonzero.has(t.id)) return positive;
    return null;
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
