import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors/index.js';
import type { DocumentInput } from '../pipeline/index.js';

/** Largest input file accepted: larger uploads are refused before they are read. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** Reads a file from disk as a pipeline input, with errors that name the file. */
export async function readInput(file: string): Promise<DocumentInput> {
  const name = path.basename(file);
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(file, 'is a folder, not a file');
    size = info.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(err as Error).message})`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(file, `file is ${Math.round(size / 2 ** 20)} MiB, over the ${MAX_INPUT_BYTES / 2 ** 20} MiB limit`);
  return { file: name, bytes: await readFile(file) };
}
