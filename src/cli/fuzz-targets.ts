/**
 * The names `boxless fuzz --target` takes, apart from what each one runs (targets.ts), so that
 * the command's usage is known without loading the optimizer and the backend.
 */
export const FUZZ_TARGET_NAMES = ['reference', 'optimize', 'wasm', 'wasm-optimized'] as const;
export type FuzzTargetName = (typeof FUZZ_TARGET_NAMES)[number];

/** Targets that run the optimizer, so take `--passes`. */
export const OPTIMIZING_TARGETS: readonly FuzzTargetName[] = ['optimize', 'wasm-optimized'];
