/**
 * The parser of the trace text format (grammar: README.md, "Trace text"): text to a validated
 * `Trace`.
 *
 * Contract: `parseTrace` returns a trace the validator accepts, or throws a `TraceError` with a
 * location: a syntax error from here, or a validation error (the parser gives every class, input,
 * op, operand, descr, exit value, virtual, input set and heap item its `loc`, so the validator can
 * point at the offending item). Nothing else is ever thrown,
 * whatever the input: literals are range-checked before they are converted, and nothing recurses
 * on the input (nesting in the grammar is at most a few levels deep and parsed by loops).
 *
 * The parser is one forward pass over the tokens, dispatching on operand kinds from the op table
 * (src/ir/ops.ts), so a new op needs no parser change. Two things need context:
 *  - a guard written without `[...]` gets every variable defined so far as fail args, and without
 *    `id=N` its position among the trace's guards as id;
 *  - a bare field name means the one class that declares it. Classes may be declared anywhere in
 *    the file, so field names are resolved after the whole file is read.
 * Type and scope checks are the validator's, not repeated here.
 *
 * Cost is linear in the size of the trace it builds. (A guard with default fail args is as big as
 * the number of variables before it; consecutive such guards share one array.)
 */
import {
  type Arg,
  type ClassDecl,
  type Descr,
  type ExitDesc,
  type ExitValue,
  type FieldDecl,
  type HeapObjectDesc,
  type HeapValue,
  type Input,
  type InputSet,
  isOpName,
  type Loc,
  type Op,
  opInfo,
  OPS,
  type Trace,
  TraceError,
  type Type,
  validate,
  VAR_NAME,
  type VirtualDesc,
} from '../ir/index.ts';
import { describeToken, type Token, tokenize } from './lexer.ts';

/**
 * Parses and validates a trace. Errors carry only a line and column: the caller names the file
 * when it formats them (`formatTraceError`); `file` is accepted for callers that pass it along.
 */
export function parseTrace(source: string, file?: string): Trace {
  const tokens = tokenize(source);
  const trace = new Parser(tokens).parseFile();
  try {
    return validate(trace);
  } catch (err) {
    // The validator locates everything it can; the rest ("no ops at all") is about the file's end.
    if (err instanceof TraceError && !err.loc) throw new TraceError(err.what, err.message, tokens[tokens.length - 1]!.loc);
    throw err;
  }
}

const TYPES: ReadonlySet<string> = new Set<Type>(['int', 'float', 'ref']);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** A bare field name in an op, resolved once every class is known. */
interface FieldReference {
  readonly opIndex: number;
  readonly field: string;
  readonly loc: Loc;
}

