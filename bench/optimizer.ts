/**
 * Optimizer throughput on generated loops of 1,000 to 100,000 ops (properties/arbitraries'
 * genLargeTrace, with guards that all pass on the loop's input set, so that no pass knows one to
 * fail and cuts the trace short): the default pipeline (the chained driver, chain.ts), the same
 * passes run pass by pass in rounds, and each pass alone, in input ops per second, and the ratio
 * of time per op between the largest and the smallest size.
 *
 * Linearity (DESIGN.md: a pass's time is proportional to the trace's length) is judged between
 * 30,000 and 100,000 ops, timed in alternation: the pipeline's time per op must grow less than
 * twofold there. Between 1,000 and 100,000 ops the time per op grows about threefold, and the
 * Map baseline's (below) five- to eightfold in the same run: a 1,000-op optimization works in
 * the processor's caches and a young generation the collector empties for free, a 100,000-op one
 * in main memory, with the collector copying what it holds; past 30,000 ops both are in the
 * second regime, so what still grows there is the algorithm. (Until the driver allocated a third
 * less, the alternating 1,000/100,000 ratio read 1.2-1.8: the 1,000-op runs were slowed by what
 * the 100,000-op runs left for the collector, 1,300 ns per op against 550 alone.)
 *
 * Reading the per-pass rows: `out` is the pass's output size, which stays proportional to the
 * input (with random guards, fold and the pipeline stopped at an early guard known to fail and
 * gave 10 ops or fewer at every size). The light passes (dce) are dominated by string-keyed Map
 * accesses, whose cost per access itself grows with the table size (cache misses); the `Map
 * baseline` row (one Map from every result name to its index, then one lookup per operand)
 * shows that growth, so a pass ratio near the baseline's is the memory hierarchy, not the
 * algorithm.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { Trace } from '../src/ir/index.ts';
import { type ChainPhase, chainOptimize } from '../src/optimizer/chain.ts';
import { DEFAULT_PIPELINE, optimize, PASSES } from '../src/optimizer/pipeline.ts';
import { genLargeTrace } from '../properties/arbitraries/trace.ts';
import { alternatingRatio, fmtNumber, fmtSpread, medianMs, type Spread, table, wallAndCpuMs } from './measure.ts';

const SIZES = [1_000, 3_000, 10_000, 30_000, 100_000];
const RATIO_LIMIT = 2;
/**
 * What a tracing JIT needs (it pays the optimizer at every warm-up): the default pipeline at
 * 1,000,000 input ops per second on the 10,000-op loop, and time per op at 100,000 ops at most
 * 1.3 times that at 1,000. Printed beside the measured figures.
 */
const TARGET_OPS_PER_SECOND = 1_000_000;
const TARGET_RATIO = 1.3;
/** Runs (rounds, for the ratio) behind each target's figure. */
const TARGET_RUNS = 21;

/** A stand-in for the cheapest possible pass: index every result name, look up every operand. */
function mapBaseline(trace: Trace): number {
  const definedAt = new Map<string, number>();
  trace.ops.forEach((op, index) => op.result !== null && definedAt.set(op.result, index));
  let sum = 0;
  for (const op of trace.ops) for (const a of op.args) if (a.kind === 'var') sum += definedAt.get(a.name) ?? 0;
  return sum;
}

