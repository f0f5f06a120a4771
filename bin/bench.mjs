#!/usr/bin/env node
// `npm run bench`: bundles bench/run.ts with esbuild into one script beside it
// (bench/.run.bundle.mjs, so that the benchmarks' paths relative to their own file still hold)
// and runs it with node, passing the arguments on.
//
// Why not `tsx bench/run.ts` as before: tsx compiles each module on the fly and reaches every
// imported binding through a getter, which put a function call on each use of an imported
// function (an op table lookup, a constant) and cost the optimizer's inner loops a third of their
// time in the measurements. What boxless ships runs compiled code: `boxless py` one esbuild
// bundle (bin/build-bundle.mjs), the other commands tsc's output. The bundle measures the same.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'bench', '.run.bundle.mjs');
await build({
  entryPoints: [join(root, 'bench', 'run.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  packages: 'external',
  logLevel: 'error',
});
const run = spawnSync(process.execPath, [...process.execArgv, outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
