#!/usr/bin/env node
// `npm run mutate [-- PATH ...] [-- STRYKER OPTIONS]`: Stryker (stryker.config.mjs) over the files
// the config lists, or only over the files and folders given. Each scope keeps its own reports
// and incremental file in reports/mutation/<scope>/ (`all` for the whole list), so a run on one
// file neither overwrites nor is confused by the last full run's results.
//   npm run mutate                              every configured file
//   npm run mutate -- spec/interpreter.ts       one file (reports/mutation/spec-interpreter/)
//   npm run mutate -- src/wasm --force          a folder, ignoring the incremental file
//   npm run mutate -- spec/equivalence.ts:150-230   lines 150 to 230 of a file (Stryker's ranges)
//   npm run mutate -- --summary                 scores per file and folder from the last reports
//   npm run mutate -- --keep                    every scope's verdicts into mutation/, to commit
// A scope run for the first time starts from the incremental files of the scopes that hold its
// files, and from those kept in git (mutation/<scope>.json.gz, written by --keep), merged (bin/mutation-merge.mjs; --no-seed starts from nothing): a folder too large for
// one sitting is run in pieces, then whole, testing only what the pieces did not.
// Next to Stryker's reports, run.json records the paths asked for, the commit, the start, the
// minutes taken and the load average, for the summary (bin/mutation-summary.mjs).
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { collect, formatSummary } from './mutation-summary.mjs';
import { keepScopes, salvageScope, seedIncremental } from './mutation-merge.mjs';

const args = process.argv.slice(2);
if (args.includes('--summary')) {
  process.stdout.write(formatSummary(collect('reports/mutation')));
  process.exit(0);
}
// The reports are git-ignored and a machine does not outlive a session: what a run found is kept
// in git, gzipped, for the next machine's runs to start from.
const KEPT_DIR = 'mutation';
if (args.includes('--keep')) {
  const kept = keepScopes('reports/mutation', KEPT_DIR);
  for (const { scope, mutants, bytes } of kept) console.log(`${KEPT_DIR}/${scope}.json.gz: ${mutants} mutants, ${(bytes / 1024).toFixed(0)} KiB`);
  if (kept.length === 0) console.log('npm run mutate -- --keep: no scope under reports/mutation has verdicts to keep');
  process.exit(0);
}
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
const fullScope = paths.length === 0 ? 'all' : paths.map((p) => p.replace(/\/+$/, '').replace(/\.ts$/, '').replace(/[^A-Za-z0-9]+/g, '-')).join('+');
// A directory name has at most 255 bytes: a long list of ranges is named by its start and a hash
// of the whole (the same list, the same directory, so a rerun still finds its verdicts).
const MAX_SCOPE_NAME = 200;
const scope = fullScope.length <= MAX_SCOPE_NAME ? fullScope : `${fullScope.slice(0, MAX_SCOPE_NAME - 13)}+${createHash('sha256').update(fullScope).digest('hex').slice(0, 12)}`;
const mutate = globs.length === 0 ? [] : ['--mutate', [...globs, '!**/*.test.ts'].join(',')];
const git = (...gitArgs) => {
  try {
    return execFileSync('git', gitArgs, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const started = new Date();
const run = {
  paths,
  options,
  commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
  dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
  root: process.cwd(),
  started: started.toISOString(),
  loadStart: load(),
};
// A new scope starts from what other scopes found about its files (--no-seed: from nothing).
const reportsDir = 'reports/mutation';
const scopeDir = `${reportsDir}/${scope}`;
const runOptions = options.filter((o) => o !== '--no-seed');
// A run cut off before it wrote its incremental file keeps what its events recorded (this
// scope's, resumed where it stopped, and any other's, as a seed).
if (!options.includes('--force') && existsSync(reportsDir)) {
  for (const name of readdirSync(reportsDir)) {
    const dir = `${reportsDir}/${name}`;
    try {
      const { kept } = salvageScope(dir);
      if (kept > 0) console.log(`npm run mutate: ${dir}: a run that was cut off kept ${kept} verdicts (its incremental file rebuilt from its events)`);
    } catch (e) {
      console.error(`npm run mutate: ${dir}: the cut-off run's events could not be salvaged: ${e.message}`);
    }
  }
}
// Written now, status null until Stryker returns: a run cut off is known as one by salvageScope.
mkdirSync(scopeDir, { recursive: true });
writeFileSync(`${scopeDir}/run.json`, `${JSON.stringify({ ...run, status: null }, null, 2)}\n`);
if (!options.includes('--no-seed') && !options.includes('--force')) {
  const roots = paths.map(fileOf).map((p) => p.replace(/\/+$/, ''));
  const inScope = (file) => roots.length === 0 || roots.some((root) => file === root || file.startsWith(`${root}/`));
  const seeds = seedIncremental(reportsDir, scopeDir, inScope, KEPT_DIR);
  if (seeds.length > 0) console.log(`npm run mutate: ${scopeDir}/incremental.json seeded from ${seeds.join(', ')}`);
}
const result = spawnSync('npx', ['stryker', 'run', ...mutate, ...runOptions], {
  stdio: 'inherit',
  env: { ...process.env, BOXLESS_MUTATION_SCOPE: scope },
});
const reports = scopeDir;
mkdirSync(reports, { recursive: true });
const minutes = Math.round((Date.now() - started.getTime()) / 6000) / 10;
writeFileSync(`${reports}/run.json`, `${JSON.stringify({ ...run, minutes, loadEnd: load(), status: result.status }, null, 2)}\n`);
process.exit(result.status ?? 1);
