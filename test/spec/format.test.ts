// Outcomes as text: the headline per exit, objects inline, shared and cyclic objects labelled.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HeapCell, Outcome, RtValue } from '../../src/ir/index.ts';
import { parseTrace } from '../../src/text/index.ts';
import { formatOutcome, formatValues } from '../../spec/format.ts';
import { runReference } from '../../spec/interpreter.ts';

const int = (n: number): RtValue => ({ kind: 'int', value: BigInt(n) });
const ref = (id: number): RtValue => ({ kind: 'ref', id });
const node = (next: RtValue, val: number): HeapCell => ({ kind: 'object', cls: 'Node', fields: { next, val: int(val) } });
const heap = (cells: Record<number, HeapCell>) => new Map(Object.entries(cells).map(([id, cell]) => [Number(id), cell]));

describe('formatOutcome', () => {
  const figure2 = parseTrace(readFileSync(new URL('../../examples/paper-figure2.trace', import.meta.url), 'utf8'));

  it('prints Figure 2 with y = 10: the fail args of guard_true in the 10th iteration', () => {
    expect(formatOutcome(runReference(figure2, figure2.inputSets[0]!))).toBe(
      [
        'guard 7 failed in iteration 10',
        'values: BoxedInteger{intval: 1}, BoxedInteger{intval: -846}, -846, 1, -845, BoxedInteger{intval: -845}, ' +
          'BoxedInteger{intval: -100}, -845, -100, -945, BoxedInteger{intval: -945}, BoxedInteger{intval: -1}, ' +
          '1, -1, 0, BoxedInteger{intval: 0}, 0, 0',
        'inputs at the end: BoxedInteger{intval: 10}, BoxedInteger{intval: 0}',
      ].join('\n'),
    );
  });

  it('prints a fuel exit with the rebuilt loop arguments', () => {
    // Three iterations: y = 10, 9, 8; res = 10 + 9 + 8 - 3 * 100.
    expect(formatOutcome(runReference(figure2, figure2.inputSets[0]!, { fuel: 2 }))).toBe(
      [
        'ran out of fuel after 3 iterations',
        'values: BoxedInteger{intval: 7}, BoxedInteger{intval: -273}',
        'inputs at the end: BoxedInteger{intval: 10}, BoxedInteger{intval: 0}',
      ].join('\n'),
    );
  });

  it('prints the escape log from its snapshots, and the other exits', () => {
    const outcome: Outcome = {
      exit: { kind: 'undefined', message: 'op 4 (getfield): null has no fields or items' },
      values: [],
      escapes: [
        { args: [ref(1), { kind: 'float', value: -0 }], heap: heap({ 1: node({ kind: 'null' }, 3) }) },
        { args: [], heap: heap({}) },
      ],
      inputArgs: [],
      finalHeap: heap({ 1: node({ kind: 'null' }, 6) }),
      iterations: 2,
      inputObjectCount: 0,
    };
    expect(formatOutcome(outcome)).toBe(
      [
        'undefined behaviour in iteration 2: op 4 (getfield): null has no fields or items',
        'values: none',
        'escape #1: Node{next: null, val: 3}, -0.0',
        'escape #2: none',
      ].join('\n'),
    );
    const { iterations: _, ...uncounted } = outcome;
    expect(formatOutcome({ ...uncounted, exit: { kind: 'finish' } }).split('\n')[0]).toBe('finished');
    expect(formatOutcome({ ...outcome, exit: { kind: 'error', message: 'heap full' } }).split('\n')[0]).toBe('the run could not finish: heap full');
  });
});

describe('formatValues', () => {
  it('labels objects on a cycle and shared objects, by first appearance', () => {
    const cells = heap({ 5: node(ref(9), 1), 9: node(ref(5), 2), 7: node({ kind: 'null' }, 3) });
    expect(formatValues([ref(9), ref(7), ref(7)], cells)).toBe('#1=Node{next: Node{next: #1, val: 1}, val: 2}, #2=Node{next: null, val: 3}, #2');
    expect(formatValues([ref(7)], cells)).toBe('Node{next: null, val: 3}');
  });

  it('prints arrays with their element type', () => {
    const cells = heap({ 0: { kind: 'array', elem: 'ref', items: [ref(1), ref(1), { kind: 'null' }] }, 1: { kind: 'array', elem: 'float', items: [{ kind: 'float', value: NaN }] } });
    expect(formatValues([ref(0)], cells)).toBe('ref[#1=float[nan], #1, null]');
  });
});
