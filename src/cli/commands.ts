/**
 * The subcommands of `boxless`, one entry each: what it does, what it takes, and its body.
 * Bodies stay thin: parsing, running, optimizing and comparing live in their layers; here we
 * only choose what to run and print it.
 */
import { printTrace } from '../text/printer.ts';
import { runReference } from '../../spec/interpreter.ts';
import { formatOutcome } from '../../spec/format.ts';
import { intOption, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { loadTrace, selectInputSets } from './load.ts';
import { runDemo } from './demo.ts';
import { fuzz, FUZZ_TARGETS } from './fuzz.ts';

const DEFAULT_FUEL = 1000;

const run: Command = {
  summary: "run the file's input sets on the reference interpreter and print each outcome",
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    fuel: { kind: 'int', help: `back-edges a run may take (default ${DEFAULT_FUEL})` },
    input: { kind: 'string', help: 'run only the input set of this name' },
  },
  run(args) {
    const loaded = loadTrace(args.positionals[0]!);
    const fuel = intOption(args, 'fuel', DEFAULT_FUEL);
    for (const set of selectInputSets(loaded, stringOption(args, 'input'))) {
      console.log(`input ${set.name}: ${formatOutcome(runReference(loaded.trace, set, { fuel }))}`);
    }
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
  fuzz: fuzzCommand,
  demo,
};
