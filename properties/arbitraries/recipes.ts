/**
 * Trace recipes: the random data a generated trace is built from, and their arbitraries.
 *
 * A recipe is deliberately dumb: every operand is a small number (`pick`) that `build.ts`
 * resolves modulo the live values of the type the op needs, counting from the most recent
 * one. So any sub-list of a recipe list still builds a well-formed trace, and fast-check's
 * ordinary shrinking (drop recipes, move numbers toward 0) shrinks the trace: no `chain`, no
 * generator that depends on what an earlier one produced.
 *
 * The vocabulary (classes, edge constants) is fixed here, once, so every generated trace
 * speaks the same small language and a counterexample reads like the paper's examples.
 */
import fc from 'fast-check';
import type { ClassDecl, HeapObjectDesc, OpName, Type } from '../../src/ir/index.ts';

// ---------------------------------------------------------------------------------------------
// Vocabulary

/**
 * The classes every generated trace may use: the paper's two boxes, and `Node`, whose `next`
 * lets objects nest and form cycles (it comes first so that a constructor recipe sets it).
 */
export const CLASSES: readonly ClassDecl[] = [
  { name: 'BoxedInteger', fields: [{ name: 'intval', type: 'int' }] },
  { name: 'BoxedFloat', fields: [{ name: 'floatval', type: 'float' }] },
  {
    name: 'Node',
    fields: [
      { name: 'next', type: 'ref' },
      { name: 'item', type: 'int' },
    ],
  },
];

/**
 * The prebuilt objects a generated trace may use (it declares those it mentions): a module global
 * box, a Node on a cycle through itself, an int table. They are constants of the trace, are
 * read, written, compared and escaped like any object, and input sets may point at them.
 */
export const PREBUILT: readonly HeapObjectDesc[] = [
  { name: 'box', kind: 'object', cls: 'BoxedInteger', fields: [{ field: 'intval', value: { kind: 'int', value: 7n } }] },
  {
    name: 'node',
    kind: 'object',
    cls: 'Node',
    fields: [
      { field: 'next', value: { kind: 'obj', name: 'node' } },
      { field: 'item', value: { kind: 'int', value: 1n } },
    ],
  },
  { name: 'table', kind: 'array', elem: 'int', items: [1n, 2n, 3n].map((value) => ({ kind: 'int' as const, value })) },
];

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Int constants, simplest first (shrinking moves toward index 0). */
export const INT_CONSTANTS: readonly bigint[] = [0n, 1n, -1n, 2n, 10n, 63n, 64n, -100n, INT64_MAX, INT64_MIN];
/** Float constants, simplest first: the IEEE corner cases are all here. */
export const FLOAT_CONSTANTS: readonly number[] = [0, 1, -0, 0.5, -2.5, NaN, Infinity, -Infinity, 1e300, 5e-324];

export const INT_BINARY = [
  'int_add',
  'int_sub',
  'int_mul',
  'int_floordiv',
  'int_mod',
  'int_and',
  'int_or',
  'int_xor',
  'int_lshift',
  'int_rshift',
] as const satisfies readonly OpName[];
export const INT_COMPARE = ['int_lt', 'int_le', 'int_eq', 'int_ne', 'int_gt', 'int_ge'] as const satisfies readonly OpName[];
export const INT_OVERFLOW = ['int_add_ovf', 'int_sub_ovf', 'int_mul_ovf'] as const satisfies readonly OpName[];
export const FLOAT_BINARY = ['float_add', 'float_sub', 'float_mul', 'float_truediv', 'float_pow'] as const satisfies readonly OpName[];
export const FLOAT_UNARY = ['float_neg', 'float_abs', 'float_sqrt', 'float_sin', 'float_cos'] as const satisfies readonly OpName[];
export const FLOAT_COMPARE = [
  'float_lt',
  'float_le',
  'float_eq',
  'float_ne',
  'float_gt',
  'float_ge',
] as const satisfies readonly OpName[];

// ---------------------------------------------------------------------------------------------
// Recipe types

/** A value operand: one of the live values of the wanted type, or one of its constants. */
export type Operand = { readonly kind: 'var'; readonly pick: number } | { readonly kind: 'const'; readonly index: number };

/** Picks among all live values (any type): guard fail args and finish args. */
export type Picks = readonly number[];

