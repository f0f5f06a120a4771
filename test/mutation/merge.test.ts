// bin/mutation-merge.mjs: the incremental files of several scopes made one, so that a run over
// their union reuses what each found. Stryker knows mutants and tests across reports only by
// what they are (file, mutator, replacement, location; test file and name), so the merge must
// keep those and make every id point at the right test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A .mjs module of the command's, without type declarations: imported by URL.
const merge = await import(new URL('../../bin/mutation-merge.mjs', import.meta.url).href);

type Mutant = { id: string; mutatorName: string; replacement: string; status: string; location: { start: { line: number; column: number }; end: { line: number; column: number } }; coveredBy?: string[]; killedBy?: string[] };
const mutant = (id: string, line: number, status: string, coveredBy: string[] = [], killedBy: string[] = []): Mutant => ({
  id,
  mutatorName: 'ConditionalExpression',
  replacement: 'true',
  status,
  location: { start: { line, column: 5 }, end: { line, column: 9 } },
  coveredBy,
  killedBy,
});
const report = (files: Record<string, { source: string; mutants: Mutant[] }>, tests: Record<string, { source: string; tests: { id: string; name: string }[] }>) => ({
  schemaVersion: '1.0',
  files: Object.fromEntries(Object.entries(files).map(([f, e]) => [f, { language: 'typescript', ...e }])),
  testFiles: tests,
});

/** A mutant of the merged report with its tests as `file#name`. */
function resolved(merged: ReturnType<typeof report>, file: string, line: number) {
  const names = new Map(Object.entries(merged.testFiles).flatMap(([f, tf]) => tf.tests.map((t) => [t.id, `${f}#${t.name}`] as const)));
  const m = merged.files[file]!.mutants.find((x) => x.location.start.line === line)!;
  return { status: m.status, coveredBy: m.coveredBy!.map((id) => names.get(id)), killedBy: m.killedBy!.map((id) => names.get(id)) };
}

