/**
 * What the optimizer must remove, measured on generated traces: strength properties. The
 * equivalence properties say the optimizer is right; these say it is not weaker than it claims,
 * so that a change which only stops removing something (a guard on a virtual kept, a read after
 * a write left, a loop's temporary objects allocated in the body, a pipeline that stops after one
 * round) fails a test. Each looks at the optimizer as a function from trace to trace: the input
 * tells what must go, the output must not have it. Each counts the cases it checked, so that a
 * generator change that stops producing them is seen (removal.prop.test.ts holds minimums), and
 * each is shown to catch a weakened optimizer (test/weaker-optimizers/) in
 * test/optimizer/weaker.test.ts.
 *
 * "Plainly virtual at op k" is decided on the input alone, more strictly than virtualize needs:
 * the object comes from a `new` (or a `new_array` of a literal length of at most
 * MAX_VIRTUAL_ARRAY_LENGTH) earlier in a trace without a label, and every op between uses it only
 * as the object read or written (class or element type matching, array index a literal in range),
 * as a guard's operand, as a ptr_eq/ptr_ne operand, or in fail args: nothing of that forces an
 * object (virtualize.ts, R2 and R3), so the object is still virtual at op k.
 */
import fc from 'fast-check';
import { alphaEquivalent, type Arg, effectsOf, labelIndex, type Op, sameArg, type Trace, typeOfArg } from '../src/ir/index.ts';
import { DEFAULT_PIPELINE, PASSES } from '../src/optimizer/pipeline.ts';
import { MAX_VIRTUAL_ARRAY_LENGTH } from '../src/optimizer/virtualize.ts';
import { printTrace } from '../src/text/index.ts';
import { arbTraceCase, classifyLifetimes } from './arbitraries/trace.ts';

/** A strength property: what `check` finds left in `output` that the input says must go. */
export interface RemovalProperty {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<Trace>;
  /** The cases checked in `input` (one per op or site that must go), and what is left of them. */
  readonly check: (input: Trace, output: Trace) => { readonly cases: number; readonly left: readonly string[] };
}

/**
 * `property` on `optimizer` as a check of one trace (differential.ts's TraceCheck): what is left
 * that must go, with the optimized trace, or null; counts the cases checked into `census`.
 */
export function removalCheck(property: RemovalProperty, optimizer: (trace: Trace) => Trace, census?: { cases: number }): (input: Trace) => string | null {
  return (input) => {
    const output = optimizer(input);
    const { cases, left } = property.check(input, output);
    if (census) census.cases += cases;
    return left.length > 0 ? `${property.name}: left ${left.join('; ')}\noptimized trace:\n${printTrace(output)}` : null;
  };
}

/** Runs `property` on `optimizer`; counts the cases checked into `census` (when given). */
export function removalProperty(property: RemovalProperty, optimizer: (trace: Trace) => Trace, census?: { cases: number }) {
  const check = removalCheck(property, optimizer, census);
  return fc.property(property.arbitrary, (input) => {
    const failure = check(input);
    if (failure !== null) throw new Error(failure);
  });
}

/** For each ref variable defined by a plainly virtual allocation: its class or element type. */
type Allocation = { readonly kind: 'object'; readonly cls: string } | { readonly kind: 'array'; readonly elem: string; readonly length: bigint };

function allocationOf(op: Op): Allocation | null {
  if (op.name === 'new') return { kind: 'object', cls: (op.descr as { cls: string }).cls };
  const length = op.args[0];
  if (op.name === 'new_array' && length?.kind === 'int' && length.value <= BigInt(MAX_VIRTUAL_ARRAY_LENGTH)) {
    return { kind: 'array', elem: (op.descr as { type: string }).type, length: length.value < 0n ? 0n : length.value };
  }
  return null;
}

const isVar = (arg: Arg | undefined, name: string) => arg?.kind === 'var' && arg.name === name;
const literalIndexIn = (arg: Arg | undefined, length: bigint) => arg?.kind === 'int' && arg.value >= 0n && arg.value < length;

