// The document's own damage: every OCR engine, scan and font damages text its own way, and a
// document repeats its damage ("Tj" for "Tỷ" line after line). For a heavily damaged old text
// layer the channel learned from other documents is adapted to the document's first reading
// (MAP re-estimate of each gold letter's segment distribution, the learned channel as the prior),
// and the chunks read doubtfully are read again with it.

import { MAX_SEGMENT } from './channel.js';
import { buildLattice, type ChunkLattice } from './decode.js';
import { decodeAgainAround, documentPrior } from './document-prior.js';
import type { DamageMode, RepairModel, Substitutions } from './model.js';
import { channelForm } from './vietnamese.js';

/**
 * Weight (in observations) of the learned channel against the document's counts. Measured on the
 * bench folds (re-reading every chunk): 20 beats 10, 40 and 100 on the 000a folds.
 */
const PRIOR_OBSERVATIONS = 20;
/** First readings dearer than this (nats) are too uncertain to learn from (measured: 10 beats 6 and 8 on every 000a fold). */
const MAX_LEARNED_COST = 10;
/** Fewer readings than this: too little of the document to learn its damage from. */
const MIN_READINGS = 30;
/** Cost of a segment the channel does not list (as model.ts prices it). */
const UNLISTED_COST = 14;
/** A first reading dearer than this (nats), or no syllable, is doubtful. */
const DOUBTFUL_COST = 3;
/**
 * Share of doubtful word readings from which a document counts as heavily damaged and is read
 * again (bench documents: 000a 0.45-0.59, the others 0.09-0.13, which gain under 0.1 from it).
 */
const HEAVY_DAMAGE_SHARE = 0.3;
/** A segment whose cost for some letter the document's channel lowers by more than this (nats) may change a reading. */
const CHEAPER_SEGMENT_GAIN = 1;

/** gold letter → OCR segment → how often the first reading aligned them. */
type Counts = Map<string, Map<string, number>>;

/** Scratch rows of `alignment` (costs and the segment length that reached each OCR position, per gold letter). */
let alignmentCost = new Float64Array(0);
let alignmentBack = new Int8Array(0);

/**
 * The cheapest segmentation of the OCR string into one segment (0 to MAX_SEGMENT characters) per
 * letter of the reading, as the channel's hard-EM alignment (channel.ts) makes it, on flat
 * scratch rows: it runs for every distinct word of a document.
 */
function alignment(reading: string[], ocr: string[], substitutions: Substitutions): Array<[string, string]> | undefined {
  const n = reading.length;
  const m = ocr.length;
  const width = m + 1;
  if (alignmentCost.length < (n + 1) * width) {
    alignmentCost = new Float64Array((n + 1) * width * 2);
    alignmentBack = new Int8Array((n + 1) * width * 2);
  }
  alignmentCost.fill(Infinity, 0, (n + 1) * width);
  alignmentCost[0] = 0;
  // segments[j * (MAX_SEGMENT + 1) + k]: the k characters from position j
  const segments: string[] = [];
  for (let j = 0; j <= m; j++) for (let k = 0; k <= MAX_SEGMENT; k++) segments.push(j + k <= m ? ocr.slice(j, j + k).join('') : '');
  for (let i = 0; i < n; i++) {
    const row = substitutions[reading[i]!] ?? {};
    for (let j = 0; j <= m; j++) {
      const here = alignmentCost[i * width + j]!;
      if (here === Infinity) continue;
      for (let k = 0; k <= MAX_SEGMENT && j + k <= m; k++) {
        const c = here + (row[segments[j * (MAX_SEGMENT + 1) + k]!] ?? UNLISTED_COST);
        const to = (i + 1) * width + j + k;
        if (c < alignmentCost[to]!) {
          alignmentCost[to] = c;
          alignmentBack[to] = k;
        }
      }
    }
  }
  if (alignmentCost[n * width + m] === Infinity) return undefined;
  const path: Array<[string, string]> = [];
  for (let i = n, j = m; i > 0; i--) {
    const k = alignmentBack[i * width + j]!;
    path.push([reading[i - 1]!, segments[(j - k) * (MAX_SEGMENT + 1) + k]!]);
    j -= k;
  }
  return path;
}

/** The letter-by-letter alignments of the first reading's single-syllable readings, counted. */
function readingCounts(lattice: ChunkLattice[], choices: number[], model: RepairModel): { counts: Counts; readings: number } {
  const substitutions = model.channel.substitutions;
  // The same words recur throughout a document: each (OCR form, reading) aligned once.
  const paths = new Map<string, Array<[string, string]> | undefined>();
  const counts: Counts = new Map();
  let readings = 0;
  lattice.forEach((chunk, i) => {
    const chosen = chunk.alternatives[choices[i]!]!;
    if (!chosen.syllabic || chosen.lmIds.length !== 1 || chosen.cost > MAX_LEARNED_COST) return;
    const syllable = model.syllables[model.syllableOfLmId[chosen.lmIds[0]!]!];
    if (syllable === undefined) return;
    const form = channelForm(chunk.core);
    const key = form + '\u0000' + syllable;
    if (!paths.has(key)) paths.set(key, alignment([...syllable], [...form], substitutions));
    const path = paths.get(key);
    if (!path) return;
    readings++;
    for (const [g, s] of path) {
      let row = counts.get(g);
      if (!row) counts.set(g, (row = new Map()));
      row.set(s, (row.get(s) ?? 0) + 1);
    }
  });
  return { counts, readings };
}

