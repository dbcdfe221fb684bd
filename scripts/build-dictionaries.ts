// Rebuilds every repair data file under dictionaries/ from its named sources.
// Usage: npx tsx scripts/build-dictionaries.ts [--shared DIR] [--out DIR]
// Sources: dictionary-vi (syllables), @vntk/dictionary (word list, example sentences and
// definitions), dvhcvn (place names), dictionaries/sources/admin-terms.txt, the pipeline's OCR of
// the scanned samples (dictionaries/sources/ocr-readings/, by build-ocr-readings.ts), and from the
// shared material indicators.json, the gold text/ocr pairs (language model and channel model) and
// the rendered gold texts (residual channel).

import { buildRepairData, writeRepairData } from '../src/repair/build.js';
import { defaultDictionaryDir, defaultSharedDir } from '../src/repair/paths.js';
import { readRepairSources } from '../src/repair/sources.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const sharedDir = option('--shared', defaultSharedDir());
const outDir = option('--out', defaultDictionaryDir());
const started = Date.now();
const data = buildRepairData(readRepairSources(sharedDir));
writeRepairData(outDir, data);
console.log(JSON.stringify(data.manifest, null, 2));
console.log(`wrote ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