/** Whether `op` uses the allocation `name` only in a way that cannot force it (see the header). */
function keepsVirtual(op: Op, name: string, alloc: Allocation): boolean {
  const at = op.args.flatMap((a, k) => (isVar(a, name) ? [k] : []));
  if (at.length === 0) return true;
  if (op.name.startsWith('guard_') || op.name === 'ptr_eq' || op.name === 'ptr_ne') return true;
  if (at.length !== 1 || at[0] !== 0) return false;
  if (alloc.kind === 'object') {
    return (op.name === 'getfield' || op.name === 'setfield') && (op.descr as { cls: string }).cls === alloc.cls;
  }
  if (op.name === 'arraylen') return true;
  const typeMatches = (op.descr as { type?: string } | null)?.type === alloc.elem;
  if (op.name === 'getarrayitem') return typeMatches && literalIndexIn(op.args[1], alloc.length);
  if (op.name === 'setarrayitem') return typeOfArg(op.args[2]!) === alloc.elem && literalIndexIn(op.args[1], alloc.length);
  return false;
}

/** The variables plainly virtual just before op `k` of a trace without a label, with their allocations. */
export function plainlyVirtualAt(trace: Trace, k: number): Map<string, Allocation> {
  const live = new Map<string, Allocation>();
  if (labelIndex(trace) >= 0) return live;
  for (let j = 0; j < k; j++) {
    const op = trace.ops[j]!;
    for (const [name, alloc] of live) if (!keepsVirtual(op, name, alloc)) live.delete(name);
    const alloc = allocationOf(op);
    if (alloc && op.result) live.set(op.result, alloc);
  }
  return live;
}

const defines = (trace: Trace, name: string) => trace.ops.some((op) => op.result === name);
/** Inputs without a label: what these properties measure needs the input's ops in order. */
const straight = arbTraceCase({ labelShare: 0 });

/** virtualize alone: a guard_class on a plainly virtual object is decided (gone, or a guard known to fail). */
export const GUARD_CLASS_ON_VIRTUAL: RemovalProperty = {
  name: 'a guard_class on a virtual never survives virtualize',
  arbitrary: straight,
  check(input, output) {
    let cases = 0;
    const left: string[] = [];
    input.ops.forEach((op, k) => {
      if (op.name !== 'guard_class' || op.args[0]!.kind !== 'var' || !plainlyVirtualAt(input, k).has(op.args[0]!.name)) return;
      cases++;
      if (output.ops.some((o) => o.name === 'guard_class' && o.guardId === op.guardId)) left.push(`guard_class id=${op.guardId} on ${op.args[0]!.name}`);
    });
    return { cases, left };
  },
};

/** virtualize alone: ptr_eq and ptr_ne of two plainly virtual objects (or one with itself) are constants. */
export const POINTER_TEST_ON_VIRTUALS: RemovalProperty = {
  name: 'ptr_eq and ptr_ne of two virtuals never survive virtualize',
  arbitrary: straight,
  check(input, output) {
    let cases = 0;
    const left: string[] = [];
    input.ops.forEach((op, k) => {
      if (op.name !== 'ptr_eq' && op.name !== 'ptr_ne') return;
      const virtuals = plainlyVirtualAt(input, k);
      if (!op.args.every((a) => a.kind === 'var' && virtuals.has(a.name))) return;
      cases++;
      if (defines(output, op.result!)) left.push(`${op.result} = ${op.name}(${op.args.map((a) => (a as { name: string }).name).join(', ')})`);
    });
    return { cases, left };
  },
};

/**
 * heapcache alone: `y = getfield(x, C.f)` after `setfield(x, C.f, v)` with nothing between that
 * may write the heap, let anything escape or end the trace is v: y is not read.
 */
