// Decoder: builds a lattice of alternatives for every chunk of the text (candidate syllables,
// the chunk kept verbatim, glued words split apart) and runs a beam search scoring each path by
// channel cost and trigram language-model probability. Line structure is rebuilt around it.

import type { PartnerLists, StrongBigrams } from './lm.js';
import { type DamageMode, type OcrSegments, type RepairModel } from './model.js';
import {
  ABBREVIATION_TOKEN,
  isCapitalsCode,
  NUMBER_TOKEN,
  numberToken,
  PUNCT_TOKEN,
  SENTENCE_START,
  UNKNOWN_TOKEN,
  splitChunk,
  splitLine,
  endsSentence,
} from './tokenize.js';
import { NUMBER_CHARS, MAX_SEGMENT } from './channel.js';
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
  reserve: boolean;
}

/**
 * Every Alternative is made here, with all its fields in one order: objects of one shape keep the
 * search's property loads monomorphic (a shape first met on a real page deoptimised it).
 */
function alternative(text: string, lmIds: number[], cost: number, syllabic: boolean, reserve = false): Alternative {
  return { text, lmIds, cost, syllabic, reserve };
}

/** The alternative at another channel cost. */
function withCost(a: Alternative, cost: number): Alternative {
  return alternative(a.text, a.lmIds, cost, a.syllabic, a.reserve);
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

/**
 * Hypotheses kept per chunk (distinct LM contexts). Measured on the bench folds: 3-5 lose up to 1.4
 * points, 10 → 20 gains up to 0.4 (000a) for no measurable time: few chunks have that many contexts.
 */
const BEAM_WIDTH = 20;
/**
 * Hypotheses scoring this far (nats) below a step's best are dropped, and expansions that cannot
 * come within it are not scored. Measured on the bench folds: 15 loses nothing, 12 and 10 lose
 * up to 0.1 and 0.5 points on 000a; with 15 the search of 001 (readings memoised) takes a fifth less time.
 */
const BEAM_THRESHOLD = 15;
/** Reward (nats) for two consecutive readings that are syllables of one lexicon word ("nỗ lực"). */
const LEXICON_BONUS = 1;
const LM_WEIGHT = 1;
/** LM log-probability of a chunk kept as an unknown token. */
const UNKNOWN_LOG_PROB = -10;
/** Costs of keeping a chunk verbatim, by what it looks like. */
const KEEP_COST = { number: 0, knownAbbreviation: 0, unknownCode: 2, listLetter: 3, abbreviation: 3, digitWord: 6, unknown: 9, damaged: 24 };
/** A syllable candidate above this channel cost does not count as an explanation of the chunk. */
export const EXPLAINED_COST = 7;
/** Syllable readings tried for each part of a glued chunk (measured: 3 lost "thiểu" of "t6ithi€u"; 8 no better than 5). */
const SPLIT_PART_CANDIDATES = 5;
/** Candidates of a chunk always in the lattice; the rest are reserves (see activateReserves). */
const ACTIVE_CANDIDATES = 8;
/** Channel cost above which a reading of mostly-correct text is a reserve (its mark differs from the OCR's). */
const ACCENTED_ACTIVE_COST = 5;
/** ln P(w2 | w1) above which a bigram calls a reserve into the lattice. */
const STRONG_BIGRAM = -3;
/**
 * The same for OCR text with Vietnamese marks, where a reserve is a mark the OCR got wrong ("đâu tư"
 * for "đầu tư", ln P = -3.27). Measured on the raw OCR of the samples repaired with
 * leave-one-document-out models: -3 → -4 gains fax150 99.12 → 99.19, poor150 98.47 → 98.55,
 * office200 99.54 → 99.57; -5 gains 0.02 more but changes more correct text (pass-through 99.959% →
 * 99.948% at -4, 99.938% at -5); -6 loses on document 001.
 */
const ACCENTED_STRONG_BIGRAM = -4;
/** ln P(w2 | w1) above which a neighbour proposes a reading the search did not find. */
const PROPOSING_BIGRAM = -2.5;
/** Channel cost up to which a proposed reading enters the lattice. */
const PROPOSAL_MAX_COST = 16;
/** How many readings of each neighbour propose. */
const PROPOSING_READINGS = 4;
/** How many readings one neighbouring reading may propose (its strongest partners; measured: 6 gains over 4 on 001, 004, 000a, 12 hardly more). */
const PROPOSALS_PER_WORD = 6;
/**
 * A chunk no syllable explains for less than WIDE_PROPOSALS_COST takes proposals from weaker and
 * more bigrams. Measured on the bench folds: the 000a halves gain 0.6 and 0.55, 000a left out 1.2,
 * 004 0.09; a cold repair of 001 takes about 1.5 times as long. Proposing that widely for every
 * chunk gains more on 000a left out only, for more time still.
 */
const WIDE_PROPOSALS_COST = 2;
const WIDE_PROPOSING_BIGRAM = -4;
const WIDE_PROPOSALS_PER_WORD = 12;
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

/** I to XXXIX: the numerals of headings, parts, quarters and congress terms. */
const SMALL_ROMAN_NUMERAL = /^X{0,3}(?:IX|IV|V?I{0,3})$/;
/** Cost of reading a digit "1", an "l" or a bar as the "I" of a Roman numeral. */
const ROMAN_LOOKALIKE_COST = 2;

/**
 * A Roman numeral whose "I"s were read as "1", "l" or "|" ("I11." for "III.", "XVI1" for
 * "XVII", "phần Il" for "phần II"), or undefined. At least one letter among them, so that a
 * number ("11") stays a number.
 */
function romanLookalike(core: string): string | undefined {
  if (core.length < 2 || !/^[IVXl1|]+$/.test(core) || !/[l1|]/.test(core) || !/[IVXl]/.test(core)) return undefined;
  const numeral = core.replace(/[l1|]/g, 'I');
  return SMALL_ROMAN_NUMERAL.test(numeral) ? numeral : undefined;
}

function keepAlternative(model: RepairModel, core: string): Alternative {
  const lower = canonicalSyllable(core.toLowerCase());
  if (model.syllableSet.has(lower)) {
    return alternative(core, [lmIdOf(model, lower)], KEEP_COST.unknown, true);
  }
  if (isNumeric(core)) return alternative(core, [lmIdOf(model, numberToken(core))], KEEP_COST.number, false);
  // "1y", "1am": a digit standing for "l" in a short word; longer codes ("4G", "06-NQ/TU") are kept.
  if (/^\d/.test(core)) {
    // A code's letter parts should be known abbreviations ("749/QĐ-TTg"); "749/QD-TTg" is damaged.
    const unknownPart = (core.match(/\p{L}[\p{L}&]+/gu) ?? []).some((p) => !model.abbreviations.has(p));
    // "1am", "1€", "16n": a digit for "l" (and one for a marked vowel) and lowercase letters or look-alikes after it is a damaged word.
    const digitWord = /^\d\d?(?:\p{Ll}|[^\p{L}\d.,/%:\-–])+$/u.test(core) && [...core].length <= 5;
    const cost = digitWord ? KEEP_COST.digitWord : unknownPart ? KEEP_COST.unknownCode : KEEP_COST.number;
    return alternative(core, [lmIdOf(model, NUMBER_TOKEN)], cost, false);
  }
  const parts = core.split(/[-/&]/).filter(Boolean);
  if (parts.length > 0 && parts.every((p) => model.abbreviations.has(p) || isNumeric(p) || isRomanNumeral(p))) {
    return alternative(core, [lmIdOf(model, ABBREVIATION_TOKEN)], KEEP_COST.knownAbbreviation, false);
  }
  if (isCapitalsCode(core)) {
    // Capitals that cannot spell a syllable ("VP", "GRDP") are an abbreviation as written.
    const cost = /^\p{Lu}+$/u.test(core) && !model.skeletons.has(stripMarks(core.toLowerCase())) ? KEEP_COST.knownAbbreviation : KEEP_COST.abbreviation;
    return alternative(core, [lmIdOf(model, ABBREVIATION_TOKEN)], cost, false);
  }
  // Digits or stray capitals inside a lowercase word are damage, never a word as written.
  // So are two words run together at a speck ("cao.nhfln"; "v.v" is an abbreviation).
  const damaged = /\p{Ll}/u.test(core) && (/\p{L}\d|\d\p{Ll}|\p{L}{2}[.,;:'"’‘“”]\p{L}{2}/u.test(core) || channelForm(core) !== core.toLowerCase());
  return alternative(core, [lmIdOf(model, UNKNOWN_TOKEN)], damaged ? KEEP_COST.damaged : KEEP_COST.unknown, false);
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
  return alternative(text, [lmIdOf(model, /^\d/.test(core) ? NUMBER_TOKEN : ABBREVIATION_TOKEN)], 1, false);
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

function syllableAlternatives(model: RepairModel, core: string, mode: DamageMode, part = false, thorough = false): Alternative[] {
  const pattern = caseOf(core);
  // only mostly-correct text keeps a syllable as written
  const asWritten = mode === 'accented' ? canonicalSyllable(core.toLowerCase()) : undefined;
  return model
    .candidates(channelFormOf(core), mode, part && !thorough)
    .slice(0, part ? SPLIT_PART_CANDIDATES : Infinity)
    .map(({ syllable, cost }, rank) => {
      const word = model.syllables[syllable]!;
      // A syllable read as written keeps its exact spelling (old-style tone placement included).
      const text = word === asWritten ? core : applyCase(word, pattern);
      // In mostly-correct text a mark the OCR did not write is a reserve: only a strong neighbour calls it in.
      const reserve = rank >= ACTIVE_CANDIDATES || (mode === 'accented' && rank > 0 && word !== asWritten && cost > ACCENTED_ACTIVE_COST);
      return alternative(text, [model.syllableLmId[syllable]!], cost, true, reserve);
    });
}

/** A number written with look-alike letters ("l5" → "15"), or undefined. */
function asNumber(part: string): string | undefined {
  if (!/\d/.test(part) || !/^[\dlIoO.,/%\-–]+$/.test(part)) return undefined;
  return part.replace(/[lI]/g, '1').replace(/[oO]/g, '0');
}

const digitsMemo = new WeakMap<RepairModel, Map<string, Array<[string, number]>>>();
const NO_DIGITS: Array<[string, number]> = [];

/** The number characters each OCR segment may stand for and their channel costs, in NUMBER_CHARS order, per model. */
function digitsBySegment(model: RepairModel): Map<string, Array<[string, number]>> {
  let digits = digitsMemo.get(model);
  if (!digits) {
    digits = new Map();
    for (const digit of NUMBER_CHARS) {
      for (const [segment, cost] of Object.entries(model.channel.substitutions[digit] ?? {})) {
        let list = digits.get(segment);
        if (!list) digits.set(segment, (list = []));
        list.push([digit, cost]);
      }
    }
    digitsMemo.set(model, digits);
  }
  return digits;
}

/** Highest channel cost at which a damaged number is read as digits (measured: 14 gains on the 000a folds over 12). */
const NUMBER_READING_MAX_COST = 14;
/**
 * A percent sign read as three characters ("50o/o", "600/o"): the ring, the slash and the ring,
 * longer than any segment the channel learns (MAX_SEGMENT).
 */
const PERCENT_LOOKALIKES = new Set(['o/o', '0/o', 'o/0']);
const PERCENT_LOOKALIKE_COST = 1;

/**
 * A number damaged by look-alikes read with the channel's digits ("70%o" → "70%", "lO%" → "10%"),
 * separators kept; undefined when the channel cannot read it as a number cheaply.
 */
function numberReading(model: RepairModel, core: string, part = false): Alternative | undefined {
  // The channel's segments are lowercase ("15Yo": "15%").
  const chars = [...core.toLowerCase()];
  // A percent sign marks a number even when all its digits are look-alikes ("lOO%", "gO%").
  if (chars.length > 10 || !/[\d%]/.test(core) || isNumeric(core)) return undefined;
  const digits = digitsBySegment(model);
  const best = new Array<number>(chars.length + 1).fill(Infinity);
  const text = new Array<string>(chars.length + 1).fill('');
  best[0] = 0;
  const relax = (to: number, cost: number, reading: string) => {
    if (cost < best[to]!) {
      best[to] = cost;
      text[to] = reading;
    }
  };
  for (let j = 0; j < chars.length; j++) {
    if (best[j] === Infinity) continue;
    if (/[.,/:\-–]/.test(chars[j]!)) relax(j + 1, best[j]!, text[j]! + chars[j]!);
    if (j + 3 === chars.length && PERCENT_LOOKALIKES.has(chars.slice(j).join(''))) relax(j + 3, best[j]! + PERCENT_LOOKALIKE_COST, text[j]! + '%');
    let segment = '';
    for (let k = 1; k <= MAX_SEGMENT && j + k <= chars.length; k++) {
      segment += chars[j + k - 1]!;
      for (const [digit, cost] of digits.get(segment) ?? NO_DIGITS) {
        // one percent sign, at the end ("4oyo" is "40%", not "4%%")
        if (digit === '%' && j + k < chars.length) continue;
        relax(j + k, best[j]! + cost, text[j]! + digit);
      }
    }
  }
  const reading = text[chars.length]!;
  if (best[chars.length]! > NUMBER_READING_MAX_COST || reading === core || !/\d/.test(reading)) return undefined;
  // A whole chunk with one digit among letters is more often a word with a marked vowel ("4o": "ảo")
  // unless it reads as a percentage ("4oyo": "40%"); a part of a glued chunk competes with its
  // syllable readings anyway ("9}yo": "90%"). Which of the two the context wants, the LM says.
  if (!part && !/%|\d.*\d/.test(core) && !reading.endsWith('%')) return undefined;
  return alternative(reading, [lmIdOf(model, numberToken(reading))], best[chars.length]!, false);
}

/** Shortest chunk tried as three or more glued words ("dattren" is "đạt trên"; "dat70%" two words). */
const MIN_THREE_GLUED_LENGTH = 7;
/** Most words one chunk is read as: "d4ttr€n40%o" is "đạt trên 40%". */
const MAX_GLUED_PARTS = 4;
/** Longest part of a glued chunk: a syllable has at most 8 letters, a number may be longer. */
const MAX_PART_LENGTH = 12;
/** Partial readings kept per position while splitting a glued chunk. */
const SPLIT_READINGS_PER_POSITION = 4;

/** Characters a speck between two glued words is read as. */
const SPECKS = new Set([...'.,;:\'"’‘“”-']);

/** A reading of the first characters of a glued chunk: its last word and the words before it. */
interface PartialSplit {
  /** The reading of the words before the last one; null when the last one is the first. */
  prefix: PartialSplit | null;
  last: Alternative;
  /** The characters of the chunk the last word is read from. */
  lastOcr: string;
  parts: number;
  cost: number;
  /** Channel cost and LM cost of the words inside the chunk: what the readings are pruned by. */
  rank: number;
}

/**
 * Readings of a chunk as two to MAX_GLUED_PARTS glued words: "ndm2025" → "năm 2025", "S6105" →
 * "Số 105", "d4ttr€n40%o" → "đạt trên 40%".
 */
function splitAlternatives(model: RepairModel, core: string, mode: DamageMode): Alternative[] {
  const found = splitsWith(model, core, mode, (part) => memoisedPartReadings(model, part, mode));
  if (mode !== 'damaged' || found.some((a) => a.cost <= EXPLAINED_COST + model.channel.glueCost)) return found;
  // No split read by common damage explains the chunk: two words, a part no common damage reads
  // searched with the rare confusions too ("theJquy": "J" for "o"). Measured on the bench folds:
  // 000a 2nd half +0.4, 000a left out +0.95, the others unchanged; more words, or every part
  // searched so, gain no more for more time.
  const readings = (part: string): Alternative[] => {
    const common = memoisedPartReadings(model, part, mode);
    return common.some((a) => a.syllabic) ? common : memoisedPartReadings(model, part, mode, true);
  };
  const thorough = gluedReadings(model, core, mode, 2, readings);
  return thorough.length > 0 ? thorough : found;
}

function splitsWith(model: RepairModel, core: string, mode: DamageMode, readings: (part: string) => Alternative[]): Alternative[] {
  // Two words first; more only where two explain the chunk nowhere well (searching every part of a chunk costs much).
  const two = gluedReadings(model, core, mode, 2, readings);
  const explained = two.some((a) => a.cost <= EXPLAINED_COST + model.channel.glueCost);
  return explained || [...core].length < MIN_THREE_GLUED_LENGTH ? two : gluedReadings(model, core, mode, MAX_GLUED_PARTS, readings);
}

/** Readings of parts of glued chunks, per model and mode: the same parts recur in many chunks of a document. */
const partReadingsMemo: AlternativesMemo = new WeakMap();
/** The same, read with the rare confusions too. */
const thoroughPartReadingsMemo: AlternativesMemo = new WeakMap();

function memoisedPartReadings(model: RepairModel, part: string, mode: DamageMode, thorough = false): Alternative[] {
  const memo = memoOf(thorough ? thoroughPartReadingsMemo : partReadingsMemo, model, mode);
  let readings = memo.get(part);
  if (!readings) memo.set(part, (readings = partReadings(model, part, mode, thorough)));
  return readings;
}

/** What the neighbouring words of a part of glued chunks propose for it, by part, per model and mode. */
const gluedProposalsMemo = new WeakMap<RepairModel, Record<DamageMode, Map<string, PartProposals | null>>>();

interface PartProposals {
  proposed: ProposedCore;
  /** LM ids of the part's own one-token readings. */
  own: Set<number>;
  /** By neighbouring LM id (words before: id; words after: -1 - id). */
  byNeighbour: Map<number, Alternative[]>;
}

/** The proposals memo of a part of glued chunks; null when its own readings explain it well (see poorlyExplained). */
function partProposals(model: RepairModel, part: string, mode: DamageMode): PartProposals | null {
  let byMode = gluedProposalsMemo.get(model);
  if (!byMode) gluedProposalsMemo.set(model, (byMode = { damaged: new Map(), accented: new Map() }));
  const memo = byMode[mode];
  let known = memo.get(part);
  if (known === undefined) {
    const own = memoisedPartReadings(model, part, mode);
    known = poorlyExplained(own)
      ? { proposed: { ocr: model.segmentsOf(channelFormOf(part)), pattern: caseOf(part), skeleton: stripMarks(part.toLowerCase()) }, own: readingIdsOf(own).singles, byNeighbour: new Map() }
      : null;
    if (memo.size >= ALTERNATIVES_MEMO_SIZE) memo.clear();
    memo.set(part, known);
  }
  return known;
}

/**
 * Syllables that often follow (side 'right') or precede (side 'left') LM id `neighbour` and that
 * the channel can read the part as, beyond the part's own readings (the cheap search's few).
 * Measured on the bench folds: 000a halves +0.35/+0.55, 000a left out +0.16, the others
 * unchanged; the wide proposals' bigrams (WIDE_*) gain only on 000a left out (+0.3), for twice
 * the added time.
 */
function proposalsBeside(model: RepairModel, part: PartProposals, neighbour: number, side: 'left' | 'right', mode: DamageMode): Alternative[] {
  const key = side === 'left' ? -1 - neighbour : neighbour;
  let proposals = part.byNeighbour.get(key);
  if (!proposals) {
    proposals = [];
    const partners = model.lm.strongBigrams(PROPOSING_BIGRAM, PROPOSALS_PER_WORD)[side];
    for (let k = partners.start[neighbour]!; k < partners.start[neighbour + 1]!; k++) {
      const w = partners.list[k]!;
      if (part.own.has(w)) continue;
      const proposal = proposalFor(part.proposed, w, model, mode);
      if (proposal) proposals.push(proposal);
    }
    part.byNeighbour.set(key, proposals);
  }
  return proposals;
}

/** Readings of one part of a glued chunk: a number, syllables (of common damage unless thorough). */
function partReadings(model: RepairModel, part: string, mode: DamageMode, thorough: boolean): Alternative[] {
  const number = asNumber(part);
  if (number === part) return [alternative(number, [lmIdOf(model, numberToken(number))], 0, false)];
  const syllables = /\p{L}/u.test(part) ? syllableAlternatives(model, part, mode, true, thorough) : [];
  // Old text layers: the learned channel reads the look-alikes ("40%o" → "40%", not "40%0").
  const damagedNumber = mode === 'damaged' ? numberReading(model, part, true) : undefined;
  const digits = damagedNumber ?? (number !== undefined ? alternative(number, [lmIdOf(model, numberToken(number))], 2, false) : undefined);
  // A new array, not a push: pushing a reading into the empty literal (small integers only) sent the
  // optimised code back to the interpreter on the first real page.
  return digits ? [...syllables, digits] : syllables;
}

/**
 * Readings of a chunk as two to maxParts words, left to right, keeping at every position the best
 * readings of what lies before it (channel cost and the LM's word sequence inside the chunk).
 */
function gluedReadings(model: RepairModel, core: string, mode: DamageMode, maxParts: number, readings: (part: string) => Alternative[]): Alternative[] {
  const chars = [...core];
  // Where each character starts in the core (UTF-16 units): parts are cut by slicing.
  const starts = [0];
  for (const ch of chars) starts.push(starts[starts.length - 1]! + ch.length);
  // "vd.doanh", "vir,an": in old text layers two words run together at a speck read as punctuation; the speck is damage.
  const speckAt = (i: number): boolean => mode === 'damaged' && i < chars.length - 1 && SPECKS.has(chars[i]!);
  const lm = model.lm;
  // The readings of every position inside the chunk, best rank first, only as many as the next
  // parts extend (a longer list, sorted stably and cut, keeps the same ones); all at the end.
  const partial: PartialSplit[][] = Array.from({ length: chars.length + 1 }, () => []);
  const end = chars.length;
  const rankAfter = (prefix: PartialSplit | null, last: Alternative): number => {
    const first = last.lmIds[0]!;
    let rank = last.cost;
    if (prefix) {
      const previous = prefix.last.lmIds[prefix.last.lmIds.length - 1]!;
      rank += prefix.rank + model.channel.glueCost - LM_WEIGHT * lm.logProbInContext(-1, previous, first);
    } else rank -= LM_WEIGHT * lm.unigramLogProb(first);
    return rank;
  };
  const split = (prefix: PartialSplit | null, last: Alternative, lastOcr: string, rank: number): PartialSplit => {
    let cost = last.cost;
    if (prefix) cost += prefix.cost + model.channel.glueCost;
    return { prefix, last, lastOcr, parts: (prefix?.parts ?? 0) + 1, cost, rank };
  };
  /** Whether a reading of this rank enters position `to`'s list (ties: the earlier reading first). */
  const enters = (to: number, rank: number): boolean => {
    const list = partial[to]!;
    return to === end || list.length < SPLIT_READINGS_PER_POSITION || rank < list[SPLIT_READINGS_PER_POSITION - 1]!.rank;
  };
  const place = (to: number, reading: PartialSplit): void => {
    const list = partial[to]!;
    if (to === end) {
      list.push(reading);
      return;
    }
    let at = list.length;
    while (at > 0 && list[at - 1]!.rank > reading.rank) at--;
    list.splice(at, 0, reading);
    if (list.length > SPLIT_READINGS_PER_POSITION) list.pop();
  };
  const extendWith = (prefix: PartialSplit | null, last: Alternative, lastOcr: string, to: number, rank: number): void => {
    const speck = speckAt(to);
    if (!enters(to, rank) && !(speck && enters(to + 1, rank))) return;
    const extended = split(prefix, last, lastOcr, rank);
    if (enters(to, rank)) place(to, extended);
    if (speck && enters(to + 1, rank)) place(to + 1, extended);
  };
  const extend = (prefix: PartialSplit | null, last: Alternative, lastOcr: string, to: number): void => extendWith(prefix, last, lastOcr, to, rankAfter(prefix, last));
  for (let from = 0; from < chars.length; from++) {
    const before: Array<PartialSplit | null> = from === 0 ? [null] : partial[from]!;
    if (before.length === 0) continue;
    // What the words after may propose for the last word of each prefix.
    const replaceable = before.map((prefix) => (prefix ? partProposals(model, prefix.lastOcr, mode) : null));
    // Prefixes of maxParts - 1 words leave one part: the rest of the chunk.
    const lastPart = before.every((p) => (p?.parts ?? 0) >= maxParts - 1);
    for (let to = lastPart ? chars.length : from + 1; to <= chars.length && to - from <= MAX_PART_LENGTH; to++) {
      if (from === 0 && to === chars.length) continue; // the whole chunk is no split
      const part = core.slice(starts[from], starts[to]);
      const own = readings(part);
      const proposable = from > 0 ? partProposals(model, part, mode) : null;
      before.forEach((prefix, b) => {
        const parts = prefix?.parts ?? 0;
        if (parts >= maxParts || (parts === maxParts - 1 && to < chars.length)) return;
        const replacing = replaceable[b];
        for (const reading of own) {
          extend(prefix, reading, part, to);
          // The word after proposes its strong partners for the word before ("thntuc": "tục" asks for "thủ").
          if (!prefix || !replacing || !reading.syllabic) continue;
          for (const proposal of proposalsBeside(model, replacing, reading.lmIds[0]!, 'left', mode)) {
            if (proposal.lmIds[0] !== prefix.last.lmIds[0]) {
              const replaced = split(prefix.prefix, proposal, prefix.lastOcr, rankAfter(prefix.prefix, proposal));
              extend(replaced, reading, part, to);
            }
          }
        }
        // The word before proposes its strong partners the part's own readings lack ("t6ithi€u": "tối" asks for "thiểu").
        if (proposable && prefix?.last.syllabic) for (const proposal of proposalsBeside(model, proposable, prefix.last.lmIds[prefix.last.lmIds.length - 1]!, 'right', mode)) extend(prefix, proposal, part, to);
      });
    }
  }
  // One reading per text: a speck read as a separator or as an inserted character spells the same words.
  const byText = new Map<string, Alternative>();
  for (const split of partial[chars.length]!.sort((a, b) => a.rank - b.rank)) {
    if (byText.size >= MAX_SPLIT_ALTERNATIVES) break;
    const words: Alternative[] = [];
    for (let p: PartialSplit | null = split; p; p = p.prefix) words.unshift(p.last);
    const text = words.map((w) => w.text).join(' ');
    const seen = byText.get(text);
    if (!seen || split.cost < seen.cost) byText.set(text, alternative(text, words.flatMap((w) => w.lmIds), split.cost, words.every((w) => w.syllabic)));
  }
  return [...byText.values()];
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

/** The letter a one-character chunk is read as in a run of list letters ("¢" for an expected "c"), if any. */
function runLetter(model: RepairModel, chunk: ChunkLattice, expected: string | undefined): string | undefined {
  if (chunk.lead || [...chunk.core].length !== 1) return undefined;
  const core = chunk.core;
  if (/\p{L}/u.test(core)) return expected === undefined || core.toLowerCase() === expected ? core : undefined;
  if (expected === undefined) return undefined;
  return (model.channel.substitutions[expected]?.[core] ?? Infinity) < Infinity ? expected : undefined;
}

/**
 * Letters in alphabetical order, one after the other at commas ("tiết a, b, c, d", "điểm b, c"), are the
 * items of a legal reference, never words: a run of two or more is fixed as the letters.
 */
function fixLetterRuns(lattice: ChunkLattice[], model: RepairModel): void {
  const punct = lmIdOf(model, PUNCT_TOKEN);
  const fix = (k: number, text: string) => (lattice[k]!.alternatives = [alternative(text, [punct], 0, false)]);
  for (let i = 0; i < lattice.length; ) {
    const first = runLetter(model, lattice[i]!, undefined);
    const run = first === undefined ? [] : [{ at: i, text: first }];
    let rank = first === undefined ? -1 : LIST_LETTERS.indexOf(first.toLowerCase());
    while (rank >= 0) {
      const last = run[run.length - 1]!.at;
      const expected = LIST_LETTERS[rank + 1];
      const next = lattice[last + 1];
      if (!next) break;
      // "a, b, c" or "a, b và c": a comma, or "và"/"hoặc", before the next letter
      const conjunction = !lattice[last]!.trail && /^(va|hoac)$/.test(stripMarks(next.core.toLowerCase()));
      const at = conjunction ? last + 2 : last + 1;
      const letter = lattice[at] && (conjunction || lattice[last]!.trail.startsWith(',')) ? runLetter(model, lattice[at]!, expected) : undefined;
      if (letter === undefined) break;
      run.push({ at, text: letter });
      rank++;
      if (conjunction) break;
    }
    if (run.length >= 2) run.forEach(({ at, text }) => fix(at, text));
    i = run.length ? run[run.length - 1]!.at + 1 : i + 1;
  }
}

/**
 * The list markers opening lines ("a)", "b)", "c)") count on through the document: a look-alike
 * marker ("¢)" or "€)" after "b)", "@)" after "e)") is the letter after the previous marker, the
 * count being surer than the channel, which reads "€" in words as "e" (4 markers of the samples'
 * OCR); before any marker, the letter the channel likes best (coreAlternatives).
 */
function fixListMarkers(lattice: ChunkLattice[], model: RepairModel): void {
  const punct = lmIdOf(model, PUNCT_TOKEN);
  let previous = -1;
  lattice.forEach((chunk, i) => {
    const opensLine = i === 0 || lattice[i - 1]!.line !== chunk.line;
    if (!opensLine || chunk.lead || !chunk.trail.startsWith(')')) return;
    const written = LIST_LETTERS.indexOf(chunk.core.toLowerCase());
    if (written >= 0) {
      previous = written;
      return;
    }
    const expected = LIST_LETTERS[previous + 1];
    if (expected === undefined || [...chunk.core].length !== 1 || /[\p{L}\d]/u.test(chunk.core)) return;
    chunk.alternatives = [alternative(expected, [punct], 0, false)];
    previous++;
  });
}

/** Alternatives of a core, memoised per model and mode: chunks recur throughout a document. */
const alternativesMemo: AlternativesMemo = new WeakMap();
const ALTERNATIVES_MEMO_SIZE = 100_000;

/** Readings memoised by a string, per model and damage mode. */
type AlternativesMemo = WeakMap<RepairModel, Record<DamageMode, Map<string, Alternative[]>>>;

/** The memo of a model and mode, emptied when full (its strings come from ever new documents). */
function memoOf(memos: AlternativesMemo, model: RepairModel, mode: DamageMode): Map<string, Alternative[]> {
  let byMode = memos.get(model);
  if (!byMode) memos.set(model, (byMode = { damaged: new Map(), accented: new Map() }));
  const memo = byMode[mode];
  if (memo.size >= ALTERNATIVES_MEMO_SIZE) memo.clear();
  return memo;
}

function memoisedCoreAlternatives(model: RepairModel, core: string, trail: string, mode: DamageMode): Alternative[] {
  const memo = memoOf(alternativesMemo, model, mode);
  const key = trail.startsWith(')') ? core + ')' : core;
  let alternatives = memo.get(key);
  if (!alternatives) memo.set(key, (alternatives = coreAlternatives(model, core, trail, mode)));
  return alternatives;
}

function coreAlternatives(model: RepairModel, core: string, trail: string, mode: DamageMode): Alternative[] {
  // List markers "a)", "b)", "đ)" are never words; a look-alike marker ("¢)") is read as the likeliest letter.
  if ([...core].length === 1 && trail.startsWith(')')) return [alternative(listLetter(model, core), [lmIdOf(model, PUNCT_TOKEN)], 0, false)];
  const alternatives: Alternative[] = [];
  // A lone consonant is a listed item ("điểm b, c") or a damaged syllable ("s" for "số"): the context decides.
  if (/^[bcdđghklmnpqrstvx]$/.test(core)) alternatives.push(alternative(core, [lmIdOf(model, PUNCT_TOKEN)], KEEP_COST.listLetter, false));
  const restored = restoredAbbreviation(model, core);
  // "HDND" beside a known "HĐND": the letters as written are the damaged form, not another abbreviation
  const written = keepAlternative(model, core);
  const keep = restored ? withCost(written, Math.max(written.cost, KEEP_COST.abbreviation)) : written;
  const letters = [...core].filter(isLetter).length;
  const digits = (core.match(/\d/g) ?? []).length;
  const pureNumber = isNumeric(core);
  // Look-alike symbols, with digits or not, stand for short words: "&" for "ở", "¢6" for "có", "1€" for "lệ".
  const symbolic = mode === 'damaged' && letters === 0 && [...core].length <= 3 && /[^\d.,/%:\-–]/u.test(core);
  // In old text layers capitals that spell no syllable as written may be a damaged heading ("POI" for "ĐỐI").
  const capitals = mode === 'damaged' && keep.lmIds[0] === lmIdOf(model, ABBREVIATION_TOKEN) && !model.abbreviations.has(core);
  if (!pureNumber && (letters > 0 || symbolic) && [...core].length <= 9 && (keep.cost > 0 || capitals)) {
    alternatives.push(...syllableAlternatives(model, core, mode));
  }
  // A verbatim syllable is already among the candidates (identity path of the channel).
  const damagedNumber = mode === 'damaged' ? numberReading(model, core) : undefined;
  if (damagedNumber) {
    alternatives.push(damagedNumber);
    // Kept as written, a number with look-alikes in it is a damaged code.
    alternatives.push(withCost(keep, Math.max(keep.cost, KEEP_COST.damaged)));
  } else if (!(keep.syllabic && alternatives.some((a) => a.text === core))) alternatives.push(keep);
  if (restored) alternatives.push(restored);
  const roman = romanLookalike(core);
  if (roman) alternatives.push(alternative(roman, [lmIdOf(model, ABBREVIATION_TOKEN)], ROMAN_LOOKALIKE_COST, false));
  const bestSyllable = alternatives.filter((a) => a.syllabic).reduce((m, a) => Math.min(m, a.cost), Infinity);
  const glued = (letters > 0 && digits >= 2 && !/^\d/.test(core)) || ([...core].length >= MIN_GLUED_LENGTH && letters >= 2 && bestSyllable > EXPLAINED_COST && mode === 'damaged');
  if (glued && !pureNumber) alternatives.push(...splitAlternatives(model, core, mode));
  // "S6:154/KH-UBND": a word and a number glued at a colon.
  const labelled = /^([^:\d][^:]{0,5}):(\d.*)$/u.exec(core);
  if (labelled) {
    const number = lmIdOf(model, NUMBER_TOKEN);
    for (const word of syllableAlternatives(model, labelled[1]!, mode, true)) {
      alternatives.push(alternative(`${word.text}: ${labelled[2]}`, [...word.lmIds, lmIdOf(model, SENTENCE_START), number], word.cost, false));
    }
  }
  return alternatives;
}

/**
 * Every ChunkLattice is made here, with all its fields in one order: the beam search reads the
 * chunks of a document and those of the windows decoded again (see document-prior.ts) at one shape.
 */
function chunkLattice(
  line: number,
  source: string,
  core: string,
  lead: string,
  trail: string,
  leadIds: number[],
  trailIds: number[],
  isWord: boolean,
  paragraphEnd: boolean,
  alternatives: Alternative[],
): ChunkLattice {
  return { line, source, core, lead, trail, leadIds, trailIds, isWord, paragraphEnd, alternatives };
}

/** The chunk with other alternatives. */
export function withAlternatives(chunk: ChunkLattice, alternatives: Alternative[]): ChunkLattice {
  const { line, source, core, lead, trail, leadIds, trailIds, isWord, paragraphEnd } = chunk;
  return chunkLattice(line, source, core, lead, trail, leadIds, trailIds, isWord, paragraphEnd, alternatives);
}

/**
 * Builds the lattice: punctuation becomes fixed arcs, cores get their alternatives, read with
 * `readerOf(core)` (the model by default; see adapt-channel.ts).
 */
export function buildLattice(
  text: string,
  model: RepairModel,
  mode: DamageMode,
  readerOf: (core: string) => RepairModel = () => model,
): { lattice: ChunkLattice[]; lines: Array<{ chunks: string[]; spaces: string[] }> } {
  const lattice: ChunkLattice[] = [];
  const punct = lmIdOf(model, PUNCT_TOKEN);
  const start = lmIdOf(model, SENTENCE_START);
  const lines = text.split('\n').map((line) => splitLine(line));
  lines.forEach(({ chunks }, lineIndex) => {
    let lineStart = true;
    const parts = chunks.filter(Boolean).map((chunk) => ({ chunk, ...splitChunk(chunk) }));
    const heading = mode === 'damaged' && isCapitalsHeading(parts.map((part) => part.core));
    for (const { chunk, lead, core, trail } of parts) {
      const leadIds = lead ? [punct] : [];
      const trailIds = trail ? [endsSentence(trail) ? start : punct] : [];
      // "* Nội dung", "VI. KINH PHÍ": a bullet or a heading's Roman numeral opening a line is no damaged word
      const numeral = lineStart && trail.startsWith('.') ? (isRomanNumeral(core) ? core : romanLookalike(core)) : undefined;
      const marker = lineStart && BULLET.test(core) ? core : numeral;
      lineStart = false;
      let cores = marker ? [alternative(marker, [punct], 0, false)] : core ? memoisedCoreAlternatives(readerOf(core), core, trail, mode) : EMPTY_CORE;
      // a capital where no sentence starts: after a word (not a number, a marker or a heading in capitals) and no sentence end
      const previous = lattice[lattice.length - 1];
      const midSentence = previous && /\p{Ll}/u.test(previous.core) && !endsSentence(previous.trail);
      if (!marker && midSentence && mode === 'accented' && isCapitalisedVowel(core)) {
        cores = withLowercaseReadings(cores, memoisedCoreAlternatives(readerOf(core), core.toLowerCase(), trail, mode), model);
      } else if (!marker && midSentence && CAPITALISED_WORD.test(core)) cores = withCapitalisation(cores, model);
      if (heading && !marker) cores = asHeadingWord(cores, core, model);
      lattice.push(chunkLattice(lineIndex, chunk, core, lead, trail, leadIds, trailIds, cores.some((a) => a.syllabic) || /\p{Ll}/u.test(core), false, cores));
    }
    const next = lines[lineIndex + 1];
    const last = lattice[lattice.length - 1];
    if (last && (!next || next.chunks.every((c) => !c))) last.paragraphEnd = true;
  });
  fixLetterRuns(lattice, model);
  fixListMarkers(lattice, model);
  activateReserves(lattice, model, mode);
  return { lattice, lines };
}

const BULLET = /^[*•●■◦▪+]+$/u;
const CAPITALISED_WORD = /^\p{Lu}\p{Ll}+$/u;
/** Weight of the capitalisation evidence beside the channel's and the language model's (measured: 2 reads worse than 1). */
const CAPITALISATION_WEIGHT = 1;
const capitalisedMemo = new WeakMap<Alternative[], Alternative[]>();

/**
 * The alternatives of a word written with a capital where no sentence starts, each syllable
 * costing what its capital says against the likeliest capitalised one: "Ban" in "gửi Ban Thi
 * đua" is the "Ban" of names and bodies rather than "bản", which is seldom capitalised there.
 */
function withCapitalisation(alternatives: Alternative[], model: RepairModel): Alternative[] {
  let adjusted = capitalisedMemo.get(alternatives);
  if (adjusted) return adjusted;
  const share = model.capitalisedLogShare;
  const single = (a: Alternative) => a.syllabic && a.lmIds.length === 1;
  let least = Infinity;
  for (const a of alternatives) if (single(a)) least = Math.min(least, -share[a.lmIds[0]!]!);
  adjusted = least === Infinity ? alternatives : alternatives.map((a) => (single(a) ? withCost(a, a.cost + CAPITALISATION_WEIGHT * (-share[a.lmIds[0]!]! - least)) : a));
  capitalisedMemo.set(alternatives, adjusted);
  return adjusted;
}
const EMPTY_CORE: Alternative[] = [alternative('', [], 0, false)];

/** A capitalised word opening with a vowel ("Ứng"), or a lone capital vowel with a mark ("Ở"; "A" may be a list letter). */
function isCapitalisedVowel(core: string): boolean {
  const decomposed = core.normalize('NFD');
  return /^[AEIOUY]/.test(decomposed) && (CAPITALISED_WORD.test(core) || (core.length === 1 && decomposed.length > 1));
}
/**
 * ln of how often the Vietnamese OCR model writes a small vowel opening a word as a capital
 * ("triển khai Ứng dụng", "thi đua Ở một số"): in the raw OCR of the samples (001, 002, 004 in
 * fax150, office200, poor150, color200) 9 of the 88 words opening with a small u or ư mid-sentence
 * and 1 of 14 with o; no consonant (c, s, v, x: 4,500 words).
 */
const VOWEL_CAPITAL_COST = -Math.log(0.1);
const lowercaseMemo = new WeakMap<Alternative[], Alternative[]>();

/**
 * The readings of OCR text's vowel written with a capital where no sentence starts: as written,
 * each syllable costing how seldom it is capitalised there (ln P(capital | syllable)), or in
 * lowercase, costing the OCR's capital (VOWEL_CAPITAL_COST). "Ủy" of "Ủy ban" stays, "Ứng" of
 * "triển khai Ứng dụng" is read "ứng".
 */
function withLowercaseReadings(alternatives: Alternative[], lowercase: Alternative[], model: RepairModel): Alternative[] {
  let combined = lowercaseMemo.get(alternatives);
  if (combined) return combined;
  const share = model.capitalisedLogShare;
  combined = [];
  for (const a of alternatives) combined.push(a.syllabic && a.lmIds.length === 1 ? withCost(a, a.cost - share[a.lmIds[0]!]!) : a);
  for (const a of lowercase) combined.push(withCost(a, a.cost + VOWEL_CAPITAL_COST));
  lowercaseMemo.set(alternatives, combined);
  return combined;
}

/** Words of a heading in capitals, of which at most this share may have a lowercase letter. */
const HEADING_MIN_WORDS = 3;
const HEADING_LOWERCASE_SHARE = 0.25;
/**
 * Keeping an unknown run of capitals as written, in a heading of an old text layer: a damaged
 * word far more often than an abbreviation ("TIIOI GIAN, TIfN DQ TTTI/C HIEN" for "THỜI GIAN,
 * TIẾN ĐỘ THỰC HIỆN"). Measured on the bench folds: 3 changed nothing; 4 to 12 read 000a's 2nd half 92.61 → 93.00%.
 */
const HEADING_CODE_COST = 5;
const headingMemo = new WeakMap<Alternative[], Alternative[]>();

/** A line (the cores of its chunks) of words in capitals: a heading ("IV. THỜI GIAN, TIẾN ĐỘ THỰC HIỆN"). */
function isCapitalsHeading(cores: string[]): boolean {
  const words = cores.filter((core) => /\p{L}.*\p{L}/u.test(core));
  return words.length >= HEADING_MIN_WORDS && words.filter((core) => /\p{Ll}/u.test(core)).length <= HEADING_LOWERCASE_SHARE * words.length;
}

/** The alternatives of a heading's word, an unknown run of capitals kept as written costing HEADING_CODE_COST. */
function asHeadingWord(alternatives: Alternative[], core: string, model: RepairModel): Alternative[] {
  if (model.abbreviations.has(core)) return alternatives;
  let adjusted = headingMemo.get(alternatives);
  if (adjusted) return adjusted;
  const code = lmIdOf(model, ABBREVIATION_TOKEN);
  // built by push, as coreAlternatives builds them: an array made by map sent the search's
  // optimised code back to the interpreter (measured: 001's cold repair 145 → 250 ms)
  adjusted = [];
  for (const a of alternatives) adjusted.push(a.text === core && a.lmIds[0] === code ? withCost(a, Math.max(a.cost, HEADING_CODE_COST)) : a);
  headingMemo.set(alternatives, adjusted);
  return adjusted;
}

/**
 * Brings held-back syllables into the lattice where a neighbouring chunk has a reading they form
 * a strong bigram with, and drops the other held-back ones.
 */
function activateReserves(lattice: ChunkLattice[], model: RepairModel, mode: DamageMode): void {
  const ids = lattice.map((chunk) => readingIdsOf(chunk.alternatives));
  const strong = model.lm.strongBigrams(mode === 'accented' ? ACCENTED_STRONG_BIGRAM : STRONG_BIGRAM);
  const proposers = model.lm.strongBigrams(PROPOSING_BIGRAM, PROPOSALS_PER_WORD);
  const wideProposers = model.lm.strongBigrams(WIDE_PROPOSING_BIGRAM, WIDE_PROPOSALS_PER_WORD);
  lattice.forEach((chunk, i) => {
    const prev = lattice[i - 1];
    const next = lattice[i + 1];
    const beforeIds = prev && !prev.paragraphEnd && !prev.trail && !chunk.lead ? ids[i - 1]! : NO_NEIGHBOUR;
    const afterIds = next && !chunk.paragraphEnd && !chunk.trail && !next.lead ? ids[i + 1]! : NO_NEIGHBOUR;
    const first = lattice[i - 2];
    const firstIds = beforeIds !== NO_NEIGHBOUR && first && !first.paragraphEnd && !first.trail && !prev!.lead ? ids[i - 2]! : NO_NEIGHBOUR;
    const byTrigram = mode === 'accented' ? trigramCalls(model, firstIds, beforeIds, ids[i]!.reserves) : undefined;
    // Otherwise the outcome depends only on the chunk's and its neighbours' memoised readings: a
    // run of three cores seen before is settled by one lookup (a trigram's call depends on the
    // chunk two back as well).
    let byAfter: Map<ReadingIds, Alternative[]> | undefined;
    if (!byTrigram) {
      let byBefore = neighbourhoodMemo.get(chunk.alternatives);
      if (!byBefore) neighbourhoodMemo.set(chunk.alternatives, (byBefore = new Map()));
      byAfter = byBefore.get(beforeIds);
      if (!byAfter) byBefore.set(beforeIds, (byAfter = new Map()));
      const known = byAfter.get(afterIds);
      if (known) {
        chunk.alternatives = known;
        return;
      }
    }
    const before = beforeIds.lasts;
    const after = afterIds.firsts;
    if (chunk.isWord) proposeReadings(chunk, before, after, poorlyExplained(chunk.alternatives) ? wideProposers : proposers, model, mode);
    byAfter?.set(afterIds, chunk.alternatives);
    const reserves = ids[i]!.reserves;
    if (reserves.size === 0) return;
    // From the neighbours' side: a reading has few strong partners.
    let called = byTrigram;
    for (const p of before) called = callReserves(strong.right, p, reserves, called);
    for (const n of after) called = callReserves(strong.left, n, reserves, called);
    if (mode === 'accented') {
      // two neighbouring marks wrong at once ("nên tẳng" for "nền tảng"): reserves that form a
      // strong bigram call each other
      for (const p of beforeIds.reserves) called = callReserves(strong.right, p, reserves, called);
      for (const n of afterIds.reserves) called = callReserves(strong.left, n, reserves, called);
    }
    chunk.alternatives = chunk.alternatives.filter((a) => !a.reserve || called?.has(a.lmIds[0]!) === true);
    byAfter?.set(afterIds, chunk.alternatives);
  });
}

/**
 * The reserves (a mark the OCR got wrong) that follow the readings of the two chunks before with
 * a strong stored trigram, though the bigram alone is weak ("chủ trương của Đẳng": ln P(đảng |
 * trương của) = -0.4, ln P(đảng | của) below ACCENTED_STRONG_BIGRAM); undefined if none.
 */
function trigramCalls(model: RepairModel, firstIds: ReadingIds, beforeIds: ReadingIds, reserves: Set<number>): Set<number> | undefined {
  if (reserves.size === 0 || firstIds === NO_NEIGHBOUR) return undefined;
  const lm = model.lm;
  let called: Set<number> | undefined;
  for (const u of firstIds.lasts) {
    for (const v of beforeIds.lasts) {
      const context = lm.context(u, v);
      if (context < 0) continue;
      for (const r of reserves) {
        const t = lm.trigramIn(context, r);
        if (t >= 0 && lm.trigramLogProb(t) > ACCENTED_STRONG_BIGRAM) (called ??= new Set()).add(r);
      }
    }
  }
  return called;
}

/** No syllable reading of the chunk costs less than WIDE_PROPOSALS_COST: its neighbours may propose more. */
function poorlyExplained(alternatives: Alternative[]): boolean {
  return alternatives.every((a) => !a.syllabic || a.cost > WIDE_PROPOSALS_COST);
}

/** The reserves among a neighbouring reading's strong partners, added to `called`. */
function callReserves(partners: PartnerLists, word: number, reserves: Set<number>, called: Set<number> | undefined): Set<number> | undefined {
  const { start, list } = partners;
  for (let k = start[word]!; k < start[word + 1]!; k++) {
    const w = list[k]!;
    if (reserves.has(w)) (called ??= new Set()).add(w);
  }
  return called;
}

/** The readings of a missing (or separated) neighbour: none. */
const NO_NEIGHBOUR: ReadingIds = { firsts: [], lasts: [], reserves: new Set(), singles: new Set() };

/** A chunk's final readings by its own memoised readings and those of its neighbours (NO_NEIGHBOUR if none). */
const neighbourhoodMemo = new WeakMap<Alternative[], Map<ReadingIds, Map<ReadingIds, Alternative[]>>>();

/** LM ids of a chunk's readings: first and last id of each active syllable one, the reserves, and every one-token reading. */
interface ReadingIds {
  firsts: number[];
  lasts: number[];
  reserves: Set<number>;
  singles: Set<number>;
}

/** Per (memoised) alternatives array: chunks with the same core share it. */
const readingIdsMemo = new WeakMap<Alternative[], ReadingIds>();

function readingIdsOf(alternatives: Alternative[]): ReadingIds {
  let known = readingIdsMemo.get(alternatives);
  if (known) return known;
  known = { firsts: [], lasts: [], reserves: new Set(), singles: new Set() };
  for (const a of alternatives) {
    if (a.lmIds.length === 1) known.singles.add(a.lmIds[0]!);
    if (!a.syllabic) continue;
    if (a.reserve) {
      known.reserves.add(a.lmIds[0]!);
      continue;
    }
    known.firsts.push(a.lmIds[0]!);
    known.lasts.push(a.lmIds[a.lmIds.length - 1]!);
  }
  readingIdsMemo.set(alternatives, known);
  return known;
}

/**
 * Adds readings the neighbours ask for: syllables that very often follow a reading of the previous
 * chunk or precede one of the next ("nhiệm vy": "vụ"), when the channel can explain the chunk as
 * them at all. Catches damage the search ranks too low to try ('y' read for 'ụ').
 */
function proposeReadings(chunk: ChunkLattice, before: number[], after: number[], strong: StrongBigrams, model: RepairModel, mode: DamageMode): void {
  const own = chunk.alternatives;
  let proposals = proposalMemo.get(own);
  if (!proposals) {
    const core = chunk.core;
    const proposed = { ocr: model.segmentsOf(channelFormOf(core)), pattern: caseOf(core), skeleton: stripMarks(core.toLowerCase()) };
    proposalMemo.set(own, (proposals = { singles: readingIdsOf(own).singles, proposed, byWord: new Map(), byNeighbour: new Map() }));
  }
  // The neighbours' likeliest readings only (alternatives come best-ranked first).
  let extended: Alternative[] | undefined;
  for (let k = 0; k < before.length && k < PROPOSING_READINGS; k++) {
    extended = withProposals(extended, own, proposalsOf(proposals, before[k]!, strong.right, before[k]!, model, mode));
  }
  for (let k = 0; k < after.length && k < PROPOSING_READINGS; k++) {
    extended = withProposals(extended, own, proposalsOf(proposals, -1 - after[k]!, strong.left, after[k]!, model, mode));
  }
  if (extended) chunk.alternatives = extended;
}

/** The readings so far (undefined: the chunk's own) with the proposals not among them yet appended. */
function withProposals(extended: Alternative[] | undefined, own: Alternative[], list: Alternative[]): Alternative[] | undefined {
  for (const proposal of list) {
    // Proposals are appended after the own readings and are never among them.
    if (extended?.includes(proposal, own.length)) continue;
    extended ??= [...own];
    extended.push(proposal);
  }
  return extended;
}

/** The proposals of one neighbouring reading, `word` (after-side ids are stored as -1 - id). */
function proposalsOf(proposals: CoreProposals, neighbour: number, partners: PartnerLists, word: number, model: RepairModel, mode: DamageMode): Alternative[] {
  let list = proposals.byNeighbour.get(neighbour);
  if (!list) {
    list = [];
    for (let k = partners.start[word]!; k < partners.start[word + 1]!; k++) {
      const proposal = proposalOf(proposals, partners.list[k]!, model, mode);
      if (proposal) list.push(proposal);
    }
    proposals.byNeighbour.set(neighbour, list);
  }
  return list;
}

function proposalOf(proposals: CoreProposals, w: number, model: RepairModel, mode: DamageMode): Alternative | null {
  // Most proposals fail the model's cheap filter: settled so, they need no memo (two map lookups cost more).
  const index = model.syllableOfLmId[w]!;
  if (index < 0 || !model.plausibleReading(proposals.proposed.ocr, index, mode)) return null;
  let proposal = proposals.byWord.get(w);
  if (proposal === undefined) {
    // A reading the core already has is not proposed again.
    proposal = proposals.singles.has(w) ? null : proposalFor(proposals.proposed, w, model, mode);
    proposals.byWord.set(w, proposal);
  }
  return proposal;
}

/**
 * Proposed readings per core (by its memoised alternatives, which are per model and mode): by LM
 * id (null: the core has the reading already, or the channel cannot explain the core as it), and
 * the list each neighbouring reading proposes.
 */
const proposalMemo = new WeakMap<Alternative[], CoreProposals>();

interface CoreProposals {
  /** LM ids of the core's one-token readings (see ReadingIds). */
  singles: Set<number>;
  proposed: ProposedCore;
  byWord: Map<number, Alternative | null>;
  byNeighbour: Map<number, Alternative[]>;
}

/** What proposals need of a core, computed once per core: its channel form cut into segments, case and skeleton. */
interface ProposedCore {
  ocr: OcrSegments;
  pattern: CasePattern;
  skeleton: string;
}

function proposalFor(core: ProposedCore, w: number, model: RepairModel, mode: DamageMode): Alternative | null {
  const index = model.syllableOfLmId[w]!;
  if (index < 0) return null;
  const syllable = model.syllables[index]!;
  // In mostly-correct text only marks go wrong: a proposal keeps the letters as written.
  if (mode === 'accented' && stripMarks(syllable) !== core.skeleton) return null;
  const cost = model.readingCost(core.ocr, index, mode, PROPOSAL_MAX_COST);
  return cost <= PROPOSAL_MAX_COST ? alternative(applyCase(syllable, core.pattern), [w], cost, true) : null;
}

/**
 * The expansions of one beam step, kept per LM state (u, v): an open-addressing table over flat
 * typed arrays, reused from step to step, so that the search allocates nothing per hypothesis.
 */
class Expansions {
  count = 0;
  u = new Int32Array(0);
  v = new Int32Array(0);
  score = new Float64Array(0);
  back = new Int32Array(0);
  choice = new Int32Array(0);
  private slotOf = new Int32Array(0);
  private slots = new Int32Array(0);

  /**
   * Room for `capacity` expansions a step, made anew for every search (a step has at most beam
   * width × alternatives): growing the table in the search, a branch the warm-up may never take,
   * sent the optimised search back to the interpreter on the first real page.
   */
  prepare(capacity: number): void {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.count = 0;
    this.u = new Int32Array(capacity);
    this.v = new Int32Array(capacity);
    this.score = new Float64Array(capacity);
    this.back = new Int32Array(capacity);
    this.choice = new Int32Array(capacity);
    this.slotOf = new Int32Array(capacity);
    this.slots = new Int32Array(slots).fill(-1);
  }

  reset(): void {
    for (let e = 0; e < this.count; e++) this.slots[this.slotOf[e]!] = -1;
    this.count = 0;
  }

  /**
   * The n best expansions into `into`, best first, the first offered winning a tie (one pass,
   * insertion into the short list); returns how many there are.
   */
  best(n: number, into: Int32Array): number {
    let size = 0;
    for (let e = 0; e < this.count; e++) {
      const score = this.score[e]!;
      if (size === n && score <= this.score[into[n - 1]!]!) continue;
      let k = size < n ? size++ : n - 1;
      for (; k > 0 && this.score[into[k - 1]!]! < score; k--) into[k] = into[k - 1]!;
      into[k] = e;
    }
    return size;
  }

  /** Keeps the best-scoring expansion per state; the first one offered wins a tie. */
  offer(u: number, v: number, score: number, back: number, choice: number): void {
    const mask = this.slots.length - 1;
    let slot = (Math.imul(u, 0x9e3779b1) ^ Math.imul(v + 0x7f4a7c15, 0x85ebca77)) & mask;
    for (;;) {
      const e = this.slots[slot]!;
      if (e < 0) break;
      if (this.u[e] === u && this.v[e] === v) {
        if (this.score[e]! < score) {
          this.score[e] = score;
          this.back[e] = back;
          this.choice[e] = choice;
        }
        return;
      }
      slot = (slot + 1) & mask;
    }
    const e = this.count++;
    this.u[e] = u;
    this.v[e] = v;
    this.score[e] = score;
    this.back[e] = back;
    this.choice[e] = choice;
    this.slotOf[e] = slot;
    this.slots[slot] = e;
  }
}

/**
 * The expansion table of the beam search, one for all decodings (they do not nest). Created out
 * of the search, whose optimised code then keeps its inlining budget for the LM lookups.
 */
const beamExpansions = new Expansions();

/**
 * What the first token w of a chunk's alternative costs beside a hypothesis's last token v but not
 * its u: the bigram (v, w) a missing trigram backs off to, and the lexicon test. The beam's
 * hypotheses share few last tokens (6 distinct among 15 on average), so each step probes them once
 * per distinct v and alternative, before the search, whose loop then reads them (a function of
 * its own: inlined into the search, the probes would crowd out its LM lookups).
 */
class FirstTokenProbes {
  /** Per hypothesis of the step: the offset of its last token's probes. */
  offsetOf = new Int32Array(BEAM_WIDTH);
  /** Per (distinct last token, alternative): lm.bigramIndex(v, w) and model.inLexicon(v, w). */
  bigram = new Int32Array(0);
  lexicon = new Uint8Array(0);
  private lastTokens = new Int32Array(BEAM_WIDTH);

  /**
   * Room for steps of up to `alternatives` alternatives, made anew for every search: a branch
   * growing it only when a chunk had more than ever before would be compiled without feedback.
   */
  prepare(alternatives: number): void {
    this.bigram = new Int32Array(alternatives * BEAM_WIDTH);
    this.lexicon = new Uint8Array(alternatives * BEAM_WIDTH);
  }

  /** Probes the first tokens of `alternatives` (at tokens[offsets[c]]) after the last tokens stateV[first, first + size). */
  probe(model: RepairModel, stateV: Int32Array, first: number, size: number, tokens: Int32Array, offsets: Int32Array, alternatives: number): void {
    let slots = 0;
    for (let h = 0; h < size; h++) {
      const v = stateV[first + h]!;
      let slot = 0;
      while (slot < slots && this.lastTokens[slot] !== v) slot++;
      this.offsetOf[h] = slot * alternatives;
      if (slot < slots) continue;
      this.lastTokens[slots++] = v;
      for (let c = 0; c < alternatives; c++) {
        // An empty chunk without edge punctuation has no token to probe.
        if (offsets[c] === offsets[c + 1]) continue;
        const w = tokens[offsets[c]!]!;
        this.bigram[slot * alternatives + c] = model.lm.bigramIndex(v, w);
        this.lexicon[slot * alternatives + c] = model.inLexicon(v, w) ? 1 : 0;
      }
    }
  }
}

const firstTokenProbes = new FirstTokenProbes();

/** The two previous LM tokens (-1: the sentence start). */
export interface LmContext {
  u: number;
  v: number;
}
export const START_CONTEXT: LmContext = { u: -1, v: -1 };

/** The LM context after each chunk when the chosen alternatives are read: as decodeLattice moves it. */
export function contextsAlong(lattice: ChunkLattice[], choices: number[], model: RepairModel): LmContext[] {
  const start = lmIdOf(model, SENTENCE_START);
  let u = start;
  let v = start;
  const step = (w: number): void => {
    if (w === start) u = v = start;
    else {
      u = v;
      v = w;
    }
  };
  return lattice.map((chunk, i) => {
    chunk.leadIds.forEach(step);
    chunk.alternatives[choices[i]!]!.lmIds.forEach(step);
    chunk.trailIds.forEach(step);
    if (chunk.paragraphEnd) u = v = start;
    return { u, v };
  });
}

/**
 * Beam search over the lattice; returns the chosen alternative of every chunk. `prior`, by LM id,
 * adds a log-probability to every token of that id (the document's own preferences, see repair/index.ts).
 */
export function decodeLattice(lattice: ChunkLattice[], model: RepairModel, prior?: Float64Array, initial: LmContext = START_CONTEXT): number[] {
  const lm = model.lm;
  const start = lmIdOf(model, SENTENCE_START);
  const unknown = lmIdOf(model, UNKNOWN_TOKEN);
  const n = lattice.length;
  // The beams of all steps, flat: the states of step i at i * BEAM_WIDTH, best first, each with its
  // LM context (u, v), score, state of the previous step and the alternative chosen.
  const stateU = new Int32Array((n + 1) * BEAM_WIDTH);
  const stateV = new Int32Array((n + 1) * BEAM_WIDTH);
  const stateScore = new Float64Array((n + 1) * BEAM_WIDTH);
  const stateBack = new Int32Array((n + 1) * BEAM_WIDTH);
  const stateChoice = new Int32Array((n + 1) * BEAM_WIDTH);
  const beamSize = new Int32Array(n + 1);
  stateU[0] = initial.u < 0 ? start : initial.u;
  stateV[0] = initial.v < 0 ? start : initial.v;
  beamSize[0] = 1;
  const expansions = beamExpansions;
  const probes = firstTokenProbes;
  let mostAlternatives = 0;
  for (let i = 0; i < n; i++) mostAlternatives = Math.max(mostAlternatives, lattice[i]!.alternatives.length);
  probes.prepare(mostAlternatives);
  expansions.prepare(mostAlternatives * BEAM_WIDTH);
  const kept = new Int32Array(BEAM_WIDTH);
  let tokens = new Int32Array(256);
  let offsets = new Int32Array(64);
  let costs = new Float64Array(64);
  // Per alternative, the most its tokens can add to a score: the lexicon bonuses (log-probabilities and the prior are never positive).
  let bonuses = new Float64Array(64);
  for (let i = 0; i < n; i++) {
    const chunk = lattice[i]!;
    const alternatives = chunk.alternatives;
    // The LM tokens of every alternative, edge punctuation around, flat: alternative c's at
    // [offsets[c], offsets[c + 1]); and its channel cost.
    const { leadIds, trailIds } = chunk;
    let length = 0;
    for (let c = 0; c < alternatives.length; c++) length += leadIds.length + alternatives[c]!.lmIds.length + trailIds.length;
    if (length > tokens.length) tokens = new Int32Array(length * 2);
    if (alternatives.length >= offsets.length) {
      offsets = new Int32Array(alternatives.length * 2 + 1);
      costs = new Float64Array(alternatives.length * 2 + 1);
      bonuses = new Float64Array(alternatives.length * 2 + 1);
    }
    length = 0;
    for (let c = 0; c < alternatives.length; c++) {
      offsets[c] = length;
      costs[c] = alternatives[c]!.cost;
      // Indexed loops: for-of here allocated an iterator result per id (seen in heap profiles).
      const lmIds = alternatives[c]!.lmIds;
      for (let t = 0; t < leadIds.length; t++) tokens[length++] = leadIds[t]!;
      for (let t = 0; t < lmIds.length; t++) tokens[length++] = lmIds[t]!;
      for (let t = 0; t < trailIds.length; t++) tokens[length++] = trailIds[t]!;
      bonuses[c] = LEXICON_BONUS * (length - offsets[c]!);
    }
    offsets[alternatives.length] = length;
    expansions.reset();
    const first = i * BEAM_WIDTH;
    probes.probe(model, stateV, first, beamSize[i]!, tokens, offsets, alternatives.length);
    let bestScore = -Infinity;
    for (let h = first; h < first + beamSize[i]!; h++) {
      const hu = stateU[h]!;
      const hv = stateV[h]!;
      // The trigram context of the hypothesis, looked up once for all its continuations.
      const context = lm.context(hu, hv);
      const probed = probes.offsetOf[h - first]!;
      for (let choice = 0; choice < alternatives.length; choice++) {
        let score = stateScore[h]! - costs[choice]!;
        // Hypotheses come best first: the best expansion so far soon rules out most others.
        if (score + bonuses[choice]! < bestScore - BEAM_THRESHOLD) continue;
        let u = hu;
        let v = hv;
        const from = offsets[choice]!;
        const to = offsets[choice + 1]!;
        for (let t = from; t < to; t++) {
          const w = tokens[t]!;
          if (w === unknown) {
            // A flat price: runs of unreadable chunks must not make each other likely.
            score += LM_WEIGHT * UNKNOWN_LOG_PROB;
          } else if (w === start) {
            // A sentence end: the next words start a new sentence.
            u = start;
            v = start;
            continue;
          } else if (t === from) {
            const trigram = lm.trigramIn(context, w);
            score += LM_WEIGHT * (trigram >= 0 ? lm.trigramLogProb(trigram) : lm.backedOff(context, v, w, probes.bigram[probed + choice]!));
            if (probes.lexicon[probed + choice] === 1) score += LEXICON_BONUS;
            if (prior) score += prior[w]!;
          } else {
            score += LM_WEIGHT * lm.logProbInContext(lm.context(u, v), v, w);
            if (model.inLexicon(v, w)) score += LEXICON_BONUS;
            if (prior) score += prior[w]!;
          }
          u = v;
          v = w;
        }
        if (chunk.paragraphEnd) {
          u = start;
          v = start;
        }
        if (score > bestScore) bestScore = score;
        expansions.offer(u, v, score, h, choice);
      }
    }
    // The best BEAM_WIDTH expansions, best first (ties: the first offered).
    const out = (i + 1) * BEAM_WIDTH;
    let size = expansions.best(BEAM_WIDTH, kept);
    while (size > 1 && expansions.score[kept[size - 1]!]! < bestScore - BEAM_THRESHOLD) size--;
    for (let k = 0; k < size; k++) {
      const best = kept[k]!;
      stateU[out + k] = expansions.u[best]!;
      stateV[out + k] = expansions.v[best]!;
      stateScore[out + k] = expansions.score[best]!;
      stateBack[out + k] = expansions.back[best]!;
      stateChoice[out + k] = expansions.choice[best]!;
    }
    beamSize[i + 1] = size;
  }
  const choices = new Array<number>(n);
  let state = n * BEAM_WIDTH;
  for (let i = n - 1; i >= 0; i--) {
    choices[i] = stateChoice[state]!;
    state = stateBack[state]!;
  }
  return choices;
}

/** How a core counts for the damage mode, per model: not a word, a word, an accented syllable. */
const enum CoreKind {
  Other,
  Word,
  Accented,
}
const coreKindMemo = new WeakMap<RepairModel, Map<string, CoreKind>>();

function coreKind(core: string, model: RepairModel): CoreKind {
  let memo = coreKindMemo.get(model);
  if (!memo) coreKindMemo.set(model, (memo = new Map()));
  let kind = memo.get(core);
  if (kind === undefined) {
    const lower = core.toLowerCase();
    if (!core || !/^\p{L}+$/u.test(core)) kind = CoreKind.Other;
    else kind = stripMarks(lower) !== lower && model.syllableSet.has(canonicalSyllable(lower)) ? CoreKind.Accented : CoreKind.Word;
    if (memo.size >= ALTERNATIVES_MEMO_SIZE) memo.clear();
    memo.set(core, kind);
  }
  return kind;
}

/** Share of letter tokens written as valid accented syllables: decides the damage mode. */
export function accentedShare(text: string, model: RepairModel): number {
  let letterCores = 0;
  let accented = 0;
  for (const line of text.split('\n')) {
    for (const chunk of splitLine(line).chunks) {
      const kind = coreKind(splitChunk(chunk).core, model);
      if (kind === CoreKind.Other) continue;
      letterCores++;
      if (kind === CoreKind.Accented) accented++;
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

/** Times the synthetic warm-up texts are decoded (measured: 4 rounds load 0.2 s slower than 1 and save up to a third of the first page's time on 001 and 004; 2 save less). */
const WARM_UP_ROUNDS = 4;

/** Lines of the synthetic warm-up texts decoded at a time. */
const WARM_UP_PIECE_LINES = 4;

/** Words per line of the synthetic warm-up texts. */
const WARM_UP_LINE = 12;

/** Number shapes of plans (counts, years, dates, shares, codes), some with look-alike letters. */
const WARM_UP_NUMBERS = ['2025', '15%', '26/3/2021', 'l5', '1O%', '06-NQ/TU', '2021-2025'];

/** Items of a legal reference ("điểm a, b, c và d"), one of them a look-alike: a run fixLetterRuns fixes. */
const WARM_UP_LETTER_RUN = ['a,', 'b,', '¢', 'và', 'd'];

/**
 * The words laid out as a page of a plan: capitalised and upper-case lines, list markers, headings, letter runs, commas,
 * sentence ends, quotes, numbers, glued words and paragraph breaks, so that the warm-up takes
 * every branch of the lattice and the search that real pages take. A branch never taken before
 * the compiler optimises a function sends it back to the interpreter the first time a page takes it.
 */
function warmUpText(words: string[]): string {
  const lines: string[] = [];
  for (let i = 0, line = 0; i < words.length; i += WARM_UP_LINE, line++) {
    const chunks = words.slice(i, i + WARM_UP_LINE).map((word, j) => {
      if (j % 11 === 5) return word + words[(i + j + 1) % words.length]!;
      // a word glued to a number ("năm2025", "dat1O%"): the split's number readings
      if (j % 13 === 9) return word + WARM_UP_NUMBERS[(i + j) % WARM_UP_NUMBERS.length]!;
      if (j % 7 === 3) return `“${word}”`;
      if (j % 9 === 6) return `(${word})`;
      if (j % 5 === 4) return word + ',';
      if (j % 8 === 2) return WARM_UP_NUMBERS[(i + j) % WARM_UP_NUMBERS.length]!;
      return word;
    });
    if (chunks.length === 0) continue;
    if (line % 6 === 5) chunks.splice(1, 0, ...WARM_UP_LETTER_RUN);
    chunks[chunks.length - 1] += line % 2 === 0 ? '.' : ':';
    let text = chunks.join(' ');
    if (line % 4 === 3) text = text.toUpperCase();
    else text = text.charAt(0).toUpperCase() + text.slice(1);
    if (line % 3 === 1) text = (line % 2 === 0 ? 'a) ' : '- ') + text;
    // a heading's Roman numeral
    else if (line % 6 === 2) text = 'II. ' + text;
    lines.push(text);
    if (line % 5 === 4) lines.push('');
  }
  return lines.join('\n');
}

/** Load-time preparation: the strong-bigram tables the proposals read. */
export function prepareDecoder(model: RepairModel): void {
  model.lm.strongBigrams(STRONG_BIGRAM);
  model.lm.strongBigrams(ACCENTED_STRONG_BIGRAM);
  model.lm.strongBigrams(PROPOSING_BIGRAM, PROPOSALS_PER_WORD);
  model.lm.strongBigrams(WIDE_PROPOSING_BIGRAM, WIDE_PROPOSALS_PER_WORD);
}

/**
 * Decodings of synthetic texts (the most frequent syllables, as written and without marks; the
 * frequent damaged forms of the training text layers) so that the first real page does not pay
 * for compiling the decoder and its proposals: the compiler optimises a function only after many
 * calls.
 */
export function warmUpDecoder(model: RepairModel, decode: (lattice: ChunkLattice[], model: RepairModel) => number[]): void {
  const frequent = model.syllables
    .map((syllable, i) => ({ syllable, logProb: model.lm.unigramLogProb(model.syllableLmId[i]!) }))
    .sort((a, b) => b.logProb - a.logProb)
    .slice(0, WARM_UP_WORDS)
    .map((e) => e.syllable);
  const correct = warmUpText(frequent);
  const pages = [correct, stripMarks(correct), warmUpText(model.channel.frequentForms)];
  // Piece by piece: a function called once runs its loops in code compiled for that one call
  // (on-stack replacement), which a later call does not enter; many calls get it compiled whole.
  // Later rounds find the readings memoised: they run the loops over whole documents
  // (fixLetterRuns, the damage mode's count) often enough to have them compiled before the first
  // real page, which would otherwise pay for compiling them.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const text of pages) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i += WARM_UP_PIECE_LINES) {
        const piece = lines.slice(i, i + WARM_UP_PIECE_LINES).join('\n');
        decode(buildLattice(piece, model, damageMode(piece, model)).lattice, model);
      }
    }
  }
}