export type OpRecipe =
  | { readonly kind: 'intBinary'; readonly op: (typeof INT_BINARY)[number]; readonly a: Operand; readonly b: Operand }
  | { readonly kind: 'intNeg'; readonly a: Operand }
  | { readonly kind: 'intCompare'; readonly op: (typeof INT_COMPARE)[number]; readonly a: Operand; readonly b: Operand }
  | {
      readonly kind: 'overflow';
      readonly op: (typeof INT_OVERFLOW)[number];
      readonly a: Operand;
      readonly b: Operand;
      readonly guard: 'guard_no_overflow' | 'guard_overflow';
      readonly failArgs: Picks;
    }
  | { readonly kind: 'floatBinary'; readonly op: (typeof FLOAT_BINARY)[number]; readonly a: Operand; readonly b: Operand }
  | { readonly kind: 'floatUnary'; readonly op: (typeof FLOAT_UNARY)[number]; readonly a: Operand }
  | { readonly kind: 'floatCompare'; readonly op: (typeof FLOAT_COMPARE)[number]; readonly a: Operand; readonly b: Operand }
  | { readonly kind: 'cast'; readonly op: 'cast_int_to_float' | 'cast_float_to_int'; readonly a: Operand }
  /** `new(C)` followed by a store to each of C's fields, as a tracer records a constructor. */
  | { readonly kind: 'new'; readonly cls: number; readonly init: readonly Operand[] }
  | { readonly kind: 'newArray'; readonly elem: Type; readonly length: number }
  /** Field ops pick their object among the refs whose class is known (by `new` or `guard_class`). */
  | { readonly kind: 'setfield'; readonly target: number; readonly field: number; readonly value: Operand }
  | { readonly kind: 'getfield'; readonly target: number; readonly field: number }
  /**
   * Array ops pick their array among the arrays allocated earlier in the same iteration and the
   * array inputs (whose length is fixed: see ArrayInput).
   */
  | { readonly kind: 'setarrayitem'; readonly target: number; readonly index: number; readonly value: Operand }
  | { readonly kind: 'getarrayitem'; readonly target: number; readonly index: number }
  | { readonly kind: 'arraylen'; readonly target: number }
  | { readonly kind: 'ptrCompare'; readonly op: 'ptr_eq' | 'ptr_ne'; readonly a: Operand; readonly b: Operand }
  | { readonly kind: 'guardClass'; readonly target: number; readonly cls: number; readonly failArgs: Picks }
  | { readonly kind: 'guardNull'; readonly op: 'guard_nonnull' | 'guard_isnull'; readonly target: number; readonly failArgs: Picks }
  /** A comparison and a guard on it: the loop-exit test of a counting loop. */
  | {
      readonly kind: 'guardCompare';
      readonly op: (typeof INT_COMPARE)[number];
      readonly a: Operand;
      readonly b: Operand;
      readonly sense: 'guard_true' | 'guard_false';
      readonly failArgs: Picks;
    }
  /**
   * `guard_value` on two ints, or on refs, as a tracer specializes on an object's identity: an
   * input or a loaded ref (never a fresh object, which equals nothing else) against another ref
   * input (`b` a var pick) or null (`b` a constant; not for a ref whose class is established).
   */
  | { readonly kind: 'guardValue'; readonly on: 'int' | 'ref'; readonly a: Operand; readonly b: Operand; readonly failArgs: Picks }
  /**
   * A loop counter: `n' = n - step; guard_true(n' >= 0)` on an int input, and the jump passes n'
   * back in that input's place, so the guard passes for a while and then fails.
   */
  | { readonly kind: 'countdown'; readonly input: number; readonly step: number; readonly failArgs: Picks }
  /** `escape` of a few refs (picked among all live refs). */
  | { readonly kind: 'escape'; readonly args: Picks }
  /**
   * An aliasing probe: `x = getfield(a, C.f); setfield(b, C.f, v); y = getfield(a, C.f);
   * guard_value(y, x)` with a and b two refs of class C (the same object in some runs, not in
   * others): a heap cache that forwards x to y without knowing a and b apart decides the guard
   * wrongly. a and b may be prebuilt (b then possibly a variable that holds a prebuilt object).
   */
  | { readonly kind: 'aliasProbe'; readonly a: number; readonly b: number; readonly field: number; readonly value: Operand };

/**
 * An input that holds an array of `elem` of at least `length` items in every iteration: every
 * input set gives one, and the jump passes one back (an array allocated in the iteration, or the
 * input itself), so the loop body reads and writes an array carried across the jump.
 */
export interface ArrayInput {
  readonly elem: Type;
  readonly length: number;
}

/** An input: a value of a type, or an array (a ref). */
export type InputRecipe = Type | ArrayInput;

export const inputTypeOf = (input: InputRecipe): Type => (typeof input === 'string' ? input : 'ref');

/** How the trace ends: a loop back to its inputs (one pick per input), or a finish. */
export type EndRecipe = { readonly kind: 'jump'; readonly args: Picks } | { readonly kind: 'finish'; readonly args: Picks };

/**
 * A value in an input heap: `edge` selects the type's edge constants (for refs: null, or for
 * n >= 4, when the trace uses them, a prebuilt object),
 * otherwise `n` is a small int, a small float, or an object picked modulo the heap's objects
 * (counting from the argument's position, so that by default distinct arguments are distinct objects).
 */
