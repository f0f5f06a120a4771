// The package as a user gets it: `npm pack`, then `npm install` of the tarball into a scratch
// project, which imports `boxless` and `boxless/testing` as compiled JavaScript (no TypeScript
// loader), type-checks a user's pass against the shipped .d.ts files, and sees checkPass catch
// that (wrong) pass with a reduced counterexample. Offline: the scratch project's dependencies are
// links to this checkout's node_modules, so npm resolves nothing from a registry.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'boxless-pack-'));
const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
const node = (args: string[], cwd: string) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8' });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed package', () => {
  it('installs into a scratch project, imports with types, and its checkPass catches a wrong pass', () => {
    // What `npm ci` (prepare) and `npm pack` would build, built now so the test sees these sources
    // (`npm test` has just built it: not twice).
    if (process.env.npm_lifecycle_event !== 'test') {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root });
    }
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], root)) as { filename: string; files: { path: string }[] }[];
    const paths = packed[0]!.files.map((f) => f.path);
    expect(paths).toContain('dist/src/index.js');
    expect(paths).toContain('dist/src/index.d.ts');
    expect(paths).toContain('dist/properties/testing.d.ts');
    expect(paths.some((p) => p.endsWith('.test.js') || p.startsWith('src/') || p.startsWith('test/'))).toBe(false);

    const project = join(scratch, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    const dependencies = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const name of dependencies) symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name), 'dir');
    npm(['install', '--offline', '--ignore-scripts', join(scratch, packed[0]!.filename)], project);

    // The user's pass, compiled against the installed package's types (strict, no skipLibCheck).
    const pass = readFileSync(join(root, 'test', 'package', 'wrong-user-pass.ts'), 'utf8').replace("'../../src/index.ts'", "'boxless'");
    writeFileSync(join(project, 'my-pass.ts'), pass);
    writeFileSync(
      join(project, 'main.ts'),
      [
        "import { parse, optimize, print, type Trace } from 'boxless';",
        "import { checkPass, CounterexampleError } from 'boxless/testing';",
        "import { subFromZeroIsIdentity } from './my-pass.js';",
        "const trace: Trace = parse('class B(v: int)\\n[p0]\\np1 = new(B)\\nsetfield(p1, v, 7)\\ni2 = getfield(p1, v)\\nfinish(i2)\\n');",
        "console.log(print(optimize(trace)));",
        'try {',
        "  checkPass(subFromZeroIsIdentity, { focus: ['int_sub'], runs: 300 });",
        "  console.log('NOT CAUGHT');",
        '} catch (err) {',
        '  if (!(err instanceof CounterexampleError)) throw err;',
        '  console.log(err.message);',
        '}',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false, types: [], outDir: 'out' }, files: ['main.ts'] }),
    );
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project });
    const out = node([join(project, 'out', 'main.js')], project);
    // virtualize removed the allocation: the optimized trace finishes with the constant.
    expect(out).toMatch(/^class B\(v: int\)\n\n\[p0\]\nfinish\(7\)\n/);
    expect(out).not.toContain('NOT CAUGHT');
    expect(out).toMatch(/# subFromZeroIsIdentity breaks the pass contract: /);
    expect(out).toMatch(/int_sub\(/);
  });
});
