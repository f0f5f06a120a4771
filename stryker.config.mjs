// Mutation testing (Stryker with the vitest runner): `npm run mutate`, or one file or folder at a
// time with `npm run mutate -- spec/interpreter.ts` (bin/mutate.mjs; docs/mutation.md). Reports go
// to reports/mutation/<scope>/ (git-ignored): index.html, mutation.json, and the incremental file
// that lets a rerun after a small change test only the mutants whose code or covering tests
// changed. The scope is `all` unless bin/mutate.mjs names it after the paths given.
const scope = process.env.BOXLESS_MUTATION_SCOPE || 'all';
const reports = `reports/mutation/${scope}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // The project's vitest configuration with the test files of a mutant run in the order that
  // decides a killed mutant soonest (vitest.stryker.config.ts).
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: [
    'spec/**/*.ts',
    'src/optimizer/**/*.ts',
    'src/wasm/**/*.ts',
    'src/validate/**/*.ts',
    'src/vm/**/*.ts',
    '!**/*.test.ts',
  ],
  // Each mutant runs only the tests that reached it in the dry run (per-test coverage).
  coverageAnalysis: 'perTest',
  // A mutant of module-level code (an op table, a constant) would need the whole suite per
  // mutant; Stryker counts them as ignored and the score is over the rest.
  ignoreStatic: true,
  // The development machine has two cores shared with other jobs; CI may raise it.
  concurrency: 1,
  incremental: true,
  incrementalFile: `${reports}/incremental.json`,
  // event-recorder writes each mutant's verdict as it comes (reports/mutation/<scope>/events/*-onMutantTested.json),
  // and the plan (which tests each mutant runs, their net time) in *-onMutationTestingPlanReady.json:
  // a survivor can be looked at while a long run goes on.
  reporters: ['clear-text', 'progress', 'html', 'json', 'event-recorder'],
  eventReporter: { baseDir: `${reports}/events` },
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  // TypeScript 7's npm package has no classic compiler API: no type-checker plugin, and the
  // tsconfig rewriter (which would fail on the same missing API) is skipped by pointing it at a
  // file that does not exist. vitest strips types without checking them, so a mutant that does
  // not type-check still runs.
  tsconfigFile: 'stryker-reads-no-tsconfig.json',
  checkers: [],
  // The properties run their default counts on a fixed seed (properties/fc-config.ts); a slow
  // mutant is a timeout, counted as killed.
  timeoutFactor: 2,
  // The dry run runs every test that imports the mutated files, with coverage counters: minutes
  // on a loaded machine (Stryker's default of 5 was too short at load average 11).
  dryRunTimeoutMinutes: 30,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  // The sandbox needs no reports: past runs' events are thousands of files to copy.
  ignorePatterns: ['/reports'],
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
