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
//
// The same limit, drawn on calls into compiled wasm: a mutant of the wasm emitter can make the
// host loop without running any mutated code again. An exit point whose kind is mutated (`{}` for
// `{ kind: 'back-edge' }`) matches no case of the host's exit switch (src/wasm/host.ts), so the
// host calls `run` again and again; the emitter ran once, before, so no hit counter moves, and the
// mutant waited for Stryker's timeout (3 to 4 minutes for the 300 tests that reach the emitter).
// Every function a wasm instance exports is wrapped here to count its calls per test; a test may
// make at most WASM_CALL_FACTOR times the calls it made in the dry run, plus FLOOR_WASM_CALLS.
// Why that cannot turn a survivor into a timeout: a mutant that survives fails no test, so each
// test takes the path it took in the dry run and starts as many host runs; the host's own loop
// (not mutated in an emitter run) calls `run` at most fuel / (BACK_EDGES_PER_CALL + 1) + 1 times
// per host run whatever the code returns (1 or 2 below a fuel of 65,537; 3 at the 140,000 of
// test/wasm/figure2.test.ts), against at least 1 in the dry run: far below the factor, and a test
// with many host runs has as many in its dry-run count. A wasm loop that never returns to the host
// is not covered: nothing but Stryker's timeout stops code inside one call.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import './src/index.ts';

/** Stryker's own factor between a mutant's hits in the dry run and its hit limit. */
const HIT_LIMIT_FACTOR = 100;
/** Activations a test may make of a mutant beyond the factor (a test the dry run saw reach it a few times, or not at all). */
const FLOOR_HITS = 100_000;
const HITS_DIR = '.stryker-hits';
/** Calls into compiled wasm a test may make: this factor times its calls in the dry run, plus FLOOR_WASM_CALLS. */
const WASM_CALL_FACTOR = 100;
const FLOOR_WASM_CALLS = 100_000;

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

/** What the dry run recorded of one test file: per test, its hits of each mutant and its calls into wasm. */
interface FileRecord {
  hits: Record<string, Record<string, number>>;
  wasmCalls: Record<string, number>;
}

let fileRecord: FileRecord = { hits: {}, wasmCalls: {} };
let filepath: string | undefined;

/** Calls into compiled wasm in the current test, and how many it may make. */
let wasmCalls = 0;
let wasmCallLimit = Infinity;

/**
 * Wraps the exported functions of every wasm instance made from here on to count their calls
 * (`wasmApi` in src/wasm/engine.ts is this global object, and looks `Instance` up at each compile).
 */
function countWasmCalls(): void {
  type Instance = { readonly exports: Record<string, unknown> };
  const api = (globalThis as unknown as { WebAssembly: { Instance: new (module: object, imports?: object) => Instance } }).WebAssembly;
  const Original = api.Instance;
  api.Instance = function CountingInstance(module: object, imports?: object): Instance {
    const instance = new Original(module, imports);
    const exports: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(instance.exports)) {
      exports[name] =
        typeof value === 'function'
          ? (...args: unknown[]) => {
              wasmCalls++;
              if (wasmCalls > wasmCallLimit) throw new Error(`wasm call limit reached (${wasmCalls}): the host is looping`);
              return (value as (...a: unknown[]) => unknown)(...args);
            }
          : value;
    }
    return Object.create(Original.prototype, { exports: { value: Object.freeze(exports), enumerable: true } }) as Instance;
  } as unknown as typeof api.Instance;
}

if (mode === 'dry-run') {
  countWasmCalls();
  beforeEach(() => {
    wasmCalls = 0;
  });
  afterEach(({ task }) => {
    const id = testId(task as TaskLike);
    filepath ??= (task as TaskLike).file?.filepath;
    const hits = ns.mutantCoverage?.perTest?.[id];
    if (hits !== undefined) fileRecord.hits[id] = { ...hits };
    fileRecord.wasmCalls[id] = wasmCalls;
  });
  afterAll(() => {
    if (filepath === undefined) return;
    mkdirSync(HITS_DIR, { recursive: true });
    writeFileSync(hitsFile(filepath), JSON.stringify(fileRecord));
  });
} else if (mode === 'mutant') {
  countWasmCalls();
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
        fileRecord = JSON.parse(readFileSync(hitsFile(file), 'utf8')) as FileRecord;
      } catch {
        fileRecord = { hits: {}, wasmCalls: {} };
      }
      loaded = true;
    }
    const id = testId(task as TaskLike);
    wasmCalls = 0;
    wasmCallLimit = WASM_CALL_FACTOR * (fileRecord.wasmCalls[id] ?? 0) + FLOOR_WASM_CALLS;
    const active = ns.activeMutant;
    if (active === undefined || ns.hitCount === undefined) return;
    const dryHits = fileRecord.hits[id]?.[active] ?? 0;
    testLimit = ns.hitCount + HIT_LIMIT_FACTOR * dryHits + FLOOR_HITS;
    ns.hitLimit = Math.min(strykerLimit ?? Infinity, testLimit);
  });
  afterEach(() => {
    // Past this test's limit: report it as Stryker reports its own (the run's hit count above the
    // run's limit), even if the code under test caught the error the instrumented code threw.
    const looped = (ns.hitCount !== undefined && ns.hitCount > testLimit) || wasmCalls > wasmCallLimit;
    if (looped && ns.hitCount !== undefined) ns.hitCount = Number.MAX_SAFE_INTEGER;
    ns.hitLimit = strykerLimit;
    testLimit = Infinity;
    wasmCallLimit = Infinity;
  });
}
