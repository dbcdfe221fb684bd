// Noisy-channel model of OCR damage: P(OCR segment | gold character), a gold character being
// rendered as 0-2 OCR characters ("ố" → "6", "ứ" → "ir", "đ" → "d"). Learned by hard EM over
// aligned chunk pairs, smoothed towards a structural prior (same base letter, digit or symbol
// standing for a vowel) so that damage never seen in training still gets candidates.

import type { AlignedPair } from './align.js';
import type { ResidualCounts } from './residual.js';
import { splitChunk } from './tokenize.js';
import { channelForm, isLetter, isVowel, splitTone, stripMarks } from './vietnamese.js';

/** Serialised channel: costs are -ln P. */
export interface ChannelData {
  /** goldChar → ocrSegment → cost, for the old-text-layer (no Vietnamese) damage. */
  substitutions: Record<string, Record<string, number>>;
  /** Cost of two gold syllables written without the space between them ("ndm2025"). */
  glueCost: number;
  /** Cost of one gold syllable broken into two OCR chunks. */
  splitCost: number;
  /** Number of aligned pairs the table was learned from. */
  trainingPairs: number;
  /** The most frequent damaged forms of the training text layers, searched while loading. */
  frequentForms: string[];
  /**
   * What OCR with the Vietnamese model reads for each letter (same base letter), counted from its
   * readings of scanned samples (residual.ts); the accented channel is learned from it (model.ts).
   */
  residualCounts: ResidualCounts;
}

export const MAX_SEGMENT = 2;
/** Entries above this cost are not worth storing: the decoder never reaches them. */
const MAX_STORED_COST = 13;
const PRIOR_WEIGHT = 100;
const BACKOFF_WEIGHT = 10;
const PRIOR_FLOOR = 0.1;
const MAX_FREQUENT_FORMS = 8000;
const EM_ITERATIONS = 4;
/**
 * Weight of the damage vowels share (see sharedVowelDamage). Measured on the bench folds: 3 gains
 * 0.26 and 0.47 on the 000a halves and 3.6 on 000a left out, the others unchanged; 1 gains on
 * 000a left out only, 6 and 10 lose on 001 and 002 (up to 0.3).
 */
const SHARED_DAMAGE_WEIGHT = 3;
/** OCR characters that stand in for accented vowels in old text layers. */
const LOOKALIKE_SYMBOLS = [...'0123456789&$€¢*#@%^~+=<>§°\\|!?;:,.\'"()[]{}'];
const LATIN_LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const CAPITAL_LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
/** Prior of one given look-alike (digit, symbol, stray capital) standing for a given vowel. */
const SYMBOL_FOR_VOWEL = 0.004;

/**
 * A letter an OCR engine may break into two glyphs, each a letter of its own: the bowl and the
 * stem of "d" read as "cl", the stroked "đ" as "cl", "tl", "tt" or "ct", "m" as "rn".
 */
const GLYPH_SPLITS: Record<string, string[]> = { d: ['cl'], đ: ['cl', 'tl', 'tt', 'ct'], m: ['rn'] };
/** Prior of one given split of a letter (see GLYPH_SPLITS). */
const GLYPH_SPLIT_PRIOR = 0.02;

/**
 * Letters and symbols a digit is commonly misread as (lowercase: the channel's OCR side), beyond
 * those learned: "4%" read "A%", "75%" read "T5yo", "80%" read "S}yo".
 */
const DIGIT_LOOKALIKES: Record<string, string[]> = {
  '0': ['o', 'd', 'u', 'q'],
  '1': ['l', 'i', 't', 'j', '!', '|'],
  '2': ['z'],
  '4': ['a', 'h', '+'],
  '5': ['s'],
  '6': ['b', 'g'],
  '7': ['t', '?'],
  '8': ['s', 'b', '&', '$'],
  '9': ['g', 'q'],
};
/** Prior of one given look-alike of a digit (see DIGIT_LOOKALIKES). */
const DIGIT_LOOKALIKE_PRIOR = 0.02;

/** Characters of numbers the channel also learns ("70%o" for "70%", "lO" for "10"). */
export const NUMBER_CHARS = [...'0123456789%'];

/** Vietnamese lowercase letters with all their marked forms (the gold alphabet). */
export function vietnameseAlphabet(syllables: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const s of syllables) for (const ch of s) set.add(ch);
  return [...set].sort();
}

