/**
 * The import table of DESIGN.md, enforced: each layer imports only the layers below it, and
 * the reference semantics (spec/) never sees the optimizer. A violation names the file and the
 * import, so the fix is obvious.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Layer of a repository path, or null for files outside the layered tree. */
function layerOf(path: string): string | null {
  const rel = relative(root, path).split('\\').join('/');
  for (const layer of ['src/index.ts', 'src/ir', 'src/text', 'src/optimizer', 'src/wasm', 'src/vm', 'src/validate', 'src/cli', 'spec', 'properties']) {
    if (rel === layer || rel.startsWith(`${layer}/`)) return layer;
  }
  return null;
}

/** What each layer may import (besides itself and node/npm packages). */
const ALLOWED: Record<string, readonly string[]> = {
  'src/ir': [],
  'src/text': ['src/ir'],
  'src/optimizer': ['src/ir'],
  'src/wasm': ['src/ir', 'src/optimizer'],
  // The VM may call the translation validator (src/validate/index.ts) in its JIT's debug mode.
  'src/vm': ['src/ir', 'src/text', 'src/optimizer', 'src/wasm', 'src/validate'],
  // The translation validator reads the IR only: it must not share the optimizer's shortcuts,
  // and src/ never calls the reference (its counterexamples are replayed by the CLI's layer).
  'src/validate': ['src/ir'],
  // The CLI's fuzz and check commands draw random traces and input heaps from the arbitraries.
  'src/cli': ['src/ir', 'src/text', 'src/optimizer', 'src/wasm', 'src/vm', 'src/validate', 'spec', 'properties'],
  spec: ['src/ir', 'src/text'],
  // The package's entry point (`boxless`) gathers the library's layers; the command is not part of it.
  'src/index.ts': ['src/ir', 'src/text', 'src/optimizer', 'src/wasm', 'src/vm', 'src/validate', 'spec'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g;

function repositoryFiles(): { file: string; text: string }[] {
  return ['src', 'spec'].flatMap((top) => sourceFiles(join(root, top)).map((file) => ({ file, text: readFileSync(file, 'utf8') })));
}

function violations(files: readonly { file: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    const from = layerOf(file)!;
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const to = layerOf(resolve(dirname(file), spec));
      if (to === null) {
        found.push(`${relative(root, file)} imports ${spec}, outside src/, spec/ and properties/`);
      } else if (to !== from && !ALLOWED[from]!.includes(to)) {
        found.push(`${relative(root, file)} (${from}) imports ${spec} (${to})`);
      }
    }
  }
  return found;
}

describe('layering', () => {
  it('every import follows the table of DESIGN.md', () => {
    expect(violations(repositoryFiles())).toEqual([]);
  });

  it('sees the reference importing the optimizer, and the IR importing the text format', () => {
    const bad = [
      { file: join(root, 'spec', 'x.ts'), text: "import { optimize } from '../src/optimizer/pipeline.ts';" },
      { file: join(root, 'src', 'ir', 'y.ts'), text: "export { printTrace } from '../text/printer.ts';" },
      { file: join(root, 'src', 'text', 'z.ts'), text: "import type { Trace } from '../ir/trace.ts';" },
    ];
    expect(violations(bad)).toEqual([
      'spec/x.ts (spec) imports ../src/optimizer/pipeline.ts (src/optimizer)',
      'src/ir/y.ts (src/ir) imports ../text/printer.ts (src/text)',
    ]);
  });
});
