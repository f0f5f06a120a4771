/**
 * The subcommands of `boxless`, one entry each: what it does, what it takes, and its body.
 * Bodies stay thin: parsing, running, optimizing and comparing live in their layers; here we
 * only choose what to run and print it.
 *
 * Start-up time: `boxless --help` must start in well under a second, so this file and the option
 * tables load nothing heavy; each body loads the layers it needs when it runs (`await import`).
 * Each command keeps its option table with it.
 */
import type { InputSet, Outcome, Trace } from '../ir/index.ts';
import type { PassSpec } from '../optimizer/pipeline.ts';
import { flag, intOption, type ParsedArgs, seedOption, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { colorDiff, palette } from './color.ts';
import { CHECK_FUELS } from './fuels.ts';
import { FUZZ_TARGET_NAMES, type FuzzTargetName, OPTIMIZING_TARGETS } from './fuzz-targets.ts';
import { printJson } from './json.ts';
import { py } from './py.ts';

const DEFAULT_FUEL = 1000;
/** The default number of random input heaps `check` tries besides the file's. */
const CHECK_RUNS = 100;

const pipeline = () => import('../optimizer/pipeline.ts');

/**
 * `--passes a,b`: pass names checked against the optimizer's, or a pass of the user's own: a
 * module path (it has a `/` or ends in .js, .mjs or .ts) with `#name` for the exported function
 * (default: the module's default export, else its only exported function). Undefined: the
 * default pipeline.
 */
async function passesOption(args: ParsedArgs): Promise<readonly PassSpec[] | undefined> {
  const value = stringOption(args, 'passes');
  if (value === undefined) return undefined;
  const { PASSES } = await pipeline();
  const known = Object.keys(PASSES).join(', ');
  const specs: PassSpec[] = [];
  for (const name of value.split(',')) {
    if (name === '') throw new UsageError(`--passes: an empty pass name in '${value}' (write pass names separated by commas: ${known})`);
    if (Object.hasOwn(PASSES, name)) specs.push(name);
    else if (/[/\\]|\.(m?js|ts)(#|$)/.test(name)) specs.push(await userPass(name));
    else throw new UsageError(`--passes: unknown pass '${name}' (passes: ${known}, or a module of your own: ./my-pass.js#myPass)`);
  }
  return specs;
}

/** A user's pass from `path[#export]`, resolved from the current directory. */
async function userPass(spec: string): Promise<PassSpec> {
  const hash = spec.indexOf('#');
  const file = hash < 0 ? spec : spec.slice(0, hash);
  const wanted = hash < 0 ? undefined : spec.slice(hash + 1);
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--passes: cannot load ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const functions = Object.entries(module).filter(([, v]) => typeof v === 'function');
  const found = wanted !== undefined ? module[wanted] : (module.default ?? (functions.length === 1 ? functions[0]![1] : undefined));
  if (typeof found !== 'function') {
    const names = functions.map(([n]) => n).join(', ') || 'none';
    throw new UsageError(`--passes: ${file} has no ${wanted === undefined ? 'default export or single exported function' : `exported function '${wanted}'`} (its functions: ${names})`);
  }
  return found as PassSpec;
}

const loadTrace = async (file: string) => (await import('./load.ts')).loadTrace(file);

/** run and wasm: the trace to execute, optimized when --optimized or --passes (which implies it) says so. */
async function traceToExecute(args: ParsedArgs, input: Trace): Promise<Trace> {
  const passes = await passesOption(args);
  if (!flag(args, 'optimized') && !passes) return input;
  return (await pipeline()).optimize(input, passes);
}

/**
 * The largest number of op executions `run --wasm` / `run --optimized` spends on running the
 * input trace on the reference as well, to tell the user when the IR leaves a run undefined
 * (about half a second). Past it, only the first iterations are checked, and the note says so.
 */
const REFERENCE_CHECK_BUDGET = 1_000_000;

/** What to say under an outcome of wasm or of an optimized trace about the input trace's run on the reference. */
async function referenceNote(input: Trace, set: InputSet, fuel: number, outcome: Outcome): Promise<string | null> {
  if (outcome.exit.kind === 'undefined') return null;
  const { runReference } = await import('../../spec/interpreter.ts');
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

const JSON_OPTION = { kind: 'flag', help: 'print one JSON object instead (schema boxless/1, docs/json.md)' } as const;

const run: Command = {
  summary: "run the file's input sets (reference interpreter, or --wasm) and print each outcome",
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    fuel: { kind: 'int', help: `back-edges a run may take (default ${DEFAULT_FUEL})` },
    input: { kind: 'string', help: 'run only the input set of this name' },
    wasm: { kind: 'flag', help: 'compile to WebAssembly and run that' },
    optimized: { kind: 'flag', help: 'optimize first (default pipeline, or --passes)' },
    passes: { kind: 'string', help: 'comma-separated passes to optimize with (implies --optimized)' },
    all: { kind: 'flag', help: 'print every escape call (default: the first few, then how many more)' },
    json: JSON_OPTION,
  },
  async run(args) {
    const loaded = await loadTrace(args.positionals[0]!);
    const fuel = intOption(args, 'fuel', DEFAULT_FUEL);
    const trace = await traceToExecute(args, loaded.trace);
    const { selectInputSets } = await import('./load.ts');
    const { formatRun } = await import('./outcome.ts');
    const { runReference } = await import('../../spec/interpreter.ts');
    const wasm = flag(args, 'wasm') ? await import('../wasm/index.ts') : null;
    const sets = selectInputSets(loaded, stringOption(args, 'input'));
    const compiled = wasm ? wasm.compileTrace(trace) : null;
    const runs: unknown[] = [];
    for (const set of sets) {
      const outcome = compiled && wasm ? wasm.runCompiled(compiled, set, { fuel }) : runReference(trace, set, { fuel });
      const text = formatRun(outcome, loaded.trace, { allEscapes: flag(args, 'all') || flag(args, 'json') });
      // What ran is not the input on the reference: say when the input's run has no meaning.
      const note = compiled || trace !== loaded.trace ? await referenceNote(loaded.trace, set, fuel, outcome) : null;
      if (flag(args, 'json')) runs.push({ input: set.name, exit: outcome.exit, escapes: outcome.escapes.length, text, note });
      else {
        console.log(`input ${set.name}: ${text}`);
        if (note) console.log(note);
      }
    }
    if (flag(args, 'json')) return printJson('run', 0, { file: loaded.file, executor: compiled ? 'wasm' : 'reference', optimized: trace !== loaded.trace, fuel, runs });
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
    json: JSON_OPTION,
  },
  async run(args) {
    const loaded = await loadTrace(args.positionals[0]!);
    const trace = await traceToExecute(args, loaded.trace);
    const { compileTrace, traceToWat } = await import('../wasm/index.ts');
    const wat = flag(args, 'wat') ? traceToWat(trace) : null;
    if (wat !== null && !flag(args, 'json')) {
      process.stdout.write(wat);
      return 0;
    }
    const compiled = compileTrace(trace);
    if (flag(args, 'json')) return printJson('wasm', 0, { file: loaded.file, ops: trace.ops.length, bytes: compiled.bytes.length, compileMs: compiled.compileMs, wat });
    console.log(`${loaded.file}: ${trace.ops.length} ops, ${compiled.bytes.length} bytes of WebAssembly, compiled in ${compiled.compileMs.toFixed(3)} ms`);
    return 0;
  },
};

const fmt: Command = {
  summary: 'print the canonical text of the trace',
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: { json: JSON_OPTION },
  async run(args) {
    const { trace, file } = await loadTrace(args.positionals[0]!);
    if (flag(args, 'json')) return printJson('fmt', 0, { file, trace: (await import('./json-trace.ts')).jsonTrace(trace) });
    process.stdout.write((await import('../text/printer.ts')).printTrace(trace));
    return 0;
  },
};

/** `optimize`'s exit status for a rejected loop (optimizer/loop-result.ts). */
export const REJECTED_LOOP_STATUS = 3;

const optimizeCommand: Command = {
  summary: 'print the optimized trace (it parses back); --stats: op counts; --explain: why what is left is left; --print-after, --diff: what each pass did',
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    passes: { kind: 'string', help: 'comma-separated passes (default: the whole pipeline)' },
    stats: { kind: 'flag', help: 'print a before/after count per op kind' },
    json: { kind: 'flag', help: 'print one JSON object: the optimized trace, the counts, and what --explain, --print-after, --diff and --validate add (docs/json.md)' },
    explain: { kind: 'flag', help: 'say why each surviving allocation and guard is still there' },
    verify: { kind: 'flag', help: 'validate the trace after every pass; name the pass that broke an invariant (exit 70)' },
    validate: { kind: 'flag', help: 'then prove the result equal to the input for all inputs (as validate: exit 1 counterexample, 3 unknown)' },
    'print-after': { kind: 'string', value: 'PASS|all', help: "print the trace after each run of pass PASS ('all': after every pass), round by round, before the result (the default pipeline then runs pass by pass, not as one chained traversal)" },
    diff: { kind: 'flag', help: 'print what changed as a unified diff: of each pass with --print-after, else of the input and the result' },
  },
  async run(args) {
    const { trace } = await loadTrace(args.positionals[0]!);
    const passes = await passesOption(args);
    const verify = flag(args, 'verify');
    const json = flag(args, 'json');
    const { PASSES } = await pipeline();
    const printAfter = stringOption(args, 'print-after');
    const { passName } = await pipeline();
    const passNames = passes ? passes.map(passName) : Object.keys(PASSES);
    if (printAfter !== undefined && printAfter !== 'all' && !passNames.includes(printAfter)) {
      throw new UsageError(`--print-after: unknown pass '${printAfter}' (all, or one of: ${passNames.join(', ')})`);
    }
    // Watching the passes one by one needs them run one by one: with --print-after, the default
    // pipeline's passes run pass by pass (the chained driver runs the same rules in one traversal,
    // as one run named `chained`).
    const watched = printAfter !== undefined && passes === undefined ? (await pipeline()).DEFAULT_PIPELINE.map((name) => PASSES[name]!) : passes;
    const { optimizeLoop } = await import('../optimizer/loop-result.ts');
    const { explainOptimization } = await import('../optimizer/explain.ts');
    const { printTrace } = await import('../text/printer.ts');
    const { unifiedDiff } = await import('../text/diff.ts');
    const { jsonTrace } = await import('./json-trace.ts');
    const { opCountJson, opCountTable } = await import('./stats.ts');
    const colors = palette(process.stdout);
    const showDiff = flag(args, 'diff');

    // Each pass run, as the pipeline makes it: its input is the output of the run before.
    const passRuns: { pass: string; round: number; input: Trace; output: Trace }[] = [];
    let previous = trace;
    let position = 0;
    const passCount = (passes ?? (await pipeline()).DEFAULT_PIPELINE).length;
    const afterPass = (pass: string, output: Trace) => {
      passRuns.push({ pass, round: Math.floor(position / passCount) + 1, input: previous, output });
      previous = output;
      position++;
    };
    // The options compose: the trace, then the counts (--stats), then the explanation (--explain).
    const result = optimizeLoop(trace, watched, printAfter === undefined ? { verify } : { verify, afterPass });
    const report = flag(args, 'explain') ? explainOptimization(trace, passes, { verify }) : null;
    const optimized = result.trace;
    // A rejected loop: the trace is still printed (it is correct), the reason goes to stderr.
    const status = result.kind === 'rejected' ? REJECTED_LOOP_STATUS : 0;
    const shown = passRuns.filter((r) => printAfter === 'all' || r.pass === printAfter);
    const passDiff = (r: (typeof passRuns)[number]) => unifiedDiff(printTrace(r.input), printTrace(r.output), { before: `before ${r.pass} (round ${r.round})`, after: `after ${r.pass} (round ${r.round})` });
    const wholeDiff = () => unifiedDiff(printTrace(trace), printTrace(optimized), { before: 'input', after: 'optimized' });

    if (json) {
      const { formatValidation, validateTracesWithSolver, VALIDATE_STATUS } = await import('./validate.ts');
      const validation = flag(args, 'validate') ? await validateTracesWithSolver(trace, optimized) : null;
      const validationStatus = validation === null ? status : validation.verdict === 'counterexample' || status === 0 ? VALIDATE_STATUS[validation.verdict] : status;
      return printJson('optimize', validationStatus, {
        trace: jsonTrace(optimized),
        stats: opCountJson(trace, optimized),
        rejected: result.kind === 'rejected' ? { code: 'rejected-loop', guardId: result.guardId, message: result.reason } : null,
        ...(report ? { explain: { allocations: report.allocations, guards: report.guards } } : {}),
        ...(printAfter !== undefined
          ? { passes: shown.map((r) => ({ pass: r.pass, round: r.round, changed: r.output !== r.input, ...(showDiff ? { diff: passDiff(r) } : { trace: jsonTrace(r.output) }) })) }
          : {}),
        ...(showDiff && printAfter === undefined ? { diff: wholeDiff() } : {}),
        ...(validation ? { validation: { verdict: validation.verdict, ...('reason' in validation ? { reason: validation.reason } : {}), text: formatValidation(validation, trace) } } : {}),
      });
    }
    if (result.kind === 'rejected') console.error(`boxless: rejected loop: ${result.reason}`);
    for (const r of shown) {
      const changed = r.output !== r.input;
      console.log(colors.bold(`# *** after ${r.pass} (round ${r.round})${changed ? '' : ': unchanged'} ***`));
      if (!changed) continue;
      if (showDiff) process.stdout.write(colorDiff(passDiff(r), colors));
      else process.stdout.write(printTrace(r.output));
      console.log('');
    }
    if (shown.length > 0) console.log(colors.bold('# *** the optimized trace ***'));
    if (showDiff && printAfter === undefined) process.stdout.write(colorDiff(wholeDiff(), colors));
    else process.stdout.write(printTrace(optimized));
    if (flag(args, 'stats')) console.log(`\n${opCountTable(trace, optimized).text}`);
    if (report) console.log(`\n${(await import('./explain.ts')).formatExplanation(report)}`);
    if (flag(args, 'validate')) {
      const { formatValidation, validateTracesWithSolver, VALIDATE_STATUS } = await import('./validate.ts');
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
    passes: { kind: 'string', help: 'with one file: the passes to validate (default: the whole pipeline)' },
    runs: { kind: 'int', help: 'generated input heaps to try when confirming a difference on the reference (default 200)' },
    json: JSON_OPTION,
  },
  async run(args) {
    const loaded = await loadTrace(args.positionals[0]!);
    const passes = await passesOption(args);
    if (args.positionals.length === 2 && passes) throw new UsageError('validate: --passes optimizes the one file given; with two files the second is the optimized trace');
    const optimized = args.positionals.length === 2 ? (await loadTrace(args.positionals[1]!)).trace : (await pipeline()).optimize(loaded.trace, passes);
    if (args.positionals.length === 2 && optimized.classes.length === 0) {
      throw new UsageError(`validate: ${args.positionals[1]} declares no classes: write the input's class lines at its top`);
    }
    const { formatValidation, validateTracesWithSolver, VALIDATE_STATUS } = await import('./validate.ts');
    const validation = await validateTracesWithSolver(loaded.trace, optimized, { randomInputs: intOption(args, 'runs', 200) });
    const status = VALIDATE_STATUS[validation.verdict];
    if (flag(args, 'json')) {
      const { jsonTrace } = await import('./json-trace.ts');
      return printJson('validate', status, {
        file: loaded.file,
        verdict: validation.verdict,
        reason: 'reason' in validation ? validation.reason : null,
        counterexample:
          validation.verdict === 'counterexample'
            ? { input: validation.input.name, fuel: validation.fuel, difference: validation.difference, trace: jsonTrace({ ...loaded.trace, inputSets: [validation.input] }) }
            : null,
        text: formatValidation(validation, loaded.trace),
      });
    }
    console.log(formatValidation(validation, loaded.trace));
    return status;
  },
};

const check: Command = {
  summary: 'compare reference runs of the trace and its optimized form; exit 1 on a difference; --bisect names the first pass that differs',
  positionals: { min: 1, max: 1, names: 'FILE.trace' },
  options: {
    runs: { kind: 'int', help: `random input heaps to try besides the file's (default ${CHECK_RUNS})` },
    seed: { kind: 'string', value: 'S', help: 'seed for the random input heaps (an integer from -2^31 to 2^31-1; default 1)' },
    passes: { kind: 'string', help: 'passes to check (default: the whole pipeline); a module path such as ./my-pass.js#myPass is a pass of your own' },
    wasm: { kind: 'flag', help: 'run the optimized trace compiled to WebAssembly (the input still on the reference)' },
    bisect: { kind: 'flag', help: 'on a difference, name the first pass whose output behaves differently from the input, and show what it changed' },
    json: JSON_OPTION,
  },
  async run(args) {
    const loaded = await loadTrace(args.positionals[0]!);
    const passes = await passesOption(args);
    const runs = intOption(args, 'runs', CHECK_RUNS);
    const seed = seedOption(args) ?? 1;
    const json = flag(args, 'json');
    const { optimize, DEFAULT_PIPELINE } = await pipeline();
    const { runReference } = await import('../../spec/interpreter.ts');
    const { compareOutcomes } = await import('../../spec/equivalence.ts');
    const { sampleInputSets } = await import('../../properties/arbitraries/input-heaps.ts');
    const { printTrace } = await import('../text/printer.ts');
    const optimized = optimize(loaded.trace, passes);
    const wasmLayer = flag(args, 'wasm') ? await import('../wasm/index.ts') : null;
    const compiled = wasmLayer ? wasmLayer.compileTrace(optimized) : null;
    const execute = (set: InputSet, fuel: number) => (compiled && wasmLayer ? wasmLayer.runCompiled(compiled, set, { fuel }) : runReference(optimized, set, { fuel }));
    const side = compiled ? 'the optimized trace on wasm' : 'the optimized trace';
    const sets: InputSet[] = [...loaded.trace.inputSets, ...sampleInputSets(loaded.trace, runs, seed)];
    if (sets.length === 0) throw new UsageError('check: nothing to run: the file has no input sets and --runs is 0');
    const colors = palette(process.stdout);
    let meaningful = 0;
    const total = sets.length * CHECK_FUELS.length;
    for (const set of sets) {
      for (const fuel of CHECK_FUELS) {
        const expected = runReference(loaded.trace, set, { fuel });
        if (expected.exit.kind !== 'undefined') meaningful++;
        const verdict = compareOutcomes(expected, execute(set, fuel), { expected: 'the input trace', actual: side });
        if (verdict.ok) continue;
        const bisect = flag(args, 'bisect') ? await bisectReport(loaded.trace, passes ?? DEFAULT_PIPELINE, [set]) : null;
        if (json) {
          const { jsonTrace } = await import('./json-trace.ts');
          return printJson('check', 1, {
            file: loaded.file,
            verdict: 'different',
            side,
            difference: { input: set.name, fuel, text: verdict.difference, optimized: jsonTrace({ ...optimized, inputSets: [set] }) },
            bisect: bisect?.json ?? null,
          });
        }
        console.log(colors.red(`${loaded.file}: ${side} differs on input ${set.name} with fuel ${fuel}:`));
        console.log(verdict.difference);
        console.log(`\n--- the optimized trace\n${printTrace({ ...optimized, inputSets: [set] })}`);
        if (bisect) console.log(`\n${bisect.text(colors)}`);
        return 1;
      }
    }
    const verdict = meaningful === 0 ? 'unchecked' : 'equivalent';
    if (json) {
      return printJson('check', meaningful === 0 ? 1 : 0, { file: loaded.file, verdict, side, inputSets: sets.length, fuels: CHECK_FUELS, runs: total, undefinedRuns: total - meaningful, bisect: null });
    }
    if (meaningful === 0) {
      console.log(`${loaded.file}: all ${total} runs of the input trace are undefined behaviour: nothing was checked`);
      return 1;
    }
    console.log(colors.green(`${loaded.file}: ${side} is equivalent on ${sets.length} input set(s) x ${CHECK_FUELS.length} fuel values`));
    if (meaningful < total) console.log(`  (${total - meaningful} of the ${total} runs are undefined behaviour on the input trace: no claim is made for them)`);
    if (flag(args, 'bisect')) console.log('  (no difference: nothing to bisect)');
    return 0;
  },
};

/** `check --bisect`: the first pass run whose output differs from the input on `sets`, in words and as JSON. */
async function bisectReport(input: Trace, passes: readonly PassSpec[], sets: readonly InputSet[]) {
  const { bisectPasses } = await import('./bisect.ts');
  const { printTrace } = await import('../text/printer.ts');
  const { unifiedDiff } = await import('../text/diff.ts');
  const result = bisectPasses(input, passes, sets, CHECK_FUELS);
  if (result.kind === 'pass') {
    const { run: r, difference } = result;
    const diff = unifiedDiff(printTrace(r.input), printTrace(r.output), { before: `before ${r.pass} (round ${r.round})`, after: `after ${r.pass} (round ${r.round})` });
    return {
      json: { kind: 'pass', pass: r.pass, round: r.round, position: r.position, difference, diff },
      text: (colors: ReturnType<typeof palette>) =>
        [
          colors.bold(`bisect: the first pass whose output differs from the input trace is ${r.pass} (round ${r.round}, pass ${r.position + 1} of ${passes.length});`),
          'what it was given still behaved like the input. The difference:',
          difference,
          '',
          'what it changed:',
          colorDiff(diff, colors),
        ].join('\n'),
    };
  }
  if (result.kind === 'failed') {
    return {
      json: { kind: 'failed', pass: result.pass, round: result.round, message: result.message },
      text: () => `bisect: pass ${result.pass} (round ${result.round}) failed: ${result.message}`,
    };
  }
  return {
    json: { kind: 'none' },
    text: () => 'bisect: every pass output behaves like the input trace on the reference: the difference is in how the optimized trace is run (the WebAssembly backend with --wasm)',
  };
}

const fuzzCommand: Command = {
  summary: 'random traces through a target: statistics, or a reduced counterexample as a trace file on stdout (exit 1)',
  positionals: { min: 0, max: 0, names: '' },
  options: {
    runs: { kind: 'int', help: 'traces to generate (default 200)' },
    seed: { kind: 'string', value: 'S', help: 'fast-check seed, an integer from -2^31 to 2^31-1 (default: random, printed first)' },
    path: { kind: 'string', value: 'P', help: "replay one trace: the fast-check path of a counterexample's replay line (with its --seed)" },
    target: { kind: 'string', help: `what to check: ${FUZZ_TARGET_NAMES.join(', ')} (default reference)` },
    passes: { kind: 'string', help: `passes to optimize with, for the targets ${OPTIMIZING_TARGETS.join(' and ')} (default: the whole pipeline)` },
    json: JSON_OPTION,
  },
  async run(args) {
    const target = (stringOption(args, 'target') ?? 'reference') as FuzzTargetName;
    if (!FUZZ_TARGET_NAMES.includes(target)) throw new UsageError(`fuzz: unknown target '${target}' (targets: ${FUZZ_TARGET_NAMES.join(', ')})`);
    const passes = await passesOption(args);
    if (passes && !OPTIMIZING_TARGETS.includes(target)) throw new UsageError(`fuzz: --passes needs a target that optimizes (${OPTIMIZING_TARGETS.join(', ')}), not ${target}`);
    const seed = seedOption(args);
    const path = stringOption(args, 'path');
    if (path !== undefined && !/^[0-9]+(:[0-9]+)*$/.test(path)) throw new UsageError(`--path: expected a fast-check path such as 212:5:1, got '${path}'`);
    if (path !== undefined && seed === undefined) throw new UsageError('--path replays a trace of one seed: give its --seed too');
    const { fuzz } = await import('./fuzz.ts');
    return fuzz({ target, runs: intOption(args, 'runs', 200), seed, path, passes, passesText: stringOption(args, 'passes'), json: flag(args, 'json') });
  },
};

const demo: Command = {
  summary: "the paper's Figure 2: the trace, its reference outcomes, its optimized form",
  positionals: { min: 0, max: 0, names: '' },
  options: {},
  run: async () => (await import('./demo.ts')).runDemo(),
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
