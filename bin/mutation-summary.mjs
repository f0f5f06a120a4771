// The mutation scores of the last runs, per file and per folder, from the reports Stryker left in
// reports/mutation/<scope>/mutation.json (`npm run mutate -- --summary`), so that the README's
// figures can be regenerated. Each scope's run.json (written by bin/mutate.mjs) says what was
// asked for, at which commit, when, how long it took and at what load.
//
// A file counts from the newest whole-file report that holds it (a scope given as lines of a
// file, `file.ts:150-230`, holds only some of its mutants: listed, never counted). The score is
// Stryker's: (killed + timeout) / (killed + timeout + survived + no coverage); ignored mutants
// (static ones under ignoreStatic) and mutants that did not compile or run are outside it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'CompileError', 'RuntimeError'];

/** How a run ended, for its line: nothing when it passed. */
const ended = (r) => (r.status === 0 ? '' : r.status === null ? ', running or cut off' : r.status === 'salvaged' ? `, cut off (${r.salvaged} verdicts kept from its events)` : `, exit ${r.status}`);

/** Counts of `mutants` by status (unknown statuses under their own name). */
export function countStatuses(mutants) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const m of mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  return counts;
}

/** Stryker's mutation score of `counts` in percent, or null when no mutant is valid. */
export function score(counts) {
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return valid === 0 ? null : (100 * detected) / valid;
}

const add = (a, b) => Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)]));

/** Whether a scope's run was asked for some lines of a file only. */
const partial = (run) => (run?.paths ?? []).some((p) => /:[0-9]+(:[0-9]+)?-[0-9]+(:[0-9]+)?$/.test(p));

/**
 * The scopes under `reportsDir` that have a mutation.json, and for each file the newest
 * whole-file report holding it: { scopes, files: [{ file, scope, counts, survivors }] }.
 */
export function collect(reportsDir) {
  const scopes = [];
  const unfinished = [];
  if (existsSync(reportsDir)) {
    for (const name of readdirSync(reportsDir).sort()) {
      const json = join(reportsDir, name, 'mutation.json');
      if (!existsSync(json)) {
        const verdicts = verdictsSoFar(join(reportsDir, name, 'events'));
        if (verdicts !== null) unfinished.push({ name, ...verdicts });
        continue;
      }
      const runFile = join(reportsDir, name, 'run.json');
      const run = existsSync(runFile) ? JSON.parse(readFileSync(runFile, 'utf8')) : null;
      scopes.push({ name, run, written: statSync(json).mtimeMs, report: JSON.parse(readFileSync(json, 'utf8')), partial: partial(run) });
    }
  }
  const newest = new Map();
  for (const scope of scopes) {
    if (scope.partial) continue;
    for (const file of Object.keys(scope.report.files)) {
      const held = newest.get(file);
      if (held === undefined || held.written < scope.written) newest.set(file, scope);
    }
  }
  const files = [...newest.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, scope]) => {
      const mutants = scope.report.files[file].mutants;
      const survivors = mutants
        .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
        .map((m) => `${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}${m.replacement === undefined ? '' : ` -> ${JSON.stringify(m.replacement)}`}`);
      return { file, scope: scope.name, counts: countStatuses(mutants), survivors };
    });
  return { scopes, files, unfinished };
}

/**
 * A run still going, or cut off, has no mutation.json: what its event-recorder files say so far
 * (the verdicts, and how many mutants the plan has), or null when there are none.
 */
function verdictsSoFar(events) {
  if (!existsSync(events)) return null;
  const names = readdirSync(events);
  const plan = names.find((n) => n.endsWith('-onMutationTestingPlanReady.json'));
  const tested = names.filter((n) => n.endsWith('-onMutantTested.json')).map((n) => JSON.parse(readFileSync(join(events, n), 'utf8')));
  if (plan === undefined && tested.length === 0) return null;
  const planned = plan === undefined ? null : JSON.parse(readFileSync(join(events, plan), 'utf8')).mutantPlans.length;
  return { planned, tested: tested.length, counts: countStatuses(tested) };
}

const percent = (counts) => {
  const s = score(counts);
  return s === null ? '-' : `${s.toFixed(2)}%`;
};

const row = (name, counts, extra = '') =>
  `${name.padEnd(32)} ${String(counts.Killed).padStart(6)} ${String(counts.Timeout).padStart(7)} ${String(counts.Survived).padStart(8)} ${String(counts.NoCoverage).padStart(6)} ${String(counts.Ignored).padStart(7)} ${percent(counts).padStart(8)}${extra}`;

/** The summary as text: per file, per folder, the scopes' runs, the survivors. */
export function formatSummary({ scopes, files, unfinished = [] }) {
  const going = unfinished.map(
    (u) => `  ${u.name}: ${u.tested} of ${u.planned ?? '?'} mutants tested, ${u.counts.Killed} killed, ${u.counts.Timeout} timeout, ${u.counts.Survived} survived, ${u.counts.NoCoverage} no coverage (${percent(u.counts)} so far)`,
  );
  const unfinishedText = going.length === 0 ? '' : `\nruns without a report (still going, or cut off; not counted above):\n${going.join('\n')}\n`;
  if (files.length === 0) return `no mutation reports in reports/mutation/ (run \`npm run mutate -- PATH\` first)\n${unfinishedText}`;
  const header = `${'file'.padEnd(32)} ${'killed'.padStart(6)} ${'timeout'.padStart(7)} ${'survived'.padStart(8)} ${'no cov'.padStart(6)} ${'ignored'.padStart(7)} ${'score'.padStart(8)}`;
  const lines = [header];
  for (const f of files) lines.push(row(f.file, f.counts, `  (${f.scope})`));
  const folders = new Map();
  for (const f of files) folders.set(dirname(f.file), add(folders.get(dirname(f.file)) ?? countStatuses([]), f.counts));
  lines.push('', header.replace('file', 'folder'));
  for (const [folder, counts] of [...folders.entries()].sort()) lines.push(row(`${folder}/`, counts));
  lines.push('', 'runs (scope: paths, commit, started, minutes, load average at start and end):');
  for (const s of scopes) {
    const r = s.run;
    const what = r ? `${r.paths.length === 0 ? '(every configured file)' : r.paths.join(' ')}, ${r.commit}${r.dirty ? ' + uncommitted changes' : ''}, ${r.started}, ${r.minutes ?? '?'} min, load ${r.loadStart ?? '?'} -> ${r.loadEnd ?? '?'}${ended(r)}` : 'no run.json';
    lines.push(`  ${s.name}: ${what}${s.partial ? ' (lines of a file: not counted above)' : ''}`);
  }
  const survivors = files.flatMap((f) => f.survivors);
  lines.push('', survivors.length === 0 ? 'no survivors' : `survivors (${survivors.length}):`, ...survivors.map((s) => `  ${s}`));
  return `${lines.join('\n')}\n${unfinishedText}`;
}
