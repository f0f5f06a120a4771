import { defineConfig } from 'vitest/config';

// A campaign (FC_NUM_RUNS=10000 npm test, or one property file) must need no code change: the
// per-test limit grows with the run count (about 200 ms per run, as the slowest property takes
// with the default pipeline at load), and never drops below the default run's 120 s.
const campaignRuns = Number(process.env.FC_NUM_RUNS ?? 0) || 0;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts', 'spec/**/*.test.ts'],
    testTimeout: Math.max(120_000, 200 * campaignRuns),
    hookTimeout: 60_000,
  },
});
