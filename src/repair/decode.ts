// Decoder: builds a lattice of alternatives for every chunk of the text (candidate syllables,
// the chunk kept verbatim, glued words split apart) and runs a beam search scoring each path by
// channel cost and trigram language-model probability. Line structure is rebuilt around it.

import type { StrongBigrams } from './lm.js';
import type { DamageMode, RepairModel } from './model.js';
import {
  ABBREVIATION_TOKEN,
  NUMBER_TOKEN,
  PUNCT_TOKEN,
  SENTENCE_START,
  UNKNOWN_TOKEN,
  splitChunk,
  splitLine,
} from './tokenize.js';
import { applyCase, canonicalSyllable, casePattern, channelForm, isLetter, stripMarks, type CasePattern } from './vietnamese.js';

/** One way of reading a chunk. */
export interface Alternative {
  text: string;
  /** LM ids the reading contributes, in order. */
  lmIds: number[];
  /** Channel cost in nats (-ln P(OCR | reading)). */
  cost: number;
  /** True when the reading is a syllable (or syllables) from the inventory. */
  syllabic: boolean;
  /**
   * A less likely syllable held back from the lattice unless it forms a known bigram with a
   * reading of a neighbouring chunk ("hd tro": "hỗ" is held back until "trợ" calls for it).
   */
  reserve?: boolean;
}

export interface ChunkLattice {
  /** Index of the line the chunk belongs to. */
  line: number;
  /** The chunk as written, its core, and its edge punctuation (kept around every reading). */
  source: string;
  core: string;
  lead: string;
  trail: string;
  /** LM tokens of the edge punctuation. */
  leadIds: number[];
  trailIds: number[];
  /** True when the chunk has letters and could be read as syllables (not a number or a code). */
  isWord: boolean;
  alternatives: Alternative[];
  /** Set on chunks that end a paragraph (the next line is empty): the LM context restarts. */
  paragraphEnd: boolean;
}

const BEAM_WIDTH = 10;
const LM_WEIGHT = 1;
/** LM log-probability of a chunk kept as an unknown token. */
const UNKNOWN_LOG_PROB = -10;
/** Costs of keeping a chunk verbatim, by what it looks like. */
const KEEP_COST = { number: 0, knownAbbreviation: 0, unknownCode: 2, listLetter: 3, abbreviation: 3, digitWord: 6, unknown: 9, damaged: 16 };
/** A syllable candidate above this channel cost does not count as an explanation of the chunk. */
export const EXPLAINED_COST = 7;
const SPLIT_PART_CANDIDATES = 3;
/** Candidates of a chunk always in the lattice; the rest are reserves (see activateReserves). */
const ACTIVE_CANDIDATES = 6;
/** ln P(w2 | w1) above which a bigram calls a reserve into the lattice. */
const STRONG_BIGRAM = -3;
/** ln P(w2 | w1) above which a neighbour proposes a reading the search did not find. */
const PROPOSING_BIGRAM = -2.5;
/** Channel cost up to which a proposed reading enters the lattice. */
const PROPOSAL_MAX_COST = 10;
/** How many readings of each neighbour propose. */
const PROPOSING_READINGS = 3;
/** How many readings one neighbouring reading may propose (its strongest partners). */
const PROPOSALS_PER_WORD = 4;
const MAX_SPLIT_ALTERNATIVES = 6;
/** Shortest chunk without digits tried as two glued words ("d6isé" → "đổi số"). */
const MIN_GLUED_LENGTH = 5;

function lmIdOf(model: RepairModel, token: string): number {
  return model.lm.id(token) ?? model.lm.id(UNKNOWN_TOKEN)!;
}

/** True for a core made only of digits and the separators of numbers, dates and codes. */
function isNumeric(core: string): boolean {
  return /^\d[\d.,/%:\-–]*$/.test(core);
}

/** "I.", "II", "XVII": Roman numerals of headings and congress terms. */
function isRomanNumeral(core: string): boolean {
  return /^[IVXLC]+$/.test(core) && core.length >= 1;
}

