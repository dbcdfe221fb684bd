// Syllable trigram language model: interpolated absolute discounting with Kneser-Ney
// continuation unigrams, stored in backoff form (log-prob per kept n-gram + backoff weight
// per context) so that lookups are two or three hash probes.

import { SENTENCE_START, SPECIAL_TOKENS } from './tokenize.js';

export interface WeightedCorpus {
  name: string;
  /** Each sentence: a run of LM tokens; a sentence start is implied before it. */
  sentences: string[][];
  /** How many times each sentence counts (domain text weighs more than dictionary examples). */
  weight: number;
}

export interface LmBuildOptions {
  /** Minimum weighted count of a bigram / trigram to be stored. */
  minBigramCount: number;
  minTrigramCount: number;
}

const DISCOUNT = 0.75;
/** Share of unigram mass given to the uniform distribution so every vocabulary item has a probability. */
const UNIFORM_SHARE = 0.02;

/** A built model in the compact form that is written to disk and loaded at run time. */
export interface LmArrays {
  vocab: string[];
  unigramLogProb: Float32Array;
  unigramBackoff: Float32Array;
  /** Keys u * V + w, sorted; with log-prob and the backoff of context (u, w). */
  bigramKeys: Uint32Array;
  bigramLogProb: Float32Array;
  bigramBackoff: Float32Array;
  /** Keys: bigram index of (u, v) and w. */
  trigramContext: Uint32Array;
  trigramWord: Uint32Array;
  trigramLogProb: Float32Array;
}

export function buildLanguageModel(vocabulary: string[], corpora: WeightedCorpus[], options: LmBuildOptions): LmArrays {
  const vocab = [...SPECIAL_TOKENS, ...vocabulary.filter((v) => !SPECIAL_TOKENS.includes(v))];
  const V = vocab.length;
  const id = new Map(vocab.map((w, i) => [w, i]));
  const start = id.get(SENTENCE_START)!;
  const uni = new Float64Array(V);
  const bi = new Map<number, number>();
  const tri = new Map<number, number>();
  for (const corpus of corpora) {
    for (const sentence of corpus.sentences) {
      const ids = [start, start];
      for (const tok of sentence) {
        const i = id.get(tok);
        if (i !== undefined) ids.push(i);
        else ids.push(id.get('<unk>')!);
      }
      for (let k = 2; k < ids.length; k++) {
        const u = ids[k - 2]!;
        const v = ids[k - 1]!;
        const w = ids[k]!;
        uni[w]! += corpus.weight;
        const bk = v * V + w;
        bi.set(bk, (bi.get(bk) ?? 0) + corpus.weight);
        const tk = (u * V + v) * V + w;
        tri.set(tk, (tri.get(tk) ?? 0) + corpus.weight);
      }
    }
  }

  // Kneser-Ney continuation counts for the unigram level: in how many contexts w appears.
  const continuation = new Float64Array(V);
  for (const key of bi.keys()) continuation[key % V]! += 1;
  const contTotal = continuation.reduce((a, b) => a + b, 0);
  const unigramProb = new Float64Array(V);
  for (let w = 0; w < V; w++) unigramProb[w] = (1 - UNIFORM_SHARE) * (continuation[w]! / contTotal) + UNIFORM_SHARE / V;
  unigramProb[start] = 1e-9;

  // Bigram level: context totals and distinct followers.
  const biTotal = new Float64Array(V);
  const biTypes = new Float64Array(V);
  for (const [key, c] of bi) {
    const v = Math.floor(key / V);
    biTotal[v]! += c;
    biTypes[v]! += 1;
  }
  const unigramBackoff = new Float32Array(V);
  for (let v = 0; v < V; v++) unigramBackoff[v] = biTotal[v]! > 0 ? Math.log((DISCOUNT * biTypes[v]!) / biTotal[v]!) : 0;
  const bigramProb = (v: number, w: number): number => {
    const c = bi.get(v * V + w) ?? 0;
    if (biTotal[v]! === 0) return unigramProb[w]!;
    return Math.max(c - DISCOUNT, 0) / biTotal[v]! + ((DISCOUNT * biTypes[v]!) / biTotal[v]!) * unigramProb[w]!;
  };

  // Trigram level: context (u, v) totals and distinct followers.
  const triTotal = new Map<number, number>();
  const triTypes = new Map<number, number>();
  for (const [key, c] of tri) {
    const ctx = Math.floor(key / V);
    triTotal.set(ctx, (triTotal.get(ctx) ?? 0) + c);
    triTypes.set(ctx, (triTypes.get(ctx) ?? 0) + 1);
  }

  const keptBigrams = [...bi.entries()].filter(([, c]) => c >= options.minBigramCount).map(([k]) => k);
  // The context of a kept trigram must be a stored bigram so that its backoff weight has a home.
  for (const [key, c] of tri) if (c >= options.minTrigramCount) keptBigrams.push(Math.floor(key / V));
  const bigramKeys = Uint32Array.from(new Set(keptBigrams)).sort();
  const bigramIndex = new Map<number, number>();
  bigramKeys.forEach((k, i) => bigramIndex.set(k, i));
  const bigramLogProb = new Float32Array(bigramKeys.length);
  const bigramBackoff = new Float32Array(bigramKeys.length);
  bigramKeys.forEach((key, i) => {
    const v = Math.floor(key / V);
    const w = key % V;
    bigramLogProb[i] = Math.log(bigramProb(v, w));
    const total = triTotal.get(key) ?? 0;
    bigramBackoff[i] = total > 0 ? Math.log((DISCOUNT * (triTypes.get(key) ?? 0)) / total) : 0;
  });

  const trigrams: Array<[number, number, number]> = [];
  for (const [key, c] of tri) {
    if (c < options.minTrigramCount) continue;
    const ctx = Math.floor(key / V);
    const w = key % V;
    const v = ctx % V;
    const total = triTotal.get(ctx)!;
    const p = Math.max(c - DISCOUNT, 0) / total + ((DISCOUNT * triTypes.get(ctx)!) / total) * bigramProb(v, w);
    trigrams.push([bigramIndex.get(ctx)!, w, Math.log(p)]);
  }
  trigrams.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    vocab,
    unigramLogProb: Float32Array.from(unigramProb, (p) => Math.log(p)),
    unigramBackoff,
    bigramKeys,
    bigramLogProb,
    bigramBackoff,
    trigramContext: Uint32Array.from(trigrams, (t) => t[0]),
    trigramWord: Uint32Array.from(trigrams, (t) => t[1]),
    trigramLogProb: Float32Array.from(trigrams, (t) => t[2]),
  };
}

