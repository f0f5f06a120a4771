/**
 * Random guest programs for the random-program property and its coverage statistics: the public
 * face of program-recipes.ts (the random data) and program-build.ts (the builder, whose header
 * states the generator's contract: well formed, no unplanned exception, terminating, printable).
 *
 *   arbProgram(options)   a fast-check arbitrary of programs; each prints, in a fast-check
 *                         report, as its Python source (a `.py` file CPython and `boxless py` run)
 */
import fc from 'fast-check';
import { type BuildOptions, type BuiltProgram, buildProgram } from './program-build.ts';
import { arbProgramRecipe, DEFAULT_LIMITS, type ProgramRecipeLimits } from './program-recipes.ts';

export type { BuiltProgram } from './program-build.ts';

export interface ProgramArbOptions extends BuildOptions {
  readonly limits?: Partial<ProgramRecipeLimits>;
}

export function arbProgram(options: ProgramArbOptions = {}): fc.Arbitrary<BuiltProgram> {
  return arbProgramRecipe({ ...DEFAULT_LIMITS, ...options.limits }).map((recipe) => printsAsSource(buildProgram(recipe, options)));
}

/** Makes fast-check print `program` as its source, on lines of its own. Returns the same object. */
function printsAsSource(program: BuiltProgram): BuiltProgram {
  Object.defineProperty(program, fc.toStringMethod, { value: () => `\n${program.source}`, enumerable: false });
  return program;
}
