/**
 * Timing helpers shared by the benchmarks: medians of repeated runs, the spread of readings, and
 * their formatting (figures are ratios against a baseline, never absolute thresholds).
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
