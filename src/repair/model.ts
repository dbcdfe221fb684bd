// The loaded repair model: syllable trie, channel tables per damage mode, language model,
// abbreviations; and the candidate search (which syllables could an OCR string stand for).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILES } from './build.js';
import type { ChannelData } from './channel.js';
import { MAX_SEGMENT } from './channel.js';
import { LanguageModel, PairIndex } from './lm.js';
import { defaultDictionaryDir } from './paths.js';
import type { ResidualCounts } from './residual.js';
import { readLanguageModel } from './storage.js';
import { canonicalSyllable, stripMarks } from './vietnamese.js';

/**
 * Two channels: 'damaged' for text layers of OCR engines without Vietnamese (marks stripped,
 * look-alikes), 'accented' for mostly correct Vietnamese with residual mark errors, where a
 * syllable as written is almost always right.
 */
export type DamageMode = 'damaged' | 'accented';

/** Residual channel: chance that a correct character was misread as another of the same base letter. */
const RESIDUAL_ERROR_RATE = 0.03;
/**
 * Weight (in letters read) of that prior against the residual counts. Measured on the raw OCR of
 * the 15 sample scans repaired with leave-one-document-out models: 20 and 100 read alike.
 */
const RESIDUAL_PRIOR_OBSERVATIONS = 100;
/** Share of the old-text-layer channel mixed into the accented one (a page can mix both). */
const ACCENTED_DAMAGE_SHARE = 0.02;
/**
 * Candidates kept per OCR string, and how far (nats) behind the best they may be (measured on the
 * bench folds: 9 gains on the 000a folds over 7, 11 no more).
 */
const MAX_CANDIDATES = 30;
const CANDIDATE_MARGIN = 9;
/** Successive cost bounds of the full candidate search (nats). */
const SEARCH_BOUNDS = [9, 12];
const MAX_SEARCH_BOUND = 12;
/** How far beyond the best common reading the search of rare confusions looks. */
const RARE_MARGIN = 5;
/** Siblings are added for the readings this close to the best one. */
const SIBLING_SOURCE_MARGIN = 3;
/**
 * The cheap first search: channel entries up to this cost, candidates up to this bound. Measured on
 * the bench folds: entries up to 6 rather than 5 gain on every fold (000a folds +0.35/+0.62: "1" for
 * "ạ" in glued "d1ttr€n"), 7 loses on 001/002.
 */
const COMMON_ENTRY_COST = 6;
const COMMON_SEARCH_BOUND = 8;
/**
 * A string whose best reading costs at most this needs no search of the rarer confusions
 * (measured: 2 gains up to 0.17 over 2.5 on every fold but one, unchanged; 1.5 loses on 001).
 */
const WELL_EXPLAINED_COST = 2;
const MAX_DELETIONS = 1;
/** Channel cost added to the other spelling of a syllable found (see addSpellingVariants). */
const SPELLING_VARIANT_COST = 0.5;
const MEMO_SIZE = 200_000;
/** A reading whose first letter costs more than this to match the OCR string's start is not tried. */
const PLAUSIBLE_START_COST = 8;
/** How many of the most frequent syllables the model searches for while loading. */
const WARM_UP_SYLLABLES = 2500;
/** OCR strings longer than this are not single syllables (the longest, "nghiêng", has 7 letters). */
const MAX_SEARCH_LENGTH = 8;
/** Entries of the inverted channel worth trying: dearer ones never win and slow the search. */
const MAX_ENTRY_COST = 10;
/** Letters the OCR dropped (measured: 6 gains on 001, 004 and 000a over 5; 8 no more). */
const MAX_DELETION_COST = 6;
/** Rounding room for the search's lower bound: sums of the same costs in another order may differ in the last bits. */
const BOUND_SLACK = 1e-9;

/** Channel entries of one OCR segment: gold character ids and costs, cheapest first. */
interface SegmentEntries {
  ids: Int32Array;
  costs: Float64Array;
  /**
   * The same costs by gold character id (Infinity for the others): what walking a trie node's
   * children reads. Made the first time a search walks children with it (see costsByLetter): most
   * segments have fewer readings than a node has children, and are never walked so.
   */
  byLetter: Float64Array;
}

/** byLetter before it is made: a typed array too, so that the field keeps one kind of value. */
const NO_ROW = new Float64Array(0);

/** The entries of a segment from (gold character id, cost) pairs sorted cheapest first. */
function segmentEntries(list: Array<[number, number]>): SegmentEntries {
  // Indexed loops: TypedArray.from with a mapping function iterates generically (seen in cold profiles).
  const ids = new Int32Array(list.length);
  const costs = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const [id, cost] = list[i]!;
    ids[i] = id;
    costs[i] = cost;
  }
  return { ids, costs, byLetter: NO_ROW };
}

/** The segment's costs by gold character id, made once. */
function costsByLetter(entries: SegmentEntries, alphabetSize: number): Float64Array {
  if (entries.byLetter.length === 0) {
    const row = new Float64Array(alphabetSize).fill(Infinity);
    for (let i = 0; i < entries.ids.length; i++) row[entries.ids[i]!] = entries.costs[i]!;
    entries.byLetter = row;
  }
  return entries.byLetter;
}

/**
 * Cost of an OCR character that stands for nothing, beside the one that stands for a letter
 * ("duo.c": "o." for "ợ"; "thyuc": "yu" for "ự"): the channel prices any two-character segment
 * at most as one of its characters read for the letter plus the other inserted. Old text layers
 * only (in mostly-correct text a stray character is not a misread mark).
 */
const INSERTED_SYMBOL_COST = 3;
const INSERTED_LETTER_COST = 6;
const insertionCosts = new Map<string, number>();

