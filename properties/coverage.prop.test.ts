/**
 * What the generator produces, measured: a property that can only find bugs the generator
 * makes possible, so each shape the paper's optimizations care about must show up often enough.
 * Counted over the traces of one fast-check run (FC_SEED and FC_NUM_RUNS apply), printed, then
 * held to minimum shares (in brackets: the least and the mean share measured over 12 seeds of
 * the default 300 traces; each minimum sits well below the least):
 *   loops carrying an object across the jump (category 3 or 4)   >= 20% of loops   [44%, 50%]
 *   loops carrying an array across the jump, which the next
 *     iteration reads or writes                                   >= 3% of loops    [6%, 8%]
 *   each object-lifetime category 1–4 (paper, section 3)          >= 5% of traces   [12%, 15% for 4]
 *   virtuals nested in virtuals                                   >= 10% of traces  [20%, 23%]
 *   virtuals that can form a cycle                                >= 8% of traces   [12%, 15%]
 *   escapes                                                       >= 20% of traces  [43%, 48%]
 *   input heaps holding arrays                                    >= 20% of traces  [40%, 47%]
 *   guard_value on refs (against an input or null)                >= 4% of traces   [7%, 10%]
 *   prebuilt objects read from / written to (one trace in three
 *     may use them; 3 seeds measured)                             >= 8% of traces   [17%, 20%] / [16%, 19%]
 *   prebuilt objects compared against (ptr_eq, guard_value)       >= 1.5% of traces [3%, 4%]
 *   input sets pointing at prebuilt objects                       >= 1.5% of traces [5%, 7%]
 *   runs ending at a failing guard                                >= 20% of runs    [53%, 58%]
 *   runs ending at a guard that fails after the first iteration   >= 4% of runs     [6%, 9%]
 *   finish traces >= 10%, loops >= 50% of traces
 *   loops already carrying a label                                >= 15% of loops   [one seed: 28%]
 *     whose body uses a value defined before the label            >= 5% of loops    [one seed: 12%]
 *     whose label takes a value defined before it                 >= 5% of loops    [one seed: 14%]
 *   every op of the table, in some trace of the sample (a new op is generated the day it is added)
 * The census rests on classifyLifetimes, itself checked first against the paper's own reading
 * of Figure 2 and on one small trace per category.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { OP_NAMES, type Trace, typeOfVar } from '../src/ir/index.ts';
import { parseTrace } from '../src/text/index.ts';
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
    count(this.traceCounts, 'arrays in input heaps', trace.inputSets.some((set) => set.objects.some((o) => o.kind === 'array')));
    count(this.traceCounts, 'guard_value on refs', trace.ops.some((op) => op.name === 'guard_value' && op.args.some((a) => a.kind === 'null' || (a.kind === 'var' && typeOfVar(a.name) === 'ref'))));
    const onPrebuilt = (names: readonly string[], position: number) => trace.ops.some((op) => names.includes(op.name) && op.args[position]?.kind === 'prebuilt');
    count(this.traceCounts, 'prebuilt: read from', onPrebuilt(['getfield', 'getarrayitem', 'arraylen'], 0));
    count(this.traceCounts, 'prebuilt: written to', onPrebuilt(['setfield', 'setarrayitem'], 0));
    count(this.traceCounts, 'prebuilt: compared against', onPrebuilt(['ptr_eq', 'ptr_ne', 'guard_value'], 1) || onPrebuilt(['ptr_eq', 'ptr_ne'], 0));
    count(this.traceCounts, 'prebuilt: in an input set', trace.inputSets.some((set) => (trace.prebuilt ?? []).some((o) => JSON.stringify(set, (_, x) => (typeof x === 'bigint' ? String(x) : x)).includes(`"name":"${o.name}"`))));
    count(this.traceCounts, 'finish', !isLoop);
    const label = trace.ops.findIndex((op) => op.name === 'label');
    count(this.loopCounts, 'already carrying a label', label >= 0);
    if (label >= 0) {
      const labelArgs = new Set(trace.ops[label]!.args.flatMap((a) => (a.kind === 'var' ? [a.name] : [])));
      const before = new Set(trace.ops.slice(0, label).flatMap((op) => (op.result === null ? [] : [op.result])));
      const crossing = trace.ops.slice(label + 1).some((op) => op.args.some((a) => a.kind === 'var' && before.has(a.name) && !labelArgs.has(a.name)));
      count(this.loopCounts, 'with a label, whose body uses a value defined before it', crossing);
      count(this.loopCounts, 'with a label taking a value defined before it', [...labelArgs].some((name) => before.has(name)));
    }
    count(this.traceCounts, 'loop', isLoop);
    if (isLoop) {
      this.loops++;
      count(this.loopCounts, 'carrying an object across the jump', lifetimes.cat3 + lifetimes.cat4 > 0);
      count(this.loopCounts, 'carrying an array across the jump, read or written in the next iteration', carriesArray(trace));
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

/**
 * Whether the jump passes an array allocated in the iteration in place of an input that the
 * iteration reads or writes as an array: the next iteration works on this one's array.
 */
