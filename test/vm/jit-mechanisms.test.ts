/**
 * Each mechanism of the JIT's driver, on a program that needs it: the program prints what
 * CPython prints and what the interpreter alone prints, and the JIT's statistics show the
 * mechanism ran (a test that passes with the mechanism switched off would prove nothing).
 *
 *  - Peer loops: a bridge whose `finish` enters a loop that leaves in its preamble at once (the
 *    bridge's state is not the one the loop was recorded for) gets a peer of that loop recorded
 *    from its own state, and later bridges reaching the header with such a state try it.
 *  - Calls into a callee's compiled loop: a bridge that starts inside an inlined callee (the
 *    outer loop's trace saw the callee return in its loop's first iteration) and reaches that
 *    callee's loop header ends there; the driver rebuilds the frames and runs the callee's loop.
 *  - Return bridges: that callee's loop leaving by a `return` (from inside the loop, or after it)
 *    goes on in compiled code: a bridge recorded from the caller's loop frame returns into the
 *    caller and ends at its loop's header, instead of the interpreter running the return.
 *  - `int / int` recorded as a float division of the two ints converted, behind guards that
 *    both are within 2^53 of 0 and the divisor is not 0 (the interpreter's own fast path).
 */
import { describe, expect, it } from 'vitest';
import { observe, runCPython } from '../../properties/cpython.ts';
import { differenceBetween } from '../../properties/guest.ts';
import { parseJitOptions } from '../../src/vm/jit/options.ts';
import type { JitReport } from '../../src/vm/jit/stats.ts';
import { runPython } from '../../src/vm/run.ts';

function check(source: string, file: string, jit: string, gcStress = false): JitReport {
  const expected = observe(runCPython(source, file));
  const interpreted = observe(runPython(source, { file }));
  expect(differenceBetween(expected, interpreted, { expected: 'CPython', actual: 'interpreter' })).toBeNull();
  let report: JitReport | null = null;
  const run = runPython(source, { file, gcStress, jit: { options: parseJitOptions(jit) }, onJitReport: (r) => (report = r) });
  expect(differenceBetween(expected, observe(run), { expected: 'CPython', actual: 'JIT' }, run.stderr)).toBeNull();
  return report as unknown as JitReport;
}

/** spectral_norm's shape: one inner loop, a flag fixed for each call that its body branches on. */
const ALTERNATING_FLAG = `def walk(u, flipped):
    n = len(u)
    out = []
    for i in range(n):
        acc = 0
        for j in range(n):
            if flipped:
                acc += u[j] * (i - j)
            else:
                acc += u[j] * (i + j)
        out.append(acc)
    return out


u = []
for k in range(30):
    u.append(k % 7 - 3)
for rounds in range(6):
    v = walk(u, False)
    w = walk(v, True)
    u = []
    for x in w:
        u.append(x % 11 - 5)
print(u)
`;

/** A search that usually stops at the first element (the outer loop's trace inlines that), and sometimes runs on. */
const CALL_INTO_LOOP = `def first_at_least(xs, limit):
    for x in xs:
        if x >= limit:
            return x
    return -1


xs = []
for k in range(60):
    xs.append((k * 37) % 101)
total = 0
for rep in range(3000):
    if rep % 3 == 0:
        limit = rep % 97
    else:
        limit = 0
    total += first_at_least(xs, limit) * (rep % 5 + 1)
print(total)
`;

/** A search (a method: its function is a root-table word in the caller's frame) called from a loop that usually matches at once, else runs on and returns a new object from inside its loop, or None after it. */
const RETURN_FROM_CALLEE = `class Hit:
    def __init__(self, at, value):
        self.at = at
        self.value = value


class Finder:
    def __init__(self, xs):
        self.xs = xs

    def find(self, start, limit):
        xs = self.xs
        for k in range(start, len(xs)):
            if xs[k] >= limit:
                return Hit(k, xs[k])
        return None


xs = []
for k in range(50):
    xs.append((k * 37) % 101)
finder = Finder(xs)
total = 0
misses = 0
for rep in range(4000):
    if rep % 4 == 0:
        h = finder.find(rep % 9, 60 + rep % 45)
    else:
        h = finder.find(0, 0)
    if h is None:
        misses += 1
    else:
        total += h.at * 3 + h.value
print(total, misses)
`;

