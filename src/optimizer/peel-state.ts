/**
 * The virtual state of a peeled loop's label: what the loop arguments are at the label, in terms
 * of the label's parameters. peel.ts drives it; this file holds the data and its four uses.
 *
 * A `LoopState` describes the n original loop arguments (the input trace's jump arguments) as a
 * small graph: each argument is a *leaf* (a label parameter, or a constant) or a *node* (a
 * virtual object or array whose fields are again leaves or nodes; nodes may be shared and form
 * cycles, exactly as the virtuals they come from). The parameters are the distinct variables among
 * the leaves, in the order they are first reached: they are the label's arguments. A parameter
 * that is reached twice says "these two places hold the same value" (an alias).
 *
 *   loopState(values, heap)     the state of the jump values at the end of the preamble
 *   labelExit(state)            the label's ExitDesc: rebuilds the original, boxed loop arguments
 *                               from the parameters (the fuel exit at the label and at the jump)
 *   bodyEntry(state, inputs)    the AbstractState the body is optimized from: each input is what
 *                               the state says, nodes are virtuals of a fresh heap
 *   closeLoop(state, heap, values)  does the body's jump fit the state? If so, the value each
 *                               parameter receives; if not, what to generalize (matchJump,
 *                               which the chained driver's loop state uses too)
 *
 * The state is an invariant of the body: if it describes the loop arguments when the body is
 * entered (through the label), `closeLoop` succeeding means it describes them again at the jump,
 * with the parameters rebound to the bindings. That is what makes the body's guards' resume data
 * and the label's exit right in every iteration (proofs-notes/peel.md).
 *
 * Compared with PyPy (optimizeopt/virtualstate.py): its VirtualState also records, per
 * non-virtual argument, a known class, nonnull-ness or constant (NotVirtualStateInfo) and
 * generates guards when a jump's values know less. Here a leaf is only a parameter or a
 * constant: known classes of non-virtual values are left to fold.ts, which keeps every guard of
 * the body that the body does not itself prove (it forgets what it knew of label arguments at the
 * label). So no fact of the preamble is trusted in the body unless the body re-establishes it.
 */
import { type Arg, type ClassDecl, type ExitDesc, type ExitValue, type Input, sameArg, type Type, v, type VirtualDesc } from '../ir/index.ts';
import { PVector } from './pvector.ts';
import { isZeroValue } from './resume.ts';
import type { AbstractState, HeapEntry, Known, VirtualEntry } from './virtualize.ts';

export type StateValue = { readonly kind: 'leaf'; readonly arg: Arg } | { readonly kind: 'node'; readonly index: number };

/**
 * A virtual of the state. `origin` is the id, in the preamble's heap, of the virtual it describes;
 * `name` the variable of its allocation in the input trace (what the body calls the object of the
 * previous iteration when it must allocate it: the preamble never defines that name, the object
 * being virtual there).
 */
export type StateNode = { readonly origin: number; readonly name: string } & (
  | { readonly kind: 'object'; readonly cls: string; readonly fields: readonly StateValue[] }
  | { readonly kind: 'array'; readonly elem: Type; readonly items: readonly StateValue[] }
);

export interface LoopState {
  /** One per original loop argument. */
  readonly roots: readonly StateValue[];
  /** Every node reachable from the roots, numbered in the order first reached. */
  readonly nodes: readonly StateNode[];
  /** The label's parameters: the distinct variables among the leaves, in the order first reached. */
  readonly params: readonly string[];
}

