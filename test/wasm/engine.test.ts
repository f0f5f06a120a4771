/**
 * The one shared memory (src/wasm/engine.ts): the same memory for every taker, and
 * `sharedMemoryUntouched` true only while exactly one taker has it (the VM's heap then skips
 * clearing fresh pages). Each test imports a fresh copy of the module, so what other tests in
 * this worker did with theirs does not count.
 */
import { describe, expect, it, vi } from 'vitest';
import { PAGE } from '../../src/wasm/layout.ts';

async function freshEngine(): Promise<typeof import('../../src/wasm/engine.ts')> {
  vi.resetModules();
  return import('../../src/wasm/engine.ts');
}

describe('the shared memory', () => {
  it('is one memory of 16 pages, untouched only for its first taker', async () => {
    const engine = await freshEngine();
    // Nobody has it yet: nobody can be told it is untouched.
    expect(engine.sharedMemoryUntouched()).toBe(false);
    const memory = engine.sharedMemory();
    expect(memory.buffer.byteLength).toBe(16 * PAGE);
    expect(engine.sharedMemoryUntouched()).toBe(true);
    expect(engine.sharedMemory()).toBe(memory);
    expect(engine.sharedMemoryUntouched()).toBe(false);
    expect(engine.sharedMemory()).toBe(memory);
    expect(engine.sharedMemoryUntouched()).toBe(false);
  });
});
