#!/usr/bin/env node
// `node bin/mutation-merge.mjs OUT_SCOPE_DIR IN_SCOPE_DIR...`: one incremental file from the
// incremental files of several scopes (reports/mutation/<scope>/incremental.json), so that a run
// over their union (`npm run mutate -- src/optimizer`, whose scope directory is OUT_SCOPE_DIR)
// tests only the mutants whose code or covering tests changed since those runs. A full run of a
// folder then costs what its pieces, run over several sessions, did not cover yet.
//
// Stryker recognizes a mutant across reports by its file, mutator, replacement and location, and a
// test by its file and name (the vitest runner reports no test locations): ids mean something
// only within one report. So the merge renumbers mutants, names each test by its file and name,
// and rewrites each mutant's covering and killing tests to those names. Where two inputs hold
// the same source file, the newer run's entry wins (run.json's start time; else the order given)
// mutant by mutant; if the file changed between them, the older run's verdicts are first moved
// onto the newer text where the lines they span are unchanged (a longest common subsequence of
// the lines, as Stryker relocates an old report's mutants), and dropped elsewhere, for Stryker to
// test again. So pieces of a file run at different commits add up. Where two inputs
// hold the same test file, its tests are united if the sources are the same text, else the newer
// one is kept: Stryker compares it with the current one and reruns what depends on a test file
// that changed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const mutantKey = (file, m) => `${file}@${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement ?? ''}`;

/**
 * Merges incremental reports, oldest first: [{ report, started }] -> one report. Throws on a
 * report that is not a Stryker incremental report (no `files`).
 */
export function mergeIncremental(inputs) {
  const ordered = [...inputs].sort((a, b) => (a.started ?? '').localeCompare(b.started ?? ''));
  /** file -> { entry, mutants: Map<key, mutant with tests as names> } */
  const files = new Map();
  /** test file -> its newest entry */
  const testFiles = new Map();
  let base = null;
  for (const { report, label } of ordered) {
    if (report === null || typeof report !== 'object' || typeof report.files !== 'object') throw new Error(`${label}: not a Stryker incremental report (no "files")`);
    base ??= report;
    const testName = new Map();
    for (const [file, tf] of Object.entries(report.testFiles ?? {})) {
      for (const t of tf.tests ?? []) testName.set(t.id, `${file}#${t.name}`);
      const known = testFiles.get(file);
      // The same text: the tests of both (a run lists those it ran); else the newer file's.
      const tests = known !== undefined && known.source === tf.source ? [...new Map([...(known.tests ?? []), ...(tf.tests ?? [])].map((t) => [t.name, t])).values()] : (tf.tests ?? []);
      testFiles.set(file, { ...tf, tests });
    }
    const names = (ids) => (ids ?? []).map((id) => testName.get(id)).filter((n) => n !== undefined);
    for (const [file, entry] of Object.entries(report.files)) {
      const known = files.get(file);
      const mutants = known === undefined ? new Map() : known.entry.source === entry.source ? known.mutants : relocated(file, known, entry.source);
      for (const m of entry.mutants ?? []) mutants.set(mutantKey(file, m), { ...m, coveredBy: names(m.coveredBy), killedBy: names(m.killedBy) });
      files.set(file, { entry, mutants });
    }
  }
  if (base === null) throw new Error('nothing to merge: give at least one scope directory');
  // Tests are named by file and name; only names some test file of the merge still holds are kept.
  const testId = new Map();
  const outTestFiles = {};
  for (const [file, tf] of testFiles) {
    outTestFiles[file] = {
      ...tf,
      tests: (tf.tests ?? []).map((t) => {
        const id = String(testId.size);
        testId.set(`${file}#${t.name}`, id);
        return { ...t, id };
      }),
    };
  }
  const ids = (names) => names.map((n) => testId.get(n)).filter((id) => id !== undefined);
  let next = 0;
  const outFiles = {};
  for (const [file, { entry, mutants }] of files) {
    outFiles[file] = { ...entry, mutants: [...mutants.values()].map((m) => ({ ...m, id: String(next++), coveredBy: ids(m.coveredBy), killedBy: ids(m.killedBy) })) };
  }
  return { ...base, files: outFiles, testFiles: outTestFiles };
}

/** `known`'s mutants (of an older text of `file`) moved onto `source`, those on changed lines dropped. */
function relocated(file, known, source) {
  const map = lineMapping(known.entry.source ?? '', source);
  const out = new Map();
  for (const m of known.mutants.values()) {
    const { start, end } = m.location;
    const to = map[start.line] ?? 0;
    let unchanged = to > 0;
    for (let line = start.line + 1; unchanged && line <= end.line; line++) unchanged = map[line] === to + (line - start.line);
    if (!unchanged) continue;
    const shift = to - start.line;
    const moved = { ...m, location: { start: { ...start, line: start.line + shift }, end: { ...end, line: end.line + shift } } };
    out.set(mutantKey(file, moved), moved);
  }
  return out;
}

