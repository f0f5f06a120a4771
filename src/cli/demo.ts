/**
 * `npm start`: the paper's running example end to end. Figure 2 as recorded, its reference
 * outcomes on a BoxedInteger and a BoxedFloat `y`, and what the optimizer makes of it, with the
 * op counts the paper quotes.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optimize } from '../optimizer/pipeline.ts';
import { printTrace } from '../text/printer.ts';
import { runReference } from '../../spec/interpreter.ts';
import { formatOutcome } from '../../spec/format.ts';
import { loadTrace } from './load.ts';
import { opCountTable } from './stats.ts';

const FIGURE2 = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'paper-figure2.trace');

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
  for (const set of trace.inputSets) console.log(`input ${set.name}: ${formatOutcome(runReference(trace, set))}`);

  for (const passes of [['virtualize'], undefined]) {
    const optimized = optimize(trace, passes);
    heading(passes ? `Optimized with --passes ${passes.join(',')} (the paper's Figure 4)` : 'Optimized with the default pipeline');
    process.stdout.write(printTrace({ ...optimized, inputSets: [] }));
    console.log(`\n${opCountTable(trace, optimized).text}`);
    console.log('');
    for (const set of trace.inputSets) console.log(`input ${set.name}: ${formatOutcome(runReference(optimized, set))}`);
  }
  console.log('\nTry: npx boxless optimize examples/paper-figure2.trace --stats');
  return 0;
}
