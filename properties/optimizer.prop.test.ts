// The optimizer's pass contract on random traces (properties/arbitraries): the pipeline and each
// pass alone behave like the input on every input set and fuel; each pass is idempotent and the
// pipeline reaches its fixpoint; nothing grows; every pass's output validates and round-trips
// through the text format. Each property is a check on one trace run by assertTraces, so a
// failure is shrunk, reduced (reduce.ts) and printed as a bare trace file.
import { describe, it } from 'vitest';
import { alphaEquivalent, labelIndex, type OpName, type Trace, validate } from '../src/ir/index.ts';
import { countOps } from '../src/optimizer/stats.ts';
import { DEFAULT_PIPELINE, MAX_ROUNDS, optimize, PASSES } from '../src/optimizer/pipeline.ts';
import { parseTrace, printTrace } from '../src/text/index.ts';
import { CONTRACT_FUELS, EQUIVALENCE_RUNS } from '../test/optimizer/contract.ts';
import { arbTraceCase } from './arbitraries/trace.ts';
import { assertTraces, differenceUnder } from './differential.ts';

/** The default pipeline, validating after every pass (a BrokenInvariantError names the pass). */
const validated = (trace: Trace): Trace => optimize(trace, DEFAULT_PIPELINE, { verify: true });

describe('optimize ≡ reference', () => {
  it('the default pipeline', () => {
    assertTraces((trace) => differenceUnder(validated, trace, { fuels: CONTRACT_FUELS }), { runs: EQUIVALENCE_RUNS });
  });
  for (const [name, pass] of Object.entries(PASSES)) {
    it(`${name} alone`, () => {
      assertTraces((trace) => differenceUnder(pass, trace, { fuels: CONTRACT_FUELS }), { runs: EQUIVALENCE_RUNS });
    });
  }
});

describe('shape of the result', () => {
  // optimize() repeats its rounds until one changes nothing, so optimize(optimize(t)) ≡
  // optimize(t) would hold by construction; what can fail is each pass's own idempotence and
  // the pipeline reaching that fixpoint before MAX_ROUNDS cuts it off.
  // peel, fold and dce are idempotent on every input, labelled or not. Two passes are so only on
  // inputs without a label, and the property says so per pass:
  //  - virtualize forces at the label every virtual of the preamble that an op after the label
  //    mentions, before it knows whether that op stays: when the op then folds away (`ptr_eq(p2,
  //    p1)` with p1 a virtual of the body) or is itself a write into a virtual of the body that
  //    is never forced (`setfield(p12_b, next, p5)`), the allocation was not needed, and the second
  //    run, which no longer sees the mention, removes it. Keeping such virtuals virtual until the
  //    body really needs them (allocating them before the label then) is the loop driver's job.
  //  - heapcache keeps across the label the entries of *invariant* label arguments (the jump
  //    passes them back unchanged), read from the input's jump; forwarding a read in the body can
  //    make a jump argument the label argument itself (`jump(…, i10_b)` with i10_b a read of what
  //    i6 holds), so the second run finds one more invariant argument and forwards more.
  // Both differences are measured (about 2 and 3 in 1,000 labelled loops) and both outputs are
  // equivalent to the input (the equivalence properties run on labelled inputs).
  const labelFreeOnly = new Set(['virtualize', 'heapcache']);
  it('every pass applied to its own output changes nothing more (virtualize, heapcache: inputs without a label)', () => {
    assertTraces(
      (trace) => {
        const labelled = labelIndex(trace) >= 0;
        for (const [name, pass] of Object.entries(PASSES)) {
          if (labelled && labelFreeOnly.has(name)) continue;
          const once = pass(trace);
          const result = alphaEquivalent(once, pass(once));
          if (!result.ok) return `${name} is not idempotent: ${result.message}; its output once:\n${printTrace(once)}`;
        }
        return null;
      },
      { arbitrary: arbTraceCase({ labelShare: 0.5 }), runs: 500 },
    );
  });

  it('the pipeline reaches its fixpoint before MAX_ROUNDS (measured: 1-3 rounds)', () => {
    const histogram = new Map<number, number>();
    assertTraces(
      (trace) => {
        let rounds = 0;
        const last = DEFAULT_PIPELINE[DEFAULT_PIPELINE.length - 1];
        optimize(trace, DEFAULT_PIPELINE, { afterPass: (pass) => pass === last && rounds++ });
        histogram.set(rounds, (histogram.get(rounds) ?? 0) + 1);
        // The last round optimize ran must be one that changed nothing.
        return rounds < MAX_ROUNDS ? null : `the pipeline ran ${rounds} rounds, the most it may, without reaching its fixpoint`;
      },
      { runs: 500 },
    );
    console.log(`optimize: rounds per trace ${[...histogram].sort(([a], [b]) => a - b).map(([r, n]) => `${r}: ${n}`).join(', ')}`);
  });

  // A guard known to fail may change kind (virtualize writes it as guard_true(0)), so guards
  // are counted together.
  const GUARDS = Object.keys(countOps({ classes: [], inputs: [], ops: [], inputSets: [] })).filter((n) => n.startsWith('guard_')) as OpName[];
  const measured = (trace: Trace) => {
    const c = countOps(trace);
    return { new: c.new + c.new_array, guards: GUARDS.reduce((sum, g) => sum + c[g], 0), getfield: c.getfield, setfield: c.setfield };
  };

  /** A peeled trace is two copies of the iteration: the preamble and the body count apart. */
  const sections = (trace: Trace): [string, Trace][] => {
    const label = labelIndex(trace);
    if (label < 0) return [['trace', trace]];
    return [
      ['preamble', { ...trace, ops: trace.ops.slice(0, label) }],
      ['body', { ...trace, ops: trace.ops.slice(label + 1) }],
    ];
  };

  it('never has more allocations, guards, getfield or setfield than the input, per section (pipeline and each pass)', () => {
    assertTraces(
      (trace) => {
        const before = measured(trace);
        for (const [name, pass] of [['pipeline', (t: Trace) => optimize(t)] as const, ...Object.entries(PASSES)]) {
          for (const [section, part] of sections(pass(trace))) {
            const after = measured(part);
            for (const key of Object.keys(before) as (keyof typeof before)[]) {
              if (after[key] > before[key]) return `${name}, ${section}: ${after[key]} ${key} where the input has ${before[key]}`;
            }
          }
        }
        return null;
      },
      { runs: 500 },
    );
  });

  it('every pass output validates (the failing pass is named) and round-trips through the text format', () => {
    assertTraces(
      (trace) => {
        let optimized: Trace;
        try {
          optimized = validated(trace);
        } catch (err) {
          return `${err instanceof Error ? err.message : String(err)}`;
        }
        const reparsed = parseTrace(printTrace(optimized));
        const result = alphaEquivalent(optimized, reparsed);
        return result.ok ? null : `the optimized trace does not round-trip through the text format: ${result.message}`;
      },
      { runs: 500 },
    );
  });
});
