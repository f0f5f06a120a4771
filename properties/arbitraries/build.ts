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
 *    with a constant length, at constant indices below it, with values of the element type;
 *  - every int and float op is total.
 * Guard fail args are an explicit short list (at most three picks), never "every value so far".
 *
 * So that loops run a while before a guard fails, a countdown recipe makes the jump pass its
 * decremented counter back in its input's place, and input objects reached directly from an
 * argument may take the class the trace's first `guard_class` on that input asks for.
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
  type Trace,
  type Type,
  v,
} from '../../src/ir/index.ts';
import {
  CLASSES,
  FLOAT_CONSTANTS,
  type HeapValueRecipe,
  INT_CONSTANTS,
  type InputSetRecipe,
  type Operand,
  type OpRecipe,
  type Picks,
  type TraceRecipe,
} from './recipes.ts';

const LETTER: Record<Type, string> = { int: 'i', float: 'f', ref: 'p' };

/** `list[pick]` counted from the end, modulo the length: pick 0 is the most recent value. */
function recent<T>(list: readonly T[], pick: number): T | undefined {
  return list.length === 0 ? undefined : list[list.length - 1 - (pick % list.length)];
}

interface LiveArray {
  readonly name: string;
  readonly elem: Type;
  readonly length: number;
}

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
  /** Countdowns: the value the jump passes back in an int input's place. */
  private readonly successor = new Map<number, string>();
  /** The class the first `guard_class` on each input asks for, by input position. */
  readonly expectedClass = new Map<number, string>();

  defineInputs(types: readonly Type[]): string[] {
    return types.map((type, k) => {
      const name = this.define(type);
      this.inputNames.push(name);
      this.inputIndex.set(name, k);
      if (type === 'int') this.intInputs.push(k);
      return name;
    });
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
      if (name !== undefined) return v(name);
    }
    const index = operand.kind === 'const' ? operand.index : operand.pick;
    switch (type) {
      case 'int':
        return cint(INT_CONSTANTS[index % INT_CONSTANTS.length]!);
      case 'float':
        return cfloat(FLOAT_CONSTANTS[index % FLOAT_CONSTANTS.length]!);
      case 'ref':
        return NULL;
    }
  }

  /** A few distinct live values of any type. */
  picked(picks: Picks): Arg[] {
    const names = new Set<string>();
    for (const p of picks) {
      const name = recent(this.all, p);
      if (name !== undefined) names.add(name);
    }
    return [...names].map(v);
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
        return;
      }
      case 'setfield':
      case 'getfield': {
        const obj = recent(this.classed, recipe.target);
        if (obj === undefined) return;
        const cls = this.classOf.get(obj)!;
        const field = cls.fields[recipe.field % cls.fields.length]!;
        const descr: Descr = { kind: 'field', cls: cls.name, field: field.name };
        if (recipe.kind === 'getfield') this.emit('getfield', [v(obj)], { result: field.type, descr });
        else this.emit('setfield', [v(obj), this.value(field.type, recipe.value)], { descr });
        return;
      }
      case 'setarrayitem':
      case 'getarrayitem':
      case 'arraylen': {
        const array = recent(this.arrays, recipe.target);
        if (array === undefined) return;
        const descr: Descr = { kind: 'elem', type: array.elem };
        if (recipe.kind === 'arraylen') {
          this.emit('arraylen', [v(array.name)], { result: 'int' });
          return;
        }
        if (array.length === 0) return;
        const index = cint(recipe.index % array.length);
        if (recipe.kind === 'getarrayitem') this.emit('getarrayitem', [v(array.name), index], { result: array.elem, descr });
        else this.emit('setarrayitem', [v(array.name), index, this.value(array.elem, recipe.value)]);
        return;
      }
      case 'ptrCompare':
        this.emit(recipe.op, [this.value('ref', recipe.a), this.value('ref', recipe.b)], { result: 'int' });
        return;
      case 'guardClass': {
        const target = recent(this.live.ref, recipe.target);
        if (target === undefined) return;
        const cls = CLASSES[recipe.cls % CLASSES.length]!;
        const known = this.classOf.get(target);
        if ((known !== undefined && known !== cls) || this.arrayNames.has(target)) return;
        this.emit('guard_class', [v(target)], { descr: { kind: 'class', cls: cls.name }, exit: this.exit(recipe.failArgs) });
        this.knowClass(target, cls);
        const input = this.inputIndex.get(target);
        if (input !== undefined && !this.expectedClass.has(input)) this.expectedClass.set(input, cls.name);
        return;
      }
      case 'guardNull': {
        const target = recent(this.live.ref, recipe.target);
        if (target === undefined) return;
        this.emit(recipe.op, [v(target)], { exit: this.exit(recipe.failArgs) });
        return;
      }
      case 'guardCompare': {
        const condition = this.emit(recipe.op, [this.value('int', recipe.a), this.value('int', recipe.b)], { result: 'int' })!;
        this.emit(recipe.sense, [v(condition)], { exit: this.exit(recipe.failArgs) });
        return;
      }
      case 'countdown': {
        const input = recent(this.intInputs, recipe.input);
        if (input === undefined) return;
        const counter = this.successor.get(input) ?? this.inputNames[input]!;
        const next = this.emit('int_sub', [v(counter), cint(recipe.step)], { result: 'int' })!;
        const condition = this.emit('int_ge', [v(next), cint(0)], { result: 'int' })!;
        this.emit('guard_true', [v(condition)], { exit: this.exit(recipe.failArgs) });
        this.successor.set(input, next);
        return;
      }
      case 'guardValue':
        this.emit('guard_value', [this.value('int', recipe.a), this.value('int', recipe.b)], { exit: this.exit(recipe.failArgs) });
        return;
      case 'escape': {
        const args = new Set<string>();
        for (const p of recipe.args) {
          const name = recent(this.live.ref, p);
          if (name !== undefined) args.add(name);
        }
        this.emit('escape', [...args].map(v));
        return;
      }
    }
  }

  /** `jump` passes one value of the right type per input (a countdown's next value in its input's place); `finish` a few values of any type. */
  end(recipe: TraceRecipe): void {
    const { end } = recipe;
    if (end.kind === 'jump') {
      const args = recipe.inputs.map((type, k) => {
        const counter = this.successor.get(k);
        return counter !== undefined ? v(counter) : this.value(type, { kind: 'var', pick: end.args[k] ?? 0 });
      });
      this.emit('jump', args);
    } else {
      this.emit('finish', this.picked(end.args));
    }
  }
}

