// Where bin/build-bundle.mjs writes `boxless py`'s bundled script and V8's code cache for it, and
// the V8 flag the cache is made under (V8 takes a cache only under the flags and the V8 version
// it was made with): one definition for the build, bin/boxless.mjs and test/cli/py-bundle.test.ts.
export const BUNDLE_DIR = new URL('../dist/bundle/', import.meta.url);
export const BUNDLE_SCRIPT = new URL('py.cjs', BUNDLE_DIR);
/** The code cache for this process's V8 (another V8 finds no file and compiles as usual). */
export const CODE_CACHE = new URL(`py.v8-${process.versions.v8}.cache`, BUNDLE_DIR);
/** Every function compiled eagerly, so that the cache holds them all. */
export const CODE_CACHE_FLAG = '--no-lazy';
