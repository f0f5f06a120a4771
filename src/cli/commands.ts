/**
 * The subcommands of `boxless`, one entry each: what it does, what it takes, and its body.
 * Bodies stay thin: parsing, running, optimizing and comparing live in their layers; here we
 * only choose what to run and print it.
 */
import type { InputSet, Outcome, Trace } from '../ir/index.ts';
import { optimize, PASSES, DEFAULT_PIPELINE } from '../optimizer/pipeline.ts';
import { explainOptimization } from '../optimizer/explain.ts';
import { optimizeLoop } from '../optimizer/loop-result.ts';
import { compileTrace, runCompiled, traceToWat } from '../wasm/index.ts';
import { printTrace } from '../text/printer.ts';
import { runReference } from '../../spec/interpreter.ts';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { sampleInputSets } from '../../properties/arbitraries/input-heaps.ts';
import { flag, intOption, type ParsedArgs, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { loadTrace, selectInputSets } from './load.ts';
import { runDemo } from './demo.ts';
import { fuzz, FUZZ_TARGETS } from './fuzz.ts';
import { formatExplanation } from './explain.ts';
import { opCountTable } from './stats.ts';
import { ESCAPES_SHOWN, formatRun } from './outcome.ts';
import { formatValidation, VALIDATE_STATUS, validateTracesWithSolver } from './validate.ts';
import { py } from './py.ts';

const DEFAULT_FUEL = 1000;
const CHECK_FUELS = [0, 1, 2, 3, 5, 10, 100];

function passesOption(args: ParsedArgs): readonly string[] | undefined {
  const value = stringOption(args, 'passes');
  if (value === undefined) return undefined;
  const known = Object.keys(PASSES).join(', ');
  const names = value.split(',');
  for (const name of names) {
    if (name === '') throw new UsageError(`--passes: an empty pass name in '${value}' (write pass names separated by commas: ${known})`);
    if (!Object.hasOwn(PASSES, name)) throw new UsageError(`--passes: unknown pass '${name}' (passes: ${known})`);
  }
  return names;
}

/** run and wasm: the trace to execute, optimized when --optimized or --passes (which implies it) says so. */
function traceToExecute(args: ParsedArgs, input: Trace): Trace {
  const passes = passesOption(args);
  return flag(args, 'optimized') || passes ? optimize(input, passes) : input;
}

/**
 * The largest number of op executions `run --wasm` / `run --optimized` spends on running the
 * input trace on the reference as well, to tell the user when the IR leaves a run undefined
 * (about half a second). Past it, only the first iterations are checked, and the note says so.
 */
const REFERENCE_CHECK_BUDGET = 1_000_000;

/** What to say under an outcome of wasm or of an optimized trace about the input trace's run on the reference. */
function referenceNote(input: Trace, set: InputSet, fuel: number, outcome: Outcome): string | null {
  if (outcome.exit.kind === 'undefined') return null;
  const checkedFuel = Math.min(fuel, Math.floor(REFERENCE_CHECK_BUDGET / Math.max(1, input.ops.length)));
  const reference = runReference(input, set, { fuel: checkedFuel });
  if (reference.exit.kind === 'undefined') {
    return [
      `note: on the reference, the input trace's run is undefined behaviour: ${reference.exit.message}`,
      '      (the IR gives this run no meaning, so the outcome above means nothing)',
    ].join('\n');
  }
  if (reference.exit.kind === 'fuel' && checkedFuel < fuel) {
    return [
      `note: checked on the reference for undefined behaviour in the first ${checkedFuel} iteration(s) only (none there);`,
      '      past them, whether the IR gives this run a meaning is not checked',
    ].join('\n');
  }
  return null;
}

const run: Command = {
  summary: "run the file's input sets (reference interpreter, or --wasm) and print each outcome",
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    fuel: { kind: 'int', help: `back-edges a run may take (default ${DEFAULT_FUEL})` },
    input: { kind: 'string', help: 'run only the input set of this name' },
    wasm: { kind: 'flag', help: 'compile to WebAssembly and run that' },
    optimized: { kind: 'flag', help: 'optimize first (default pipeline, or --passes)' },
    passes: { kind: 'string', help: 'comma-separated passes to optimize with (implies --optimized)' },
    all: { kind: 'flag', help: `print every escape call (default: the first ${ESCAPES_SHOWN})` },
  },
  run(args) {
    const loaded = loadTrace(args.positionals[0]!);
    const fuel = intOption(args, 'fuel', DEFAULT_FUEL);
    const trace = traceToExecute(args, loaded.trace);
    const sets = selectInputSets(loaded, stringOption(args, 'input'));
    const compiled = flag(args, 'wasm') ? compileTrace(trace) : null;
    for (const set of sets) {
      const outcome = compiled ? runCompiled(compiled, set, { fuel }) : runReference(trace, set, { fuel });
      console.log(`input ${set.name}: ${formatRun(outcome, loaded.trace, { allEscapes: flag(args, 'all') })}`);
      // What ran is not the input on the reference: say when the input's run has no meaning.
      const note = compiled || trace !== loaded.trace ? referenceNote(loaded.trace, set, fuel, outcome) : null;
      if (note) console.log(note);
    }
    return 0;
  },
};

