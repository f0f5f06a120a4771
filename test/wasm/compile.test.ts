/**
 * compileTrace's result besides the code (src/wasm/compile.ts): the time it reports is the time
 * it took (within the caller's own measurement around the call, not a speed bound), and the
 * escape port is free until a run takes it.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/text/index.ts';
import { compileTrace, runCompiled } from '../../src/wasm/index.ts';

describe('compileTrace', () => {
  it('reports the milliseconds it took, within the time around the call', () => {
    const trace = parseTrace('[i0]\ni1 = int_add(i0, 1)\nfinish(i1)', 'compile.trace');
    const before = performance.now();
    const compiled = compileTrace(trace);
    const after = performance.now();
    expect(compiled.compileMs).toBeGreaterThanOrEqual(0);
    expect(compiled.compileMs).toBeLessThanOrEqual(after - before);
  });

  it('hands out an escape port that no run holds, before and after a run', () => {
    const trace = parseTrace('class Box(v: int)\n[i0]\np1 = new(Box)\nescape(p1)\nfinish(i0)', 'compile.trace');
    const compiled = compileTrace(trace);
    expect(compiled.escapePort).toEqual({ handler: null });
    // The host finds each escape op's operands by the site number the code passes: one site per op.
    expect(compiled.code.escapes).toMatchObject([{ args: [{ kind: 'var', name: 'p1' }], slots: ['p1'] }]);
    expect(compiled.code.escapes).toHaveLength(1);
    expect(runCompiled(compiled, { name: 's', args: [{ kind: 'int', value: 1n }], objects: [] }).escapes).toHaveLength(1);
    expect(compiled.escapePort).toEqual({ handler: null });
  });
});
