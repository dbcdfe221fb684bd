// Local files for `plans enqueue`: folders walked recursively for .pdf/.txt (archive batches), and
// record file names that stay unique when two folders hold files of the same name.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FoundInputs {
  files: string[];
  /** Paths given that cannot be used, with why. */
  unusable: { path: string; reason: string }[];
}

const DOCUMENT_EXTENSION = /\.(pdf|txt)$/i;

/** Files as given (any extension: the pipeline sniffs PDFs); in folders, .pdf/.txt files sorted, hidden entries skipped. */
export async function findInputFiles(paths: string[]): Promise<FoundInputs> {
  const found: FoundInputs = { files: [], unusable: [] };
  for (const given of paths) {
    const info = await stat(given).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) found.unusable.push({ path: given, reason: info.code === 'ENOENT' ? 'no such file or folder' : info.message });
    else if (info.isDirectory()) found.files.push(...(await documentsIn(given)));
    else found.files.push(given);
  }
  found.files = [...new Set(found.files)];
  return found;
}

async function documentsIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    // linked files are read, linked folders are not walked: a link loop would never end
    if (entry.isDirectory()) files.push(...(await documentsIn(full)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && DOCUMENT_EXTENSION.test(entry.name)) files.push(full);
  }
  return files;
}

/** `<name>.json` per input; a name already taken by different content gets its sha256's first 8 digits. */
export class RecordFileNames {
  private readonly taken = new Map<string, string>();

  nameFor(file: string, sha256: string): string {
    const base = path.parse(file).name;
    const owner = this.taken.get(base);
    if (owner === undefined || owner === sha256) {
      this.taken.set(base, sha256);
      return `${base}.json`;
    }
    return `${base}-${sha256.slice(0, 8)}.json`;
  }
}