function insertionCost(ch: string): number {
  let cost = insertionCosts.get(ch);
  if (cost === undefined) {
    // a digit is never dropped as a stray: "doan2" is "đoạn 2", and numbers are what plans are read for
    cost = /\d/.test(ch) ? Infinity : /\p{L}/u.test(ch) ? INSERTED_LETTER_COST : INSERTED_SYMBOL_COST;
    insertionCosts.set(ch, cost);
  }
  return cost;
}

/** The channel inverted for search: OCR segment → the gold characters it may stand for. */
class InvertedTable {
  /** The entries of every segment asked for, two-character ones priced with an insertion too (null: none); bounded like the other memos. */
  private readonly derived = new Map<string, SegmentEntries | null>();

  constructor(
    private readonly entries: Map<string, SegmentEntries>,
    private readonly maxCost: number,
    private readonly insertions: boolean,
  ) {}

  get(segment: string): SegmentEntries | undefined {
    if (!this.insertions) return this.entries.get(segment);
    let known = this.derived.get(segment);
    if (known === undefined) {
      known = this.withInsertions(segment);
      if (this.derived.size >= MEMO_SIZE) this.derived.clear();
      this.derived.set(segment, known);
    }
    return known ?? undefined;
  }

  private withInsertions(segment: string): SegmentEntries | null {
    const chars = [...segment];
    if (chars.length !== 2) return this.entries.get(segment) ?? null;
    // The segment as listed, or one character for the letter and the other inserted.
    const best = new Map<number, number>();
    const offer = (entries: SegmentEntries | undefined, extra: number) => {
      if (!entries) return;
      for (let i = 0; i < entries.ids.length; i++) {
        const cost = entries.costs[i]! + extra;
        if (cost <= this.maxCost && cost < (best.get(entries.ids[i]!) ?? Infinity)) best.set(entries.ids[i]!, cost);
      }
    };
    offer(this.entries.get(segment), 0);
    offer(this.entries.get(chars[0]!), insertionCost(chars[1]!));
    offer(this.entries.get(chars[1]!), insertionCost(chars[0]!));
    const list = [...best].sort((x, y) => x[1] - y[1]);
    return list.length ? segmentEntries(list) : null;
  }
}

export interface SyllableCandidate {
  syllable: number;
  cost: number;
}

/** The lowest cost of the syllables found (Infinity if none); forEach: no entry arrays allocated. */
function lowestCost(found: Map<number, number>): number {
  let lowest = Infinity;
  found.forEach((cost) => {
    if (cost < lowest) lowest = cost;
  });
  return lowest;
}

interface RankedCandidate extends SyllableCandidate {
  rank: number;
}

/** Best rank first; equal ranks by syllable index, so that the order the search finds them in does not matter. */
function byRank(a: RankedCandidate, b: RankedCandidate): number {
  return a.rank - b.rank || a.syllable - b.syllable;
}

/** Trie of the syllable inventory with a dense child table (node × alphabet id → child). */
class SyllableTrie {
  child: Int32Array;
  readonly terminal: number[] = [-1];
  private readonly width: number;

  constructor(private readonly alphabet: Map<string, number>, syllables: string[]) {
    this.width = alphabet.size;
    this.child = new Int32Array(this.width * 1024).fill(-1);
    syllables.forEach((s, i) => this.add(s, i));
  }

  private add(word: string, index: number): void {
    let node = 0;
    for (const letter of word) {
      const ch = this.alphabet.get(letter);
      if (ch === undefined) return; // a letter the channel knows nothing about: unreachable anyway
      let next = this.child[node * this.width + ch]!;
      if (next < 0) {
        next = this.terminal.length;
        this.terminal.push(-1);
        if ((next + 1) * this.width > this.child.length) {
          const grown = new Int32Array(this.child.length * 2).fill(-1);
          grown.set(this.child);
          this.child = grown;
        }
        this.child[node * this.width + ch] = next;
      }
      node = next;
    }
    this.terminal[node] = index;
  }

  get size(): number {
    return this.terminal.length;
  }

  /** Per node, the most letters on a path from it down to a syllable's end (-1: none below). */
  heights(): Int8Array {
    const height = new Int8Array(this.size).fill(-1);
    // Children are numbered after their parents: one pass from the last node up.
    for (let node = this.size - 1; node >= 0; node--) {
      let h = this.terminal[node]! >= 0 ? 0 : -1;
      for (let ch = 0; ch < this.width; ch++) {
        const next = this.child[node * this.width + ch]!;
        if (next >= 0 && height[next]! >= 0) h = Math.max(h, height[next]! + 1);
      }
      height[node] = h;
    }
    return height;
  }

  /**
   * The children of every node as compact lists: those of node n are childLetter/childNode at
   * [firstChild[n], firstChild[n + 1]). Walking them beats probing the dense row once per channel
   * entry below the root, where a node has few children and the row is out of cache.
   */
  compactChildren(): { firstChild: Int32Array; childLetter: Int32Array; childNode: Int32Array } {
    const firstChild = new Int32Array(this.size + 1);
    const letters: number[] = [];
    const nodes: number[] = [];
    for (let node = 0; node < this.size; node++) {
      firstChild[node] = letters.length;
      for (let ch = 0; ch < this.width; ch++) {
        const next = this.child[node * this.width + ch]!;
        if (next >= 0) {
          letters.push(ch);
          nodes.push(next);
        }
      }
    }
    firstChild[this.size] = letters.length;
    return { firstChild, childLetter: Int32Array.from(letters), childNode: Int32Array.from(nodes) };
  }

  get alphabetSize(): number {
    return this.width;
  }
}

/** Channel costs: gold character → OCR segment → cost. */
export type Substitutions = Record<string, Record<string, number>>;
/** Cost of a segment the channel table does not list (it was too unlikely to store). */
const UNLISTED_SEGMENT_COST = 14;

/**
 * The channel of one damage mode as a dense table for the alignment: gold letter × OCR segment.
 * The last row is for a letter, the last column for a segment, the table does not list.
 */
