/**
 * Random input heaps for a *given* trace (a golden file, a file passed to `boxless check`; a ref
 * may point at one of the trace's prebuilt objects):
 * one value per input, of its type, with a small pool of objects of the trace's own classes and
 * arrays that refer to each other (sharing, cycles, nulls).
 *
 * Biased toward heaps the trace can run on, as build.ts does for generated traces: `traceHints`
 * reads the trace's first iteration (the ops before its label or jump) and notes, for every
 * value reached from an input along fields and constant array indices (a *path*: `0`, `0.next`,
 * `1[2]`), what the first check on it asks: the class of the first `guard_class` or field
 * access, an array (of an element type, long enough for the constant indices read), non-null or
 * null, the constants `guard_value`/`int_eq`/`int_ne` compare an int with, the input a ref is
 * `guard_value`d against. Every argument and pool object draws a `fit` flag (5 in 6 fit): a fitting
 * one takes what its path asks, the others keep their random class, kind or value, so wrong
 * classes, nulls and failing guards stay covered. Objects reached along several paths take the
 * first one's shape (arguments in order, then breadth first), so such heaps may still make the
 * trace read a field of the wrong class: undefined behaviour, which the equivalence check treats
 * as making no claim (the run costs time and proves nothing). Small ints dominate so that loops
 * such as Figure 2's end within the fuel.
 */
import fc from 'fast-check';
import type { Arg, ClassDecl, HeapObjectDesc, HeapValue, InputSet, Trace, Type } from '../../src/ir/index.ts';
import { typeOfVar } from '../../src/ir/index.ts';

const EDGE_INTS = [0n, 1n, -1n, 2n, 3n, 10n, -100n, 63n, 64n, (1n << 63n) - 1n, -(1n << 63n)];
const EDGE_FLOATS = [0, -0, 1, -1.5, 2.5, NaN, Infinity, -Infinity, 1e300];
const ELEMS: readonly Type[] = ['int', 'float', 'ref'];
const MAX_POOL = 5;

// ---------------------------------------------------------------------------------------------
// What the trace asks of its inputs

/** What the first iteration's first checks ask of the value at one path. */
export interface PathHint {
  /** The class the first `guard_class`, `getfield` or `setfield` on it expects. */
  cls?: string;
  /** An array: its element type (when an item is read or written) and the least length the constant indices need. */
  array?: { elem?: Type; minLength: number };
  nonnull?: boolean;
  isnull?: boolean;
  /** Ints it is compared with for equality (`guard_value`, `int_eq`, `int_ne`). */
  readonly ints: bigint[];
  /** The earlier input a `guard_value` compares it with (refs). */
  sameAs?: number;
}

/**
 * Hints by path (`k` for input k, `path.field`, `path[index]`) from the trace's first iteration.
 * A path's shape is fixed by the first op that asks something of it.
 */
export function traceHints(trace: Trace): Map<string, PathHint> {
  const hints = new Map<string, PathHint>();
  const pathOf = new Map<string, string>();
  trace.inputs.forEach((input, k) => pathOf.set(input.name, String(k)));
  /** Fields and items written before they are read: their reads no longer see the input heap. */
  const written = new Set<string>();
  const hint = (path: string): PathHint => {
    let h = hints.get(path);
    if (!h) hints.set(path, (h = { ints: [] }));
    return h;
  };
  const path = (arg: Arg | undefined): string | undefined => (arg?.kind === 'var' ? pathOf.get(arg.name) : undefined);
  const shaped = (h: PathHint) => h.cls !== undefined || h.array !== undefined || h.isnull === true;
  const asArray = (h: PathHint, elem: Type | undefined, minLength: number) => {
    if (h.cls !== undefined || h.isnull) return;
    h.array ??= { minLength: 0 };
    h.array.elem ??= elem;
    h.array.minLength = Math.max(h.array.minLength, minLength);
  };
  const constIndex = (arg: Arg | undefined) => (arg?.kind === 'int' && arg.value >= 0n && arg.value < 16n ? Number(arg.value) : undefined);

  for (const op of trace.ops) {
    if (op.name === 'label' || op.name === 'jump' || op.name === 'finish') break;
    const p0 = path(op.args[0]);
    switch (op.name) {
      case 'guard_class':
        if (p0 !== undefined && op.descr?.kind === 'class' && !shaped(hint(p0))) hint(p0).cls = op.descr.cls;
        break;
      case 'getfield':
      case 'setfield': {
        if (p0 === undefined || op.descr?.kind !== 'field') break;
        const h = hint(p0);
        if (!shaped(h)) h.cls = op.descr.cls;
        const fieldPath = `${p0}.${op.descr.field}`;
        if (op.name === 'setfield') written.add(fieldPath);
        else if (!written.has(fieldPath) && op.result) pathOf.set(op.result, fieldPath);
        break;
      }
      case 'getarrayitem':
      case 'setarrayitem': {
        if (p0 === undefined) break;
        const index = constIndex(op.args[1]);
        asArray(hint(p0), op.descr?.kind === 'elem' ? op.descr.type : undefined, (index ?? 0) + 1);
        if (index === undefined) break;
        const itemPath = `${p0}[${index}]`;
        if (op.name === 'setarrayitem') written.add(itemPath);
        else if (!written.has(itemPath) && op.result) pathOf.set(op.result, itemPath);
        break;
      }
      case 'arraylen':
        if (p0 !== undefined) asArray(hint(p0), undefined, 0);
        break;
      case 'guard_nonnull':
        if (p0 !== undefined && !hint(p0).isnull) hint(p0).nonnull = true;
        break;
      case 'guard_isnull':
        if (p0 !== undefined && !shaped(hint(p0)) && !hint(p0).nonnull) hint(p0).isnull = true;
        break;
      case 'guard_value':
      case 'int_eq':
      case 'int_ne': {
        const [a, b] = op.args;
        for (const [x, y] of [
          [a, b],
          [b, a],
        ] as const) {
          const px = path(x);
          if (px === undefined || !y) continue;
          if (y.kind === 'int') hint(px).ints.push(y.value);
          else if (y.kind === 'null' && !shaped(hint(px)) && !hint(px).nonnull) hint(px).isnull = true;
          else if (y.kind === 'var' && typeOfVar(y.name) === 'ref') {
            const py = path(y);
            // Only input against earlier input: the later one is made the same object.
            if (py !== undefined && /^\d+$/.test(px) && /^\d+$/.test(py) && Number(py) < Number(px)) hint(px).sameAs ??= Number(py);
          }
        }
        break;
      }
    }
  }
  return hints;
}