/** Structural prior P0(segment | gold): what damage looks like before any data is seen. */
function priorProbability(gold: string, segment: string, sameBaseCount: Map<string, number>): number {
  if (segment === gold) return 0.6;
  if (DIGIT_LOOKALIKES[gold]?.includes(segment)) return DIGIT_LOOKALIKE_PRIOR;
  if (segment.length === 0) return isVowel(gold) ? 0.01 : 0.002;
  if (segment.length === 1) {
    const goldBase = stripMarks(gold);
    if (stripMarks(segment) === goldBase && isLetter(segment)) {
      if (segment === goldBase) return 0.15;
      return 0.1 / Math.max(1, (sameBaseCount.get(goldBase) ?? 1) - 1);
    }
    // A digit, a symbol or a capital inside a lowercase word stands for some marked vowel.
    const oddity = !isLetter(segment) || segment !== segment.toLowerCase();
    if (oddity && isVowel(gold)) return SYMBOL_FOR_VOWEL;
    if (segment !== segment.toLowerCase()) return 0.5 * priorProbability(gold, segment.toLowerCase(), sameBaseCount);
    if (!isLetter(segment)) return 0.002 / LOOKALIKE_SYMBOLS.length;
    if (LATIN_LETTERS.includes(segment)) return 0.02 / LATIN_LETTERS.length;
    return 0.005 / 50;
  }
  return GLYPH_SPLITS[gold]?.includes(segment) ? GLYPH_SPLIT_PRIOR : 1e-5;
}

/** The pair's text as the channel sees it: edge punctuation removed, see channelForm. */
function channelText(text: string, side: 'gold' | 'ocr'): string {
  return text
    .split(' ')
    .map((chunk) => {
      const core = splitChunk(chunk).core;
      return side === 'gold' ? core.toLowerCase() : channelForm(core);
    })
    .join(' ');
}

interface Cost {
  (gold: string, segment: string): number;
}

/** Best segmentation of the OCR string into one segment per gold character (hard EM E-step). */
function alignChars(gold: string[], ocr: string[], cost: Cost): Array<[string, string]> | undefined {
  const n = gold.length;
  const m = ocr.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  const back: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(-1));
  dp[0]![0] = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = dp[i]![j]!;
      if (here === Infinity) continue;
      for (let k = 0; k <= MAX_SEGMENT && j + k <= m; k++) {
        const c = here + cost(gold[i]!, ocr.slice(j, j + k).join(''));
        if (c < dp[i + 1]![j + k]!) {
          dp[i + 1]![j + k] = c;
          back[i + 1]![j + k] = k;
        }
      }
    }
  }
  if (dp[n]![m] === Infinity) return undefined;
  const out: Array<[string, string]> = [];
  let j = m;
  for (let i = n; i > 0; i--) {
    const k = back[i]![j]!;
    out.push([gold[i - 1]!, ocr.slice(j - k, j).join('')]);
    j -= k;
  }
  return out.reverse();
}

/** Gold character without its tone ("ổ" → "ô"): damage of one vowel tells about its other tones. */
function toneless(ch: string): string {
  return splitTone(ch).bare;
}

/**
 * Smoothed channel: P(s | g) backs off from the gold character to its toneless form, then to its
 * base letter, then to the structural prior. Sparse tones ("ổ" read as "d") borrow from their
 * siblings ("ờ", "ố" read as "d").
 */
function smoothedCost(counts: Map<string, Map<string, number>>, structural: (g: string, s: string) => number): Cost {
  const shared = sharedVowelDamage(counts);
  const prior = (g: string, s: string): number => structural(g, s) + shared(g, s);
  const levels = [toneless, stripMarks].map((key) => {
    const grouped = new Map<string, Map<string, number>>();
    for (const [g, row] of counts) {
      const k = key(g);
      let target = grouped.get(k);
      if (!target) grouped.set(k, (target = new Map()));
      for (const [s, c] of row) target.set(s, (target.get(s) ?? 0) + c);
    }
    return { key, grouped, totals: totalsOf(grouped) };
  });
  const exactTotals = totalsOf(counts);
  return (g, s) => {
    // Innermost level first: base letter over the prior, then toneless, then the character.
    let p = prior(g, s);
    for (const level of [...levels].reverse()) {
      const k = level.key(g);
      p = ((level.grouped.get(k)?.get(s) ?? 0) + BACKOFF_WEIGHT * p) / ((level.totals.get(k) ?? 0) + BACKOFF_WEIGHT);
    }
    p = ((counts.get(g)?.get(s) ?? 0) + PRIOR_WEIGHT * p) / ((exactTotals.get(g) ?? 0) + PRIOR_WEIGHT);
    // Every engine damages text its own way: keep a share of the prior however much data says otherwise.
    return -Math.log((1 - PRIOR_FLOOR) * p + PRIOR_FLOOR * prior(g, s));
  };
}

/**
 * A vowel's segment that is glyph damage ("6" or "ir" for "ứ", "q" for "ạ"): no form of its base
 * letter, no deletion, no other vowel (a mark misread by an engine that knows Vietnamese).
 */
function isVowelDamage(gold: string, segment: string): boolean {
  if (segment === '' || !isVowel(gold) || stripMarks(segment.toLowerCase()) === stripMarks(gold)) return false;
  return [...segment].length > 1 || !isVowel(segment);
}

/**
 * The damage an engine does to one vowel it does to the others: P(s | g) for damage segment s of
 * vowel g, estimated as how often g's toneless form is damaged at all times the share of s among
 * all vowels' damage. A glyph learned for "ọ" ("g") becomes a candidate for "ạ" ("dgt": "đạt").
 */
