/**
 * Timing helpers shared by the benchmarks: medians of repeated runs, scaling checks as ratios
 * between sizes measured in the same process (never absolute thresholds).
 */
import { performance } from 'node:perf_hooks';

/** Wall time of one run of `fn`, in milliseconds. */
function wallMs(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Median wall time of `fn` in milliseconds over `repeats` runs, after one warm-up run. */
export function medianMs(fn: () => unknown, repeats = 5): number {
  fn();
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) times.push(wallMs(fn));
  return spread(times).median;
}

/** The median, quartiles and mean of some readings. */
export interface Spread {
  median: number;
  lower: number;
  upper: number;
  mean: number;
}

export function spread(readings: readonly number[]): Spread {
  const sorted = [...readings].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))]!;
  return { median: at(0.5), lower: at(0.25), upper: at(0.75), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

/** A spread as its median and quartiles. */
export function fmtSpread(s: Spread, digits = 2): string {
  return `${s.median.toFixed(digits)} (quartiles ${s.lower.toFixed(digits)}-${s.upper.toFixed(digits)})`;
}

/**
 * Wall and CPU time of `fn` in milliseconds, each run read by both clocks, over `runs` runs after
 * one warm-up run: the spread of each.
 */
export function wallAndCpuMs(fn: () => unknown, runs: number): { wall: Spread; cpu: Spread } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(startCpu);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: spread(wall), cpu: spread(cpu) };
}

/**
 * The ratio of time per unit between two workloads, measured in alternation (`small`, `large`,
 * `small`, `large`, … over `rounds` rounds, wall time) so that the machine's drift and the
 * garbage collector's cycles fall on both alike: the median and quartiles of the per-round
 * ratios. `units` says how many units (ops) one call of each does.
 */
export function alternatingRatio(small: () => unknown, smallUnits: number, large: () => unknown, largeUnits: number, rounds = 11): Spread {
  small();
  large();
  const ratios: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const perSmall = wallMs(small) / smallUnits;
    const perLarge = wallMs(large) / largeUnits;
    ratios.push(perLarge / perSmall);
  }
  return spread(ratios);
}

export function fmtNumber(x: number, digits = 2): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(digits)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(digits)}k`;
  return x.toFixed(digits);
}

/** A fixed-width text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, k) => c.padStart(widths[k]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
