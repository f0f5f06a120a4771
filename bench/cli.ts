/**
 * `npm run bench -- cli`: how long the `boxless` command takes to start, as the user runs it
 * (`node bin/boxless.mjs`, the compiled command in dist/: run `npm run build` first), against
 * `node -e 0` measured in the same run, alternating, so the ratio says what boxless adds to
 * Node's own start-up whatever the machine's load. `--help` loads the option tables only; `fmt`
 * on Figure 2 loads the text layer and parses a file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtNumber, table } from './measure.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 11);

function wallMs(argv: readonly string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`bench cli: node ${argv.join(' ')} exited with ${run.status}: ${run.stderr}`);
  return ms;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCli(): Promise<string> {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) return 'bench cli: dist/ is not built: run `npm run build` first';
  const cases: [string, string[]][] = [
    ['node -e 0 (baseline)', ['-e', '0']],
    ['boxless --help', ['bin/boxless.mjs', '--help']],
    ['boxless fmt examples/paper-figure2.trace', ['bin/boxless.mjs', 'fmt', 'examples/paper-figure2.trace']],
  ];
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < REPEATS; r++) cases.forEach(([, argv], k) => times[k]!.push(wallMs(argv)));
  const base = median(times[0]!);
  return [
    `process wall time, median of ${REPEATS} alternating runs (BENCH_REPEATS)`,
    table(
      ['command', 'ms', 'x node -e 0'],
      cases.map(([name], k) => [name, fmtNumber(median(times[k]!), 0), fmtNumber(median(times[k]!) / base)]),
    ),
  ].join('\n');
}
