/**
 * Builds a trace from a recipe (recipes.ts): resolves every pick against the values live at
 * that point, drops the recipes that have nothing to act on, and adds the input sets.
 *
 * Contract (checked by reference.prop.test.ts): the result validates, and no run of it on any
 * of its input sets, with any fuel, reaches undefined behaviour. That holds by construction:
 *  - a field is read or written only on a ref whose class is established in the *current*
 *    iteration, by `new` or by a dominating `guard_class` (the trace is straight-line and each
 *    iteration runs it from the top, so "earlier in the trace" is "earlier in this iteration";
 *    values carried across the jump are ordinary inputs and must be re-checked, as a real
 *    tracer does);
 *  - `guard_class` is never emitted on a ref whose class is known to be another one (it would
 *    always fail, leaving dead code);
 *  - array items are read and written only on arrays allocated earlier in the same iteration,
 *    with a constant length, or on array inputs (an input that holds an array of a fixed element
 *    type and at least a fixed length in every input set, and that the jump passes such an array
 *    back to), at constant indices below that length, with values of the element type;
 *  - every int and float op is total.
 * Guard fail args are an explicit short list (at most three picks), never "every value so far".
 *
 * So that loops run a while before a guard fails, a countdown recipe makes the jump pass its
 * decremented counter back in its input's place, input objects reached directly from an
 * argument may take the class the trace's first `guard_class` on that input asks for, an
 * argument may take the value the trace's first `guard_value` or `guard_isnull` on it asks for,
 * and a countdown's counter may start at a multiple of what one iteration subtracts, so that the
 * countdown fails in iteration 2 to 8. A recipe's `fitsTrace` flags say which (three in four).
 *
 * `passing: true` (genLargeTrace, for benchmarks) builds a loop that runs without a guard failing
 * on its input set for as many iterations as its countdowns allow (about 10^9 / (3 × countdowns
 * per input)), so no optimizer can know a guard to fail and cut the trace short: guards are only
 * countdowns, `guard_class` on inputs (each argument an object of the class asked, each jump
 * argument one of the same class) and on fresh objects, and `guard_nonnull` on values that are
 * never null; comparisons stay without their guard, overflow checks become plain arithmetic.
 */
import {
  type Arg,
  type ClassDecl,
  cfloat,
  cint,
  type Descr,
  type ExitDesc,
  type HeapObjectDesc,
  type HeapValue,
  type InputSet,
  mkOp,
  NULL,
  type Op,
  type OpName,
  prebuiltRef,
  type Trace,
  type Type,
  v,
} from '../../src/ir/index.ts';
import {
  CLASSES,
  FLOAT_CONSTANTS,
  type HeapValueRecipe,
  INT_CONSTANTS,
  type InputRecipe,
  type InputSetRecipe,
  inputTypeOf,
  type Operand,
  type OpRecipe,
  type Picks,
  PREBUILT,
  type TraceRecipe,
} from './recipes.ts';

/**
 * Prebuilt objects are named in the builder's lists like variables, as `@name`: they are live
 * refs from the start, their class (or array length) is known in every iteration, and they are
 * never null. `arg` turns a list entry into its operand.
 */
const PREBUILT_PREFIX = '@';
const arg = (name: string): Arg => (name.startsWith(PREBUILT_PREFIX) ? prebuiltRef(name.slice(1)) : v(name));

const LETTER: Record<Type, string> = { int: 'i', float: 'f', ref: 'p' };

/** An overflow-checked op's plain counterpart (passing mode has no overflow guards). */
const PLAIN = { int_add_ovf: 'int_add', int_sub_ovf: 'int_sub', int_mul_ovf: 'int_mul' } as const satisfies Record<string, OpName>;

/** `list[pick]` counted from the end, modulo the length: pick 0 is the most recent value. */
function recent<T>(list: readonly T[], pick: number): T | undefined {
  return list.length === 0 ? undefined : list[list.length - 1 - (pick % list.length)];
}

interface LiveArray {
  readonly name: string;
  readonly elem: Type;
  readonly length: number;
}

export interface BuildOptions {
  /** Only guards that pass on the input set, iteration after iteration (see the header). */
  readonly passing?: boolean;
}

