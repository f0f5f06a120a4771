/**
 * heapcache: reuse what the trace already read from or wrote to a (non-virtual) object.
 *
 * One forward pass with a cache of heap contents known at the current op: field `C.f` of
 * object p holds value x; item i of array p holds x; array p has length n. A `getfield`,
 * `getarrayitem` or `arraylen` whose answer is cached disappears and its uses see the cached
 * value; otherwise it stays and its result is cached. Writes update the cache; a write of the
 * value the cache knows the field (item) already holds changes nothing and goes.
 *
 * What forgets (the aliasing rules; objects are variables, and two variables may be one object):
 *  - `setfield(p, C.f, x)` forgets `C.f` of every other object (any may be p), keeps other
 *    fields (a write to C.f changes no other field), and then knows p.C.f = x.
 *  - `setarrayitem(p, i, x)` forgets every cached item of every array (another array may be p,
 *    another index may equal i) and then knows p[i] = x. Fields and lengths stay: an array
 *    write never changes a field, and lengths never change. (A write to a field of an array or
 *    an item of an object is undefined behaviour, for which nothing is promised.)
 *  - any other op forgets what its effect flags in the op table say it may change (an op the
 *    cache has no rule for is never looked at by name): one that may write anything or lets
 *    its operands escape (`escape`, a call) forgets every field and item: the call may change
 *    anything that escaped, and that is any object the trace did not allocate, or allocated and
 *    let escape.
 *  - the `label` keeps only what holds in every iteration (the body runs many times, on the heap
 *    the previous iteration left): entries whose object and value are invariant at the label
 *    (not rebound by the back-edge: rewrite.ts, LabelBoundary), in fields the loop never writes
 *    and, for items, only if the loop writes no item (what the loop may write comes from the
 *    effect flags of the ops after the label: a call may write anything). A read in the body of
 *    such an entry goes: its value is read once, before the label (a short preamble without
 *    extra label arguments, since the body may use any value defined before the label).
 * A cached value replaces a read only if it has the read's type (an item of an int array read
 * as float is undefined behaviour, but must not produce an ill-typed trace). A read the label
 * needs stays (LabelBoundary: one defining a label argument, or crossing the label with a label
 * argument as cached value), its uses before the label see the cached value, and the label
 * forgets that replacement. A fresh object's fields are known to be zero. Tables are keyed by field, so forgetting one field of every object is one delete; each
 * entry is added once, so the pass is linear.
 *
 * Pre:  the trace validates.
 * Post: the trace validates; it has no more ops of any kind; on every run without undefined
 *       behaviour it has the input's outcome.
 *
 * Before:                                  After:
 *   [p0, p1]                                 [p0, p1]
 *   i2 = getfield(p0, intval)                i2 = getfield(p0, intval)
 *   setfield(p1, floatval, 1.5)              setfield(p1, floatval, 1.5)
 *   i3 = getfield(p0, intval)                escape(p1)
 *   f4 = getfield(p1, floatval)              i5 = getfield(p0, intval)
 *   escape(p1)                               finish(i2, 1.5, i5)
 *   i5 = getfield(p0, intval)
 *   finish(i3, f4, i5)
 *
 * Proof notes: proofs-notes/heapcache.md.
 */
import { type Arg, cint, effectsOf, type Op, type OpName, sameArg, type Trace, type Type, typeOfArg, v, zeroOf } from '../ir/index.ts';
import { LabelBoundary, type LoopWrites, mapOperands } from './rewrite.ts';

/**
 * A cache key for a value: a variable's name, a prebuilt object's `@name` (reads of prebuilt
 * objects are ordinary heap reads), or the text of a constant index. `null` as a target is an
 * access to null, undefined behaviour (the reference stops there), so what the cache holds under
 * its key never matters; a float is never a target or an index (validate.ts).
 */
const key = (arg: Arg): string => {
  if (arg.kind === 'var') return arg.name;
  if (arg.kind === 'prebuilt') return `@${arg.name}`;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: each mutant gives an int the key `~value`, or null or a float (never asked for a result that matters) a `#` one: still a key of its own, unlike any name's; the `#` only spares the invariant test at the label a lookup
  if (arg.kind === 'int') return `#${arg.value}`;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: as said above, the key of null or of a float is never asked for a result that matters
  return arg.kind === 'null' ? 'null' : `~${arg.value}`;
};

