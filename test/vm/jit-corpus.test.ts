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
import { programNames, programSource, readExpectation, tripleNestSource } from '../../properties/corpus.ts';
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
    const source = tripleNestSource(40);
    const run = runPython(source, { file: 'nest.py', jit: { options: parseJitOptions('threshold=20,bridge=5') }, onJitReport: (r) => (report = r) });
    expect(run.stdout).toBe('25584000\n');
    const r = report as unknown as JitReport;
    expect(r.loops.filter((l) => l.where.startsWith('bridge')).length).toBeGreaterThanOrEqual(2);
    // Entries of the innermost loop from bridges: every middle and outer iteration but a few.
    expect(r.loops[0]!.entries).toBeGreaterThan(40 * 40 - 100);
    // A run asked for a report times its compiled code (one without a report does not).
    expect(r.time['run compiled'].ms).toBeGreaterThan(0);
  });

  it('a bridge from a guard taken with a builtin on the stack keeps the builtin (a root-table word)', () => {
    // min's comparison flips at i = 50: the bridge starts at the CALL, min itself on the stack.
    const source = `s = 0
for i in range(100):
    s = s + min(i, 50) + max(i, 30) + int(i * 1.5)
print(s)
`;
    const run = runPython(source, { file: 'minmax.py', jit: { options: parseJitOptions('threshold=2,bridge=1') } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('16540\n');
  });

  it('runs math.sqrt compiled (float_sqrt behind its guard), leaving negatives to the interpreter', () => {
    for (const jit of ['threshold=2,bridge=1', 'threshold=7,bridge=3']) {
      const { difference, report } = runJit('sqrt_loop', jit);
      expect(difference).toBeNull();
      const compiled = (fn: string) => report!.loops.filter((l) => l.where.startsWith(`${fn},`)).reduce((s, l) => s + l.iterations, 0);
      // Of about 2600 sqrt iterations in root_sum and 2000 in first_bad, most run compiled.
      expect(compiled('root_sum')).toBeGreaterThan(2000);
      expect(compiled('first_bad')).toBeGreaterThan(1500);
      expect(compiled('int_roots')).toBeGreaterThan(900);
      // The only abort about sqrt is a recording that meets the negative argument itself.
      const aborts = report!.aborts.filter((a) => /sqrt|module|calling a/.test(a.reason)).map((a) => a.reason);
      expect(aborts.every((reason) => reason.endsWith('math.sqrt of a negative (it raises)')), aborts.join('; ')).toBe(true);
    }
  });

  it('runs ** on floats and math.sin / math.cos compiled (float_pow, float_sin, float_cos behind their guards), leaving raises to the interpreter', () => {
    for (const jit of ['threshold=2,bridge=1', 'threshold=7,bridge=3']) {
      const { difference, report } = runJit('pow_trig', jit);
      expect(difference).toBeNull();
      const compiled = (fn: string) => report!.loops.filter((l) => l.where.startsWith(`${fn},`)).reduce((s, l) => s + l.iterations, 0);
      // powers and trig run 999 and 1000 iterations; the raising loops 300 before their raise.
      expect(compiled('powers')).toBeGreaterThan(900);
      expect(compiled('trig')).toBeGreaterThan(900);
      expect(compiled('count_until_raise')).toBeGreaterThan(500);
      expect(compiled('count_sines')).toBeGreaterThan(500);
      const aborts = report!.aborts.map((a) => a.reason);
      expect(aborts.filter((reason) => /\*\*|Pow|sin|cos/.test(reason)).every((reason) => /not finite|of an infinity/.test(reason)), aborts.join('; ')).toBe(true);
    }
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