function keepAlternative(model: RepairModel, core: string): Alternative {
  const lower = canonicalSyllable(core.toLowerCase());
  if (model.syllableSet.has(lower)) {
    return { text: core, lmIds: [lmIdOf(model, lower)], cost: KEEP_COST.unknown, syllabic: true };
  }
  if (isNumeric(core)) return { text: core, lmIds: [lmIdOf(model, NUMBER_TOKEN)], cost: KEEP_COST.number, syllabic: false };
  // "1y", "1am": a digit standing for "l" in a short word; longer codes ("4G", "06-NQ/TU") are kept.
  if (/^\d/.test(core)) {
    // A code's letter parts should be known abbreviations ("749/QĐ-TTg"); "749/QD-TTg" is damaged.
    const unknownPart = (core.match(/\p{L}[\p{L}&]+/gu) ?? []).some((p) => !model.abbreviations.has(p));
    // "1am", "1€": a digit for "l" and lowercase letters or look-alikes after it is a damaged word.
    const digitWord = /^\d(?:\p{Ll}|[^\p{L}\d.,/%:\-–])+$/u.test(core) && [...core].length <= 5;
    const cost = digitWord ? KEEP_COST.digitWord : unknownPart ? KEEP_COST.unknownCode : KEEP_COST.number;
    return { text: core, lmIds: [lmIdOf(model, NUMBER_TOKEN)], cost, syllabic: false };
  }
  const parts = core.split(/[-/&]/).filter(Boolean);
  if (parts.length > 0 && parts.every((p) => model.abbreviations.has(p) || isNumeric(p) || isRomanNumeral(p))) {
    return { text: core, lmIds: [lmIdOf(model, ABBREVIATION_TOKEN)], cost: KEEP_COST.knownAbbreviation, syllabic: false };
  }
  if (/^[\p{Lu}\d&]{2,}([-/.][\p{L}\d&]+)*$/u.test(core)) {
    // Capitals that cannot spell a syllable ("VP", "GRDP") are an abbreviation as written.
    const cost = /^\p{Lu}+$/u.test(core) && !model.skeletons.has(stripMarks(core.toLowerCase())) ? KEEP_COST.knownAbbreviation : KEEP_COST.abbreviation;
    return { text: core, lmIds: [lmIdOf(model, ABBREVIATION_TOKEN)], cost, syllabic: false };
  }
  // Digits or stray capitals inside a lowercase word are damage, never a word as written.
  const damaged = /\p{Ll}/u.test(core) && (/\p{L}\d|\d\p{Ll}/u.test(core) || channelForm(core) !== core.toLowerCase());
  return { text: core, lmIds: [lmIdOf(model, UNKNOWN_TOKEN)], cost: damaged ? KEEP_COST.damaged : KEEP_COST.unknown, syllabic: false };
}

/** "QD-TTg" → "QĐ-TTg": parts of a code restored to known abbreviations with the same skeleton. */
function restoredAbbreviation(model: RepairModel, core: string): Alternative | undefined {
  if (!/[-/]/.test(core) && !/^[\p{Lu}]{2,}$/u.test(core)) return undefined;
  let changed = false;
  const text = core.replace(/[\p{L}&]+/gu, (part) => {
    if (model.abbreviations.has(part) || part.length < 2) return part;
    const known = model.abbreviationBySkeleton.get(stripMarks(part).toUpperCase());
    if (known && stripMarks(known) === stripMarks(part)) {
      changed = true;
      return known;
    }
    return part;
  });
  if (!changed) return undefined;
  return { text, lmIds: [lmIdOf(model, /^\d/.test(core) ? NUMBER_TOKEN : ABBREVIATION_TOKEN)], cost: 1, syllabic: false };
}

const channelForms = new Map<string, string>();

/** channelForm, memoised: the same cores recur throughout a document. */
function channelFormOf(core: string): string {
  let form = channelForms.get(core);
  if (form === undefined) {
    if (channelForms.size > 100_000) channelForms.clear();
    form = channelForm(core);
    channelForms.set(core, form);
  }
  return form;
}

/** How a reading of the core is written: "Iy" is "lý", a capital I before lowercase letters being a misread l. */
function caseOf(core: string): CasePattern {
  return /^I\p{Ll}/u.test(core) ? 'lower' : casePattern(core);
}

function syllableAlternatives(model: RepairModel, core: string, mode: DamageMode, part = false): Alternative[] {
  const pattern = caseOf(core);
  const asWritten = canonicalSyllable(core.toLowerCase());
  return model
    .candidates(channelFormOf(core), mode, part)
    .slice(0, part ? SPLIT_PART_CANDIDATES : Infinity)
    .map(({ syllable, cost }, rank) => {
      const word = model.syllables[syllable]!;
      // A syllable read as written keeps its exact spelling (old-style tone placement included).
      const text = word === asWritten && mode === 'accented' ? core : applyCase(word, pattern);
      return { text, lmIds: [model.syllableLmId[syllable]!], cost, syllabic: true, reserve: rank >= ACTIVE_CANDIDATES };
    });
}

