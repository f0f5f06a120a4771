/**
 * `npm run bench`: every benchmark, each reporting ratios against a baseline measured in the
 * same run (never absolute thresholds). Pass names to run only some: `npm run bench -- text`.
 */
import { benchCli } from './cli.ts';
import { benchInterp } from './interp.ts';
import { benchJit } from './jit.ts';
import { benchOptimizer, optimizerSizeWorker } from './optimizer.ts';
import { benchText } from './text.ts';
import { benchValidate } from './validate.ts';
import { benchWasm } from './wasm.ts';

const BENCHES: Record<string, () => Promise<string>> = {
  text: benchText,
  optimizer: benchOptimizer,
  wasm: benchWasm,
  validate: benchValidate,
  interp: benchInterp,
  jit: benchJit,
  cli: benchCli,
};

// The optimizer bench's worker: one subject at one size in this fresh process (see optimizer.ts).
if (process.argv[2] === 'optimizer-size') {
  const reading = optimizerSizeWorker(process.argv[3] ?? '', Number(process.argv[4]));
  if (reading === null) {
    console.error(`bench: optimizer-size <subject> <size>: a subject of the optimizer bench's per-process list and one of its sizes`);
    process.exit(2);
  }
  console.log(reading);
  process.exit(0);
}
const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!(name in BENCHES)) {
    console.error(`bench: unknown benchmark '${name}' (benchmarks: ${Object.keys(BENCHES).join(', ')})`);
    process.exit(2);
  }
}
for (const name of chosen.length ? chosen : Object.keys(BENCHES)) {
  console.log(`== ${name}`);
  console.log(await BENCHES[name]!());
  console.log();
}