export async function benchOptimizer(): Promise<string> {
  const traces = SIZES.map((n, k) => genLargeTrace(n, 1000 + k, { guards: 'passing' }));
  // The default pipeline runs the chained driver; the same passes given as functions run pass by
  // pass, in rounds (what a list of passes other than the default runs).
  const passByPass = DEFAULT_PIPELINE.map((name) => PASSES[name]!);
  const subjects: [string, (t: Trace) => unknown][] = [
    ['pipeline', (t) => optimize(t)],
    ['pass by pass', (t) => optimize(t, passByPass)],
    ...Object.entries(PASSES),
    ['Map baseline', mapBaseline],
  ];
  const rows: string[][] = [];
  const ratios: string[] = [];
  let verdict = '';
  for (const [name, run] of subjects) {
    const perOp = traces.map((trace) => {
      // Small traces are timed in batches, so that each measurement spans enough work.
      const batch = Math.max(1, Math.round(20_000 / trace.ops.length));
      const ms = medianMs(() => {
        for (let k = 0; k < batch; k++) run(trace);
      }, 5);
      return ms / batch / trace.ops.length;
    });
    traces.forEach((trace, k) => {
      const result = run(trace);
      const out = typeof result === 'object' ? String((result as Trace).ops.length) : '';
      rows.push([name, String(trace.ops.length), out, fmtNumber(1000 / perOp[k]!), (perOp[k]! * 1e6).toFixed(0)]);
    });
    const ratio = perOp.at(-1)! / perOp[0]!;
    ratios.push(`${name} ${ratio.toFixed(2)}`);
    if (name === 'pipeline') {
      const trace10k = traces.find((t) => t.ops.length >= 10_000)!;
      // The targets' figures from many runs, with their spread: a run of the 10,001-op loop takes
      // about 10 ms, and a scavenge of the young generation a few ms, so five runs gave figures a
      // third apart from one bench run to the next. The figure is the mean (all ops over all
      // runs' time), which charges each run its share of the collections: one run in three or
      // four has a scavenge, so the median run has none.
      const at10k = wallAndCpuMs(() => run(trace10k), TARGET_RUNS);
      const perSecond = (ms: Spread): Spread => {
        const rate = (x: number) => (1000 * trace10k.ops.length) / x;
        return { median: rate(ms.median), lower: rate(ms.upper), upper: rate(ms.lower), mean: rate(ms.mean) };
      };
      const wall = perSecond(at10k.wall);
      const cpu = perSecond(at10k.cpu);
      // The ratio again, the two sizes timed in alternation: five medians per size, taken one
      // size after the other, swung between 1.1 and 1.9 from one run to the next on a quiet
      // machine, as garbage collection cycles fell on one size or the other.
      const smallest = traces[0]!;
      const largest = traces.at(-1)!;
      const batch = Math.round(20_000 / smallest.ops.length);
      const alternating = alternatingRatio(
        () => {
          for (let k = 0; k < batch; k++) run(smallest);
        },
        batch * smallest.ops.length,
        () => run(largest),
        largest.ops.length,
        TARGET_RUNS,
      );
      const kops = (x: Spread) => `${fmtNumber(x.mean)} ops/s (runs' quartiles ${fmtNumber(x.lower)}-${fmtNumber(x.upper)}, median ${fmtNumber(x.median)})`;
      const past = traces.find((t) => t.ops.length >= 30_000)!;
      const linear = alternatingRatio(() => run(past), past.ops.length, () => run(largest), largest.ops.length);
      verdict = [
        `pipeline: time per op at ${largest.ops.length} ops / at ${smallest.ops.length} ops = ${ratio.toFixed(2)} in the table; timed in alternation over ${TARGET_RUNS} rounds ${fmtSpread(alternating)} (target ${TARGET_RATIO}: ${alternating.median <= TARGET_RATIO ? 'met' : 'not met'}; the Map baseline's, in the table: see the ratios below)`,
        `pipeline linearity: time per op at ${largest.ops.length} ops / at ${past.ops.length} ops, timed in alternation over 11 rounds ${fmtSpread(linear)} (${linear.median < RATIO_LIMIT ? 'ok' : 'NOT LINEAR'}, limit ${RATIO_LIMIT})`,
        `pipeline at ${trace10k.ops.length} ops, ${TARGET_RUNS} runs: ${kops(wall)} (target ${fmtNumber(TARGET_OPS_PER_SECOND)}: ${wall.mean >= TARGET_OPS_PER_SECOND ? 'met' : 'not met'}); by CPU time rather than wall time ${kops(cpu)}`,
      ].join('\n');
    }
  }
  const at10k = traces.find((t) => t.ops.length >= 10_000)!;
  return [
    'optimizer throughput',
    table(['pass', 'ops', 'out', 'ops/s', 'ns/op'], rows),
    verdict,
    `ratios largest/smallest: ${ratios.join(', ')}`,
    await profileSummary(at10k),
  ].join('\n');
}

/**
 * Where the default pipeline's time goes on one trace: the chained driver's phases (indexing the
 * input, the preamble's run, the body's, the dead-code sweep, summed over its restarts), and the
 * time the garbage collector took meanwhile (from Node's `gc` performance entries).
 */
async function profileSummary(trace: Trace): Promise<string> {
  const REPEATS = 10;
  const phases = new Map<ChainPhase, { ms: number; times: number }>();
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  chainOptimize(trace);
  observer.observe({ entryTypes: ['gc'] });
  let totalMs = 0;
  for (let k = 0; k < REPEATS; k++) {
    const start = performance.now();
    chainOptimize(trace, {
      observe: (phase, ms) => {
        const row = phases.get(phase) ?? { ms: 0, times: 0 };
        row.ms += ms;
        row.times += 1;
        phases.set(phase, row);
      },
    });
    totalMs += performance.now() - start;
  }
  // Let the observer deliver the last entries.
  await new Promise((resolve) => setTimeout(resolve, 0));
  observer.disconnect();
  const share = (ms: number) => `${((100 * ms) / totalMs).toFixed(0)}%`;
  const rows = [...phases].map(([phase, row]) => [phase, share(row.ms), (row.ms / REPEATS).toFixed(2), (row.times / REPEATS).toFixed(1)]);
  return [
    `profile of the default pipeline (the chained driver) on the ${trace.ops.length}-op loop (${REPEATS} runs, ${(totalMs / REPEATS).toFixed(1)} ms per run):`,
    table(['phase', 'share', 'ms', 'times'], rows),
    `garbage collection during those runs: ${share(gcMs)} of their wall time (inside the phases)`,
  ].join('\n');
}