/**
 * Where each line (1-based) of `before` is in `after`, or 0 where it is not: a longest common
 * subsequence of the lines, after their common head and tail. A middle too large to align
 * (over 40 million line pairs) is left unmapped: its verdicts are then tested again.
 */
export function lineMapping(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  const map = new Int32Array(a.length + 1);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) map[++head] = head;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    map[a.length - tail] = b.length - tail;
    tail++;
  }
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 || m === 0 || n * m > 40_000_000) return map;
  // Lines as numbers, so the table compares integers.
  const ids = new Map();
  const id = (line) => ids.get(line) ?? (ids.set(line, ids.size), ids.size - 1);
  const x = Int32Array.from({ length: n }, (_, i) => id(a[head + i]));
  const y = Int32Array.from({ length: m }, (_, j) => id(b[head + j]));
  // lcs[i * (m + 1) + j]: the longest common subsequence of x[i..] and y[j..].
  const w = m + 1;
  const lcs = new Int32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (x[i] === y[j]) map[head + 1 + i++] = head + 1 + j++;
    else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) i++;
    else j++;
  }
  return map;
}

/**
 * Seeds a scope that has no incremental file yet from the other scopes' (under `reportsDir`) and
 * those kept in git (`keptDir`, see keepScopes), restricted to the files `inScope` accepts: a run over a folder after runs over its files, or
 * over some lines of a file after a run over all of it, starts from what those found (Stryker
 * relocates an old verdict through the source's changes, and retests what changed). Returns the
 * scopes it took, newest last; writes nothing when none holds a file of the scope.
 */
export function seedIncremental(reportsDir, scopeDir, inScope, keptDir = null) {
  const target = join(scopeDir, 'incremental.json');
  if (existsSync(target)) return [];
  const local = existsSync(reportsDir)
    ? readdirSync(reportsDir)
        .map((name) => join(reportsDir, name))
        .filter((dir) => dir !== scopeDir && existsSync(join(dir, 'incremental.json')))
        .map(readScope)
    : [];
  const scopes = [...(keptDir === null ? [] : readKept(keptDir)), ...local]
    .map((s) => ({ ...s, report: { ...s.report, files: Object.fromEntries(Object.entries(s.report.files ?? {}).filter(([file]) => inScope(file))) } }))
    .filter((s) => Object.keys(s.report.files).length > 0);
  if (scopes.length === 0) return [];
  mkdirSync(scopeDir, { recursive: true });
  writeFileSync(`${target}.partial`, JSON.stringify(mergeIncremental(scopes)));
  renameSync(`${target}.partial`, target);
  return scopes.sort((a, b) => (a.started ?? '').localeCompare(b.started ?? '')).map((s) => s.label);
}