class DenseChannel {
  readonly costs: Float64Array;
  readonly width: number;

  constructor(
    substitutions: Substitutions,
    private readonly letterIds: Map<string, number>,
    readonly segmentIds: Map<string, number>,
    readonly insertions: boolean,
  ) {
    this.width = segmentIds.size + 1;
    this.costs = new Float64Array((letterIds.size + 1) * this.width).fill(UNLISTED_SEGMENT_COST);
    for (const [gold, row] of Object.entries(substitutions)) {
      const letter = letterIds.get(gold)!;
      for (const [segment, cost] of Object.entries(row)) this.costs[letter * this.width + segmentIds.get(segment)!] = cost;
    }
  }

  /** Row offsets of the letters of a syllable. */
  rowsOf(syllable: string): Int32Array {
    return Int32Array.from(syllable, (letter) => (this.letterIds.get(letter) ?? this.letterIds.size) * this.width);
  }
}

/**
 * An OCR string cut into every segment the channel reads: segments[j * (MAX_SEGMENT + 1) + k]
 * (and their column in the dense channel), with the cost of each character as an insertion.
 */
export interface OcrSegments {
  length: number;
  segments: string[];
  columns: Int32Array;
  inserted: Float64Array;
}

function segmentsOf(ocr: string, segmentIds: Map<string, number>): OcrSegments {
  const chars = [...ocr];
  const segments: string[] = [];
  for (let j = 0; j <= chars.length; j++) {
    let segment = '';
    for (let k = 0; k <= MAX_SEGMENT; k++) {
      segments.push(j + k <= chars.length ? segment : '');
      if (j + k < chars.length) segment += chars[j + k];
    }
  }
  // Indexed loops, as in segmentEntries.
  const columns = new Int32Array(segments.length);
  for (let i = 0; i < segments.length; i++) columns[i] = segmentIds.get(segments[i]!) ?? segmentIds.size;
  const inserted = new Float64Array(chars.length);
  for (let i = 0; i < chars.length; i++) inserted[i] = insertionCost(chars[i]!);
  return { length: chars.length, segments, columns, inserted };
}

/** Scratch rows of channelCost's alignment (it is called for every proposal and sibling). */
let alignmentRows: [Float64Array, Float64Array] = [new Float64Array(32), new Float64Array(32)];

/**
 * -ln P(OCR string | syllable): the best segmentation of the OCR string, one segment per letter;
 * Infinity as soon as every partial alignment costs more than maxCost (costs only add up).
 */
function channelCost(ocr: OcrSegments, rows: Int32Array, channel: DenseChannel, maxCost = Infinity): number {
  const m = ocr.length;
  const stride = MAX_SEGMENT + 1;
  const { columns, inserted } = ocr;
  const costs = channel.costs;
  if (alignmentRows[0].length <= m) alignmentRows = [new Float64Array(2 * m + 2), new Float64Array(2 * m + 2)];
  let [prev, next] = alignmentRows;
  prev.fill(Infinity, 0, m + 1);
  prev[0] = 0;
  for (let g = 0; g < rows.length; g++) {
    next.fill(Infinity, 0, m + 1);
    const row = rows[g]!;
    for (let j = 0; j <= m; j++) {
      const here = prev[j]!;
      if (here === Infinity) continue;
      for (let k = 0; k <= MAX_SEGMENT && j + k <= m; k++) {
        let cost = costs[row + columns[j * stride + k]!]!;
        if (channel.insertions && k === 2) {
          cost = Math.min(cost, costs[row + columns[j * stride + 1]!]! + inserted[j + 1]!, inserted[j]! + costs[row + columns[(j + 1) * stride + 1]!]!);
        }
        const c = here + cost;
        if (c < next[j + k]!) next[j + k] = c;
      }
    }
    let lowest = Infinity;
    for (let j = 0; j <= m; j++) if (next[j]! < lowest) lowest = next[j]!;
    if (lowest > maxCost) return Infinity;
    [prev, next] = [next, prev];
  }
  return prev[m]! <= maxCost ? prev[m]! : Infinity;
}

/** The channel inverted for search: common damage only, and everything worth trying. */
interface ChannelTables {
  common: InvertedTable;
  all: InvertedTable;
}

function tablesOf(substitutions: Substitutions, alphabet: Map<string, number>, insertions: boolean): ChannelTables {
  return {
    // No deletions in the common table: trying every dropped vowel at every step is what costs.
    common: invert(substitutions, alphabet, COMMON_ENTRY_COST, -1, insertions),
    all: invert(substitutions, alphabet, MAX_ENTRY_COST, MAX_DELETION_COST, insertions),
  };
}

function invert(substitutions: Substitutions, alphabet: Map<string, number>, maxCost: number, maxDeletionCost: number, insertions: boolean): InvertedTable {
  const rows = new Map<string, Array<[number, number]>>();
  for (const [gold, row] of Object.entries(substitutions)) {
    const id = alphabet.get(gold)!;
    for (const [segment, cost] of Object.entries(row)) {
      if (cost > (segment === '' ? maxDeletionCost : maxCost)) continue;
      let list = rows.get(segment);
      if (!list) rows.set(segment, (list = []));
      list.push([id, cost]);
    }
  }
  const table = new Map<string, SegmentEntries>();
  for (const [segment, list] of rows) {
    list.sort((x, y) => x[1] - y[1]);
    table.set(segment, segmentEntries(list));
  }
  return new InvertedTable(table, maxCost, insertions);
}

/**
 * Channel of mostly-correct text: identity, rarely another mark on the same base letter. The
 * misreadings OCR with the Vietnamese model was seen to make often (`residual`, counted from its
 * readings of scanned samples: "ề" read "ê" about 3% of the time, "ả" read "ẳ" 5%) cost what they
 * were seen to; every other keeps the prior's share (RESIDUAL_ERROR_RATE spread over the letter's
 * variants): a few thousand letters read without a misreading do not show it never happens.
 */
