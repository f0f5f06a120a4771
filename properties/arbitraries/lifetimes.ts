/**
 * Which object-lifetime category (paper, section 3) each allocation site of a trace falls into,
 * by a syntactic points-to analysis of one iteration. Used for generator statistics.
 *
 *   1  allocated, used, then dropped
 *   2  allocated, then escapes (an `escape` argument reaches it, it is stored into an object that
 *      is not fresh, or `finish` returns it)
 *   3  carried across the jump, then dropped in the next iteration
 *   4  carried across the jump, then escapes in the next iteration or is carried again
 *      (the paper counts objects living across several jumps here too)
 *
 * Abstract objects: one per allocation site (the objects it makes in the current iteration),
 * one per ref input ("carried k": whatever arrived through input k, and everything reachable
 * from it), and one for the rest of the world ("other": null, and objects reached through it).
 * The analysis is a single forward pass, field-insensitive, and over-approximates reachability
 * (meant for the small traces of a property run: cycle detection is quadratic); it ignores guards, so an object counts as escaping even if every run exits before the escape.
 */
import { type Arg, type Op, type Trace, typeOfVar } from '../../src/ir/index.ts';

export interface LifetimeCensus {
  /** Allocation sites (`new`, `new_array`) per category. */
  readonly cat1: number;
  readonly cat2: number;
  readonly cat3: number;
  readonly cat4: number;
  /** Sites whose objects are stored into a field or item of another site's object. */
  readonly nestedVirtual: number;
  /** Whether the fresh objects can form a cycle (a site reachable from itself). */
  readonly cycle: boolean;
  /** Category of each allocation site, by op index. */
  readonly bySite: ReadonlyMap<number, 1 | 2 | 3 | 4>;
}

type AbstractObject = string; // `site:<op index>`, `carried:<input index>` or `other`
const OTHER: AbstractObject = 'other';

export function classifyLifetimes(trace: Trace): LifetimeCensus {
  const pointsTo = new Map<string, Set<AbstractObject>>();
  const contents = new Map<AbstractObject, Set<AbstractObject>>();
  const escapeRoots = new Set<AbstractObject>([OTHER]);
  const jumpRoots: Set<AbstractObject>[] = [];
  const sites: number[] = [];

  const add = (map: Map<AbstractObject, Set<AbstractObject>>, key: AbstractObject, values: Iterable<AbstractObject>) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    for (const value of values) set.add(value);
  };
  const objectsOf = (arg: Arg): Set<AbstractObject> => {
    if (arg.kind === 'null') return new Set([OTHER]);
    if (arg.kind !== 'var' || typeOfVar(arg.name) !== 'ref') return new Set();
    return pointsTo.get(arg.name) ?? new Set([OTHER]);
  };
  const load = (holders: Set<AbstractObject>): Set<AbstractObject> => {
    const out = new Set<AbstractObject>();
    for (const holder of holders) {
      if (holder.startsWith('site:')) for (const o of contents.get(holder) ?? []) out.add(o);
      else out.add(holder); // what a carried object reaches is carried with it; the world's, the world's
    }
    return out;
  };

  trace.inputs.forEach((input, k) => {
    if (typeOfVar(input.name) === 'ref') pointsTo.set(input.name, new Set([`carried:${k}`]));
  });
  trace.ops.forEach((op: Op, index) => {
    switch (op.name) {
      case 'new':
      case 'new_array':
        sites.push(index);
        pointsTo.set(op.result!, new Set([`site:${index}`]));
        return;
      case 'getfield':
      case 'getarrayitem':
        if (typeOfVar(op.result!) === 'ref') pointsTo.set(op.result!, load(objectsOf(op.args[0]!)));
        return;
      case 'setfield':
      case 'setarrayitem': {
        const stored = objectsOf(op.args[op.args.length - 1]!);
        for (const holder of objectsOf(op.args[0]!)) add(contents, holder, stored);
        return;
      }
      case 'escape':
      case 'finish':
        for (const arg of op.args) for (const o of objectsOf(arg)) escapeRoots.add(o);
        return;
      case 'jump':
        for (const arg of op.args) jumpRoots.push(objectsOf(arg));
        return;
    }
  });

  const reach = (roots: Iterable<AbstractObject>): Set<AbstractObject> => {
    const seen = new Set<AbstractObject>();
    const work = [...roots];
    while (work.length > 0) {
      const o = work.pop()!;
      if (seen.has(o)) continue;
      seen.add(o);
      for (const next of contents.get(o) ?? []) work.push(next);
    }
    return seen;
  };
  const escaped = reach(escapeRoots);
  const crossing = jumpRoots.map((roots) => reach(roots));
  const carriedOnward = (k: number) => {
    const carried = `carried:${k}`;
    return escaped.has(carried) || crossing.some((set) => set.has(carried));
  };

  const nested = new Set<AbstractObject>();
  for (const index of sites) for (const o of contents.get(`site:${index}`) ?? []) if (o.startsWith('site:')) nested.add(o);

  const bySite = new Map<number, 1 | 2 | 3 | 4>();
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0 };
  let cycle = false;
  for (const index of sites) {
    const site = `site:${index}`;
    const positions = crossing.flatMap((set, k) => (set.has(site) ? [k] : []));
    const category = escaped.has(site) ? 2 : positions.length === 0 ? 1 : positions.some(carriedOnward) ? 4 : 3;
    bySite.set(index, category);
    counts[category]++;
    if (!cycle && nested.has(site) && reach(contents.get(site) ?? []).has(site)) cycle = true;
  }
  return { cat1: counts[1], cat2: counts[2], cat3: counts[3], cat4: counts[4], nestedVirtual: nested.size, cycle, bySite };
}