/** int / int in a hot loop: after warm-up, quotients at and past 2^53, 0 by a negative (-0.0), a long int, and a zero divisor. */
const INT_TRUE_DIVISION = `def ratios(xs, ys):
    total = 0.0
    last = 0.0
    for k in range(len(xs)):
        last = xs[k] / ys[k]
        total = total + last
    return total, last


xs = []
ys = []
for k in range(400):
    xs.append(k * 7919 - 1000000)
    d = k % 13 - 6
    if d == 0:
        d = 7
    ys.append(d)
print(ratios(xs, ys))
big = 2 ** 53
print(ratios(xs + [big, -big, 0, 0], ys + [3, -7, 5, -5]))
print(ratios(xs + [big + 1], ys + [3]))
print(ratios(xs + [10 ** 30], ys + [7]))
print(ratios(xs + [5], ys + [big + 2]))
try:
    print(ratios(xs + [1], ys + [0]))
except ZeroDivisionError as e:
    print('ZeroDivisionError:', e)
`;

describe('JIT mechanisms, each on a program that needs it', () => {
  it('both programs run right with a collection at every chunk, entry and exit (gcStress)', () => {
    for (const [source, file] of [
      [CALL_INTO_LOOP, 'call_into_loop.py'],
      [ALTERNATING_FLAG, 'peers.py'],
      [RETURN_FROM_CALLEE, 'return_from_callee.py'],
    ] as const) {
      const report = check(source, file, 'threshold=7,bridge=3', true);
      expect(report.loops.some((l) => l.where.startsWith('bridge') && l.entries > 0)).toBe(true);
    }
  });

  for (const jit of ['threshold=7,bridge=3', 'threshold=2,bridge=1', 'threshold=40,bridge=5', 'threshold=20,bridge=10']) {
    it(`calls into a callee's loop: a bridge of the outer loop ends at the callee's compiled loop (${jit})`, () => {
      const report = check(CALL_INTO_LOOP, 'call_into_loop.py', jit);
      const callee = report.loops.filter((l) => l.where.startsWith('first_at_least')).map((l) => l.id);
      const calls = report.loops.filter((l) => l.where.startsWith('bridge from') && callee.some((id) => l.where.endsWith(`to loop ${id}`)) && l.entries > 0);
      expect(calls.length, JSON.stringify(report.loops.map((l) => l.where))).toBeGreaterThanOrEqual(1);
      expect(report.loops.filter((l) => callee.includes(l.id)).reduce((s, l) => s + l.iterations, 0)).toBeGreaterThan(1000);
    });
  }

  for (const jit of ['threshold=7,bridge=3', 'threshold=2,bridge=1', 'threshold=5,bridge=2']) {
    it(`return bridges: the callee's loop returns into the caller's compiled loop (${jit})`, () => {
      const report = check(RETURN_FROM_CALLEE, 'return_from_callee.py', jit);
      const returns = report.loops.filter((l) => l.where.startsWith('return bridge'));
      // Both ways out of the callee's loop: the return inside it and the one after it.
      expect(new Set(returns.map((l) => /guard (\d+)/.exec(l.where)![1])).size, JSON.stringify(report.loops.map((l) => l.where))).toBeGreaterThanOrEqual(2);
      expect(returns.reduce((s, l) => s + l.entries, 0)).toBeGreaterThan(500);
    });
  }

  for (const jit of ['threshold=7,bridge=3', 'threshold=2,bridge=1', 'threshold=40,bridge=5']) {
    it(`int / int recorded as float_truediv behind guards on its range and divisor (${jit})`, () => {
      const report = check(INT_TRUE_DIVISION, 'int_true_division.py', jit);
      expect(report.aborts.filter((a) => a.reason === 'int Div')).toEqual([]);
      expect(report.loops.filter((l) => l.where.startsWith('ratios')).reduce((s, l) => s + l.iterations, 0)).toBeGreaterThan(2000);
    });
  }

  for (const jit of ['threshold=7,bridge=3', 'threshold=2,bridge=1', 'threshold=40,bridge=5']) {
    it(`peer loops: the flag's other value runs a peer of the inner loop (${jit})`, () => {
      const report = check(ALTERNATING_FLAG, 'peers.py', jit);
      const peers = report.loops.filter((l) => l.where.includes('peer entered from bridge'));
      expect(peers.length).toBeGreaterThanOrEqual(1);
      expect(peers.reduce((s, l) => s + l.iterations, 0)).toBeGreaterThan(1000);
    });
  }
});
