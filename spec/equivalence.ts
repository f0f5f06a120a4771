/**
 * Observational equivalence of two outcomes: the definition of "the optimizer did not change
 * what the trace does".
 *
 * Two outcomes are equal when they end the same way (exit kind and guard id) and agree up to a
 * bijection between the objects each run allocated. Prebuilt and input objects (ids below the
 * input object count) keep their identity. One bijection covers the whole comparison, built
 * while walking, in this order:
 *   1. each escape record: its args, then the graph they reach, in that record's snapshot;
 *   2. the exit values, then the final heap reached from them, from the input args, from the
 *      prebuilt objects and from every escape's args, in the final heap.
 * The walk is breadth-first, so a difference is reported at the shortest path that shows it.
 *
 * No claim is made for a run the reference calls undefined (`expected.exit.kind ===
 * 'undefined'`): that comparison is vacuously ok. An `error` exit on either side never is.
 *
 * A difference is one readable line, e.g.
 *   escape #2, argument 1: field BoxedInteger.intval is 7 in the input trace, 9 in the optimized trace
 */
import type { HeapCell, HeapView, Outcome, RtValue } from '../src/ir/index.ts';
import { printFloat } from '../src/text/index.ts';

export type Comparison = { readonly ok: true } | { readonly ok: false; readonly difference: string };

/** What the two sides are called in a difference. */
export interface SideNames {
  readonly expected: string;
  readonly actual: string;
}

export const DEFAULT_SIDE_NAMES: SideNames = { expected: 'the input trace', actual: 'the optimized trace' };

export function compareOutcomes(expected: Outcome, actual: Outcome, names: SideNames = DEFAULT_SIDE_NAMES): Comparison {
  if (expected.exit.kind === 'undefined') return { ok: true };
  try {
    new Walker(expected, actual, names).compare();
    return { ok: true };
  } catch (e) {
    if (e instanceof Difference) return { ok: false, difference: e.message };
    throw e;
  }
}

export function equivalent(expected: Outcome, actual: Outcome): boolean {
  return compareOutcomes(expected, actual).ok;
}

// ---------------------------------------------------------------------------------------------

class Difference extends Error {}

/**
 * Where a value was reached: `escape #2` / `argument 1` / the steps from there, kept as a chain
 * to the parent (one small record per value walked; the path is spelled out only for a message).
 */
interface Location {
  readonly context: string;
  readonly root: string;
  readonly parent: Location | null;
  /** The step from the parent: `field Node.next`, or an item index. */
  readonly step: string | number | null;
}

const step = (at: Location, s: string | number): Location => ({ context: at.context, root: at.root, parent: at, step: s });

function stepsOf(at: Location): string[] {
  const steps: string[] = [];
  // Stryker disable next-line ConditionalExpression: `true` for `l !== null` cannot change the result: every location step() makes has a parent, and the walk stops at a root (step null) before l can be null (the line's other ConditionalExpression mutants are killed by test/spec/equivalence.test.ts, "names a different field", and test/spec/prebuilt.test.ts)
  for (let l: Location | null = at; l !== null && l.step !== null; l = l.parent) steps.push(typeof l.step === 'number' ? `item ${l.step}` : l.step);
  return steps.reverse();
}

/** `escape #2, argument 1 → field Node.next`; without the context when it is `from`'s. */
function flat(at: Location, from?: Location): string {
  // Stryker disable next-line OptionalChaining: `from.context` cannot change the result: the only caller passes a location as `from`
  const head = from?.context === at.context ? at.root : `${at.context}, ${at.root}`;
  return [head, ...stepsOf(at)].join(' → ');
}

/** `escape #2, argument 1: field Node.next → field BoxedInteger.intval` or `exit: value 3`. */
function headline(at: Location): string {
  const steps = stepsOf(at);
  return steps.length === 0 ? `${at.context}: ${at.root}` : `${at.context}, ${at.root}: ${steps.join(' → ')}`;
}

interface Root {
  readonly at: Location;
  readonly expected: RtValue;
  readonly actual: RtValue;
}

class Walker {
  /** The bijection between allocated objects: expected id → actual id, and back. */
  private readonly forward = new Map<number, number>();
  private readonly backward = new Map<number, number>();
  /** Where each allocated object (by its expected id, and by its actual id) was first reached. */
  private readonly firstSeenExpected = new Map<number, Location>();
  private readonly firstSeenActual = new Map<number, Location>();
  private readonly inputObjectCount: number;

