#!/usr/bin/env node
// `npm run mutate [-- PATH ...] [-- STRYKER OPTIONS]`: Stryker (stryker.config.mjs) over the files
// the config lists, or only over the files and folders given. Each scope keeps its own reports
// and incremental file in reports/mutation/<scope>/ (`all` for the whole list), so a run on one
// file neither overwrites nor is confused by the last full run's results.
//   npm run mutate                              every configured file
//   npm run mutate -- spec/interpreter.ts       one file (reports/mutation/spec-interpreter/)
//   npm run mutate -- src/wasm --force          a folder, ignoring the incremental file
//   npm run mutate -- spec/equivalence.ts:150-230   lines 150 to 230 of a file (Stryker's ranges)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith('-'));
const options = args.filter((a) => a.startsWith('-'));
/** A path without its line range (`file.ts:150-230`). */
const fileOf = (path) => path.replace(/:[0-9]+(:[0-9]+)?-[0-9]+(:[0-9]+)?$/, '');
for (const path of paths.map(fileOf)) {
  if (!existsSync(path)) {
    console.error(`npm run mutate: ${path}: no such file or folder (expected a path such as spec/interpreter.ts or src/wasm)`);
    process.exit(2);
  }
}
const globs = paths.map((p) => (statSync(fileOf(p)).isDirectory() ? `${p.replace(/\/+$/, '')}/**/*.ts` : p));
const scope = paths.length === 0 ? 'all' : paths.map((p) => p.replace(/\/+$/, '').replace(/\.ts$/, '').replace(/[^A-Za-z0-9]+/g, '-')).join('+');
const mutate = globs.length === 0 ? [] : ['--mutate', [...globs, '!**/*.test.ts'].join(',')];
const result = spawnSync('npx', ['stryker', 'run', ...mutate, ...options], {
  stdio: 'inherit',
  env: { ...process.env, BOXLESS_MUTATION_SCOPE: scope },
});
process.exit(result.status ?? 1);
