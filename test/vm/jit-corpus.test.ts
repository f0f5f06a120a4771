/**
 * The corpus with the tracing JIT on: every program prints what CPython printed (the committed
 * expectation) at recording thresholds 2 and 7 (bridges after 1 and 3 failures), so traces are
 * recorded, compiled and entered on every program with a loop, left at their guards and extended
 * by bridges; a few programs also under `gcStress`
 * (a collection at every chunk boundary and every exit of compiled code, and at every
 * safepoint after an allocation). The JIT must really run: the loop-heavy programs report
 * iterations run compiled.
 */
import { describe, expect, it } from 'vitest';
import { observe } from '../../properties/cpython.ts';
import { programNames, programSource, readExpectation } from '../../properties/corpus.ts';
import { differenceBetween } from '../../properties/guest.ts';
import { parseJitOptions } from '../../src/vm/jit/options.ts';
import type { JitReport } from '../../src/vm/jit/stats.ts';
import { runPython } from '../../src/vm/run.ts';

const programs = programNames();

function runJit(name: string, jit: string, gcStress = false): { difference: string | null; report: JitReport | null } {
  let report: JitReport | null = null;
  const run = runPython(programSource(name), { file: `${name}.py`, gcStress, jit: { options: parseJitOptions(jit) }, onJitReport: (r) => (report = r) });
  return { difference: differenceBetween(readExpectation(name), observe(run), undefined, run.stderr), report };
}

describe('the corpus with the JIT', () => {
  for (const name of programs) {
    for (const jit of ['threshold=2,bridge=1', 'threshold=7,bridge=3']) {
      it(`${name}.py prints what CPython prints (${jit})`, () => {
        expect(runJit(name, jit).difference, `${name}.py`).toBeNull();
      });
    }
  }

  for (const name of ['figure1_int', 'figure1_float', 'linked_list', 'lists']) {
    it(`${name}.py prints what CPython prints with a collection at every exit (gcStress)`, () => {
      expect(runJit(name, 'threshold=2,bridge=1', true).difference, `${name}.py`).toBeNull();
    });
  }

  it('runs a triple loop nest compiled: loop, then bridges from its exits back into it', () => {
    let report: JitReport | null = null;
    const source = `def f(n):
    total = 0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                total = total + i * j + k
    return total
print(f(40))
`;
    const run = runPython(source, { file: 'nest.py', jit: { options: parseJitOptions('threshold=20,bridge=5') }, onJitReport: (r) => (report = r) });
    expect(run.stdout).toBe('25584000\n');
    const r = report as unknown as JitReport;
    expect(r.loops.filter((l) => l.where.startsWith('bridge')).length).toBeGreaterThanOrEqual(2);
    // Entries of the innermost loop from bridges: every middle and outer iteration but a few.
    expect(r.loops[0]!.entries).toBeGreaterThan(40 * 40 - 100);
  });

  it('runs compiled code: the paper\'s f runs (almost) all its iterations compiled', () => {
    for (const name of ['figure1_int', 'figure1_float']) {
      const { report } = runJit(name, 'threshold=2');
      const loops = report!.loops;
      expect(loops.length).toBeGreaterThan(0);
      expect(loops.reduce((s, l) => s + l.iterations, 0)).toBeGreaterThan(900);
    }
  });
});