const wasm: Command = {
  summary: 'compile the trace to WebAssembly: --wat prints the code, else its size and compile time',
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    wat: { kind: 'flag', help: 'print the WebAssembly text, each trace op as a comment before its code' },
    optimized: { kind: 'flag', help: 'optimize first (default pipeline, or --passes)' },
    passes: { kind: 'string', help: 'comma-separated passes to optimize with (implies --optimized)' },
  },
  run(args) {
    const loaded = loadTrace(args.positionals[0]!);
    const trace = traceToExecute(args, loaded.trace);
    if (flag(args, 'wat')) {
      process.stdout.write(traceToWat(trace));
      return 0;
    }
    const compiled = compileTrace(trace);
    console.log(`${loaded.file}: ${trace.ops.length} ops, ${compiled.bytes.length} bytes of WebAssembly, compiled in ${compiled.compileMs.toFixed(3)} ms`);
    return 0;
  },
};

const fmt: Command = {
  summary: 'print the canonical text of the trace',
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {},
  run(args) {
    process.stdout.write(printTrace(loadTrace(args.positionals[0]!).trace));
    return 0;
  },
};

/** `optimize`'s exit status for a rejected loop (optimizer/loop-result.ts). */
export const REJECTED_LOOP_STATUS = 3;

const optimizeCommand: Command = {
  summary: 'print the optimized trace (it parses back); --stats: op counts; --explain: why what is left is left',
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    passes: { kind: 'string', help: `comma-separated passes (default: ${DEFAULT_PIPELINE.join(',')})` },
    stats: { kind: 'flag', help: 'print a before/after count per op kind' },
    json: { kind: 'flag', help: 'print the optimized trace and the counts (and, with --explain, the explanation) as JSON' },
    explain: { kind: 'flag', help: 'say why each surviving allocation and guard is still there' },
    verify: { kind: 'flag', help: 'validate the trace after every pass; name the pass that broke an invariant (exit 70)' },
    validate: { kind: 'flag', help: 'then prove the result equal to the input for all inputs (as validate; exit 0/1/3)' },
  },
  async run(args) {
    const { trace } = loadTrace(args.positionals[0]!);
    const passes = passesOption(args);
    const verify = flag(args, 'verify');
    // The options compose: the trace, then the counts (--stats), then the explanation (--explain).
    const result = optimizeLoop(trace, passes, { verify });
    const report = flag(args, 'explain') ? explainOptimization(trace, passes, { verify }) : null;
    const optimized = result.trace;
    const counts = opCountTable(trace, optimized);
    // A rejected loop: the trace is still printed (it is correct), the reason goes to stderr.
    const status = result.kind === 'rejected' ? REJECTED_LOOP_STATUS : 0;
    if (result.kind === 'rejected') console.error(`boxless: rejected loop: ${result.reason}`);
    if (flag(args, 'json')) {
      const explain = report ? { explain: { allocations: report.allocations, guards: report.guards } } : {};
      const rejected = result.kind === 'rejected' ? { rejected: result.reason } : {};
      console.log(JSON.stringify({ trace: printTrace(optimized), stats: counts.rows, ...explain, ...rejected }, null, 2));
      return status;
    }
    process.stdout.write(printTrace(optimized));
    if (flag(args, 'stats')) console.log(`\n${counts.text}`);
    if (report) console.log(`\n${formatExplanation(report)}`);
    if (flag(args, 'validate')) {
      const validation = await validateTracesWithSolver(trace, optimized);
      // As comments, so that the output still parses as the optimized trace.
      console.log(`\n${formatValidation(validation, trace).split('\n').map((line) => `# ${line}`).join('\n')}`);
      // A counterexample outranks a rejected loop, which outranks the other verdicts.
      if (validation.verdict === 'counterexample' || status === 0) return VALIDATE_STATUS[validation.verdict];
    }
    return status;
  },
};

