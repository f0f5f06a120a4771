// `npm run mutate -- --summary` (bin/mutation-summary.mjs): the README's mutation figures come
// from it, so it must count each file once, from its newest whole-file report, and never count a
// run over some lines of a file.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A .mjs module of the command's, without type declarations: imported by URL.
const summary = await import(new URL('../../bin/mutation-summary.mjs', import.meta.url).href);

const mutant = (status: string, line = 1) => ({
  id: `${status}${line}`,
  mutatorName: 'ConditionalExpression',
  replacement: 'true',
  status,
  location: { start: { line, column: 5 }, end: { line, column: 9 } },
});

const scratch = mkdtempSync(join(tmpdir(), 'boxless-mutation-summary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scope(name: string, files: Record<string, ReturnType<typeof mutant>[]>, paths: string[], secondsAgo: number) {
  mkdirSync(join(scratch, name));
  const json = join(scratch, name, 'mutation.json');
  writeFileSync(json, JSON.stringify({ files: Object.fromEntries(Object.entries(files).map(([f, mutants]) => [f, { mutants }])) }));
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(json, when, when);
  writeFileSync(join(scratch, name, 'run.json'), JSON.stringify({ paths, options: [], commit: 'abc1234', dirty: false, started: when.toISOString(), minutes: 12.5, loadStart: '3.00', loadEnd: '4.00', status: 0 }));
}

// An old run on the whole folder, a newer one on one of its files, a newest one on some lines.
scope('spec', { 'spec/a.ts': [mutant('Killed'), mutant('Survived', 2)], 'spec/b.ts': [mutant('Killed'), mutant('Timeout'), mutant('NoCoverage', 7), mutant('Ignored')] }, ['spec'], 300);
scope('spec-a', { 'spec/a.ts': [mutant('Killed'), mutant('Killed', 2)] }, ['spec/a.ts'], 200);
scope('spec-b-1-3', { 'spec/b.ts': [mutant('Survived', 2)] }, ['spec/b.ts:1-3'], 100);
scope('src-wasm-x', { 'src/wasm/x.ts': [mutant('Killed'), mutant('Killed'), mutant('Killed'), mutant('Survived', 4)] }, ['src/wasm/x.ts'], 100);

// A run still going: no mutation.json yet, only the event-recorder's files.
mkdirSync(join(scratch, 'spec-c', 'events'), { recursive: true });
writeFileSync(join(scratch, 'spec-c', 'events', '00001-onMutationTestingPlanReady.json'), JSON.stringify({ mutantPlans: [{}, {}, {}, {}] }));
writeFileSync(join(scratch, 'spec-c', 'events', '00002-onMutantTested.json'), JSON.stringify(mutant('Killed')));
writeFileSync(join(scratch, 'spec-c', 'events', '00003-onMutantTested.json'), JSON.stringify(mutant('Survived', 3)));

describe('mutation summary', () => {
  it("scores as Stryker does: detected (killed, timeout) over valid (no ignored, no compile errors)", () => {
    const counts = summary.countStatuses([mutant('Killed'), mutant('Timeout'), mutant('Survived'), mutant('NoCoverage'), mutant('Ignored'), mutant('CompileError')]);
    expect(summary.score(counts)).toBe(50);
    expect(summary.score(summary.countStatuses([mutant('Ignored')]))).toBeNull();
  });

  it('counts each file from its newest whole-file report, never from a run over some lines', () => {
    const { files } = summary.collect(scratch);
    expect(files.map((f: { file: string; scope: string }) => `${f.file} ${f.scope}`)).toEqual(['spec/a.ts spec-a', 'spec/b.ts spec', 'src/wasm/x.ts src-wasm-x']);
    expect(files[1].counts).toMatchObject({ Killed: 1, Timeout: 1, Survived: 0, NoCoverage: 1, Ignored: 1 });
    expect(files[1].survivors).toEqual(['spec/b.ts:7:5 NoCoverage ConditionalExpression -> "true"']);
  });

  it('prints per-file and per-folder scores, each run, and the survivors', () => {
    const text: string = summary.formatSummary(summary.collect(scratch));
    // spec/: a (2 killed) + b (1 killed, 1 timeout, 1 no coverage) = 4 of 5.
    expect(text).toMatch(/^spec\/ +3 +1 +0 +1 +1 +80\.00%$/m);
    expect(text).toMatch(/^src\/wasm\/ +3 +0 +1 +0 +0 +75\.00%$/m);
    expect(text).toMatch(/^spec\/a\.ts +2 +0 +0 +0 +0 +100\.00% +\(spec-a\)$/m);
    expect(text).toContain('spec-b-1-3: spec/b.ts:1-3, abc1234');
    expect(text).toContain('(lines of a file: not counted above)');
    expect(text).toContain('survivors (2):');
    expect(text).toContain('src/wasm/x.ts:4:5 Survived ConditionalExpression -> "true"');
  });

  it('lists a run without a report (still going, or cut off) apart, with its verdicts so far', () => {
    const text: string = summary.formatSummary(summary.collect(scratch));
    expect(text).toContain('spec-c: 2 of 4 mutants tested, 1 killed, 0 timeout, 1 survived, 0 no coverage (50.00% so far)');
    expect(text).not.toMatch(/^spec\/c/m);
  });

  it('says so when there is no report', () => {
    expect(summary.formatSummary(summary.collect(join(scratch, 'none')))).toMatch(/^no mutation reports/);
  });
});