describe('merging incremental reports', () => {
  // Two scopes: each numbers its tests from 0, so the same id means different tests.
  const a = report({ 'src/a.ts': { source: 'A1', mutants: [mutant('0', 1, 'Killed', ['0', '1'], ['1']), mutant('1', 2, 'Survived', ['0'])] } }, {
    't/one.test.ts': { source: 'T1', tests: [{ id: '0', name: 'first' }, { id: '1', name: 'second' }] },
  });
  const b = report({ 'src/b.ts': { source: 'B1', mutants: [mutant('0', 1, 'Killed', ['0'], ['0'])] }, 'src/a.ts': { source: 'A1', mutants: [mutant('0', 2, 'Killed', ['1'], ['1'])] } }, {
    't/two.test.ts': { source: 'T2', tests: [{ id: '0', name: 'third' }] },
    't/one.test.ts': { source: 'T1', tests: [{ id: '1', name: 'second' }] },
  });
  const merged: ReturnType<typeof report> = merge.mergeIncremental([
    { report: b, started: '2026-12-02T12:00:00Z', label: 'b' },
    { report: a, started: '2026-12-02T10:00:00Z', label: 'a' },
  ]);

  it('keeps every file, and each mutant with the tests it names, whatever the ids were', () => {
    expect(Object.keys(merged.files).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(resolved(merged, 'src/a.ts', 1)).toEqual({ status: 'Killed', coveredBy: ['t/one.test.ts#first', 't/one.test.ts#second'], killedBy: ['t/one.test.ts#second'] });
    expect(resolved(merged, 'src/b.ts', 1)).toEqual({ status: 'Killed', coveredBy: ['t/two.test.ts#third'], killedBy: ['t/two.test.ts#third'] });
  });

  it('takes the newer run for a mutant both ran on the same source, and numbers mutants and tests once', () => {
    // src/a.ts line 2 survived in a (older) and was killed in b (newer).
    expect(resolved(merged, 'src/a.ts', 2)).toEqual({ status: 'Killed', coveredBy: ['t/one.test.ts#second'], killedBy: ['t/one.test.ts#second'] });
    const mutantIds = Object.values(merged.files).flatMap((f) => f.mutants.map((m) => m.id));
    expect(new Set(mutantIds).size).toBe(mutantIds.length);
    const testIds = Object.values(merged.testFiles).flatMap((f) => f.tests.map((t) => t.id));
    expect(new Set(testIds).size).toBe(testIds.length);
  });

  it("keeps only the newer run's mutants of a file whose source changed between them", () => {
    const changed = report({ 'src/a.ts': { source: 'A2', mutants: [mutant('0', 3, 'Survived')] } }, {});
    const out = merge.mergeIncremental([
      { report: a, started: '2026-12-01T00:00:00Z', label: 'a' },
      { report: changed, started: '2026-12-02T00:00:00Z', label: 'changed' },
    ]);
    expect(out.files['src/a.ts'].source).toBe('A2');
    expect(out.files['src/a.ts'].mutants.map((m: Mutant) => m.location.start.line)).toEqual([3]);
  });

  const scratch = mkdtempSync(join(tmpdir(), 'boxless-mutation-merge-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('as a command: writes OUT/incremental.json, and refuses a scope without one, with the reason', () => {
    for (const [name, r] of [['a', a], ['b', b]] as const) {
      mkdirSync(join(scratch, name));
      writeFileSync(join(scratch, name, 'incremental.json'), JSON.stringify(r));
    }
    const out = execFileSync('node', ['bin/mutation-merge.mjs', join(scratch, 'all'), join(scratch, 'a'), join(scratch, 'b')], { encoding: 'utf8' });
    expect(out).toContain('3 mutants of 2 file(s), from 2 scope(s)');
    expect(Object.keys(JSON.parse(readFileSync(join(scratch, 'all', 'incremental.json'), 'utf8')).files).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    let status = 0;
    let stderr = '';
    try {
      execFileSync('node', ['bin/mutation-merge.mjs', join(scratch, 'all'), join(scratch, 'missing')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toMatch(/missing: no incremental\.json \(a run that was cut off leaves none\)/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('seeding a new scope', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'boxless-mutation-seed-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const put = (scope: string, r: object, started: string) => {
    mkdirSync(join(scratch, scope), { recursive: true });
    writeFileSync(join(scratch, scope, 'incremental.json'), JSON.stringify(r));
    writeFileSync(join(scratch, scope, 'run.json'), JSON.stringify({ started }));
  };
  const one = report({ 'src/x/a.ts': { source: 'A', mutants: [mutant('0', 1, 'Killed', ['0'], ['0'])] }, 'spec/s.ts': { source: 'S', mutants: [mutant('1', 4, 'Survived', ['0'])] } }, { 't/a.test.ts': { source: 'T', tests: [{ id: '0', name: 'a' }] } });
  const two = report({ 'src/x/b.ts': { source: 'B', mutants: [mutant('0', 2, 'Survived', ['0'])] } }, { 't/b.test.ts': { source: 'U', tests: [{ id: '0', name: 'b' }] } });

  it("starts a folder's scope from the scopes that hold its files, and only those files", () => {
    put('src-x-a', one, '2026-12-02T10:00:00Z');
    put('src-x-b', two, '2026-12-02T11:00:00Z');
    const seeds = merge.seedIncremental(scratch, join(scratch, 'src-x'), (file: string) => file.startsWith('src/x/'));
    expect(seeds).toEqual([join(scratch, 'src-x-a'), join(scratch, 'src-x-b')]);
    const seeded = JSON.parse(readFileSync(join(scratch, 'src-x', 'incremental.json'), 'utf8'));
    expect(Object.keys(seeded.files).sort()).toEqual(['src/x/a.ts', 'src/x/b.ts']);
    expect(resolved(seeded, 'src/x/a.ts', 1)).toEqual({ status: 'Killed', coveredBy: ['t/a.test.ts#a'], killedBy: ['t/a.test.ts#a'] });
  });

  it('leaves a scope that has its own incremental file alone, and writes nothing when no scope holds its files', () => {
    expect(merge.seedIncremental(scratch, join(scratch, 'src-x'), () => true)).toEqual([]);
    expect(merge.seedIncremental(scratch, join(scratch, 'src-y'), (file: string) => file.startsWith('src/y/'))).toEqual([]);
    expect(existsSync(join(scratch, 'src-y'))).toBe(false);
  });
});

describe('runs over some lines of a file, at different commits', () => {
  // Lines 1, 5 and 9 of a nine-line file; in its later version two lines are inserted after
  // line 2 and line 9 is changed.
  const F1 = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9'].join('\n');
  const F2 = ['l1', 'l2', 'new a', 'new b', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9 changed'].join('\n');
  const whole = report({ 'src/f.ts': { source: F1, mutants: [mutant('0', 1, 'Killed'), mutant('1', 5, 'Survived'), mutant('2', 9, 'Killed')] } }, {});
  const rangeSame = report({ 'src/f.ts': { source: F1, mutants: [mutant('0', 5, 'Killed')] } }, {});
  const rangeLater = report({ 'src/f.ts': { source: F2, mutants: [mutant('0', 3, 'Killed')] } }, {});
  const lines = (r: ReturnType<typeof report>) => r.files['src/f.ts']!.mutants.map((m) => `${m.location.start.line} ${m.status}`).sort();

  it('a range adds its verdicts to a whole-file run of the same text', () => {
    const out = merge.mergeIncremental([
      { report: whole, started: '1', label: 'whole' },
      { report: rangeSame, started: '2', label: 'range' },
    ]);
    expect(lines(out)).toEqual(['1 Killed', '5 Killed', '9 Killed']);
  });

  it("moves the older run's verdicts onto the newer text where their lines are unchanged, and drops the others", () => {
    const out = merge.mergeIncremental([
      { report: whole, started: '1', label: 'whole' },
      { report: rangeLater, started: '2', label: 'range' },
    ]);
    expect(out.files['src/f.ts'].source).toBe(F2);
    // Line 1 stays, line 5 is now 7, line 9 changed (dropped); line 3 is the newer run's.
    expect(lines(out)).toEqual(['1 Killed', '3 Killed', '7 Survived']);
  });

  it('maps lines by a longest common subsequence: moved, inserted, removed and repeated lines', () => {
    expect(Array.from(merge.lineMapping('a\nb\nc\nd\ne', 'a\nX\nb\nd\ne\nf'))).toEqual([0, 1, 3, 0, 4, 5]);
    expect(Array.from(merge.lineMapping('x\nx\ny', 'y\nx\nx\ny'))).toEqual([0, 2, 3, 4]);
    expect(Array.from(merge.lineMapping('same', 'same'))).toEqual([0, 1]);
    expect(Array.from(merge.lineMapping('a\nb', 'c\nd'))).toEqual([0, 0, 0]);
  });

  it('moves a mutant over several lines only if all of them moved together', () => {
    const span = { ...mutant('0', 2, 'Killed'), location: { start: { line: 2, column: 1 }, end: { line: 3, column: 4 } } };
    const older = report({ 'src/g.ts': { source: 'a\nb\nc\nd', mutants: [span] } }, {});
    const split = report({ 'src/g.ts': { source: 'a\nb\nX\nc\nd', mutants: [] } }, {});
    const shifted = report({ 'src/g.ts': { source: 'Y\na\nb\nc\nd', mutants: [] } }, {});
    const after = (newer: ReturnType<typeof report>) =>
      merge.mergeIncremental([
        { report: older, started: '1', label: 'older' },
        { report: newer, started: '2', label: 'newer' },
      ]).files['src/g.ts'].mutants.map((m: Mutant) => [m.location.start.line, m.location.end.line]);
    expect(after(split)).toEqual([]);
    expect(after(shifted)).toEqual([[3, 4]]);
  });
});

describe('a run that was cut off', () => {
  // What Stryker's event recorder leaves: the dry run's tests and one file per verdict, with
  // absolute paths under the run's root; run.json from the run's start (status null).
  const scratch = mkdtempSync(join(tmpdir(), 'boxless-mutation-salvage-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const sources: Record<string, string> = { 'src/f.ts': 'F at c1', 't/f.test.ts': 'T at c1' };
  const sourceAt = (commit: string, path: string) => (commit === 'c1' ? (sources[path] ?? null) : null);
  const scope = (name: string, run: object, verdicts: object[]) => {
    const dir = join(scratch, name);
    mkdirSync(join(dir, 'events'), { recursive: true });
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    writeFileSync(
      join(dir, 'events', '00000-onDryRunCompleted.json'),
      JSON.stringify({ result: { status: 'complete', tests: [{ id: 't/f.test.ts#one', name: 'one', fileName: '/r/t/f.test.ts' }, { id: 't/f.test.ts#two', name: 'two', fileName: '/r/t/f.test.ts' }] } }),
    );
    verdicts.forEach((v, k) => writeFileSync(join(dir, 'events', `${String(k + 1).padStart(5, '0')}-onMutantTested.json`), JSON.stringify(v)));
    return dir;
  };
  const verdict = (line: number, status: string, coveredBy: string[], killedBy: string[] = []) => ({ fileName: '/r/src/f.ts', ...mutant('x', line, status, coveredBy, killedBy) });
  const started = { paths: ['src/f.ts'], commit: 'c1', dirty: false, root: '/r', started: '2026-12-02T15:00:00Z', status: null };

  it('gets an incremental file from its events: each verdict, its tests by name, the sources of its commit', () => {
    const dir = scope('cut', started, [verdict(1, 'Killed', ['t/f.test.ts#one', 't/f.test.ts#two'], ['t/f.test.ts#two']), verdict(4, 'Survived', ['t/f.test.ts#one'])]);
    expect(merge.salvageScope(dir, sourceAt)).toEqual({ kept: 2, why: null });
    const salvaged = JSON.parse(readFileSync(join(dir, 'incremental.json'), 'utf8'));
    expect(salvaged.files['src/f.ts'].source).toBe('F at c1');
    expect(salvaged.testFiles['t/f.test.ts'].source).toBe('T at c1');
    expect(resolved(salvaged, 'src/f.ts', 1)).toEqual({ status: 'Killed', coveredBy: ['t/f.test.ts#one', 't/f.test.ts#two'], killedBy: ['t/f.test.ts#two'] });
    expect(resolved(salvaged, 'src/f.ts', 4)).toEqual({ status: 'Survived', coveredBy: ['t/f.test.ts#one'], killedBy: [] });
    // Marked as salvaged: asked again, it does nothing.
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({ status: 'salvaged', salvaged: 2 });
    expect(merge.salvageScope(dir, sourceAt).kept).toBe(0);
  });

  it('is left alone when it ended, started on uncommitted changes, or gave no verdict; a file not in its commit is an error', () => {
    const ended = scope('ended', { ...started, status: 0 }, [verdict(1, 'Killed', [])]);
    const dirty = scope('dirty', { ...started, dirty: true }, [verdict(1, 'Killed', [])]);
    const early = scope('early', started, []);
    for (const dir of [ended, dirty, early]) {
      expect(merge.salvageScope(dir, sourceAt).kept).toBe(0);
      expect(existsSync(join(dir, 'incremental.json'))).toBe(false);
    }
    const moved = scope('moved', { ...started, commit: 'c2' }, [verdict(1, 'Killed', [])]);
    expect(() => merge.salvageScope(moved, sourceAt)).toThrow(/src\/f\.ts is not in commit c2|t\/f\.test\.ts is not in commit c2/);
    expect(existsSync(join(moved, 'incremental.json'))).toBe(false);
  });
});

describe('verdicts kept in git', () => {
  // A machine does not outlive a session: `npm run mutate -- --keep` writes every scope's
  // verdicts to a tracked folder, and a new scope directory (a fresh clone) is seeded from them.
  const scratch = mkdtempSync(join(tmpdir(), 'boxless-mutation-keep-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const sources: Record<string, string> = { 'src/f.ts': 'F at c1', 't/f.test.ts': 'T at c1' };
  const sourceAt = (commit: string, path: string) => (commit === 'c1' ? (sources[path] ?? null) : null);
  const reports = join(scratch, 'reports');
  const kept = join(scratch, 'kept');

  it('keeps an ended run and one still going, and a new scope starts from them', () => {
    // An ended run: its incremental file and run.json.
    const ended = join(reports, 'src-g');
    mkdirSync(ended, { recursive: true });
    writeFileSync(join(ended, 'run.json'), JSON.stringify({ started: '2026-12-01T10:00:00Z', status: 0 }));
    writeFileSync(join(ended, 'incremental.json'), JSON.stringify(report({ 'src/g.ts': { source: 'G', mutants: [mutant('0', 2, 'Killed', ['0'], ['0'])] } }, { 't/g.test.ts': { source: 'TG', tests: [{ id: '0', name: 'g' }] } })));
    // A run still going: its events only.
    const going = join(reports, 'src-f');
    mkdirSync(join(going, 'events'), { recursive: true });
    writeFileSync(join(going, 'run.json'), JSON.stringify({ commit: 'c1', dirty: false, root: '/r', started: '2026-12-02T15:00:00Z', status: null }));
    writeFileSync(join(going, 'events', '00000-onDryRunCompleted.json'), JSON.stringify({ result: { tests: [{ id: 'x', name: 'one', fileName: '/r/t/f.test.ts' }] } }));
    writeFileSync(join(going, 'events', '00001-onMutantTested.json'), JSON.stringify({ fileName: '/r/src/f.ts', ...mutant('x', 3, 'Survived', ['x']) }));
    // A scope with neither is skipped.
    mkdirSync(join(reports, 'empty'), { recursive: true });

    expect(merge.keepScopes(reports, kept, sourceAt).map((k: { scope: string; mutants: number }) => [k.scope, k.mutants])).toEqual([
      ['src-f', 1],
      ['src-g', 1],
    ]);
    // Keeping does not touch the run still going.
    expect(JSON.parse(readFileSync(join(going, 'run.json'), 'utf8')).status).toBeNull();
    expect(existsSync(join(going, 'incremental.json'))).toBe(false);

    // A fresh clone: no reports at all, only the kept files.
    const fresh = join(scratch, 'fresh');
    const scopeDir = join(fresh, 'src');
    expect(merge.seedIncremental(fresh, scopeDir, (file: string) => file.startsWith('src/'), kept)).toEqual([join(kept, 'src-g.json.gz'), join(kept, 'src-f.json.gz')]);
    const seeded = JSON.parse(readFileSync(join(scopeDir, 'incremental.json'), 'utf8'));
    expect(resolved(seeded, 'src/f.ts', 3)).toEqual({ status: 'Survived', coveredBy: ['t/f.test.ts#one'], killedBy: [] });
    expect(resolved(seeded, 'src/g.ts', 2)).toEqual({ status: 'Killed', coveredBy: ['t/g.test.ts#g'], killedBy: ['t/g.test.ts#g'] });
    expect(seeded.files['src/f.ts'].source).toBe('F at c1');
  });
});
