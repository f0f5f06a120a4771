/**
 * The JIT's statistics: per compiled loop its iterations run compiled, entries, guard failures
 * per guard; aborts with their reasons; and the time per activity (TraceMonkey's Figure 12:
 * interpret, record, optimize, compile, run compiled code, exits and resumes, GC), as text and
 * as JSON. Interpreting is what is left of the total when the others are taken out.
 */
export interface LoopStats {
  readonly id: number;
  readonly where: string;
  readonly recordedOps: number;
  readonly optimizedOps: number;
  entries: number;
  iterations: number;
  bridges: number;
  /** Failures by guard id (a sparse array: counted at every exit, read once by the report). */
  readonly guardFailures: number[];
}

export interface JitReport {
  readonly loops: readonly {
    id: number;
    where: string;
    recordedOps: number;
    optimizedOps: number;
    entries: number;
    iterations: number;
    guardFailures: Record<string, number>;
    bridges: number;
  }[];
  readonly aborts: readonly { where: string; reason: string; count: number }[];
  /** Milliseconds per activity, and each one's fraction of the total. */
  readonly time: Record<Activity, { ms: number; fraction: number }>;
  readonly totalMs: number;
}

export const ACTIVITIES = ['interpret', 'record', 'optimize', 'compile', 'run compiled', 'exits and resumes', 'gc'] as const;
export type Activity = (typeof ACTIVITIES)[number];

export class JitStats {
  recordMs = 0;
  optimizeMs = 0;
  compileMs = 0;
  runMs = 0;
  exitMs = 0;
  private readonly loops: LoopStats[] = [];
  private readonly aborts = new Map<string, { where: string; reason: string; count: number }>();

  loop(id: number, where: string, recordedOps: number, optimizedOps: number): LoopStats {
    const s: LoopStats = { id, where, recordedOps, optimizedOps, entries: 0, iterations: 0, bridges: 0, guardFailures: [] };
    this.loops.push(s);
    return s;
  }

  abort(function_: string, line: number, reason: string): void {
    const where = `${function_}, line ${line}`;
    const key = `${where}\n${reason}`;
    const a = this.aborts.get(key);
    if (a) a.count++;
    else this.aborts.set(key, { where, reason, count: 1 });
  }

  report(totalMs: number, gcMs: number): JitReport {
    const spent: Record<Activity, number> = {
      interpret: 0,
      record: this.recordMs,
      optimize: this.optimizeMs,
      compile: this.compileMs,
      'run compiled': this.runMs,
      'exits and resumes': this.exitMs,
      gc: gcMs,
    };
    spent.interpret = Math.max(0, totalMs - ACTIVITIES.slice(1).reduce((s, a) => s + spent[a], 0));
    const time = Object.fromEntries(ACTIVITIES.map((a) => [a, { ms: spent[a], fraction: totalMs > 0 ? spent[a] / totalMs : 0 }])) as JitReport['time'];
    return {
      loops: this.loops.map((l) => ({
        id: l.id,
        where: l.where,
        recordedOps: l.recordedOps,
        optimizedOps: l.optimizedOps,
        entries: l.entries,
        iterations: l.iterations,
        guardFailures: Object.fromEntries(l.guardFailures.flatMap((n, g) => (n === undefined ? [] : [[String(g), n]]))),
        bridges: l.bridges,
      })),
      aborts: [...this.aborts.values()],
      time,
      totalMs,
    };
  }
}

/** The report as text, one line per loop and abort, then the time table. */
export function formatJitReport(r: JitReport): string {
  const out: string[] = ['jit: loops'];
  if (r.loops.length === 0) out.push('  (none compiled)');
  for (const l of r.loops) {
    const failures = Object.entries(l.guardFailures)
      .map(([g, n]) => `guard ${g}: ${n}`)
      .join(', ');
    out.push(`  loop ${l.id} (${l.where}): ${l.recordedOps} ops recorded, ${l.optimizedOps} optimized; entered ${l.entries}×, ${l.iterations} iterations compiled; bridges ${l.bridges}; guard failures: ${failures || 'none'}`);
  }
  out.push('jit: aborts');
  if (r.aborts.length === 0) out.push('  (none)');
  for (const a of r.aborts) out.push(`  ${a.where}: ${a.reason} (${a.count}×)`);
  out.push(`jit: time (total ${r.totalMs.toFixed(1)} ms)`);
  for (const a of ACTIVITIES) out.push(`  ${a.padEnd(18)} ${r.time[a].ms.toFixed(1).padStart(9)} ms  ${(100 * r.time[a].fraction).toFixed(1).padStart(5)}%`);
  return `${out.join('\n')}\n`;
}