export type CacheTable = 'fields' | 'items' | 'lengths';

/** The tables of the cache an op makes it forget entirely (see the header for why). */
export type Forgetting = (name: OpName) => readonly CacheTable[];

const NOTHING: readonly CacheTable[] = [];
const CONTENTS: readonly CacheTable[] = ['fields', 'items'];
const EVERYTHING: readonly CacheTable[] = ['fields', 'items', 'lengths'];

/**
 * What an op the cache has no rule for forgets, from its effect flags alone: the loop header
 * everything; an op that may write the heap or lets its operands escape every field and item
 * (it may change any of them); anything else nothing. Lengths survive writes and calls: no op of
 * the IR changes the length of an array once allocated.
 */
export const forgetsByEffects: Forgetting = (name) => {
  const e = effectsOf(name);
  // Stryker disable next-line ConditionalExpression: the label, the one loop header of the table, is never asked: heapcache keeps across it what holds (keepAcrossLabel); this is the answer for another
  if (e.loopHeader) return EVERYTHING;
  return e.writesHeap || e.escapes ? CONTENTS : NOTHING;
};

export function heapcache(trace: Trace): Trace {
  return heapcacheWith(trace, forgetsByEffects);
}

/** What the loop may write, as LabelBoundary summarizes it. */
export const loopWritesOf = (boundary: LabelBoundary): LoopWrites => boundary.loopWrites;

/**
 * heapcache with other forgetting rules, and another reading of what the loop writes: how tests
 * build a deliberately broken cache.
 */