/**
 * The model's old-text-layer channel adapted to the document's first reading: P'(s | g) =
 * (n(g, s) + N P(s | g)) / (n(g) + N), never dearer than the learned cost (measured: letting
 * costs rise loses on every fold: what a part of one document does not show it may still do).
 * Only the segments the channel lists are re-costed (the variant model keeps its columns);
 * undefined when the reading is too short to learn from.
 */
export function documentChannel(lattice: ChunkLattice[], choices: number[], model: RepairModel): Substitutions | undefined {
  const { counts, readings } = readingCounts(lattice, choices, model);
  if (readings < MIN_READINGS) return undefined;
  const adapted: Substitutions = {};
  for (const [g, row] of Object.entries(model.channel.substitutions)) {
    const seen = counts.get(g);
    if (!seen) {
      adapted[g] = row;
      continue;
    }
    let total = 0;
    seen.forEach((n) => (total += n));
    const out: Record<string, number> = {};
    for (const [s, cost] of Object.entries(row)) {
      out[s] = Math.min(cost, -Math.log(((seen.get(s) ?? 0) + PRIOR_OBSERVATIONS * Math.exp(-cost)) / (total + PRIOR_OBSERVATIONS)));
    }
    adapted[g] = out;
  }
  return adapted;
}

/** The OCR segments (not the deletion) the document's channel makes cheaper for some letter. */
function cheaperSegments(learned: Substitutions, adapted: Substitutions): Set<string> {
  const segments = new Set<string>();
  for (const [g, row] of Object.entries(adapted)) {
    const before = learned[g]!;
    if (row === before) continue;
    for (const [s, cost] of Object.entries(row)) if (s !== '' && before[s]! - cost > CHEAPER_SEGMENT_GAIN) segments.add(s);
  }
  return segments;
}

/** True when the OCR string has one of the segments. */
function hasSegment(form: string, segments: Set<string>): boolean {
  const chars = [...form];
  for (let j = 0; j < chars.length; j++) {
    if (segments.has(chars[j]!)) return true;
    if (j + 1 < chars.length && segments.has(chars[j]! + chars[j + 1]!)) return true;
  }
  return false;
}

interface Decoding {
  lattice: ChunkLattice[];
  choices: number[];
}

/** True for a word chunk whose reading is no syllable or a dear one. */
function doubtful(chunk: ChunkLattice, choice: number): boolean {
  const read = chunk.alternatives[choice]!;
  return chunk.isWord && (!read.syllabic || read.cost > DOUBTFUL_COST);
}

/**
 * A heavily damaged old text layer read again with its own channel: the chunks read doubtfully
 * that have a segment the document's channel makes cheaper get their alternatives anew (the
 * others keep theirs, and what was searched for them), and the windows around the chunks whose
 * alternatives changed are decoded again (see decodeAgainAround). Other texts: the first reading.
 * Measured on the bench folds: 000a left out 76.86 → 83.75%, 1st half 88.98 → 89.84, 2nd half
 * 92.06 → 92.14; re-reading every chunk gains hardly more (84.6, 90.0-90.2) for twice the time.
 */
export function decodeWithDocumentChannel(text: string, mode: DamageMode, first: Decoding, model: RepairModel): Decoding {
  if (mode !== 'damaged') return first;
  let words = 0;
  let doubtfulWords = 0;
  first.lattice.forEach((chunk, i) => {
    if (chunk.isWord) words++;
    if (doubtful(chunk, first.choices[i]!)) doubtfulWords++;
  });
  if (doubtfulWords <= HEAVY_DAMAGE_SHARE * words) return first;
  const adapted = documentChannel(first.lattice, first.choices, model);
  if (!adapted) return first;
  const cheaper = cheaperSegments(model.channel.substitutions, adapted);
  const reread = new Set<string>();
  first.lattice.forEach((chunk, i) => {
    if (doubtful(chunk, first.choices[i]!) && hasSegment(channelForm(chunk.core), cheaper)) reread.add(chunk.core);
  });
  if (reread.size === 0) return first;
  const own = model.withDamageChannel(adapted);
  const { lattice } = buildLattice(text, own, mode, (core) => (reread.has(core) ? own : model));
  const changeable = lattice.map((chunk, i) => chunk.alternatives !== first.lattice[i]!.alternatives);
  // The first reading carried over by its text: the LM contexts and the prior around the windows.
  const choices = lattice.map((chunk, i) => {
    if (!changeable[i]) return first.choices[i]!;
    const read = first.lattice[i]!.alternatives[first.choices[i]!]!.text;
    return Math.max(0, chunk.alternatives.findIndex((a) => a.text === read));
  });
  return { lattice, choices: decodeAgainAround(lattice, choices, changeable, model, documentPrior(lattice, choices, model)) };
}
