/**
 * The `boxless` command, run in-process: what it prints and its exit status. Bad input must end
 * in one located message and status 2, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boxless } from './in-process.ts';

const FIGURE2 = 'examples/paper-figure2.trace';

function tempTrace(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'boxless-')), 'bad.trace');
  writeFileSync(file, text);
  return file;
}

/** A loop that escapes its counter once per iteration: with fuel F, F + 1 escape calls. */
const ESCAPING_LOOP = '[i0]\nescape(i0)\ni1 = int_add(i0, 1)\njump(i1)\ninput zero [0]\n';

/**
 * A trace whose field read is undefined behaviour on its input set (a B where an A is read); the
 * read is dead, so the optimized trace and the wasm code finish normally.
 */
const UNDEFINED_RUN = 'class A(x: int)\nclass B(y: int)\n[p0]\ni1 = getfield(p0, A.x)\nfinish()\ninput wrong [@b] with @b = B{y: 1}\n';

afterEach(() => vi.restoreAllMocks());

describe('boxless run', () => {
  it('runs Figure 2 on a BoxedInteger y to the guard_true after exactly y iterations', async () => {
    const r = await boxless('run', FIGURE2, '--input', 'int_y');
    expect(r.status).toBe(0);
    expect(r.out).toContain('input int_y: guard 7 failed in iteration 10');
    expect(r.out).toContain('-945');
  });

  it('on a BoxedFloat y, exits at the guard_class on p0 in the first iteration', async () => {
    const r = await boxless('run', FIGURE2, '--input', 'float_y');
    expect(r.out).toContain('input float_y: guard 1 failed in iteration 1');
  });

  it('with little fuel, stops at the jump', async () => {
    const r = await boxless('run', FIGURE2, '--input', 'int_y', '--fuel', '2');
    expect(r.out).toContain('fuel');
    expect(r.out).toMatch(/^values: p15 = BoxedInteger\{intval: 7\}, p10 = BoxedInteger\{intval: -273\}$/m);
  });

  it("names each exit value after the trace's variable, and the inputs after the inputs", async () => {
    const r = await boxless('run', FIGURE2, '--input', 'int_y');
    expect(r.out).toMatch(/^values: p0 = BoxedInteger\{intval: 1\}, p1 = BoxedInteger\{intval: -846\}, i2 = -846, i3 = 1,/m);
    expect(r.out).toContain('i9 = -945, p10 = BoxedInteger{intval: -945}');
    expect(r.out).toContain('i16 = 0, i17 = 0');
    expect(r.out).toContain('inputs at the end: p0 = BoxedInteger{intval: 10}, p1 = BoxedInteger{intval: 0}');
    expect(Math.max(...r.out.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
    // Optimized (guards with virtuals in their fail args), the values keep the input's names.
    const optimized = await boxless('run', FIGURE2, '--input', 'int_y', '--optimized');
    expect(optimized.out).toBe(r.out);
  });

  it('names finish args, and prints constants in an exit without a name', async () => {
    const r = await boxless('run', tempTrace('[i0]\ni1 = int_neg(i0)\nfinish(i1, 7, i0)\ninput s [5]\n'));
    expect(r.out).toContain('values: i1 = -5, 7, i0 = 5');
  });

  it('prints the first 10 escape calls and counts the rest; --all prints them all', async () => {
    const file = tempTrace(ESCAPING_LOOP);
    const r = await boxless('run', file, '--fuel', '24');
    expect(r.out).toContain('escape #10: 9');
    expect(r.out).not.toContain('escape #11:');
    expect(r.out).toContain('… 15 more escape calls (--all shows them)');
    const all = await boxless('run', file, '--fuel', '24', '--all');
    expect(all.out).toContain('escape #25: 24');
    expect(all.out).not.toContain('more escape calls');
  });

  it('--passes without --optimized optimizes with those passes', async () => {
    const plain = await boxless('wasm', FIGURE2);
    expect(plain.out).toContain(': 30 ops,');
    const r = await boxless('wasm', FIGURE2, '--passes', 'virtualize');
    expect(r.status).toBe(0);
    expect(r.out).toContain(': 16 ops,');
  });

  it('with --wasm or --optimized, says when the reference leaves the run undefined', async () => {
    const file = tempTrace(UNDEFINED_RUN);
    const wasm = await boxless('run', file, '--wasm');
    expect(wasm.status).toBe(0);
    expect(wasm.out).toContain('input wrong: finished');
    expect(wasm.out).toContain("note: on the reference, the input trace's run is undefined behaviour: op 0 (getfield, line 4)");
    expect(wasm.out).toContain('(the IR gives this run no meaning, so the outcome above means nothing)');
    const optimized = await boxless('run', file, '--optimized');
    expect(optimized.out).toContain('input wrong: finished');
    expect(optimized.out).toContain('note: on the reference');
    // On the reference itself the outcome says so: no note.
    const reference = await boxless('run', file);
    expect(reference.out).toContain('input wrong: undefined behaviour');
    expect(reference.out).not.toContain('note:');
    // A defined run gets no note.
    expect((await boxless('run', FIGURE2, '--wasm')).out).not.toContain('note:');
  });

  it('with a fuel too large to check on the reference, says how far it checked', async () => {
    const r = await boxless('run', tempTrace('[i0]\ni1 = int_add(i0, 1)\njump(i1)\ninput zero [0]\n'), '--wasm', '--fuel', '10000000');
    expect(r.status).toBe(0);
    expect(r.out).toContain('ran out of fuel');
    expect(r.out).toMatch(/note: checked on the reference for undefined behaviour in the first \d+ iteration\(s\) only/);
  });
});

describe('help', () => {
  it('boxless CMD --help, -h and boxless help CMD print the usage with every option, exit 0', async () => {
    for (const argv of [['run', '--help'], ['run', FIGURE2, '-h'], ['help', 'run']]) {
      const r = await boxless(...argv);
      expect(r.status, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(/^usage: boxless run FILE.trace \[options\]/);
      expect(r.out).toMatch(/^ {2}--fuel N +back-edges a run may take \(default 1000\)$/m);
      expect(r.out).toMatch(/^ {2}--passes PASSES +comma-separated passes to optimize with \(implies --optimized\)$/m);
      expect(r.out).toMatch(/^ {2}-h, --help +print this help$/m);
    }
  });

  it('boxless help lists the commands; help for an unknown command is a usage error', async () => {
    const r = await boxless('help');
    expect(r.status).toBe(0);
    expect(r.out).toContain('boxless <command> --help');
    const bad = await boxless('help', 'frobnicate');
    expect(bad.status).toBe(2);
    expect(bad.err).toContain("unknown command 'frobnicate'");
  });
});

describe('a broken pipe', () => {
  it('ends quietly with the status of SIGPIPE, no stack trace', async () => {
    // About 1 MB of output: more than the pipe (a socket pair) can hold while no one reads.
    const ops = Array.from({ length: 40_000 }, (_, k) => `i${k + 1} = int_add(i${k}, 1)`);
    const file = tempTrace(`[i0]\n${ops.join('\n')}\nfinish(i40000)\n`);
    const child = spawn(process.execPath, ['bin/boxless.mjs', 'fmt', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += String(chunk)));
    // Read the first chunk, then hang up, like `| head -1`.
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(err).toBe('');
    expect(status).toBe(141);
  }, 30_000);
});

describe('bad input: one located message, exit 2', () => {
  it('a validation error points at file:line:col with a caret', async () => {
    const file = tempTrace('class A(x: int)\n[p0]\ni1 = getfield(p0, y)\nfinish(i1)\n');
    const r = await boxless('fmt', file);
    expect(r.status).toBe(2);
    expect(r.err).toBe(`${file}:3:19: no class declares a field y\ni1 = getfield(p0, y)\n                  ^`);
  });

  it('a syntax error too', async () => {
    const file = tempTrace('[i0]\ni1 = int_add(i0 5)\nfinish(i1)\n');
    const r = await boxless('run', file);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: `));
    expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('a missing file, an unknown option, an unknown command, a file without input sets', async () => {
    expect((await boxless('run', 'no/such.trace')).err).toBe('boxless: cannot read no/such.trace: no such file');
    expect((await boxless('run', FIGURE2, '--fule', '3')).err).toContain('unknown option --fule');
    expect((await boxless('frobnicate')).status).toBe(2);
    const noInputs = tempTrace('[i0]\nfinish(i0)\n');
    const r = await boxless('run', noInputs);
    expect(r.status).toBe(2);
    expect(r.err).toContain('has no input sets');
  });

  it('an option with one dash is an unknown option, not a file', async () => {
    const r = await boxless('run', '-x');
    expect(r.status).toBe(2);
    expect(r.err).toBe('boxless: run: unknown option -x (options: --fuel, --input, --wasm, --optimized, --passes, --all, --json; see boxless run --help)');
  });

  it('an input-set error points at the offending item', async () => {
    const file = tempTrace('class A(x: int)\n[p0]\nfinish()\ninput s [@a] with @a = A{y: 1}\n');
    const r = await boxless('run', file);
    expect(r.status).toBe(2);
    expect(r.err).toBe(`${file}:4:26: input s: class A has no field y (in @a)\ninput s [@a] with @a = A{y: 1}\n                         ^`);
  });

  it('a missing parenthesis is reported at the end of its line', async () => {
    const file = tempTrace('[i0]\ni1 = int_neg(i0\n\nfinish(i1)\n');
    const r = await boxless('fmt', file);
    expect(r.err).toBe(`${file}:2:16: expected ')' after the operands of int_neg, found 'finish' on line 4\ni1 = int_neg(i0\n               ^`);
  });

  it('two input sets of the same name are an error (--input would run both)', async () => {
    const file = tempTrace('[i0]\nfinish(i0)\ninput a [1]\ninput a [2]\n');
    const r = await boxless('run', file, '--input', 'a');
    expect(r.status).toBe(2);
    expect(r.err).toContain(`${file}:4:7: there are two input sets named a (the first at line 3)`);
  });

  it('a file starting with a UTF-8 byte order mark is read', async () => {
    const r = await boxless('run', tempTrace('\uFEFF[i0]\nfinish(i0)\ninput s [3]\n'));
    expect(r.status).toBe(0);
    expect(r.out).toContain('values: i0 = 3');
  });

  it('an empty pass name is a usage error', async () => {
    for (const passes of [',', '', 'virtualize,,dce']) {
      const r = await boxless('optimize', FIGURE2, '--passes', passes);
      expect(r.status, passes).toBe(2);
      expect(r.err).toContain('--passes: an empty pass name');
    }
  });

  it('a bad option value', async () => {
    const r = await boxless('run', FIGURE2, '--fuel', 'lots');
    expect(r.status).toBe(2);
    expect(r.err).toContain('--fuel needs a non-negative integer');
  });
});

describe('boxless fmt and fuzz', () => {
  it('fmt prints text that parses back to the same text', async () => {
    const first = await boxless('fmt', FIGURE2);
    const again = await boxless('fmt', tempTrace(first.out));
    expect(again.out).toBe(first.out);
  });

  it('fuzz reports the generator statistics', async () => {
    const r = await boxless('fuzz', '--runs', '40', '--seed', '3');
    expect(r.status).toBe(0);
    expect(r.out).toContain('fuzz --target reference: 40 traces (seed 3)');
    expect(r.out).toMatch(/category 1: \d/);
  });
});

describe('boxless optimize and check', () => {
  it('optimize prints a trace that parses back, and --stats counts ops (paper: 5 new -> 2)', async () => {
    const r = await boxless('optimize', FIGURE2, '--passes', 'virtualize', '--stats');
    expect(r.status).toBe(0);
    const [trace] = r.out.split('\nop ');
    expect((await boxless('fmt', tempTrace(trace!))).status).toBe(0);
    expect(r.out).toMatch(/^new\s+5\s+2$/m);
    expect(r.out).toMatch(/^guard_class\s+7\s+3$/m);
  });

  it('optimize --verify validates after every pass and prints the same trace', async () => {
    const plain = await boxless('optimize', FIGURE2);
    const verified = await boxless('optimize', FIGURE2, '--verify');
    expect(verified.status).toBe(0);
    expect(verified.out).toBe(plain.out);
  });

  it('optimize --json gives the trace (text and ops) and the counts, under the same keys with or without a label', async () => {
    type Counts = { total: number; ops: Record<string, number> };
    type Json = { schema: string; command: string; status: number; trace: { text: string; ops: { op: string }[] }; stats: { before: Counts; after: Counts; preamble: Counts | null; body: Counts | null } };
    const peeled = JSON.parse((await boxless('optimize', FIGURE2, '--json')).out) as Json;
    expect([peeled.schema, peeled.command, peeled.status]).toEqual(['boxless/1', 'optimize', 0]);
    expect(peeled.trace.text).toContain('jump(');
    expect(peeled.trace.ops.map((o) => o.op)).toContain('label');
    expect(peeled.stats.before.ops.new).toBe(5);
    expect(peeled.stats.body!.ops.label).toBe(1);
    const unpeeled = JSON.parse((await boxless('optimize', FIGURE2, '--json', '--passes', 'virtualize')).out) as Json;
    expect(Object.keys(unpeeled.stats)).toEqual(Object.keys(peeled.stats));
    expect(unpeeled.stats.preamble).toBeNull();
    expect(unpeeled.stats.after.ops.new).toBe(2);
  });

  it('optimize --explain says which op forced each surviving allocation, with its line', async () => {
    const r = await boxless('optimize', FIGURE2, '--explain', '--passes', 'virtualize,heapcache,fold,dce');
    expect(r.status).toBe(0);
    expect(r.out).toContain('allocations that survived (2):');
    expect(r.out).toMatch(/p15, allocated at new \(op 23, line \d+\), forced by jump/);
    expect(r.out).toMatch(/guard 1 at guard_class \(op 2, line \d+\): the class of p0/);
  });

  it('optimize --explain composes with --stats (trace, counts, explanation) and with --json', async () => {
    const r = await boxless('optimize', FIGURE2, '--explain', '--stats');
    expect(r.status).toBe(0);
    const counts = r.out.indexOf('\nop ');
    const explanation = r.out.indexOf('allocations: none survived');
    expect(r.out.indexOf('jump(')).toBeLessThan(counts);
    expect(counts).toBeGreaterThan(0);
    expect(explanation).toBeGreaterThan(counts);
    const json = JSON.parse((await boxless('optimize', FIGURE2, '--json', '--explain', '--passes', 'virtualize')).out) as {
      trace: { text: string };
      stats: { after: { total: number } };
      explain: { allocations: { name: string; code: string; forcedBy: { op: string } }[]; guards: { guardId: number; code: string }[] };
    };
    expect(json.trace.text).toContain('jump(');
    expect(json.stats.after.total).toBeGreaterThan(0);
    expect(json.explain.allocations.map((a) => [a.name, a.code, a.forcedBy.op])).toEqual([
      ['p15', 'forced', 'jump'],
      ['p10', 'forced', 'jump'],
    ]);
    expect(json.explain.guards.map((g) => g.guardId)).toEqual([0, 1, 4, 7]);
    expect(json.explain.guards.map((g) => g.code)).toContain('class-unknown');
  });

  it('optimize --explain on the peeled default: nothing allocated, guards placed in preamble and body', async () => {
    const r = await boxless('optimize', FIGURE2, '--explain');
    expect(r.status).toBe(0);
    expect(r.out).toContain('allocations: none survived');
    expect(r.out).toMatch(/guard 7 \(loop body\) at guard_true \(op 28, line \d+\): its condition i17_1/);
  });

  it('optimize --stats counts the preamble and the loop body apart', async () => {
    const r = await boxless('optimize', FIGURE2, '--stats');
    expect(r.status).toBe(0);
    const row = (op: string) => r.out.split('\n').find((line) => line.startsWith(`${op} `))?.trim().split(/\s+/);
    expect(r.out).toMatch(/^op +before +preamble +loop body$/m);
    expect(row('new')).toEqual(['new', '5', '0', '0']);
    expect(row('guard_class')).toEqual(['guard_class', '7', '2', '0']);
    expect(row('label')).toEqual(['label', '0', '0', '1']);
  });

  it('an unknown pass is a usage error', async () => {
    const r = await boxless('optimize', FIGURE2, '--passes', 'virtualize,bogus');
    expect(r.status).toBe(2);
    expect(r.err).toContain("unknown pass 'bogus'");
  });

  it('check refuses to check nothing, and fails when every run is undefined behaviour', async () => {
    const none = await boxless('check', tempTrace('[i0]\nfinish(i0)\n'), '--runs', '0');
    expect(none.status).toBe(2);
    expect(none.err).toContain('nothing to run');
    const undefinedOnly = await boxless('check', tempTrace(UNDEFINED_RUN), '--runs', '0');
    expect(undefinedOnly.status).toBe(1);
    expect(undefinedOnly.out).toContain('all 7 runs of the input trace are undefined behaviour: nothing was checked');
  });

  it('check --wasm runs the optimized trace compiled to WebAssembly against the reference', async () => {
    const r = await boxless('check', FIGURE2, '--runs', '5', '--wasm');
    expect(r.status).toBe(0);
    expect(r.out).toContain('the optimized trace on wasm is equivalent on 7 input set(s) x 7 fuel values');
  });

  it('check compares on the file\'s input sets and random heaps', async () => {
    const r = await boxless('check', FIGURE2, '--runs', '10');
    expect(r.status).toBe(0);
    expect(r.out).toContain('equivalent on 12 input set(s)');
  });
});

describe('boxless on WebAssembly', () => {
  it('run --wasm --optimized reaches the same exits as the reference', async () => {
    const r = await boxless('run', FIGURE2, '--wasm', '--optimized');
    expect(r.status).toBe(0);
    expect(r.out).toContain('input int_y: guard 7 failed');
    expect(r.out).toContain('input float_y: guard 1 failed');
  });

  it('wasm --wat prints the module with the trace ops as comments', async () => {
    const r = await boxless('wasm', FIGURE2, '--wat');
    expect(r.out).toMatch(/^\(module/);
    expect(r.out).toContain('guard_class');
  });

  it('fuzz --target wasm-optimized finds no difference on a small campaign', async () => {
    const r = await boxless('fuzz', '--target', 'wasm-optimized', '--runs', '30', '--seed', '2');
    expect(r.status).toBe(0);
    expect(r.out).toContain('no difference from the reference');
  });

  it('an unknown fuzz target is a usage error', async () => {
    expect((await boxless('fuzz', '--target', 'jvm')).status).toBe(2);
  });
});

describe('boxless on a file with prebuilt objects', () => {
  const PREBUILT = 'examples/prebuilt-objects.trace';

  it('run, run --wasm and run --optimized print the same outcome, prebuilt objects by name and their final state', async () => {
    const outputs = [];
    for (const extra of [[], ['--wasm'], ['--optimized']]) {
      const r = await boxless('run', PREBUILT, '--input', 'mixed', ...extra);
      expect(r.status, r.err).toBe(0);
      outputs.push(r.out);
    }
    expect(outputs[0]).toContain('values: p0 = Instance{type: @str_type, value: 7, next: @none}, i1 = 13');
    expect(outputs[0]).toContain('prebuilt at the end: @none = NoneType{}, @int_type = Type{name: 1}, @str_type = Type{name: 2}, @counter = Global{count: 1}');
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  it('check (reference and wasm) finds the optimized trace equivalent; fmt and wasm accept the file', async () => {
    for (const extra of [[], ['--wasm']]) {
      const r = await boxless('check', PREBUILT, '--runs', '20', ...extra);
      expect(r.status, r.out + r.err).toBe(0);
    }
    expect((await boxless('fmt', PREBUILT)).out).toContain('prebuilt @counter = Global{count: 0}');
    const wat = await boxless('wasm', PREBUILT, '--wat');
    expect(wat.status).toBe(0);
  });

  it('a misspelt prebuilt object is one located message, exit 2', async () => {
    const r = await boxless('run', tempTrace('class A(x: int)\nprebuilt @a = A{}\n[]\ni0 = getfield(@b, x)\nfinish(i0)\ninput s []\n'));
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/bad\.trace:4:15: getfield: @b is not a prebuilt object \(the trace declares @a\)/);
  });
});
