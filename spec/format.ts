/**
 * An outcome as text for people: how the run ended, its values, its escape log and the final
 * contents of its inputs.
 *
 *   guard 7 failed in iteration 10
 *   values: BoxedInteger{intval: 1}, BoxedInteger{intval: -945}, 1, 9, …
 *   escape #1: BoxedInteger{intval: 3}
 *   inputs at the end: BoxedInteger{intval: 10}, BoxedInteger{intval: 0}
 *   prebuilt at the end: @none = NoneType{}, @counter = Box{v: 3}
 *
 * Objects print inline with their contents (`Class{field: value}`, arrays as `int[1, 2]`), as
 * they were in the heap view the line is about (the escape's snapshot, or the final heap).
 * Within one line, an object reached more than once (shared, or on a cycle) is labelled where it
 * is printed first and referred to by its label after: `#1=Node{next: #1, val: 0}`. Labels
 * number objects by first appearance, not by id, so the text does not depend on how an executor
 * numbers its objects. A prebuilt object prints as its name, `@none`; its contents are on the
 * last line.
 */
import type { HeapView, Outcome, RtValue } from '../src/ir/index.ts';
import { printFloat } from '../src/text/index.ts';

export function formatOutcome(outcome: Outcome): string {
  const lines = [headline(outcome)];
  const prebuilt = outcome.prebuilt ?? [];
  lines.push(`values: ${formatValues(outcome.values, outcome.finalHeap, prebuilt)}`);
  outcome.escapes.forEach((e, k) => lines.push(`escape #${k + 1}: ${formatValues(e.args, e.heap, prebuilt)}`));
  if (outcome.inputArgs.length > 0) lines.push(`inputs at the end: ${formatValues(outcome.inputArgs, outcome.finalHeap, prebuilt)}`);
  if (prebuilt.length > 0) lines.push(`prebuilt at the end: ${formatPrebuilt(outcome.finalHeap, prebuilt)}`);
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

/**
 * The prebuilt objects (ids 0, 1, … named `prebuilt`) with their contents in `heap`:
 * `@none = NoneType{}, @counter = Box{v: 3}`.
 */
export function formatPrebuilt(heap: HeapView, prebuilt: readonly string[]): string {
  return prebuilt.map((name, id) => `@${name} = ${formatValues([{ kind: 'ref', id }], heap, prebuilt, false)}`).join(', ');
}

/**
 * Values separated by commas, objects expanded from `heap`, shared ones labelled. A ref to a
 * prebuilt object (ids below `prebuilt.length`) prints as its name, except a root when
 * `namePrebuiltRoots` is false (how formatPrebuilt shows their contents).
 */
export function formatValues(values: readonly RtValue[], heap: HeapView, prebuilt: readonly string[] = [], namePrebuiltRoots = true): string {
  if (values.length === 0) return 'none';
  /** Printed as its name rather than expanded. */
  const named = (id: number, root: boolean): boolean => id < prebuilt.length && (namePrebuiltRoots || !root);
  const shared = reachedTwice(values, heap, named);
  const labels = new Map<number, string>();
  // An explicit stack of what is left to print, in reverse (a graph 100,000 objects deep must not
  // overflow the call stack): text as it is, or a value to print (root: one of `values`).
  type Work = string | { readonly value: RtValue; readonly root: boolean };
  const out: string[] = [];
  const work: Work[] = [];
  for (let k = values.length - 1; k >= 0; k--) {
    work.push({ value: values[k]!, root: true });
    if (k > 0) work.push(', ');
  }
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const { value, root } = item;
    switch (value.kind) {
      case 'int':
        out.push(String(value.value));
        continue;
      case 'float':
        out.push(printFloat(value.value));
        continue;
      case 'null':
        out.push('null');
        continue;
      // Stryker disable next-line ConditionalExpression,StringLiteral: a ref leaves the switch whether or not this case names it (the case is there so that every kind is listed)
      case 'ref':
        break;
    }
    if (named(value.id, root)) {
      out.push(`@${prebuilt[value.id]}`);
      continue;
    }
    const label = labels.get(value.id);
    if (label) {
      out.push(label);
      continue;
    }
    const cell = heap.get(value.id);
    if (!cell) {
      out.push(`<object ${value.id}, not recorded>`);
      continue;
    }
    if (shared.has(value.id)) {
      const fresh = `#${labels.size + 1}`;
      labels.set(value.id, fresh);
      out.push(`${fresh}=`);
    }
    if (cell.kind === 'object') {
      out.push(`${cell.cls}{`);
      work.push('}');
      const fields = Object.entries(cell.fields);
      for (let k = fields.length - 1; k >= 0; k--) {
        work.push({ value: fields[k]![1], root: false });
        work.push(`${k > 0 ? ', ' : ''}${fields[k]![0]}: `);
      }
    } else {
      out.push(`${cell.elem}[`);
      work.push(']');
      for (let k = cell.items.length - 1; k >= 0; k--) {
        work.push({ value: cell.items[k]!, root: false });
        if (k > 0) work.push(', ');
      }
    }
  }
  return out.join('');
}

/** Ids of the objects reached more than once from `roots` (not through a named one): shared, or on a cycle. */
function reachedTwice(roots: readonly RtValue[], heap: HeapView, named: (id: number, root: boolean) => boolean): Set<number> {
  const seen = new Set<number>();
  const twice = new Set<number>();
  const work: { value: RtValue; root: boolean }[] = roots.map((value) => ({ value, root: true }));
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { value, root } = item;
    // Stryker disable next-line ConditionalExpression: `false` for `value.kind !== 'ref'` cannot change the result: a scalar has no id, so it is never named, and it only puts undefined into seen and twice, which are looked up by object ids (the line's other ConditionalExpression mutants are killed by test/spec/format-edges.test.ts or time out)
    if (value.kind !== 'ref' || named(value.id, root)) continue;
    if (seen.has(value.id)) {
      twice.add(value.id);
      continue;
    }
    seen.add(value.id);
    const cell = heap.get(value.id);
    if (!cell) continue;
    // One push per item: spreading a million-item array overflows the call stack.
    for (const child of cell.kind === 'object' ? Object.values(cell.fields) : cell.items) work.push({ value: child, root: false });
  }
  return twice;
}
