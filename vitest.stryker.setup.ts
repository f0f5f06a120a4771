// Stryker's hit limit, per test (a setup file of vitest.stryker.config.ts, run after Stryker's own
// stryker-setup file in every test file of a Stryker run; never outside one).
//
// Why: a mutant that makes a loop endless (`pc += 1` removed in the reference interpreter's main
// loop) hangs in the first test it reaches, and Stryker's guards were both sized for the whole
// run: its timeout is twice the net time of every covering test (about 160 s for a mutant of the
// interpreter's main loop, which 400 tests reach, so 6 minutes and a restart of the runner), and
// its hit limit is 100 times the mutant's hits over all those tests. Here the same limit is drawn
// per test: a test may activate the mutant at most 100 times as often as it reached that code in
// the dry run, plus FLOOR_HITS; past that the instrumented code throws, the test ends within
// milliseconds of the loop starting, and the run is reported as Stryker reports its own hit limit
// (status Timeout, reason "Hit limit reached"). A mutant that does not loop activates its code
// about as often as the original reached it (same tests, same fixed property seed), far below the
// limit, so its verdict does not change.
//
// The dry run (mode 'dry-run') records each test's per-mutant hit counts, which Stryker's
// coverage counters collect in globalThis.__stryker__.mutantCoverage.perTest, to one JSON file
// per test file in .stryker-hits/ of the sandbox; a mutant run (mode 'mutant') reads its file's.
//
// It also loads the library (src/index.ts: spec/, the optimizer, the wasm backend, the VM, the
// validator) before any test, in every test file. Module-level code (an op table, a constant) is
// a static mutant, which ignoreStatic leaves out of the score (stryker.config.mjs). But the CLI
// loads its layers lazily (src/cli/commands.ts), so in the CLI's test files the first load of
// spec/interpreter.ts happened inside a test: Stryker took the interpreter's op table as covered
// by that test alone (a "hybrid" mutant), ran only the CLI tests on a handler mutant, and reported
// handlers no CLI test uses as survivors. Loaded here, that code is static in every test file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import './src/index.ts';

/** Stryker's own factor between a mutant's hits in the dry run and its hit limit. */
const HIT_LIMIT_FACTOR = 100;
/** Activations a test may make of a mutant beyond the factor (a test the dry run saw reach it a few times, or not at all). */
const FLOOR_HITS = 100_000;
const HITS_DIR = '.stryker-hits';

interface Namespace {
  activeMutant?: string;
  hitCount?: number;
  hitLimit?: number;
  mutantCoverage?: { perTest?: Record<string, Record<string, number>> };
}

interface TaskLike {
  readonly name: string;
  readonly suite?: TaskLike;
  readonly file?: { readonly filepath: string };
}

// The keys Stryker's vitest runner provides; vitest's inject is typed by a declaration they do not ship.
const provided = inject as unknown as (key: string) => unknown;
const mode = provided('mode');
const ns = ((globalThis as Record<string, unknown>)[String(provided('globalNamespace'))] ??= {}) as Namespace;

/** The test id Stryker's setup file gives a test: file path, '#', the names from the file's suite down. */
function testId(task: TaskLike): string {
  const names = [task.name];
  for (let suite = task.suite; suite !== undefined; suite = suite.suite) names.unshift(suite.name);
  return `${task.file?.filepath ?? 'unknown.js'}#${names.join(' ').trim()}`;
}

const hitsFile = (filepath: string) => `${HITS_DIR}/${filepath.replace(/[^A-Za-z0-9.]+/g, '_')}.json`;

let fileHits: Record<string, Record<string, number>> = {};
let filepath: string | undefined;

if (mode === 'dry-run') {
  afterEach(({ task }) => {
    const id = testId(task as TaskLike);
    filepath ??= (task as TaskLike).file?.filepath;
    const hits = ns.mutantCoverage?.perTest?.[id];
    if (hits !== undefined) fileHits[id] = { ...hits };
  });
  afterAll(() => {
    if (filepath === undefined) return;
    mkdirSync(HITS_DIR, { recursive: true });
    writeFileSync(hitsFile(filepath), JSON.stringify(fileHits));
  });
} else if (mode === 'mutant') {
  const strykerLimit = provided('hitLimit') as number | undefined;
  let loaded = false;
  let testLimit = Infinity;
  beforeAll(() => {
    loaded = false;
  });
  beforeEach(({ task }) => {
    const file = (task as TaskLike).file?.filepath;
    if (!loaded && file !== undefined) {
      try {
        fileHits = JSON.parse(readFileSync(hitsFile(file), 'utf8')) as Record<string, Record<string, number>>;
      } catch {
        fileHits = {};
      }
      loaded = true;
    }
    const active = ns.activeMutant;
    if (active === undefined || ns.hitCount === undefined) return;
    const dryHits = fileHits[testId(task as TaskLike)]?.[active] ?? 0;
    testLimit = ns.hitCount + HIT_LIMIT_FACTOR * dryHits + FLOOR_HITS;
    ns.hitLimit = Math.min(strykerLimit ?? Infinity, testLimit);
  });
  afterEach(() => {
    // Past this test's limit: report it as Stryker reports its own (the run's hit count above the
    // run's limit), even if the code under test caught the error the instrumented code threw.
    if (ns.hitCount !== undefined && ns.hitCount > testLimit) ns.hitCount = Number.MAX_SAFE_INTEGER;
    ns.hitLimit = strykerLimit;
    testLimit = Infinity;
  });
}
