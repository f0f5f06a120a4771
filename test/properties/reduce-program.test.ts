// The program reducer (properties/reduce-program.ts) on a predicate that needs no interpreter:
// it deletes what the failure does not need, unwraps the compound statements around what it
// does need (with their elif/else and except clauses), puts `pass` in a block it empties, never
// deletes the first statement of a while body (the loop counter's increment), and stops at its
// budget.
import { describe, expect, it } from 'vitest';
import { reduceProgram, statementLines } from '../../properties/reduce-program.ts';

const PROGRAM = `import math
class C0:
    def __init__(self, q0):
        self.a0 = q0
g0 = 5
def f0(p0):
    return p0 + 1
v0 = C0(3)
w1 = 0
while w1 < 3:
    w1 += 1
    print(v0.a0)
    if w1 > 1:
        print(-7 // 2)
    elif w1 == 0:
        print("never")
    else:
        pass
try:
    print(f0(g0))
except Exception as e2:
    print("caught", e2)
print(math.pi)
`;

describe('reduceProgram', () => {
  it('keeps only what the failure needs', async () => {
    const fails = async (candidate: string) => candidate.includes('print(-7 // 2)');
    const reduced = await reduceProgram(PROGRAM, fails);
    expect(reduced).toBe('print(-7 // 2)\n');
  });

  it('keeps a while loop its failure needs, counter included, and fills an emptied block with pass', async () => {
    const fails = async (candidate: string) => /while w1 < 3:\n {4}w1 \+= 1\n/.test(candidate) && candidate.includes('def f0(p0):');
    const reduced = await reduceProgram(PROGRAM, fails);
    expect(reduced).toBe('def f0(p0):\n    pass\nwhile w1 < 3:\n    w1 += 1\n');
  });

  it('stops after its budget of tries', async () => {
    let tries = 0;
    const fails = async () => {
      tries++;
      return false;
    };
    expect(await reduceProgram(PROGRAM, fails, 5)).toBe(PROGRAM);
    expect(tries).toBe(5);
    expect(statementLines(`# a comment\n\nx = 1\n    \nprint(x)\n`)).toBe(2);
  });
});