/** A number written with look-alike letters ("l5" → "15"), or undefined. */
function asNumber(part: string): string | undefined {
  if (!/\d/.test(part) || !/^[\dlIoO.,/%\-–]+$/.test(part)) return undefined;
  return part.replace(/[lI]/g, '1').replace(/[oO]/g, '0');
}

/** Readings of a chunk as two glued words: "ndm2025" → "năm 2025", "S6105" → "Số 105". */
function splitAlternatives(model: RepairModel, core: string, mode: DamageMode): Alternative[] {
  const chars = [...core];
  const out: Alternative[] = [];
  const readings = (part: string): Alternative[] => {
    const number = asNumber(part);
    if (number !== undefined) {
      const penalty = number === part ? 0 : 2;
      return [{ text: number, lmIds: [lmIdOf(model, NUMBER_TOKEN)], cost: penalty, syllabic: false }];
    }
    if (!/\p{L}/u.test(part)) return [];
    return syllableAlternatives(model, part, mode, true);
  };
  for (let p = 1; p < chars.length; p++) {
    const left = chars.slice(0, p).join('');
    const right = chars.slice(p).join('');
    // Only split where at least one side is a plausible word on its own.
    if (left.length > 8 || right.length > 12) continue;
    const lefts = readings(left);
    if (lefts.length === 0) continue;
    const rights = readings(right);
    for (const l of lefts) {
      for (const r of rights) {
        out.push({
          text: `${l.text} ${r.text}`,
          lmIds: [...l.lmIds, ...r.lmIds],
          cost: l.cost + r.cost + model.channel.glueCost,
          syllabic: l.syllabic && r.syllabic,
        });
      }
    }
  }
  return out;
}

const LIST_LETTERS = [...'abcdđeghiklmnopqrstuvx'];

/** The letter a one-character list marker stands for: itself, or the letter the channel likes best. */
function listLetter(model: RepairModel, marker: string): string {
  if (/^[\p{L}\d]$/u.test(marker)) return marker;
  let best = marker;
  let bestCost = Infinity;
  for (const letter of LIST_LETTERS) {
    const cost = model.channel.substitutions[letter]?.[marker] ?? Infinity;
    if (cost < bestCost) {
      best = letter;
      bestCost = cost;
    }
  }
  return best;
}

/** Alternatives of a core, memoised per model and mode: chunks recur throughout a document. */
const alternativesMemo = new WeakMap<RepairModel, Record<DamageMode, Map<string, Alternative[]>>>();
const ALTERNATIVES_MEMO_SIZE = 100_000;

function memoisedCoreAlternatives(model: RepairModel, core: string, trail: string, mode: DamageMode): Alternative[] {
  let byMode = alternativesMemo.get(model);
  if (!byMode) alternativesMemo.set(model, (byMode = { damaged: new Map(), accented: new Map() }));
  const memo = byMode[mode];
  const key = trail.startsWith(')') ? core + ')' : core;
  let alternatives = memo.get(key);
  if (!alternatives) {
    if (memo.size >= ALTERNATIVES_MEMO_SIZE) memo.clear();
    alternatives = coreAlternatives(model, core, trail, mode);
    memo.set(key, alternatives);
  }
  return alternatives;
}

