/**
 * Broken on purpose (b): forcing writes an object's fields before the object is allocated and
 * marked forced: it forces the virtuals the fields hold first (post-order). Without cycles that
 * is correct. In a cycle the object being forced is reached again while it has no variable yet;
 * the variant writes null there, so the allocated cycle is cut.
 */
import { type Arg, cint, mkOp, NULL, type Trace, v } from '../../src/ir/index.ts';
import { type Cause, entryState, Virtualizer, type VirtualEntry } from '../../src/optimizer/virtualize.ts';

class FieldsFirst extends Virtualizer {
  private readonly inProgress = new Set<number>();

  protected override force(id: number, entry: VirtualEntry, cause: Cause): string {
    this.inProgress.add(id);
    const values = (entry.kind === 'object' ? entry.fields : entry.items).map((value) =>
      value.kind === 'vref' && this.inProgress.has(value.id) ? NULL : this.residual(value, cause),
    );
    const name = entry.origin.name;
    this.heap = this.heap.set(id, { kind: 'forced', name });
    this.inProgress.delete(id);
    if (entry.kind === 'object') {
      this.out.push(mkOp('new', [], { result: name, descr: { kind: 'class', cls: entry.cls } }));
      this.layout(entry.cls).fields.forEach((field, k) => {
        const descr = { kind: 'field', cls: entry.cls, field: field.name } as const;
        if (!isZero(values[k]!)) this.out.push(mkOp('setfield', [v(name), values[k]!], { descr }));
      });
    } else {
      this.out.push(mkOp('new_array', [cint(values.length)], { result: name, descr: { kind: 'elem', type: entry.elem } }));
      values.forEach((value, k) => isZero(value) || this.out.push(mkOp('setarrayitem', [v(name), cint(k), value])));
    }
    return name;
  }
}

export function virtualizeForcingFieldsFirst(trace: Trace): Trace {
  const run = new FieldsFirst(trace.ops, entryState(trace), { classes: trace.classes }).run();
  return { ...trace, ops: run.ops };
}

function isZero(value: Arg): boolean {
  return value.kind === 'null' || (value.kind === 'int' && value.value === 0n) || (value.kind === 'float' && Object.is(value.value, 0));
}
