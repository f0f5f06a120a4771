// The peel goldens (test/golden/peel/, run by test/golden/golden.test.ts) at every fuel from 0 to
// 20: each optimize expectation must behave like its input when the run ends in the preamble, at
// the label, and in each of the first body iterations, on the file's input sets and 20 generated
// ones. (The golden runner checks every expectation at fuels 0, 1, 2, 3, 7 and 50.)
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freezeTrace } from '../../src/ir/index.ts';
import { parseTrace } from '../../src/text/index.ts';
import { sampleInputSets } from '../../properties/arbitraries/input-heaps.ts';
import { FUELS_0_TO_20, firstDifference } from './equivalence.ts';

const DIR = new URL('../golden/peel/', import.meta.url);
const files = readdirSync(DIR).filter((name) => name.endsWith('.trace'));

describe('peel goldens at fuels 0 to 20', () => {
  it('there are peel goldens', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const [source, ...blocks] = readFileSync(new URL(file, DIR), 'utf8').split(/^=== /m);
    const input = freezeTrace(parseTrace(source!, file));
    const classes = source!.split('\n').filter((line) => line.startsWith('class '));
    const sets = [...input.inputSets, ...sampleInputSets(input, 20, 7)];
    for (const block of blocks) {
      const newline = block.indexOf('\n');
      const command = block.slice(0, newline).trim();
      if (!command.startsWith('optimize')) continue;
      it(`${file}: ${command}`, () => {
        const expected = parseTrace(`${classes.join('\n')}\n${block.slice(newline + 1)}`, `${file} (expected)`);
        expect(expected.ops.some((op) => op.name === 'label'), 'the expectation is peeled').toBe(true);
        expect(firstDifference(input, expected, sets, FUELS_0_TO_20)).toBeNull();
      });
    }
  }
});
