// Builds every repair data file from named sources. Used by scripts/build-dictionaries.ts (all
// sources) and by the benchmark (leaving one gold document out of the channel and the LM).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alignLine, type AlignedPair } from './align.js';
import { buildChannel, NUMBER_CHARS, vietnameseAlphabet, type ChannelData } from './channel.js';
import { buildLanguageModel, type LmArrays, type WeightedCorpus } from './lm.js';
import { countResidualConfusions } from './residual.js';
import { writeLanguageModel } from './storage.js';
import { endsSentence, isAbbreviationLike, lmTokensOfLine, splitChunk, splitLine } from './tokenize.js';
import { canonicalSyllable, looksLikeSyllable } from './vietnamese.js';

/** A gold document: its damaged old text layer and the line-aligned correction. */
export interface GoldDocument {
  id: string;
  ocr: string;
  text: string;
}

/** The pipeline's OCR of a scanned sample of a gold document, and the document's rendered gold text. */
export interface OcrReading {
  id: string;
  /** Scan condition of the sample ("fax150"). */
  condition: string;
  ocr: string;
  rendered: string;
}

export interface RepairSources {
  /** Hunspell .dic of dictionary-vi: the syllable inventory. */
  hunspellDic: string;
  /** Viet74K word and phrase list of @vntk/dictionary. */
  wordList: string;
  /** Example sentences and definitions of @vntk/dictionary (one sentence per entry). */
  dictionarySentences: string[];
  /** Hand-curated administrative terms (dictionaries/sources/admin-terms.txt). */
  adminTerms: string;
  /** Names of administrative units (dvhcvn), with and without their type ("Xã Phúc Xá", "Phúc Xá"). */
  placeNames: string[];
  /** Indicator labels and examples (indicators.json of the shared material). */
  indicatorPhrases: string[];
  gold: GoldDocument[];
  /** OCR readings of scanned samples (dictionaries/sources/ocr-readings/): the residual channel. */
  ocrReadings: OcrReading[];
}

export interface RepairData {
  syllables: string[];
  lexicon: string[];
  adminVocabulary: string[];
  abbreviations: string[];
  channel: ChannelData;
  lm: LmArrays;
  capitalisation: CapitalisationCount[];
  /** Human-readable provenance, written to dictionaries/manifest.json. */
  manifest: Record<string, unknown>;
}

/**
 * How often a syllable is written with a capital where no sentence starts ("Ban Chỉ đạo",
 * "Sở Nội vụ", "Hải Dương"), weighted like the language model's corpora: [syllable, capitalised, all].
 */
export type CapitalisationCount = [string, number, number];

/** Corpus weights: domain text is scarce and closest to what is repaired. */
const WEIGHT = { dictionary: 1, wordList: 1, places: 1, admin: 3, indicators: 3, gold: 5 };
const MIN_CORPUS_COUNT_FOR_SYLLABLE = 3;

function lines(text: string): string[] {
  return text.normalize('NFC').split(/\r?\n/);
}

function parseAdminTerms(source: string): { phrases: string[]; abbreviations: string[] } {
  const phrases: string[] = [];
  const abbreviations: string[] = [];
  for (const raw of lines(source)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('ABBR:')) abbreviations.push(...line.slice(5).trim().split(/\s+/));
    else phrases.push(line);
  }
  return { phrases, abbreviations };
}

/** Paragraphs of a gold text: consecutive non-empty lines (lines wrap mid-sentence). */
function paragraphs(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').join(' ').trim())
    .filter(Boolean);
}

/** Sentences of LM tokens; a sentence-start token inside a line splits it. */
function toSentences(texts: string[], isSyllable: (s: string) => boolean): string[][] {
  const out: string[][] = [];
  for (const text of texts) {
    let current: string[] = [];
    for (const tok of lmTokensOfLine(text, isSyllable)) {
      if (tok === '<s>') {
        if (current.length) out.push(current);
        current = [];
      } else current.push(tok);
    }
    if (current.length) out.push(current);
  }
  return out;
}

