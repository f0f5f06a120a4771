/**
 * Timing helpers shared by the benchmarks: medians of repeated runs, scaling checks as ratios
 * between sizes measured in the same process (never absolute thresholds).
 */
import { performance } from 'node:perf_hooks';

/** Median of `clock`'s readings around `fn` over `repeats` runs, after one warm-up run. */
function median(fn: () => unknown, repeats: number, clock: (run: () => unknown) => number): number {
  fn();
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) times.push(clock(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Median wall time of `fn` in milliseconds over `repeats` runs, after one warm-up run. */
export function medianMs(fn: () => unknown, repeats = 5): number {
  return median(fn, repeats, (run) => {
    const start = performance.now();
    run();
    return performance.now() - start;
  });
}

/**
 * Median CPU time (user + system, of the whole process) of `fn` in milliseconds over `repeats`
 * runs, after one warm-up run. On a loaded machine it follows the work done more closely than
 * wall time does (time spent waiting for a core is not counted); garbage collection on helper
 * threads is.
 */
export function medianCpuMs(fn: () => unknown, repeats = 5): number {
  return median(fn, repeats, (run) => {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  });
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