export const READ_AFTER_WRITE: RemovalProperty = {
  name: 'a read after a write of the same field of the same object never survives heapcache',
  arbitrary: straight,
  check(input, output) {
    let cases = 0;
    const left: string[] = [];
    input.ops.forEach((write, k) => {
      if (write.name !== 'setfield' || (write.args[0]!.kind !== 'var' && write.args[0]!.kind !== 'prebuilt')) return;
      const field = write.descr as { cls: string; field: string };
      for (let m = k + 1; m < input.ops.length; m++) {
        const op = input.ops[m]!;
        const sameField = op.descr?.kind === 'field' && (op.descr as { cls: string }).cls === field.cls && (op.descr as { field: string }).field === field.field;
        if (op.name === 'getfield' && sameField && sameArg(op.args[0]!, write.args[0]!)) {
          // Where the optimizer proved the object null, the read is undefined behaviour (or
          // behind a guard that always fails): there is no stored value to forward.
          const kept = output.ops.find((o) => o.result === op.result);
          if (kept?.args[0]?.kind === 'null') continue;
          cases++;
          if (kept) left.push(`${op.result} = getfield(${printArg(op.args[0]!)}, ${field.cls}.${field.field}) after the write at op ${k}`);
          continue;
        }
        const e = effectsOf(op.name);
        if (e.writesHeap || e.escapes || e.terminator || e.loopHeader || e.overflow) break;
      }
    });
    return { cases, left };
  },
};