/** The state of `values` (resolved in a state whose heap is `heap`): virtuals become nodes. */
export function loopState(values: readonly Known[], heap: PVector<HeapEntry>): LoopState {
  const nodes: (StateNode | null)[] = [];
  const nodeOf = new Map<number, number>();
  const params: string[] = [];
  const seen = new Set<string>();
  /** Nodes whose fields are being abstracted, innermost last (an explicit stack: no recursion). */
  const stack: { readonly id: number; readonly entry: VirtualEntry; readonly index: number; readonly out: StateValue[] }[] = [];

  const leaf = (arg: Arg): StateValue => {
    if (arg.kind === 'var' && !seen.has(arg.name)) {
      seen.add(arg.name);
      params.push(arg.name);
    }
    return { kind: 'leaf', arg };
  };
  /** The value of `known`; a virtual reached for the first time is numbered now, described later. */
  const abstract = (known: Known): StateValue => {
    if (known.kind !== 'vref') return leaf(known);
    const entry = heap.get(known.id);
    if (entry.kind === 'forced') return leaf(v(entry.name));
    let index = nodeOf.get(known.id);
    if (index === undefined) {
      index = nodes.push(null) - 1;
      nodeOf.set(known.id, index);
      stack.push({ id: known.id, entry, index, out: [] });
    }
    return { kind: 'node', index };
  };
  /** Describes what is on the stack, depth first: a node's fields before its siblings'. */
  const drain = () => {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const { entry } = frame;
      const parts = entry.kind === 'object' ? entry.fields : entry.items;
      if (frame.out.length === parts.length) {
        stack.pop();
        nodes[frame.index] =
          entry.kind === 'object'
            ? { kind: 'object', cls: entry.cls, fields: frame.out, origin: frame.id, name: entry.origin.name }
            : { kind: 'array', elem: entry.elem, items: frame.out, origin: frame.id, name: entry.origin.name };
        continue;
      }
      frame.out.push(abstract(parts[frame.out.length]!));
    }
  };

  const roots = values.map((known) => {
    const root = abstract(known);
    drain();
    return root;
  });
  return { roots, nodes: nodes as StateNode[], params };
}

/**
 * How the label rebuilds the original loop arguments: the nodes are the exit's virtuals, in order;
 * an object lists the fields that are not their type's zero (the rest default to it).
 */
export function labelExit(state: LoopState, classes: readonly ClassDecl[]): ExitDesc {
  const value = (x: StateValue): ExitValue => (x.kind === 'leaf' ? x.arg : { kind: 'virtual', index: x.index });
  const virtuals = state.nodes.map((node): VirtualDesc => {
    if (node.kind === 'array') return { kind: 'array', elem: node.elem, items: node.items.map(value) };
    const declared = classes.find((c) => c.name === node.cls)!.fields;
    const fields = node.fields.flatMap((x, k) => (isZeroLeaf(x) ? [] : [{ field: declared[k]!.name, value: value(x) }]));
    return { kind: 'object', cls: node.cls, fields };
  });
  return { values: state.roots.map(value), virtuals };
}

function isZeroLeaf(x: StateValue): boolean {
  return x.kind === 'leaf' && isZeroValue(x.arg);
}

/** The body's start: input k is root k; the nodes are virtuals 0, 1, … of a fresh heap. */
export function bodyEntry(state: LoopState, inputs: readonly Input[]): AbstractState {
  const known = (x: StateValue): Known => (x.kind === 'leaf' ? x.arg : { kind: 'vref', id: x.index });
  let heap = PVector.empty<HeapEntry>();
  for (const node of state.nodes) {
    const origin = { name: node.name };
    const entry: VirtualEntry =
      node.kind === 'object'
        ? { kind: 'object', cls: node.cls, fields: node.fields.map(known), origin }
        : { kind: 'array', elem: node.elem, items: node.items.map(known), origin };
    heap = heap.push(entry);
  }
  return { env: new Map(inputs.map((input, k) => [input.name, known(state.roots[k]!)])), heap };
}

/** Whether the body's jump fits the label's state, and if not, what to generalize. */
export type Closing<K = Known> =
  /** It fits: parameter k receives `bindings[k]` (a virtual there is forced at the jump). */
  | { readonly kind: 'closes'; readonly bindings: readonly K[] }
  /** These nodes (by preamble heap id) must become parameters: force them before the label. */
  | { readonly kind: 'generalize'; readonly origins: ReadonlySet<number> }
  /** No node to generalize would help: a top-level constant or alias the body does not keep. */
  | { readonly kind: 'fails'; readonly why: string };

/**
 * What `matchJump` asks of a loop state (values S, parameters P) and of the body's values at the
 * jump (K, virtuals V). peel's names and persistent heap and the chained driver's value objects
 * (chain.ts) are two representations of the same state; the matching below is written once.
 */