/** `path`'s text at `commit`, from git (null when the commit does not hold it). */
export function gitSourceAt(commit, path) {
  try {
    return execFileSync('git', ['show', `${commit}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/**
 * A run that was cut off (a session's end, a kill) writes no incremental file, but Stryker's
 * event recorder has written every verdict as it came: the mutants reused or decided before any
 * test ran first, then each one tested (events/*-onMutantTested.json), and the tests of the dry
 * run (events/*-onDryRunCompleted.json). This makes them the scope's incremental file, so the
 * next run tests only the mutants the cut-off one did not reach. The verdicts' locations are in
 * the source of the run's commit: run.json, written when the run starts, gives it (and its root,
 * to make the events' absolute paths relative); a run on a tree with uncommitted changes cannot
 * be salvaged. Returns { kept, why }: the verdicts kept, or 0 and why nothing was.
 */
export function salvageScope(dir, sourceAt = gitSourceAt) {
  const runFile = join(dir, 'run.json');
  const { report, kept, why } = reportFromEvents(dir, sourceAt);
  if (report === null) return { kept, why };
  const target = join(dir, 'incremental.json');
  writeFileSync(`${target}.partial`, JSON.stringify(report));
  renameSync(`${target}.partial`, target);
  const run = JSON.parse(readFileSync(runFile, 'utf8'));
  writeFileSync(runFile, `${JSON.stringify({ ...run, status: 'salvaged', salvaged: kept }, null, 2)}\n`);
  return { kept, why: null };
}

/**
 * The incremental report a run that has not ended (cut off, or still going) would leave, from its
 * events and its commit's sources: { report, kept, why } (report null, and why, when there is
 * none). Writes nothing.
 */
export function reportFromEvents(dir, sourceAt = gitSourceAt) {
  const none = (why) => ({ report: null, kept: 0, why });
  const runFile = join(dir, 'run.json');
  const events = join(dir, 'events');
  if (!existsSync(runFile) || !existsSync(events)) return none('no run.json or no events');
  const run = JSON.parse(readFileSync(runFile, 'utf8'));
  if (run.status !== null) return none('the run ended (its incremental file is its own)');
  if (run.dirty !== false || typeof run.commit !== 'string' || typeof run.root !== 'string') return none('the run started on uncommitted changes, or run.json does not say its commit and root');
  const names = readdirSync(events).sort();
  const read = (name) => JSON.parse(readFileSync(join(events, name), 'utf8'));
  const dryRun = names.find((n) => n.endsWith('-onDryRunCompleted.json'));
  const tested = names.filter((n) => n.endsWith('-onMutantTested.json'));
  if (dryRun === undefined || tested.length === 0) return none('the run was cut off before its first verdict');
  const rel = (file) => relative(run.root, file);
  const source = (path) => {
    const text = sourceAt(run.commit, path);
    if (text === null) throw new Error(`${dir}: ${path} is not in commit ${run.commit}`);
    return text;
  };
  const testFiles = {};
  for (const t of read(dryRun).result?.tests ?? []) {
    const file = rel(t.fileName);
    (testFiles[file] ??= { source: source(file), tests: [] }).tests.push({ id: t.id, name: t.name });
  }
  const files = {};
  for (const name of tested) {
    const { fileName, ...m } = read(name);
    const file = rel(fileName);
    (files[file] ??= { language: 'typescript', source: source(file), mutants: [] }).mutants.push(m);
  }
  // Through the merge, which numbers mutants and tests as Stryker's own reports do.
  const report = mergeIncremental([{ report: { schemaVersion: '1.0', files, testFiles }, started: run.started, label: dir }]);
  return { report, kept: tested.length, why: null };
}

/**
 * Keeps each scope's verdicts in `keptDir` (tracked by git, unlike the reports): one gzipped
 * `<scope>.json.gz` holding { run, report }, the run.json and the incremental report, or for a
 * run that has not ended (cut off, or still going) the report its events make. A clean clone, or
 * another machine, then seeds its runs from them (seedIncremental) instead of starting over.
 * Returns [{ scope, mutants, bytes }] for the scopes kept.
 */
export function keepScopes(reportsDir, keptDir, sourceAt = gitSourceAt) {
  const kept = [];
  if (!existsSync(reportsDir)) return kept;
  for (const scope of readdirSync(reportsDir).sort()) {
    const dir = join(reportsDir, scope);
    const runFile = join(dir, 'run.json');
    if (!existsSync(runFile)) continue;
    const run = JSON.parse(readFileSync(runFile, 'utf8'));
    let report = null;
    if (run.status === null) report = reportFromEvents(dir, sourceAt).report;
    else if (existsSync(join(dir, 'incremental.json'))) report = readScope(dir).report;
    if (report === null) continue;
    mkdirSync(keptDir, { recursive: true });
    const bytes = gzipSync(JSON.stringify({ run, report }), { level: 9 });
    const target = join(keptDir, `${scope}.json.gz`);
    writeFileSync(`${target}.partial`, bytes);
    renameSync(`${target}.partial`, target);
    kept.push({ scope, mutants: Object.values(report.files).reduce((n, f) => n + (f.mutants?.length ?? 0), 0), bytes: bytes.length });
  }
  return kept;
}

/** The scopes kept in `keptDir`, in readScope's shape (label: the file). */
export function readKept(keptDir) {
  if (!existsSync(keptDir)) return [];
  return readdirSync(keptDir)
    .filter((name) => name.endsWith('.json.gz'))
    .sort()
    .map((name) => {
      const file = join(keptDir, name);
      const { run, report } = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
      return { report, started: run?.started, label: file };
    });
}

/** Reads a scope directory's incremental file and the start of its run (run.json, when there). */
export function readScope(dir) {
  const file = join(dir, 'incremental.json');
  if (!existsSync(file)) throw new Error(`${dir}: no incremental.json (a run that was cut off leaves none)`);
  const runFile = join(dir, 'run.json');
  const run = existsSync(runFile) ? JSON.parse(readFileSync(runFile, 'utf8')) : {};
  return { report: JSON.parse(readFileSync(file, 'utf8')), started: run.started, label: dir };
}

// Run as a command (not imported by its test).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [out, ...dirs] = process.argv.slice(2);
  if (out === undefined || dirs.length === 0) {
    console.error('usage: node bin/mutation-merge.mjs OUT_SCOPE_DIR IN_SCOPE_DIR... (each a reports/mutation/<scope> directory)');
    process.exit(2);
  }
  try {
    const merged = mergeIncremental(dirs.map(readScope));
    mkdirSync(out, { recursive: true });
    // Written whole, then renamed: an interrupted merge leaves the old file, not half a new one.
    const target = join(out, 'incremental.json');
    writeFileSync(`${target}.partial`, JSON.stringify(merged));
    renameSync(`${target}.partial`, target);
    const count = Object.values(merged.files).reduce((n, f) => n + f.mutants.length, 0);
    console.log(`${target}: ${count} mutants of ${Object.keys(merged.files).length} file(s), from ${dirs.length} scope(s)`);
  } catch (e) {
    console.error(`mutation-merge: ${e.message}`);
    process.exit(1);
  }
}