function coreAlternatives(model: RepairModel, core: string, trail: string, mode: DamageMode): Alternative[] {
  // List markers "a)", "b)", "đ)" are never words; a look-alike marker ("¢)") is read as the likeliest letter.
  if ([...core].length === 1 && trail.startsWith(')')) return [{ text: listLetter(model, core), lmIds: [lmIdOf(model, PUNCT_TOKEN)], cost: 0, syllabic: false }];
  const alternatives: Alternative[] = [];
  // A lone consonant is a listed item ("điểm b, c") or a damaged syllable ("s" for "số"): the context decides.
  if (/^[bcdđghklmnpqrstvx]$/.test(core)) alternatives.push({ text: core, lmIds: [lmIdOf(model, PUNCT_TOKEN)], cost: KEEP_COST.listLetter, syllabic: false });
  const keep = keepAlternative(model, core);
  const letters = [...core].filter(isLetter).length;
  const digits = (core.match(/\d/g) ?? []).length;
  const pureNumber = isNumeric(core);
  // Look-alike symbols stand for whole short words too: "&" and "¢" for "ở", "$6" for "số".
  // Look-alike symbols, with digits or not, stand for short words: "&" for "ở", "¢6" for "có", "1€" for "lệ".
  const symbolic = mode === 'damaged' && letters === 0 && [...core].length <= 3 && /[^\d.,/%:\-–]/u.test(core);
  if (!pureNumber && (letters > 0 || symbolic) && [...core].length <= 9 && keep.cost > 0) {
    alternatives.push(...syllableAlternatives(model, core, mode));
  }
  // A verbatim syllable is already among the candidates (identity path of the channel).
  if (!(keep.syllabic && alternatives.some((a) => a.text === core))) alternatives.push(keep);
  const restored = restoredAbbreviation(model, core);
  if (restored) alternatives.push(restored);
  const bestSyllable = alternatives.filter((a) => a.syllabic).reduce((m, a) => Math.min(m, a.cost), Infinity);
  const glued = (letters > 0 && digits >= 2 && !/^\d/.test(core)) || ([...core].length >= MIN_GLUED_LENGTH && letters >= 2 && bestSyllable > EXPLAINED_COST && mode === 'damaged');
  if (glued && !pureNumber) alternatives.push(...splitAlternatives(model, core, mode).sort((a, b) => a.cost - b.cost).slice(0, MAX_SPLIT_ALTERNATIVES));
  // "S6:154/KH-UBND": a word and a number glued at a colon.
  const labelled = /^([^:\d][^:]{0,5}):(\d.*)$/u.exec(core);
  if (labelled) {
    const number = lmIdOf(model, NUMBER_TOKEN);
    for (const word of syllableAlternatives(model, labelled[1]!, mode, true)) {
      alternatives.push({ text: `${word.text}: ${labelled[2]}`, lmIds: [...word.lmIds, lmIdOf(model, SENTENCE_START), number], cost: word.cost, syllabic: false });
    }
  }
  return alternatives;
}

/** Builds the lattice: punctuation becomes fixed arcs, cores get their alternatives. */
export function buildLattice(text: string, model: RepairModel, mode: DamageMode): { lattice: ChunkLattice[]; lines: Array<{ chunks: string[]; spaces: string[] }> } {
  const lattice: ChunkLattice[] = [];
  const punct = lmIdOf(model, PUNCT_TOKEN);
  const start = lmIdOf(model, SENTENCE_START);
  const lines = text.split('\n').map((line) => splitLine(line));
  lines.forEach(({ chunks }, lineIndex) => {
    for (const chunk of chunks) {
      if (!chunk) continue;
      const { lead, core, trail } = splitChunk(chunk);
      const leadIds = lead ? [punct] : [];
      const trailIds = trail ? [/[.;:!?]/.test(trail) ? start : punct] : [];
      const cores = core ? memoisedCoreAlternatives(model, core, trail, mode) : EMPTY_CORE;
      lattice.push({
        line: lineIndex,
        source: chunk,
        core,
        lead,
        trail,
        leadIds,
        trailIds,
        isWord: cores.some((a) => a.syllabic) || /\p{Ll}/u.test(core),
        paragraphEnd: false,
        alternatives: cores,
      });
    }
    const next = lines[lineIndex + 1];
    const last = lattice[lattice.length - 1];
    if (last && (!next || next.chunks.every((c) => !c))) last.paragraphEnd = true;
  });
  activateReserves(lattice, model, mode);
  return { lattice, lines };
}

const EMPTY_CORE: Alternative[] = [{ text: '', lmIds: [], cost: 0, syllabic: false }];

/**
 * Brings held-back syllables into the lattice where a neighbouring chunk has a reading they form
 * a strong bigram with, and drops the other held-back ones.
 */