function carriesArray(trace: Trace): boolean {
  const jump = trace.ops[trace.ops.length - 1]!;
  if (jump.name !== 'jump') return false;
  const allocated = new Set(trace.ops.filter((op) => op.name === 'new_array').map((op) => op.result!));
  const usedAsArray = new Set(
    trace.ops.filter((op) => op.name === 'getarrayitem' || op.name === 'setarrayitem' || op.name === 'arraylen').flatMap((op) => (op.args[0]!.kind === 'var' ? [op.args[0]!.name] : [])),
  );
  return trace.inputs.some((input, k) => {
    const arg = jump.args[k]!;
    return usedAsArray.has(input.name) && arg.kind === 'var' && allocated.has(arg.name);
  });
}

/** The category of each allocation site, by the variable it defines. */
function categoriesByVariable(trace: Trace): Record<string, number> {
  const census = classifyLifetimes(trace);
  return Object.fromEntries([...census.bySite].map(([index, category]) => [trace.ops[index]!.result!, category]));
}

it('classifies Figure 2 as the paper does: p5, p6, p11 in category 1, p10, p15 in category 3', () => {
  const figure2 = parseTrace(readFileSync(new URL('../examples/paper-figure2.trace', import.meta.url), 'utf8'));
  expect(categoriesByVariable(figure2)).toEqual({ p5: 1, p6: 1, p10: 3, p11: 1, p15: 3 });
});

it('tells the four categories apart, through nesting and across several jumps', () => {
  const trace = parseTrace(`
    class Node(next: ref, item: int)
    [p0, p1, p2]
    p3 = new(Node)
    p4 = new(Node)
    escape(p4)
    p5 = new(Node)
    p6 = new(Node)
    setfield(p6, next, p5)
    p7 = new(Node)
    escape(p1)
    jump(p6, p7, p2)
  `);
  // p5 crosses inside p6 at position 0, which is then dropped; p7 crosses at position 1, which escapes.
  expect(categoriesByVariable(trace)).toEqual({ p3: 1, p4: 2, p5: 3, p6: 3, p7: 4 });
  expect(classifyLifetimes(trace).nestedVirtual).toBe(1);
  const carriedAgain = parseTrace(`
    class Node(next: ref, item: int)
    [p0, p1]
    p2 = new(Node)
    jump(p2, p0)
  `);
  expect(categoriesByVariable(carriedAgain)).toEqual({ p2: 4 });
});

it('generates every shape the optimizations care about, often enough', () => {
  const census = new Census();
  // A census needs a sample: FC_NUM_RUNS may enlarge it but not shrink it, and a replay path means nothing here.
  const { path: _replayPath, ...params } = fcParams<[Trace]>(300);
  fc.assert(
    fc.property(arbTraceCase(), (trace) => {
      census.record(trace);
    }),
    { ...params, numRuns: Math.max(300, params.numRuns ?? 300) },
  );
  console.log(`generator coverage:\n${census.report()}`);

  expect(census.share('loops', 'carrying an object across the jump')).toBeGreaterThanOrEqual(0.2);
  for (const category of [1, 2, 3, 4]) expect(census.share('traces', `category ${category}`)).toBeGreaterThanOrEqual(0.05);
  expect(census.share('loops', 'carrying an array across the jump, read or written in the next iteration')).toBeGreaterThanOrEqual(0.03);
  expect(census.share('traces', 'nested virtuals')).toBeGreaterThanOrEqual(0.1);
  expect(census.share('traces', 'cycles')).toBeGreaterThanOrEqual(0.08);
  expect(census.share('traces', 'escapes')).toBeGreaterThanOrEqual(0.2);
  expect(census.share('traces', 'arrays in input heaps')).toBeGreaterThanOrEqual(0.2);
  expect(census.share('traces', 'guard_value on refs')).toBeGreaterThanOrEqual(0.04);
  expect(census.share('runs', 'exit: guard')).toBeGreaterThanOrEqual(0.2);
  expect(census.share('runs', 'a guard fails after the first iteration')).toBeGreaterThanOrEqual(0.04);
  expect(census.share('traces', 'prebuilt: read from')).toBeGreaterThanOrEqual(0.08);
  expect(census.share('traces', 'prebuilt: written to')).toBeGreaterThanOrEqual(0.08);
  expect(census.share('traces', 'prebuilt: compared against')).toBeGreaterThanOrEqual(0.015);
  expect(census.share('traces', 'prebuilt: in an input set')).toBeGreaterThanOrEqual(0.015);
  expect(census.share('traces', 'finish')).toBeGreaterThanOrEqual(0.1);
  expect(census.share('traces', 'loop')).toBeGreaterThanOrEqual(0.5);
  expect(census.share('loops', 'already carrying a label')).toBeGreaterThanOrEqual(0.15);
  expect(census.share('loops', 'with a label, whose body uses a value defined before it')).toBeGreaterThanOrEqual(0.05);
  expect(census.share('loops', 'with a label taking a value defined before it')).toBeGreaterThanOrEqual(0.05);
});

it('generates every op of the table', () => {
  const seen = new Set<string>();
  const { path: _replayPath, ...params } = fcParams<[Trace]>(300);
  fc.assert(
    fc.property(arbTraceCase(), (trace) => {
      for (const op of trace.ops) seen.add(op.name);
    }),
    { ...params, numRuns: Math.max(300, params.numRuns ?? 300) },
  );
  expect(OP_NAMES.filter((name) => !seen.has(name))).toEqual([]);
});
