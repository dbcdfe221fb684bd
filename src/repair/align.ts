// Aligns damaged OCR lines with their corrections: line by line (given), chunk by chunk
// (dynamic programming allowing glued and split words), then character by character (in channel.ts).

import { splitChunk, splitLine } from './tokenize.js';
import { stripMarks } from './vietnamese.js';

/** One aligned unit: OCR text and the gold text it stands for (either may span several chunks). */
export interface AlignedPair {
  ocr: string;
  gold: string;
  /** 'one' = 1:1, 'glued' = one OCR chunk holds two or three gold chunks, 'split' = two OCR chunks hold one gold chunk. */
  kind: 'one' | 'glued' | 'split';
}

export interface LineAlignmentStats {
  pairs: AlignedPair[];
  /** OCR chunks with no gold counterpart (scan noise). */
  noiseChunks: number;
  /** Gold chunks the OCR lost entirely. */
  lostChunks: number;
}

function skeleton(text: string): string {
  return stripMarks(splitChunk(text).core.toLowerCase());
}

function levenshtein(a: string, b: string): number {
  const m = b.length;
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= m; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[m] ?? 0;
}

/** Normalised distance of two skeletons in 0..1. */
function distance(ocr: string, gold: string): number {
  const a = skeleton(ocr);
  const b = skeleton(gold);
  const len = Math.max(a.length, b.length);
  return len === 0 ? 0 : levenshtein(a, b) / len;
}

const GAP_COST = 0.9;
const MERGE_PENALTY = 0.15;

/** Aligns the chunks of one OCR line with the chunks of its gold line. */
export function alignLine(ocrLine: string, goldLine: string): LineAlignmentStats {
  const ocr = splitLine(ocrLine.normalize('NFC').trim()).chunks.filter(Boolean);
  const gold = splitLine(goldLine.normalize('NFC').trim()).chunks.filter(Boolean);
  const n = ocr.length;
  const m = gold.length;
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  const move: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  cost[0]![0] = 0;
  // Moves encoded as 10*di + dj.
  const moves: Array<[number, number]> = [[1, 1], [1, 0], [0, 1], [1, 2], [2, 1], [1, 3]];
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = cost[i]![j]!;
      if (here === Infinity) continue;
      for (const [di, dj] of moves) {
        const ni = i + di;
        const nj = j + dj;
        if (ni > n || nj > m) continue;
        let step: number;
        if (di === 1 && dj === 1) step = distance(ocr[i]!, gold[j]!);
        else if (di === 0 || dj === 0) step = GAP_COST;
        else if (di === 1) step = distance(ocr[i]!, gold.slice(j, nj).join('')) + (dj - 1) * MERGE_PENALTY;
        else step = distance(ocr[i]! + ocr[i + 1]!, gold[j]!) + MERGE_PENALTY;
        if (here + step < cost[ni]![nj]!) {
          cost[ni]![nj] = here + step;
          move[ni]![nj] = di * 10 + dj;
        }
      }
    }
  }
  const pairs: AlignedPair[] = [];
  let noiseChunks = 0;
  let lostChunks = 0;
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const mv = move[i]![j]!;
    const di = Math.floor(mv / 10);
    const dj = mv % 10;
    if (di === 0) lostChunks++;
    else if (dj === 0) noiseChunks++;
    else {
      const o = ocr.slice(i - di, i).join(' ');
      const g = gold.slice(j - dj, j).join(' ');
      pairs.push({ ocr: o, gold: g, kind: di === dj ? 'one' : di === 1 ? 'glued' : 'split' });
    }
    i -= di;
    j -= dj;
  }
  pairs.reverse();
  return { pairs, noiseChunks, lostChunks };
}
