// Locations of the repair data, found from the package root.

import { join } from 'node:path';
import { packageRoot } from '../paths.js';

export { packageRoot };

export function defaultDictionaryDir(): string {
  return join(packageRoot(), 'dictionaries');
}

/** The shared material (gold texts, indicators) sits beside the project root. */
export function defaultSharedDir(): string {
  return join(packageRoot(), '..', 'shared');
}