function accentedSubstitutions(damaged: Record<string, Record<string, number>>, alphabet: string[], residual: ResidualCounts): Record<string, Record<string, number>> {
  const byBase = new Map<string, string[]>();
  for (const ch of alphabet) {
    const base = stripMarks(ch);
    byBase.set(base, [...(byBase.get(base) ?? []), ch]);
  }
  const out: Record<string, Record<string, number>> = {};
  for (const gold of alphabet) {
    const variants = byBase.get(stripMarks(gold)) ?? [gold];
    const prior = RESIDUAL_ERROR_RATE / Math.max(1, variants.length - 1);
    const seen = residual[gold] ?? {};
    let seenTotal = 0;
    for (const n of Object.values(seen)) seenTotal += n;
    // P(read as v | gold) for the other variants v
    const misread = new Map<string, number>();
    let misreadTotal = 0;
    for (const v of variants) {
      if (v === gold) continue;
      const p = Math.max(prior, ((seen[v] ?? 0) + RESIDUAL_PRIOR_OBSERVATIONS * prior) / (seenTotal + RESIDUAL_PRIOR_OBSERVATIONS));
      misread.set(v, p);
      misreadTotal += p;
    }
    const row: Record<string, number> = {};
    const segments = new Set([...Object.keys(damaged[gold] ?? {}), ...variants]);
    for (const s of segments) {
      const read = s === gold ? 1 - misreadTotal : (misread.get(s) ?? 0);
      const old = Math.exp(-(damaged[gold]?.[s] ?? Infinity));
      row[s] = -Math.log((1 - ACCENTED_DAMAGE_SHARE) * read + ACCENTED_DAMAGE_SHARE * old);
    }
    out[gold] = row;
  }
  return out;
}

export interface RepairModel {
  readonly syllables: string[];
  readonly syllableSet: ReadonlySet<string>;
  /** Syllables without marks ("thanh" for thành, thạnh …): what a stripped word can spell. */
  readonly skeletons: ReadonlySet<string>;
  /** LM id of each syllable (same index as `syllables`). */
  readonly syllableLmId: Int32Array;
  readonly lm: LanguageModel;
  readonly channel: ChannelData;
  readonly abbreviations: ReadonlySet<string>;
  /** Skeleton (no marks, uppercase) → abbreviation, to restore "QD" → "QĐ". */
  readonly abbreviationBySkeleton: ReadonlyMap<string, string>;
  /**
   * Syllables the OCR string (in channelForm) may stand for, cheapest readings first (ranked with
   * the unigram). `commonOnly` restricts the search to common damage (fast; for parts of words).
   */
  candidates(ocr: string, mode: DamageMode, commonOnly?: boolean): SyllableCandidate[];
  /** Syllable index of each LM id, -1 for LM tokens that are not syllables. */
  readonly syllableOfLmId: Int32Array;
  /** An OCR string (in channelForm) cut into segments for readingCost: prepare once, cost many readings. */
  segmentsOf(ocr: string): OcrSegments;
  /** Channel cost of reading the OCR string as syllable number `syllable`; Infinity above maxCost. */
  readingCost(ocr: OcrSegments, syllable: number, mode: DamageMode, maxCost: number): number;
  /** False when the cheap filter of readingCost rules the reading out (its cost is then Infinity). */
  plausibleReading(ocr: OcrSegments, syllable: number, mode: DamageMode): boolean;
  /** True when LM ids v, w are consecutive syllables of a lexicon word or administrative term. */
  inLexicon(v: number, w: number): boolean;
  /** The same model with other costs for the old-text-layer channel, the same segments listed. */
  withDamageChannel(substitutions: Substitutions): RepairModel;
  /** ln P(written with a capital where no sentence starts | syllable), by LM id (the share of all syllables for ids never counted). */
  readonly capitalisedLogShare: Float32Array;
}

class LoadedRepairModel implements RepairModel {
  readonly syllableSet: ReadonlySet<string>;
  readonly skeletons: ReadonlySet<string>;
  readonly syllableLmId: Int32Array;
  readonly syllableOfLmId: Int32Array;
  readonly abbreviationBySkeleton: ReadonlyMap<string, string>;
  private readonly trie: SyllableTrie;
  private readonly tables: Record<DamageMode, ChannelTables>;
  private readonly dense: Record<DamageMode, DenseChannel>;
  /** Dense-channel rows of each syllable's letters (both modes share letters and segments, so the rows). */
  private readonly letterRows: Int32Array[];
  /** Per syllable, its length and the row of its first letter, side by side with the others': what readingCost's filter reads. */
  private readonly syllableLength: Int32Array;
  private readonly firstLetterRow: Int32Array;
  /** Per syllable, its other spelling with "i" for "y" or the reverse (see spellingVariants), -1 if none. */
  private readonly spellingVariant: Int32Array;
  /** Per syllable, the syllables with its skeleton (marks removed), itself included: one array per skeleton. */
  private readonly siblings: number[][];
  /** Memo of candidate searches: the same OCR strings recur throughout a document. Bounded. */
  private readonly memo: Record<DamageMode, Map<string, SyllableCandidate[]>> = { damaged: new Map(), accented: new Map() };
  /** The trie's children as compact lists (see SyllableTrie.compactChildren). */
  private readonly children: ReturnType<SyllableTrie['compactChildren']>;
  /**
   * Search scratch space: the best cost of every state reached, in one block per trie node, the
   * blocks numbered in the order the current search reaches their nodes. A search touches a few
   * hundred states: packed so, they stay in cache (a table indexed by node spread them over megabytes).
   * nodeStamp[node] is the search that gave the node its block nodeBlock[node].
   */
  private readonly reachedCost: Float64Array;
  private readonly nodeStamp: Int32Array;
  private readonly nodeBlock: Int32Array;
  private searchStamp = 0;
  /** Search scratch space: the least any letters cost to read the rest of the OCR string from each position. */
  private readonly restCost = new Float64Array(MAX_SEARCH_LENGTH + 1);
  /** See SyllableTrie.heights. */
  private readonly heights: Int8Array;
  /**
   * Search scratch space: the stack of states to visit, sized for the deepest search (a branch
   * growing it, never taken while warming up, would send the optimised search back to the
   * interpreter): it holds at most the states pushed by each state on the current path, one a letter.
   */
  private readonly stackNode: Int32Array;
  private readonly stackPos: Int32Array;
  private readonly stackCost: Float64Array;
  private readonly stackDeletions: Int32Array;

