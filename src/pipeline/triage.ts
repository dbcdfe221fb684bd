// Text triage: is a text (a PDF's text layer, a text file) good Vietnamese, repairable, or
// beyond repair? Decided on how Vietnamese the text reads before and after repair.
import { repairText, vietnameseQuality, type RepairModel } from '../repair/index.js';

export interface TextVerdict {
  use: 'as-is' | 'repaired' | 'ocr';
  /** The text to use: unchanged, or repaired. */
  text: string;
  quality: number;
  reason: string;
}

/** Above this share of valid Vietnamese the text is used unchanged. */
export const GOOD_TEXT_QUALITY = 0.9;
/** After repair, text must reach this to be trusted over OCR. */
export const REPAIRED_TEXT_QUALITY = 0.75;

export function triageText(text: string, model: RepairModel): TextVerdict {
  const quality = vietnameseQuality(text, model);
  if (quality >= GOOD_TEXT_QUALITY) return { use: 'as-is', text, quality, reason: `text reads as Vietnamese (${pct(quality)})` };
  const repaired = repairText(text, model);
  const repairedQuality = vietnameseQuality(repaired, model);
  if (repairedQuality >= REPAIRED_TEXT_QUALITY)
    return { use: 'repaired', text: repaired, quality: repairedQuality, reason: `broken diacritics (${pct(quality)} valid): repaired (${pct(repairedQuality)})` };
  return { use: 'ocr', text, quality, reason: `text layer beyond repair (${pct(quality)} valid, ${pct(repairedQuality)} after repair): OCR used` };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
