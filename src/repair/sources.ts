// Reads the named sources of the repair data: npm packages (dictionary-vi, @vntk/dictionary,
// dvhcvn), the curated administrative terms, the pipeline's OCR readings of the scanned samples
// and the shared gold material. Build time only.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { GoldDocument, OcrReading, RepairSources } from './build.js';
import { packageRoot } from './paths.js';

interface DictionaryEntry {
  example?: string;
  definition?: string;
}
interface AdminUnit {
  name: string;
  children?: AdminUnit[];
}

const require = createRequire(join(packageRoot(), 'package.json'));

/** A file inside an installed package (some packages do not export their data files). */
function packageFile(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = join(dir, pkg, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`repair sources: ${pkg}/${file} not found; is ${pkg} installed?`);
}

/** Gold documents: ids are the file names of gold/ocr without extension. */
export function readGoldDocuments(sharedDir: string): GoldDocument[] {
  const ocrDir = join(sharedDir, 'gold', 'ocr');
  return readdirSync(ocrDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({
      id: f.replace(/\.txt$/, ''),
      ocr: readFileSync(join(ocrDir, f), 'utf8').normalize('NFC'),
      text: readFileSync(join(sharedDir, 'gold', 'text', f), 'utf8').normalize('NFC'),
    }));
}

/** Under dictionaries/: the pipeline's OCR of the scanned samples (scripts/build-ocr-readings.ts). */
export const OCR_READINGS_DIR = join('sources', 'ocr-readings');

/** Ids of the gold documents with a rendered text (what a scanned sample of them shows). */
export function renderedGoldIds(sharedDir: string): string[] {
  return readdirSync(join(sharedDir, 'gold', 'rendered'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.replace(/\.txt$/, ''))
    .sort();
}

/** The OCR readings ("<gold id>.<condition>.txt") of documents with a rendered gold text, with that text. */
function readOcrReadings(sharedDir: string): OcrReading[] {
  const dir = join(packageRoot(), 'dictionaries', OCR_READINGS_DIR);
  if (!existsSync(dir)) return [];
  const rendered = new Set(renderedGoldIds(sharedDir));
  const text = (file: string) => readFileSync(file, 'utf8').normalize('NFC');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => f.replace(/\.txt$/, '').split('.') as [string, string])
    .filter(([id]) => rendered.has(id))
    .map(([id, condition]) => ({ id, condition, ocr: text(join(dir, `${id}.${condition}.txt`)), rendered: text(join(sharedDir, 'gold', 'rendered', `${id}.txt`)) }));
}

function dictionarySentences(): string[] {
  const data = JSON.parse(readFileSync(packageFile('@vntk/dictionary', 'data/dictionary.json'), 'utf8')) as Record<string, DictionaryEntry[]>;
  const out: string[] = [];
  for (const senses of Object.values(data)) {
    for (const sense of senses) {
      if (sense.definition) out.push(sense.definition);
      // Examples of one sense are separated by "~".
      if (sense.example) out.push(...sense.example.split('~').map((s) => s.trim()).filter(Boolean));
    }
  }
  return out.map((s) => s.normalize('NFC'));
}

function placeNames(): string[] {
  const { level1s } = require('dvhcvn') as { level1s: AdminUnit[] };
  const names = new Set<string>();
  const typePrefix = /^(Thành phố|Tỉnh|Quận|Huyện|Thị xã|Thị trấn|Phường|Xã)\s+/u;
  const visit = (unit: AdminUnit) => {
    const name = unit.name.normalize('NFC');
    names.add(name);
    names.add(name.replace(typePrefix, ''));
    for (const child of unit.children ?? []) visit(child);
  };
  level1s.forEach(visit);
  return [...names];
}

function indicatorPhrases(sharedDir: string): string[] {
  const indicators = JSON.parse(readFileSync(join(sharedDir, 'indicators.json'), 'utf8')) as Array<{ label: string; examples?: string[] }>;
  return indicators.flatMap((i) => [i.label, ...(i.examples ?? [])]).map((s) => s.normalize('NFC'));
}

/** All sources; gold documents whose id is in `excludeGold` are left out, with their OCR readings (leave-one-out). */
export function readRepairSources(sharedDir: string, excludeGold: string[] = []): RepairSources {
  return {
    hunspellDic: readFileSync(packageFile('dictionary-vi', 'index.dic'), 'utf8'),
    wordList: readFileSync(packageFile('@vntk/dictionary', 'data/Viet74K.txt'), 'utf8'),
    dictionarySentences: dictionarySentences(),
    adminTerms: readFileSync(join(packageRoot(), 'dictionaries', 'sources', 'admin-terms.txt'), 'utf8'),
    placeNames: placeNames(),
    indicatorPhrases: indicatorPhrases(sharedDir),
    gold: readGoldDocuments(sharedDir).filter((d) => !excludeGold.includes(d.id)),
    ocrReadings: readOcrReadings(sharedDir).filter((r) => !excludeGold.includes(r.id)),
  };
}
