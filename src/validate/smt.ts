/**
 * The SMT fallback: equalities and implications the syntactic check cannot decide, asked of z3
 * (npm `z3-solver`, loaded only when a question is asked), ints as 64-bit bit-vectors, floats as
 * IEEE doubles.
 *
 * Invariant: an answer `proved` means z3 found the question's negation unsatisfiable with the
 * path facts: the equality or implication holds for every value of the unknowns. Terms the
 * encoding does not interpret (heap reads, symbols, ref atoms, casts, overflow flags) are free
 * variables, one per term, which only widens the set of values considered: a proof stays a proof.
 * A `sat` answer comes with a model: values for the int and float unknowns, which the
 * concretizer uses to build an input set for the reference to replay (never a verdict by itself).
 *
 * The validator is synchronous and z3 is not, so the driver (src/cli/validate.ts) runs rounds:
 * the validator records each question it could not decide (`SmtOracle.ask` returns null), the
 * driver has z3 answer them, and the validator runs again with the answers.
 */
import type { Cond } from './facts.ts';
import type { Term } from './terms.ts';

export type SmtGoal =
  | { readonly kind: 'equal'; readonly a: Term; readonly b: Term }
  | { readonly kind: 'holds'; readonly cond: Cond }
  | { readonly kind: 'same'; readonly a: Cond; readonly b: Cond };

export interface SmtQuestion {
  readonly key: string;
  readonly facts: readonly Cond[];
  readonly goal: SmtGoal;
}

export interface SmtAnswer {
  readonly proved: boolean;
  /** For a satisfiable negation: the unknowns' values, by the structural key of their term. */
  readonly model?: ReadonlyMap<string, bigint | number>;
}

/** Answers known so far, and the questions asked without one. */
export class SmtOracle {
  readonly asked = new Map<string, SmtQuestion>();

  constructor(readonly answers: ReadonlyMap<string, SmtAnswer> = new Map()) {}

