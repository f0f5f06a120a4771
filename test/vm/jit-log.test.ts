/**
 * `--jit-log` files are ordinary trace files: the loop of the paper's f, as recorded and as
 * optimized, each with the heap it was entered with as an input set, go through `boxless check`
 * (the optimizer against the reference, on the file's input set and random heaps), `optimize
 * --explain` and `run --wasm`; the optimized loop body is the paper's Figure 6 plus the VM's
 * guards, with no allocation. Every file a loop nest with list stores, calls into a callee's
 * loop and return bridges logs (nqueens) parses and validates. And `--jit-stats --json` is the
 * statistics as JSON.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programSource } from '../../properties/corpus.ts';
import { labelIndex, validate } from '../../src/ir/index.ts';
import { parseTrace } from '../../src/text/index.ts';
import { parseJitOptions } from '../../src/vm/jit/options.ts';
import { runPython } from '../../src/vm/run.ts';
import { boxless } from '../cli/in-process.ts';

describe('--jit-log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boxless-jit-log-'));
  runPython(programSource('figure1_int'), { file: 'figure1_int.py', jit: { options: parseJitOptions('threshold=50'), logDir: (name, text) => writeFileSync(join(dir, name), text) } });
  const files = readdirSync(dir).sort();

  it("writes the loop of f as recorded and as optimized, with the heap it was entered with", () => {
    expect(files).toEqual(['loop0.optimized.trace', 'loop0.recorded.trace']);
    const recorded = parseTrace(readFileSync(join(dir, 'loop0.recorded.trace'), 'utf8'));
    expect(recorded.inputSets.length).toBe(1);
    expect(recorded.inputSets[0]!.objects.some((o) => o.kind === 'object' && o.cls === 'BoxedInteger')).toBe(true);
  });

  it('the optimized loop body is Figure 6 plus the VM guards: no allocation, no field access', () => {
    const optimized = parseTrace(readFileSync(join(dir, 'loop0.optimized.trace'), 'utf8'));
    const body = optimized.ops.slice(labelIndex(optimized) + 1);
    expect(body.filter((op) => ['new', 'getfield', 'setfield', 'guard_class'].includes(op.name))).toEqual([]);
    // Figure 6's three checked additions, but `y - 1` after `y > 0` cannot overflow: intbounds
    // makes it a plain add without its guard, as PyPy's optimizer does.
    expect(body.map((op) => op.name)).toEqual(['int_gt', 'guard_true', 'int_add_ovf', 'guard_no_overflow', 'int_add_ovf', 'guard_no_overflow', 'int_add', 'jump']);
  });

  it('every trace logged for nqueens (list stores, bridges, return bridges) parses and validates', () => {
    const nq = mkdtempSync(join(tmpdir(), 'boxless-jit-log-'));
    runPython(programSource('nqueens'), { file: 'nqueens.py', argv: ['nqueens.py', '7'], jit: { options: parseJitOptions(''), logDir: (name, text) => writeFileSync(join(nq, name), text) } });
    const logged = readdirSync(nq);
    expect(logged.some((name) => readFileSync(join(nq, name), 'utf8').includes('return bridge'))).toBe(true);
    for (const name of logged) expect(() => validate(parseTrace(readFileSync(join(nq, name), 'utf8'))), name).not.toThrow();
  });

  for (const file of ['loop0.recorded.trace', 'loop0.optimized.trace']) {
    it(`boxless check, optimize --explain and run --wasm take ${file}`, async () => {
      const path = join(dir, file);
      expect((await boxless('check', path, '--runs', '20')).status).toBe(0);
      expect((await boxless('optimize', path, '--explain')).status).toBe(0);
      const onWasm = await boxless('run', path, '--wasm');
      expect(onWasm.status).toBe(0);
      // The reference and the wasm backend end the same way on the logged entry heap.
      expect(onWasm.out).toBe((await boxless('run', path)).out);
      expect(onWasm.out).toMatch(/^input entry: guard \d+ failed in iteration \d+/);
    });
  }
});
