// vitest's configuration under Stryker (stryker.config.mjs): the project's, with test files in the
// order that lets a mutant be decided soonest. Stryker runs a mutant's covering tests with bail 1,
// so a killed mutant costs the time until its first failing file. vitest's own order runs the
// slowest files first (right for parallel workers, wrong here: one worker, and a 40 s wasm file
// ahead of the 1 s direct tests of the interpreter that kill most of its mutants). Here: the
// files that failed last time first (the last mutant's killer is likely to kill its neighbour),
// then the quickest; files with no recorded time (new ones) before those with one. The verdicts
// do not change, only how soon a killed mutant stops. vitest.stryker.setup.ts draws Stryker's hit
// limit per test, so a mutant that makes a loop endless stops in milliseconds, not at the timeout.
import { defineConfig, mergeConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { relative } from 'node:path';
import project from './vitest.config.ts';

class FailedThenQuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const key = (file: TestSpecification) => `${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`;
    const rank = (file: TestSpecification): [number, number] => {
      const state = cache.getFileTestResults(key(file));
      if (state === undefined) return [0, 0];
      return [state.failed ? 0 : 1, state.duration ?? 0];
    };
    return [...files].sort((a, b) => {
      const [failedA, timeA] = rank(a);
      const [failedB, timeB] = rank(b);
      return failedA - failedB || timeA - timeB;
    });
  }
}

export default mergeConfig(
  project,
  defineConfig({ test: { sequence: { sequencer: FailedThenQuickestFirst }, setupFiles: ['./vitest.stryker.setup.ts'] } }),
);
