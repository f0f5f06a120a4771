/**
 * The engine's WebAssembly API, typed to the little we use, and the one memory every trace
 * module imports.
 *
 * Why our own typing: the project compiles against lib es2022 and @types/node, neither of which
 * declares the `WebAssembly` global (it lives in lib.dom); declaring the subset here keeps the
 * global namespace untouched.
 *
 * Why one memory: each `WebAssembly.Memory` reserves a large range of address space, so
 * thousands of trace modules with a memory each would exhaust the process. Runs are synchronous
 * and never overlap, so they can all use the same memory one after another.
 */
import { PAGE } from './layout.ts';

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  RuntimeError: new (...args: unknown[]) => Error;
}

export const wasmApi: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** 2 GiB: byte addresses stay below 2^31, so the code's unsigned i32 arithmetic never wraps. */
export const MAX_MEMORY_BYTES = 2 ** 31;

let shared: WasmMemory | undefined;
let handedOut = 0;

export function sharedMemory(): WasmMemory {
  shared ??= new wasmApi.Memory({ initial: 16, maximum: MAX_MEMORY_BYTES / PAGE });
  handedOut++;
  return shared;
}

/**
 * Whether the shared memory is still as the engine created it, all zeros: it has been handed
 * out once, to the caller asking, which has not written it yet. (A guest heap then need not
 * clear it: writing megabytes of fresh pages costs tens of milliseconds of page faults.)
 */
export function sharedMemoryUntouched(): boolean {
  return handedOut === 1;
}
