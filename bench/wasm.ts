/**
 * The wasm backend: how fast Figure 2's loop runs compiled, how fast traces compile.
 *
 *  1. Figure 2 with a BoxedInteger y = 10,000,000: time per iteration of the wasm-compiled
 *     unoptimized trace, the wasm-compiled trace optimized without peel (the paper's section 4)
 *     and with it (`optimize(trace)`), the reference interpreter (on a smaller y, per
 *     iteration), and a plain JavaScript loop doing f's arithmetic on numbers, all in this run,
 *     as ratios to the plain loop. Each wasm result is checked (res must be sum(1..y) - 100 y).
 *     The first run after compiling is shown apart: it shows whether the loop left V8's baseline
 *     tier (host.ts returns to the host every BACK_EDGES_PER_CALL back-edges for that).
 *  2. Compile latency per trace (emit, encode, engine compile, instantiate): median of many.
 *  3. Compile time of generated 1,000- and 10,000-op traces, per op (linear: flat per op).
 */
import { readFileSync } from 'node:fs';
import { genLargeTrace } from '../properties/arbitraries/trace.ts';
import { runReference } from '../spec/interpreter.ts';
import { type InputSet, labelIndex, type Outcome } from '../src/ir/index.ts';
import { DEFAULT_PIPELINE, optimize } from '../src/optimizer/pipeline.ts';
import { parseTrace } from '../src/text/index.ts';
import { compileTrace, runCompiled } from '../src/wasm/index.ts';
import { medianMs, table } from './measure.ts';

const Y = 10_000_000;

/**
 * Figure 2 after allocation removal and loop peeling, written by hand: what the optimizer's
 * peeled form of the loop should be. The preamble is the first iteration; after the label the
 * loop carries y and res as two ints, and every exit rebuilds the boxes from resume data.
 * test/wasm/peeled.test.ts checks it against the reference run of Figure 2 itself, and that the
 * default pipeline produces exactly it (so its row and optimize(trace)'s should run alike).
 */
export const HAND_PEELED_FIGURE2 = `
class BoxedInteger(intval: int)
class BoxedFloat(floatval: float)

[p0, p1]
guard_class(p1, BoxedInteger)
i2 = getfield(p1, intval)
guard_class(p0, BoxedInteger)
i3 = getfield(p0, intval)
i4 = int_add(i2, i3)
i9 = int_add(i4, -100)
i14 = int_add(i3, -1)
i17 = int_gt(i14, 0)
guard_true(i17, id=7) [p0, p1, i2, i3, i4, $0, $1, i4, -100, i9, $2, $3, i3, -1, i14, $4, i14, i17] with $0 = BoxedInteger{intval: i4}, $1 = BoxedInteger{intval: -100}, $2 = BoxedInteger{intval: i9}, $3 = BoxedInteger{intval: -1}, $4 = BoxedInteger{intval: i14}
label(i14, i9) [$0, $1] with $0 = BoxedInteger{intval: i14}, $1 = BoxedInteger{intval: i9}
i20 = int_add(i9, i14)
i21 = int_add(i20, -100)
i22 = int_add(i14, -1)
i23 = int_gt(i22, 0)
guard_true(i23, id=7) [$0, $1, i9, i14, i20, $2, $3, i20, -100, i21, $4, $5, i14, -1, i22, $6, i22, i23] with $0 = BoxedInteger{intval: i14}, $1 = BoxedInteger{intval: i9}, $2 = BoxedInteger{intval: i20}, $3 = BoxedInteger{intval: -100}, $4 = BoxedInteger{intval: i21}, $5 = BoxedInteger{intval: -1}, $6 = BoxedInteger{intval: i22}
jump(i22, i21)
`;
const REFERENCE_Y = 50_000;

function inputWithY(y: number): InputSet {
  return {
    name: `y${y}`,
    args: [
      { kind: 'obj', name: 'y' },
      { kind: 'obj', name: 'res' },
    ],
    objects: [
      { name: 'y', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: BigInt(y) } }] },
      { name: 'res', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: 0n } }] },
    ],
  };
}

/** f's arithmetic on plain numbers: what the optimized trace should come down to. */
function plainLoop(y: number): number {
  let res = 0;
  while (y > 0) {
    res = res + y + -100;
    y = y + -1;
  }
  return res;
}

/**
 * res at the loop's exit: p10, the 11th fail arg of guard_true (an optimized guard keeps the
 * positions of the guard it stands for).
 */