// ---------------------------------------------------------------------------------------------
// Raw random material, resolved against the hints

interface RawValue {
  readonly int: bigint;
  readonly float: number;
  /** A pool index, or null. */
  readonly ref: number | null;
  /** When the trace has prebuilt objects: the index of one this ref points at instead (1 in 5), or null. */
  readonly prebuilt: number | null;
}

interface RawObject {
  /** Takes the shape its path asks for. */
  readonly fit: boolean;
  /** Kind when nothing (or nothing fitting) shapes it: a class of the trace, or an array. */
  readonly kind: number;
  readonly values: readonly RawValue[];
  readonly length: number;
}

interface RawInputSet {
  readonly poolSize: number;
  readonly args: readonly { readonly fit: boolean; readonly value: RawValue }[];
  readonly objects: readonly RawObject[];
}

const arbInt: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 12 }).map(BigInt) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_INTS) },
);
const arbFloat: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -8, max: 8 }).map((n) => n / 2) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_FLOATS) },
);
/** Refs: an object of the pool (4 in 5) or null. */
const arbRef: fc.Arbitrary<number | null> = fc.oneof(
  { weight: 4, arbitrary: fc.nat(MAX_POOL - 1) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const arbPrebuilt: fc.Arbitrary<number | null> = fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(7) });
const arbRaw: fc.Arbitrary<RawValue> = fc.record({ int: arbInt, float: arbFloat, ref: arbRef, prebuilt: arbPrebuilt });
/** Five in six values and objects fit what the trace asks of them. */
const arbFit = fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });

function arbRawInputSet(trace: Trace): fc.Arbitrary<RawInputSet> {
  // Objects of the trace's classes are what its guards expect; arrays are rarer (weight 4 each against 1).
  const kinds = 4 * trace.classes.length + ELEMS.length;
  return fc.record({
    poolSize: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.integer({ min: 1, max: MAX_POOL }) }),
    args: fc.tuple(...trace.inputs.map(() => fc.record({ fit: arbFit, value: arbRaw }))),
    objects: fc.tuple(
      ...Array.from({ length: MAX_POOL }, () =>
        fc.record({ fit: arbFit, kind: fc.nat(kinds - 1), values: fc.array(arbRaw, { minLength: 1, maxLength: 4 }), length: fc.nat(4) }),
      ),
    ),
  });
}

type Shape = { readonly kind: 'object'; readonly cls: ClassDecl } | { readonly kind: 'array'; readonly elem: Type; readonly length: number };

function fits(h: PathHint | undefined, shape: Shape): boolean {
  if (h?.cls !== undefined) return shape.kind === 'object' && shape.cls.name === h.cls;
  if (h?.array !== undefined) return shape.kind === 'array' && (h.array.elem ?? shape.elem) === shape.elem && shape.length >= h.array.minLength;
  return true;
}

function shapeOfPrebuilt(trace: Trace, o: HeapObjectDesc): Shape {
  return o.kind === 'object' ? { kind: 'object', cls: trace.classes.find((c) => c.name === o.cls)! } : { kind: 'array', elem: o.elem, length: o.items.length };
}

