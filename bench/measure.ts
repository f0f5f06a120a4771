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

/**
 * The ratio of time per unit between two workloads, measured in alternation (`small`, `large`,
 * `small`, `large`, … over `rounds` rounds, wall time) so that the machine's drift and the
 * garbage collector's cycles fall on both alike: the median of the per-round ratios, and their
 * least and greatest. `units` says how many units (ops) one call of each does.
 */
export function alternatingRatio(small: () => unknown, smallUnits: number, large: () => unknown, largeUnits: number, rounds = 11): { median: number; least: number; greatest: number } {
  const time = (fn: () => unknown) => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  small();
  large();
  const ratios: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const perSmall = time(small) / smallUnits;
    const perLarge = time(large) / largeUnits;
    ratios.push(perLarge / perSmall);
  }
  ratios.sort((a, b) => a - b);
  return { median: ratios[Math.floor(ratios.length / 2)]!, least: ratios[0]!, greatest: ratios.at(-1)! };
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
