// virtualizeOps reports each allocation it had to make, in order, and nothing else: the forced
// variable, the op that forced it and why (what explain and peelReport read).
import { describe, expect, it } from 'vitest';
import { entryState, virtualizeOps } from '../../src/optimizer/virtualize.ts';
import { parseTrace } from '../../src/text/index.ts';

describe('virtualizeOps forcings', () => {
  it('lists exactly the forced allocations, each with the op that forced it', () => {
    const trace = parseTrace(['class Box(v: int)', '[i0]', 'p1 = new(Box)', 'p2 = new(Box)', 'setfield(p2, v, i0)', 'escape(p2)', 'finish(i0)'].join('\n'));
    const run = virtualizeOps(trace.ops, entryState(trace), { classes: trace.classes });
    expect(run.forcings).toEqual([{ name: 'p2', index: 3, why: 'passed to escape' }]);
  });

  it('lists nothing when every allocation stays virtual', () => {
    const trace = parseTrace(['class Box(v: int)', '[i0]', 'p1 = new(Box)', 'setfield(p1, v, i0)', 'i2 = getfield(p1, v)', 'finish(i2)'].join('\n'));
    expect(virtualizeOps(trace.ops, entryState(trace), { classes: trace.classes }).forcings).toEqual([]);
  });
});
