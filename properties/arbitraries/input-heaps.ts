/**
 * Random input heaps for a *given* trace (a golden file, a file passed to `boxless check`):
 * one value per input, of its type, with a small pool of objects of the trace's own classes and
 * arrays that refer to each other (sharing, cycles, nulls). Unlike the trace generator, these
 * heaps may make the trace read a field of the wrong class: such runs are undefined behaviour,
 * which the equivalence check treats as making no claim, so they cost a run and prove nothing.
 * Small ints dominate so that loops such as Figure 2's end within the fuel.
 */
import fc from 'fast-check';
import type { HeapObjectDesc, HeapValue, InputSet, Trace, Type } from '../../src/ir/index.ts';
import { typeOfVar } from '../../src/ir/index.ts';

const EDGE_INTS = [0n, 1n, -1n, 2n, 3n, 10n, -100n, 63n, 64n, (1n << 63n) - 1n, -(1n << 63n)];
const EDGE_FLOATS = [0, -0, 1, -1.5, 2.5, NaN, Infinity, -Infinity, 1e300];

const arbInt: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 12 }).map(BigInt) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_INTS) },
);
const arbFloat: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -8, max: 8 }).map((n) => n / 2) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_FLOATS) },
);

/** A value of `type`; refs pick an object of the pool by index (modulo its size) or null. */
function arbValue(type: Type, poolSize: number): fc.Arbitrary<HeapValue> {
  switch (type) {
    case 'int':
      return arbInt.map((value) => ({ kind: 'int', value }));
    case 'float':
      return arbFloat.map((value) => ({ kind: 'float', value }));
    case 'ref':
      if (poolSize === 0) return fc.constant({ kind: 'null' });
      return fc.oneof(
        { weight: 4, arbitrary: fc.nat(poolSize - 1).map((k): HeapValue => ({ kind: 'obj', name: `o${k}` })) },
        { weight: 1, arbitrary: fc.constant<HeapValue>({ kind: 'null' }) },
      );
  }
}

function arbObject(trace: Trace, index: number, poolSize: number): fc.Arbitrary<HeapObjectDesc> {
  const name = `o${index}`;
  const objects = trace.classes.map((cls) =>
    fc
      .tuple(...cls.fields.map((f) => arbValue(f.type, poolSize)))
      .map((values): HeapObjectDesc => ({
        name,
        kind: 'object',
        cls: cls.name,
        fields: cls.fields.map((f, k) => ({ field: f.name, value: values[k]! })),
      })),
  );
  const arrays = (['int', 'float', 'ref'] as const).map((elem) =>
    fc.array(arbValue(elem, poolSize), { maxLength: 4 }).map((items): HeapObjectDesc => ({ name, kind: 'array', elem, items })),
  );
  // Objects of the trace's classes are what its guards expect; arrays are rarer.
  return fc.oneof(...objects.map((arbitrary) => ({ weight: 4, arbitrary })), ...arrays.map((arbitrary) => ({ weight: 1, arbitrary })));
}

/** Input sets for `trace`, named `random` (callers rename when they keep several). */
export function arbInputSet(trace: Trace): fc.Arbitrary<InputSet> {
  return fc.integer({ min: 0, max: 5 }).chain((poolSize) =>
    fc
      .tuple(
        fc.tuple(...trace.inputs.map((input) => arbValue(typeOfVar(input.name), poolSize))),
        fc.tuple(...Array.from({ length: poolSize }, (_, k) => arbObject(trace, k, poolSize))),
      )
      .map(([args, objects]): InputSet => ({ name: 'random', args, objects })),
  );
}

/** `count` input sets for `trace`, deterministic for a seed, named random1, random2, … */
export function sampleInputSets(trace: Trace, count: number, seed: number): InputSet[] {
  if (count <= 0) return [];
  return fc.sample(arbInputSet(trace), { numRuns: count, seed }).map((set, k) => ({ ...set, name: `random${k + 1}` }));
}
