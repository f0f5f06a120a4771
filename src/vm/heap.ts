/**
 * The guest heap: every Python value lives in the one `WebAssembly.Memory` compiled traces use
 * (`sharedMemory()`), laid out exactly as src/wasm/layout.ts lays out a trace's objects, so that
 * a trace recorded from this heap declares these classes and compiled code reads and writes the
 * interpreter's objects in place.
 *
 * Object model (PyPy's, as the seed paper assumes): every value is a ref to a cell.
 *
 *   object   [class id >= 1 : i32][gc word : i32][field 0][field 1]…   8-byte slots
 *   array    [-1 int | -2 float | -3 ref : i32][length : i32][item 0]…  8-byte items
 *   chars    [-4 : i32][length : i32][UTF-16 code units, 2 bytes each, padded to 8]
 *
 * The chars cell is the VM's own (strings' storage); traces treat a str's `chars` as opaque. The
 * gc word is the layout's "unused" word: zero outside a collection, a forwarding address during
 * one. int fields are i64 (two i32 halves, little-endian), floats f64, refs i32 with a zero upper
 * half. Class ids are the positions in `classes` (1-based), the builtin classes first in the
 * fixed order of BUILTIN_CLASSES, then user classes in creation order: `classDecls()` is the trace
 * IR's class list, and `new HeapLayout(classDecls())` gives every class the same id and offsets.
 *
 * Why every user-class field is a ref: a Python attribute holds any value, so `BoxedInteger`'s
 * `intval` holds a ref to a `W_IntObject(intval: int)`: the paper's boxes are this VM's ints.
 *
 * Memory map: page 0 is the trace exchange area of layout.ts (null header at 0, HEAP_TOP at 8,
 * exchange slots from 16) plus two VM words at its end; the heap's two semispaces start at
 * HEAP_BASE. Allocation protocol: see `reserve` and proofs-notes/vm-heap.md.
 */
import type { ClassDecl, Type } from '../ir/index.ts';
import { sharedMemory, sharedMemoryUntouched, type WasmMemory } from '../wasm/engine.ts';
import { ARRAY_TAG, HEADER, HEAP_TOP, PAGE, SLOT } from '../wasm/layout.ts';

/** Where the heap starts: page 0 stays the trace exchange area. */
export const HEAP_BASE = PAGE;
/** The allocation limit of the current semispace (i32), published with the bump pointer at HEAP_TOP. */
export const HEAP_LIMIT = PAGE - 8;
/**
 * The immortal cells, at fixed addresses at the end of page 0 (below HEAP_BASE, never moved or
 * collected): None, False and True. Their addresses are constants, for the interpreter's `is`
 * tests and for traces (guard_value). The exchange area may use page 0 up to IMMORTAL_START.
 */
export const NONE = PAGE - 48;
export const FALSE = PAGE - 40;
export const TRUE = PAGE - 24;
export const IMMORTAL_START = NONE;
export const CHARS_TAG = -4;
/** A from-space cell already copied: its gc word holds the new address. */
export const FORWARDED_TAG = -100;
/**
 * Bytes one instruction may allocate without calling `reserve` first: larger allocations (long
 * strings, big ints, long lists) reserve their exact size at the start of their instruction.
 */
export const SMALL_ALLOC = 1024;
/** The least free space a safepoint leaves (see `Heap.reserveBytes`). */
export const MIN_RESERVE = 64 * 1024;
export const DEFAULT_HEAP_BYTES = 512 * 1024 * 1024;
const INITIAL_SEMISPACE = 1 << 20;

export const TAG_INT_ARRAY = ARRAY_TAG.int;
export const TAG_FLOAT_ARRAY = ARRAY_TAG.float;
export const TAG_REF_ARRAY = ARRAY_TAG.ref;

/** The builtin classes, in class-id order (id = index + 1). `py` is the name Python shows. */
export const BUILTIN_CLASSES = [
  { name: 'W_NoneObject', py: 'NoneType', fields: [] },
  { name: 'W_BoolObject', py: 'bool', fields: [['intval', 'int']] },
  { name: 'W_IntObject', py: 'int', fields: [['intval', 'int']] },
  { name: 'W_LongObject', py: 'int', fields: [['sign', 'int'], ['digits', 'ref']] },
  { name: 'W_FloatObject', py: 'float', fields: [['floatval', 'float']] },
  { name: 'W_StrObject', py: 'str', fields: [['chars', 'ref']] },
  { name: 'W_ListObject', py: 'list', fields: [['length', 'int'], ['items', 'ref']] },
  { name: 'W_TupleObject', py: 'tuple', fields: [['items', 'ref']] },
  { name: 'W_FunctionObject', py: 'function', fields: [['code', 'int'], ['defaults', 'ref']] },
  { name: 'W_MethodObject', py: 'method', fields: [['self', 'ref'], ['func', 'ref']] },
  { name: 'W_TypeObject', py: 'type', fields: [['typeid', 'int']] },
  { name: 'W_BuiltinFunction', py: 'builtin_function_or_method', fields: [['builtin', 'int'], ['self', 'ref']] },
  { name: 'W_ModuleObject', py: 'module', fields: [['module', 'int']] },
  { name: 'W_RangeObject', py: 'range', fields: [['start', 'int'], ['stop', 'int'], ['step', 'int']] },
  { name: 'W_RangeIterator', py: 'range_iterator', fields: [['current', 'int'], ['stop', 'int'], ['step', 'int']] },
  { name: 'W_SeqIterator', py: 'iterator', fields: [['seq', 'ref'], ['index', 'int']] },
] as const satisfies readonly { name: string; py: string; fields: readonly (readonly [string, Type])[] }[];