/** What the input sets must give each input for the trace's first checks on it to pass. */
export interface InputExpectations {
  /** The class the first `guard_class` on each input asks for, by input position. */
  readonly cls: ReadonlyMap<number, string>;
  /**
   * The value the first check on each input compares it with: an int or an earlier input
   * (`guard_value`), or null (`guard_value` with null, `guard_isnull`). An input has a class or a
   * value expected, whichever its first check asks for.
   */
  readonly value: ReadonlyMap<number, ExpectedValue>;
  /** Int inputs that count down: the sum of their countdowns' steps (what one iteration subtracts). */
  readonly countdown: ReadonlyMap<number, number>;
}

type ExpectedValue = { kind: 'int'; value: bigint } | { kind: 'null' } | { kind: 'input'; index: number } | { kind: 'prebuilt'; name: string };

/** The state of one straight-line pass over the recipes: what is live, and what is known. */
class TraceBuilder {
  readonly ops: Op[] = [];
  private nextVar = 0;
  private nextGuardId = 0;
  private readonly live: Record<Type, string[]> = { int: [], float: [], ref: [] };
  /** Every live value in definition order: the pool of fail args and finish args. */
  private readonly all: string[] = [];
  /** Refs whose class is established in this iteration, in the order it was established. */
  private readonly classed: string[] = [];
  private readonly classOf = new Map<string, ClassDecl>();
  private readonly arrays: LiveArray[] = [];
  private readonly arrayNames = new Set<string>();
  private readonly inputNames: string[] = [];
  /** Input index of each input variable. */
  private readonly inputIndex = new Map<string, number>();
  /** Input positions of the int inputs, in order. */
  private readonly intInputs: number[] = [];
  /** Positions of the ref inputs (arrays included), in order. */
  private readonly refInputs: number[] = [];
  /** Countdowns: the value the jump passes back in an int input's place. */
  private readonly successor = new Map<number, string>();
  /** Refs that may be null or of any class at run time (loaded from the heap): passing mode leaves them unguarded. */
  private readonly loaded = new Set<string>();
  /** Refs allocated in this iteration: never null, never equal to anything else. */
  private readonly fresh = new Set<string>();
  readonly expected = { cls: new Map<number, string>(), value: new Map<number, ExpectedValue>(), countdown: new Map<number, number>() } satisfies InputExpectations;

  /** Prebuilt objects as the lists name them (`@box`): none unless the recipe asks, never in passing mode (benchmarks keep their shape). */
  private readonly prebuilt: readonly string[];

  constructor(
    private readonly options: BuildOptions = {},
    withPrebuilt = false,
  ) {
    const pool = withPrebuilt && !options.passing ? PREBUILT : [];
    this.prebuilt = pool.map((o) => `${PREBUILT_PREFIX}${o.name}`);
    for (const o of pool) {
      const name = `${PREBUILT_PREFIX}${o.name}`;
      this.live.ref.push(name);
      this.all.push(name);
      if (o.kind === 'object') this.knowClass(name, CLASSES.find((c) => c.name === o.cls)!);
      else {
        this.arrays.push({ name, elem: o.elem, length: o.items.length });
        this.arrayNames.add(name);
      }
    }
  }

  private isPrebuilt(name: string): boolean {
    return name.startsWith(PREBUILT_PREFIX);
  }

  defineInputs(inputs: readonly InputRecipe[]): string[] {
    return inputs.map((input, k) => {
      const type = inputTypeOf(input);
      const name = this.define(type);
      this.inputNames.push(name);
      this.inputIndex.set(name, k);
      if (type === 'int') this.intInputs.push(k);
      if (type === 'ref') this.refInputs.push(k);
      if (typeof input !== 'string') {
        this.arrays.push({ name, elem: input.elem, length: input.length });
        this.arrayNames.add(name);
      }
      return name;
    });
  }

  /** The first check on input `name` asks for a value: the input sets may give it. */
  private expectValue(name: string, value: ExpectedValue): void {
    const input = this.inputIndex.get(name);
    if (input !== undefined && !this.expected.value.has(input) && !this.expected.cls.has(input)) this.expected.value.set(input, value);
  }

