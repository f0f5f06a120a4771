// A residual op's operands are rewritten to what each stands for. A trace built through the API
// has no locations, and there virtualize keeps an operand object that names the same variable
// as it is; a prebuilt object of the same name is not that variable.
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/ir/index.ts';
import { virtualize } from '../../src/optimizer/virtualize.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { withoutLocs } from '../text/helpers.ts';

describe('virtualize: residual operands', () => {
  it('writes the prebuilt object a variable of the same name stands for, not the variable', () => {
    const trace = withoutLocs(
      parseTrace(
        [
          'class Box(v: int)',
          'class Cell(r: ref)',
          'prebuilt @p2 = Box{v: 4}',
          '[i0]',
          'p1 = new(Cell)',
          'setfield(p1, r, @p2)',
          'p2 = getfield(p1, r)',
          'i3 = getfield(p2, v)',
          'i4 = int_add(i3, i0)',
          'finish(i4)',
        ].join('\n'),
      ),
    );
    const optimized = virtualize(trace);
    validate(optimized);
    expect(printTrace(optimized).split('\n').filter((line) => line.includes('getfield'))).toEqual(['i3 = getfield(@p2, v)']);
  });
});