/** The input set a recipe describes: only the objects its arguments reach, named in the order they are reached. */
function buildInputSet(
  name: string,
  inputs: readonly Type[],
  expectedClass: ReadonlyMap<number, string>,
  recipe: InputSetRecipe,
): InputSet {
  const names = new Map<number, string>();
  const objects: HeapObjectDesc[] = [];
  const resolve = (type: Type, value: HeapValueRecipe, position: number, fitClass?: string): HeapValue => {
    switch (type) {
      case 'int':
        return { kind: 'int', value: value.edge ? INT_CONSTANTS[value.n % INT_CONSTANTS.length]! : BigInt(value.n) };
      case 'float':
        return { kind: 'float', value: value.edge ? FLOAT_CONSTANTS[value.n % FLOAT_CONSTANTS.length]! : value.n + 0.5 };
      case 'ref': {
        if (value.edge || recipe.objects.length === 0) return { kind: 'null' };
        return { kind: 'obj', name: reach((position + value.n) % recipe.objects.length, fitClass) };
      }
    }
  };
  // Depth-first, naming an object before describing it, so shared and cyclic refs terminate.
  const reach = (index: number, fitClass: string | undefined): string => {
    const known = names.get(index);
    if (known !== undefined) return known;
    const objName = `o${names.size}`;
    names.set(index, objName);
    const slot = objects.length;
    objects.push({ name: objName, kind: 'object', cls: '', fields: [] });
    const obj = recipe.objects[index]!;
    const cls = CLASSES.find((c) => obj.fitsTrace && c.name === fitClass) ?? CLASSES[obj.cls % CLASSES.length]!;
    const fields = cls.fields.map((field, k) => ({
      field: field.name,
      value: resolve(field.type, obj.fields[k] ?? { edge: false, n: 0 }, index),
    }));
    objects[slot] = { name: objName, kind: 'object', cls: cls.name, fields };
    return objName;
  };
  const args = inputs.map((type, k) => resolve(type, recipe.args[k] ?? { edge: false, n: 0 }, k, expectedClass.get(k)));
  return { name, args, objects };
}

/** The classes the trace mentions, in vocabulary order: a counterexample declares no more than it needs. */
function usedClasses(ops: readonly Op[], inputSets: readonly InputSet[]): ClassDecl[] {
  const used = new Set<string>();
  for (const op of ops) if (op.descr && op.descr.kind !== 'elem') used.add(op.descr.cls);
  for (const set of inputSets) for (const o of set.objects) if (o.kind === 'object') used.add(o.cls);
  return CLASSES.filter((c) => used.has(c.name));
}

export function buildTrace(recipe: TraceRecipe): Trace {
  const builder = new TraceBuilder();
  const inputNames = builder.defineInputs(recipe.inputs);
  for (const op of recipe.ops) builder.apply(op);
  builder.end(recipe);
  const inputSets = recipe.inputSets.map((set, k) => buildInputSet(`s${k}`, recipe.inputs, builder.expectedClass, set));
  return {
    classes: usedClasses(builder.ops, inputSets),
    inputs: inputNames.map((name) => ({ name })),
    ops: builder.ops,
    inputSets,
  };
}
