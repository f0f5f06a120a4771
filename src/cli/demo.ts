/**
 * `npm start`: the paper's running example end to end. Figure 2 as recorded, its reference
 * outcomes on a BoxedInteger and a BoxedFloat `y`, and what the optimizer makes of it, with the
 * op counts the paper quotes.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { optimize } from '../optimizer/pipeline.ts';
import { printTrace } from '../text/printer.ts';
import { runReference } from '../../spec/interpreter.ts';
import type { InputSet } from '../ir/index.ts';
import { compileTrace, runCompiled } from '../wasm/index.ts';
import { loadTrace } from './load.ts';
import { formatRun } from './outcome.ts';
import { opCountTable } from './stats.ts';
import { DEFAULT_JIT_OPTIONS } from '../vm/jit/options.ts';
import { formatJitReport, type JitReport } from '../vm/jit/stats.ts';
import { runPython } from '../vm/run.ts';
import { packageRoot } from './package-root.ts';

const FIGURE2 = join(packageRoot(), 'examples', 'paper-figure2.trace');

function heading(text: string) {
  console.log(`\n== ${text}\n`);
}

export function runDemo(): number {
  const { trace } = loadTrace(FIGURE2);
  console.log('boxless: allocation removal in a tracing JIT, on the running example of');
  console.log('Bolz et al., "Escape Analysis and Specialization in a Tracing JIT" (Figure 2).');

  heading(`The trace as recorded (${relative(process.cwd(), FIGURE2)})`);
  process.stdout.write(printTrace({ ...trace, inputSets: [] }));

  heading('The reference interpreter runs it');
  for (const set of trace.inputSets) console.log(`input ${set.name}: ${formatRun(runReference(trace, set), trace)}`);

  let optimized = trace;
  for (const passes of [['virtualize'], undefined]) {
    optimized = optimize(trace, passes);
    heading(
      passes
        ? `Optimized with --passes ${passes.join(',')} (the paper's Figure 4)`
        : "Optimized with the default pipeline: a peeled loop whose body is the paper's Figure 6",
    );
    process.stdout.write(printTrace({ ...optimized, inputSets: [] }));
    console.log(`\n${opCountTable(trace, optimized).text}`);
    console.log('');
    for (const set of trace.inputSets) console.log(`input ${set.name}: ${formatRun(runReference(optimized, set), trace)}`);
  }

  heading(`Compiled to WebAssembly, y = ${DEMO_Y.toLocaleString('en-US')}`);
  for (const [what, code] of [
    ['the recorded trace', trace],
    ['the optimized trace', optimized],
  ] as const) {
    const compiled = compileTrace(code);
    const start = performance.now();
    const outcome = runCompiled(compiled, withY(trace.inputSets[0]!, DEMO_Y), { fuel: DEMO_Y + 1 });
    const ms = performance.now() - start;
    const text = formatRun(outcome, trace).split('\n').filter((line) => !line.startsWith('inputs at the end: '));
    console.log(`${what}, ${ms.toFixed(1)} ms (compiled once, run once): ${text.join('\n  ')}`);
  }
  const res = (BigInt(DEMO_Y) * BigInt(DEMO_Y + 1)) / 2n - 100n * BigInt(DEMO_Y);
  console.log(`(guard 7 exits with i9 = res = 1 + 2 + ... + y - 100 y = ${res}; npm run bench measures the speed properly)`);

  heading(`The program behind it: Figure 1 and f on the boxless VM (${relative(process.cwd(), FIGURE1_PROGRAM)}), with the tracing JIT and without`);
  const source = readFileSync(FIGURE1_PROGRAM, 'utf8');
  const file = relative(process.cwd(), FIGURE1_PROGRAM);
  const argv = [file, String(DEMO_PROGRAM_Y)];
  let report: JitReport | null = null;
  let start = performance.now();
  const run = runPython(source, { file, argv, jit: { options: DEFAULT_JIT_OPTIONS }, onJitReport: (r) => (report = r) });
  const jitMs = performance.now() - start;
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (report) process.stdout.write(formatJitReport(report));
  start = performance.now();
  const plain = runPython(source, { file, argv });
  const plainMs = performance.now() - start;
  const same = plain.stdout === run.stdout && plain.status === run.status;
  console.log(
    `(f(BoxedInteger(${DEMO_PROGRAM_Y.toLocaleString('en-US')})).intval is the first line; exit status ${run.status}; ` +
      `${jitMs.toFixed(0)} ms with the JIT, ${plainMs.toFixed(0)} ms interpreted, ${same ? 'the same output' : 'A DIFFERENT OUTPUT'})`,
  );

  console.log('\nTry: npx boxless optimize examples/paper-figure2.trace --stats --explain');
  console.log(`     npx boxless py ${file} 10000000 t --jit-stats`);
  return same ? run.status : 1;
}

const FIGURE1_PROGRAM = join(packageRoot(), 'examples', 'programs', 'figure1_int.py');
const DEMO_PROGRAM_Y = 1_000_000;

const DEMO_Y = 10_000_000;

/** The input set with y's intval replaced. */
function withY(set: InputSet, y: number): InputSet {
  return {
    ...set,
    objects: set.objects.map((o) =>
      o.name === 'y' && o.kind === 'object' ? { ...o, fields: [{ field: 'intval', value: { kind: 'int', value: BigInt(y) } }] } : o,
    ),
  };
}