  define(type: Type): string {
    const name = `${LETTER[type]}${this.nextVar++}`;
    this.live[type].push(name);
    this.all.push(name);
    return name;
  }

  /** A value of `type` for an operand: a live variable, or a constant when asked or when none is live. */
  value(type: Type, operand: Operand): Arg {
    if (operand.kind === 'var') {
      const name = recent(this.live[type], operand.pick);
      if (name !== undefined) return arg(name);
    }
    const index = operand.kind === 'const' ? operand.index : operand.pick;
    switch (type) {
      case 'int':
        return cint(INT_CONSTANTS[index % INT_CONSTANTS.length]!);
      case 'float':
        return cfloat(FLOAT_CONSTANTS[index % FLOAT_CONSTANTS.length]!);
      case 'ref':
        // Constant refs: null, or (4 in 10) a prebuilt object.
        return index >= 6 && this.prebuilt.length > 0 ? arg(this.prebuilt[index % this.prebuilt.length]!) : NULL;
    }
  }

  /** A few distinct live values of any type. */
  picked(picks: Picks): Arg[] {
    const names = new Set<string>();
    for (const p of picks) {
      const name = recent(this.all, p);
      if (name !== undefined) names.add(name);
    }
    return [...names].map(arg);
  }

  exit(picks: Picks): ExitDesc {
    return { values: this.picked(picks), virtuals: [] };
  }

  emit(name: OpName, args: readonly Arg[], opts: { result?: Type; descr?: Descr; exit?: ExitDesc } = {}): string | null {
    const result = opts.result ? this.define(opts.result) : null;
    const isGuard = opts.exit !== undefined;
    this.ops.push(
      mkOp(name, args, {
        result,
        descr: opts.descr ?? null,
        guardId: isGuard ? this.nextGuardId++ : -1,
        exit: opts.exit ?? null,
      }),
    );
    return result;
  }

  knowClass(name: string, cls: ClassDecl): void {
    if (this.classOf.has(name)) return;
    this.classOf.set(name, cls);
    this.classed.push(name);
  }

