/**
 * `boxless wasm --wat` (src/wasm/wat.ts) claims its text is the code that runs, instruction for
 * instruction. Checked here by assembling the text back: a small assembler for the instruction
 * lines (names resolved through the `(param …)` and `(local …)` declarations and the function
 * order, numbers parsed from the text) must give exactly the bytes the binary sink writes for the
 * same trace, for `run` and for every helper; each line must be indented by its block depth; the
 * declarations must match the module's types and locals; and each `;; [k]` comment must name op k
 * as written. On hand-written traces that reach every kind of instruction and operand, and on
 * generated ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printTrace, parseTrace } from '../../src/text/index.ts';
import type { Trace } from '../../src/ir/index.ts';
import { ByteWriter } from '../../src/wasm/encoder.ts';
import { emitRun, type OpRules } from '../../src/wasm/emit.ts';
import { BinarySink, MEMORY, PLAIN, VALTYPE_CODE, type ValType } from '../../src/wasm/instructions.ts';
import { FUNC, HELPERS, IMPORTS, TYPES } from '../../src/wasm/module-shape.ts';
import { OP_RULES } from '../../src/wasm/rules.ts';
import { traceToWat } from '../../src/wasm/wat.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { fcParams } from '../../properties/fc-config.ts';

interface WatFunction {
  readonly name: string;
  readonly header: string;
  readonly params: { name: string; type: string }[];
  readonly results: string[];
  readonly locals: { name: string; type: string }[];
  readonly body: string[];
}

const PARAM = / \(param \$([^ )]+) (i32|i64|f64)\)/g;
const RESULT = / \(result (i32|i64|f64)\)/g;
const LOCAL = / ?\(local \$([^ )]+) (i32|i64|f64)\)/g;

/** The functions of a module printed by traceToWat, by the lines that open and close them. */
function functionsOf(wat: string): WatFunction[] {
  const lines = wat.split('\n');
  const functions: WatFunction[] = [];
  for (let k = 0; k < lines.length; k++) {
    const open = /^ {2}\(func \$([^ ]+)(.*)$/.exec(lines[k]!);
    if (!open) continue;
    const header = open[2]!;
    const locals = [...header.matchAll(LOCAL)].map((m) => ({ name: m[1]!, type: m[2]! }));
    let j = k + 1;
    for (; /^ {4}\(local /.test(lines[j]!); j++) locals.push(...[...lines[j]!.matchAll(LOCAL)].map((m) => ({ name: m[1]!, type: m[2]! })));
    const body: string[] = [];
    for (; lines[j] !== '  )'; j++) body.push(lines[j]!);
    functions.push({
      name: open[1]!,
      header,
      params: [...header.matchAll(PARAM)].map((m) => ({ name: m[1]!, type: m[2]! })),
      results: [...header.matchAll(RESULT)].map((m) => m[1]!),
      locals,
      body,
    });
    k = j;
  }
  return functions;
}

function parseFloatText(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/**
 * The bytes of a function body's instruction lines, and a check of each line's indentation: two
 * spaces per level, from two (inside the module and the function), one level more inside each
 * block (`else` at its block's level).
 */
function assemble(f: WatFunction, funcNames: readonly string[]): Uint8Array {
  const out = new ByteWriter();
  const names = [...f.params, ...f.locals].map((l) => l.name);
  const local = (text: string) => {
    const index = names.indexOf(text.replace(/^\$/, ''));
    if (index < 0) throw new Error(`${f.name}: no local ${text}`);
    return index;
  };
  let depth = 2;
  for (const line of f.body) {
    const text = line.trim();
    const [name, operand, ...rest] = text.split(' ');
    const level = name === 'end' || name === 'else' ? depth - 1 : depth;
    expect(line, `${f.name}: indentation of "${text}"`).toBe(`${'  '.repeat(level)}${text}`);
    if (text.startsWith(';; ')) continue;
    if (name! in PLAIN) {
      expect(operand, text).toBeUndefined();
      out.bytes(PLAIN[name as keyof typeof PLAIN]);
    } else if (name! in MEMORY) {
      const { code, align } = MEMORY[name as keyof typeof MEMORY];
      out.byte(code);
      out.u32(align);
      const offset = operand === undefined ? 0 : Number(/^offset=([1-9][0-9]*)$/.exec(operand)![1]);
      out.u32(offset);
    } else if (name === 'local.get' || name === 'local.set' || name === 'local.tee') {
      out.byte({ 'local.get': 0x20, 'local.set': 0x21, 'local.tee': 0x22 }[name]);
      out.u32(local(operand!));
    } else if (name === 'i32.const') {
      out.byte(0x41);
      out.s32(Number(operand));
    } else if (name === 'i64.const') {
      out.byte(0x42);
      out.s64(BigInt(operand!));
    } else if (name === 'f64.const') {
      out.byte(0x44);
      out.f64(parseFloatText(operand!));
    } else if (name === 'block' || name === 'loop' || name === 'if') {
      out.byte({ block: 0x02, loop: 0x03, if: 0x04 }[name]);
      if (operand === undefined) out.byte(0x40);
      else {
        expect(operand, text).toBe('(result');
        out.byte(VALTYPE_CODE[rest[0]!.replace(')', '') as ValType]);
      }
      depth++;
    } else if (name === 'else') {
      out.byte(0x05);
    } else if (name === 'end') {
      out.byte(0x0b);
      depth--;
    } else if (name === 'br' || name === 'br_if') {
      out.byte(name === 'br' ? 0x0c : 0x0d);
      out.u32(Number(operand));
    } else if (name === 'call') {
      const index = funcNames.indexOf(operand!.replace(/^\$/, ''));
      if (index < 0) throw new Error(`${f.name}: no function ${operand}`);
      out.byte(0x10);
      out.u32(index);
    } else {
      throw new Error(`${f.name}: not an instruction the emitter uses: ${text}`);
    }
    expect(rest.length === 0 || name === 'block' || name === 'loop' || name === 'if', text).toBe(true);
  }
  expect(depth, `${f.name}: blocks left open`).toBe(2);
  return out.finish();
}

/** traceToWat's text against the binary sink's code for the same trace and op rules. */
function checkWat(trace: Trace, rules: OpRules = OP_RULES): string {
  const wat = traceToWat(trace, rules);
  const lines = wat.split('\n');
  expect(lines[0]).toBe('(module');
  expect(lines.slice(-2)).toEqual([')', '']);
  expect(lines.slice(1, 6)).toEqual([
    '  (import "env" "memory" (memory 1))',
    '  (import "env" "escape" (func $escape (param $site i32) (param $hp i32)))',
    '  (import "env" "float_pow" (func $float_pow (param $x f64) (param $y f64) (result f64)))',
    '  (import "env" "float_sin" (func $float_sin (param $x f64) (result f64)))',
    '  (import "env" "float_cos" (func $float_cos (param $x f64) (result f64)))',
  ]);
  expect(IMPORTS.map((i) => i.name)).toEqual(['memory', 'escape', 'float_pow', 'float_sin', 'float_cos']);

  const binary = new BinarySink();
  const code = emitRun(trace, rules, binary);
  const functions = functionsOf(wat);
  // Function indices: the imported functions, then the module's own.
  const funcNames = [...IMPORTS.filter((i) => i.kind === 'func').map((i) => i.name), ...functions.map((f) => f.name)];
  expect(functions.map((f) => f.name)).toEqual(['run', ...code.helpers]);

  const [run, ...helpers] = functions;
  expect(run!.header.startsWith(' (export "run")')).toBe(true);
  expect(run!.params).toEqual(['entry', 'fuel', 'hp', 'limit'].map((name) => ({ name, type: 'i32' })));
  expect(run!.results).toEqual(TYPES[FUNC.run]!.results);
  expect(run!.locals).toEqual(code.locals);
  expect(assemble(run!, funcNames)).toEqual(binary.out.finish());

  helpers.forEach((f, k) => {
    const helper = HELPERS[code.helpers[k]!];
    const type = TYPES[helper.type]!;
    expect(f.params).toEqual(helper.paramNames.map((name, j) => ({ name, type: type.params[j] })));
    expect(f.results).toEqual(type.results);
    expect(f.locals).toEqual(helper.locals);
    const sink = new BinarySink();
    helper.emit(sink);
    expect(assemble(f, funcNames)).toEqual(sink.out.finish());
  });

  // Each op's comment: `;; [k] ` and the op, in order, once each.
  const comments = lines.filter((l) => l.trim().startsWith(';; ')).map((l) => l.trim());
  expect(comments.map((c) => Number(/^;; \[([0-9]+)\] /.exec(c)![1]))).toEqual(trace.ops.map((_, k) => k));
  return wat;
}

const opComment = (wat: string, k: number): string => wat.split('\n').find((l) => l.trim().startsWith(`;; [${k}] `))!.trim().slice(`;; [${k}] `.length);

describe('the WAT dump assembles to the code that runs', () => {
  it('a trace with every helper, floats at their edges, arrays, escapes, prebuilt objects and a label', () => {
    // Each op as written, and as its comment shows it where that differs (a field with its class,
    // a virtual without its contents).
    const ops: (string | [string, string])[] = [
      'i3 = int_floordiv(i0, 3)',
      'i4 = int_mod(i3, -7)',
      'i5 = int_mul_ovf(i4, i0)',
      'guard_no_overflow() [i0, f1, p2]',
      'f6 = float_add(f1, nan)',
      'f7 = float_mul(f6, inf)',
      'f8 = float_sub(f7, -inf)',
      'f9 = float_add(f8, -0.0)',
      'f10 = float_truediv(f9, 1.5)',
      'p11 = new_array(i0, float)',
      'setarrayitem(p11, 0, f10)',
      'p12 = new(Pair)',
      ['setfield(p12, a, i5)', 'setfield(p12, Pair.a, i5)'],
      ['setfield(p12, b, f10)', 'setfield(p12, Pair.b, f10)'],
      'escape(p12, p11)',
      ['setfield(@h, p, p12)', 'setfield(@h, Holder.p, p12)'],
      'i13 = int_lt(i0, 100000)',
      'guard_true(i13) [i0, f1, p2]',
      'label(i0, f1, p2)',
      'i14 = int_add(i0, 1)',
      'i15 = int_le(i14, 4000000000)',
      'guard_true(i15) [i14, f1, p2]',
      ['i16 = getfield(p12, a)', 'i16 = getfield(p12, Pair.a)'],
      'i17 = int_eq(i16, -9223372036854775808)',
      ['guard_false(i17) [i14, f1, $0] with $0 = Pair{a: i16, b: f10}', 'guard_false(i17) [i14, f1, $0]'],
      'guard_class(p2, Holder) [i14, f1, p2]',
      'f18 = getarrayitem(p11, 0, float)',
      'jump(i14, f1, p2)',
    ];
    const header = ['class Pair(a: int, b: float)', 'class Holder(p: ref)', 'prebuilt @h = Holder{p: null}', '[i0, f1, p2]'];
    const trace = parseTrace([...header, ...ops.map((o) => (typeof o === 'string' ? o : o[0]))].join('\n'), 'wat.trace');
    const wat = checkWat(trace);
    expect(ops.map((_, k) => opComment(wat, k))).toEqual(ops.map((o) => (typeof o === 'string' ? o : o[1])));
    expect(functionsOf(wat).map((f) => f.name)).toEqual(['run', 'floordiv', 'mod', 'mulOverflows', 'grow']);
    for (const constant of ['f64.const nan', 'f64.const inf', 'f64.const -inf', 'f64.const -0.0', 'f64.const 1.5', 'i64.const -9223372036854775808', 'i32.load offset=4', 'call $grow']) {
      expect(wat).toContain(constant);
    }
  });

  it('setfield to null, a finish with constants, a trace without a loop', () => {
    const trace = parseTrace('class Holder(p: ref)\n[p0]\nsetfield(p0, p, null)\nfinish(p0, 7, 2.5, null)\n', 'wat.trace');
    const wat = checkWat(trace);
    expect(opComment(wat, 0)).toBe('setfield(p0, Holder.p, null)');
    expect(opComment(wat, 1)).toBe('finish(p0, 7, 2.5, null)');
  });

  it('a block with a result, which op rules may open (no default rule does)', () => {
    // int_neg as `block (result i64) 0 - x end`: the same value, through a block typed by its result.
    const rules: OpRules = {
      ...OP_RULES,
      int_neg: (op, cx) => {
        cx.code.block('block', 'i64');
        cx.code.i64Const(0n);
        cx.push(op.args[0]!);
        cx.code.op('i64.sub');
        cx.code.end();
        cx.define(op);
      },
    };
    const wat = checkWat(parseTrace('[i0]\ni1 = int_neg(i0)\nfinish(i1)\n', 'wat.trace'), rules);
    expect(wat).toContain('      block (result i64)\n        i64.const 0\n');
  });

  it('generated traces', () => {
    const traces = fc.sample(arbTraceCase(), { numRuns: 60, seed: fcParams(60).seed ?? 7 });
    for (const trace of traces) {
      try {
        checkWat(trace);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- trace\n${printTrace(trace)}`);
      }
    }
  });
});
