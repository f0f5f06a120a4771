/**
 * The built `boxless py` runs the CLI bundled into one module (dist/bundle/py.js, made by
 * bin/build-bundle.mjs from the same sources): it prints what the unbundled CLI prints, exits
 * the same way on a bad program, and loads no boxless module but that one bundle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(root, 'bin', 'boxless.mjs');
const UNBUNDLED = join(root, 'dist', 'src', 'cli', 'main.js');
const PROGRAM = join(root, 'examples', 'programs', 'figure1_int.py');
/** A loader hook that reports every file module Node loads, on stderr. */
const REPORT_LOADS = `data:text/javascript,${encodeURIComponent(
  "export async function load(url, context, next) { if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n'); return next(url, context); }",
)}`;

describe('boxless py, bundled', () => {
  it('prints what the unbundled CLI prints', () => {
    const args = ['py', PROGRAM, '3000'];
    const bundled = execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    const unbundled = execFileSync(process.execPath, [UNBUNDLED, ...args], { encoding: 'utf8' });
    expect(bundled).toBe(unbundled);
    expect(bundled.split('\n')[0]).toBe(String((3000 * 3001) / 2 - 100 * 3000));
  });

  it('a program outside the subset: the same located message and status 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'boxless-py-')), 'bad.py');
    writeFileSync(file, 'x = 1\nprint(x +)\n');
    const bad = ['py', file];
    const bundled = spawnSync(process.execPath, [BIN, ...bad], { encoding: 'utf8' });
    const unbundled = spawnSync(process.execPath, [UNBUNDLED, ...bad], { encoding: 'utf8' });
    expect(bundled.status).toBe(2);
    expect(bundled.stderr).toBe(unbundled.stderr);
    expect(bundled.stderr).toMatch(/bad\.py:2:\d+/);
  });

  it('loads one boxless module: the bundle', () => {
    const run = spawnSync(process.execPath, ['--no-warnings', `--experimental-loader=${REPORT_LOADS}`, BIN, 'py', PROGRAM, '10'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const loaded = [...run.stderr.matchAll(/^loaded (.*)$/gm)].map((m) => fileURLToPath(m[1]!)).filter((f) => !f.includes(`${join('node_modules')}`));
    expect(loaded).toEqual([BIN, join(root, 'dist', 'bundle', 'py.js')]);
  });
});
