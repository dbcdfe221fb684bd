// The repair model built without some gold documents: benchmarks score those documents with it,
// as plans the models have never seen (bench:ocr, bench:extract).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRepairData, writeRepairData } from '../src/repair/build.js';
import { loadRepairModel, type RepairModel } from '../src/repair/index.js';
import { readRepairSources } from '../src/repair/sources.js';

export function buildRepairModelWithout(sharedDir: string, goldIds: string[]): RepairModel {
  const dir = mkdtempSync(join(tmpdir(), 'repair-model-without-'));
  try {
    writeRepairData(dir, buildRepairData(readRepairSources(sharedDir, goldIds)));
    // loaded whole: the files are not read again
    return loadRepairModel(dir, { warmUp: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
