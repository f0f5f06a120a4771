/**
 * The WebAssembly binary encoder: the bytes of one module, written by hand.
 *
 * Why by hand: a trace module is one memory import, one function import, a handful of
 * functions and one export, so the whole binary format we need is LEB128 numbers, a few
 * section layouts and the opcode table of `instructions.ts`. Writing it ourselves gets a trace
 * from IR to bytes in tens of microseconds and adds no dependency; binaryen.js (~100 MB, slow to
 * load, an optimizer we do not want: the trace is already optimized) was rejected for that.
 *
 * Layout written (binary format 1.0, sections in the required order): type, import, function,
 * export, code. Function indices count the imported functions first.
 */
import { VALTYPE_CODE, type ValType } from './instructions.ts';

const F64_SCRATCH = new DataView(new ArrayBuffer(8));

/** A growable byte buffer with the LEB128 and IEEE encodings of the binary format. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    // Stryker disable next-line EqualityOperator: `<` for `<=` cannot change what is written: a write that would exactly fill the buffer moves it to a bigger one first, which holds the same bytes (only the capacity differs, and it is not observable)
    if (this.len + n <= this.buf.length) return;
    // Stryker disable next-line ArithmeticOperator: half the length for twice it cannot change what is written: the loop below doubles the size until it holds len + n (only the capacity differs)
    let size = this.buf.length * 2;
    // Stryker disable next-line EqualityOperator: `<=` for `<` cannot change what is written: it doubles the size once more than needed (only the capacity differs)
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  bytes(bs: ArrayLike<number>): void {
    this.reserve(bs.length);
    this.buf.set(bs, this.len);
    this.len += bs.length;
  }

  /** Unsigned LEB128 of a non-negative 32-bit number. */
  u32(v: number): void {
    do {
      const low = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? low : low | 0x80);
    } while (v !== 0);
  }

  /** Signed LEB128 of a 32-bit number. */
  s32(v: number): void {
    for (;;) {
      const low = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (low & 0x40) === 0) || (v === -1 && (low & 0x40) !== 0)) {
        this.byte(low);
        return;
      }
      this.byte(low | 0x80);
    }
  }

  /** Signed LEB128 of a 64-bit two's complement number. */
  s64(v: bigint): void {
    // A shortcut: Number arithmetic for the numbers that fit in 32 bits, the bytes the loop below would write for them.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: `false` for the test, `>` and `<` for its bounds, or an empty block, cannot change the bytes: the numbers they leave out go through the loop below, which writes the same LEB128 (the line's mutants that let numbers outside 32 bits in, `true` and `||`, fail test/wasm/encoder.test.ts)
    if (v >= -0x80000000n && v <= 0x7fffffffn) {
      this.s32(Number(v));
      return;
    }
    for (;;) {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (low & 0x40) === 0) || (v === -1n && (low & 0x40) !== 0)) {
        this.byte(low);
        return;
      }
      this.byte(low | 0x80);
    }
  }

  /** A little-endian IEEE double (every bit kept: NaN payloads and -0.0 included). */
  f64(v: number): void {
    F64_SCRATCH.setFloat64(0, v, true);
    for (let k = 0; k < 8; k++) this.byte(F64_SCRATCH.getUint8(k));
  }

  name(s: string): void {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    this.bytes(utf8);
  }

  /** Appends `w`'s bytes. */
  append(w: ByteWriter): void {
    this.bytes(w.buf.subarray(0, w.len));
  }

  /** Appends `w`'s bytes preceded by their length: the framing of sections and bodies. */
  sized(w: ByteWriter): void {
    this.u32(w.len);
    this.append(w);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export type Import =
  | { readonly module: string; readonly name: string; readonly kind: 'func'; readonly type: number }
  | { readonly module: string; readonly name: string; readonly kind: 'memory'; readonly minPages: number };

export interface FuncBody {
  readonly type: number;
  /** Locals beyond the parameters, in index order. */
  readonly locals: readonly ValType[];
  /** The instructions, without the final `end` (added here). */
  readonly code: ByteWriter;
}

export interface ModuleSpec {
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  readonly functions: readonly FuncBody[];
  readonly exports: readonly { readonly name: string; readonly func: number }[];
}

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
const END = 0x0b;

export function encodeModule(spec: ModuleSpec): Uint8Array {
  const out = new ByteWriter();
  out.bytes(MAGIC_AND_VERSION);
  const section = (id: number, write: (w: ByteWriter) => void) => {
    const w = new ByteWriter();
    write(w);
    out.byte(id);
    out.sized(w);
  };

  section(SECTION.type, (w) => {
    w.u32(spec.types.length);
    for (const t of spec.types) {
      w.byte(0x60);
      w.u32(t.params.length);
      for (const p of t.params) w.byte(VALTYPE_CODE[p]);
      w.u32(t.results.length);
      for (const r of t.results) w.byte(VALTYPE_CODE[r]);
    }
  });
  section(SECTION.import, (w) => {
    w.u32(spec.imports.length);
    for (const imp of spec.imports) {
      w.name(imp.module);
      w.name(imp.name);
      if (imp.kind === 'func') {
        w.byte(0x00);
        w.u32(imp.type);
      } else {
        w.byte(0x02);
        w.byte(0x00); // limits: minimum only (the host's memory decides the maximum)
        w.u32(imp.minPages);
      }
    }
  });
  section(SECTION.function, (w) => {
    w.u32(spec.functions.length);
    for (const f of spec.functions) w.u32(f.type);
  });
  section(SECTION.export, (w) => {
    w.u32(spec.exports.length);
    for (const e of spec.exports) {
      w.name(e.name);
      w.byte(0x00);
      w.u32(e.func);
    }
  });
  section(SECTION.code, (w) => {
    w.u32(spec.functions.length);
    for (const f of spec.functions) {
      const body = new ByteWriter();
      const runs = localRuns(f.locals);
      body.u32(runs.length);
      for (const [count, type] of runs) {
        body.u32(count);
        body.byte(VALTYPE_CODE[type]);
      }
      body.append(f.code);
      body.byte(END);
      w.sized(body);
    }
  });
  return out.finish();
}

/** Locals are declared as runs of one type: [count, type]. */
function localRuns(locals: readonly ValType[]): [number, ValType][] {
  const runs: [number, ValType][] = [];
  for (const t of locals) {
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[0] += 1;
    else runs.push([1, t]);
  }
  return runs;
}
