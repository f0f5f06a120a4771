// The chained driver's answers to a body whose jump does not fit the label's state: generalize
// (allocate before the label the virtuals named, and optimize again; from round
// MAX_GENERALIZATIONS on, every virtual loop argument) and give up (the loop optimized without
// peeling, `rejected` saying why). Generated loops never need either (the label state the
// driver builds fits its body's jump: measured by the first test), so each answer is forced
// through the `close` seam on generated loops, and every result checked against the reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alphaEquivalent, type Trace } from '../../src/ir/index.ts';
import { CHECKED, type ChainChecks, chainOptimizeLabelled } from '../../src/optimizer/chain.ts';
import { MAX_GENERALIZATIONS } from '../../src/optimizer/peel.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
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
 * Optimizes `trace` with `answer(round, state, values)` at the close (null: the driver's own answer),
 * and returns the result with the number of nodes of the label's state at each round. A trace
 * that has a label already gets null where the driver gives up (the pipeline then runs the
 * passes one by one): its result is then the trace itself, for the checks below.
 */
function forced(trace: Trace, answer: (round: number, state: State, values: Parameters<Close>[1]) => Closing | null) {
  const nodes: number[] = [];
  const phases: string[] = [];
  const close: Close = (state, values) => {
    nodes.push(state.nodes.length);
    return answer(nodes.length - 1, state, values) ?? CHECKED.close(state, values);
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
          expect(phases.slice(-3)).toEqual(['preamble', 'dce', 'intbounds']);
        }
        assertBehavesLikeInput(trace, result.trace);
      }),
      fcParams(RUNS),
    );
    console.log(`chain: gave up on ${gaveUp} of ${RUNS} loops (the others have a label already, or end before the jump)`);
    expect(gaveUp).toBeGreaterThan(RUNS / 5);
  });
});

describe('the close seam on written loops', () => {
  it('generalizing a virtual held in the first field of another: only it is allocated before the label', () => {
    // The state is a Pair whose first field is a Box; generalizing the Box alone (its origin)
    // must find it in the Pair's first field and allocate it before the label, leaving the Pair
    // virtual with the Box's variable in that field.
    const trace = parseTrace(`class Pair(first: ref, n: int)
class Box(v: int)
[p0, i0]
p1 = new(Box)
setfield(p1, v, i0)
p2 = new(Pair)
setfield(p2, first, p1)
setfield(p2, n, i0)
i1 = int_add(i0, 1)
i2 = int_lt(i1, 100)
guard_true(i2) [p0, i1]
jump(p2, i1)

input a [null, 1]
input b [null, 99]
`);
    const classes: string[][] = [];
    const { result } = forced(trace, (round, state) => {
      classes.push(state.nodes.map((node) => node.virtual.cls));
      return round === 0 ? generalize(state, state.nodes.filter((node) => node.virtual.cls === 'Box')) : null;
    });
    expect(classes).toEqual([['Pair', 'Box'], ['Pair']]);
    const expected = parseTrace(`class Pair(first: ref, n: int)
class Box(v: int)
[p0, i0]
i1 = int_add(i0, 1)
i2 = int_lt(i1, 100)
guard_true(i2) [p0, i1]
p1 = new(Box)
setfield(p1, v, i0)
label(p1, i0, i1) [$0, i1] with $0 = Pair{first: p1, n: i0}
i1_1 = int_add(i1, 1)
i2_1 = int_lt(i1_1, 100)
guard_true(i2_1, id=0) [$0, i1_1] with $0 = Pair{first: p1, n: i0}
p1_1 = new(Box)
setfield(p1_1, v, i1)
jump(p1_1, i1, i1_1)
`);
    expect(alphaEquivalent(result.trace, expected).ok, printTrace(result.trace)).toBe(true);
    assertBehavesLikeInput(trace, result.trace);
  });

  it('refuses a body that passes a variable where the state holds a constant', () => {
    // The driver's own bodies never do (a constant the first iteration computes, later ones
    // compute too, or a guard on the way fails): asked directly, the close names the constant.
    const trace = parseTrace(`[i0, i1]
i2 = int_add(i0, i1)
i3 = int_lt(i2, 100)
guard_true(i3) [i0, i2]
jump(i2, 7)
`);
    const answers: string[] = [];
    forced(trace, (_, state, values) => {
      const own = CHECKED.close(state, values);
      // The body's variable at the jump in both places: the second is where the state holds 7.
      const swapped = CHECKED.close(state, [values[0]!, values[0]!]);
      answers.push(own.kind, swapped.kind === 'fails' ? swapped.why : swapped.kind);
      return null;
    });
    expect(answers).toEqual(['closes', 'a loop argument is the constant 7 only in the first iteration']);
  });

  it('a later round over a labelled result that gives up keeps the round before', () => {
    // chainOptimizeLabelled optimizes its result again while that changes it; a round the chain
    // cannot do (null) ends it with the result it had.
    const trace = parseTrace(`class Node(v: int)
[p0, i0]
guard_class(p0, Node) [p0, i0]
i1 = getfield(p0, v)
label(p0, i0) [p0, i0]
guard_class(p0, Node) [p0, i0]
i2 = getfield(p0, v)
i3 = int_add(i0, i2)
i4 = int_lt(i3, 100)
guard_true(i4) [p0, i3]
jump(p0, i3)

input a [@n, 0] with @n = Node{v: 7}
`);
    const own = chainOptimizeLabelled(trace)!;
    let runs = 0;
    const observe = (phase: string) => {
      if (phase === 'index') runs++;
    };
    const close: Close = (state, values) => (runs > 1 ? { kind: 'fails', why: 'forced by the test' } : CHECKED.close(state, values));
    const result = chainOptimizeLabelled(trace, { observe, checks: { ...CHECKED, close } });
    expect(runs).toBe(2);
    expect(result).not.toBeNull();
    expect(alphaEquivalent(result!.trace, own.trace).ok).toBe(true);
  });
});