class Parser {
  private pos = 0;
  private readonly classes: ClassDecl[] = [];
  private inputs: Input[] | null = null;
  private inputsLoc: Loc | null = null;
  private readonly ops: Op[] = [];
  private readonly inputSets: InputSet[] = [];
  private readonly prebuilt: HeapObjectDesc[] = [];
  private readonly fieldReferences: FieldReference[] = [];
  private guardCount = 0;
  /** Every variable defined so far, as the fail args of a guard without `[...]`. */
  private readonly defined: Arg[] = [];
  /** The last default fail args handed out, shared while no variable is defined in between. */
  private defaultFailArgs: readonly Arg[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  parseFile(): Trace {
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'newline') {
        this.pos++;
        continue;
      }
      const what = this.parseItem();
      const end = this.peek();
      if (end.kind !== 'newline' && end.kind !== 'eof') this.fail(`expected end of line after ${what}, found ${describeToken(end)}`);
    }
    if (!this.inputs) this.fail('expected the inputs of the trace, a line like [p0, i1]');
    const trace: Trace = {
      classes: this.classes,
      inputs: this.inputs,
      ops: this.resolveFieldReferences(),
      inputSets: this.inputSets,
    };
    return this.prebuilt.length > 0 ? { ...trace, prebuilt: this.prebuilt } : trace;
  }

  /** Parses one item; returns how it reads in "expected end of line after …". */
  private parseItem(): string {
    const first = this.peek();
    const second = this.peek(1);
    if (isName(first, 'class')) return `the class ${this.parseClass()}`;
    if (isName(first, 'input')) return `the input set ${this.parseInputSet()}`;
    if (isName(first, 'prebuilt')) return `the prebuilt object ${this.parsePrebuilt()}`;
    if (isPunct(first, '[')) {
      this.parseInputs();
      return 'the inputs';
    }
    if (first.kind === 'name' && (isPunct(second, '=') || isPunct(second, '('))) return `the op ${this.parseOp()}`;
    if (first.kind === 'name') this.fail(`expected '(' after ${first.text}, found ${describeToken(second)}`, second);
    this.fail(`expected a class, a prebuilt object, the inputs, an op or an input set, found ${describeToken(first)}`);
  }

  // --- class Name(field: type, ...) ----------------------------------------------------------

  /** Parses a class declaration; returns its name. */
  private parseClass(): string {
    const loc = this.next().loc;
    const name = this.expectName("a class name after 'class'");
    this.expectPunct('(', `after class ${name}`);
    const fields: FieldDecl[] = [];
    this.parseList(')', `the fields of class ${name}`, () => {
      const loc = this.peek().loc;
      const field = this.expectName(`a field name of class ${name}`);
      this.expectPunct(':', `after field ${field} of class ${name}`);
      fields.push({ name: field, type: this.parseType(`the type of field ${name}.${field}`), loc });
    });
    this.classes.push({ name, fields, loc });
    return name;
  }

  // --- [p0, i1] ------------------------------------------------------------------------------

  private parseInputs(): void {
    const open = this.peek();
    if (this.inputsLoc) this.fail(`a trace has one inputs line, and it was given at line ${this.inputsLoc.line}`);
    if (this.ops.length > 0) this.fail('the inputs must come before the first op');
    this.next();
    const inputs: Input[] = [];
    this.parseList(']', 'the inputs', () => {
      const token = this.peek();
      if (token.kind !== 'name' || !VAR_NAME.test(token.text)) {
        this.fail(`expected an input variable (i…, f… or p… then a digit), found ${describeToken(token)}`);
      }
      this.next();
      inputs.push({ name: token.text, loc: token.loc });
      this.define(token.text);
    });
    this.inputs = inputs;
    this.inputsLoc = open.loc;
  }

  // --- [result =] name(operands) [failargs] [with virtuals] ----------------------------------

  /** Parses an op; returns its name. */
  private parseOp(): string {
    const loc = this.peek().loc;
    if (!this.inputs) this.fail('expected the inputs of the trace, a line like [p0, i1], before the first op');
    let result: string | null = null;
    if (isPunct(this.peek(1), '=')) {
      const token = this.next();
      if (!VAR_NAME.test(token.text)) {
        this.fail(`expected a variable name (i…, f… or p… then a digit) before '=', found ${describeToken(token)}`, token);
      }
      result = token.text;
      this.next();
    }
    const nameToken = this.peek();
    if (nameToken.kind !== 'name') this.fail(`expected an operation after '=', found ${describeToken(nameToken)}`);
    const name = nameToken.text;
    if (!isOpName(name)) this.fail(`unknown operation ${name}`);
    this.next();
    const info = OPS[name];
    const isGuard = opInfo(name).effects.exits === true;
    this.expectPunct('(', `after ${name}`);

    const args: Arg[] = [];
    let descr: Descr | null = null;
    if ('variadic' in info) {
      if (!isPunct(this.peek(), ')')) {
        do args.push(this.parseValue(`argument ${args.length + 1} of ${name}`));
        while (this.acceptPunct(','));
      }
    } else {
      for (const [k, kind] of info.operands.entries()) {
        const operand = `operand ${k + 1} of ${name}`;
        if (k > 0) this.expectPunct(',', `before ${operand} (${name} takes ${info.operands.length})`);
        switch (kind) {
          case 'class': {
            const loc = this.peek().loc;
            descr = { kind: 'class', cls: this.expectName(`a class name as ${operand}`), loc };
            break;
          }
          case 'field':
            descr = this.parseFieldDescr(operand);
            break;
          case 'elem': {
            const loc = this.peek().loc;
            descr = { kind: 'elem', type: this.parseType(`an element type as ${operand}`), loc };
            break;
          }
          default:
            args.push(this.parseValue(operand));
        }
      }
    }
    let guardId = -1;
    if (isGuard) {
      const idAt = info.operands.length > 0 ? 1 : 0;
      if ((idAt === 0 || isPunct(this.peek(), ',')) && isName(this.peek(idAt), 'id') && isPunct(this.peek(idAt + 1), '=')) {
        this.pos += idAt + 2;
        guardId = this.parseGuardId(name);
      } else {
        guardId = this.guardCount;
      }
      this.guardCount++;
    }
    this.expectPunct(')', `after the operands of ${name}`);

    const exitLoc = this.peek().loc;
    const failArgs = isPunct(this.peek(), '[') ? this.parseFailArgs(name) : null;
    const virtuals = isName(this.peek(), 'with') ? this.parseVirtuals(name) : null;
    let exit: ExitDesc | null = null;
    if (failArgs || virtuals) {
      exit = { values: failArgs ?? (isGuard ? this.defaultFailArgsNow() : []), virtuals: virtuals ?? [], loc: exitLoc };
    } else if (isGuard) {
      exit = { values: this.defaultFailArgsNow(), virtuals: [] };
    }

    if (result !== null) this.define(result);
    this.ops.push({ name, result, args, descr, guardId, exit, loc });
    return name;
  }

  private parseGuardId(op: string): number {
    const token = this.peek();
    if (token.kind !== 'int' || token.text.startsWith('-')) {
      this.fail(`expected a guard id (a number >= 0) after 'id=' in ${op}, found ${describeToken(token)}`);
    }
    return this.parseIndex(`guard id of ${op}`);
  }

  /** `field` or `Class.field`; a bare name is resolved when all classes are known. */
  private parseFieldDescr(operand: string): Descr {
    const token = this.peek();
    const first = this.expectName(`a field name (f or Class.f) as ${operand}`);
    if (this.acceptPunct('.')) return { kind: 'field', cls: first, field: this.expectName(`a field name after '${first}.'`), loc: token.loc };
    this.fieldReferences.push({ opIndex: this.ops.length, field: first, loc: token.loc });
    return { kind: 'field', cls: '', field: first, loc: token.loc };
  }

  private resolveFieldReferences(): Op[] {
    const owners = new Map<string, string[]>();
    for (const c of this.classes) {
      for (const f of c.fields) {
        const classes = owners.get(f.name) ?? [];
        if (!classes.includes(c.name)) classes.push(c.name);
        owners.set(f.name, classes);
      }
    }
    for (const { opIndex, field, loc } of this.fieldReferences) {
      const classes = owners.get(field) ?? [];
      if (classes.length === 0) throw new TraceError('syntax', `no class declares a field ${field}`, loc);
      if (classes.length > 1) {
        const choices = classes.map((c) => `${c}.${field}`);
        throw new TraceError(
          'syntax',
          `field ${field} is declared by ${andList(classes)}: write ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`,
          loc,
        );
      }
      const op = this.ops[opIndex]!;
      this.ops[opIndex] = { ...op, descr: { kind: 'field', cls: classes[0]!, field, loc } };
    }
    return this.ops;
  }

  // --- exits: [exitval, ...] with $0 = Class{f: v}, $1 = int[v, ...] ---------------------------

  private parseFailArgs(op: string): ExitValue[] {
    this.next();
    const values: ExitValue[] = [];
    this.parseList(']', `the fail args of ${op}`, () => values.push(this.parseExitValue(`fail arg ${values.length + 1} of ${op}`)));
    return values;
  }

  private parseVirtuals(op: string): VirtualDesc[] {
    this.next();
    const byIndex = new Map<number, VirtualDesc>();
    let highest: { index: number; token: Token } | null = null;
    do {
      const token = this.peek();
      if (token.kind !== 'virtual') this.fail(`expected a virtual ($0, $1, …) after 'with' or ',' in ${op}, found ${describeToken(token)}`);
      const index = this.parseIndex(`virtual of ${op}`);
      if (byIndex.has(index)) this.fail(`${op} describes $${index} twice`, token);
      if (!highest || index > highest.index) highest = { index, token };
      this.expectPunct('=', `after $${index}`);
      byIndex.set(index, this.parseVirtual(`$${index}`, token.loc));
    } while (this.acceptPunct(','));
    if (highest!.index >= byIndex.size) {
      const n = byIndex.size;
      this.fail(`$${highest!.index} leaves a gap: the ${n} virtual(s) of ${op} must be numbered $0 to $${n - 1}`, highest!.token);
    }
    return Array.from({ length: byIndex.size }, (_, k) => byIndex.get(k)!);
  }

  private parseVirtual(what: string, loc: Loc): VirtualDesc {
    const head = this.expectName(`a class name or an element type after '${what} ='`);
    if (TYPES.has(head) && isPunct(this.peek(), '[')) {
      this.next();
      const items: ExitValue[] = [];
      this.parseList(']', `the items of ${what}`, () => items.push(this.parseExitValue(`item ${items.length} of ${what}`)));
      return { kind: 'array', elem: head as Type, items, loc };
    }
    this.expectPunct('{', `after the class name of ${what}`);
    const fields: { field: string; value: ExitValue; loc: Loc }[] = [];
    this.parseList('}', `the fields of ${what}`, () => {
      const fieldLoc = this.peek().loc;
      const field = this.expectName(`a field name of ${what}`);
      this.expectPunct(':', `after ${what}.${field}`);
      fields.push({ field, value: this.parseExitValue(`${what}.${field}`), loc: fieldLoc });
    });
    return { kind: 'object', cls: head, fields, loc };
  }

  private parseExitValue(what: string): ExitValue {
    const token = this.peek();
    if (token.kind === 'virtual') return { kind: 'virtual', index: this.parseIndex(what), loc: token.loc };
    return this.parseValue(what, ', or a virtual $k');
  }

  // --- input NAME [heapval, ...] with @a = Class{f: v}, @b = int[1, 2] -------------------------

  /** Parses an input set; returns its name. */
  private parseInputSet(): string {
    this.next();
    const loc = this.peek().loc;
    const name = this.expectName("the name of an input set after 'input'");
    const where = `input set ${name}`;
    this.expectPunct('[', `after input ${name}`);
    const args: HeapValue[] = [];
    this.parseList(']', `the values of ${where}`, () => args.push(this.parseHeapValue(`value ${args.length + 1} of ${where}`)));
    const objects: HeapObjectDesc[] = [];
    if (isName(this.peek(), 'with')) {
      this.next();
      do objects.push(this.parseHeapObject(where));
      while (this.acceptPunct(','));
    }
    this.inputSets.push({ name, args, objects, loc });
    return name;
  }

  // --- prebuilt @a = Class{f: v}, @b = int[1, 2] ----------------------------------------------

  /** Parses a prebuilt declaration (one or more objects); returns the last object's name. */
  private parsePrebuilt(): string {
    this.next();
    let last: HeapObjectDesc;
    do this.prebuilt.push((last = this.parseHeapObject('a prebuilt declaration')));
    while (this.acceptPunct(','));
    return `@${last.name}`;
  }

  private parseHeapObject(where: string): HeapObjectDesc {
    const token = this.peek();
    if (token.kind !== 'object') this.fail(`expected an object (@name = …) in ${where}, found ${describeToken(token)}`);
    this.next();
    const name = token.text;
    const loc = token.loc;
    this.expectPunct('=', `after @${name}`);
    const head = this.expectName(`a class name or an element type after '@${name} ='`);
    if (TYPES.has(head) && isPunct(this.peek(), '[')) {
      this.next();
      const items: HeapValue[] = [];
      this.parseList(']', `the items of @${name}`, () => items.push(this.parseHeapValue(`item ${items.length} of @${name}`)));
      return { name, kind: 'array', elem: head as Type, items, loc };
    }
    this.expectPunct('{', `after the class name of @${name}`);
    const fields: { field: string; value: HeapValue; loc: Loc }[] = [];
    this.parseList('}', `the fields of @${name}`, () => {
      const fieldLoc = this.peek().loc;
      const field = this.expectName(`a field name of @${name}`);
      this.expectPunct(':', `after @${name}.${field}`);
      fields.push({ field, value: this.parseHeapValue(`@${name}.${field}`), loc: fieldLoc });
    });
    return { name, kind: 'object', cls: head, fields, loc };
  }

  private parseHeapValue(what: string): HeapValue {
    const token = this.peek();
    if (token.kind === 'object') {
      this.next();
      return withHiddenLoc({ kind: 'obj', name: token.text }, token.loc);
    }
    const value = this.parseConstant();
    if (!value) this.fail(`expected ${what} (a number, null or an object @name), found ${describeToken(token)}`);
    return withHiddenLoc({ ...value }, token.loc);
  }

  // --- values ----------------------------------------------------------------------------------

  /** A value operand: a variable, an int, a float, null or a prebuilt object. */
  private parseValue(what: string, alternatives = ''): Arg {
    const token = this.peek();
    if (token.kind === 'name' && VAR_NAME.test(token.text)) {
      this.next();
      return { kind: 'var', name: token.text, loc: token.loc };
    }
    if (token.kind === 'object') {
      this.next();
      return { kind: 'prebuilt', name: token.text, loc: token.loc };
    }
    const value = this.parseConstant();
    if (!value) this.fail(`expected ${what} (a variable, a number, null or a prebuilt object @name${alternatives}), found ${describeToken(token)}`);
    return { ...value, loc: token.loc };
  }

  /** An int, float or null literal, or nothing (without consuming) if the next token is none. */
  private parseConstant(): (Arg & HeapValue) | null {
    const token = this.peek();
    switch (token.kind) {
      case 'int': {
        this.next();
        return { kind: 'int', value: int64(token) };
      }
      case 'float': {
        this.next();
        return { kind: 'float', value: float64(token) };
      }
      case 'name': {
        const named = NAMED_CONSTANTS.get(token.text);
        if (named) this.next();
        return named ?? null;
      }
      default:
        return null;
    }
  }

  private parseType(what: string): Type {
    const token = this.peek();
    if (token.kind !== 'name' || !TYPES.has(token.text)) this.fail(`expected ${what} (int, float or ref), found ${describeToken(token)}`);
    this.next();
    return token.text as Type;
  }

  /** A small non-negative number: a guard id or the k of `$k`. */
  private parseIndex(what: string): number {
    const token = this.next();
    const value = token.text.length <= 15 ? Number(token.text) : Infinity;
    if (!Number.isSafeInteger(value)) throw new TraceError('syntax', `${what} ${token.text} is too large`, token.loc);
    return value;
  }

  // --- variables -------------------------------------------------------------------------------

  private define(name: string): void {
    this.defined.push({ kind: 'var', name });
  }

  private defaultFailArgsNow(): readonly Arg[] {
    if (this.defaultFailArgs.length !== this.defined.length) this.defaultFailArgs = this.defined.slice();
    return this.defaultFailArgs;
  }

  // --- tokens ----------------------------------------------------------------------------------

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private acceptPunct(text: string): boolean {
    if (!isPunct(this.peek(), text)) return false;
    this.pos++;
    return true;
  }

  private expectPunct(text: string, context: string): void {
    if (this.acceptPunct(text)) return;
    const found = this.peek();
    const prev = this.tokens[this.pos - 1];
    if (prev && prev.kind !== 'newline' && found.loc.line > prev.loc.line) {
      // Inside brackets (or after ',') a line goes on, so the token found is on a later line and
      // is not itself wrong: what is missing is missing at the end of this line, so point there.
      const what = found.kind === 'eof' ? describeToken(found) : `${describeToken(found)} on line ${found.loc.line}`;
      throw new TraceError('syntax', `expected '${text}' ${context}, found ${what}`, { line: prev.loc.line, col: prev.endCol });
    }
    this.fail(`expected '${text}' ${context}, found ${describeToken(found)}`);
  }

  private expectName(what: string): string {
    const token = this.peek();
    if (token.kind !== 'name') this.fail(`expected ${what}, found ${describeToken(token)}`);
    this.next();
    return token.text;
  }

  /** `[item {',' item}] close`, the opening bracket already consumed. */
  private parseList(close: string, what: string, item: () => void): void {
    if (this.acceptPunct(close)) return;
    do item();
    while (this.acceptPunct(','));
    this.expectPunct(close, `after ${what}`);
  }

  private fail(message: string, at: Token = this.peek()): never {
    throw new TraceError('syntax', message, at.loc);
  }
}

