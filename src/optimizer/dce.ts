/**
 * dce: removes the ops nothing depends on.
 *
 * A mark phase from the roots, then one filtering pass. Roots are the ops that act, read from
 * the op table's effect flags (any op that is not pure, a heap read or an allocation): guards
 * (with every value their exits mention), calls such as `escape`, `label`, `jump`, `finish`, the
 * `*_ovf` ops (their guard reads the overflow flag), and writes into objects the trace did not
 * allocate. An op added to the table is a root unless its flags say it may go.
 * A variable that becomes live makes the op that defines it live, and, when that op is an
 * allocation, every write into the allocated object too. What is never marked goes:
 *  - pure ops and reads (`getfield`, `getarrayitem`, `arraylen`) whose result is unused. A read
 *    has no effect; it can be undefined behaviour (a field of null), and removing it only makes
 *    such a run defined, which the contract allows: nothing is promised for those runs;
 *  - allocations that are used only as the target of writes, with those writes. No op can
 *    reach the object (it was never stored, passed, returned or compared), so neither its
 *    existence nor its contents are observable: it is not in the final heap, which holds only
 *    what the inputs, exits and escapes reach.
 * Why a mark phase instead of one backward sweep: whether a write into a fresh object matters
 * depends on uses of the object that may come *before* the write (`escape(p); setfield(p, …)`).
 *
 * Pre:  the trace validates.
 * Post: the trace validates (an op stays only with the definitions of everything it uses);
 *       its ops are a subsequence of the input's; on every run without undefined behaviour it
 *       has the input's outcome.
 *
 * Before:                                  After:
 *   [p0, i1]                                 [p0, i1]
 *   i2 = int_add(i1, 1)                      i3 = int_mul(i1, 2)
 *   i3 = int_mul(i1, 2)                      guard_true(i3) [p0]
 *   p4 = new(BoxedInteger)                   finish(p0)
 *   setfield(p4, intval, i2)
 *   guard_true(i3) [p0]
 *   finish(p0)
 *
 * Proof notes: proofs-notes/dce.md.
 */
import { type Arg, effectsOf, type ExitValue, isRemovableWhenUnused, type Op, type OpName, type Trace } from '../ir/index.ts';

export function dce(trace: Trace): Trace {
  const ops = trace.ops;
  /** Variable -> index of the op defining it (inputs are absent). */
  const definedAt = new Map<string, number>();
  // Stryker disable next-line ConditionalExpression: `true` cannot change the result: it adds the key null, and only a variable's name is ever looked up
  ops.forEach((op, index) => op.result !== null && definedAt.set(op.result, index));
  /** Allocation (its index) -> indices of the writes into it, for the allocations written into. */
  const writesInto = new Map<number, number[]>();
  const allocationOf = (target: Arg): number | undefined => {
    // Stryker disable next-line ConditionalExpression: `true` cannot change the result: a constant has no name, and no key is undefined
    const index = target.kind === 'var' ? definedAt.get(target.name) : undefined;
    return index !== undefined && effectsOf(ops[index]!.name).allocates === true ? index : undefined;
  };

  // Stryker disable next-line ArrayDeclaration: an empty array cannot change the result: an unset entry reads as undefined, as falsy as false
  const live = new Array<boolean>(ops.length).fill(false);
  const work: number[] = [];
  const markOp = (index: number) => {
    if (live[index]) return;
    live[index] = true;
    work.push(index);
  };
  const markVar = (arg: Arg | ExitValue) => {
    // Stryker disable next-line ConditionalExpression: `false` cannot change the result: a constant or virtual has no name, and no key is undefined
    if (arg.kind !== 'var') return;
    const index = definedAt.get(arg.name);
    if (index !== undefined) markOp(index);
  };

  ops.forEach((op, index) => {
    if (writesOnlyItsTarget(op.name)) {
      const allocation = allocationOf(op.args[0]!);
      if (allocation === undefined) markOp(index);
      else if (writesInto.has(allocation)) writesInto.get(allocation)!.push(index);
      else writesInto.set(allocation, [index]);
    } else if (!isRemovableWhenUnused(op.name)) {
      markOp(index);
    }
  });

  for (let index = work.pop(); index !== undefined; index = work.pop()) {
    const op = ops[index]!;
    op.args.forEach(markVar);
    if (op.exit) {
      op.exit.values.forEach(markVar);
      for (const d of op.exit.virtuals) (d.kind === 'object' ? d.fields.map((f) => f.value) : d.items).forEach(markVar);
    }
    writesInto.get(index)?.forEach(markOp);
  }

  return { ...trace, ops: ops.filter((_, index) => live[index]) };
}

/** An op whose only effect is a write into its first operand (setfield, setarrayitem). */
function writesOnlyItsTarget(name: OpName): boolean {
  const e = effectsOf(name);
  return e.writesHeap === 'target' && !(e.escapes || e.exits || e.terminator || e.loopHeader || e.overflow || e.allocates);
}
