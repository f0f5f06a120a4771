// Nothing recurses as deep as its input: a 20,000-deep object graph (far past what a recursive
// walk survives on Node's default stack) runs, compares, prints and compiles; so does a guard
// whose resume data nests 20,000 virtuals. (By hand, 100,000 deep: see the README's tests.)
import { describe, expect, it } from 'vitest';
import { compareOutcomes } from '../../spec/equivalence.ts';
import { formatOutcome } from '../../spec/format.ts';
import { runReference } from '../../spec/interpreter.ts';
import { formatRun } from '../../src/cli/outcome.ts';
import { parseTrace, printTrace } from '../../src/text/index.ts';
import { compileTrace, runCompiled } from '../../src/wasm/index.ts';

const DEPTH = 20_000;

/** A list of DEPTH Nodes as an input set, escaped (logged), read and returned. */
function deepList(): string {
  const objects = Array.from({ length: DEPTH }, (_, k) => `@o${k} = Node{next: ${k + 1 < DEPTH ? `@o${k + 1}` : 'null'}, item: ${k}}`);
  return `class Node(next: ref, item: int)\n[p0]\nescape(p0)\ni1 = getfield(p0, item)\nfinish(p0, i1)\ninput deep [@o0] with ${objects.join(', ')}\n`;
}

/** A guard whose exit describes a chain of DEPTH virtuals (materialized when it fails). */
function deepResumeData(): string {
  const virtuals = Array.from({ length: DEPTH }, (_, k) => `$${k} = Node{next: ${k + 1 < DEPTH ? `$${k + 1}` : 'null'}, item: ${k}}`);
  return `class Node(next: ref, item: int)\n[i0]\nguard_true(i0) [$0] with ${virtuals.join(', ')}\nfinish()\ninput fails [0]\n`;
}

describe(`a ${DEPTH.toLocaleString('en')}-deep object graph`, () => {
  for (const [name, source] of [['input list', deepList()], ['chain of virtuals in resume data', deepResumeData()]] as const) {
    it(`${name}: runs on the reference and on wasm, compares, prints, round-trips`, () => {
      const trace = parseTrace(source);
      expect(parseTrace(printTrace(trace)).ops.length).toBe(trace.ops.length);
      const input = trace.inputSets[0]!;
      const reference = runReference(trace, input);
      expect(compareOutcomes(reference, reference)).toEqual({ ok: true });
      const compiled = runCompiled(compileTrace(trace), input);
      expect(compareOutcomes(reference, compiled)).toEqual({ ok: true });
      const text = formatOutcome(reference);
      expect(text.split('Node{next: ').length - 1).toBeGreaterThanOrEqual(DEPTH);
      expect(text).toContain(`item: ${DEPTH - 1}}`);
      const cli = formatRun(compiled, trace);
      expect(cli.split('Node{next: ').length - 1).toBeGreaterThanOrEqual(DEPTH);
    });
  }

  it('a difference at the bottom of the graph is found and named by its path', () => {
    const trace = parseTrace(deepList());
    const input = trace.inputSets[0]!;
    const changed = { ...input, objects: input.objects.map((o, k) => (k === DEPTH - 1 && o.kind === 'object' ? { ...o, fields: [o.fields[0]!, { field: 'item', value: { kind: 'int' as const, value: -1n } }] } : o)) };
    const result = compareOutcomes(runReference(trace, input), runReference(trace, changed));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.difference).toMatch(new RegExp(`^escape #1, argument 1: (field Node\\.next → ){${DEPTH - 1}}field Node\\.item is ${DEPTH - 1} in the input trace, -1 in the optimized trace$`));
  });
});