function resultOf(outcome: Outcome): bigint | undefined {
  const value = outcome.values[10];
  const cell = value?.kind === 'ref' ? outcome.finalHeap.get(value.id) : undefined;
  const intval = cell?.kind === 'object' ? cell.fields.intval : undefined;
  return intval?.kind === 'int' ? intval.value : undefined;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchWasm(): Promise<string> {
  const figure2 = parseTrace(readFileSync(new URL('../examples/paper-figure2.trace', import.meta.url), 'utf8'));
  const optimized = optimize(figure2);
  const input = inputWithY(Y);
  const fuel = Y + 1;
  const expected = BigInt(Y) * BigInt(Y + 1) / 2n - 100n * BigInt(Y);

  const plainMs = medianMs(() => plainLoop(Y), 5);
  if (plainLoop(Y) !== Number(expected)) throw new Error('plain loop: wrong result');

  const rows: string[][] = [];
  const perIteration = (ms: number, iterations: number) => (ms * 1e6) / iterations;
  const plainNs = perIteration(plainMs, Y);
  const row = (what: string, firstNs: number | null, ns: number, note = '') =>
    rows.push([what, firstNs === null ? '' : firstNs.toFixed(2), ns.toFixed(2), (ns / plainNs).toFixed(2), note]);
  row('plain JS loop on numbers', null, plainNs);

  // What each step buys: section 4 alone still allocates the two objects that cross the jump;
  // peeling (the default pipeline, which produces HAND_PEELED_FIGURE2 exactly) removes them.
  const section4 = optimize(
    figure2,
    DEFAULT_PIPELINE.filter((pass) => pass !== 'peel'),
  );
  for (const [what, trace] of [
    ['wasm, unoptimized trace', figure2],
    ['wasm, optimized without peel (section 4)', section4],
    ['wasm, optimize(trace), peeled', optimized],
  ] as const) {
    const compiled = compileTrace(trace);
    const start = performance.now();
    const outcome = runCompiled(compiled, input, { fuel });
    const firstMs = performance.now() - start;
    const ok = outcome.exit.kind === 'guard' && outcome.exit.guardId === 7 && resultOf(outcome) === expected;
    if (!ok) throw new Error(`${what}: wrong outcome ${JSON.stringify(outcome.exit)}`);
    const ms = medianMs(() => runCompiled(compiled, input, { fuel }), 3);
    // The loop is what follows the label, when there is one.
    const loop = trace.ops.slice(labelIndex(trace) + 1);
    const allocations = loop.filter((op) => op.name === 'new').length;
    row(what, perIteration(firstMs, Y), perIteration(ms, Y), `${loop.length} ops, ${allocations} allocations per iteration`);
  }

  const referenceMs = medianMs(() => runReference(figure2, inputWithY(REFERENCE_Y), { fuel: REFERENCE_Y + 1 }), 3);
  row(`reference interpreter (y = ${REFERENCE_Y})`, null, perIteration(referenceMs, REFERENCE_Y));

  // Compile latency per trace.
  const latencyRows: string[][] = [];
  for (const [what, trace] of [
    ['Figure 2, unoptimized', figure2],
    ['Figure 2, optimized', optimized],
  ] as const) {
    for (let k = 0; k < 50; k++) compileTrace(trace); // warm the emitter
    const times: number[] = [];
    let bytes = 0;
    for (let k = 0; k < 500; k++) {
      const compiled = compileTrace(trace);
      times.push(compiled.compileMs);
      bytes = compiled.bytes.length;
    }
    latencyRows.push([what, String(trace.ops.length), String(bytes), (median(times) * 1000).toFixed(0)]);
  }

  // Compile time against trace size.
  const sizeRows: string[][] = [];
  const perOp: number[] = [];
  for (const n of [1_000, 10_000]) {
    const trace = genLargeTrace(n, 11);
    compileTrace(trace);
    const times: number[] = [];
    let bytes = 0;
    for (let k = 0; k < 9; k++) {
      const compiled = compileTrace(trace);
      times.push(compiled.compileMs);
      bytes = compiled.bytes.length;
    }
    const ms = median(times);
    perOp.push((ms * 1000) / trace.ops.length);
    sizeRows.push([String(trace.ops.length), String(bytes), ms.toFixed(2), ((ms * 1000) / trace.ops.length).toFixed(2)]);
  }

  return [
    `Figure 2, y = ${Y.toLocaleString('en')}: ns per iteration (first run after compiling, median of later runs),`,
    'ratio of the median to the plain loop (target for the optimized loop: <= 1.5)',
    table(['run', 'first', 'median', 'ratio', ''], rows),
    '',
    'compile latency per trace (emit + encode + engine compile + instantiate), median of 500',
    table(['trace', 'ops', 'bytes', 'µs'], latencyRows),
    '',
    'compile time against trace size, median of 9',
    table(['ops', 'bytes', 'ms', 'µs/op'], sizeRows),
    `time per op at 10,000 ops over time per op at 1,000 ops: ${(perOp[1]! / perOp[0]!).toFixed(2)} (linear: about 1)`,
  ].join('\n');
}