  /** LM id pairs (v, w) of consecutive syllables inside lexicon words and administrative terms. */
  private readonly lexiconPairs: PairIndex;
  /** 1 for LM ids that are the second syllable of some lexicon pair: the others need no probe. */
  private readonly lexiconSecond: Uint8Array;

  /**
   * `lexicon`: the lexicon words and administrative terms; or the model this one is a variant of
   * with another old-text-layer channel (see withDamageChannel), whose trie, scratch space and
   * lexicon it shares, and which has warmed the code up already.
   */
  constructor(
    readonly syllables: string[],
    readonly lm: LanguageModel,
    readonly channel: ChannelData,
    readonly abbreviations: ReadonlySet<string>,
    readonly capitalisedLogShare: Float32Array,
    lexicon: string[] | LoadedRepairModel,
  ) {
    const base = lexicon instanceof LoadedRepairModel ? lexicon : undefined;
    this.syllableSet = base?.syllableSet ?? new Set(syllables);
    this.skeletons = base?.skeletons ?? new Set(syllables.map(stripMarks));
    this.syllableLmId = base?.syllableLmId ?? Int32Array.from(syllables, (s) => lm.id(s) ?? lm.id('<unk>')!);
    this.syllableOfLmId = base?.syllableOfLmId ?? syllableIndexOfLmIds(syllables, lm);
    const letters = Object.keys(channel.substitutions);
    // Letters numbered base letter by base letter ("a", "à", "á" …): the readings of one OCR
    // segment are mostly marked forms of one letter, so a trie node's children are looked up in
    // one or two cache lines of its row.
    const byBase = [...letters].sort((x, y) => stripMarks(x).localeCompare(stripMarks(y)) || (x < y ? -1 : x > y ? 1 : 0));
    const alphabet = new Map(byBase.map((ch, i) => [ch, i]));
    this.trie = base?.trie ?? new SyllableTrie(alphabet, syllables);
    // A search stamps the nodes it reaches with its own count: a variant, counting anew, has its own
    // scratch space for them. The searches of a model and its variants never run at once: they
    // share the rest.
    this.reachedCost = new Float64Array(this.trie.size * (MAX_SEARCH_LENGTH + 1) * (MAX_DELETIONS + 1));
    this.nodeStamp = new Int32Array(this.trie.size);
    this.nodeBlock = new Int32Array(this.trie.size);
    this.children = base?.children ?? this.trie.compactChildren();
    this.heights = base?.heights ?? this.trie.heights();
    const stackSize = (MAX_SEARCH_LENGTH + MAX_DELETIONS + 1) * (MAX_SEGMENT + 1) * alphabet.size;
    this.stackNode = base?.stackNode ?? new Int32Array(stackSize);
    this.stackPos = base?.stackPos ?? new Int32Array(stackSize);
    this.stackCost = base?.stackCost ?? new Float64Array(stackSize);
    this.stackDeletions = base?.stackDeletions ?? new Int32Array(stackSize);
    // A variant differs in the old-text-layer channel only: it shares the mostly-correct text's.
    const accented = base ? undefined : accentedSubstitutions(channel.substitutions, letters, channel.residualCounts);
    const damagedTables = tablesOf(channel.substitutions, alphabet, true);
    this.tables = { damaged: damagedTables, accented: base?.tables.accented ?? tablesOf(accented!, alphabet, false) };
    // A variant's channel lists the same segments as its base's (see withDamageChannel): the same columns.
    const segmentIds = base?.dense.damaged.segmentIds ?? segmentColumns([channel.substitutions, accented!]);
    const damagedDense = new DenseChannel(channel.substitutions, alphabet, segmentIds, true);
    this.dense = { damaged: damagedDense, accented: base?.dense.accented ?? new DenseChannel(accented!, alphabet, segmentIds, false) };
    this.letterRows = base?.letterRows ?? syllables.map((s) => this.dense.damaged.rowsOf(s));
    this.syllableLength = base?.syllableLength ?? Int32Array.from(syllables, (s) => s.length);
    this.firstLetterRow = base?.firstLetterRow ?? Int32Array.from(this.letterRows, (rows) => rows[0]!);
    this.siblings = base?.siblings ?? siblingGroups(syllables);
    this.spellingVariant = base?.spellingVariant ?? spellingVariants(syllables);
    const bySkeleton = new Map<string, string>();
    for (const a of abbreviations) bySkeleton.set(stripMarks(a).toUpperCase(), a);
    this.abbreviationBySkeleton = bySkeleton;
    if (base) {
      this.lexiconPairs = base.lexiconPairs;
      this.lexiconSecond = base.lexiconSecond;
    } else {
      const pairs = lexiconPairsOf(lexicon as string[], lm);
      this.lexiconPairs = new PairIndex(pairs.length);
      this.lexiconSecond = new Uint8Array(lm.size);
      for (const [v, w] of pairs) {
        this.lexiconPairs.set(v, w, 1);
        this.lexiconSecond[w] = 1;
      }
      this.warmUp();
    }
  }

