// Text triage: is a text (a PDF's text layer, a text file) good Vietnamese, repairable, or
// beyond repair? Decided on how Vietnamese the text reads (repair stage's quality score).
import { QUALITY_GOOD, QUALITY_REPAIRABLE, repairText, vietnameseQuality, type RepairModel } from '../repair/index.js';

export interface TextVerdict {
  /** good: used (repair only touches stray marks); broken: repaired; beyond-repair: OCR instead. */
  verdict: 'good' | 'broken' | 'beyond-repair';
  /** The text to use: repaired, or unchanged when beyond repair. */
  text: string;
  quality: number;
  reason: string;
}

export function triageText(text: string, model: RepairModel): TextVerdict {
  const quality = vietnameseQuality(text, model);
  if (quality < QUALITY_REPAIRABLE)
    return { verdict: 'beyond-repair', text, quality, reason: `text layer beyond repair (${pct(quality)} reads as Vietnamese): OCR used` };
  const repaired = repairText(text, model);
  if (quality >= QUALITY_GOOD) return { verdict: 'good', text: repaired, quality, reason: `text reads as Vietnamese (${pct(quality)})` };
  return { verdict: 'broken', text: repaired, quality, reason: `broken diacritics (${pct(quality)} reads as Vietnamese): repaired` };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
