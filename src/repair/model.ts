// The loaded repair model: syllable trie, channel tables per damage mode, language model,
// abbreviations; and the candidate search (which syllables could an OCR string stand for).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILES } from './build.js';
import type { ChannelData } from './channel.js';
import { MAX_SEGMENT } from './channel.js';
import { LanguageModel } from './lm.js';
import { defaultDictionaryDir } from './paths.js';
import { readLanguageModel } from './storage.js';
import { stripMarks } from './vietnamese.js';

/**
 * Two channels: 'damaged' for text layers of OCR engines without Vietnamese (marks stripped,
 * look-alikes), 'accented' for mostly correct Vietnamese with residual mark errors, where a
 * syllable as written is almost always right.
 */
export type DamageMode = 'damaged' | 'accented';

/** Residual channel: chance that a correct character was misread as another of the same base letter. */
const RESIDUAL_ERROR_RATE = 0.004;
/** Share of the old-text-layer channel mixed into the accented one (a page can mix both). */
const ACCENTED_DAMAGE_SHARE = 0.02;
/** Candidates kept per OCR string, and how far (nats) behind the best they may be. */
const MAX_CANDIDATES = 10;
const CANDIDATE_MARGIN = 7;
/** Successive cost bounds of the candidate search (nats). */
const SEARCH_BOUNDS = [8, 14];
const MAX_DELETIONS = 1;
/** Entries of the inverted channel worth trying: dearer ones never win and slow the search. */
const MAX_ENTRY_COST = 10;
const MAX_DELETION_COST = 5;

interface SegmentEntries {
  gold: string[];
  cost: number[];
}
type InvertedTable = Map<string, SegmentEntries>;

export interface SyllableCandidate {
  syllable: number;
  cost: number;
}

class SyllableTrie {
  readonly children: Array<Map<string, number>> = [new Map()];
  readonly terminal: number[] = [-1];

  add(word: string, index: number): void {
    let node = 0;
    for (const ch of word) {
      let next = this.children[node]!.get(ch);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.terminal.push(-1);
        this.children[node]!.set(ch, next);
      }
      node = next;
    }
    this.terminal[node] = index;
  }
}

function invert(substitutions: Record<string, Record<string, number>>): InvertedTable {
  const rows = new Map<string, Array<[string, number]>>();
  for (const [gold, row] of Object.entries(substitutions)) {
    for (const [segment, cost] of Object.entries(row)) {
      if (cost > (segment === '' ? MAX_DELETION_COST : MAX_ENTRY_COST)) continue;
      let list = rows.get(segment);
      if (!list) rows.set(segment, (list = []));
      list.push([gold, cost]);
    }
  }
  const table: InvertedTable = new Map();
  for (const [segment, list] of rows) {
    list.sort((a, b) => a[1] - b[1]);
    table.set(segment, { gold: list.map((e) => e[0]), cost: list.map((e) => e[1]) });
  }
  return table;
}

/** Channel of mostly-correct text: identity, rarely another mark on the same base letter. */
function accentedSubstitutions(damaged: Record<string, Record<string, number>>, alphabet: string[]): Record<string, Record<string, number>> {
  const byBase = new Map<string, string[]>();
  for (const ch of alphabet) {
    const base = stripMarks(ch);
    byBase.set(base, [...(byBase.get(base) ?? []), ch]);
  }
  const out: Record<string, Record<string, number>> = {};
  for (const gold of alphabet) {
    const variants = byBase.get(stripMarks(gold)) ?? [gold];
    const row: Record<string, number> = {};
    const segments = new Set([...Object.keys(damaged[gold] ?? {}), ...variants]);
    for (const s of segments) {
      const residual = s === gold ? 1 - RESIDUAL_ERROR_RATE : variants.includes(s) ? RESIDUAL_ERROR_RATE / Math.max(1, variants.length - 1) : 0;
      const old = Math.exp(-(damaged[gold]?.[s] ?? Infinity));
      row[s] = -Math.log((1 - ACCENTED_DAMAGE_SHARE) * residual + ACCENTED_DAMAGE_SHARE * old);
    }
    out[gold] = row;
  }
  return out;
}

export interface RepairModel {
  readonly syllables: string[];
  readonly syllableSet: ReadonlySet<string>;
  /** LM id of each syllable (same index as `syllables`). */
  readonly syllableLmId: Int32Array;
  readonly lm: LanguageModel;
  readonly channel: ChannelData;
  readonly abbreviations: ReadonlySet<string>;
  /** Skeleton (no marks, uppercase) → abbreviation, to restore "QD" → "QĐ". */
  readonly abbreviationBySkeleton: ReadonlyMap<string, string>;
  candidates(ocrLower: string, mode: DamageMode): SyllableCandidate[];
}

class LoadedRepairModel implements RepairModel {
  readonly syllableSet: ReadonlySet<string>;
  readonly syllableLmId: Int32Array;
  readonly abbreviationBySkeleton: ReadonlyMap<string, string>;
  private readonly trie = new SyllableTrie();
  private readonly tables: Record<DamageMode, InvertedTable>;
  /** Memo of candidate searches: the same OCR strings recur throughout a document. */
  private readonly memo: Record<DamageMode, Map<string, SyllableCandidate[]>> = { damaged: new Map(), accented: new Map() };