  apply(recipe: OpRecipe): void {
    switch (recipe.kind) {
      case 'intBinary':
      case 'intCompare':
        this.emit(recipe.op, [this.value('int', recipe.a), this.value('int', recipe.b)], { result: 'int' });
        return;
      case 'intNeg':
        this.emit('int_neg', [this.value('int', recipe.a)], { result: 'int' });
        return;
      case 'overflow':
        if (this.options.passing) {
          this.emit(PLAIN[recipe.op], [this.value('int', recipe.a), this.value('int', recipe.b)], { result: 'int' });
          return;
        }
        this.emit(recipe.op, [this.value('int', recipe.a), this.value('int', recipe.b)], { result: 'int' });
        this.emit(recipe.guard, [], { exit: this.exit(recipe.failArgs) });
        return;
      case 'floatBinary':
        this.emit(recipe.op, [this.value('float', recipe.a), this.value('float', recipe.b)], { result: 'float' });
        return;
      case 'floatUnary':
        this.emit(recipe.op, [this.value('float', recipe.a)], { result: 'float' });
        return;
      case 'floatCompare':
        this.emit(recipe.op, [this.value('float', recipe.a), this.value('float', recipe.b)], { result: 'int' });
        return;
      case 'cast':
        if (recipe.op === 'cast_int_to_float') this.emit(recipe.op, [this.value('int', recipe.a)], { result: 'float' });
        else this.emit(recipe.op, [this.value('float', recipe.a)], { result: 'int' });
        return;
      case 'new': {
        const cls = CLASSES[recipe.cls % CLASSES.length]!;
        const obj = this.emit('new', [], { result: 'ref', descr: { kind: 'class', cls: cls.name } })!;
        this.knowClass(obj, cls);
        this.fresh.add(obj);
        cls.fields.forEach((field, k) => {
          const init = recipe.init[k];
          if (init === undefined) return;
          const descr: Descr = { kind: 'field', cls: cls.name, field: field.name };
          this.emit('setfield', [v(obj), this.value(field.type, init)], { descr });
        });
        return;
      }
      case 'newArray': {
        const length = recipe.length;
        const name = this.emit('new_array', [cint(length)], { result: 'ref', descr: { kind: 'elem', type: recipe.elem } })!;
        this.arrays.push({ name, elem: recipe.elem, length });
        this.arrayNames.add(name);
        this.fresh.add(name);
        return;
      }
      case 'setfield':
      case 'getfield': {
        const obj = recent(this.classed, recipe.target);
        if (obj === undefined) return;
        const cls = this.classOf.get(obj)!;
        const field = cls.fields[recipe.field % cls.fields.length]!;
        const descr: Descr = { kind: 'field', cls: cls.name, field: field.name };
        if (recipe.kind === 'getfield') {
          const result = this.emit('getfield', [arg(obj)], { result: field.type, descr })!;
          if (field.type === 'ref') this.loaded.add(result);
        }
        else this.emit('setfield', [arg(obj), this.value(field.type, recipe.value)], { descr });
        return;
      }
      case 'setarrayitem':
      case 'getarrayitem':
      case 'arraylen': {
        const array = recent(this.arrays, recipe.target);
        if (array === undefined) return;
        const descr: Descr = { kind: 'elem', type: array.elem };
        if (recipe.kind === 'arraylen') {
          this.emit('arraylen', [arg(array.name)], { result: 'int' });
          return;
        }
        if (array.length === 0) return;
        const index = cint(recipe.index % array.length);
        if (recipe.kind === 'getarrayitem') {
          const result = this.emit('getarrayitem', [arg(array.name), index], { result: array.elem, descr })!;
          if (array.elem === 'ref') this.loaded.add(result);
        }
        else this.emit('setarrayitem', [arg(array.name), index, this.value(array.elem, recipe.value)]);
        return;
      }
      case 'ptrCompare':
        this.emit(recipe.op, [this.value('ref', recipe.a), this.value('ref', recipe.b)], { result: 'int' });
        return;
      case 'guardClass': {
        const target = recent(this.live.ref, recipe.target);
        if (target === undefined || this.isPrebuilt(target)) return;
        const cls = CLASSES[recipe.cls % CLASSES.length]!;
        const known = this.classOf.get(target);
        if ((known !== undefined && known !== cls) || this.arrayNames.has(target)) return;
        if (this.options.passing && this.loaded.has(target)) return;
        this.emit('guard_class', [v(target)], { descr: { kind: 'class', cls: cls.name }, exit: this.exit(recipe.failArgs) });
        this.knowClass(target, cls);
        const input = this.inputIndex.get(target);
        if (input !== undefined && !this.expected.cls.has(input) && !this.expected.value.has(input)) this.expected.cls.set(input, cls.name);
        return;
      }
      case 'guardNull': {
        if (this.options.passing && recipe.op === 'guard_isnull') return;
        // guard_isnull on a fresh object would always fail: it asks an input or a loaded ref.
        // A prebuilt object is never null: guard_nonnull on one is legal, guard_isnull never passes.
        const targets = recipe.op === 'guard_isnull' ? this.live.ref.filter((r) => !this.fresh.has(r) && !this.isPrebuilt(r)) : this.live.ref;
        const target = recent(targets, recipe.target);
        if (target === undefined) return;
        if (this.options.passing && this.loaded.has(target)) return;
        if (recipe.op === 'guard_isnull') this.expectValue(target, { kind: 'null' });
        this.emit(recipe.op, [arg(target)], { exit: this.exit(recipe.failArgs) });
        return;
      }
      case 'guardCompare': {
        const condition = this.emit(recipe.op, [this.value('int', recipe.a), this.value('int', recipe.b)], { result: 'int' })!;
        if (this.options.passing) return;
        this.emit(recipe.sense, [v(condition)], { exit: this.exit(recipe.failArgs) });
        return;
      }
      case 'countdown': {
        const input = recent(this.intInputs, recipe.input);
        if (input === undefined) return;
        const counter = this.successor.get(input) ?? this.inputNames[input]!;
        // A counter that already passed `>= 0` is decremented with the overflow check a guest VM
        // records for its ints (which that test makes impossible: intbounds.ts removes it). The
        // first step, and passing mode (no overflow guards), subtract plainly.
        const checked = this.successor.has(input) && !this.options.passing;
        const next = this.emit(checked ? 'int_sub_ovf' : 'int_sub', [v(counter), cint(recipe.step)], { result: 'int' })!;
        if (checked) this.emit('guard_no_overflow', [], { exit: this.exit(recipe.failArgs) });
        const condition = this.emit('int_ge', [v(next), cint(0)], { result: 'int' })!;
        this.emit('guard_true', [v(condition)], { exit: this.exit(recipe.failArgs) });
        this.successor.set(input, next);
        this.expected.countdown.set(input, (this.expected.countdown.get(input) ?? 0) + recipe.step);
        return;
      }
      case 'guardValue': {
        if (this.options.passing) return;
        if (recipe.on === 'int') {
          const [a, b] = [this.value('int', recipe.a), this.value('int', recipe.b)];
          if (a.kind === 'var' && b.kind === 'int') this.expectValue(a.name, { kind: 'int', value: b.value });
          this.emit('guard_value', [a, b], { exit: this.exit(recipe.failArgs) });
          return;
        }
        // An input or a loaded ref (a fresh object equals nothing else) against a ref input (never
        // itself), null, or (in a trace with prebuilt objects) a prebuilt one (`b` a constant of index 3 or more).
        const a = recent(
          this.live.ref.filter((r) => !this.fresh.has(r) && !this.isPrebuilt(r)),
          recipe.a.kind === 'var' ? recipe.a.pick : recipe.a.index,
        );
        if (a === undefined) return;
        if (recipe.b.kind === 'const' && recipe.b.index >= 3 && this.prebuilt.length > 0) {
          const target = this.prebuilt[recipe.b.index % this.prebuilt.length]!;
          this.expectValue(a, { kind: 'prebuilt', name: target.slice(PREBUILT_PREFIX.length) });
          this.emit('guard_value', [v(a), arg(target)], { exit: this.exit(recipe.failArgs) });
          return;
        }
        // A ref whose class a guard established is not null: it is compared with another input.
        const others = this.refInputs.filter((k) => this.inputNames[k] !== a);
        const input = recipe.b.kind === 'var' || this.classOf.has(a) ? recent(others, recipe.b.kind === 'var' ? recipe.b.pick : recipe.b.index) : undefined;
        const b = input === undefined ? NULL : v(this.inputNames[input]!);
        const aInput = this.inputIndex.get(a);
        // The input sets may make the later of two inputs the earlier one's object.
        if (b.kind === 'null') this.expectValue(a, { kind: 'null' });
        else if (aInput !== undefined && input! < aInput) this.expectValue(a, { kind: 'input', index: input! });
        else if (aInput !== undefined) this.expectValue(this.inputNames[input!]!, { kind: 'input', index: aInput });
        this.emit('guard_value', [v(a), b], { exit: this.exit(recipe.failArgs) });
        return;
      }
      case 'aliasProbe': {
        const a = recent(this.classed, recipe.a);
        if (a === undefined) return;
        const cls = this.classOf.get(a)!;
        // Another ref of the class when there is one, not a fresh one if possible (it is no other
        // object): whether it is a's object is then up to the run.
        const others = this.classed.filter((r) => r !== a && this.classOf.get(r) === cls);
        let b = recent(others.filter((r) => !this.fresh.has(r)), recipe.b) ?? recent(others, recipe.b) ?? a;
        // A prebuilt Node and an even pick: b is what its `next` holds, checked to be a Node, as a
        // tracer reads a global's field and guards its class. @node's `next` starts as @node
        // itself, so b is then a variable that is a prebuilt object.
        if (this.isPrebuilt(a) && cls.name === 'Node' && recipe.b % 2 === 0) {
          const loaded = this.emit('getfield', [arg(a)], { result: 'ref', descr: { kind: 'field', cls: 'Node', field: 'next' } })!;
          this.loaded.add(loaded);
          this.emit('guard_class', [v(loaded)], { descr: { kind: 'class', cls: 'Node' }, exit: this.exit([]) });
          this.knowClass(loaded, cls);
          b = loaded;
        }
        const field = cls.fields[recipe.field % cls.fields.length]!;
        const descr: Descr = { kind: 'field', cls: cls.name, field: field.name };
        const read = () => {
          const result = this.emit('getfield', [arg(a)], { result: field.type, descr })!;
          if (field.type === 'ref') this.loaded.add(result);
          return result;
        };
        const first = read();
        this.emit('setfield', [arg(b), this.value(field.type, recipe.value)], { descr });
        const second = read();
        // When b is another ref, whether the write reached a shows: the second read is checked
        // against the first (a guard that fails exactly when a and b are one object and the
        // value changed), so a cache that forwards the first read to the second is caught.
        if (b !== a) this.emit('guard_value', [v(second), v(first)], { exit: this.exit([]) });
        return;
      }
      case 'escape': {
        const args = new Set<string>();
        for (const p of recipe.args) {
          const name = recent(this.live.ref, p);
          if (name !== undefined) args.add(name);
        }
        this.emit('escape', [...args].map(arg));
        return;
      }
    }
  }

