// The chained driver's answers to a body whose jump does not fit the label's state: generalize
// (allocate before the label the virtuals named, and optimize again; from round
// MAX_GENERALIZATIONS on, every virtual loop argument) and give up (the loop optimized without
// peeling, `rejected` saying why). Generated loops never need either (the label state the
// driver builds fits its body's jump: measured by the first test), so each answer is forced
// through the `close` seam on generated loops, and every result checked against the reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/ir/index.ts';
import { CHECKED, type ChainChecks, chainOptimizeLabelled } from '../../src/optimizer/chain.ts';
import { MAX_GENERALIZATIONS } from '../../src/optimizer/peel.ts';
import { printTrace } from '../../src/text/index.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { fcParams } from '../../properties/fc-config.ts';
import { assertBehavesLikeInput } from './contract.ts';

type Close = ChainChecks['close'];
type State = Parameters<Close>[0];
type Closing = ReturnType<Close>;

const loops = arbTraceCase({ loopShare: 1 });
const RUNS = 200;
const generalize = (state: State, nodes = state.nodes): Closing => ({ kind: 'generalize', origins: new Set(nodes.map((node) => node.virtual.origin)) });
const labelOf = (trace: Trace) => trace.ops.find((op) => op.name === 'label');

/**
 * Optimizes `trace` with `answer(round, state)` at the close (null: the driver's own answer),
 * and returns the result with the number of nodes of the label's state at each round. A trace
 * that has a label already gets null where the driver gives up (the pipeline then runs the
 * passes one by one): its result is then the trace itself, for the checks below.
 */
function forced(trace: Trace, answer: (round: number, state: State) => Closing | null) {
  const nodes: number[] = [];
  const phases: string[] = [];
  const close: Close = (state, values) => {
    nodes.push(state.nodes.length);
    return answer(nodes.length - 1, state) ?? CHECKED.close(state, values);
  };
  const labelled = labelOf(trace) !== undefined;
  const result = chainOptimizeLabelled(trace, { checks: { ...CHECKED, close }, observe: (phase) => phases.push(phase) });
  if (result === null) expect(labelled, 'null for a trace without a label').toBe(true);
  return { result: result ?? { trace, rejected: null }, nodes, labelled, phases };
}

describe("the chained driver's generalization and giving up, forced through the close seam", () => {
  it("is not what the driver's own close answers on generated loops (measured)", () => {
    const answers = { closes: 0, generalize: 0, fails: 0 };
    fc.assert(
      fc.property(loops, (trace) => {
        chainOptimizeLabelled(trace, {
          checks: {
            ...CHECKED,
            close: (state, values) => {
              const closing = CHECKED.close(state, values);
              answers[closing.kind]++;
              return closing;
            },
          },
        });
      }),
      fcParams(RUNS),
    );
    console.log(`chain: its close on generated loops: closes ${answers.closes}, generalize ${answers.generalize}, fails ${answers.fails}`);
    expect(answers.closes).toBeGreaterThan(0);
  });

  it('round 0 generalizing every node of the state: those virtuals are allocated before the label, which rebuilds none', () => {
    let generalized = 0;
    fc.assert(
      fc.property(loops, (trace) => {
        const { result, nodes } = forced(trace, (round, state) => (round === 0 && state.nodes.length > 0 ? generalize(state) : null));
        if (nodes[0]! > 0) {
          generalized++;
          // Round 1 starts with them allocated: its state has no virtual left.
          expect(nodes[1], printTrace(trace)).toBe(0);
          expect(labelOf(result.trace)?.exit?.virtuals ?? [], printTrace(result.trace)).toEqual([]);
        }
        assertBehavesLikeInput(trace, result.trace);
      }),
      fcParams(RUNS),
    );
    console.log(`chain: round 0 generalized every node of the state in ${generalized} of ${RUNS} loops`);
    expect(generalized, 'no generated loop had a virtual in its label state: nothing was generalized').toBeGreaterThan(RUNS / 20);
  });

  it(`every round asking to generalize nothing new: round ${MAX_GENERALIZATIONS} allocates every virtual loop argument`, () => {
    let reached = 0;
    fc.assert(
      fc.property(loops, (trace) => {
        const { result, nodes } = forced(trace, (round, state) => (round < MAX_GENERALIZATIONS ? generalize(state, []) : null));
        if (nodes.length > MAX_GENERALIZATIONS) {
          reached++;
          expect(nodes[MAX_GENERALIZATIONS]).toBe(0);
        }
        assertBehavesLikeInput(trace, result.trace);
      }),
      fcParams(RUNS),
    );
    console.log(`chain: reached round ${MAX_GENERALIZATIONS} in ${reached} of ${RUNS} loops`);
    expect(reached).toBeGreaterThan(RUNS / 4);
  });

  it('giving up: the loop is optimized without peeling, and says why', () => {
    let gaveUp = 0;
    fc.assert(
      fc.property(loops, (trace) => {
        const { result, nodes, labelled, phases } = forced(trace, () => ({ kind: 'fails', why: 'forced by the test' }));
        if (nodes.length > 0 && !labelled) {
          gaveUp++;
          expect(result.rejected).toBe('forced by the test');
          expect(labelOf(result.trace)).toBeUndefined();
          // After the peeled attempt's preamble and body, the loop once more, unpeeled.
          expect(phases.slice(-2)).toEqual(['preamble', 'dce']);
        }
        assertBehavesLikeInput(trace, result.trace);
      }),
      fcParams(RUNS),
    );
    console.log(`chain: gave up on ${gaveUp} of ${RUNS} loops (the others have a label already, or end before the jump)`);
    expect(gaveUp).toBeGreaterThan(RUNS / 5);
  });
});