  constructor(
    readonly syllables: string[],
    readonly lm: LanguageModel,
    readonly channel: ChannelData,
    readonly abbreviations: ReadonlySet<string>,
  ) {
    this.syllableSet = new Set(syllables);
    this.syllableLmId = Int32Array.from(syllables, (s) => lm.id(s) ?? lm.id('<unk>')!);
    syllables.forEach((s, i) => this.trie.add(s, i));
    const alphabet = Object.keys(channel.substitutions);
    this.tables = {
      damaged: invert(channel.substitutions),
      accented: invert(accentedSubstitutions(channel.substitutions, alphabet)),
    };
    const bySkeleton = new Map<string, string>();
    for (const a of abbreviations) bySkeleton.set(stripMarks(a).toUpperCase(), a);
    this.abbreviationBySkeleton = bySkeleton;
  }

  candidates(ocrLower: string, mode: DamageMode): SyllableCandidate[] {
    const memo = this.memo[mode];
    const known = memo.get(ocrLower);
    if (known) return known;
    const found = this.search([...ocrLower], this.tables[mode]);
    if (memo.size > 200_000) memo.clear();
    memo.set(ocrLower, found);
    return found;
  }

  /** Depth-first search of the syllable trie, consuming the OCR string segment by segment. */
  private search(ocr: string[], table: InvertedTable): SyllableCandidate[] {
    const n = ocr.length;
    // entries[pos][k]: channel entries for the OCR segment of length k starting at pos.
    const entries: Array<Array<SegmentEntries | undefined>> = [];
    for (let pos = 0; pos <= n; pos++) {
      const row: Array<SegmentEntries | undefined> = [];
      for (let k = 0; k <= MAX_SEGMENT; k++) row.push(pos + k <= n ? table.get(ocr.slice(pos, pos + k).join('')) : undefined);
      entries.push(row);
    }
    // Cheap searches first: a tight bound prunes almost everything; widen only when nothing
    // was found, then make sure every candidate within the margin of the best was reached.
    let found = new Map<number, number>();
    let searched = 0;
    for (const bound of SEARCH_BOUNDS) {
      found = this.searchWithin(entries, n, bound);
      searched = bound;
      if (found.size > 0) break;
    }
    const bestCost = Math.min(...found.values());
    if (found.size > 0 && bestCost + CANDIDATE_MARGIN > searched) found = this.searchWithin(entries, n, bestCost + CANDIDATE_MARGIN);
    // Rank by channel and unigram together: "nam" has a dozen near-free readings, and the
    // frequent "năm" must not be cut off behind rare "nậm", "nẫm".
    const lm = this.lm;
    const ids = this.syllableLmId;
    return [...found]
      .filter(([, c]) => c <= bestCost + CANDIDATE_MARGIN)
      .map(([syllable, cost]) => ({ syllable, cost, rank: cost - lm.unigramLogProb(ids[syllable]!) }))
      .sort((a, b) => a.rank - b.rank)
      .slice(0, MAX_CANDIDATES)
      .map(({ syllable, cost }) => ({ syllable, cost }));
  }

  /** All syllables reachable from the OCR string at a channel cost below `bound`. */
  private searchWithin(entries: Array<Array<SegmentEntries | undefined>>, n: number, bound: number): Map<number, number> {
    const best = new Map<number, number>();
    const { children, terminal } = this.trie;
    const visit = (node: number, pos: number, cost: number, deletions: number): void => {
      if (pos === n) {
        const syl = terminal[node]!;
        if (syl >= 0 && cost < (best.get(syl) ?? Infinity)) best.set(syl, cost);
      }
      const kids = children[node]!;
      if (kids.size === 0) return;
      for (let k = 0; k <= MAX_SEGMENT; k++) {
        if (k === 0 && deletions >= MAX_DELETIONS) continue;
        const list = entries[pos]![k];
        if (!list) continue;
        const { gold, cost: costs } = list;
        for (let i = 0; i < gold.length; i++) {
          const next = cost + costs[i]!;
          if (next >= bound) break;
          const child = kids.get(gold[i]!);
          if (child !== undefined) visit(child, pos + k, next, k === 0 ? deletions + 1 : deletions);
        }
      }
    };
    visit(0, 0, 0, 0);
    return best;
  }
}

const loaded = new Map<string, RepairModel>();

/** Loads (once per directory) the repair model from dictionaries/. */
export function loadRepairModel(dir: string = defaultDictionaryDir()): RepairModel {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const syllables = readFileSync(join(dir, DATA_FILES.syllables), 'utf8').split('\n').filter(Boolean);
  const channel = JSON.parse(readFileSync(join(dir, DATA_FILES.channel), 'utf8')) as ChannelData;
  const abbreviations = new Set(readFileSync(join(dir, DATA_FILES.abbreviations), 'utf8').split('\n').filter(Boolean));
  const lm = new LanguageModel(readLanguageModel(join(dir, DATA_FILES.lm)));
  const model = new LoadedRepairModel(syllables, lm, channel, abbreviations);
  loaded.set(dir, model);
  return model;
}
