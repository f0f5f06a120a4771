/**
 * Symbolic comparison of two exits: spec/equivalence.ts's definition, over terms.
 *
 * Invariant: `compare` returns null only if, on every concrete input satisfying the path
 * facts, the two exits have equal outcomes in the reference's sense: same exit (kind and guard
 * id), escape records of this segment pairwise equal (args and the graphs they reach, at the
 * moment of the call), exit values equal, and the final heap equal, all up to one bijection
 * between the objects each side allocated (built as the walk meets them, as the reference's
 * check builds it). Unknown objects keep their identity: the same term on both sides.
 *
 * The heap outside the allocations is compared where it may differ: every field or item some
 * write of either side touched on an unknown object, read on both sides. A field neither side
 * wrote holds the same `init` term on both, bumped by the same escapes. This is stricter than
 * the reference where a written object is unreachable at the end; a difference found only there
 * is not confirmed by the reference, and the caller reports it as unknown, never as a
 * counterexample.
 */
import { classDecl, type Type } from '../ir/index.ts';
import type { ExitRecord, MatDesc, Side } from './execute.ts';
import type { Facts } from './facts.ts';
import { describe, isAlloc, type Term } from './terms.ts';

interface Pair {
  readonly a: Term;
  readonly b: Term;
  readonly where: string;
}

/** Where each side's allocated objects went: input alloc id ↔ optimized alloc id. */
export interface Bijection {
  readonly forward: Map<number, number>;
  readonly backward: Map<number, number>;
}

export class ExitComparison {
  readonly beta: Bijection = { forward: new Map(), backward: new Map() };

  constructor(
    private readonly F: Facts,
    private readonly A: Side,
    private readonly B: Side,
  ) {}

  /** The first difference, or null. `escapesFrom`: this segment's first escape record on each side. */
  compare(x: ExitRecord, y: ExitRecord, escapesFrom: readonly [number, number] = [0, 0]): string | null {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: cannot change a verdict: every caller compares two exits of one kind and guard id (validate.ts's match pairs a guard with the input's guard of its id, a finish with a finish, and atBackEdge two fuel exits), so the test is never true
    if (x.kind !== y.kind || x.guardId !== y.guardId) return `the exit is ${exitName(x)} in the input trace, ${exitName(y)} in the optimized trace`;
    // Stryker disable next-line ArithmeticOperator: `+` cannot change a verdict: no caller passes escapesFrom, so both sides subtract or add 0
    const na = x.escapes - escapesFrom[0];
    // Stryker disable next-line ArithmeticOperator: as above, escapesFrom[1] is always 0
    const nb = y.escapes - escapesFrom[1];
    if (na !== nb) return `at ${exitName(x)}: ${na} escape call(s) in the input trace, ${nb} in the optimized trace`;
    for (let k = 0; k < na; k++) {
      const ea = this.A.escapes[escapesFrom[0] + k]!;
      const eb = this.B.escapes[escapesFrom[1] + k]!;
      const where = `escape #${k + 1} of this iteration (before ${exitName(x)})`;
      if (ea.args.length !== eb.args.length) return `${where}: ${ea.args.length} argument(s) in the input trace, ${eb.args.length} in the optimized trace`;
      const pairs = ea.args.map((a, j) => ({ a, b: eb.args[j]!, where: `${where}, argument ${j + 1}` }));
      const diff = this.walk([...pairs, ...this.dirty(ea.at, eb.at, where)], ea.at, eb.at, new Map(), new Map());
      if (diff) return diff;
    }
    if (x.values.length !== y.values.length) return `${exitName(x)}: ${x.values.length} value(s) in the input trace, ${y.values.length} in the optimized trace`;
    const pairs = x.values.map((a, j) => ({ a, b: y.values[j]!, where: `${exitName(x)}, value ${j + 1}` }));
    // The final heap: what the exit values, the unknown objects and every escape's args reach,
    // as it is at the exit (an escaped object may have changed since its call).
    const escaped: Pair[] = [];
    for (let k = 0; k < na; k++) {
      const ea = this.A.escapes[escapesFrom[0] + k]!;
      const eb = this.B.escapes[escapesFrom[1] + k]!;
      ea.args.forEach((a, j) => escaped.push({ a, b: eb.args[j]!, where: `the heap at ${exitName(x)}, escape #${k + 1} argument ${j + 1}` }));
    }
    return this.walk([...pairs, ...this.dirty(x.at, y.at, `the heap at ${exitName(x)}`), ...escaped], x.at, y.at, x.mat, y.mat);
  }