  constructor(
    private readonly expected: Outcome,
    private readonly actual: Outcome,
    private readonly names: SideNames,
  ) {
    const e = expected.inputObjectCount;
    const a = actual.inputObjectCount;
    if (e !== undefined && a !== undefined && e !== a) this.differ('the number of input objects', `${e}`, `${a}`);
    const count = e ?? a;
    if (count === undefined) throw new Error('compareOutcomes: neither outcome says how many input objects its run had');
    this.inputObjectCount = count;
    const ep = (expected.prebuilt ?? []).join(', @');
    const ap = (actual.prebuilt ?? []).join(', @');
    if (ep !== ap) this.differ('the prebuilt objects', ep === '' ? 'none' : `@${ep}`, ap === '' ? 'none' : `@${ap}`);
    this.prebuilt = expected.prebuilt ?? [];
  }

  private readonly prebuilt: readonly string[];

  compare(): void {
    const { expected, actual } = this;
    for (const [side, exit] of [[this.names.expected, expected.exit], [this.names.actual, actual.exit]] as const) {
      if (exit.kind === 'error') throw new Difference(`exit: ${side} could not finish its run: ${exit.message}`);
    }
    if (describeExit(expected.exit) !== describeExit(actual.exit)) {
      this.differ('the exit', describeExit(expected.exit), describeExit(actual.exit));
    }
    this.sameCount('the input', expected.inputArgs.length, actual.inputArgs.length, 'argument');

    const calls = Math.min(expected.escapes.length, actual.escapes.length);
    for (let k = 0; k < calls; k++) {
      const e = expected.escapes[k]!;
      const a = actual.escapes[k]!;
      const context = `escape #${k + 1}`;
      this.sameCount(context, e.args.length, a.args.length, 'argument');
      this.walk(argumentRoots(context, 'argument', e.args, a.args), e.heap, a.heap);
    }
    this.sameCount('the escape log', expected.escapes.length, actual.escapes.length, 'call');

    this.sameCount('exit', expected.values.length, actual.values.length, 'value');
    const finalRoots = [
      ...argumentRoots('exit', 'value', expected.values, actual.values),
      ...argumentRoots('final heap', 'input argument', expected.inputArgs, actual.inputArgs),
      ...this.prebuilt.map((name, id): Root => {
        const value: RtValue = { kind: 'ref', id };
        return { at: { context: 'final heap', root: `prebuilt @${name}`, parent: null, step: null }, expected: value, actual: value };
      }),
      ...expected.escapes.flatMap((e, k) =>
        argumentRoots('final heap', `escape #${k + 1} argument`, e.args, actual.escapes[k]!.args),
      ),
    ];
    this.walk(finalRoots, expected.finalHeap, actual.finalHeap);
  }

  /** Breadth-first over both graphs at once, within one pair of heap views. */
  private walk(roots: readonly Root[], expectedHeap: HeapView, actualHeap: HeapView): void {
    const visited = new Set<number>();
    // A queue read by an index: Array.prototype.shift is linear on large arrays, which made a
    // million-item array quadratic to compare.
    const queue = [...roots];
    for (let head = 0; head < queue.length; head++) {
      const { at, expected, actual } = queue[head]!;
      this.sameValue(at, expected, actual);
      // Stryker disable next-line ConditionalExpression,LogicalOperator: `false` for either kind test, and `&&` between them, cannot change the result: sameValue has just ended with a difference unless both values are refs or both are not, so either test alone decides (the line's other mutants, `true` and `false` for the whole test, `&&` before visited.has and `false` for visited.has, which loops on a cycle, were checked by hand to fail test/spec/)
      if (expected.kind !== 'ref' || actual.kind !== 'ref' || visited.has(expected.id)) continue;
      visited.add(expected.id);
      const e = this.cell(at, expectedHeap, expected.id, this.names.expected);
      const a = this.cell(at, actualHeap, actual.id, this.names.actual);
      if (e.kind === 'object' && a.kind === 'object') {
        if (e.cls !== a.cls) this.differ(headline(at), `a ${e.cls}`, `a ${a.cls}`);
        for (const field of Object.keys(e.fields)) {
          const child = step(at, `field ${e.cls}.${field}`);
          const other = a.fields[field] ?? this.differ(headline(child), 'present', 'absent');
          queue.push({ at: child, expected: e.fields[field]!, actual: other });
        }
      } else if (e.kind === 'array' && a.kind === 'array') {
        if (e.elem !== a.elem) this.differ(headline(at), `an array of ${e.elem}`, `an array of ${a.elem}`);
        this.sameCount(headline(at), e.items.length, a.items.length, 'item');
        e.items.forEach((item, j) => queue.push({ at: step(at, j), expected: item, actual: a.items[j]! }));
      } else {
        this.differ(headline(at), describeCell(e), describeCell(a));
      }
    }
  }