  /**
   * `jump` passes one value of the right type per input: a countdown's next value in its input's
   * place, an array at least as long as the input's to an array input; `finish` a few values of
   * any type. In passing mode a ref input gets a ref of the class its guards ask for, never null.
   */
  end(recipe: TraceRecipe): void {
    const { end } = recipe;
    if (end.kind === 'jump') {
      const args = recipe.inputs.map((input, k): Arg => {
        const pick = end.args[k] ?? 0;
        const counter = this.successor.get(k);
        if (counter !== undefined) return v(counter);
        if (typeof input !== 'string') {
          // An even pick carries a fresh array (allocated here if the iteration has none that fits), an odd one any that fits.
          const fitting = this.arrays.filter((a) => a.elem === input.elem && a.length >= input.length);
          if (pick % 2 === 1) return arg(recent(fitting, pick >> 1)!.name);
          const fresh = fitting.filter((a) => this.fresh.has(a.name));
          if (fresh.length > 0) return v(recent(fresh, pick >> 1)!.name);
          return v(this.emit('new_array', [cint(input.length)], { result: 'ref', descr: { kind: 'elem', type: input.elem } })!);
        }
        if (this.options.passing && input === 'ref') {
          const cls = this.expected.cls.get(k);
          const fitting = this.live.ref.filter((r) => !this.loaded.has(r) && (cls === undefined ? true : this.classOf.get(r)?.name === cls));
          return v(recent(fitting, pick) ?? this.inputNames[k]!);
        }
        // One in four passes its own argument back unchanged: a loop-invariant argument, whose
        // preamble facts and heap reads the loop optimizations may keep (proofs-notes/loops.md).
        if (pick % 4 === 3) return v(this.inputNames[k]!);
        if (input === 'ref') {
          // Objects, not arrays (an array input has its own): a loop carries objects around.
          const objects = this.live.ref.filter((r) => !this.arrayNames.has(r));
          return arg(recent(objects, pick) ?? this.inputNames[k]!);
        }
        return this.value(input, { kind: 'var', pick });
      });
      this.emit('jump', args);
    } else {
      this.emit('finish', this.picked(end.args));
    }
  }
}