export function heapcacheWith(trace: Trace, forgets: Forgetting, loopWrites: (boundary: LabelBoundary) => LoopWrites = loopWritesOf): Trace {
  const boundary = new LabelBoundary(trace.ops);
  const replaced = new Map<string, Arg>();
  /** "C.f" -> object -> value. */
  let fields = new Map<string, Map<string, Arg>>();
  /** array -> index -> value. */
  let items = new Map<string, Map<string, Arg>>();
  /** array -> length. */
  let lengths = new Map<string, Arg>();
  const out: Op[] = [];

  // Stryker disable next-line ConditionalExpression: `true` cannot change a result: a constant has no name, and no key is undefined
  const value = (arg: Arg): Arg => (arg.kind === 'var' ? (replaced.get(arg.name) ?? arg) : arg);
  /** Per class and field: its table key `C.f` and its type, built once (not a string per op). */
  const fieldInfo = new Map<string, Map<string, { readonly key: string; readonly type: Type }>>();
  for (const c of trace.classes) fieldInfo.set(c.name, new Map(c.fields.map((f) => [f.name, { key: `${c.name}.${f.name}`, type: f.type }])));
  const infoOf = (descr: { cls: string; field: string }) => fieldInfo.get(descr.cls)!.get(descr.field)!;
  const table = <K, V>(map: Map<K, Map<string, V>>, k: K): Map<string, V> => {
    let inner = map.get(k);
    if (!inner) map.set(k, (inner = new Map()));
    return inner;
  };
  /**
   * Reuses `cached` for the op's result if allowed: its uses see `cached`, and the op goes unless
   * the label needs it (rewrite.ts, LabelBoundary: a label argument, or a value the body uses
   * whose cached value is a label argument). Returns whether the op goes.
   */
  const reuse = (op: Op, cached: Arg | undefined, type: Type): boolean => {
    // Stryker disable next-line ConditionalExpression: a cached value of another type is a read of the same field (one type, validate.ts) or of the same array as another element type, undefined behaviour
    if (cached === undefined || typeOfArg(cached) !== type) return false;
    replaced.set(op.result!, cached);
    return boundary.mayDrop(op.result!, cached);
  };

  for (const original of trace.ops) {
    // At the label, forget first what replaced its arguments: the back-edge rebinds them, and
    // the label's exit is written in terms of them.
    if (original.name === 'label') {
      for (const name of boundary.rebound((name) => replaced.get(name))) replaced.delete(name);
      keepAcrossLabel(loopWrites(boundary));
    }
    const op = original.name === 'label' ? { ...original, exit: original.exit && mapOperands(original, value).exit } : mapOperands(original, value);
    const [target, second, third] = op.args;
    switch (op.name) {
      case 'getfield': {
        const info = infoOf(op.descr as { cls: string; field: string });
        const at = key(target!);
        const known = fields.get(info.key);
        const cached = known?.get(at);
        if (reuse(op, cached, info.type)) continue;
        out.push(op);
        table(fields, info.key).set(at, v(op.result!));
        break;
      }
      case 'setfield': {
        const info = infoOf(op.descr as { cls: string; field: string });
        const at = key(target!);
        const known = fields.get(info.key)?.get(at);
        // The field already holds that value (a fresh object's zero, a value just read or
        // written): the write changes no object, so it goes and every entry stays true.
        if (known !== undefined && sameArg(known, second!)) break;
        out.push(op);
        // Forget the field of every other object: the table is emptied in place (no table is
        // shared), rather than replaced by a new Map built from an iterable at every write.
        const written = fields.get(info.key);
        if (written === undefined) {
          table(fields, info.key).set(at, second!);
        } else {
          written.clear();
          written.set(at, second!);
        }
        break;
      }
      case 'getarrayitem': {
        const at = key(target!);
        const index = key(second!);
        const cached = items.get(at)?.get(index);
        if (reuse(op, cached, (op.descr as { type: Type }).type)) continue;
        out.push(op);
        table(items, at).set(index, v(op.result!));
        break;
      }
      case 'setarrayitem': {
        const at = key(target!);
        const index = key(second!);
        const known = items.get(at)?.get(index);
        if (known !== undefined && sameArg(known, third!)) break;
        out.push(op);
        items = new Map();
        table(items, at).set(index, third!);
        break;
      }
      case 'arraylen': {
        const at = key(target!);
        const cached = lengths.get(at);
        if (reuse(op, cached, 'int')) continue;
        out.push(op);
        lengths.set(at, v(op.result!));
        break;
      }
      case 'new':
        out.push(op);
        for (const info of fieldInfo.get((op.descr as { cls: string }).cls)!.values()) table(fields, info.key).set(op.result!, zeroOf(info.type));
        break;
      case 'new_array': {
        out.push(op);
        const n = op.args[0]!;
        // Stryker disable next-line EqualityOperator: `<=` cannot change a result: a length of 0 is 0 either way
        if (n.kind === 'int') lengths.set(op.result!, cint(n.value < 0n ? 0n : n.value));
        break;
      }
      default:
        out.push(op);
        if (op.name !== 'label') forget(forgets(op.name));
    }
  }
  return { ...trace, ops: out };

  /**
   * At the label, the cache keeps only what holds in every iteration: entries whose object (and
   * index) and value are invariant at the label, in fields the loop never writes (items: if it
   * writes none; lengths never change). The loop's reads of those go: their value is computed
   * once, before the label (proofs-notes/loops.md).
   */
  function keepAcrossLabel(writes: LoopWrites): void {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,MethodExpression: a shortcut: `#…` (a constant index) and `@…` (a prebuilt object) are no label argument's name, so invariantAtLabel answers true for them too
    const invariant = (k: string) => k.startsWith('#') || k.startsWith('@') || boundary.invariantAtLabel(v(k));
    const keep = <V extends Arg>(table: Map<string, V>) => {
      for (const [at, value] of table) if (!invariant(at) || !boundary.invariantAtLabel(value)) table.delete(at);
    };
    if (writes.any) {
      fields = new Map();
      items = new Map();
    }
    for (const [field, table] of fields) (writes.fields.has(field) ? fields.delete(field) : keep(table));
    if (writes.items) items = new Map();
    for (const [at, table] of items) (invariant(at) ? keep(table) : items.delete(at));
    keep(lengths);
  }

  function forget(tables: readonly CacheTable[]): void {
    for (const forgotten of tables) {
      if (forgotten === 'fields') fields = new Map();
      if (forgotten === 'items') items = new Map();
      if (forgotten === 'lengths') lengths = new Map();
    }
  }
}