type BuiltinName = (typeof BUILTIN_CLASSES)[number]['name'];
function idOf(name: BuiltinName): number {
  return BUILTIN_CLASSES.findIndex((c) => c.name === name) + 1;
}
export const C_NONE = idOf('W_NoneObject');
export const C_BOOL = idOf('W_BoolObject');
export const C_INT = idOf('W_IntObject');
export const C_LONG = idOf('W_LongObject');
export const C_FLOAT = idOf('W_FloatObject');
export const C_STR = idOf('W_StrObject');
export const C_LIST = idOf('W_ListObject');
export const C_TUPLE = idOf('W_TupleObject');
export const C_FUNCTION = idOf('W_FunctionObject');
export const C_METHOD = idOf('W_MethodObject');
export const C_TYPE = idOf('W_TypeObject');
export const C_BUILTIN = idOf('W_BuiltinFunction');
export const C_MODULE = idOf('W_ModuleObject');
export const C_RANGE = idOf('W_RangeObject');
export const C_RANGE_ITER = idOf('W_RangeIterator');
export const C_SEQ_ITER = idOf('W_SeqIterator');
export const FIRST_USER_CLASS = BUILTIN_CLASSES.length + 1;

/** Byte offset of field k of an object. */
export function fieldOffset(k: number): number {
  return HEADER + SLOT * k;
}

/** One class: its trace-IR declaration and what the collector needs. */
export interface HeapClass {
  readonly id: number;
  /** The trace IR's name (unique). */
  readonly irName: string;
  /** The name Python shows (type(x).__name__). */
  readonly pyName: string;
  readonly fields: readonly { readonly name: string; readonly type: Type }[];
  readonly size: number;
  /** Byte offsets of the ref fields. */
  readonly refOffsets: Int32Array;
}

/** Thrown when the heap cannot hold what is asked: the program ends with MemoryError. */
export class HeapExhausted extends Error {}

export interface HeapOptions {
  /** Bytes the two semispaces may take together (default DEFAULT_HEAP_BYTES). */
  readonly heapBytes?: number;
  /** Collect at every safepoint after an allocation (tests). */
  readonly gcStress?: boolean;
  /** What each safepoint leaves free (default MIN_RESERVE). */
  readonly reserveBytes?: number;
}

export class Heap {
  readonly memory: WasmMemory = sharedMemory();
  i32!: Int32Array;
  u32!: Uint32Array;
  f64!: Float64Array;
  u16!: Uint16Array;
  u8!: Uint8Array;

  readonly classes: (HeapClass | undefined)[] = [undefined];
  private readonly irNames = new Set<string>();

  /** The bump pointer and its end: [hp, limit) is free in the current semispace. */
  hp = 0;
  limit = 0;
  /** Past this, the next safepoint collects (limit - reserveBytes, or hp itself under gcStress). */
  softLimit = 0;
  /**
   * What a safepoint leaves free: enough for every instruction up to the next safepoint. The
   * interpreter's safepoints are calls, returns and back-edges, so at most one code object's
   * straight-line instructions run between two: SMALL_ALLOC bytes times its instruction count.
   */
  reserveBytes = MIN_RESERVE;
  /** Current semispace and the other one. */
  spaceStart = 0;
  otherStart = 0;
  semispace = 0;
  readonly maxSemispace: number;
  readonly gcStress: boolean;
  collections = 0;
  /** Whether the last collection found more live data than half the semispace it started in. */
  grewLastCollection = false;