  /**
   * The same model with other costs for the old-text-layer channel (the document's own, see
   * adapt-channel.ts); `substitutions` lists the segments this model's channel lists, no others.
   */
  withDamageChannel(substitutions: Substitutions): RepairModel {
    return new LoadedRepairModel(this.syllables, this.lm, { ...this.channel, substitutions }, this.abbreviations, this.capitalisedLogShare, this);
  }

  /**
   * Searches, at load time, the strings most texts are made of: the frequent syllables as written
   * (correct text) and without their marks, and the frequent damaged forms of the training text
   * layers. Repair then starts with hot memos.
   */
  private warmUp(): void {
    const frequent = this.syllables
      .map((syllable, i) => ({ syllable, logProb: this.lm.unigramLogProb(this.syllableLmId[i]!) }))
      .sort((a, b) => b.logProb - a.logProb)
      .slice(0, WARM_UP_SYLLABLES);
    for (const { syllable } of frequent) {
      this.candidates(syllable, 'accented');
      this.candidates(stripMarks(syllable), 'damaged');
    }
    for (const form of this.channel.frequentForms) this.candidates(form, 'damaged');
  }

  inLexicon(v: number, w: number): boolean {
    return this.lexiconSecond[w] === 1 && this.lexiconPairs.get(v, w) > 0;
  }

  candidates(ocr: string, mode: DamageMode, commonOnly = false): SyllableCandidate[] {
    const memo = this.memo[mode];
    const key = commonOnly ? ocr + '\u0000' : ocr;
    const known = memo.get(key);
    if (known) return known;
    const found = this.search([...ocr], this.tables[mode], commonOnly);
    if (memo.size > MEMO_SIZE) memo.clear();
    memo.set(key, found);
    return found;
  }

  segmentsOf(ocr: string): OcrSegments {
    // Both modes share the segment columns.
    return segmentsOf(ocr, this.dense.damaged.segmentIds);
  }

  readingCost(ocr: OcrSegments, syllable: number, mode: DamageMode, maxCost: number): number {
    const channel = this.dense[mode];
    return this.plausibleStart(ocr, syllable, channel) ? channelCost(ocr, this.letterRows[syllable]!, channel, maxCost) : Infinity;
  }

  plausibleReading(ocr: OcrSegments, syllable: number, mode: DamageMode): boolean {
    return this.plausibleStart(ocr, syllable, this.dense[mode]);
  }

  /** Cheap filter before the full alignment: similar length, and the first letters can match. */
  private plausibleStart(ocr: OcrSegments, syllable: number, channel: DenseChannel): boolean {
    if (Math.abs(ocr.length - this.syllableLength[syllable]!) > 2 || ocr.length === 0) return false;
    // Segments of one and two characters at the start (unlisted ones cost more than the bound).
    const first = this.firstLetterRow[syllable]!;
    return Math.min(channel.costs[first + ocr.columns[1]!]!, channel.costs[first + ocr.columns[2]!]!) <= PLAUSIBLE_START_COST;
  }

  /** Depth-first search of the syllable trie, consuming the OCR string segment by segment. */
  private search(ocr: string[], tables: ChannelTables, commonOnly: boolean): SyllableCandidate[] {
    const n = ocr.length;
    if (n > MAX_SEARCH_LENGTH) return [];
    // segments[pos * (MAX_SEGMENT + 1) + k]: gold char → cost for the OCR segment of length k at pos.
    const strings: Array<string | undefined> = [];
    for (let pos = 0; pos <= n; pos++) {
      let segment = '';
      for (let k = 0; k <= MAX_SEGMENT; k++) {
        strings.push(pos + k <= n ? segment : undefined);
        if (pos + k < n) segment += ocr[pos + k];
      }
    }
    const segments = (table: InvertedTable) => strings.map((segment) => (segment === undefined ? undefined : table.get(segment)));
    // Cheap search first: common damage only, tight bound. Most strings are explained there;
    // the rest get the full table with its rare confusions, the bound widened step by step.
    let found = this.searchWithin(segments(tables.common), n, COMMON_SEARCH_BOUND);
    let bestCost = lowestCost(found);
    if (bestCost > WELL_EXPLAINED_COST && !commonOnly) {
      const all = segments(tables.all);
      if (found.size > 0) {
        // Rarer confusions may still beat the common reading, but only by so much.
        found = this.searchWithin(all, n, Math.min(bestCost + RARE_MARGIN, MAX_SEARCH_BOUND));
      } else {
        for (const bound of SEARCH_BOUNDS) {
          found = this.searchWithin(all, n, bound);
          if (found.size > 0) break;
        }
      }
      if (found.size === 0) return [];
      bestCost = lowestCost(found);
    }
    if (tables === this.tables.damaged) this.addSpellingVariants(found);
    // In mostly-correct text the other marked forms are the residual errors of Vietnamese OCR
    // ("đê" for "đề", "kiển" for "kiến"): dearer there, priced by that mode's channel.
    if (!commonOnly) this.addSiblings(ocr, found, bestCost + SIBLING_SOURCE_MARGIN, bestCost + CANDIDATE_MARGIN, tables === this.tables.damaged ? this.dense.damaged : this.dense.accented);
    // Rank by channel and unigram together: "nam" has a dozen near-free readings, and the
    // frequent "năm" must not be cut off behind rare "nậm", "nẫm".
    const ranked: RankedCandidate[] = [];
    found.forEach((cost, syllable) => {
      if (cost <= bestCost + CANDIDATE_MARGIN) ranked.push({ syllable, cost, rank: cost - this.lm.unigramLogProb(this.syllableLmId[syllable]!) });
    });
    ranked.sort(byRank);
    return ranked.slice(0, MAX_CANDIDATES).map(({ syllable, cost }) => ({ syllable, cost }));
  }