/**
 * The input set a recipe describes: only the objects its arguments reach, named in the order they
 * are reached. An array input gets an array of its own of its element type and length; an
 * argument whose first pool object `fitsTrace` takes what the trace's first guards on it expect.
 */
function buildInputSet(name: string, inputs: readonly InputRecipe[], expected: InputExpectations, recipe: InputSetRecipe, withPrebuilt: boolean): InputSet {
  const names = new Map<number | string, string>();
  const objects: HeapObjectDesc[] = [];
  const resolve = (type: Type, value: HeapValueRecipe, position: number, fitClass?: string): HeapValue => {
    switch (type) {
      case 'int':
        return { kind: 'int', value: value.edge ? INT_CONSTANTS[value.n % INT_CONSTANTS.length]! : BigInt(value.n) };
      case 'float':
        return { kind: 'float', value: value.edge ? FLOAT_CONSTANTS[value.n % FLOAT_CONSTANTS.length]! : value.n + 0.5 };
      case 'ref': {
        if (value.edge && value.n >= 4 && withPrebuilt) {
          // A prebuilt object, of the class the trace's first guard_class on the input asks for when one has it.
          const fitting = PREBUILT.find((o) => o.kind === 'object' && o.cls === fitClass);
          return { kind: 'obj', name: (fitting ?? PREBUILT[(value.n - 4) % PREBUILT.length]!).name };
        }
        if (value.edge || recipe.objects.length === 0) return { kind: 'null' };
        return { kind: 'obj', name: reach((position + value.n) % recipe.objects.length, fitClass) };
      }
    }
  };
  /** Names slot `key` and reserves its place before describing it, so shared and cyclic refs terminate. */
  const place = (key: number | string, describe: (objName: string) => HeapObjectDesc): string => {
    const known = names.get(key);
    if (known !== undefined) return known;
    const objName = `o${names.size}`;
    names.set(key, objName);
    const slot = objects.length;
    objects.push({ name: objName, kind: 'object', cls: '', fields: [] });
    objects[slot] = describe(objName);
    return objName;
  };
  const items = (elem: Type, length: number, from: readonly HeapValueRecipe[], position: number) =>
    Array.from({ length }, (_, k) => resolve(elem, from[k] ?? { edge: false, n: 0 }, position + k));
  const reach = (index: number, fitClass: string | undefined): string =>
    place(index, (objName) => {
      const obj = recipe.objects[index]!;
      const fit = CLASSES.find((c) => obj.fitsTrace && c.name === fitClass);
      if (!fit && obj.cls >= CLASSES.length) return { name: objName, kind: 'array', elem: obj.elem, items: items(obj.elem, obj.fields.length, obj.fields, index) };
      const cls = fit ?? CLASSES[obj.cls % CLASSES.length]!;
      const fields = cls.fields.map((field, k) => ({ field: field.name, value: resolve(field.type, obj.fields[k] ?? { edge: false, n: 0 }, index) }));
      return { name: objName, kind: 'object', cls: cls.name, fields };
    });
  const args: HeapValue[] = [];
  inputs.forEach((input, k) => {
    const value = recipe.args[k] ?? { edge: false, n: 0 };
    const pool = recipe.objects.length === 0 ? undefined : recipe.objects[(k + value.n) % recipe.objects.length];
    if (typeof input !== 'string') {
      const from = pool?.fields ?? [];
      args.push({ kind: 'obj', name: place(`input ${k}`, (objName) => ({ name: objName, kind: 'array', elem: input.elem, items: items(input.elem, input.length, from, k) })) });
      return;
    }
    const wanted = expected.value.get(k);
    if (wanted !== undefined && pool?.fitsTrace) {
      if (wanted.kind === 'int' && input === 'int') return args.push({ kind: 'int', value: wanted.value });
      if (wanted.kind === 'null' && input === 'ref') return args.push({ kind: 'null' });
      if (wanted.kind === 'input' && input === 'ref' && args[wanted.index]) return args.push(args[wanted.index]!);
      if (wanted.kind === 'prebuilt' && input === 'ref') return args.push({ kind: 'obj', name: wanted.name });
    }
    // A prebuilt object of the class the trace's first guard_class on the input asks for (so the
    // trace writes a prebuilt object through a variable, and reads it both ways).
    const prebuiltFit = withPrebuilt && input === 'ref' && pool?.fitsTrace && value.n >= 2 ? PREBUILT.find((o) => o.kind === 'object' && o.cls === expected.cls.get(k)) : undefined;
    if (prebuiltFit) return args.push({ kind: 'obj', name: prebuiltFit.name });
    // A counter that lasts 1 to 7 iterations: the loop runs a while, then its countdown fails.
    const perIteration = expected.countdown.get(k);
    if (perIteration !== undefined && wanted === undefined && pool?.fitsTrace && !value.edge) {
      return args.push({ kind: 'int', value: BigInt(perIteration * (1 + value.n)) });
    }
    args.push(resolve(input, value, k, expected.cls.get(k)));
  });
  return { name, args, objects };
}

