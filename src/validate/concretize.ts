/**
 * Concrete input sets for a symbolic difference: a model of the failing case's path, built from
 * what the symbolic run of the input trace knows about its unknowns.
 *
 * Invariant: every input set made here is well formed for the input trace (one value per input,
 * of its type; objects of declared classes with their declared fields). It is a candidate only:
 * whether it shows the difference is for the reference to say (src/cli/validate.ts replays it).
 *
 * The model: the input trace runs symbolically under the failing case's alias decisions, and
 * every precondition and guard is assumed to pass, as far as that is consistent. Then each
 * unknown ref gets an object of the class the facts say (null when they say null, or say
 * nothing), the objects' fields hold the values of the trace's reads of them, two refs decided
 * equal are one object, and each unknown int or float not fixed by the facts takes values from
 * a small pool (zero, ±1, the trace's constants and their neighbours, the int64 bounds), varied
 * between the sets, so that a guard the difference needs failing fails in some of them.
 */
import type { HeapObjectDesc, HeapValue, InputSet, Trace } from '../ir/index.ts';
import { classDecl, typeOfVar } from '../ir/index.ts';
import { prebuiltTerm, Side } from './execute.ts';
import { Facts } from './facts.ts';
import { structuralKey } from './smt.ts';
import { type Decision, Fork, type Term, Terms } from './terms.ts';

export function concretize(
  input: Trace,
  _optimized: Trace,
  suspect: { readonly decisions: readonly Decision[]; readonly phase: string },
  count = 24,
  seed = 7,
  /** Values of unknowns from solver models (by structural key): one input set each, first. */
  models: readonly ReadonlyMap<string, bigint | number>[] = [],
): InputSet[] {
  let decisions = suspect.phase === 'the first iteration' ? [...suspect.decisions] : [];
  for (let attempt = 0; attempt < 32; attempt++) {
    try {
      return build(input, decisions, count, seed, models);
    } catch (err) {
      if (!(err instanceof Fork)) throw err;
      const [a, b] = err.key.split('=') as [string, string];
      decisions = [...decisions, { a, b, equal: false }];
    }
  }
  return [];
}

function build(input: Trace, decisions: readonly Decision[], count: number, seed: number, models: readonly ReadonlyMap<string, bigint | number>[]): InputSet[] {
  const T = new Terms(decisions);
  for (const o of input.prebuilt ?? []) prebuiltTerm(T, o.name);
  const args = input.inputs.map((v) => T.sym(v.name, typeOfVar(v.name)));
  const A = new Side(T, input, 'in', T.int(0n), true);
  input.inputs.forEach((v, k) => A.env.set(v.name, args[k]!));
  A.run(input.ops);
  let F = new Facts(T);
  for (const e of A.events) {
    if (e.kind !== 'requires' && e.kind !== 'guard') continue;
    const next = F.clone();
    next.add(e.cond);
    if (!next.contradiction) F = next;
  }
  const pool = intPool(input);
  const floats = [0, 1, -1, 0.5, 2.5, -0, Number.NaN, Number.POSITIVE_INFINITY];
  let state = seed >>> 0;
  const random = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const sets: InputSet[] = [];
  for (let k = 0; k < models.length + count; k++) {
    const model = models[k];
    const names = new Map<number, string>();
    const objects: HeapObjectDesc[] = [];
    const ints = new Map<number, bigint>();
    const pending: Term[] = [];
    const scalar = (t0: Term): HeapValue => {
      const t = F.norm(t0);
      if (t.op === 'int') return { kind: 'int', value: t.value as bigint };
      if (t.op === 'float') return { kind: 'float', value: t.value as number };
      const modelled = model?.get(structuralKey(t));
      if (t.sort === 'int' && typeof modelled === 'bigint') return { kind: 'int', value: modelled };
      if (t.sort === 'int') {
        if (!ints.has(t.id)) ints.set(t.id, k === 0 ? 0n : pool[random(pool.length)]!);
        return { kind: 'int', value: ints.get(t.id)! };
      }
      return { kind: 'float', value: k === 0 ? 0 : floats[random(floats.length)]! };
    };
    const ref = (t0: Term): HeapValue => {
      const t = F.norm(t0);
      if (t.op === 'null') return { kind: 'null' };
      // A prebuilt object: the set names it (its own objects are named apart, `o…`).
      if (t.op === 'sym' && t.name!.startsWith('@')) return { kind: 'obj', name: t.name!.slice(1) };
      const fact = F.refFact(t);
      if (!fact?.cls || fact.null === true) return { kind: 'null' };
      let name = names.get(t.id);
      if (!name) {
        name = `o${names.size}`;
        names.set(t.id, name);
        pending.push(t);
      }
      return { kind: 'obj', name };
    };
    const value = (t: Term): HeapValue => (t.sort === 'ref' ? ref(t) : scalar(t));
    const argValues = args.map(value);
    for (let head = 0; head < pending.length; head++) {
      const t = pending[head]!;
      const cls = F.refFact(t)!.cls!;
      const name = names.get(t.id)!;
      if (cls.startsWith('[]')) {
        const elem = cls.slice(2) as 'int' | 'float' | 'ref';
        const lengthTerm = T.lookup('init_len', [t], undefined);
        const items = new Map<number, Term>();
        // Only reads at the array's element type: the same object read as an array of another
        // type (two references a guard made equal) is undefined behaviour there, and its items
        // would not be values of this array.
        for (const read of T.all()) {
          if (read.op === 'init_item' && read.args[0] === t && read.sort === elem && F.norm(read.args[1]!).op === 'int') items.set(Number(F.norm(read.args[1]!).value), read);
        }
        const wanted = lengthTerm ? scalar(lengthTerm) : { kind: 'int' as const, value: BigInt(items.size === 0 ? 0 : Math.max(...items.keys()) + 1) };
        const length = Math.max(0, Math.min(64, Number((wanted as { value: bigint }).value)), ...[...items.keys()].map((i) => i + 1));
        const zero: HeapValue = elem === 'int' ? { kind: 'int', value: 0n } : elem === 'float' ? { kind: 'float', value: 0 } : { kind: 'null' };
        objects.push({ name, kind: 'array', elem, items: Array.from({ length }, (_, i) => (items.has(i) ? value(items.get(i)!) : zero)) });
      } else {
        const decl = classDecl(input, cls);
        if (!decl) continue;
        const fields = decl.fields.map((f) => {
          const read = T.lookup('init', [t], `${cls}.${f.name}`);
          const v: HeapValue = read ? value(read) : f.type === 'int' ? { kind: 'int', value: 0n } : f.type === 'float' ? { kind: 'float', value: 0 } : { kind: 'null' };
          return { field: f.name, value: v };
        });
        objects.push({ name, kind: 'object', cls, fields });
      }
    }
    sets.push({ name: model ? `solver${k + 1}` : `model${k + 1 - models.length}`, args: argValues, objects });
  }
  return sets;
}

function intPool(trace: Trace): bigint[] {
  const pool = new Set<bigint>([0n, 1n, -1n, 2n, 3n, 10n, 100n, -100n, (1n << 63n) - 1n, -(1n << 63n)]);
  for (const op of trace.ops) {
    for (const a of op.args) {
      if (a.kind === 'int') for (const d of [-1n, 0n, 1n]) pool.add(BigInt.asIntN(64, a.value + d));
    }
  }
  return [...pool];
}