export interface JumpMatching<S, P, K, V> {
  readonly roots: readonly S[];
  readonly params: readonly P[];
  /** How many nodes the state has. */
  readonly nodeCount: number;
  /** The node `x` is, or -1 for a leaf. */
  nodeOf(x: S): number;
  /** The parameter leaf `x` is, or null for a constant leaf or a node. */
  paramOf(x: S): P | null;
  /** A constant leaf's constant. */
  constantOf(x: S): Arg;
  /** The state's parts of node `node` (fields or items, in order). */
  partsOf(node: number): readonly S[];
  /** The preamble virtual node `node` describes (what generalization forces). */
  originOf(node: number): number;
  /** How a parameter is named in a message. */
  showParam(p: P): string;
  /** Whether the body's `known` is the constant of leaf `x`. */
  isConstant(known: K, x: S): boolean;
  /** Whether two body values are one value (as far as the body knows). */
  same(a: K, b: K): boolean;
  /** The body's virtual (not forced) that `known` is, if it has node `node`'s shape, else null. */
  fittingVirtual(known: K, node: number): V | null;
  /** The parts of a body virtual, in order. */
  virtualParts(virtual: V): readonly K[];
  /** Every body virtual (not forced) that `values` reach: what forcing them at the jump allocates. */
  reachable(values: readonly K[]): Iterable<V>;
}

/**
 * Matches the body's jump values against the state. It fits when there is a one-to-one pairing
 * of the state's nodes with virtuals of the body of the same shape (class, or element type and
 * length), such that every constant leaf meets the same constant, every parameter meets one value
 * wherever it occurs, and no paired virtual is among what the parameters' values reach (those are
 * forced at the jump: a forced object can no longer be the virtual the next iteration expects).
 * Each misfit names the node to generalize: the node itself when its shape, pairing or forcing
 * is wrong; the node that holds a leaf when the leaf is wrong. Costs the size of the state.
 */
export function matchJump<S, P, K, V>(state: JumpMatching<S, P, K, V>, values: readonly K[]): Closing<K> {
  const paired = new Map<number, V>(); // node -> body virtual
  const pairedWith = new Map<V, number>(); // body virtual -> node
  const bound = new Map<P, K>();
  const misfitParams = new Set<P>();
  const generalize = new Set<number>();
  let topLevelMisfit: string | null = null;

  const misfitLeaf = (holder: number | null, why: string) => {
    if (holder === null) topLevelMisfit ??= why;
    else generalize.add(holder);
  };
  // Depth first, each node before its fields and the fields in order (the order decides which
  // misfit is reported first), with an explicit stack: the state can be as deep as the trace.
  const work: { x: S; known: K; holder: number | null }[] = [];
  for (let k = state.roots.length - 1; k >= 0; k--) work.push({ x: state.roots[k]!, known: values[k]!, holder: null });
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { x, known, holder } = item;
    const node = state.nodeOf(x);
    if (node < 0) {
      const param = state.paramOf(x);
      if (param === null) {
        if (!state.isConstant(known, x)) misfitLeaf(holder, `a loop argument is the constant ${showArg(state.constantOf(x))} only in the first iteration`);
        continue;
      }
      const before = bound.get(param);
      if (before === undefined) bound.set(param, known);
      // One parameter in two places: the body must pass one value (as far as it knows) to both.
      else if (!state.same(before, known)) misfitParams.add(param);
      continue;
    }
    const body = state.fittingVirtual(known, node);
    if (body === null) {
      generalize.add(node);
      continue;
    }
    const earlier = paired.get(node);
    if (earlier !== undefined) {
      if (earlier !== body) generalize.add(node); // one object in the state, two in the body
      continue;
    }
    const other = pairedWith.get(body);
    if (other !== undefined) {
      generalize.add(node).add(other); // two objects in the state, one in the body
      continue;
    }
    paired.set(node, body);
    pairedWith.set(body, node);
    const parts = state.virtualParts(body);
    const fields = state.partsOf(node);
    for (let k = fields.length - 1; k >= 0; k--) work.push({ x: fields[k]!, known: parts[k]!, holder: node });
  }

  // A parameter passed two values: generalize the nodes that hold it. A parameter that only roots
  // hold fails the loop (the reason matters only then: a node to generalize decides first).
  for (const param of misfitParams) {
    for (let node = 0; node < state.nodeCount; node++) {
      if (state.partsOf(node).some((part) => state.paramOf(part) === param)) generalize.add(node);
    }
    topLevelMisfit ??= `two loop arguments are ${state.showParam(param)} only in the first iteration`;
  }
  for (const virtual of state.reachable([...bound.values()])) {
    const node = pairedWith.get(virtual);
    if (node !== undefined) generalize.add(node);
  }

  if (generalize.size > 0) return { kind: 'generalize', origins: new Set([...generalize].map((n) => state.originOf(n))) };
  if (topLevelMisfit !== null) return { kind: 'fails', why: topLevelMisfit };
  return { kind: 'closes', bindings: state.params.map((p) => bound.get(p)!) };
}

