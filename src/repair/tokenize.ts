// Splits text into whitespace-separated chunks, and each chunk into edge punctuation and a core.
// Symbols OCR uses as letter look-alikes (& $ € ¢ * …) stay in the core: "K&" is "Kế".

import { canonicalSyllable } from './vietnamese.js';

/** Edge punctuation by UTF-16 code: all of it is in the BMP, so no half of a surrogate pair matches. */
const EDGE_PUNCTUATION = new Set(Array.from('.,;:!?()[]{}"“”\'‘’«»…–—-/|', (ch) => ch.charCodeAt(0)));

export interface Chunk {
  /** Punctuation before the core, kept verbatim. */
  lead: string;
  core: string;
  /** Punctuation after the core, kept verbatim. */
  trail: string;
}

export function splitChunk(chunk: string): Chunk {
  let start = 0;
  let end = chunk.length;
  while (start < end && EDGE_PUNCTUATION.has(chunk.charCodeAt(start))) start++;
  while (end > start && EDGE_PUNCTUATION.has(chunk.charCodeAt(end - 1))) end--;
  return { lead: chunk.slice(0, start), core: chunk.slice(start, end), trail: chunk.slice(end) };
}

/** Whitespace-separated chunks of a line with the whitespace between them. */
export function splitLine(line: string): { chunks: string[]; spaces: string[] } {
  const parts = line.split(/(\s+)/);
  const chunks: string[] = [];
  const spaces: string[] = [];
  // parts alternates chunk, space, chunk …; a leading space yields an empty first chunk.
  for (let i = 0; i < parts.length; i += 2) {
    chunks.push(parts[i] ?? '');
    spaces.push(parts[i + 1] ?? '');
  }
  return { chunks, spaces };
}

// Special tokens of the language model.
export const SENTENCE_START = '<s>';
export const PUNCT_TOKEN = '<p>';
export const NUMBER_TOKEN = '<num>';
/** A percentage ("90%"): the targets of plans, whose contexts ("đạt trên", "tối thiểu") differ from other numbers'. */
export const PERCENT_TOKEN = '<pct>';
export const ABBREVIATION_TOKEN = '<abbr>';
export const UNKNOWN_TOKEN = '<unk>';
export const SPECIAL_TOKENS = [SENTENCE_START, PUNCT_TOKEN, NUMBER_TOKEN, PERCENT_TOKEN, ABBREVIATION_TOKEN, UNKNOWN_TOKEN];

const SENTENCE_END = /[.;:!?]/;

/** True for the punctuation after a word that ends a sentence (the language model starts a new one after it). */
export function endsSentence(trail: string): boolean {
  return SENTENCE_END.test(trail);
}

/** True for a core that is a number, a date, a code such as "06-NQ/TU" or "2022-2025". */
export function isNumberLike(core: string): boolean {
  return /\d/.test(core) && /^[\d.,/%:\-–A-Za-zĐđ&]*$/u.test(core) && /^\d|\d$/.test(core);
}

/** True for a number with a percent sign: "90%", "2,5%". */
export function isPercentage(core: string): boolean {
  return /^\d[\d.,]*%$/.test(core);
}

/** The LM token of a number-like core: a percentage or another number. */
export function numberToken(core: string): string {
  return isPercentage(core) ? PERCENT_TOKEN : NUMBER_TOKEN;
}

/**
 * True for a code of capitals, digits and "&" ("UBND", "QĐ-TTg", "TT&TT") with at least two capitals
 * or digits: a capital and a look-alike symbol ("S&" for "Sở") are a damaged word.
 */
export function isCapitalsCode(core: string): boolean {
  return /^[\p{Lu}\d&]{2,}(?:[-/.][\p{L}\d&]+)*$/u.test(core) && (core.match(/[\p{Lu}\d]/gu) ?? []).length >= 2;
}

/** True for abbreviations such as UBND, QĐ-TTg, KH-UBND, CNTT (two or more capitals, no lowercase run). */
export function isAbbreviationLike(core: string): boolean {
  return isCapitalsCode(core) || /^[\p{Lu}]{1,}[-/][\p{Lu}][\p{L}]*$/u.test(core);
}

/**
 * Language-model tokens of correct text: lowercase canonical syllables, and classes for
 * numbers, abbreviations, punctuation and anything else. A sentence end starts a new sentence.
 */
export function lmTokensOfLine(line: string, isSyllable: (s: string) => boolean): string[] {
  const out: string[] = [];
  for (const chunk of splitLine(line.normalize('NFC')).chunks) {
    if (!chunk) continue;
    const { lead, core, trail } = splitChunk(chunk);
    if (lead) out.push(PUNCT_TOKEN);
    if (core) out.push(lmTokenOfCore(core, isSyllable));
    if (trail) out.push(endsSentence(trail) ? SENTENCE_START : PUNCT_TOKEN);
  }
  return out;
}

export function lmTokenOfCore(core: string, isSyllable: (s: string) => boolean): string {
  const lower = canonicalSyllable(core.toLowerCase());
  if (isSyllable(lower)) return lower;
  if (isNumberLike(core)) return numberToken(core);
  if (isAbbreviationLike(core)) return ABBREVIATION_TOKEN;
  return UNKNOWN_TOKEN;
}