/**
 * Open-addressing hash of integer pairs (a, b) → slot, on typed arrays: several times faster
 * than a Map keyed by a * V + b once the keys outgrow small integers.
 */
export class PairIndex {
  /**
   * Slot i at 3i: key a (-1: empty), key b, value. Side by side, a probe reads one cache line
   * (three arrays of millions of slots cost a miss each).
   */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(count: number) {
    let capacity = 1024;
    while (capacity < count * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 3);
    for (let i = 0; i < this.slots.length; i += 3) this.slots[i] = -1;
    this.mask = capacity - 1;
  }

  private static hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  }

  set(a: number, b: number, value: number): void {
    const slots = this.slots;
    let i = PairIndex.hash(a, b) & this.mask;
    while (slots[3 * i] !== -1 && !(slots[3 * i] === a && slots[3 * i + 1] === b)) i = (i + 1) & this.mask;
    slots[3 * i] = a;
    slots[3 * i + 1] = b;
    slots[3 * i + 2] = value;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const slots = this.slots;
    let i = PairIndex.hash(a, b) & this.mask;
    for (;;) {
      const k = slots[3 * i]!;
      if (k === -1) return -1;
      if (k === a && slots[3 * i + 1] === b) return slots[3 * i + 2]!;
      i = (i + 1) & this.mask;
    }
  }
}

/**
 * Partners of strong bigrams, strongest first, as one flat list: those of word x are
 * list[start[x]] … list[start[x + 1] - 1] (typed arrays: the lattice looks them up for every reading).
 */
export interface PartnerLists {
  start: Int32Array;
  list: Int32Array;
}

/** left: the words often before w, by w; right: the words often after v, by v. */
export interface StrongBigrams {
  left: PartnerLists;
  right: PartnerLists;
}

/** Run-time view of the model: hash lookups over the stored arrays. */
export class LanguageModel {
  readonly vocab: string[];
  readonly size: number;
  private readonly ids: Map<string, number>;
  private readonly uniLogProb: Float32Array;
  private readonly uniBackoff: Float32Array;
  /** (u, w) → index into the bigram arrays */
  private readonly bigrams: PairIndex;
  private readonly biLogProb: Float32Array;
  private readonly biBackoff: Float32Array;
  /** (bigram index of the context, w) → index into the trigram log-probs */
  private readonly trigrams: PairIndex;
  private readonly triLogProb: Float32Array;
  private readonly bigramKeys: Uint32Array;
  /** Per bigram index: 1 when some trigram has it as context (most have none: no probe needed). */
  private readonly contextHasTrigrams: Uint8Array;