function printArg(arg: Arg): string {
  return arg.kind === 'var' ? arg.name : arg.kind === 'prebuilt' ? `@${arg.name}` : String((arg as { value?: unknown }).value ?? 'null');
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Whether the input's guard `guard` (guard_true or guard_false, passing) on comparison `compare`
 * bounds variable `x` so that x + delta (delta != 0) stays in int64: x >= MIN - delta for a
 * negative delta, x <= MAX - delta for a positive one. Read off the comparison's shape alone
 * (x against a constant, or `x < y` for +1), independently of intbounds.ts.
 */
function boundsStep(guard: Op, compare: Op, x: string, delta: bigint): boolean {
  const names: Record<string, [string, boolean]> = { int_lt: ['<', false], int_le: ['<=', false], int_gt: ['<', true], int_ge: ['<=', true] };
  const shape = names[compare.name];
  if (shape === undefined) return false;
  let [a, b] = shape[1] ? [compare.args[1]!, compare.args[0]!] : [compare.args[0]!, compare.args[1]!];
  let strict = shape[0] === '<';
  // guard_false: not (a < b) is b <= a; not (a <= b) is b < a.
  if (guard.name === 'guard_false') {
    [a, b] = [b, a];
    strict = !strict;
  }
  const isX = (arg: Arg) => arg.kind === 'var' && arg.name === x;
  // Now a < b (or a <= b) holds.
  if (delta > 0n && isX(a)) {
    if (b.kind === 'int') return (strict ? b.value - 1n : b.value) <= INT64_MAX - delta;
    return strict && delta === 1n;
  }
  if (delta < 0n && isX(b) && a.kind === 'int') return (strict ? a.value + 1n : a.value) >= INT64_MIN - delta;
  return false;
}

/**
 * The default pipeline: an overflow check that a passing guard earlier in the same iteration
 * makes impossible never survives (intbounds.ts). A case is an `int_add_ovf(x, c)` or
 * `int_sub_ovf(x, c)` (c a constant) followed by its guard_no_overflow, after a guard_true or
 * guard_false (no label between) on a comparison of x that keeps x + c within int64 (the
 * counter `x - 1` after `x > 0`, `x + 1` after `x < y`); that guard_no_overflow's id must be gone.
 */
export const OVERFLOW_CHECK_AFTER_BOUND: RemovalProperty = {
  name: 'an overflow check a passing comparison makes impossible never survives the pipeline',
  arbitrary: arbTraceCase({ labelShare: 0 }),
  check(input, output) {
    const defined = new Map<string, Op>();
    const left: string[] = [];
    let cases = 0;
    const guards: Op[] = [];
    input.ops.forEach((op, k) => {
      if (op.result !== null) defined.set(op.result, op);
      if (op.name === 'label') guards.length = 0;
      if ((op.name === 'guard_true' || op.name === 'guard_false') && op.args[0]!.kind === 'var') guards.push(op);
      const next = input.ops[k + 1];
      if ((op.name !== 'int_add_ovf' && op.name !== 'int_sub_ovf') || next?.name !== 'guard_no_overflow') return;
      const [x, c] = op.args as [Arg, Arg];
      if (x.kind !== 'var' || c.kind !== 'int' || c.value === 0n) return;
      const delta = op.name === 'int_add_ovf' ? c.value : -c.value;
      const bounded = guards.some((g) => {
        const compare = defined.get((g.args[0] as { name: string }).name);
        return compare !== undefined && boundsStep(g, compare, x.name, delta);
      });
      if (!bounded) return;
      cases++;
      if (output.ops.some((o) => o.name === 'guard_no_overflow' && o.guardId === next.guardId)) left.push(`the check of ${op.result} = ${op.name}(${x.name}, ${c.value}) at op ${k}`);
    });
    return { cases, left };
  },
};

/** Whether every store of the trace goes into an object the trace allocates (see CATEGORY_3). */
function storesOnlyIntoFresh(trace: Trace): boolean {
  const fresh = new Set(trace.ops.filter((op) => op.name === 'new' || op.name === 'new_array').map((op) => op.result!));
  return trace.ops.every((op) => (op.name !== 'setfield' && op.name !== 'setarrayitem') || (op.args[0]!.kind === 'var' && fresh.has(op.args[0]!.name)));
}

/**
 * The default pipeline on loops: an object of category 3 (paper, section 3: carried across the
 * jump, then dropped in the next iteration; properties/arbitraries/lifetimes.ts) is never
 * allocated in the peeled loop body. Checked on loops that store only into objects they allocate:
 * the lifetime analysis looks at one iteration and is field-insensitive, so a store into a loop
 * argument (a real object in the first iteration, reached by the next one) can make it call an
 * escaping object category 3 (measured: 8 such sites in 1,200 loops; none with this restriction).
 */
export const CATEGORY_3: RemovalProperty = {
  name: 'a category 3 allocation never survives in the peeled loop body',
  arbitrary: arbTraceCase({ loopShare: 1, labelShare: 0 }),
  check(input, output) {
    if (!storesOnlyIntoFresh(input)) return { cases: 0, left: [] };
    const body = output.ops.slice(labelIndex(output) + 1);
    let cases = 0;
    const left: string[] = [];
    for (const [index, category] of classifyLifetimes(input).bySite) {
      if (category !== 3) continue;
      cases++;
      // The body allocates site `p5` as p5_k (this iteration's object) or p5 (the previous one's).
      const name = input.ops[index]!.result!;
      const site = new RegExp(`^${name}(_[0-9]+)?$`);
      if (body.some((op) => (op.name === 'new' || op.name === 'new_array') && site.test(op.result!))) left.push(`${name} (op ${index}) allocated in the body`);
    }
    return { cases, left };
  },
};

/** One round of the default pipeline, each pass once in order. */
export function oneRound(trace: Trace): Trace {
  return DEFAULT_PIPELINE.reduce((t, name) => PASSES[name]!(t), trace);
}

/** The default pipeline's result is a fixpoint: one more round of every pass changes nothing. */
export const FIXPOINT: RemovalProperty = {
  name: 'the pipeline runs to a fixpoint: one more round changes nothing',
  arbitrary: arbTraceCase(),
  check(_input, output) {
    const again = alphaEquivalent(output, oneRound(output));
    return { cases: 1, left: again.ok ? [] : [`a further round still changes the trace: ${again.message}`] };
  },
};
