// The residual damage of OCR with a Vietnamese model: which marks it still misreads ("vê" for
// "về", "Đẳng" for "Đảng", "đanh" for "danh"), counted from its readings of scanned pages aligned
// with their rendered gold text. Build time only; the model turns the counts into the accented
// channel's costs (model.ts).

import type { OcrReading } from './build.js';
import { splitChunk } from './tokenize.js';
import { stripMarks } from './vietnamese.js';

/** gold letter → letter read for it (same base letter, itself included) → count. */
export type ResidualCounts = Record<string, Record<string, number>>;

/** Lowercase word cores (edge punctuation off) with a letter: what a reading and its gold text share. */
function words(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\s+/)
    .map((chunk) => splitChunk(chunk).core.toLowerCase())
    .filter((core) => /\p{L}/u.test(core));
}

/** Same word as written: free; same letters, other marks: cheap (what is counted); others dearer than a gap each. */
const SAME_LETTERS_COST = 0.5;
const OTHER_WORD_COST = 2.5;
const GAP_COST = 1;

/**
 * The word pairs of a global alignment of the two word sequences (edit distance over words: the
 * OCR's reading order and line breaks differ from the gold's only where columns and noise do).
 * Not align.ts's alignLine: that one pairs lines given as aligned, and its glued and split words
 * are what old text layers do, not what OCR with the Vietnamese model does.
 */
function alignWords(gold: string[], ocr: string[]): Array<[string, string]> {
  const n = gold.length;
  const m = ocr.length;
  const width = m + 1;
  const skeletons = ocr.map(stripMarks);
  // rolling cost rows; the moves kept whole (0: pair, 1: gold word lost, 2: OCR word extra)
  let previous = Float64Array.from({ length: width }, (_, j) => j * GAP_COST);
  let current = new Float64Array(width);
  const moves = new Uint8Array((n + 1) * width).fill(2, 1, width);
  for (let i = 1; i <= n; i++) {
    const word = gold[i - 1]!;
    const skeleton = stripMarks(word);
    current[0] = i * GAP_COST;
    moves[i * width] = 1;
    for (let j = 1; j <= m; j++) {
      const pair = word === ocr[j - 1] ? 0 : skeleton === skeletons[j - 1] ? SAME_LETTERS_COST : OTHER_WORD_COST;
      let cost = previous[j - 1]! + pair;
      let move = 0;
      if (previous[j]! + GAP_COST < cost) {
        cost = previous[j]! + GAP_COST;
        move = 1;
      }
      if (current[j - 1]! + GAP_COST < cost) {
        cost = current[j - 1]! + GAP_COST;
        move = 2;
      }
      current[j] = cost;
      moves[i * width + j] = move;
    }
    [previous, current] = [current, previous];
  }
  const pairs: Array<[string, string]> = [];
  for (let i = n, j = m; i > 0 || j > 0; ) {
    const move = moves[i * width + j]!;
    if (move === 0) pairs.push([gold[--i]!, ocr[--j]!]);
    else if (move === 1) i--;
    else j--;
  }
  return pairs.reverse();
}

/**
 * Letter by letter, the words each reading got right or wrong only in their marks: every gold
 * letter of such a word counted against the letter read for it (identity included, so that the
 * counts give rates). Words read with other letters say nothing about marks and are skipped.
 */
export function countResidualConfusions(readings: Array<Pick<OcrReading, 'ocr' | 'rendered'>>): ResidualCounts {
  const counts: ResidualCounts = {};
  for (const { ocr, rendered } of readings) {
    for (const [g, o] of alignWords(words(rendered), words(ocr))) {
      const goldLetters = [...g];
      const readLetters = [...o];
      if (goldLetters.length !== readLetters.length || stripMarks(g) !== stripMarks(o)) continue;
      goldLetters.forEach((letter, k) => {
        const row = (counts[letter] ??= {});
        row[readLetters[k]!] = (row[readLetters[k]!] ?? 0) + 1;
      });
    }
  }
  return counts;
}
