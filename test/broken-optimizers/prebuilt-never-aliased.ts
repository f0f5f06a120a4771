/**
 * Broken on purpose (i): a heap cache that takes a prebuilt object for a location no variable
 * aliases: a read of `@x.C.f` is reused across writes to `p.C.f` for any variable p, though p may
 * be @x (an input set may pass it, a field may hold it: @node's `next` is @node). Only a write to
 * `@x.C.f` itself, or an escape, forgets the read. Written here on its own (not src/optimizer's
 * heap cache with a flag), so it stays a test of the generators and properties whatever the
 * optimizer becomes.
 */
import type { Arg, Op, Trace } from '../../src/ir/index.ts';
import { mapOperands } from '../../src/optimizer/rewrite.ts';

export function heapcacheTakingPrebuiltForUnaliased(trace: Trace): Trace {
  if (trace.ops.some((op) => op.name === 'label')) return trace;
  /** "@x C.f" -> the value last read from or written there. */
  let cached = new Map<string, Arg>();
  const replaced = new Map<string, Arg>();
  const sub = (a: Arg): Arg => (a.kind === 'var' ? (replaced.get(a.name) ?? a) : a);
  const out: Op[] = [];
  for (const original of trace.ops) {
    const op = mapOperands(original, sub);
    const target = op.args[0];
    const field = op.descr?.kind === 'field' ? `${op.descr.cls}.${op.descr.field}` : '';
    if (op.name === 'getfield' && target?.kind === 'prebuilt') {
      const key = `@${target.name} ${field}`;
      const known = cached.get(key);
      if (known) {
        replaced.set(op.result!, known);
        continue;
      }
      cached.set(key, { kind: 'var', name: op.result! });
    } else if (op.name === 'setfield' && target?.kind === 'prebuilt') {
      cached.set(`@${target.name} ${field}`, op.args[1]!);
    } else if (op.name === 'escape') {
      cached = new Map();
    }
    // The bug: a setfield through a variable forgets nothing cached about prebuilt objects.
    out.push(op);
  }
  return { ...trace, ops: out };
}
