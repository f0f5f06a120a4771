// Golden traces for loop peeling, in the golden format of test/golden/golden.test.ts (input,
// then `=== optimize --passes …` and the expected output, compared up to renaming; BLESS=1
// rewrites the expectations). They live beside this file, not in test/golden/, until `peel` is
// one of the pipeline's PASSES (the lead's call: see the report): the commands run the named
// passes once each, in order, with `peel` added to the pipeline's table. Every expectation is
// also run against the reference on the file's input sets and on generated ones, across fuels
// that exit in the preamble, at the label, in the first body iteration and in later ones.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alphaEquivalent, freezeTrace, type Trace, validate } from '../../src/ir/index.ts';
import { peel } from '../../src/optimizer/peel.ts';
import { PASSES } from '../../src/optimizer/pipeline.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { sampleInputSets } from '../../properties/arbitraries/input-heaps.ts';
import { FUELS_0_TO_20, firstDifference } from './equivalence.ts';

const DIR = new URL('./peel-goldens/', import.meta.url);
const BLESS = process.env.BLESS === '1';
const PASSES_WITH_PEEL: Readonly<Record<string, (trace: Trace) => Trace>> = { ...PASSES, peel };

function run(command: string, input: Trace): Trace {
  const match = /^optimize --passes ([a-z,]+)$/.exec(command);
  if (!match) throw new Error(`unknown command '${command}' (known: optimize --passes a,b)`);
  return match[1]!.split(',').reduce((trace, name) => {
    const pass = PASSES_WITH_PEEL[name];
    if (!pass) throw new Error(`unknown pass ${name}`);
    return validate(pass(trace));
  }, input);
}

/** The printed ops of a trace: what an expectation holds (classes and input sets are the input's). */
function opsText(trace: Trace): string {
  return printTrace({ ...trace, classes: [], inputSets: [] }).trim();
}

for (const file of readdirSync(DIR).filter((name) => name.endsWith('.trace'))) {
  describe(file, () => {
    const url = new URL(file, DIR);
    const text = readFileSync(url, 'utf8');
    const [source, ...blocks] = text.split(/^=== /m);
    const input = freezeTrace(parseTrace(source!, file));
    const expectations = blocks.map((block) => {
      const newline = block.indexOf('\n');
      return { command: block.slice(0, newline).trim(), body: block.slice(newline + 1).trim() };
    });

    it('has an expectation', () => {
      expect(expectations.length).toBeGreaterThan(0);
    });

    if (BLESS) {
      const blessed = expectations.map((e) => `=== ${e.command}\n${opsText(run(e.command, input))}\n`);
      writeFileSync(url, `${source!.trimEnd()}\n\n${blessed.join('\n')}`);
    }

    for (const { command, body } of expectations) {
      it(`${command}: gives the expected trace, which behaves like the input`, () => {
        const classes = source!.split('\n').filter((line) => line.startsWith('class '));
        const expected = parseTrace(`${classes.join('\n')}\n${body}`, file);
        const actual = run(command, input);
        const same = alphaEquivalent(expected, { ...actual, inputSets: expected.inputSets });
        expect(same.ok, `${same.ok ? '' : same.message}\n--- actual\n${opsText(actual)}`).toBe(true);
        const sets = [...input.inputSets, ...sampleInputSets(input, 20, 7)];
        expect(firstDifference(input, expected, sets, FUELS_0_TO_20)).toBeNull();
      });
    }
  });
}