  /**
   * Adds the other spelling of every syllable found that has two ("lí" and "lý", "kĩ" and "kỹ"),
   * at its cost: in an old text layer the mark that tells "i" from "y" is as damaged as any other,
   * and which spelling a text uses, the language model knows ("xử lý", "tỷ lệ").
   */
  private addSpellingVariants(found: Map<number, number>): void {
    found.forEach((cost, syllable) => {
      const variant = this.spellingVariant[syllable]!;
      if (variant >= 0 && cost + SPELLING_VARIANT_COST < (found.get(variant) ?? Infinity)) found.set(variant, cost + SPELLING_VARIANT_COST);
    });
  }

  /**
   * Adds the other marked forms of every syllable found ("mục" beside "mực" for "myc"), costed
   * with the whole channel: a damage pattern too rare for the search ('y' for 'ụ') can still be
   * the reading the context asks for.
   */
  private addSiblings(ocr: string[], found: Map<number, number>, sourceBound: number, bound: number, channel: DenseChannel): void {
    // The sibling groups (one per skeleton) of the readings close to the best.
    const groups = new Set<number[]>();
    found.forEach((cost, syl) => {
      if (cost <= sourceBound) groups.add(this.siblings[syl]!);
    });
    const segmented = segmentsOf(ocr.join(''), channel.segmentIds);
    for (const group of groups) {
      for (const sibling of group) {
        if (found.has(sibling)) continue;
        const cost = channelCost(segmented, this.letterRows[sibling]!, channel, bound);
        if (cost <= bound) found.set(sibling, cost);
      }
    }
  }

  /** All syllables reachable from the OCR string at a channel cost below `bound`. */
  private searchWithin(segments: Array<SegmentEntries | undefined>, n: number, bound: number): Map<number, number> {
    const best = new Map<number, number>();
    const { child, terminal } = this.trie;
    const width = this.trie.alphabetSize;
    const { firstChild, childLetter, childNode } = this.children;
    // A lower bound of what reading the rest costs: each segment at the cost of its cheapest letter
    // (channel costs are -ln P, never negative, so deleted letters add nothing below it).
    const restCost = this.restCost;
    restCost[n] = 0;
    for (let pos = n - 1; pos >= 0; pos--) {
      let least = Infinity;
      for (let k = 1; k <= MAX_SEGMENT && pos + k <= n; k++) {
        const entries = segments[pos * (MAX_SEGMENT + 1) + k];
        if (entries && entries.costs.length > 0) least = Math.min(least, entries.costs[0]! + restCost[pos + k]!);
      }
      restCost[pos] = least;
    }
    const heights = this.heights;
    // A state (trie node, OCR position, deletions) reached again at no lower cost is not re-expanded.
    const stamp = ++this.searchStamp;
    const { reachedCost, nodeStamp, nodeBlock } = this;
    const stride = MAX_DELETIONS + 1;
    const blockSize = (n + 1) * stride;
    let blocks = 0;
    // Depth first, on an explicit stack of states to visit (node, OCR position, cost, deletions):
    // the costs found are the least over the paths within the bound, whatever the order.
    const { stackNode, stackPos, stackCost, stackDeletions } = this;
    stackNode[0] = 0;
    stackPos[0] = 0;
    stackCost[0] = 0;
    stackDeletions[0] = 0;
    // A state is pushed only if letters below its node can consume the rest of the OCR string (a
    // letter reads at most MAX_SEGMENT characters): from the others no syllable is found.
    let top = n > MAX_SEGMENT * heights[0]! ? 0 : 1;
    while (top > 0) {
      top--;
      const node = stackNode[top]!;
      const pos = stackPos[top]!;
      const cost = stackCost[top]!;
      const deletions = stackDeletions[top]!;
      let block: number;
      if (nodeStamp[node] === stamp) block = nodeBlock[node]!;
      else {
        nodeStamp[node] = stamp;
        block = nodeBlock[node] = blockSize * blocks++;
        // A loop: fill() is a call, dearer than the few stores of a block.
        for (let s = block; s < block + blockSize; s++) reachedCost[s] = Infinity;
      }
      const state = block + pos * stride + deletions;
      if (reachedCost[state]! <= cost) continue;
      reachedCost[state] = cost;
      if (pos === n) {
        const syl = terminal[node]!;
        if (syl >= 0 && cost < (best.get(syl) ?? Infinity)) best.set(syl, cost);
      }
      const row = node * width;
      const base = pos * (MAX_SEGMENT + 1);
      const from = firstChild[node]!;
      const to = firstChild[node + 1]!;
      for (let k = deletions >= MAX_DELETIONS ? 1 : 0; k <= MAX_SEGMENT; k++) {
        const entries = segments[base + k];
        if (entries === undefined) continue;
        const deleted = k === 0 ? deletions + 1 : deletions;
        const { ids, costs } = entries;
        // Nor can a state whose cost and the least the rest costs reach the bound: nothing recorded there either.
        const rest = restCost[pos + k]! - BOUND_SLACK;
        const left = n - pos - k;
        if (to - from < ids.length) {
          // Fewer children than readings of the segment (every node but the first few).
          const byLetter = costsByLetter(entries, width);
          for (let c = from; c < to; c++) {
            const next = cost + byLetter[childLetter[c]!]!;
            if (next < bound && next + rest < bound && left <= MAX_SEGMENT * heights[childNode[c]!]!) {
              stackNode[top] = childNode[c]!;
              stackPos[top] = pos + k;
              stackCost[top] = next;
              stackDeletions[top] = deleted;
              top++;
            }
          }
        } else {
          for (let i = 0; i < ids.length; i++) {
            const next = cost + costs[i]!;
            if (next >= bound || next + rest >= bound) break;
            const nextNode = child[row + ids[i]!]!;
            if (nextNode >= 0 && left <= MAX_SEGMENT * heights[nextNode]!) {
              stackNode[top] = nextNode;
              stackPos[top] = pos + k;
              stackCost[top] = next;
              stackDeletions[top] = deleted;
              top++;
            }
          }
        }
      }
    }
    return best;
  }
}