  ask(facts: readonly Cond[], goal: SmtGoal): boolean | null {
    const key = questionKey(facts, goal);
    const known = this.answers.get(key);
    if (known) return known.proved;
    if (!this.asked.has(key)) this.asked.set(key, { key, facts, goal });
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Structural keys: the same question in a rerun (new term objects) has the same key.

const keys = new WeakMap<Term, string>();

/** A term's structure as text (iterative: no recursion on depth). */
export function structuralKey(root: Term): string {
  const stack: Term[] = [root];
  while (stack.length > 0) {
    const t = stack[stack.length - 1]!;
    if (keys.has(t)) {
      stack.pop();
      continue;
    }
    const pending = t.args.filter((a) => !keys.has(a));
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    const own = t.op === 'int' || t.op === 'float' ? `${t.op}:${Object.is(t.value, -0) ? '-0' : String(t.value)}` : `${t.op}${t.name === undefined ? '' : `:${t.name}`}`;
    keys.set(t, t.args.length === 0 ? own : `${own}(${t.args.map((a) => keys.get(a)!).join(',')})`);
  }
  return keys.get(root)!;
}

function condKey(c: Cond): string {
  return `${c.positive ? '' : '!'}${structuralKey(c.term)}`;
}

function questionKey(facts: readonly Cond[], goal: SmtGoal): string {
  const g = goal.kind === 'equal' ? `${structuralKey(goal.a)}=${structuralKey(goal.b)}` : goal.kind === 'holds' ? condKey(goal.cond) : `${condKey(goal.a)}<=>${condKey(goal.b)}`;
  return `${facts.map(condKey).join('&')}|-${goal.kind}:${g}`;
}

// ---------------------------------------------------------------------------------------------
// Asking z3.

/* eslint-disable @typescript-eslint/no-explicit-any -- z3's high-level API is typed per context name */
type Z3 = any;

let z3: Promise<Z3> | null = null;

/** z3's context, made once, on the first question. */
function context(): Promise<Z3> {
  z3 ??= import('z3-solver').then(async ({ init }) => {
    const { Context } = await init();
    return Context('boxless');
  });
  return z3;
}

/** Answers every question (each on its own solver, a few seconds at most each). */
export async function answerAll(questions: Iterable<SmtQuestion>, timeoutMs = 5000): Promise<Map<string, SmtAnswer>> {
  const Z = await context();
  const out = new Map<string, SmtAnswer>();
  for (const q of questions) out.set(q.key, await answer(Z, q, timeoutMs));
  return out;
}

async function answer(Z: Z3, q: SmtQuestion, timeoutMs: number): Promise<SmtAnswer> {
  const enc = new Encoder(Z);
  const solver = new Z.Solver();
  solver.set('timeout', timeoutMs);
  for (const c of q.facts) solver.add(enc.cond(c));
  const goal = q.goal;
  const negated =
    goal.kind === 'equal'
      ? enc.value(goal.a).eq(enc.value(goal.b)).not()
      : goal.kind === 'holds'
        ? enc.cond(goal.cond).not()
        : enc.cond(goal.a).xor(enc.cond(goal.b));
  solver.add(negated);
  const result = await solver.check();
  if (result === 'unsat') return { proved: true };
  if (result !== 'sat') return { proved: false };
  const model = solver.model();
  const values = new Map<string, bigint | number>();
  for (const [key, v] of enc.free) {
    try {
      const x = model.eval(v, true);
      if (Z.isBitVecVal(x)) values.set(key, BigInt.asIntN(64, x.value()));
    } catch {
      // Floats and anything else: left to the concretizer's pool.
    }
  }
  return { proved: false, model: values };
}

const MASK = 63n;

class Encoder {
  readonly free = new Map<string, Z3>();
  private readonly memo = new Map<Term, Z3>();
  private readonly f64: Z3;
  private readonly rm: Z3;

  constructor(private readonly Z: Z3) {
    this.f64 = Z.Float.sort64();
    this.rm = Z.FloatRM.RNE();
  }

  cond(c: Cond): Z3 {
    const v = this.value(c.term);
    const zero = this.Z.BitVec.val(0n, 64);
    return c.positive ? v.neq(zero) : v.eq(zero);
  }

  /** A bit-vector for an int term, an FP for a float term, a bit-vector id for a ref term. */
  value(root: Term): Z3 {
    const stack: Term[] = [root];
    while (stack.length > 0) {
      const t = stack[stack.length - 1]!;
      if (this.memo.has(t)) {
        stack.pop();
        continue;
      }
      const pending = this.interprets(t) ? t.args.filter((a) => !this.memo.has(a)) : [];
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      this.memo.set(t, this.encode(t));
    }
    return this.memo.get(root)!;
  }

  private interprets(t: Term): boolean {
    return INTERPRETED.has(t.op);
  }

  private encode(t: Term): Z3 {
    const Z = this.Z;
    const bv = (x: bigint) => Z.BitVec.val(BigInt.asUintN(64, x), 64);
    const bool = (b: Z3) => Z.If(b, bv(1n), bv(0n));
    const a = () => this.memo.get(t.args[0]!);
    const b = () => this.memo.get(t.args[1]!);
    switch (t.op) {
      case 'int':
        return bv(t.value as bigint);
      case 'float':
        return Z.Float.val(t.value as number, this.f64);
      case 'int_add':
        return a().add(b());
      case 'int_sub':
        return a().sub(b());
      case 'int_mul':
        return a().mul(b());
      case 'int_and':
        return a().and(b());
      case 'int_or':
        return a().or(b());
      case 'int_xor':
        return a().xor(b());
      case 'int_neg':
        return a().neg();
      case 'int_lshift':
        return a().shl(b().and(bv(MASK)));
      case 'int_rshift':
        return a().shr(b().and(bv(MASK)));
      case 'int_floordiv': {
        const q = a().sdiv(b());
        const r = a().srem(b());
        const adjust = r.neq(bv(0n)).and(r.slt(bv(0n)).neq(b().slt(bv(0n))));
        return Z.If(b().eq(bv(0n)), bv(0n), Z.If(adjust, q.sub(bv(1n)), q));
      }
      case 'int_mod': {
        // Python's modulo, sign of the divisor, spelled out (smod of the JS binding is not it).
        const r = a().srem(b());
        const adjust = r.neq(bv(0n)).and(r.slt(bv(0n)).neq(b().slt(bv(0n))));
        return Z.If(b().eq(bv(0n)), bv(0n), Z.If(adjust, r.add(b()), r));
      }
      case 'int_lt':
        return bool(a().slt(b()));
      case 'int_eq':
        return bool(a().eq(b()));
      case 'not':
        return bool(a().eq(bv(0n)));
      case 'float_add':
        return a().add(this.rm, b());
      case 'float_sub':
        return a().sub(this.rm, b());
      case 'float_mul':
        return a().mul(this.rm, b());
      case 'float_truediv':
        return a().div(this.rm, b());
      case 'float_neg':
        return a().neg();
      case 'float_abs':
        return a().abs();
      case 'float_sqrt':
        return a().sqrt(this.rm);
      case 'float_lt':
        return bool(a().lt(b()));
      case 'float_le':
        return bool(a().le(b()));
      case 'float_eq':
        return bool(a().le(b()).and(a().ge(b())));
      case 'same_float':
        return bool(a().eq(b()));
      default: {
        // Not interpreted: a free variable of the term's sort, the same for the same term.
        const key = structuralKey(t);
        let v = this.free.get(key);
        if (!v) {
          v = t.sort === 'float' ? Z.Float.const(`v${this.free.size}`, this.f64) : Z.BitVec.const(`v${this.free.size}`, 64);
          this.free.set(key, v);
        }
        return v;
      }
    }
  }
}

const INTERPRETED = new Set([
  'int_add', 'int_sub', 'int_mul', 'int_and', 'int_or', 'int_xor', 'int_neg', 'int_lshift', 'int_rshift', 'int_floordiv', 'int_mod',
  'int_lt', 'int_eq', 'not', 'float_add', 'float_sub', 'float_mul', 'float_truediv', 'float_neg', 'float_abs', 'float_sqrt', 'float_lt', 'float_le',
  'float_eq', 'same_float',
]);