function sharedVowelDamage(counts: Map<string, Map<string, number>>): (g: string, s: string) => number {
  const damaged = new Map<string, number>();
  const total = new Map<string, number>();
  const bySegment = new Map<string, number>();
  let allDamage = 0;
  for (const [g, row] of counts) {
    const key = toneless(g);
    for (const [s, c] of row) {
      total.set(key, (total.get(key) ?? 0) + c);
      if (!isVowelDamage(g, s)) continue;
      damaged.set(key, (damaged.get(key) ?? 0) + c);
      bySegment.set(s, (bySegment.get(s) ?? 0) + c);
      allDamage += c;
    }
  }
  return (g, s) => {
    if (allDamage === 0 || !isVowelDamage(g, s)) return 0;
    const key = toneless(g);
    const rate = ((damaged.get(key) ?? 0) + 1) / ((total.get(key) ?? 0) + 2);
    return (SHARED_DAMAGE_WEIGHT * rate * (bySegment.get(s) ?? 0)) / allDamage;
  };
}

function totalsOf(counts: Map<string, Map<string, number>>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [g, row] of counts) totals.set(g, [...row.values()].reduce((a, b) => a + b, 0));
  return totals;
}

/** Learns the channel from aligned pairs of damaged and corrected text. */
export function buildChannel(pairs: AlignedPair[], alphabet: string[]): Omit<ChannelData, 'residualCounts'> {
  const sameBaseCount = new Map<string, number>();
  for (const ch of alphabet) sameBaseCount.set(stripMarks(ch), (sameBaseCount.get(stripMarks(ch)) ?? 0) + 1);
  const training = pairs
    .filter((p) => p.kind !== 'split')
    .map((p) => ({ gold: [...channelText(p.gold, 'gold')], ocr: [...channelText(p.ocr, 'ocr')] }))
    .filter((p) => p.gold.length > 0 && p.gold.length <= 16 && p.ocr.length <= 20 && p.gold.some((ch) => isLetter(ch) || NUMBER_CHARS.includes(ch)));

  let counts = new Map<string, Map<string, number>>();
  const prior: Cost = (g, s) => -Math.log(priorProbability(g, s, sameBaseCount));
  let cost: Cost = prior;
  for (let iter = 0; iter < EM_ITERATIONS; iter++) {
    counts = new Map();
    for (const pair of training) {
      const path = alignChars(pair.gold, pair.ocr, cost);
      if (!path) continue;
      for (const [g, s] of path) {
        let row = counts.get(g);
        if (!row) counts.set(g, (row = new Map()));
        row.set(s, (row.get(s) ?? 0) + 1);
      }
    }
    cost = smoothedCost(counts, (g, s) => priorProbability(g, s, sameBaseCount));
  }

  const substitutions: Record<string, Record<string, number>> = {};
  const candidateSegments = (g: string): Set<string> => {
    const segs = new Set<string>([g, '', ...(GLYPH_SPLITS[g] ?? []), ...(DIGIT_LOOKALIKES[g] ?? [])]);
    for (const ch of alphabet) if (stripMarks(ch) === stripMarks(g)) segs.add(ch);
    segs.add(stripMarks(g));
    for (const letter of LATIN_LETTERS) segs.add(letter);
    if (isVowel(g)) for (const sym of [...LOOKALIKE_SYMBOLS, ...CAPITAL_LETTERS]) segs.add(sym);
    // Segments learned for any character of the same base letter (the backoff reaches them).
    for (const [h, row] of counts) if (stripMarks(h) === stripMarks(g)) for (const s of row.keys()) segs.add(s);
    // And the damage seen for any vowel (see sharedVowelDamage).
    if (isVowel(g)) for (const [h, row] of counts) for (const s of row.keys()) if (isVowelDamage(h, s)) segs.add(s);
    return segs;
  };
  for (const g of alphabet) {
    const row: Record<string, number> = {};
    for (const s of candidateSegments(g)) {
      const c = cost(g, s);
      if (c <= MAX_STORED_COST) row[s] = Math.round(c * 1000) / 1000;
    }
    substitutions[g] = row;
  }

  // Spaces lost: one less than the gold chunks of each glued pair.
  const glued = pairs.filter((p) => p.kind === 'glued').reduce((n, p) => n + p.gold.split(' ').length - 1, 0);
  const split = pairs.filter((p) => p.kind === 'split').length;
  const formCounts = new Map<string, number>();
  for (const p of pairs) {
    if (p.kind !== 'one') continue;
    const form = channelText(p.ocr, 'ocr');
    formCounts.set(form, (formCounts.get(form) ?? 0) + 1);
  }
  const frequentForms = [...formCounts]
    .filter(([form]) => form.length > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_FREQUENT_FORMS)
    .map(([form]) => form);
  return {
    frequentForms,
    substitutions,
    glueCost: round3(-Math.log((glued + 1) / (pairs.length + 2))),
    splitCost: round3(-Math.log((split + 1) / (pairs.length + 2))),
    trainingPairs: training.length,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