function resolveInputSet(trace: Trace, hints: ReadonlyMap<string, PathHint>, raw: RawInputSet): InputSet {
  const { poolSize } = raw;
  /** The shape of each pool object, fixed by the first path that reaches it (when it fits) or by its raw kind. */
  const shapes: (Shape | undefined)[] = new Array(poolSize).fill(undefined);
  const queue: { index: number; path: string | undefined }[] = [];

  const shapeFor = (index: number, path: string | undefined): Shape => {
    const obj = raw.objects[index]!;
    const h = obj.fit && path !== undefined ? hints.get(path) : undefined;
    const cls = h?.cls !== undefined ? trace.classes.find((c) => c.name === h.cls) : undefined;
    if (cls) return { kind: 'object', cls };
    const length = Math.max(obj.length, h?.array?.minLength ?? 0);
    if (h?.array?.elem) return { kind: 'array', elem: h.array.elem, length };
    const byKind = trace.classes[Math.floor(obj.kind / 4)];
    if (byKind && !h?.array) return { kind: 'object', cls: byKind };
    return { kind: 'array', elem: ELEMS[obj.kind % ELEMS.length]!, length };
  };
  /** Pool object `index`, reached along `path`: shaped now if it is the first path to reach it, filled in later. */
  const claim = (index: number, path: string | undefined): void => {
    if (shapes[index] !== undefined) return;
    shapes[index] = shapeFor(index, path);
    queue.push({ index, path });
  };

  /** A value of `type` at `path` from raw material. */
  const value = (type: Type, path: string | undefined, fit: boolean, raw: RawValue, fallback: number): HeapValue => {
    const h = path === undefined ? undefined : hints.get(path);
    switch (type) {
      case 'int':
        return { kind: 'int', value: fit && h && h.ints.length > 0 ? h.ints[Number(BigInt.asUintN(8, raw.int)) % h.ints.length]! : raw.int };
      case 'float':
        return { kind: 'float', value: raw.float };
      case 'ref': {
        if (poolSize === 0 || (fit && h?.isnull)) return { kind: 'null' };
        const wantsObject = fit && h !== undefined && (h.cls !== undefined || h.array !== undefined || h.nonnull === true);
        const prebuilt = raw.prebuilt === null || !trace.prebuilt?.length ? undefined : trace.prebuilt[raw.prebuilt % trace.prebuilt.length]!;
        if (prebuilt && (!fit || fits(h, shapeOfPrebuilt(trace, prebuilt)))) return { kind: 'obj', name: prebuilt.name };
        const picked = raw.ref ?? (wantsObject ? fallback : null);
        if (picked === null) return { kind: 'null' };
        let index = picked % poolSize;
        // A fitting ref whose pick is already shaped otherwise takes an unclaimed object, if any is left.
        const shape = shapes[index];
        if (wantsObject && shape !== undefined && !fits(h, shape)) {
          const free = Array.from({ length: poolSize }, (_, k) => (index + k) % poolSize).find((j) => shapes[j] === undefined);
          if (free !== undefined) index = free;
        }
        claim(index, path);
        return { kind: 'obj', name: `o${index}` };
      }
    }
  };

  const args: HeapValue[] = [];
  trace.inputs.forEach((input, k) => {
    const { fit, value: rawValue } = raw.args[k]!;
    const sameAs = hints.get(String(k))?.sameAs;
    args.push(fit && sameAs !== undefined ? args[sameAs]! : value(typeOfVar(input.name), String(k), fit, rawValue, k));
  });

  // Fill the claimed objects breadth first from the arguments (so the shortest path to an object
  // shapes it), then the rest of the pool.
  const objects: HeapObjectDesc[] = new Array(poolSize);
  const fill = ({ index, path }: { index: number; path: string | undefined }): void => {
    const name = `o${index}`;
    const obj = raw.objects[index]!;
    const rawValue = (k: number) => obj.values[k % obj.values.length]!;
    const child = (step: string) => (path === undefined ? undefined : `${path}${step}`);
    const shape = shapes[index]!;
    if (shape.kind === 'object') {
      const fields = shape.cls.fields.map((f, k) => ({ field: f.name, value: value(f.type, child(`.${f.name}`), obj.fit, rawValue(k), index + k + 1) }));
      objects[index] = { name, kind: 'object', cls: shape.cls.name, fields };
    } else {
      const items = Array.from({ length: shape.length }, (_, k) => value(shape.elem, child(`[${k}]`), obj.fit, rawValue(k), index + k + 1));
      objects[index] = { name, kind: 'array', elem: shape.elem, items };
    }
  };
  let next = 0;
  const drain = () => {
    while (next < queue.length) fill(queue[next++]!);
  };
  drain();
  for (let index = 0; index < poolSize; index++) {
    claim(index, undefined);
    drain();
  }
  return { name: 'random', args, objects };
}

/** Input sets for `trace`, named `random` (callers rename when they keep several). */
export function arbInputSet(trace: Trace): fc.Arbitrary<InputSet> {
  const hints = traceHints(trace);
  return arbRawInputSet(trace).map((raw) => resolveInputSet(trace, hints, raw));
}

/** `count` input sets for `trace`, deterministic for a seed, named random1, random2, … */
export function sampleInputSets(trace: Trace, count: number, seed: number): InputSet[] {
  if (count <= 0) return [];
  return fc.sample(arbInputSet(trace), { numRuns: count, seed }).map((set, k) => ({ ...set, name: `random${k + 1}` }));
}
