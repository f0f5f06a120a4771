// The chained driver's entry points (src/optimizer/chain.ts): what each refuses, and the phase
// times it reports to `observe` (bench/optimizer.ts's profile of where the time goes).
import { describe, expect, it } from 'vitest';
import { type ChainPhase, chainOptimize, chainOptimizeLabelled } from '../../src/optimizer/chain.ts';
import { parseTrace } from '../../src/text/index.ts';

const loop = parseTrace(['class Box(v: int)', '[p0, i1]', 'i2 = getfield(p0, v)', 'i3 = int_add(i1, i2)', 'i4 = int_lt(i3, 100)', 'guard_true(i4) [p0, i3]', 'jump(p0, i3)'].join('\n'));

describe('the chained driver', () => {
  it('refuses a trace with a label (chainOptimizeLabelled takes those), and an exit state for a trace that loops', () => {
    const labelled = parseTrace(['[i0]', 'label(i0)', 'i1 = int_add(i0, 1)', 'jump(i1)'].join('\n'));
    expect(() => chainOptimize(labelled)).toThrow('the chained driver optimizes traces without a label here (chainOptimizeLabelled)');
    expect(chainOptimizeLabelled(labelled)).not.toBeNull();
    expect(() => chainOptimize(loop, { start: { inputs: [{ name: 'p9' }, { name: 'i9' }], values: [{ kind: 'var', name: 'p9' }, { kind: 'var', name: 'i9' }], virtuals: [] } })).toThrow(
      'the chained driver starts from an exit state only a trace that ends in finish',
    );
  });

  it('leaves to the passes (null) a trace with a label started from an exit state', () => {
    const once = parseTrace(['[i0]', 'label(i0)', 'i1 = int_add(i0, 1)', 'jump(i1)'].join('\n'));
    expect(chainOptimizeLabelled(once, { start: { inputs: [{ name: 'i9' }], values: [{ kind: 'var', name: 'i9' }], virtuals: [] } })).toBeNull();
  });

  it('reports the phases of a trace that ends in finish, and of a bridge started from an exit state', () => {
    const straight = parseTrace(['class Box(v: int)', '[p0]', 'i1 = getfield(p0, v)', 'finish(i1)'].join('\n'));
    for (const start of [undefined, { inputs: [{ name: 'p9' }], values: [{ kind: 'var' as const, name: 'p9' }], virtuals: [] }]) {
      const phases: ChainPhase[] = [];
      chainOptimize(straight, { start, observe: (phase) => phases.push(phase) });
      expect(phases).toEqual(['index', 'preamble', 'dce', 'intbounds']);
    }
  });

  it('reports each phase of a peeled loop once a run, in order, each within the time of the whole call', () => {
    const phases: [ChainPhase, number][] = [];
    const before = performance.now();
    chainOptimize(loop, { observe: (phase, ms) => phases.push([phase, ms]) });
    const whole = performance.now() - before;
    expect(phases.map(([phase]) => phase)).toEqual(['index', 'preamble', 'body', 'dce', 'intbounds']);
    for (const [phase, ms] of phases) {
      expect(ms, phase).toBeGreaterThanOrEqual(0);
      expect(ms, phase).toBeLessThanOrEqual(whole);
    }
  });
});
