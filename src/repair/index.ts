// Diacritic repair of Vietnamese text layers: public interface of the repair stage.
//
//   const model = loadRepairModel();
//   repairText('Chuyén doi s6', model)        // 'Chuyển đổi số'
//   vietnameseQuality(pageText, model)         // 0..1, compare with the QUALITY_* thresholds

import { decodeWithDocumentChannel } from './adapt-channel.js';
import { decodeWithDocumentPrior, warmUpDocumentPrior } from './document-prior.js';
import { buildLattice, damageMode, EXPLAINED_COST, prepareDecoder, warmUpDecoder, type ChunkLattice } from './decode.js';
import { loadRepairModel as loadModelFiles, type RepairModel } from './model.js';

export type { RepairModel, DamageMode } from './model.js';
export { renumberHeadings } from './headings.js';

const prepared = new WeakSet<RepairModel>();
const warmedUp = new WeakSet<RepairModel>();

export interface LoadOptions {
  /**
   * Decode sample text at load time so that the decoder is compiled before the first real text
   * (about 1 s of CPU): worth it where repair speed from the first line matters (`plans repair`),
   * pure overhead for a one-shot OCR run, whose repair of each page is short.
   */
  warmUp: boolean;
}

/** Loads (once per directory) the repair model from dictionaries/ and prepares the decoder. */
export function loadRepairModel(dir?: string, { warmUp }: LoadOptions = { warmUp: true }): RepairModel {
  const model = loadModelFiles(dir);
  if (!prepared.has(model)) {
    prepared.add(model);
    prepareDecoder(model);
  }
  if (warmUp && !warmedUp.has(model)) {
    warmedUp.add(model);
    warmUpDecoder(model, warmUpDocumentPrior);
  }
  return model;
}

/**
 * Triage of a PDF text layer by vietnameseQuality():
 * at or above QUALITY_GOOD the layer is correct Vietnamese (use it; repair only fixes stray marks);
 * from QUALITY_REPAIRABLE up it is broken but repairable (repairText);
 * below QUALITY_REPAIRABLE it is beyond repair (OCR the page).
 */
export const QUALITY_GOOD = 0.9;
export const QUALITY_REPAIRABLE = 0.35;

export interface Decoded {
  lattice: ChunkLattice[];
  choices: number[];
  lines: ReturnType<typeof buildLattice>['lines'];
}

/** The last decoding per model: triage scores a page and then repairs the same text. */
const lastDecoded = new WeakMap<RepairModel, { text: string; decoded: Decoded }>();

/** The repair's reading of a text: its lattice and the chosen alternative of every chunk (error analysis reads it too). */
export function repairReading(text: string, model: RepairModel): Decoded {
  const last = lastDecoded.get(model);
  if (last && last.text === text) return last.decoded;
  const mode = damageMode(text, model);
  const built = buildLattice(text, model, mode);
  const first = { lattice: built.lattice, choices: decodeWithDocumentPrior(built.lattice, model) };
  const { lattice, choices } = decodeWithDocumentChannel(text, mode, first, model);
  const decoded = { lattice, lines: built.lines, choices };
  lastDecoded.set(model, { text, decoded });
  return decoded;
}

/**
 * Repairs Vietnamese text damaged by OCR: restores diacritics and look-alike characters, splits
 * glued words. Same number of lines as the input, NFC; case, numbers, abbreviations, punctuation
 * and whitespace are kept; correct Vietnamese comes back unchanged.
 */
export function repairText(text: string, model: RepairModel): string {
  const input = text.normalize('NFC');
  const { lattice, choices, lines } = repairReading(input, model);
  let k = 0;
  return lines
    .map(({ chunks, spaces }) => {
      let out = '';
      chunks.forEach((chunk, i) => {
        if (chunk) {
          const chunkLattice = lattice[k]!;
          out += chunkLattice.lead + chunkLattice.alternatives[choices[k]!]!.text + chunkLattice.trail;
          k++;
        }
        out += spaces[i];
      });
      return out;
    })
    .join('\n')
    .normalize('NFC');
}

/**
 * How much the text reads as correct Vietnamese, 0..1: the mean of (a) the share of word tokens
 * that are valid syllables the decoder keeps as they are in their context and (b) the share it
 * can explain as damaged syllables at a plausible channel cost. Correct text scores about 1,
 * old text layers without diacritics about 0.5, text no channel explains (wrong encoding,
 * noise, another language) close to 0.
 */
export function vietnameseQuality(text: string, model: RepairModel): number {
  const input = text.normalize('NFC');
  const { lattice, choices } = repairReading(input, model);
  let words = 0;
  let correct = 0;
  let explained = 0;
  lattice.forEach((chunk, i) => {
    if (!chunk.isWord) return; // numbers, codes and abbreviations say nothing about the language
    const chosen = chunk.alternatives[choices[i]!]!;
    words++;
    if (!chosen.syllabic) return;
    if (chunk.lead + chosen.text + chunk.trail === chunk.source) correct++;
    if (chosen.cost < EXPLAINED_COST) explained++;
  });
  if (words === 0) return 0;
  return (correct / words + explained / words) / 2;
}
