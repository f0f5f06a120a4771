/**
 * The `boxless` command run in the test's own process (no start-up cost): its status, and what it
 * printed on stdout and stderr, one entry per console call or write, joined by newlines.
 */
import { vi } from 'vitest';
import { main } from '../../src/cli/cli.ts';

export async function boxless(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  try {
    const status = await main(argv);
    return { status, out: out.join('\n'), err: err.join('\n') };
  } finally {
    vi.restoreAllMocks();
  }
}
