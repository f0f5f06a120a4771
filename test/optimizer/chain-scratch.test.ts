import { it } from 'vitest';
import { chainOptimize } from '../../src/optimizer/chain.ts';
import { arbTraceCase } from '../../properties/arbitraries/trace.ts';
import { assertTraces, differenceUnder } from '../../properties/differential.ts';
import { CONTRACT_FUELS } from './contract.ts';

it('chain ≡ reference (label-free inputs)', () => {
  assertTraces((trace) => differenceUnder((t) => chainOptimize(t).trace, trace, { fuels: CONTRACT_FUELS }), { arbitrary: arbTraceCase({ labelShare: 0 }), runs: Number(process.env.RUNS ?? 300) });
});
