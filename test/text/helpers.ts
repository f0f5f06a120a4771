/** Shared by the text tests: catching the located error a bad trace must produce. */
import { expect } from 'vitest';
import { TraceError, type Trace } from '../../src/ir/index.ts';
import { parseTrace } from '../../src/text/index.ts';

/** Parses `source`, which must fail; returns the TraceError (anything else fails the test). */
export function parseError(source: string): TraceError {
  try {
    parseTrace(source);
  } catch (err) {
    expect(err).toBeInstanceOf(TraceError);
    return err as TraceError;
  }
  throw new Error(`expected a parse error for:\n${source}`);
}

/** A copy of `value` without any `loc` property, for comparing traces that came from different texts. */
export function withoutLocs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutLocs) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (key !== 'loc') copy[key] = withoutLocs(field);
  return copy as T;
}
