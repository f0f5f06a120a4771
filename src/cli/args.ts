/**
 * Command-line arguments: positionals and `--flag [value]` options, checked against what each
 * command declares, so that a typo is one clear message (exit 2) instead of a silently ignored
 * option.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--help` or `-h` among a command's arguments: print the command's usage, exit 0. */
export class HelpRequested extends Error {
  constructor(readonly command: string) {
    super(`help for ${command}`);
    this.name = 'HelpRequested';
  }
}

export interface OptionSpec {
  /** 'flag' takes no value; 'int' a non-negative integer; 'string' any value. */
  readonly kind: 'flag' | 'int' | 'string';
  readonly help: string;
  /** How the value shows in usage lines (default: N for an int, the option's name in capitals). */
  readonly value?: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

/** How an option's value shows in usage lines: `--fuel N`, `--input INPUT`. */
export function optionSyntax(name: string, option: OptionSpec): string {
  return `--${name}${option.kind === 'flag' ? '' : ` ${option.value ?? (option.kind === 'int' ? 'N' : name.toUpperCase())}`}`;
}

/**
 * Splits `argv` into positionals and options. `--help` or `-h` anywhere (not as an option's
 * value) raises HelpRequested; `--` ends the options (what follows is positional, even `-x`).
 */
export function parseArgs(
  command: string,
  argv: readonly string[],
  spec: Readonly<Record<string, OptionSpec>>,
  positionals: { min: number; max: number; names: string },
): ParsedArgs {
  const pos: string[] = [];
  const options = new Map<string, string | true>();
  const known = () => Object.keys(spec).map((n) => `--${n}`).join(', ') || 'none';
  let optionsEnded = false;
  for (let k = 0; k < argv.length; k++) {
    const word = argv[k]!;
    if (optionsEnded || word === '-' || !word.startsWith('-')) {
      pos.push(word);
      continue;
    }
    if (word === '--') {
      optionsEnded = true;
      continue;
    }
    if (word === '--help' || word === '-h') throw new HelpRequested(command);
    if (!word.startsWith('--')) {
      // `-x`: boxless has no short options (a file whose name starts with '-' can follow `--`).
      throw new UsageError(`${command}: unknown option ${word} (options: ${known()}; see boxless ${command} --help)`);
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq < 0 ? undefined : eq);
    const option = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!option) {
      throw new UsageError(`${command}: unknown option --${name} (options: ${known()}; see boxless ${command} --help)`);
    }
    if (option.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
      options.set(name, true);
      continue;
    }
    const value = eq >= 0 ? word.slice(eq + 1) : argv[++k];
    if (value === undefined) throw new UsageError(`${command}: --${name} needs a value`);
    if (option.kind === 'int' && !/^[0-9]+$/.test(value)) {
      throw new UsageError(`${command}: --${name} needs a non-negative integer, got '${value}'`);
    }
    options.set(name, value);
  }
  if (pos.length < positionals.min || pos.length > positionals.max) {
    throw new UsageError(`${command}: expected ${positionals.names || 'no arguments'}, got ${pos.length === 0 ? 'none' : pos.join(' ')}`);
  }
  return { positionals: pos, options };
}

export function intOption(args: ParsedArgs, name: string, fallback: number): number {
  const value = args.options.get(name);
  if (value === undefined || value === true) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name}: ${value} is too large`);
  return n;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** Seeds fast-check takes without aliasing: it keeps 32 bits, signed (2^32 would run as 0). */
export const SEED_MIN = -(2 ** 31);
export const SEED_MAX = 2 ** 31 - 1;

/** `--seed S`: an integer in [SEED_MIN, SEED_MAX], or undefined when not given. */
export function seedOption(args: ParsedArgs, name = 'seed'): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  if (!/^-?[0-9]+$/.test(text)) throw new UsageError(`--${name}: expected an integer, got '${text}'`);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < SEED_MIN || seed > SEED_MAX) {
    throw new UsageError(`--${name}: ${text} is out of range (a seed is from ${SEED_MIN} to ${SEED_MAX}: fast-check keeps 32 bits, so larger ones would alias smaller ones)`);
  }
  return seed;
}