/**
 * The input set of a passing-mode trace: every ref argument an object of its own, of the class
 * the trace's guards ask for (fields zero or null), every array input an array of its length,
 * every int a large counter, so that the loop runs long.
 */
function passingInputSet(inputs: readonly InputRecipe[], expected: InputExpectations): InputSet {
  const objects: HeapObjectDesc[] = [];
  const zero = (type: Type): HeapValue => (type === 'int' ? { kind: 'int', value: 0n } : type === 'float' ? { kind: 'float', value: 0.5 } : { kind: 'null' });
  const args = inputs.map((input, k): HeapValue => {
    if (input === 'int') return { kind: 'int', value: 1_000_000_000n };
    if (input === 'float') return { kind: 'float', value: 0.5 };
    const name = `o${objects.length}`;
    if (input === 'ref') {
      const cls = CLASSES.find((c) => c.name === expected.cls.get(k)) ?? CLASSES[0]!;
      objects.push({ name, kind: 'object', cls: cls.name, fields: cls.fields.map((f) => ({ field: f.name, value: zero(f.type) })) });
    } else {
      objects.push({ name, kind: 'array', elem: input.elem, items: Array.from({ length: input.length }, () => zero(input.elem)) });
    }
    return { kind: 'obj', name };
  });
  return { name: 's0', args, objects };
}