function syllablesOf(text: string): string[] {
  const out: string[] = [];
  for (const chunk of splitLine(text).chunks) {
    const core = splitChunk(chunk).core.toLowerCase();
    for (const part of core.split(/[-–]/)) if (part) out.push(canonicalSyllable(part));
  }
  return out;
}

/** Text of one source, as the language model and the capitalisation counts read it. */
interface SourceText {
  name: string;
  texts: string[];
  weight: number;
  /** Running text (sentences), or a list of names, terms or words whose every entry starts anew. */
  kind: 'running' | 'list';
}

/**
 * Capitalised and all occurrences of each syllable. In running text a capital that starts a
 * sentence says nothing and is not counted; in a list ("Ban Thi đua - Khen thưởng") every word
 * counts, the first one included. Words in capitals only are skipped.
 */
function countCapitalisation(sources: SourceText[], isSyllable: (s: string) => boolean): CapitalisationCount[] {
  const counts = new Map<string, [number, number]>();
  for (const { texts, weight, kind } of sources) {
    for (const text of texts) {
      let sentenceStart = kind === 'running';
      for (const chunk of splitLine(text.normalize('NFC')).chunks) {
        if (!chunk) continue;
        const { core, trail } = splitChunk(chunk);
        const starts = sentenceStart;
        sentenceStart = kind === 'running' && endsSentence(trail);
        if (!core || starts || /^\p{Lu}{2,}$/u.test(core)) continue;
        const syllable = canonicalSyllable(core.toLowerCase());
        if (!isSyllable(syllable)) continue;
        const count = counts.get(syllable) ?? [0, 0];
        if (/^\p{Lu}/u.test(core)) count[0] += weight;
        count[1] += weight;
        counts.set(syllable, count);
      }
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([syllable, [capitalised, all]]) => [syllable, capitalised, all]);
}

export function buildRepairData(sources: RepairSources): RepairData {
  const admin = parseAdminTerms(sources.adminTerms);
  const wordList = lines(sources.wordList).map((l) => l.trim()).filter(Boolean);
  const goldTexts = sources.gold.map((d) => d.text);

  // Syllable inventory: Hunspell entries, plus syllables of the word list, the administrative
  // vocabulary and place names, plus well-attested syllables of the running text corpora.
  const inventory = new Set<string>();
  for (const entry of lines(sources.hunspellDic).slice(1)) {
    const word = canonicalSyllable(entry.trim().split('/')[0]!.toLowerCase());
    if (looksLikeSyllable(word)) inventory.add(word);
  }
  for (const text of [...wordList, ...admin.phrases, ...sources.placeNames]) {
    for (const s of syllablesOf(text)) if (looksLikeSyllable(s)) inventory.add(s);
  }
  const corpusCounts = new Map<string, number>();
  for (const text of [...sources.dictionarySentences, ...sources.indicatorPhrases, ...goldTexts]) {
    for (const s of syllablesOf(text)) corpusCounts.set(s, (corpusCounts.get(s) ?? 0) + 1);
  }
  for (const [s, c] of corpusCounts) if (c >= MIN_CORPUS_COUNT_FOR_SYLLABLE && looksLikeSyllable(s)) inventory.add(s);
  const syllables = [...inventory].sort();
  const isSyllable = (s: string) => inventory.has(s);

  // Abbreviations: the curated list plus those written in the gold texts, and the parts of
  // compound ones ("NĐ" of "NĐ-CP"): a damaged code ("91/2017/ND-CP") is restored part by part.
  const abbreviations = new Set(admin.abbreviations);
  const addParts = (core: string) => {
    for (const part of core.split(/[-/]/)) {
      if (part.length >= 2 && isAbbreviationLike(part) && !/\d/.test(part) && !isSyllable(canonicalSyllable(part.toLowerCase()))) abbreviations.add(part);
    }
  };
  admin.abbreviations.forEach(addParts);
  for (const text of goldTexts) for (const chunk of splitLine(text).chunks) addParts(splitChunk(chunk).core);

  const adminVocabulary = [...new Set([...admin.phrases, ...sources.placeNames])];
  const texts: SourceText[] = [
    { name: '@vntk/dictionary examples and definitions', texts: sources.dictionarySentences, weight: WEIGHT.dictionary, kind: 'running' },
    { name: '@vntk/dictionary Viet74K word list', texts: wordList, weight: WEIGHT.wordList, kind: 'list' },
    { name: 'dvhcvn place names', texts: sources.placeNames, weight: WEIGHT.places, kind: 'list' },
    { name: 'administrative terms', texts: admin.phrases, weight: WEIGHT.admin, kind: 'list' },
    { name: 'indicator labels and examples', texts: sources.indicatorPhrases, weight: WEIGHT.indicators, kind: 'running' },
    { name: 'gold texts', texts: goldTexts.flatMap(paragraphs), weight: WEIGHT.gold, kind: 'running' },
  ];
  const corpora: WeightedCorpus[] = texts.map(({ name, texts, weight }) => ({ name, sentences: toSentences(texts, isSyllable), weight }));
  const lm = buildLanguageModel(syllables, corpora, { minBigramCount: 1, minTrigramCount: 2 });
  const capitalisation = countCapitalisation(texts, isSyllable);

  const pairs: AlignedPair[] = [];
  for (const doc of sources.gold) {
    const ocrLines = lines(doc.ocr);
    const goldLines = lines(doc.text);
    for (let i = 0; i < goldLines.length; i++) {
      if (!goldLines[i]!.trim()) continue;
      pairs.push(...alignLine(ocrLines[i] ?? '', goldLines[i]!).pairs);
    }
  }
  const channel: ChannelData = {
    ...buildChannel(pairs, [...vietnameseAlphabet(syllables), ...NUMBER_CHARS]),
    residualCounts: countResidualConfusions(sources.ocrReadings),
  };

  return {
    syllables,
    lexicon: wordList.filter((w) => w.includes(' ')),
    adminVocabulary,
    abbreviations: [...abbreviations].sort(),
    channel,
    lm,
    capitalisation,
    manifest: {
      goldDocuments: sources.gold.map((d) => d.id),
      syllables: syllables.length,
      abbreviations: abbreviations.size,
      channelTrainingPairs: channel.trainingPairs,
      residualChannelReadings: sources.ocrReadings.map((r) => `${r.id}.${r.condition}`),
      capitalisationCounted: capitalisation.length,
      lm: {
        vocabulary: lm.vocab.length,
        bigrams: lm.bigramKeys.length,
        trigrams: lm.trigramWord.length,
        corpora: corpora.map((c) => ({ name: c.name, sentences: c.sentences.length, weight: c.weight })),
      },
    },
  };
}

/** File names of the repair data under dictionaries/. */
export const DATA_FILES = {
  syllables: 'syllables.txt',
  lexicon: 'lexicon.txt',
  adminVocabulary: 'admin-vocabulary.txt',
  abbreviations: 'abbreviations.txt',
  channel: 'channel.json',
  lm: 'lm.bin',
  capitalisation: 'capitalisation.txt',
  manifest: 'manifest.json',
} as const;

export function writeRepairData(dir: string, data: RepairData): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, DATA_FILES.syllables), data.syllables.join('\n') + '\n');
  writeFileSync(join(dir, DATA_FILES.lexicon), data.lexicon.join('\n') + '\n');
  writeFileSync(join(dir, DATA_FILES.adminVocabulary), data.adminVocabulary.join('\n') + '\n');
  writeFileSync(join(dir, DATA_FILES.abbreviations), data.abbreviations.join('\n') + '\n');
  writeFileSync(join(dir, DATA_FILES.channel), JSON.stringify(data.channel) + '\n');
  writeLanguageModel(join(dir, DATA_FILES.lm), data.lm);
  writeFileSync(join(dir, DATA_FILES.capitalisation), data.capitalisation.map((row) => row.join('\t')).join('\n') + '\n');
  writeFileSync(join(dir, DATA_FILES.manifest), JSON.stringify(data.manifest, null, 2) + '\n');
}