  /** Compares two values where they stand; for allocated objects, extends the bijection. */
  private sameValue(at: Location, e: RtValue, a: RtValue): void {
    if (e.kind !== 'ref' || a.kind !== 'ref') {
      if (!sameScalar(e, a)) this.differ(headline(at), showScalar(e), showScalar(a));
      return;
    }
    const n = this.inputObjectCount;
    if (e.id < n || a.id < n) {
      if (e.id !== a.id) this.differ(headline(at), this.identity(e.id), this.identity(a.id));
      return;
    }
    const mappedTo = this.forward.get(e.id);
    const mappedFrom = this.backward.get(a.id);
    if (mappedTo === undefined && mappedFrom === undefined) {
      this.forward.set(e.id, a.id);
      this.backward.set(a.id, e.id);
      this.firstSeenExpected.set(e.id, at);
      this.firstSeenActual.set(a.id, at);
      return;
    }
    if (mappedTo === a.id) return;
    const sharing = (seen: Location | undefined) => (seen ? `the same object as ${flat(seen, at)}` : 'an object not seen before');
    this.differ(headline(at), sharing(this.firstSeenExpected.get(e.id)), sharing(this.firstSeenActual.get(a.id)));
  }

  private identity(id: number): string {
    if (id < this.prebuilt.length) return `prebuilt @${this.prebuilt[id]}`;
    return id < this.inputObjectCount ? `input object #${id - this.prebuilt.length}` : 'an object the run allocated';
  }

  private cell(at: Location, heap: HeapView, id: number, side: string): HeapCell {
    const cell = heap.get(id);
    if (!cell) throw new Difference(`${headline(at)}: object ${id} is missing from the heap of ${side}`);
    return cell;
  }

  private sameCount(subject: string, e: number, a: number, noun: string): void {
    if (e !== a) throw new Difference(`${subject} has ${plural(e, noun)} in ${this.names.expected}, ${plural(a, noun)} in ${this.names.actual}`);
  }

  /** Throws `<subject> is <expected> in <expected side>, <actual> in <actual side>`. */
  private differ(subject: string, expected: string, actual: string): never {
    throw new Difference(`${subject} is ${expected} in ${this.names.expected}, ${actual} in ${this.names.actual}`);
  }
}

function argumentRoots(context: string, noun: string, expected: readonly RtValue[], actual: readonly RtValue[]): Root[] {
  return expected.map((value, k) => ({ at: { context, root: `${noun} ${k + 1}`, parent: null, step: null }, expected: value, actual: actual[k]! }));
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function describeExit(exit: Outcome['exit']): string {
  switch (exit.kind) {
    case 'guard':
      return `guard ${exit.guardId}`;
    case 'finish':
      return 'finish';
    case 'fuel':
      return 'out of fuel';
    case 'undefined':
      return `undefined behaviour (${exit.message})`;
    // Stryker disable ConditionalExpression,StringLiteral: unreachable: compare() ends with a difference for an error exit on either side before it describes an exit (the case is there so that the switch covers every exit kind)
    case 'error':
      return `error (${exit.message})`;
    // Stryker restore ConditionalExpression,StringLiteral
  }
}

function describeCell(cell: HeapCell): string {
  return cell.kind === 'object' ? `a ${cell.cls}` : `an array of ${cell.elem}`;
}

/** Same int, same float (Object.is: NaN equals NaN, -0.0 differs from 0.0), or both null. */
function sameScalar(e: RtValue, a: RtValue): boolean {
  switch (e.kind) {
    case 'int':
      // Stryker disable next-line ConditionalExpression: `true` for `a.kind === 'int'` cannot change the result: only an int's value is a bigint, and a bigint is never === a number or undefined (the line's other ConditionalExpression mutants are killed by test/spec/)
      return a.kind === 'int' && e.value === a.value;
    case 'float':
      // Stryker disable next-line ConditionalExpression: `true` for `a.kind === 'float'` cannot change the result: only a float's value is a number, and Object.is of a number and a bigint or undefined is false (the line's other ConditionalExpression mutants are killed by test/spec/)
      return a.kind === 'float' && Object.is(e.value, a.value);
    case 'null':
      return a.kind === 'null';
    case 'ref':
      return false;
  }
}

/** An int, float or null as written in trace text; any reference as `an object`. */
function showScalar(value: RtValue): string {
  switch (value.kind) {
    case 'int':
      return String(value.value);
    case 'float':
      return printFloat(value.value);
    case 'null':
      return 'null';
    case 'ref':
      return 'an object';
  }
}