/** The classes the trace mentions, in vocabulary order: a counterexample declares no more than it needs. */
function usedClasses(ops: readonly Op[], inputSets: readonly InputSet[], prebuilt: readonly HeapObjectDesc[]): ClassDecl[] {
  const used = new Set<string>();
  for (const op of ops) if (op.descr && op.descr.kind !== 'elem') used.add(op.descr.cls);
  for (const o of [...inputSets.flatMap((set) => set.objects), ...prebuilt]) if (o.kind === 'object') used.add(o.cls);
  return CLASSES.filter((c) => used.has(c.name));
}

/**
 * The prebuilt objects the trace mentions (operands, exits, input sets) and those they point at,
 * in vocabulary order: a counterexample declares no more than it needs.
 */
export function usedPrebuilt(ops: readonly Op[], inputSets: readonly InputSet[], pool: readonly HeapObjectDesc[] = PREBUILT): HeapObjectDesc[] {
  const used = new Set<string>();
  const work: string[] = [];
  const mention = (value: { kind: string; name?: string }) => {
    if ((value.kind === 'prebuilt' || value.kind === 'obj') && pool.some((o) => o.name === value.name) && !used.has(value.name!)) {
      used.add(value.name!);
      work.push(value.name!);
    }
  };
  for (const op of ops) {
    op.args.forEach(mention);
    op.exit?.values.forEach(mention);
    for (const virtual of op.exit?.virtuals ?? []) (virtual.kind === 'object' ? virtual.fields.map((f) => f.value) : virtual.items).forEach(mention);
  }
  for (const set of inputSets) {
    set.args.forEach(mention);
    for (const o of set.objects) (o.kind === 'object' ? o.fields.map((f) => f.value) : o.items).forEach(mention);
  }
  for (let name = work.pop(); name !== undefined; name = work.pop()) {
    const o = pool.find((x) => x.name === name)!;
    (o.kind === 'object' ? o.fields.map((f) => f.value) : o.items).forEach(mention);
  }
  return pool.filter((o) => used.has(o.name));
}

/**
 * The trace a recipe describes. `maxOps`: stop applying op recipes once the trace has that many
 * ops (then end it), so that a benchmark gets about the size it asks for.
 */
export function buildTrace(recipe: TraceRecipe, options: BuildOptions & { readonly maxOps?: number } = {}): Trace {
  const builder = new TraceBuilder(options, recipe.prebuilt === true);
  const inputNames = builder.defineInputs(recipe.inputs);
  for (const op of recipe.ops) {
    if (options.maxOps !== undefined && builder.ops.length >= options.maxOps - 1) break;
    builder.apply(op);
  }
  builder.end(recipe);
  const inputSets = options.passing
    ? [passingInputSet(recipe.inputs, builder.expected)]
    : recipe.inputSets.map((set, k) => buildInputSet(`s${k}`, recipe.inputs, builder.expected, set, recipe.prebuilt === true));
  const prebuilt = usedPrebuilt(builder.ops, inputSets);
  const trace: Trace = {
    classes: usedClasses(builder.ops, inputSets, prebuilt),
    inputs: inputNames.map((name) => ({ name })),
    ops: builder.ops,
    inputSets,
  };
  return prebuilt.length > 0 ? { ...trace, prebuilt } : trace;
}