/** Syllable index of each LM id, -1 for LM tokens that are not syllables. */
function syllableIndexOfLmIds(syllables: string[], lm: LanguageModel): Int32Array {
  const index = new Int32Array(lm.size).fill(-1);
  syllables.forEach((s, i) => {
    const id = lm.id(s);
    if (id !== undefined) index[id] = i;
  });
  return index;
}

/** The column of every segment either mode's channel lists. */
function segmentColumns(substitutions: Substitutions[]): Map<string, number> {
  const segmentIds = new Map<string, number>();
  for (const table of substitutions) for (const row of Object.values(table)) for (const segment of Object.keys(row)) if (!segmentIds.has(segment)) segmentIds.set(segment, segmentIds.size);
  return segmentIds;
}

/** Per syllable, the syllables with its skeleton (marks removed), itself included: one array per skeleton. */
function siblingGroups(syllables: string[]): number[][] {
  const syllablesBySkeleton = new Map<string, number[]>();
  return syllables.map((syllable, i) => {
    const skeleton = stripMarks(syllable);
    let list = syllablesBySkeleton.get(skeleton);
    if (!list) syllablesBySkeleton.set(skeleton, (list = []));
    list.push(i);
    return list;
  });
}

/** LM id pairs of consecutive syllables inside lexicon words and administrative terms. */
function lexiconPairsOf(lexicon: string[], lm: LanguageModel): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (const phrase of lexicon) {
    let prev = -1;
    for (const part of phrase.toLowerCase().split(/\s+/)) {
      // Most entries are spelled canonically already: skip the costly respelling for them.
      const id = lm.id(part) ?? lm.id(canonicalSyllable(part)) ?? -1;
      if (prev >= 0 && id >= 0) pairs.push([prev, id]);
      prev = id;
    }
  }
  return pairs;
}

/** Onsets before which "i" and "y" spell the same open syllable ("lí"/"lý", "kĩ"/"kỹ", "tỉ"/"tỷ"). */
const I_Y_ONSET = /^[hklmst]$/;
const I_VOWELS = [...'iìíỉĩị'];
const Y_VOWELS = [...'yỳýỷỹỵ'];

/**
 * For every syllable of one onset and a lone "i", the index of its spelling with "y" in the
 * inventory (-1: none). One way only: administrative texts write "y" ("quản lý", "kỹ thuật"),
 * and the "y" a damaged layer still shows ("Ty", "Tf") is no "i".
 */
function spellingVariants(syllables: string[]): Int32Array {
  const index = new Map(syllables.map((s, i) => [s, i]));
  return Int32Array.from(syllables, (syllable) => {
    const chars = [...syllable];
    const i = chars.length === 2 && I_Y_ONSET.test(chars[0]!) ? I_VOWELS.indexOf(chars[1]!) : -1;
    return i < 0 ? -1 : index.get(chars[0]! + Y_VOWELS[i]!) ?? -1;
  });
}

const loaded = new Map<string, RepairModel>();

/** Occurrences a syllable's capitalised share is smoothed with, towards the share of all syllables. */
const CAPITALISATION_SMOOTHING = 4;

/** ln P(capital | syllable) by LM id from the counts of capitalisation.txt ("syllable, capitalised, all" per line). */
function capitalisedLogShare(counts: string, lm: LanguageModel): Float32Array {
  const rows = counts
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
    .map(([syllable, capitalised, all]) => ({ id: lm.id(syllable!), capitalised: Number(capitalised), all: Number(all) }));
  const overall = rows.reduce((sum, r) => sum + r.capitalised, 0) / Math.max(1, rows.reduce((sum, r) => sum + r.all, 0));
  const share = new Float32Array(lm.size).fill(Math.log(overall));
  for (const { id, capitalised, all } of rows) {
    if (id !== undefined) share[id] = Math.log((capitalised + CAPITALISATION_SMOOTHING * overall) / (all + CAPITALISATION_SMOOTHING));
  }
  return share;
}

/** Loads (once per directory) the repair model from dictionaries/. */
export function loadRepairModel(dir: string = defaultDictionaryDir()): RepairModel {
  const cached = loaded.get(dir);
  if (cached) return cached;
  // a folder built by an older version lacks the newer files: say which, and how to rebuild
  const missing = Object.values(DATA_FILES).filter((file) => !existsSync(join(dir, file)));
  if (missing.length) throw new Error(`repair model: ${dir} lacks ${missing.join(', ')}; rebuild it with npm run build:dictionaries`);
  const syllables = readFileSync(join(dir, DATA_FILES.syllables), 'utf8').split('\n').filter(Boolean);
  const channel = JSON.parse(readFileSync(join(dir, DATA_FILES.channel), 'utf8')) as ChannelData;
  if (!channel.residualCounts) throw new Error(`repair model: ${join(dir, DATA_FILES.channel)} lacks the residual channel; rebuild it with npm run build:dictionaries`);
  const abbreviations = new Set(readFileSync(join(dir, DATA_FILES.abbreviations), 'utf8').split('\n').filter(Boolean));
  const lm = new LanguageModel(readLanguageModel(join(dir, DATA_FILES.lm)));
  const lexicon = [DATA_FILES.lexicon, DATA_FILES.adminVocabulary].flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean));
  const capitalised = capitalisedLogShare(readFileSync(join(dir, DATA_FILES.capitalisation), 'utf8'), lm);
  const model = new LoadedRepairModel(syllables, lm, channel, abbreviations, capitalised, lexicon);
  loaded.set(dir, model);
  return model;
}