const NAMED_CONSTANTS: ReadonlyMap<string, Arg & HeapValue> = new Map<string, Arg & HeapValue>([
  ['null', { kind: 'null' }],
  ['nan', { kind: 'float', value: NaN }],
  ['inf', { kind: 'float', value: Infinity }],
]);

function int64(token: Token): bigint {
  const digits = token.text.replace(/^-?0*/, '');
  // More than 19 significant digits is out of range; checking first keeps BigInt off huge strings.
  const value = digits.length <= 19 ? BigInt(token.text) : null;
  if (value === null || value < INT64_MIN || value > INT64_MAX) {
    const shown = token.text.length > 40 ? `${token.text.slice(0, 30)}…` : token.text;
    throw new TraceError('syntax', `${shown} does not fit in a 64-bit int (${INT64_MIN} to ${INT64_MAX})`, token.loc);
  }
  return value;
}

function float64(token: Token): number {
  if (token.text === '-inf') return -Infinity;
  const value = Number(token.text);
  if (!Number.isFinite(value)) throw new TraceError('syntax', `${token.text} is too large for a float (write inf for infinity)`, token.loc);
  return value;
}

/**
 * A heap value with its `loc` as a non-enumerable property. Executors hand an input set's values
 * out as run-time values as they are, so an enumerable `loc` would show up in every outcome
 * (and in every comparison of one); hidden, only the validator sees it.
 */
function withHiddenLoc(value: HeapValue, loc: Loc): HeapValue {
  return Object.defineProperty(value, 'loc', { value: loc, enumerable: false });
}

function isName(token: Token, text: string): boolean {
  return token.kind === 'name' && token.text === text;
}

function isPunct(token: Token, text: string): boolean {
  return token.kind === 'punct' && token.text === text;
}

function andList(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