export interface HeapValueRecipe {
  readonly edge: boolean;
  readonly n: number;
}

/**
 * An object of an input heap: of class `cls`, or an array of `elem` when `cls` is past the
 * classes (its items are `fields`). `fitsTrace`: when an input argument reaches it directly, it
 * gets the class the trace's first `guard_class` on that input asks for (so the loop runs a
 * while), instead of `cls`. The first pool object an argument's pick lands on also says whether
 * the argument fits the trace's other first checks on it: then it takes the int or the earlier
 * input `guard_value` compares it with, null where `guard_value` or `guard_isnull` asks for it,
 * or, for a countdown's counter, a multiple of what an iteration subtracts (1 to 7 iterations).
 */
export interface HeapObjectRecipe {
  readonly cls: number;
  readonly elem: Type;
  readonly fitsTrace: boolean;
  readonly fields: readonly HeapValueRecipe[];
}

export interface InputSetRecipe {
  readonly objects: readonly HeapObjectRecipe[];
  readonly args: readonly HeapValueRecipe[];
}

export interface TraceRecipe {
  /** Whether the trace may use the prebuilt objects (PREBUILT): one trace in three. */
  readonly prebuilt?: boolean;
  readonly inputs: readonly InputRecipe[];
  readonly ops: readonly OpRecipe[];
  readonly end: EndRecipe;
  readonly inputSets: readonly InputSetRecipe[];
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const pick = fc.nat({ max: 7 });
const smallPicks = (max: number): fc.Arbitrary<number[]> => fc.array(pick, { maxLength: max });
const failArgs = smallPicks(3);

const operand: fc.Arbitrary<Operand> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('var' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('const' as const), index: fc.nat({ max: 9 }) }) },
);

const type: fc.Arbitrary<Type> = fc.constantFrom<Type>('ref', 'int', 'float');
/** Inputs lean toward refs: objects carried around the loop are what the paper is about. */
const inputType: fc.Arbitrary<InputRecipe> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<InputRecipe>('ref') },
  { weight: 2, arbitrary: fc.constant<InputRecipe>('int') },
  { weight: 1, arbitrary: fc.constant<InputRecipe>('float') },
  { weight: 1, arbitrary: fc.record({ elem: type, length: fc.integer({ min: 1, max: 3 }) }) },
);

/** A class index for `new`: half of the allocations are Nodes, the class that nests. */
const newClass: fc.Arbitrary<number> = fc.nat({ max: 3 }).map((n) => Math.min(n, 2));

/** Relative frequencies, tuned so that coverage.prop.test.ts's minimum shares hold comfortably. */
const opRecipe: fc.Arbitrary<OpRecipe> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('new' as const), cls: newClass, init: fc.array(operand, { maxLength: 2 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('setfield' as const), target: pick, field: fc.nat({ max: 1 }), value: operand }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('getfield' as const), target: pick, field: fc.nat({ max: 1 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('guardClass' as const), target: pick, cls: fc.nat({ max: 2 }), failArgs }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('escape' as const), args: smallPicks(2) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('intBinary' as const),
      op: fc.constantFrom(...INT_BINARY),
      a: operand,
      b: operand,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('intNeg' as const), a: operand }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('intCompare' as const), op: fc.constantFrom(...INT_COMPARE), a: operand, b: operand }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('guardCompare' as const),
      op: fc.constantFrom(...INT_COMPARE),
      a: operand,
      b: operand,
      sense: fc.constantFrom('guard_true' as const, 'guard_false' as const),
      failArgs,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('overflow' as const),
      op: fc.constantFrom(...INT_OVERFLOW),
      a: operand,
      b: operand,
      guard: fc.oneof(
        { weight: 3, arbitrary: fc.constant('guard_no_overflow' as const) },
        { weight: 1, arbitrary: fc.constant('guard_overflow' as const) },
      ),
      failArgs,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('floatBinary' as const), op: fc.constantFrom(...FLOAT_BINARY), a: operand, b: operand }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('floatUnary' as const), op: fc.constantFrom(...FLOAT_UNARY), a: operand }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('floatCompare' as const), op: fc.constantFrom(...FLOAT_COMPARE), a: operand, b: operand }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cast' as const),
      op: fc.constantFrom('cast_int_to_float' as const, 'cast_float_to_int' as const),
      a: operand,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('newArray' as const), elem: type, length: fc.nat({ max: 3 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('setarrayitem' as const), target: pick, index: fc.nat({ max: 3 }), value: operand }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('getarrayitem' as const), target: pick, index: fc.nat({ max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('arraylen' as const), target: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('ptrCompare' as const), op: fc.constantFrom('ptr_eq' as const, 'ptr_ne' as const), a: operand, b: operand }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('guardNull' as const),
      op: fc.constantFrom('guard_nonnull' as const, 'guard_isnull' as const),
      target: pick,
      failArgs,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('guardValue' as const), on: fc.constantFrom('int' as const, 'ref' as const), a: operand, b: operand, failArgs }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('countdown' as const), input: pick, step: fc.integer({ min: 1, max: 3 }), failArgs }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('aliasProbe' as const), a: pick, b: pick, field: fc.nat({ max: 1 }), value: operand }) },
);

