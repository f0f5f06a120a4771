// Bridges optimized from an exit state (src/optimizer/bridge.ts) on generated traces: some ref
// inputs of a generated trace are made virtual objects of the exit state (class: the one the
// trace's first guard_class on that input asks for, else any declared class; fields: fresh real
// inputs or zeros). The bridge optimized from that state behaves, on the reference, like the
// exit's virtuals allocated and then the bridge run (materializedBridge), on generated input
// sets and several fuels; and the share of virtual inputs the optimized bridge never allocates
// is measured (they stay virtual unless the bridge lets them escape).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExitValue, freshNamer, type Input, type Trace, typeOfVar, type VirtualDesc } from '../src/ir/index.ts';
import { type ExitState, materializedBridge, optimizeBridge } from '../src/optimizer/bridge.ts';
import { printTrace } from '../src/text/index.ts';
import { firstDifference } from '../test/optimizer/equivalence.ts';
import { sampleInputSets } from './arbitraries/input-heaps.ts';
import { arbTraceCase } from './arbitraries/trace.ts';
import { fcParams, fcParamsForBrokenVariant } from './fc-config.ts';

/** An exit state for `trace`: input k virtual when picks[k] is odd (refs only, with a class). */
function exitStateFor(trace: Trace, picks: readonly number[]): ExitState | null {
  if (trace.classes.length === 0) return null;
  const fresh = freshNamer(trace);
  const inputs: Input[] = [];
  const virtuals: VirtualDesc[] = [];
  const values = trace.inputs.map((input, k): ExitValue => {
    const pick = picks[k % Math.max(1, picks.length)] ?? 0;
    if (typeOfVar(input.name) !== 'ref' || pick % 2 === 0) {
      inputs.push(input);
      return { kind: 'var', name: input.name };
    }
    const asked = trace.ops.find((op) => op.name === 'guard_class' && op.args[0]?.kind === 'var' && op.args[0].name === input.name);
    const cls = asked?.descr?.kind === 'class' ? asked.descr.cls : trace.classes[(pick >> 1) % trace.classes.length]!.name;
    const decl = trace.classes.find((c) => c.name === cls)!;
    const fields = decl.fields.flatMap((f, j) => {
      if (((pick >> (j + 2)) & 1) === 0) return [];
      const name = fresh(f.type);
      inputs.push({ name });
      return [{ field: f.name, value: { kind: 'var', name } as ExitValue }];
    });
    virtuals.push({ kind: 'object', cls, fields });
    return { kind: 'virtual', index: virtuals.length - 1 };
  });
  return virtuals.length === 0 ? null : { inputs, values, virtuals };
}

/** The property, over any way of optimizing a bridge from an exit state. */
function bridgeProperty(optimizeFrom: (trace: Trace, state: ExitState) => Trace, census: { bridges: number; virtualInputs: number; neverAllocated: number }) {
  return fc.property(arbTraceCase({ loopShare: 0 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.nat(1000), (trace, picks, seed) => {
    const state = exitStateFor(trace, picks);
    if (state === null) return;
    census.bridges++;
    const reference = materializedBridge(trace, state);
    const optimized = optimizeFrom(trace, state);
    const difference = firstDifference(reference, optimized, sampleInputSets(reference, 3, seed), [0, 1, 5]);
    if (difference !== null) throw new Error(`${difference}\nexit state: ${JSON.stringify(state)}\noptimized:\n${printTrace(optimized)}`);
    census.virtualInputs += state.virtuals.length;
    census.neverAllocated += Math.max(0, state.virtuals.length - optimized.ops.filter((op) => op.name === 'new' && !trace.ops.some((o) => o.result === op.result)).length);
  });
}

/** Broken on purpose: optimizes the bridge as if every field of the exit's virtuals were zero. */
const forgettingVirtualFields = (trace: Trace, state: ExitState) =>
  optimizeBridge(trace, { ...state, virtuals: state.virtuals.map((d) => (d.kind === 'object' ? { ...d, fields: [] } : d)) });

describe('bridges from an exit state', () => {
  it('catch a bridge optimizer that forgets the fields of the exit virtuals', () => {
    const result = fc.check(bridgeProperty(forgettingVirtualFields, { bridges: 0, virtualInputs: 0, neverAllocated: 0 }), fcParamsForBrokenVariant(300));
    expect(result.failed).toBe(true);
  });

  it('behave like the exit virtuals allocated, then the bridge run', () => {
    const census = { bridges: 0, virtualInputs: 0, neverAllocated: 0 };
    fc.assert(bridgeProperty((trace, state) => optimizeBridge(trace, state, { verify: true }), census), fcParams(300));
    const { bridges, virtualInputs, neverAllocated } = census;
    console.log(`bridges: ${bridges} from an exit state; ${neverAllocated} of ${virtualInputs} virtual inputs never allocated`);
    expect(bridges).toBeGreaterThan(30);
    expect(neverAllocated).toBeGreaterThan(0);
  });
});