const validateCommand: Command = {
  summary: 'prove an optimized trace equal to its input for all inputs (exit 0 proved, 1 counterexample, 3 unknown)',
  positionals: { min: 1, max: 2, names: 'INPUT.trace [OPTIMIZED.trace]' },
  options: {
    passes: { kind: 'string', help: `with one file: the passes to validate (default: ${DEFAULT_PIPELINE.join(',')})` },
    runs: { kind: 'int', help: 'generated input heaps to try when confirming a difference on the reference (default 200)' },
  },
  async run(args) {
    const loaded = loadTrace(args.positionals[0]!);
    const passes = passesOption(args);
    if (args.positionals.length === 2 && passes) throw new UsageError('validate: --passes optimizes the one file given; with two files the second is the optimized trace');
    const optimized = args.positionals.length === 2 ? loadTrace(args.positionals[1]!).trace : optimize(loaded.trace, passes);
    if (args.positionals.length === 2 && optimized.classes.length === 0) {
      throw new UsageError(`validate: ${args.positionals[1]} declares no classes: write the input's class lines at its top`);
    }
    const validation = await validateTracesWithSolver(loaded.trace, optimized, { randomInputs: intOption(args, 'runs', 200) });
    console.log(formatValidation(validation, loaded.trace));
    return VALIDATE_STATUS[validation.verdict];
  },
};

const check: Command = {
  summary: 'compare reference runs of the trace and its optimized form; exit 1 on a difference',
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    runs: { kind: 'int', help: 'random input heaps to try besides the file\'s (default 100)' },
    seed: { kind: 'int', help: 'seed for the random input heaps' },
    passes: { kind: 'string', help: 'passes to check (default: the whole pipeline)' },
    wasm: { kind: 'flag', help: 'run the optimized trace compiled to WebAssembly (the input still on the reference)' },
  },
  run(args) {
    const loaded = loadTrace(args.positionals[0]!);
    const optimized = optimize(loaded.trace, passesOption(args));
    const compiled = flag(args, 'wasm') ? compileTrace(optimized) : null;
    const execute = (set: InputSet, fuel: number) => (compiled ? runCompiled(compiled, set, { fuel }) : runReference(optimized, set, { fuel }));
    const side = compiled ? 'the optimized trace on wasm' : 'the optimized trace';
    const runs = intOption(args, 'runs', 100);
    const seed = intOption(args, 'seed', 1);
    const sets: InputSet[] = [...loaded.trace.inputSets, ...sampleInputSets(loaded.trace, runs, seed)];
    if (sets.length === 0) throw new UsageError('check: nothing to run: the file has no input sets and --runs is 0');
    let meaningful = 0;
    for (const set of sets) {
      for (const fuel of CHECK_FUELS) {
        const expected = runReference(loaded.trace, set, { fuel });
        if (expected.exit.kind !== 'undefined') meaningful++;
        const verdict = compareOutcomes(expected, execute(set, fuel), { expected: 'the input trace', actual: side });
        if (!verdict.ok) {
          console.log(`${loaded.file}: ${side} differs on input ${set.name} with fuel ${fuel}:`);
          console.log(verdict.difference);
          console.log(`\n--- the optimized trace\n${printTrace({ ...optimized, inputSets: [set] })}`);
          return 1;
        }
      }
    }
    const total = sets.length * CHECK_FUELS.length;
    if (meaningful === 0) {
      console.log(`${loaded.file}: all ${total} runs of the input trace are undefined behaviour: nothing was checked`);
      return 1;
    }
    console.log(`${loaded.file}: ${side} is equivalent on ${sets.length} input set(s) x ${CHECK_FUELS.length} fuel values`);
    if (meaningful < total) console.log(`  (${total - meaningful} of the ${total} runs are undefined behaviour on the input trace: no claim is made for them)`);
    return 0;
  },
};

const fuzzCommand: Command = {
  summary: 'random traces through a target; reports statistics, or a shrunk counterexample (exit 1)',
  positionals: { min: 0, max: 0, names: '' },
  options: {
    runs: { kind: 'int', help: 'traces to generate (default 200)' },
    seed: { kind: 'int', help: 'fast-check seed (default: random, printed)' },
    target: { kind: 'string', help: `what to check: ${FUZZ_TARGETS.join(', ')} (default reference)` },
  },
  async run(args) {
    const target = stringOption(args, 'target') ?? 'reference';
    if (!FUZZ_TARGETS.includes(target)) throw new UsageError(`fuzz: unknown target '${target}' (targets: ${FUZZ_TARGETS.join(', ')})`);
    const seedText = stringOption(args, 'seed');
    return fuzz({ target, runs: intOption(args, 'runs', 200), seed: seedText === undefined ? undefined : Number(seedText) });
  },
};

const demo: Command = {
  summary: "the paper's Figure 2: the trace, its reference outcomes, its optimized form",
  positionals: { min: 0, max: 0, names: '' },
  options: {},
  run: () => runDemo(),
};

export const COMMANDS: Readonly<Record<string, Command>> = {
  run,
  fmt,
  optimize: optimizeCommand,
  check,
  validate: validateCommand,
  wasm,
  fuzz: fuzzCommand,
  py,
  demo,
};
