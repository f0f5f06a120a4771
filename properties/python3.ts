/**
 * CPython 3.11 as an oracle: run a Python script once with a JSON value on stdin and read the
 * JSON value it prints. Tests batch their cases into one call (starting python3 costs tens of
 * milliseconds). If python3 is missing or is not 3.11, the error says so instead of letting a
 * comparison fail obscurely.
 */
import { spawnSync } from 'node:child_process';

let executable: string | undefined;

/**
 * The interpreter's own path, asked once: `python3` may be a version manager's shell shim
 * that costs a second or more per start on a loaded machine.
 */
export function python3Executable(): string {
  if (executable !== undefined) return executable;
  const r = spawnSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2]); print(sys.executable)'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('python3 is needed by the guest-language tests (CPython 3.11 is their oracle) and could not be run');
  }
  const [version, path] = r.stdout.trim().split('\n');
  if (version !== '3.11') throw new Error(`the guest-language tests need CPython 3.11 as python3, found ${version}`);
  executable = path!;
  return executable;
}

/** Runs `script` (which reads `json.load(sys.stdin)` and prints one JSON value) on `input`. */
export function runPython<T>(script: string, input: unknown): T {
  const r = spawnSync(python3Executable(), ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONHASHSEED: '0' },
  });
  if (r.error || r.status !== 0) throw new Error(`python3 failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
