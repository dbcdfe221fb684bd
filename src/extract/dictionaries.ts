// Loads the extraction rule files shipped in dictionaries/ (JSON), from the source tree or from
// the compiled tree under dist/: the folder is looked for upward from this module.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, unknown>();

function dictionariesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'dictionaries');
    if (fs.existsSync(path.join(candidate, 'extract-places.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('extraction dictionaries not found (dictionaries/extract-places.json)');
    dir = parent;
  }
}

/** Parsed content of dictionaries/<name>, read once. */
export function loadDictionary<T>(name: string): T {
  if (!cache.has(name)) cache.set(name, JSON.parse(fs.readFileSync(path.join(dictionariesDir(), name), 'utf8')));
  return cache.get(name) as T;
}
