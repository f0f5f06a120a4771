/**
 * The boxless checkout or installed package this code runs from: the nearest folder above this
 * file that holds package.json. The same code runs as TypeScript (src/cli/) in tests and as
 * JavaScript (dist/src/cli/) in the command, one level deeper, so paths are found, not counted.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('boxless: cannot find the package folder (no package.json above the code)');
    dir = parent;
  }
  return dir;
}