/** matchJump on peel's state, the body's values resolved in its end state (whose heap is `heap`). */
export function closeLoop(state: LoopState, heap: PVector<HeapEntry>, values: readonly Known[]): Closing {
  const partsOf = (node: number) => {
    const n = state.nodes[node]!;
    return n.kind === 'object' ? n.fields : n.items;
  };
  return matchJump<StateValue, string, Known, number>(
    {
      roots: state.roots,
      params: state.params,
      nodeCount: state.nodes.length,
      nodeOf: (x) => (x.kind === 'node' ? x.index : -1),
      paramOf: (x) => (x.kind === 'leaf' && x.arg.kind === 'var' ? x.arg.name : null),
      constantOf: (x) => (x as { arg: Arg }).arg,
      partsOf,
      originOf: (node) => state.nodes[node]!.origin,
      showParam: (name) => name,
      // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut: sameArg of a vref and a constant is false
      isConstant: (known, x) => known.kind !== 'vref' && sameArg(known, (x as { arg: Arg }).arg),
      same: sameKnown,
      fittingVirtual: (known, node) => {
        if (known.kind !== 'vref') return null;
        // (A forced entry is neither an object nor an array: no node's shape fits it.)
        return sameShape(state.nodes[node]!, heap.get(known.id)) ? known.id : null;
      },
      virtualParts: (id) => {
        const entry = heap.get(id) as VirtualEntry;
        return entry.kind === 'object' ? entry.fields : entry.items;
      },
      reachable: (values) => forcedAtJump(heap, values),
    },
    values,
  );
}

function sameShape(node: StateNode, entry: HeapEntry): boolean {
  // Stryker disable next-line ConditionalExpression: an array or forced entry has no `cls`, so the class test alone fails it too (checked by hand, the line's other ConditionalExpression mutants fail: the node kind test made `true` test/golden/peel/peel-virtual-array.trace, `false` and the result `false` peel/peel-class-change.trace, the class test made `true` test/optimizer/peel-state.test.ts)
  if (node.kind === 'object') return entry.kind === 'object' && entry.cls === node.cls;
  // Stryker disable next-line ConditionalExpression: an object or forced entry has no `elem`, so the elem test alone fails it too (the line's `true` mutant fails test/golden/peel/peel-virtual-array.trace)
  if (entry.kind !== 'array') return false;
  return entry.elem === node.elem && entry.items.length === node.items.length;
}

function sameKnown(a: Known, b: Known): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: no mutant of these kind tests changes a result: a pair with one vref either reaches sameArg, never true for it (the kinds differ), or compares an id with undefined
  if (a.kind === 'vref' || b.kind === 'vref') return a.kind === 'vref' && b.kind === 'vref' && a.id === b.id;
  return sameArg(a, b);
}

/** The body virtuals that forcing `values` allocates: every virtual they reach. */
function forcedAtJump(heap: PVector<HeapEntry>, values: Iterable<Known>): Set<number> {
  const reached = new Set<number>();
  const work = [...values];
  for (let known = work.pop(); known !== undefined; known = work.pop()) {
    if (known.kind !== 'vref' || reached.has(known.id)) continue;
    const entry = heap.get(known.id);
    if (entry.kind === 'forced') continue;
    reached.add(known.id);
    for (const value of entry.kind === 'object' ? entry.fields : entry.items) work.push(value);
  }
  return reached;
}

/** An operand as messages and the explain report show it. */
export function showArg(arg: Arg): string {
  return arg.kind === 'null' ? 'null' : arg.kind === 'var' ? arg.name : arg.kind === 'prebuilt' ? `@${arg.name}` : String(arg.value);
}