/** Mostly ordinary values (so refs are mostly objects and loops run a while), a quarter edge cases and nulls. */
const heapValue: fc.Arbitrary<HeapValueRecipe> = fc.record({
  edge: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  n: fc.integer({ min: 0, max: 6 }),
});

const inputSet: fc.Arbitrary<InputSetRecipe> = fc.record({
  objects: fc.array(
    fc.record({
      // One in four objects is an array (of `elem`), unless an argument's guard_class wants otherwise.
      cls: fc.nat({ max: CLASSES.length }),
      elem: type,
      fitsTrace: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      fields: fc.array(heapValue, { maxLength: 2 }),
    }),
    { minLength: 2, maxLength: 5 },
  ),
  args: fc.array(heapValue, { maxLength: 4 }),
});

/**
 * Recipes of the arithmetic ops in `focus`, their operands half constants (the edge constants
 * first): how `TraceArbOptions.focus` makes a rare op common, so that a pass that rewrites it (a
 * user's `int_sub(0, x) -> x`) meets it, and its constant cases, in most traces.
 */
function focusRecipes(focus: readonly OpName[]): fc.Arbitrary<OpRecipe>[] {
  const leaning: fc.Arbitrary<Operand> = fc.oneof(
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('var' as const), pick }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('const' as const), index: fc.nat({ max: 9 }) }) },
  );
  const among = <T extends OpName>(ops: readonly T[]): T[] => ops.filter((op) => focus.includes(op));
  const recipes: fc.Arbitrary<OpRecipe>[] = [];
  const intBinary = among(INT_BINARY);
  if (intBinary.length > 0) recipes.push(fc.record({ kind: fc.constant('intBinary' as const), op: fc.constantFrom(...intBinary), a: leaning, b: leaning }));
  const intCompare = among(INT_COMPARE);
  if (intCompare.length > 0) recipes.push(fc.record({ kind: fc.constant('intCompare' as const), op: fc.constantFrom(...intCompare), a: leaning, b: leaning }));
  if (focus.includes('int_neg')) recipes.push(fc.record({ kind: fc.constant('intNeg' as const), a: leaning }));
  const floatBinary = among(FLOAT_BINARY);
  if (floatBinary.length > 0) recipes.push(fc.record({ kind: fc.constant('floatBinary' as const), op: fc.constantFrom(...floatBinary), a: leaning, b: leaning }));
  const floatUnary = among(FLOAT_UNARY);
  if (floatUnary.length > 0) recipes.push(fc.record({ kind: fc.constant('floatUnary' as const), op: fc.constantFrom(...floatUnary), a: leaning }));
  const floatCompare = among(FLOAT_COMPARE);
  if (floatCompare.length > 0) recipes.push(fc.record({ kind: fc.constant('floatCompare' as const), op: fc.constantFrom(...floatCompare), a: leaning, b: leaning }));
  return recipes;
}

export interface RecipeOptions {
  /** Arithmetic ops to generate often (focusRecipes). Default: none. */
  readonly focus?: readonly OpName[];
  readonly minOps: number;
  readonly maxOps: number;
  /** Share of traces that end in `jump` rather than `finish`, in [0, 1]. */
  readonly loopShare: number;
  readonly maxInputSets: number;
}

export function arbTraceRecipe(options: RecipeOptions): fc.Arbitrary<TraceRecipe> {
  const loopWeight = Math.round(options.loopShare * 100);
  const focused = focusRecipes(options.focus ?? []);
  // With a focus, half of the ops are focused ones.
  const op = focused.length === 0 ? opRecipe : fc.oneof(opRecipe, fc.oneof(...focused));
  const endArgs = smallPicks(4);
  const end: fc.Arbitrary<EndRecipe> = fc.oneof(
    { weight: loopWeight, arbitrary: fc.record({ kind: fc.constant('jump' as const), args: endArgs }) },
    { weight: 100 - loopWeight, arbitrary: fc.record({ kind: fc.constant('finish' as const), args: endArgs }) },
  );
  return fc.record({
    // false first: shrinking drops the prebuilt objects from a counterexample that needs none.
    prebuilt: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    inputs: fc.array(inputType, { minLength: 1, maxLength: 4 }),
    ops: fc.array(op, { minLength: options.minOps, maxLength: options.maxOps, size: 'max' }),
    end,
    inputSets: fc.array(inputSet, { minLength: 1, maxLength: options.maxInputSets }),
  });
}
