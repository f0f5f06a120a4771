#!/usr/bin/env node
// Build step after `tsc -p tsconfig.build.json` (`npm run build`, so `npm ci` runs it too): the
// code of `boxless py` as one script, dist/bundle/py.cjs, bundled by esbuild from the same sources
// tsc compiled (src/cli/cli.ts, main.ts's `main`), and V8's code cache for it.
//
// Why one file: Node's ESM loader costs about half a millisecond per module resolved, read and
// linked, and `py` ran some seventy. Why a code cache: V8 compiles a function to bytecode the
// first time it runs, so a guest program's first loop also paid for compiling the interpreter,
// recorder, optimizer and backend, inside the program's own timing. The cache holds the
// bytecode of every function of the bundle, made here by compiling the script with every function
// compiled eagerly (V8's --no-lazy) and running nothing: no guest program, no type feedback, no
// optimized code, the same for every program (what a native VM has in its binary). V8 takes it
// only under the same V8 version and flags: the cache's name carries the version, and
// bin/boxless.mjs sets --no-lazy before reading it (anything it compiles later is then compiled
// eagerly as well).
//
// What stays outside the bundle: the packages (node_modules, through `require`) but immer, and
// the bodies of the other commands (dynamic imports in src/cli/commands.ts), which point at the unbundled
// dist/src modules; `py` never loads them, and bin/boxless.mjs runs every other command from
// dist/src (a second copy of a module would make two classes of each of its errors). Why immer
// is inside: `py` loads it at start-up (the IR's edit helpers), and resolving a package through
// node_modules and compiling its file cost 13-27 ms of a process (load average 8), more than
// reading it from the bundle and the code cache.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BUNDLE_DIR, BUNDLE_SCRIPT, CODE_CACHE, CODE_CACHE_FLAG, flagsV8Knows, PY_V8_FLAGS, V8_FLAGS_FILE } from './bundle-layout.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = fileURLToPath(BUNDLE_DIR);
const script = fileURLToPath(BUNDLE_SCRIPT);
const commands = join(root, 'src', 'cli', 'commands.ts');
/** Every package the project depends on stays outside the bundle, but the ones named here. */
const BUNDLED_PACKAGES = new Set(['immer']);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const externalPackages = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => !BUNDLED_PACKAGES.has(name));

/** Dynamic imports in commands.ts: to the unbundled build (`../x.ts` → `../src/x.js` from dist/bundle). */
const otherCommandsUnbundled = {
  name: 'other-commands-unbundled',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer !== commands) return undefined;
      const target = join(root, 'dist', relative(root, resolve(dirname(args.importer), args.path))).replace(/\.ts$/, '.js');
      return { path: `./${relative(outdir, target)}`, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const bundled = await build({
  entryPoints: [join(root, 'src', 'cli', 'cli.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: externalPackages,
  plugins: [otherCommandsUnbundled],
  // A script has no import.meta: bin/boxless.mjs passes the bundle's URL as __bundleUrl.
  define: { 'import.meta.url': '__bundleUrl' },
  write: false,
  outfile: script,
  logLevel: 'warning',
});
// The file is one function expression, the CommonJS wrapper, so that V8 compiles exactly this
// text here and in bin/boxless.mjs.
const source = `(function (exports, require, module, __filename, __dirname, __bundleUrl) {\n${bundled.outputFiles[0].text}\n})`;
writeFileSync(script, source);

// The wanted flags this V8 has (a line `  --name (…)` of its options), written for bin/boxless.mjs.
const v8Options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout ?? '';
const knownFlags = flagsV8Knows(PY_V8_FLAGS, v8Options);
writeFileSync(V8_FLAGS_FILE, knownFlags.join(' '));
if (knownFlags.length > 0) v8.setFlagsFromString(knownFlags.join(' '));
v8.setFlagsFromString(CODE_CACHE_FLAG);
writeFileSync(CODE_CACHE, new vm.Script(source, { filename: script }).createCachedData());