  constructor(options: HeapOptions = {}) {
    const heapBytes = options.heapBytes ?? DEFAULT_HEAP_BYTES;
    this.maxSemispace = Math.max(4 * MIN_RESERVE, Math.floor(heapBytes / 2 / PAGE) * PAGE);
    this.gcStress = options.gcStress ?? false;
    this.reserveBytes = Math.max(MIN_RESERVE, Math.ceil((options.reserveBytes ?? 0) / SLOT) * SLOT);
    for (const c of BUILTIN_CLASSES) this.addClass(c.name, c.py, c.fields.map(([name, type]) => ({ name, type })));
    this.semispace = Math.min(Math.ceil(Math.max(INITIAL_SEMISPACE, 4 * this.reserveBytes) / PAGE) * PAGE, this.maxSemispace);
    if (this.semispace < 2 * this.reserveBytes) throw new HeapExhausted('the heap limit is below what the program needs between safepoints');
    const end = HEAP_BASE + 2 * this.semispace;
    // What may hold an earlier run's words: the memory as it was before this heap grew it (pages
    // a grow adds are zero), and none of it when nobody has had the memory before this heap.
    const written = sharedMemoryUntouched() ? 0 : Math.min(end, this.memory.buffer.byteLength);
    this.ensureMemory(end);
    this.spaceStart = HEAP_BASE;
    this.otherStart = HEAP_BASE + this.semispace;
    this.hp = this.spaceStart;
    this.limit = this.spaceStart + this.semispace;
    this.setSoftLimit();
    // A run starts from zeroed memory, whatever an earlier run in this process left in the
    // shared memory: what a run does never depends on what ran before it, even when a defect (or
    // a deliberately broken variant in the tests) reads a word nothing wrote.
    this.u8.fill(0, 0, written);
    const i32 = this.i32;
    i32[NONE >> 2] = C_NONE;
    i32[FALSE >> 2] = C_BOOL;
    i32[TRUE >> 2] = C_BOOL;
    i32[(TRUE >> 2) + 2] = 1;
  }

  /** Re-takes the typed views (growing the memory detaches the old buffer). */
  refreshViews(): void {
    const buffer = this.memory.buffer;
    this.i32 = new Int32Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u8 = new Uint8Array(buffer);
  }

  ensureMemory(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      try {
        this.memory.grow(Math.ceil((bytes - have) / PAGE));
      } catch {
        throw new HeapExhausted('the WebAssembly memory cannot grow');
      }
    }
    // Only when the buffer changed: a collection asks for memory every time, and new views
    // would throw away optimized code that read the old ones.
    if (this.i32?.buffer !== this.memory.buffer) this.refreshViews();
  }

  setSoftLimit(): void {
    this.softLimit = this.gcStress ? this.hp : this.limit - this.reserveBytes;
  }

  /** Publishes the bump pointer and limit where compiled code finds them (HEAP_TOP, HEAP_LIMIT). */
  publish(): void {
    this.i32[HEAP_TOP >> 2] = this.hp;
    this.i32[HEAP_LIMIT >> 2] = this.limit;
  }

  /** Takes the bump pointer back from memory after compiled code ran. */
  adopt(): void {
    this.hp = this.i32[HEAP_TOP >> 2]!;
  }

  // --- classes ---

  addClass(irName: string, pyName: string, fields: readonly { name: string; type: Type }[]): HeapClass {
    let name = irName;
    for (let k = 2; this.irNames.has(name); k++) name = `${irName}_${k}`;
    this.irNames.add(name);
    const refs: number[] = [];
    fields.forEach((f, k) => {
      if (f.type === 'ref') refs.push(fieldOffset(k));
    });
    const cls: HeapClass = {
      id: this.classes.length,
      irName: name,
      pyName,
      fields,
      size: HEADER + SLOT * fields.length,
      refOffsets: Int32Array.from(refs),
    };
    this.classes.push(cls);
    return cls;
  }

  /** The trace IR's class declarations, in class-id order. */
  classDecls(): ClassDecl[] {
    return this.classes.slice(1).map((c) => ({ name: c!.irName, fields: c!.fields.map((f) => ({ name: f.name, type: f.type })) }));
  }

  // --- allocation ---

  /**
   * Allocates `size` bytes (a multiple of 8) by bumping `hp`. Never collects: collections happen
   * only at safepoints (`Interpreter` between bytecodes), and an instruction that may allocate
   * more than SMALL_ALLOC bytes calls `reserve` first, while everything it uses is rooted.
   */
  alloc(size: number): number {
    const address = this.hp;
    const end = address + size;
    if (end > this.limit) throw new HeapExhausted(`allocation of ${size} bytes past the reserve`);
    this.hp = end;
    return address;
  }

  newObject(cls: number): number {
    const c = this.classes[cls]!;
    const a = this.alloc(c.size);
    const i32 = this.i32;
    const w = a >> 2;
    i32[w] = cls;
    for (let k = 1; k < c.size >> 2; k++) i32[w + k] = 0;
    return a;
  }

  newArray(tag: number, length: number): number {
    const a = this.alloc(HEADER + SLOT * length);
    const i32 = this.i32;
    const w = a >> 2;
    i32[w] = tag;
    i32[w + 1] = length;
    i32.fill(0, w + 2, w + 2 + 2 * length);
    return a;
  }

  newChars(length: number): number {
    const a = this.alloc(charsSize(length));
    this.i32[a >> 2] = CHARS_TAG;
    this.i32[(a >> 2) + 1] = length;
    return a;
  }
}

export function charsSize(length: number): number {
  return HEADER + ((2 * length + 7) & ~7);
}

/** Size in bytes of an array or chars cell (tag < 0) of `length` items or code units. */
export function cellSizeOfTag(tag: number, length: number): number {
  return tag === CHARS_TAG ? charsSize(length) : HEADER + SLOT * length;
}
