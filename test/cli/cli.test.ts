/**
 * The `boxless` command, run in-process: what it prints and its exit status. Bad input must end
 * in one located message and status 2, never a stack trace.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.ts';

const FIGURE2 = 'examples/paper-figure2.trace';

async function boxless(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const status = await main(argv);
  vi.restoreAllMocks();
  return { status, out: out.join('\n'), err: err.join('\n') };
}

function tempTrace(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'boxless-')), 'bad.trace');
  writeFileSync(file, text);
  return file;
}

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
  });
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

  it('optimize --json gives the trace text and the counts', async () => {
    const r = await boxless('optimize', FIGURE2, '--json');
    const json = JSON.parse(r.out) as { trace: string; stats: { op: string; before: number; after: number }[] };
    expect(json.trace).toContain('jump(');
    expect(json.stats.find((s) => s.op === 'new')?.before).toBe(5);
  });

  it('optimize --explain says which op forced each surviving allocation, with its line', async () => {
    const r = await boxless('optimize', FIGURE2, '--explain', '--passes', 'virtualize,heapcache,fold,dce');
    expect(r.status).toBe(0);
    expect(r.out).toContain('allocations that survived (2):');
    expect(r.out).toMatch(/p15, allocated at new \(op 23, line \d+\), forced by jump/);
    expect(r.out).toMatch(/guard 1 at guard_class \(op 2, line \d+\): the class of p0/);
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
