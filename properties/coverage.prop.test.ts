/**
 * What the generator produces, measured: a property that can only find bugs the generator
 * makes possible, so each shape the paper's optimizations care about must show up often enough.
 * Counted over the traces of one fast-check run (FC_SEED and FC_NUM_RUNS apply), printed, then
 * held to minimum shares:
 *   loops carrying an object across the jump (category 3 or 4)   >= 20% of loops
 *   each object-lifetime category 1–4 (paper, section 3)          >= 5% of traces
 *   virtuals nested in virtuals                                   >= 10% of traces
 *   escapes                                                       >= 20% of traces
 *   runs ending at a failing guard                                >= 20% of runs
 *   finish traces >= 10%, loops >= 50% of traces
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Trace } from '../src/ir/index.ts';
import { runReference } from '../spec/interpreter.ts';
import { arbTraceCase, classifyLifetimes } from './arbitraries/trace.ts';
import { fcParams } from './fc-config.ts';

const FUEL = 10;

class Census {
  traces = 0;
  loops = 0;
  runs = 0;
  private readonly traceCounts = new Map<string, number>();
  private readonly loopCounts = new Map<string, number>();
  private readonly runCounts = new Map<string, number>();

  record(trace: Trace): void {
    this.traces++;
    const isLoop = trace.ops[trace.ops.length - 1]!.name === 'jump';
    const lifetimes = classifyLifetimes(trace);
    const has = (name: string) => trace.ops.some((op) => op.name === name);
    const count = (map: Map<string, number>, key: string, yes: boolean) => {
      if (yes) map.set(key, (map.get(key) ?? 0) + 1);
    };
    count(this.traceCounts, 'category 1', lifetimes.cat1 > 0);
    count(this.traceCounts, 'category 2', lifetimes.cat2 > 0);
    count(this.traceCounts, 'category 3', lifetimes.cat3 > 0);
    count(this.traceCounts, 'category 4', lifetimes.cat4 > 0);
    count(this.traceCounts, 'nested virtuals', lifetimes.nestedVirtual > 0);
    count(this.traceCounts, 'cycles', lifetimes.cycle);
    count(this.traceCounts, 'escapes', has('escape'));
    count(this.traceCounts, 'overflow checks', trace.ops.some((op) => op.name.endsWith('_ovf')));
    count(this.traceCounts, 'arrays', has('new_array'));
    count(this.traceCounts, 'finish', !isLoop);
    count(this.traceCounts, 'loop', isLoop);
    if (isLoop) {
      this.loops++;
      count(this.loopCounts, 'carrying an object across the jump', lifetimes.cat3 + lifetimes.cat4 > 0);
    }
    for (const set of trace.inputSets) {
      this.runs++;
      const outcome = runReference(trace, set, { fuel: FUEL });
      count(this.runCounts, `exit: ${outcome.exit.kind}`, true);
      count(this.runCounts, 'a guard fails after the first iteration', outcome.exit.kind === 'guard' && (outcome.iterations ?? 1) > 1);
    }
  }

  share(of: 'traces' | 'loops' | 'runs', key: string): number {
    const counts = { traces: this.traceCounts, loops: this.loopCounts, runs: this.runCounts }[of];
    return (counts.get(key) ?? 0) / Math.max(1, this[of]);
  }

  report(): string {
    const lines = [`${this.traces} traces, ${this.loops} loops, ${this.runs} runs (fuel ${FUEL})`];
    const section = (of: 'traces' | 'loops' | 'runs', counts: Map<string, number>) => {
      for (const key of [...counts.keys()].sort()) lines.push(`  ${(100 * this.share(of, key)).toFixed(1).padStart(5)}% of ${of}: ${key}`);
    };
    section('traces', this.traceCounts);
    section('loops', this.loopCounts);
    section('runs', this.runCounts);
    return lines.join('\n');
  }
}

it('generates every shape the optimizations care about, often enough', () => {
  const census = new Census();
  fc.assert(
    fc.property(arbTraceCase(), (trace) => {
      census.record(trace);
    }),
    fcParams(300),
  );
  console.log(`generator coverage:\n${census.report()}`);

  expect(census.share('loops', 'carrying an object across the jump')).toBeGreaterThanOrEqual(0.2);
  for (const category of [1, 2, 3, 4]) expect(census.share('traces', `category ${category}`)).toBeGreaterThanOrEqual(0.05);
  expect(census.share('traces', 'nested virtuals')).toBeGreaterThanOrEqual(0.1);
  expect(census.share('traces', 'escapes')).toBeGreaterThanOrEqual(0.2);
  expect(census.share('runs', 'exit: guard')).toBeGreaterThanOrEqual(0.2);
  expect(census.share('traces', 'finish')).toBeGreaterThanOrEqual(0.1);
  expect(census.share('traces', 'loop')).toBeGreaterThanOrEqual(0.5);
});