function activateReserves(lattice: ChunkLattice[], model: RepairModel, mode: DamageMode): void {
  // LM ids of the syllable readings in the lattice, per chunk (first and last id of each reading).
  const firsts: number[][] = [];
  const lasts: number[][] = [];
  for (const chunk of lattice) {
    const first: number[] = [];
    const last: number[] = [];
    for (const a of chunk.alternatives) {
      if (!a.syllabic || a.reserve) continue;
      first.push(a.lmIds[0]!);
      last.push(a.lmIds[a.lmIds.length - 1]!);
    }
    firsts.push(first);
    lasts.push(last);
  }
  const { left, right } = model.lm.strongBigrams(STRONG_BIGRAM);
  const proposers = model.lm.strongBigrams(PROPOSING_BIGRAM, PROPOSALS_PER_WORD);
  lattice.forEach((chunk, i) => {
    const prev = lattice[i - 1];
    const next = lattice[i + 1];
    const before = prev && !prev.paragraphEnd && !prev.trail && !chunk.lead ? lasts[i - 1]! : [];
    const after = next && !chunk.paragraphEnd && !chunk.trail && !next.lead ? firsts[i + 1]! : [];
    if (chunk.isWord) proposeReadings(chunk, before, after, proposers, model, mode);
    if (!chunk.alternatives.some((a) => a.reserve)) return;
    chunk.alternatives = chunk.alternatives.filter((a) => {
      if (!a.reserve) return true;
      const w = a.lmIds[0]!;
      const lefts = left.get(w);
      if (lefts) for (const p of before) if (lefts.has(p)) return true;
      const rights = right.get(w);
      if (rights) for (const n of after) if (rights.has(n)) return true;
      return false;
    });
  });
}

/**
 * Adds readings the neighbours ask for: syllables that very often follow a reading of the previous
 * chunk or precede one of the next ("nhiệm vy": "vụ"), when the channel can explain the chunk as
 * them at all. Catches damage the search ranks too low to try ('y' read for 'ụ').
 */
function proposeReadings(chunk: ChunkLattice, before: number[], after: number[], strong: StrongBigrams, model: RepairModel, mode: DamageMode): void {
  const key = mode === 'damaged' ? chunk.core : '\u0000' + chunk.core;
  let byWord = proposalMemo.get(model)?.get(key);
  if (!byWord) {
    let memo = proposalMemo.get(model);
    if (!memo) proposalMemo.set(model, (memo = new Map()));
    if (memo.size > ALTERNATIVES_MEMO_SIZE) memo.clear();
    memo.set(key, (byWord = new Map()));
  }
  const memo = byWord;
  let extended: Alternative[] | undefined;
  const consider = (w: number): void => {
    let proposal = memo.get(w);
    if (proposal === undefined) {
      proposal = proposalFor(chunk.core, w, model, mode);
      memo.set(w, proposal);
    }
    if (!proposal) return;
    const list = extended ?? chunk.alternatives;
    if (list.some((a) => a.lmIds.length === 1 && a.lmIds[0] === w)) return;
    extended ??= [...chunk.alternatives];
    extended.push(proposal);
  };
  // The neighbours' likeliest readings only (alternatives come best-ranked first).
  for (let k = 0; k < before.length && k < PROPOSING_READINGS; k++) for (const w of strong.right.get(before[k]!) ?? []) consider(w);
  for (let k = 0; k < after.length && k < PROPOSING_READINGS; k++) for (const w of strong.left.get(after[k]!) ?? []) consider(w);
  if (extended) chunk.alternatives = extended;
}

/** Proposed readings per model, core and LM id (null: the channel cannot explain the core as it). */
const proposalMemo = new WeakMap<RepairModel, Map<string, Map<number, Alternative | null>>>();

function proposalFor(core: string, w: number, model: RepairModel, mode: DamageMode): Alternative | null {
  const syllable = model.lm.vocab[w]!;
  if (!model.syllableSet.has(syllable)) return null;
  // In mostly-correct text only marks go wrong: a proposal keeps the letters as written.
  if (mode === 'accented' && stripMarks(syllable) !== stripMarks(core.toLowerCase())) return null;
  const cost = model.readingCost(channelFormOf(core), syllable, mode);
  return cost <= PROPOSAL_MAX_COST ? { text: applyCase(syllable, caseOf(core)), lmIds: [w], cost, syllabic: true } : null;
}

interface Hypothesis {
  u: number;
  v: number;
  score: number;
  prev: Hypothesis | undefined;
  choice: number;
}

