/**
 * The collector: programs run unchanged when it collects at every safepoint after an allocation
 * (gcStress), memory is reclaimed (ten million boxes through a 2 MB heap), a live structure
 * survives collections and semispace growth intact, exhaustion is a MemoryError exit and deep
 * guest recursion a RecursionError, never a crash of the host.
 */
import { describe, expect, it } from 'vitest';
import { observe } from '../../properties/cpython.ts';
import { programNames, programSource, readExpectation } from '../../properties/corpus.ts';
import { differenceBetween } from '../../properties/guest.ts';
import { createInterpreter, runPython } from '../../src/vm/run.ts';
import { collect } from '../../src/vm/gc.ts';
import type { Interpreter } from '../../src/vm/interpreter.ts';

/** A broken collector kept in the test tree: it forgets the globals as roots. */
function forgetGlobals(vm: Interpreter): void {
  vm.collectNow = (need = 0) =>
    collect(
      vm.heap,
      [
        { refs: vm.stk, from: 0, to: vm.sp },
        { refs: vm.statics, from: 0, to: vm.nstatics },
      ],
      need,
    );
}

function runCounting(source: string, options: { heapBytes?: number; gcStress?: boolean } = {}, breakIt?: (vm: Interpreter) => void) {
  const out: string[] = [];
  const err: string[] = [];
  const vm = createInterpreter(source, { file: 'gc.py', ...options }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  breakIt?.(vm);
  let status: number;
  try {
    status = vm.run();
  } catch (e) {
    // A broken collector may leave the heap so corrupt that the interpreter itself fails.
    return { status: -1, stdout: out.join(''), stderr: String(e), collections: vm.heap.collections, semispace: vm.heap.semispace };
  }
  return { status, stdout: out.join(''), stderr: err.join(''), collections: vm.heap.collections, semispace: vm.heap.semispace };
}

/** Corpus programs small enough to run with a collection at every safepoint. */
const STRESSED = ['figure1_int', 'figure1_float', 'classes', 'exceptions', 'lists', 'bigint', 'strings', 'tuples', 'functions', 'builtins'];

describe('garbage collection', () => {
  for (const name of STRESSED.filter((n) => programNames().includes(n))) {
    it(`${name}.py prints the same with a collection at every safepoint`, () => {
      const stressed = runCounting(programSource(name), { gcStress: true });
      expect(differenceBetween(readExpectation(name), observe(stressed))).toBeNull();
      expect(stressed.collections).toBeGreaterThan(10);
    });
  }

  it('the stress runs can fail: a collector that forgets the globals is caught on each program', () => {
    const caught = STRESSED.filter((name) => {
      const broken = runCounting(programSource(name), { gcStress: true }, forgetGlobals);
      return differenceBetween(readExpectation(name), observe(broken)) !== null;
    });
    // (A program whose globals hold only immortal values or constants across safepoints can pass.)
    expect(caught).toEqual(expect.arrayContaining(['figure1_int', 'figure1_float', 'classes', 'lists']));
    expect(caught.length).toBeGreaterThanOrEqual(STRESSED.length - 2);
  });

  it('reclaims memory: 10^7 boxes through a 2 MB heap', () => {
    const source = 'x = 0\nfor i in range(5000000):\n    x = x + 1\nprint(x)\n';
    const run = runCounting(source, { heapBytes: 2 * 1024 * 1024 });
    expect(run.stdout).toBe('5000000\n');
    expect(run.status).toBe(0);
    expect(run.collections).toBeGreaterThan(100);
    expect(run.semispace).toBeLessThanOrEqual(1024 * 1024);
  });

  it('keeps a live structure intact through collections and semispace growth', () => {
    const source = `
class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next
head = None
for i in range(40000):
    head = Node([i, float(i), str(i)], head)
total = 0
n = head
while n is not None:
    total = total + n.value[0] + int(n.value[1]) + len(n.value[2])
    n = n.next
print(total)
`;
    const run = runCounting(source);
    const expected = 2 * (40000 * 39999) / 2 + [...Array(40000).keys()].reduce((s, i) => s + String(i).length, 0);
    expect(run.stdout).toBe(`${expected}\n`);
    expect(run.semispace).toBeGreaterThan(1024 * 1024);
  });

  it('ends with MemoryError (status 1) when the live data outgrows the heap limit', () => {
    const run = runPython('xs = []\nwhile True:\n    xs.append([1, 2, 3])\n', { file: 'grow.py', heapBytes: 4 * 1024 * 1024 });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').pop()).toBe('MemoryError');
    expect(run.stdout).toBe('');
  });

  it('ends deep guest recursion with RecursionError, catchable, without growing the JS stack', () => {
    const source = `
def down(n):
    return down(n + 1)
try:
    down(0)
except RecursionError as e:
    print("caught", e)
down(0)
`;
    const run = runPython(source, { file: 'deep.py' });
    expect(run.stdout).toBe('caught maximum recursion depth exceeded\n');
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').pop()).toBe('RecursionError: maximum recursion depth exceeded');
  });
});