  constructor(arrays: LmArrays) {
    this.vocab = arrays.vocab;
    this.size = arrays.vocab.length;
    this.ids = new Map(arrays.vocab.map((w, i) => [w, i]));
    this.uniLogProb = arrays.unigramLogProb;
    this.uniBackoff = arrays.unigramBackoff;
    this.biLogProb = arrays.bigramLogProb;
    this.biBackoff = arrays.bigramBackoff;
    this.triLogProb = arrays.trigramLogProb;
    const V = this.size;
    const keys = arrays.bigramKeys;
    this.bigramKeys = keys;
    this.bigrams = new PairIndex(keys.length);
    for (let i = 0; i < keys.length; i++) this.bigrams.set(Math.floor(keys[i]! / V), keys[i]! % V, i);
    this.trigrams = new PairIndex(arrays.trigramWord.length);
    for (let i = 0; i < arrays.trigramWord.length; i++) this.trigrams.set(arrays.trigramContext[i]!, arrays.trigramWord[i]!, i);
    this.contextHasTrigrams = new Uint8Array(keys.length);
    for (const context of arrays.trigramContext) this.contextHasTrigrams[context] = 1;
  }

  id(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Bigram index of the context (u, v), or -1: pass to logProbInContext for every next word. */
  context(u: number, v: number): number {
    return this.bigrams.get(u, v);
  }

  /** ln P(w | u v) given context(u, v). */
  logProbInContext(context: number, v: number, w: number): number {
    const t = this.trigramIn(context, w);
    return t >= 0 ? this.triLogProb[t]! : this.backedOff(context, v, w, this.bigrams.get(v, w));
  }

  /** Index of the stored trigram (context, w), or -1. */
  trigramIn(context: number, w: number): number {
    return context >= 0 && this.contextHasTrigrams[context] ? this.trigrams.get(context, w) : -1;
  }

  /** The stored trigram's ln P (index from trigramIn). */
  trigramLogProb(t: number): number {
    return this.triLogProb[t]!;
  }

  /** Index of the stored bigram (v, w), or -1: what backedOff needs, the same for every u. */
  bigramIndex(v: number, w: number): number {
    return this.bigrams.get(v, w);
  }

  /** ln P(w | u v) when no trigram (context(u, v), w) is stored; b = bigramIndex(v, w). */
  backedOff(context: number, v: number, w: number, b: number): number {
    const backoff = context >= 0 ? this.biBackoff[context]! : 0;
    if (b >= 0) return backoff + this.biLogProb[b]!;
    return backoff + this.uniBackoff[v]! + this.uniLogProb[w]!;
  }

  private readonly strong = new Map<string, StrongBigrams>();

  /**
   * Stored bigrams with ln P(w | v) above the threshold, as partner lists: left holds the v of
   * each w, right the w of each v; each word keeps its `limit` strongest partners on either side.
   */
  strongBigrams(threshold: number, limit = Infinity): StrongBigrams {
    const id = `${threshold}/${limit}`;
    const known = this.strong.get(id);
    if (known) return known;
    const lefts = new Map<number, Array<[number, number]>>();
    const rights = new Map<number, Array<[number, number]>>();
    const V = this.size;
    this.bigramKeys.forEach((key, i) => {
      const logProb = this.biLogProb[i]!;
      if (logProb <= threshold) return;
      const v = Math.floor(key / V);
      const w = key % V;
      if (!lefts.has(w)) lefts.set(w, []);
      lefts.get(w)!.push([v, logProb]);
      if (!rights.has(v)) rights.set(v, []);
      rights.get(v)!.push([w, logProb]);
    });
    const strongest = (partners: Map<number, Array<[number, number]>>): PartnerLists => {
      const start = new Int32Array(V + 1);
      const list: number[] = [];
      for (let word = 0; word < V; word++) {
        start[word] = list.length;
        const found = partners.get(word);
        if (found) list.push(...found.sort((x, y) => y[1] - x[1]).slice(0, limit).map((e) => e[0]));
      }
      start[V] = list.length;
      return { start, list: Int32Array.from(list) };
    };
    const result = { left: strongest(lefts), right: strongest(rights) };
    this.strong.set(id, result);
    return result;
  }

  unigramLogProb(w: number): number {
    return this.uniLogProb[w]!;
  }
}