  /**
   * Whether `a` (input side) and `b` (optimized side) are the same value up to the bijection,
   * their objects with equal contents at the two log positions; the bijection grows only when
   * they are.
   */
  sameUnder(a: Term, b: Term, atA: number, atB: number): boolean {
    const forward = new Map(this.beta.forward);
    const backward = new Map(this.beta.backward);
    // Stryker disable next-line StringLiteral: the text cannot change a result: sameUnder keeps only whether there is a difference, never its message
    const diff = this.walk([{ a, b, where: 'loop parameter' }], atA, atB, new Map(), new Map());
    if (diff === null) return true;
    this.beta.forward.clear();
    this.beta.backward.clear();
    forward.forEach((v, k) => this.beta.forward.set(k, v));
    backward.forEach((v, k) => this.beta.backward.set(k, v));
    return false;
  }

  /** Pairs of reads of every field or item either side wrote on an unknown object. */
  private dirty(atA: number, atB: number, where: string): Pair[] {
    const T = this.F.terms;
    const seen = new Set<string>();
    const out: Pair[] = [];
    for (const [side, at] of [[this.A, atA], [this.B, atB]] as const) {
      for (const d of side.dirty) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: reading on past `at` cannot change a verdict: a place written after the exit is read at the exit on both sides, the same pair the other side's earlier write would add, or, written by neither before the exit, its one initial term on both sides (bumped by as many escapes, checked before); a write at `at` itself is after the exit too
        if (d.at >= at) break;
        const obj = T.canon(d.obj);
        const index = d.index && T.canon(d.index);
        // Stryker disable next-line StringLiteral: the suffix of a place without an index cannot change a result: any constant keeps fields apart from items (the line's LogicalOperator mutant, which drops the index's id, fails test/validate/compare.test.ts)
        const key = `${obj.id}|${d.key}|${index?.id ?? ''}`;
        // Stryker disable next-line ConditionalExpression: comparing a place twice cannot change a result: the second pair of reads is the first one again
        if (seen.has(key)) continue;
        seen.add(key);
        const sort = sortOfKey(side, d.key);
        out.push({
          a: this.A.read(obj, d.key, index, sort, atA),
          b: this.B.read(obj, d.key, index, sort, atB),
          where: `${where}: ${describe(obj)}.${index ? `[${describe(index)}]` : d.key.split('.')[1]}`,
        });
      }
    }
    return out;
  }

  private walk(roots: Pair[], atA: number, atB: number, matA: ReadonlyMap<number, MatDesc>, matB: ReadonlyMap<number, MatDesc>): string | null {
    const F = this.F;
    const queue = [...roots];
    const visited = new Set<number>();
    for (let head = 0; head < queue.length; head++) {
      const { a: a0, b: b0, where } = queue[head]!;
      const a = F.norm(a0);
      const b = F.norm(b0);
      if (a.sort !== b.sort) return `${where}: a ${a.sort} in the input trace, a ${b.sort} in the optimized trace`;
      // Stryker disable next-line ConditionalExpression: `false` for the sort test cannot change the branch: a value that is not a ref is no allocation, so !isAlloc(a) holds for it
      if (a.sort !== 'ref' || !isAlloc(a) || !isAlloc(b)) {
        if (a === b) continue;
        if (a.sort === 'ref' && !isAlloc(a) && !isAlloc(b) && a.op !== 'null' && b.op !== 'null' && !F.terms.equal(a, b)) {
          return `${where}: ${describe(a)} in the input trace, ${describe(b)} in the optimized trace (different objects)`;
        }
        if (a.sort === 'ref' && !isAlloc(a) && !isAlloc(b) && F.terms.equal(a, b)) continue;
        if (a.sort !== 'ref' && F.smt?.ask(F.path, { kind: 'equal', a, b }) === true) continue;
        return `${where}: ${describe(a)} in the input trace, ${describe(b)} in the optimized trace`;
      }
      const to = this.beta.forward.get(a.id);
      const from = this.beta.backward.get(b.id);
      if (to === undefined && from === undefined) {
        this.beta.forward.set(a.id, b.id);
        this.beta.backward.set(b.id, a.id);
      } else if (to !== b.id) {
        return `${where}: the objects are shared differently in the input trace and in the optimized trace`;
      }
      if (visited.has(a.id)) continue;
      visited.add(a.id);
      const ca = this.contents(this.A, a, atA, matA);
      const cb = this.contents(this.B, b, atB, matB);
      if (ca.cls !== cb.cls) return `${where}: ${shapeName(ca.cls)} in the input trace, ${shapeName(cb.cls)} in the optimized trace`;
      const la = F.norm(ca.length);
      const lb = F.norm(cb.length);
      if (la !== lb) return `${where}: an array of length ${describe(la)} in the input trace, of length ${describe(lb)} in the optimized trace`;
      const keys = new Set([...ca.items.keys(), ...cb.items.keys()]);
      for (const key of keys) {
        const va = ca.items.get(key) ?? ca.itemAt(key);
        const vb = cb.items.get(key) ?? cb.itemAt(key);
        queue.push({ a: va, b: vb, where: `${where} → ${key}` });
      }
    }
    return null;
  }

  /** An allocated object's class (or `[]elem`), length, and its fields or known items. */
  private contents(side: Side, obj: Term, at: number, mat: ReadonlyMap<number, MatDesc>): Contents {
    const T = this.F.terms;
    const m = mat.get(obj.id);
    if (m) {
      // Stryker disable next-line ArrowFunction: itemAt of a materialized object is never called: its fields hold every declared field (Side.exitRecord), and the object it is compared with has the same class, so the same keys
      if (m.kind === 'object') return { cls: m.cls, length: T.int(0n), items: new Map([...m.fields].map(([f, v]) => [`field ${m.cls}.${f}`, v])), itemAt: () => T.NULL };
      const items = new Map(m.items.map((v, k) => [`item ${k}`, v]));
      return { cls: `[]${m.elem}`, length: T.int(BigInt(m.items.length)), items, itemAt: (key) => side.read(obj, `[]${m.elem}`, T.int(BigInt(key.slice(5))), m.elem, at) };
    }
    const shape = side.shapes.get(obj.id);
    // Stryker disable next-line ConditionalExpression,StringLiteral: never true: an allocation term here is a materialized object of this exit (handled above) or made by Side.allocate, which records its shape
    if (!shape) throw new Error('validate: an allocation without a shape');
    if (shape.kind === 'object') {
      const items = new Map<string, Term>();
      for (const f of classDecl(side.trace, shape.cls)!.fields) items.set(`field ${shape.cls}.${f.name}`, side.read(obj, `${shape.cls}.${f.name}`, null, f.type, at));
      // Stryker disable next-line ArrowFunction: itemAt of an object is never called: items hold every declared field, and the object compared with it has the same class, so the same keys
      return { cls: shape.cls, length: T.int(0n), items, itemAt: () => T.NULL };
    }
    const items = new Map<string, Term>();
    const elem = shape.elem;
    const itemAt = (key: string): Term => {
      const index = key.startsWith('item #') ? this.indexTerms.get(key)! : T.int(BigInt(key.slice(5)));
      return side.read(obj, `[]${elem}`, index, elem, at);
    };
    // The length as the facts know it: an array allocated with a variable length that a guard
    // fixed has numbered items, as a materialized array of that length has.
    const length = this.F.norm(shape.length);
    if (length.op === 'int') {
      for (let k = 0n; k < (length.value as bigint); k++) items.set(`item ${k}`, side.read(obj, `[]${elem}`, T.int(k), elem, at));
    } else {
      // Unknown length: the items either side may have written; the others are zero on both.
      for (const s of [this.A, this.B]) {
        for (const e of s.log) {
          if (e.kind === 'set' && e.index && e.key === `[]${elem}`) {
            const key = `item #${T.canon(e.index).id}`;
            this.indexTerms.set(key, T.canon(e.index));
            items.set(key, side.read(obj, `[]${elem}`, e.index, elem, at));
          }
        }
      }
    }
    return { cls: `[]${elem}`, length, items, itemAt };
  }

  private readonly indexTerms = new Map<string, Term>();
}

interface Contents {
  readonly cls: string;
  readonly length: Term;
  readonly items: Map<string, Term>;
  readonly itemAt: (key: string) => Term;
}

function sortOfKey(side: Side, key: string): Type {
  if (key.startsWith('[]')) return key.slice(2) as Type;
  const [cls, field] = key.split('.') as [string, string];
  return classDecl(side.trace, cls)!.fields.find((f) => f.name === field)!.type;
}

function shapeName(cls: string): string {
  return cls.startsWith('[]') ? `an array of ${cls.slice(2)}` : `a ${cls}`;
}

export function exitName(x: ExitRecord): string {
  return x.kind === 'guard' ? `guard ${x.guardId}` : x.kind === 'finish' ? 'finish' : 'the fuel exit';
}
