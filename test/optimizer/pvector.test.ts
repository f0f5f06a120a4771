// The persistent vector against a model: every version ever made keeps its contents, whatever
// is later read or written through any other version (rerooting must invert each diff exactly).
// Random programs of push/set/get on random earlier versions; the model is one plain array copy
// per version. A vector that shares without persistence (writes in place) must be caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PVector } from '../../src/optimizer/pvector.ts';
import { fcParams, fcParamsForBrokenVariant } from '../../properties/fc-config.ts';

interface Vec {
  readonly size: number;
  get(index: number): number;
  set(index: number, value: number): Vec;
  push(value: number): Vec;
}

/** Deliberately broken: one shared array written in place, so older versions change. */
class InPlaceVector implements Vec {
  constructor(
    readonly size: number,
    private readonly items: number[],
  ) {}
  get(index: number): number {
    return this.items[index]!;
  }
  set(index: number, value: number): Vec {
    this.items[index] = value;
    return new InPlaceVector(this.size, this.items);
  }
  push(value: number): Vec {
    this.items[this.size] = value;
    return new InPlaceVector(this.size + 1, this.items);
  }
}

type Step = { kind: 'push' | 'set' | 'check'; from: number; at: number; value: number };
const arbStep: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom('push', 'set', 'check'),
  from: fc.nat(),
  at: fc.nat(),
  value: fc.integer(),
});

/** Runs the steps on `empty` and on the model; returns the first disagreement, or null. */
function disagreement(empty: Vec, steps: readonly Step[]): string | null {
  const versions: Vec[] = [empty];
  const model: number[][] = [[]];
  for (const step of steps) {
    const k = step.from % versions.length;
    const vec = versions[k]!;
    const items = model[k]!;
    if (step.kind === 'push' || items.length === 0) {
      versions.push(vec.push(step.value));
      model.push([...items, step.value]);
      continue;
    }
    const at = step.at % items.length;
    if (step.kind === 'set') {
      versions.push(vec.set(at, step.value));
      model.push(items.map((x, j) => (j === at ? step.value : x)));
      continue;
    }
    // check: every slot of this version, in an order that visits others in between
    for (let j = 0; j < items.length; j++) {
      const other = versions[(k + j) % versions.length]!;
      if (other.size > 0) other.get(0);
      if (vec.get(j) !== items[j]) return `version ${k} slot ${j}: ${vec.get(j)}, expected ${items[j]}`;
    }
  }
  for (let k = 0; k < versions.length; k++) {
    if (versions[k]!.size !== model[k]!.length) return `version ${k} has size ${versions[k]!.size}`;
    for (let j = 0; j < model[k]!.length; j++) if (versions[k]!.get(j) !== model[k]![j]) return `version ${k} slot ${j} at the end`;
  }
  return null;
}

describe('PVector', () => {
  it('every version keeps its contents (model check)', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { maxLength: 60 }), (steps) => disagreement(PVector.empty<number>(), steps) === null),
      fcParams(300),
    );
  });
  it('the model check catches a vector written in place', () => {
    const caught = fc.check(
      fc.property(fc.array(arbStep, { maxLength: 60 }), (steps) => disagreement(new InPlaceVector(0, []), steps) === null),
      fcParamsForBrokenVariant(300),
    );
    expect(caught.failed).toBe(true);
  });
  it('reads out of range are errors', () => {
    const vec = PVector.empty<number>().push(1);
    for (const index of [-1, 1]) {
      expect(() => vec.get(index)).toThrow(new RangeError(`index ${index} out of range 0..0`));
      expect(() => vec.set(index, 0)).toThrow(new RangeError(`index ${index} out of range 0..0`));
    }
  });
  it('a chain of 200,000 versions rerooted to the first takes no deep recursion', () => {
    const first = PVector.empty<number>().push(0);
    let vec = first;
    for (let k = 0; k < 200_000; k++) vec = vec.set(0, k + 1);
    expect(first.get(0)).toBe(0);
    expect(vec.get(0)).toBe(200_000);
  });
});
