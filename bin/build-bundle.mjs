#!/usr/bin/env node
// Build step after `tsc -p tsconfig.build.json` (`npm run build`, so `npm ci` runs it too): the
// code of `boxless py` as one ES module, dist/bundle/py.js, bundled by esbuild from the same
// sources tsc compiled (src/cli/main.ts as entry). Why: Node's ESM loader costs about half a
// millisecond per module resolved, read and linked, and `py` runs some seventy; one file is read,
// parsed and linked once. bin/boxless.mjs runs it for `py` only.
//
// What stays outside the bundle: the packages (node_modules, loaded as usual) and the bodies of
// the other commands (dynamic imports in src/cli/commands.ts), which point at the unbundled
// dist/src modules instead; `py` never loads them, and the other commands never run from here
// (a second copy of a module would make two classes of each of its errors).
import { build } from 'esbuild';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
const commands = join(root, 'src', 'cli', 'commands.ts');

/** Dynamic imports in commands.ts: to the unbundled build (`../x.ts` → `../src/cli/../x.js` from dist/bundle). */
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

await build({
  entryPoints: { py: join(root, 'src', 'cli', 'main.ts') },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  packages: 'external',
  plugins: [otherCommandsUnbundled],
  logLevel: 'warning',
});
