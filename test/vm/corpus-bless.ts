/**
 * `npm run corpus:bless`: runs every program of examples/programs/ under python3 (CPython 3.11)
 * and writes its stdout, last stderr line and exit status beside it (properties/corpus.ts says
 * how). Programs outside the subset (examples/programs/unsupported/) hold our expectations and
 * are left alone. Refuses to bless with a python3 other than 3.11: the files are 3.11's output.
 * Prints what changed; run the corpus test afterwards.
 */
import { observe, pythonVersion, requirePython, runCPythonFile } from '../../properties/cpython.ts';
import { CORPUS_DIR, hasExpectation, programNames, readExpectation, writeExpectation } from '../../properties/corpus.ts';

requirePython();
const version = pythonVersion();
if (!version.startsWith('3.11.')) {
  console.error(`corpus:bless: python3 is ${version}; the corpus expectations are CPython 3.11's`);
  process.exit(2);
}
let changed = 0;
for (const name of programNames()) {
  const observation = observe(runCPythonFile(`${name}.py`, { cwd: CORPUS_DIR }));
  const before = hasExpectation(name) ? readExpectation(name) : null;
  const same = before !== null && before.stdout === observation.stdout && before.lastStderrLine === observation.lastStderrLine && before.status === observation.status;
  if (!same) {
    changed++;
    writeExpectation(name, observation);
  }
  console.log(`${same ? 'same   ' : 'written'} ${name}.py: status ${observation.status}${observation.lastStderrLine ? `, ${observation.lastStderrLine}` : ''}`);
}
console.log(`${programNames().length} programs, ${changed} expectation(s) written (python3 ${version})`);
