/**
 * The corpus with the tracing JIT on: every program prints what CPython printed (the committed
 * expectation) at recording thresholds 2 and 7, so traces are recorded, compiled and entered on
 * every program with a loop, and left at their guards; a few programs also under `gcStress`
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
    for (const threshold of [2, 7]) {
      it(`${name}.py prints what CPython prints (threshold ${threshold})`, () => {
        expect(runJit(name, `threshold=${threshold}`).difference, `${name}.py`).toBeNull();
      });
    }
  }

  for (const name of ['figure1_int', 'figure1_float', 'linked_list', 'lists']) {
    it(`${name}.py prints what CPython prints with a collection at every exit (gcStress)`, () => {
      expect(runJit(name, 'threshold=2', true).difference, `${name}.py`).toBeNull();
    });
  }

  it('runs compiled code: the paper\'s f runs (almost) all its iterations compiled', () => {
    for (const name of ['figure1_int', 'figure1_float']) {
      const { report } = runJit(name, 'threshold=2');
      const loops = report!.loops;
      expect(loops.length).toBeGreaterThan(0);
      expect(loops.reduce((s, l) => s + l.iterations, 0)).toBeGreaterThan(900);
    }
  });
});
