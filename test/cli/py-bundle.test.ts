/**
 * The built `boxless py` runs the CLI bundled into one script with V8's code cache for it
 * (dist/bundle/, made by bin/build-bundle.mjs from the same sources): it prints what the
 * unbundled CLI prints, exits the same way on a bad program, loads no boxless module (the
 * script is compiled from the cache, not imported), and this Node takes the cache the build made.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('loads no boxless module but bin/boxless.mjs and its file names', () => {
    const run = spawnSync(process.execPath, ['--no-warnings', `--experimental-loader=${REPORT_LOADS}`, BIN, 'py', PROGRAM, '10'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const loaded = [...run.stderr.matchAll(/^loaded (.*)$/gm)].map((m) => fileURLToPath(m[1]!)).filter((f) => !f.includes('node_modules'));
    expect(loaded).toEqual([BIN, join(root, 'bin', 'bundle-layout.mjs')]);
  });

  it('runs under the V8 flags it wants that this V8 has, and only those (no complaint on stderr)', async () => {
    const layout = (await import(join(root, 'bin', 'bundle-layout.mjs') as string)) as { PY_V8_FLAGS: string; V8_FLAGS_FILE: URL; flagsV8Knows: (wanted: string, v8Options: string) => string[] };
    const v8Options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(layout.flagsV8Knows('--interrupt-budget=5 --no-such-flag-here --interrupt --no-lazy', v8Options)).toEqual(['--interrupt-budget=5', '--no-lazy']);
    expect(readFileSync(layout.V8_FLAGS_FILE, 'utf8')).toBe(layout.flagsV8Knows(layout.PY_V8_FLAGS, v8Options).join(' '));
    const run = spawnSync(process.execPath, [BIN, 'py', PROGRAM, '10'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('V8 takes the code cache the build made (same version, and the flags bin/boxless.mjs sets)', async () => {
    const layout = (await import(join(root, 'bin', 'bundle-layout.mjs') as string)) as { BUNDLE_SCRIPT: URL; CODE_CACHE: URL; CODE_CACHE_FLAG: string; V8_FLAGS_FILE: URL };
    const [script, cache] = [fileURLToPath(layout.BUNDLE_SCRIPT), fileURLToPath(layout.CODE_CACHE)];
    const probe = [
      "import v8 from 'node:v8'; import vm from 'node:vm'; import { readFileSync } from 'node:fs';",
      `v8.setFlagsFromString(readFileSync(${JSON.stringify(fileURLToPath(layout.V8_FLAGS_FILE))}, 'utf8'));`,
      `v8.setFlagsFromString(${JSON.stringify(layout.CODE_CACHE_FLAG)});`,
      `const s = new vm.Script(readFileSync(${JSON.stringify(script)}, 'utf8'), { filename: ${JSON.stringify(script)}, cachedData: readFileSync(${JSON.stringify(cache)}) });`,
      'console.log(s.cachedDataRejected);',
    ].join('\n');
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' })).toBe('false\n');
  });
});
