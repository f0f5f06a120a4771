/**
 * An outcome as text for people: how the run ended, its values, its escape log and the final
 * contents of its inputs.
 *
 *   guard 7 failed in iteration 10
 *   values: BoxedInteger{intval: 1}, BoxedInteger{intval: -945}, 1, 9, …
 *   escape #1: BoxedInteger{intval: 3}
 *   inputs at the end: BoxedInteger{intval: 10}, BoxedInteger{intval: 0}
 *
 * Objects print inline with their contents (`Class{field: value}`, arrays as `int[1, 2]`), as
 * they were in the heap view the line is about (the escape's snapshot, or the final heap).
 * Within one line, an object reached more than once (shared, or on a cycle) is labelled where it
 * is printed first and referred to by its label after: `#1=Node{next: #1, val: 0}`. Labels
 * number objects by first appearance, not by id, so the text does not depend on how an executor
 * numbers its objects.
 */
import type { HeapView, Outcome, RtValue } from '../src/ir/index.ts';
import { printFloat } from '../src/text/index.ts';

export function formatOutcome(outcome: Outcome): string {
  const lines = [headline(outcome)];
  lines.push(`values: ${formatValues(outcome.values, outcome.finalHeap)}`);
  outcome.escapes.forEach((e, k) => lines.push(`escape #${k + 1}: ${formatValues(e.args, e.heap)}`));
  if (outcome.inputArgs.length > 0) lines.push(`inputs at the end: ${formatValues(outcome.inputArgs, outcome.finalHeap)}`);
  return lines.join('\n');
}

function headline(outcome: Outcome): string {
  const n = outcome.iterations;
  const during = n === undefined ? '' : ` in iteration ${n}`;
  const exit = outcome.exit;
  switch (exit.kind) {
    case 'guard':
      return `guard ${exit.guardId} failed${during}`;
    case 'finish':
      return `finished${during}`;
    case 'fuel':
      return n === undefined ? 'ran out of fuel' : `ran out of fuel after ${n} iteration${n === 1 ? '' : 's'}`;
    case 'undefined':
      return `undefined behaviour${during}: ${exit.message}`;
    case 'error':
      return `the run could not finish: ${exit.message}`;
  }
}

/** Values separated by commas, objects expanded from `heap`, shared ones labelled. */
export function formatValues(values: readonly RtValue[], heap: HeapView): string {
  if (values.length === 0) return 'none';
  const shared = reachedTwice(values, heap);
  const labels = new Map<number, string>();
  const show = (value: RtValue): string => {
    switch (value.kind) {
      case 'int':
        return String(value.value);
      case 'float':
        return printFloat(value.value);
      case 'null':
        return 'null';
      case 'ref':
        break;
    }
    const label = labels.get(value.id);
    if (label) return label;
    const cell = heap.get(value.id);
    if (!cell) return `<object ${value.id}, not recorded>`;
    let prefix = '';
    if (shared.has(value.id)) {
      const fresh = `#${labels.size + 1}`;
      labels.set(value.id, fresh);
      prefix = `${fresh}=`;
    }
    const body =
      cell.kind === 'object'
        ? `${cell.cls}{${Object.entries(cell.fields).map(([name, field]) => `${name}: ${show(field)}`).join(', ')}}`
        : `${cell.elem}[${cell.items.map(show).join(', ')}]`;
    return prefix + body;
  };
  return values.map(show).join(', ');
}

/** Ids of the objects reached more than once from `roots`: shared, or on a cycle. */
function reachedTwice(roots: readonly RtValue[], heap: HeapView): Set<number> {
  const seen = new Set<number>();
  const twice = new Set<number>();
  const visit = (value: RtValue): void => {
    if (value.kind !== 'ref') return;
    if (seen.has(value.id)) {
      twice.add(value.id);
      return;
    }
    seen.add(value.id);
    const cell = heap.get(value.id);
    if (cell) (cell.kind === 'object' ? Object.values(cell.fields) : cell.items).forEach(visit);
  };
  roots.forEach(visit);
  return twice;
}
