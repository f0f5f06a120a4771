/**
 * The linear-memory layout on its own (src/wasm/layout.ts): the addresses of the memory map, class
 * ids and field offsets, array tags, and where prebuilt objects go. The emitter and the host both
 * read these; the trace tests would see a wrong offset only where emitter and host disagree, so
 * the numbers of the layout's comment are pinned here.
 */
import { describe, expect, it } from 'vitest';
import type { ClassDecl, HeapObjectDesc } from '../../src/ir/index.ts';
import { arraySize, elemOfTag, HeapLayout, heapStart, ioSlot, prebuiltAddresses } from '../../src/wasm/layout.ts';

const classes: ClassDecl[] = [
  { name: 'Pair', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'float' }] },
  { name: 'Empty', fields: [] },
  { name: 'Node', fields: [{ name: 'next', type: 'ref' }] },
];

describe('the memory map', () => {
  it('exchange slots are 8 bytes apart from address 16, and the spill area follows them', () => {
    expect([ioSlot(0), ioSlot(1), ioSlot(5)]).toEqual([16, 24, 56]);
    expect(heapStart(0)).toBe(16);
    expect(heapStart(3)).toBe(40);
  });

  it('an array takes a header and a slot per item', () => {
    expect([arraySize(0), arraySize(1), arraySize(4)]).toEqual([8, 16, 40]);
  });

  it('array tags name their element type; class ids and other words do not', () => {
    expect([elemOfTag(-1), elemOfTag(-2), elemOfTag(-3)]).toEqual(['int', 'float', 'ref']);
    expect([elemOfTag(0), elemOfTag(1), elemOfTag(-4)]).toEqual([undefined, undefined, undefined]);
  });
});

describe('HeapLayout', () => {
  const layout = new HeapLayout(classes);

  it('numbers classes from 1 in declaration order, with a header and a slot per field', () => {
    expect(layout.cls('Pair')).toEqual({
      name: 'Pair',
      id: 1,
      size: 24,
      fields: [
        { name: 'a', type: 'int', offset: 8 },
        { name: 'b', type: 'float', offset: 16 },
      ],
    });
    expect([layout.cls('Empty').id, layout.cls('Empty').size]).toEqual([2, 8]);
    expect([layout.cls('Node').id, layout.fieldOffset('Node', 'next')]).toEqual([3, 8]);
    expect(layout.fieldOffset('Pair', 'b')).toBe(16);
  });

  it('finds a class by its tag, and nothing for a tag below 1 or past the last class', () => {
    expect([1, 2, 3].map((tag) => layout.classOfTag(tag)?.name)).toEqual(['Pair', 'Empty', 'Node']);
    expect([0, -1, -3, 4].map((tag) => layout.classOfTag(tag))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('names the class or field it does not know', () => {
    expect(() => layout.cls('Box')).toThrow(/^no class Box$/);
    expect(() => layout.fieldOffset('Pair', 'c')).toThrow(/^no field Pair\.c$/);
    expect(() => layout.fieldOffset('Box', 'a')).toThrow(/^no class Box$/);
  });
});

describe('prebuiltAddresses', () => {
  it('places the objects one after another from the start, objects by their class size, arrays by their length', () => {
    const objects: HeapObjectDesc[] = [
      // Only one field written: the object still takes its class's two slots.
      { name: 'p', kind: 'object', cls: 'Pair', fields: [{ field: 'a', value: { kind: 'int', value: 1n } }] },
      { name: 'xs', kind: 'array', elem: 'int', items: [{ kind: 'int', value: 1n }, { kind: 'int', value: 2n }] },
      { name: 'e', kind: 'object', cls: 'Empty', fields: [] },
      { name: 'n', kind: 'object', cls: 'Node', fields: [] },
    ];
    const { addresses, end } = prebuiltAddresses(objects, new HeapLayout(classes), 100);
    expect([...addresses]).toEqual([
      ['p', 100],
      ['xs', 124],
      ['e', 148],
      ['n', 156],
    ]);
    expect(end).toBe(172);
    expect(prebuiltAddresses([], new HeapLayout(classes), 40)).toEqual({ addresses: new Map(), end: 40 });
  });
});
