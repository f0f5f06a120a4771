#!/usr/bin/env node
// Entry point of the `boxless` command: the CLI compiled to JavaScript (dist/, built by `npm run
// build`, which `npm ci` runs as the package's prepare script), so no TypeScript loader at run time.
// `boxless py` runs the same CLI bundled into one module (dist/bundle/py.js, bin/build-bundle.mjs:
// a guest program's start-up should not pay Node's loader for seventy modules); every other
// command runs the unbundled modules of dist/src.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL(process.argv[2] === 'py' ? '../dist/bundle/py.js' : '../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('boxless: the command is not built yet: run `npm run build` (npm ci does it) in the boxless checkout\n');
  process.exit(2);
}
await import(main.href);
