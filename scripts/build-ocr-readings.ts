// Rebuilds dictionaries/sources/ocr-readings/: the pipeline's own OCR (before repair) of every
// scanned sample of the shared material, one file per document and scan condition. Beside the
// documents' rendered gold text they are the aligned pairs the residual channel (the marks OCR
// with the Vietnamese model still gets wrong: "vê" for "về") is learned from by build:dictionaries.
// Needs ../shared/samples; a few minutes on two cores. Rerun it when the OCR stage changes.
// Usage: npx tsx scripts/build-ocr-readings.ts [--shared DIR]

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInput } from '../src/cli/input.js';
import { Pipeline } from '../src/pipeline/index.js';
import { defaultDictionaryDir, defaultSharedDir } from '../src/repair/paths.js';
import { OCR_READINGS_DIR, renderedGoldIds } from '../src/repair/sources.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const sharedDir = option('--shared', defaultSharedDir());
const outDir = join(defaultDictionaryDir(), OCR_READINGS_DIR);
const samplesDir = join(sharedDir, 'samples');
// Samples are named "<document number>-<condition>.pdf"; the text-layer variant is no scan.
const scans = readdirSync(samplesDir).filter((f) => /^\d+-\w+\.pdf$/.test(f) && !f.endsWith('-textlayer.pdf')).sort();
const goldIds = renderedGoldIds(sharedDir);
const pipeline = new Pipeline({ forceOcr: true });
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
try {
  for (const scan of scans) {
    const [number, condition] = scan.replace(/\.pdf$/, '').split('-') as [string, string];
    const goldId = goldIds.find((id) => id.startsWith(`${number}_`));
    if (!goldId) continue;
    const started = Date.now();
    const { pages } = await pipeline.readDocument(await readInput(join(samplesDir, scan)));
    writeFileSync(join(outDir, `${goldId}.${condition}.txt`), pages.map((p) => p.raw).join('\n') + '\n');
    console.log(`${scan}: ${pages.length} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await pipeline.close();
}
