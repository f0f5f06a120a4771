// Where bin/build-bundle.mjs writes `boxless py`'s bundled script and V8's code cache for it, and
// the V8 flags the cache is made under (V8 takes a cache only under the flags and the V8 version
// it was made with): one definition for the build, bin/boxless.mjs and test/cli/py-bundle.test.ts.
export const BUNDLE_DIR = new URL('../dist/bundle/', import.meta.url);
export const BUNDLE_SCRIPT = new URL('py.cjs', BUNDLE_DIR);
/** The code cache for this process's V8 (another V8 finds no file and compiles as usual). */
export const CODE_CACHE = new URL(`py.v8-${process.versions.v8}.cache`, BUNDLE_DIR);
/** Every function compiled eagerly, so that the cache holds them all. */
export const CODE_CACHE_FLAG = '--no-lazy';
/**
 * The V8 flags `boxless py` runs under (those V8_FLAGS_FILE lists; the cache is made under them
 * too): eight times V8's default interrupt budget (67,584 bytes of bytecode run), so that a
 * function is optimized after eight times as much work. Under V8's default, TurboFan compiled the
 * interpreter's dispatch loop (`Interpreter.loop`, about 90 ms of a compiler thread per compile,
 * twice: once on stack, once for the next call) during f's 10^7 iterations, which ran compiled and
 * never needed it; on a 2-core machine the compile takes a core, and the process waited for it at
 * exit. Measured (`--trace-opt`, then wall and CPU of the corpus programs as processes, medians,
 * load 0.4-1.2): f's process from 0.30 s (0.36 s CPU) to 0.17-0.24 s (0.17-0.22 s); richards at
 * size 10 from 61 compiles (948 ms of compiler time) to 14 (321 ms); the 13 corpus programs'
 * geometric mean 13% less wall and 22% less CPU with the JIT, 8% less without it. Sixteen times
 * was no better than eight.
 */
export const PY_V8_FLAGS = '--interrupt-budget=540672';
/**
 * Those of PY_V8_FLAGS this V8 knows, as the build found them (`node --v8-options`): V8 prints a
 * complaint for a flag it does not know, which every `boxless py` would show. Another V8 finds no
 * file and runs under its defaults, as it finds no code cache.
 */
export const V8_FLAGS_FILE = new URL(`py.v8-${process.versions.v8}.flags`, BUNDLE_DIR);

/**
 * The flags of `wanted` (space-separated) that `v8Options` (`node --v8-options`) lists, by name
 * (a boolean's `--no-` form under its own name).
 */
export function flagsV8Knows(wanted, v8Options) {
  const listed = (name) => v8Options.includes(`\n  ${name} `);
  return wanted.split(/\s+/).filter((flag) => {
    const name = flag.replace(/=.*$/, '');
    return flag !== '' && (listed(name) || listed(name.replace(/^--no-/, '--')));
  });
}
