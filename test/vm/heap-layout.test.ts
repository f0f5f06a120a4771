/**
 * The guest heap is laid out exactly as the trace IR lays out a trace's objects: an instance of
 * a guest class sits in memory where `HeapLayout` (src/wasm/layout.ts), built from the heap's
 * class declarations, says a trace would find it: class id in the header, each field at its
 * declared offset; an int box is `W_IntObject(intval: int)` with the i64 at its offset; a list
 * holds a ref array (tag, length, items). The declarations print as a trace file's classes.
 */
import { describe, expect, it } from 'vitest';
import { HeapLayout, ARRAY_TAG } from '../../src/wasm/layout.ts';
import { parseTrace } from '../../src/text/parser.ts';
import { createInterpreter } from '../../src/vm/run.ts';
import { sharedMemory } from '../../src/wasm/engine.ts';
import { C_BOOL, C_FLOAT, C_INT, FALSE, NONE, TRUE } from '../../src/vm/heap.ts';

const FIGURE1_SUBSET = `
class Base(object):
    pass
class BoxedInteger(Base):
    def __init__(self, intval):
        self.intval = intval
    def add(self, other):
        return other.add__int(self.intval)
class Point(BoxedInteger):
    def __init__(self, x, y):
        BoxedInteger.__init__(self, x)
        self.y = y
p = BoxedInteger(7)
q = Point(-5, 2.5)
xs = [p, q, None]
`;

function run(source: string) {
  const out: string[] = [];
  const vm = createInterpreter(source, { file: 'layout.py' }, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  expect(vm.run(), out.join('')).toBe(0);
  const global = (name: string) => vm.globals[vm.program.globals.indexOf(name)]!;
  return { vm, global };
}

describe('the guest heap has the trace IR layout', () => {
  it('instances, int and float boxes and lists sit where HeapLayout puts them', () => {
    const { vm, global } = run(FIGURE1_SUBSET);
    const layout = new HeapLayout(vm.heap.classDecls());
    const memory = sharedMemory();
    const view = new DataView(memory.buffer);
    const p = global('p');
    expect(view.getInt32(p, true)).toBe(layout.cls('BoxedInteger').id);
    const intval = view.getUint32(p + layout.fieldOffset('BoxedInteger', 'intval'), true);
    expect(view.getInt32(intval, true)).toBe(layout.cls('W_IntObject').id);
    expect(layout.cls('W_IntObject').id).toBe(C_INT);
    expect(view.getBigInt64(intval + layout.fieldOffset('W_IntObject', 'intval'), true)).toBe(7n);

    // A subclass keeps its base's fields first, then the attributes its own methods assign.
    const q = global('q');
    expect(layout.cls('Point').fields.map((f) => `${f.name}: ${f.type}`)).toEqual(['intval: ref', 'y: ref']);
    expect(view.getInt32(q, true)).toBe(layout.cls('Point').id);
    const x = view.getUint32(q + layout.fieldOffset('Point', 'intval'), true);
    expect(view.getBigInt64(x + layout.fieldOffset('W_IntObject', 'intval'), true)).toBe(-5n);
    const y = view.getUint32(q + layout.fieldOffset('Point', 'y'), true);
    expect(view.getInt32(y, true)).toBe(C_FLOAT);
    expect(view.getFloat64(y + layout.fieldOffset('W_FloatObject', 'floatval'), true)).toBe(2.5);

    // A list: W_ListObject(length, items) with items a ref array [tag -3][length][item]…
    const xs = global('xs');
    expect(view.getInt32(xs, true)).toBe(layout.cls('W_ListObject').id);
    expect(view.getBigInt64(xs + layout.fieldOffset('W_ListObject', 'length'), true)).toBe(3n);
    const items = view.getUint32(xs + layout.fieldOffset('W_ListObject', 'items'), true);
    expect(view.getInt32(items, true)).toBe(ARRAY_TAG.ref);
    expect(view.getInt32(items + 4, true)).toBeGreaterThanOrEqual(3);
    expect([0, 1, 2].map((k) => view.getUint32(items + 8 + 8 * k, true))).toEqual([p, q, NONE]);

    // None, False and True are the immortal cells of their classes.
    expect(view.getInt32(NONE, true)).toBe(layout.cls('W_NoneObject').id);
    expect(view.getInt32(TRUE, true)).toBe(C_BOOL);
    expect(view.getBigInt64(TRUE + 8, true)).toBe(1n);
    expect(view.getBigInt64(FALSE + 8, true)).toBe(0n);
  });

  it("the heap's classes are a trace file's class declarations (Figure 2's classes among them)", () => {
    const { vm } = run(FIGURE1_SUBSET);
    const text = vm.heap
      .classDecls()
      .map((c) => `class ${c.name}(${c.fields.map((f) => `${f.name}: ${f.type}`).join(', ')})`)
      .join('\n');
    expect(text).toContain('class W_IntObject(intval: int)');
    expect(text).toContain('class W_FloatObject(floatval: float)');
    expect(text).toContain('class BoxedInteger(intval: ref)');
    const trace = parseTrace(`${text}\n[p0]\nguard_class(p0, BoxedInteger)\np1 = getfield(p0, BoxedInteger.intval)\nguard_class(p1, W_IntObject)\ni2 = getfield(p1, W_IntObject.intval)\nfinish(i2)\n`, 'classes.trace');
    expect(new HeapLayout(trace.classes).cls('BoxedInteger').id).toBe(new HeapLayout(vm.heap.classDecls()).cls('BoxedInteger').id);
  });
});
