/**
 * The linear-memory layout shared by the emitted code and the host: where things live in the
 * one `WebAssembly.Memory`, and how objects and arrays are laid out, from the class declarations.
 *
 * Memory map (byte addresses; every slot is 8 bytes and 8-aligned):
 *
 *   0           the null object's header: always 0, so `guard_class(null, C)` fails by reading it
 *   8           HEAP_TOP: an exiting trace leaves its heap pointer here (i32)
 *   12          FUEL_LEFT: and the fuel it had left in that call (i32), which tells the host how
 *               many back-edges the run took before a guard or finish exit
 *   16          the exchange area, `ioSlots` slots: input args and loop state in; exit values,
 *               finish args and escape args out
 *   heapStart   the spill area: the memory slots of the variables the emitter keeps out of
 *               locals (none unless a trace has very many values live at once; emit.ts)
 *   then        the trace's prebuilt objects, in declaration order, written by the host before
 *               every run (the code refers to them by these addresses, as i32 constants)
 *   then        the heap, allocated upward by bumping a pointer; never freed within a run
 *
 * Cells (the first word is the tag, the rest is 8-byte slots; ints i64, floats f64, refs i32):
 *
 *   object   [class id >= 1 : i32][unused : i32][field 0][field 1]…    (declaration order)
 *   array    [-1 int | -2 float | -3 ref : i32][length : i32][item 0][item 1]…
 *
 * A ref is the cell's address; null is 0. Everything is zeroed by the allocating code, because
 * the memory is reused from run to run.
 */
import type { ClassDecl, HeapObjectDesc, Type } from '../ir/index.ts';

export const SLOT = 8;
export const HEADER = 8;
export const NULL_ADDRESS = 0;
export const HEAP_TOP = 8;
export const FUEL_LEFT = 12;
export const IO_BASE = 16;
export const PAGE = 65536;

/** Arrays longer than this are undefined behaviour in the IR; the wasm code exits on them. */
export const MAX_ARRAY_LENGTH = 1_000_000;

// Stryker disable next-line ObjectLiteral,UnaryOperator: module-level data, switched once when the module loads, which Stryker cannot do per test under vitest (its mutants "survive" without having run); applied by hand, `{}` fails 12 tests of test/wasm and `int: +1` 7
export const ARRAY_TAG: Readonly<Record<Type, number>> = { int: -1, float: -2, ref: -3 };
// Stryker disable next-line ArrayDeclaration: module-level data too, built once when the module loads; applied by hand, `[]` for an entry fails 12 tests of test/wasm
const ELEM_OF_TAG = new Map<number, Type>(Object.entries(ARRAY_TAG).map(([t, tag]) => [tag, t as Type]));

export function elemOfTag(tag: number): Type | undefined {
  return ELEM_OF_TAG.get(tag);
}

/** Address of exchange slot `k`. */
export function ioSlot(k: number): number {
  return IO_BASE + SLOT * k;
}

export function heapStart(ioSlots: number): number {
  return ioSlot(ioSlots);
}

export interface ClassLayout {
  readonly name: string;
  readonly id: number;
  readonly size: number;
  readonly fields: readonly { readonly name: string; readonly type: Type; readonly offset: number }[];
}

/** Class ids and field offsets of one trace's classes. */
export class HeapLayout {
  private readonly byName = new Map<string, ClassLayout>();
  // Stryker disable next-line ArrayDeclaration: an item at index 0 cannot change a result: class ids start at 1 and classOfTag reads byId only for tags >= 1
  private readonly byId: ClassLayout[] = [];

  constructor(classes: readonly ClassDecl[]) {
    classes.forEach((c, k) => {
      const layout: ClassLayout = {
        name: c.name,
        id: k + 1,
        size: HEADER + SLOT * c.fields.length,
        fields: c.fields.map((f, j) => ({ name: f.name, type: f.type, offset: HEADER + SLOT * j })),
      };
      this.byName.set(c.name, layout);
      this.byId[layout.id] = layout;
    });
  }

  cls(name: string): ClassLayout {
    const layout = this.byName.get(name);
    if (!layout) throw new Error(`no class ${name}`);
    return layout;
  }

  /** The class with this tag, or undefined (arrays, or a word that is no tag at all). */
  classOfTag(tag: number): ClassLayout | undefined {
    // Stryker disable next-line ConditionalExpression: `true` for `tag >= 1` cannot change the result: byId has nothing at 0 (ids start at 1) nor at a negative index, so it gives undefined for those tags too (the test keeps that explicit; its `false` mutant fails test/wasm/layout.test.ts)
    return tag >= 1 ? this.byId[tag] : undefined;
  }

  fieldOffset(cls: string, field: string): number {
    const f = this.cls(cls).fields.find((x) => x.name === field);
    if (!f) throw new Error(`no field ${cls}.${field}`);
    return f.offset;
  }
}

export function arraySize(length: number): number {
  return HEADER + SLOT * length;
}

/**
 * Where the prebuilt objects live: from `start` on, one after the other in declaration order.
 * Returns each one's address by name and the first address after them (where the heap begins).
 */
export function prebuiltAddresses(
  objects: readonly HeapObjectDesc[],
  layout: HeapLayout,
  start: number,
): { readonly addresses: ReadonlyMap<string, number>; readonly end: number } {
  const addresses = new Map<string, number>();
  let next = start;
  for (const o of objects) {
    addresses.set(o.name, next);
    next += o.kind === 'object' ? layout.cls(o.cls).size : arraySize(o.items.length);
  }
  return { addresses, end: next };
}
