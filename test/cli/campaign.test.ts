/**
 * The command as a researcher lives in it: a fuzz campaign whose counterexample is a trace file
 * that `check` reproduces and `check --bisect` pins on the broken pass; the replay command fuzz
 * prints and honours; what each pass did (`--print-after`, `--diff`); `--json` everywhere; colors
 * only on a terminal; a start-up that loads no layer before a command needs it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.ts';
import { colorDiff, colorsWanted, palette } from '../../src/cli/color.ts';
import { parseTrace } from '../../src/text/index.ts';

const FIGURE2 = 'examples/paper-figure2.trace';
/** The default pipeline with heapcache replaced by a variant that keeps reads across escape. */
const BROKEN_PIPELINE = 'virtualize,peel,test/broken-optimizers/heapcache-ignores-escape.ts#heapcacheIgnoringEscape,fold,dce';

async function boxless(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(`${a.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(`${a.join(' ')}\n`));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    const status = await main(argv);
    return { status, out: out.join(''), err: err.join('') };
  } finally {
    vi.restoreAllMocks();
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'boxless-campaign-'));
afterEach(() => vi.restoreAllMocks());

describe('fuzz, then check', () => {
  it('fuzz prints the seed first and progress on stderr, the counterexample alone on stdout; check reproduces it and --bisect names the pass', async () => {
    const fuzz = await boxless('fuzz', '--target', 'optimize', '--passes', BROKEN_PIPELINE, '--runs', '400', '--seed', '11');
    expect(fuzz.status).toBe(1);
    expect(fuzz.err.split('\n')[0]).toBe(`boxless fuzz --target optimize --passes ${BROKEN_PIPELINE} --runs 400 --seed 11`);
    expect(fuzz.err).toMatch(/^\d+\/400 traces \(/m);
    expect(fuzz.err).toMatch(/counterexample after \d+ traces \(seed 11\)/);
    // stdout is a trace file: it parses, its comments carry the replay command.
    const counterexample = parseTrace(fuzz.out, 'cx.trace');
    expect(counterexample.ops.length).toBeLessThanOrEqual(10);
    const replay = /^# replay: (boxless fuzz .*)$/m.exec(fuzz.out)![1]!;
    expect(replay).toMatch(/--seed 11 --path [0-9:]+$/);

    const file = join(scratch, 'cx.trace');
    writeFileSync(file, fuzz.out);
    const check = await boxless('check', file, '--passes', BROKEN_PIPELINE, '--runs', '0');
    expect(check.status).toBe(1);
    expect(check.out).toMatch(/differs on input/);
    // The same file under the correct pipeline: no difference.
    expect((await boxless('check', file, '--runs', '0')).status).toBe(0);

    const bisect = await boxless('check', file, '--passes', BROKEN_PIPELINE, '--runs', '0', '--bisect');
    expect(bisect.out).toMatch(/bisect: the first pass whose output differs from the input trace is heapcacheIgnoringEscape \(round 1, pass 3 of 5\)/);

    // The replay command, run by fuzz itself, finds the same counterexample at once.
    const again = await boxless(...replay.split(' ').slice(1));
    expect(again.status).toBe(1);
    expect(again.out).toBe(fuzz.out);
  });

  it('--json: one object with the counterexample and the replay', async () => {
    const r = await boxless('fuzz', '--target', 'optimize', '--passes', BROKEN_PIPELINE, '--runs', '400', '--seed', '11', '--json');
    const json = JSON.parse(r.out) as { schema: string; status: number; found: boolean; counterexample: { file: string; trace: { text: string } }; replay: { seed: number; path: string } };
    expect([json.schema, json.status, json.found, json.replay.seed]).toEqual(['boxless/1', 1, true, 11]);
    expect(parseTrace(json.counterexample.file).ops.length).toBe(parseTrace(json.counterexample.trace.text).ops.length);
  });

  it('a seed outside 32 bits is refused rather than aliased; --path needs --seed; --passes needs an optimizing target', async () => {
    for (const seed of ['4294967296', '2147483648', '-2147483649', 'x']) {
      const r = await boxless('fuzz', '--seed', seed);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(/--seed: /);
    }
    expect((await boxless('fuzz', '--runs', '1', '--seed', '-2147483648')).status).toBe(0);
    expect((await boxless('fuzz', '--path', '1:2')).err).toMatch(/give its --seed too/);
    expect((await boxless('fuzz', '--target', 'wasm', '--passes', 'fold')).err).toMatch(/--passes needs a target that optimizes/);
    expect((await boxless('check', FIGURE2, '--passes', 'test/nothing-here.ts')).err).toMatch(/--passes: cannot load test\/nothing-here.ts/);
  });
});

describe('what each pass did', () => {
  it("optimize --print-after all on Figure 2 shows each pass's output, round by round, then the result", async () => {
    const r = await boxless('optimize', FIGURE2, '--print-after', 'all');
    expect(r.status).toBe(0);
    const headers = r.out.split('\n').filter((line) => line.startsWith('# ***'));
    expect(headers.slice(0, 5).map((h) => /after (\w+) \(round 1\)/.exec(h)?.[1])).toEqual(['virtualize', 'peel', 'heapcache', 'fold', 'dce']);
    // A pass that changed nothing says so instead of repeating the trace.
    expect(headers).toContain('# *** after dce (round 1): unchanged ***');
    expect(headers[headers.length - 1]).toBe('# *** the optimized trace ***');
    // Each block is a whole trace that parses; the one after virtualize has no allocation in the loop's test.
    const blocks = r.out.split(/^# \*\*\*.*\*\*\*$/m).slice(1).filter((b) => b.trim() !== '');
    for (const block of blocks) expect(() => parseTrace(block)).not.toThrow();
    expect(blocks[1]).toContain('label(');
    expect(blocks[blocks.length - 1]).toBe(`\n${(await boxless('optimize', FIGURE2)).out}`);
  });

  it('--print-after PASS shows that pass only; --diff shows what it changed', async () => {
    const r = await boxless('optimize', FIGURE2, '--print-after', 'peel', '--diff');
    expect(r.out).toContain('# *** after peel (round 1) ***\n--- before peel (round 1)\n+++ after peel (round 1)\n@@ ');
    expect(r.out).toMatch(/^\+label\(/m);
    expect(r.out).not.toContain('after virtualize');
    const whole = await boxless('optimize', FIGURE2, '--diff');
    expect(whole.out).toMatch(/^--- input\n\+\+\+ optimized\n@@ /);
    expect(whole.out).toMatch(/^-p5 = new\(BoxedInteger\)$/m);
    expect((await boxless('optimize', FIGURE2, '--print-after', 'nope')).err).toMatch(/--print-after: unknown pass 'nope'/);
  });
});

describe('--json on every command', () => {
  const cases: [string, string[]][] = [
    ['run', ['run', FIGURE2, '--json']],
    ['fmt', ['fmt', FIGURE2, '--json']],
    ['optimize', ['optimize', FIGURE2, '--json', '--print-after', 'all']],
    ['check', ['check', FIGURE2, '--json', '--runs', '3']],
    ['validate', ['validate', FIGURE2, '--json']],
    ['wasm', ['wasm', FIGURE2, '--json']],
    ['fuzz', ['fuzz', '--json', '--runs', '5', '--seed', '1']],
  ];
  for (const [command, argv] of cases) {
    it(`${command}: exactly one object, schema boxless/1, its status the exit status`, async () => {
      const r = await boxless(...argv);
      const json = JSON.parse(r.out) as { schema: string; command: string; status: number };
      expect([json.schema, json.command, json.status]).toEqual(['boxless/1', command, r.status]);
    });
  }

  it('an error with --json is an object too, with a code', async () => {
    const r = await boxless('optimize', 'no-such.trace', '--json');
    expect(r.status).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ schema: 'boxless/1', command: 'optimize', status: 2, error: { code: 'usage' } });
  });

  it('run --json holds each exit as data', async () => {
    const json = JSON.parse((await boxless('run', FIGURE2, '--json')).out) as { runs: { input: string; exit: { kind: string; guardId?: number } }[] };
    expect(json.runs.map((r) => [r.input, r.exit.kind, r.exit.guardId])).toEqual([
      ['int_y', 'guard', 7],
      ['float_y', 'guard', 1],
    ]);
  });
});

describe('colors', () => {
  it('only on a TTY, and never with NO_COLOR set or TERM=dumb', () => {
    expect(colorsWanted({ isTTY: true }, {})).toBe(true);
    expect(colorsWanted({ isTTY: false }, {})).toBe(false);
    expect(colorsWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorsWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorsWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorDiff('-a\n+b', palette({ isTTY: true }, {}))).toBe('\u001b[31m-a\u001b[39m\n\u001b[32m+b\u001b[39m');
    expect(colorDiff('-a\n+b', palette({ isTTY: true }, { NO_COLOR: '1' }))).toBe('-a\n+b');
  });
});

describe('start-up', () => {
  // `boxless --help` loads only what it prints: the option tables. A static import of a layer in
  // one of these files would make every command pay for it (measured: see README).
  const START_UP = ['main.ts', 'cli.ts', 'args.ts', 'command.ts', 'commands.ts', 'color.ts', 'json.ts', 'fuels.ts', 'fuzz-targets.ts', 'py.ts'];
  it('the modules loaded before a command runs import nothing else of boxless', () => {
    const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', 'src', 'cli');
    const loaded = new Set<string>();
    const pending = [join(root, 'main.ts')];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (loaded.has(file)) continue;
      loaded.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gm)) pending.push(resolve(dirname(file), m[1]!));
    }
    const names = [...loaded].map((f) => (f.startsWith(root) ? f.slice(root.length + 1) : f.slice(resolve(root, '..').length + 1)));
    expect(names.filter((n) => !START_UP.includes(n) && n !== 'ir/errors.ts')).toEqual([]);
  });
});

describe('a campaign stopped with Ctrl-C', () => {
  it('prints a summary of what it tried and exits with 130 (the built command, in its own process)', async () => {
    const { spawn } = await import('node:child_process');
    const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
    const child = spawn(process.execPath, [join(root, 'bin', 'boxless.mjs'), 'fuzz', '--target', 'optimize', '--runs', '1000000', '--seed', '5'], { cwd: root });
    let err = '';
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    const status = await new Promise<number | null>((resolveStatus) => {
      child.stderr.on('data', (chunk) => {
        err += String(chunk);
        // The seed line is written in the same tick as the handler is installed: interrupt then.
        if (err.includes('\n') && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (code) => resolveStatus(code));
    });
    expect(status).toBe(130);
    expect(err.split('\n')[0]).toBe('boxless fuzz --target optimize --runs 1000000 --seed 5');
    expect(err).toMatch(/interrupted after \d+ traces \(seed 5\), no difference from the reference among them/);
    expect(out).toBe('');
  });
});

describe('progress', () => {
  it('a bar redrawn in place on a terminal, plain lines at each tenth otherwise', async () => {
    const { Progress } = await import('../../src/cli/progress.ts');
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, write: (text: string) => (written.push(text), true) }) as unknown as NodeJS.WriteStream;
    const plain = new Progress({ total: 20, what: 'traces', stream: stream(false), colors: palette({ isTTY: false }) });
    for (let n = 1; n <= 20; n++) plain.update(n);
    expect(written.length).toBe(10);
    expect(written[0]).toMatch(/^2\/20 traces \(\d+\.\d s\)\n$/);
    written.length = 0;
    const tty = new Progress({ total: 20, what: 'traces', stream: stream(true), colors: palette({ isTTY: false }) });
    tty.update(20);
    tty.done();
    expect(written[0]).toMatch(/^\r\u001b\[K\[#{30}\] 20\/20 traces, /);
    expect(written[1]).toBe('\r\u001b[K');
  });
});
