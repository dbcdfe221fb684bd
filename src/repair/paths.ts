// Locations of the repair data: found from this module's own file, whether it runs as
// TypeScript source (src/repair) or compiled (dist/src/repair).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory upwards from this module that holds package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repair: no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function defaultDictionaryDir(): string {
  return join(packageRoot(), 'dictionaries');
}

/** The shared material (gold texts, indicators) sits beside the project root. */
export function defaultSharedDir(): string {
  return join(packageRoot(), '..', 'shared');
}
