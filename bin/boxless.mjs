#!/usr/bin/env node
// Entry point of the `boxless` command: the CLI compiled to JavaScript (dist/, built by `npm run
// build`, which `npm ci` runs as the package's prepare script), so no TypeScript loader at run time.
//
// `boxless py` runs the same CLI bundled into one script with V8's code cache for it
// (dist/bundle/, bin/build-bundle.mjs says why and how it is made); every other command runs
// the unbundled modules of dist/src.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const notBuilt = () => {
  process.stderr.write('boxless: the command is not built yet: run `npm run build` (npm ci does it) in the boxless checkout\n');
  process.exit(2);
};

if (process.argv[2] === 'py') {
  const { default: v8 } = await import('node:v8');
  const { default: vm } = await import('node:vm');
  const { BUNDLE_SCRIPT, CODE_CACHE, CODE_CACHE_FLAG, V8_FLAGS_FILE } = await import('./bundle-layout.mjs');
  const file = fileURLToPath(BUNDLE_SCRIPT);
  if (!existsSync(file)) notBuilt();
  const flags = existsSync(fileURLToPath(V8_FLAGS_FILE)) ? readFileSync(V8_FLAGS_FILE, 'utf8').trim() : '';
  if (flags !== '') v8.setFlagsFromString(flags);
  let cachedData;
  if (existsSync(fileURLToPath(CODE_CACHE))) {
    // V8 takes the cache only under the flags it was made with.
    v8.setFlagsFromString(CODE_CACHE_FLAG);
    cachedData = readFileSync(CODE_CACHE);
  }
  const script = new vm.Script(readFileSync(file, 'utf8'), {
    filename: file,
    cachedData,
    // py's code has no dynamic import of its own; were one added, it resolves as a module's would.
    importModuleDynamically: (specifier) => import(specifier.startsWith('.') ? new URL(specifier, BUNDLE_SCRIPT).href : specifier),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), BUNDLE_SCRIPT.href);
  const { exitQuietlyOnBrokenPipe, main } = module.exports;
  exitQuietlyOnBrokenPipe();
  process.exitCode = await main(process.argv.slice(2));
} else {
  const main = new URL('../dist/src/cli/main.js', import.meta.url);
  if (!existsSync(fileURLToPath(main))) notBuilt();
  await import(main.href);
}