/** Beam search over the lattice; returns the chosen alternative of every chunk. */
export function decodeLattice(lattice: ChunkLattice[], model: RepairModel): number[] {
  const lm = model.lm;
  const start = lmIdOf(model, SENTENCE_START);
  const unknown = lmIdOf(model, UNKNOWN_TOKEN);
  let beam: Hypothesis[] = [{ u: start, v: start, score: 0, prev: undefined, choice: -1 }];
  const V = lm.size;
  for (const chunk of lattice) {
    const next = new Map<number, Hypothesis>();
    const alternatives = chunk.alternatives;
    const tokens = chunk.leadIds.length || chunk.trailIds.length ? alternatives.map((a) => [...chunk.leadIds, ...a.lmIds, ...chunk.trailIds]) : alternatives.map((a) => a.lmIds);
    for (const hyp of beam) {
      // The trigram context of the hypothesis, looked up once for all its continuations.
      const context = lm.context(hyp.u, hyp.v);
      for (let choice = 0; choice < alternatives.length; choice++) {
        const ids = tokens[choice]!;
        let u = hyp.u;
        let v = hyp.v;
        let score = hyp.score - alternatives[choice]!.cost;
        for (let t = 0; t < ids.length; t++) {
          const w = ids[t]!;
          if (w === unknown) {
            // A flat price: runs of unreadable chunks must not make each other likely.
            score += LM_WEIGHT * UNKNOWN_LOG_PROB;
          } else if (w === start) {
            // A sentence end: the next words start a new sentence.
            u = start;
            v = start;
            continue;
          } else {
            score += LM_WEIGHT * (t === 0 ? lm.logProbInContext(context, v, w) : lm.logProb(u, v, w));
          }
          u = v;
          v = w;
        }
        if (chunk.paragraphEnd) {
          u = start;
          v = start;
        }
        const key = u * V + v;
        const existing = next.get(key);
        if (!existing || existing.score < score) next.set(key, { u, v, score, prev: hyp, choice });
      }
    }
    beam = [...next.values()].sort((x, y) => y.score - x.score).slice(0, BEAM_WIDTH);
  }
  const choices = new Array<number>(lattice.length);
  let hyp: Hypothesis | undefined = beam[0];
  for (let i = lattice.length - 1; i >= 0 && hyp; i--) {
    choices[i] = hyp.choice;
    hyp = hyp.prev;
  }
  return choices;
}

/** Share of letter tokens written as valid accented syllables: decides the damage mode. */
export function accentedShare(text: string, model: RepairModel): number {
  let letterCores = 0;
  let accented = 0;
  for (const line of text.split('\n')) {
    for (const chunk of splitLine(line).chunks) {
      const core = splitChunk(chunk).core;
      if (!core || !/^\p{L}+$/u.test(core)) continue;
      letterCores++;
      const lower = core.toLowerCase();
      if (stripMarks(lower) !== lower && model.syllableSet.has(canonicalSyllable(lower))) accented++;
    }
  }
  return letterCores === 0 ? 0 : accented / letterCores;
}

/** Above this share of accented syllables a text is treated as Vietnamese with residual errors. */
export const ACCENTED_MODE_SHARE = 0.3;

export function damageMode(text: string, model: RepairModel): DamageMode {
  return accentedShare(text, model) >= ACCENTED_MODE_SHARE ? 'accented' : 'damaged';
}

/** Syllables in the synthetic text that warms the decoder up. */
const WARM_UP_WORDS = 300;

/**
 * Load-time preparation: the strong-bigram tables, and one decoding of a synthetic text (the most
 * frequent syllables, as written and without marks) so that the first real page does not pay for
 * compiling the decoder.
 */
export function prepareDecoder(model: RepairModel): void {
  model.lm.strongBigrams(STRONG_BIGRAM);
  model.lm.strongBigrams(PROPOSING_BIGRAM, PROPOSALS_PER_WORD);
  const frequent = model.syllables
    .map((syllable, i) => ({ syllable, logProb: model.lm.unigramLogProb(model.syllableLmId[i]!) }))
    .sort((a, b) => b.logProb - a.logProb)
    .slice(0, WARM_UP_WORDS)
    .map((e) => e.syllable);
  const lines: string[] = [];
  for (let i = 0; i < frequent.length; i += 12) lines.push(frequent.slice(i, i + 12).join(' '));
  const correct = lines.join('\n');
  const stripped = stripMarks(correct);
  decodeLattice(buildLattice(correct, model, 'accented').lattice, model);
  decodeLattice(buildLattice(stripped, model, 'damaged').lattice, model);
}
