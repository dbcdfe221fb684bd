// Canonical indicator of a target clause, matched on meaning through the keyword rules in
// dictionaries/indicators-rules.json (keys and pillars from dictionaries/indicators.json).
import type { Pillar } from './context.js';
import { loadDictionary } from './dictionaries.js';
import { editDistance, fold, foldPhrase } from './text.js';

interface RuleFile {
  rules: { key: string; all: string[][]; none?: string[]; boost?: string[] }[];
}
interface IndicatorFile {
  key: string;
  label: string;
  pillar: Pillar;
}

/** A rule phrase as folded words ("thu", "tuc", "hanh", "chinh"). */
type Phrase = string[];

interface CompiledRule {
  key: string;
  all: Phrase[][];
  none: Phrase[];
  boost: Phrase[];
}

let compiled: CompiledRule[] | null = null;
let pillarByKey: Map<string, Pillar> | null = null;

// Old and new spellings of a final i/y are the same word ("tỷ lệ" / "tỉ lệ", "kỹ năng" / "kĩ năng").
const words = (folded: string): string[] =>
  folded
    .split(/[^a-z0-9%]+/)
    .filter(Boolean)
    .map((w) => w.replace(/^([bdhklmnpstvx]|ch|gh|kh|nh|ph|th|tr)y$/, '$1i'));
const phrase = (p: string): Phrase => words(foldPhrase(p));

function rules(): CompiledRule[] {
  compiled ??= loadDictionary<RuleFile>('indicators-rules.json').rules.map((r) => ({
    key: r.key,
    all: r.all.map((group) => group.map(phrase)),
    none: (r.none ?? []).map(phrase),
    boost: (r.boost ?? []).map(phrase),
  }));
  return compiled;
}

/** Pillar the canonical list gives an indicator key. */
export function indicatorPillar(key: string): Pillar | null {
  pillarByKey ??= new Map(loadDictionary<IndicatorFile[]>('indicators.json').map((i) => [i.key, i.pillar]));
  return pillarByKey.get(key) ?? null;
}

/**
 * How well a phrase matches the clause's words at a position: 1 when every word is there, less when
 * OCR damage repair left behind changed a letter of some ("hồi lòng" for "hài lòng", "hợp dùng điện
 * tử" for "hợp đồng điện tử", "k! năng số"): at most one edit in a word, of three letters or more
 * unless the phrase has three words, in one word only and at least half the phrase's words intact
 * ("hóa đơn điện tử" is not "hợp đồng điện tử"). 0 when it does not match.
 */
function phraseFit(clause: string[], at: number, p: Phrase, tolerant: boolean): number {
  if (at + p.length > clause.length) return 0;
  let damaged = 0;
  for (let j = 0; j < p.length; j++) {
    const w = clause[at + j]!;
    if (w === p[j]) continue;
    if (!tolerant || p.length < 2 || (p[j]!.length < 3 && p.length < 3) || editDistance(w, p[j]!) > 1) return 0;
    damaged++;
  }
  if (damaged > 1 || damaged * 2 > p.length) return 0;
  return damaged ? 0.9 : 1;
}

/**
 * Weight of the best place a phrase matches: longer phrases weigh more (up to three words), and
 * earlier ones much more, since a clause names its indicator first and qualifies it after.
 */
function bestMatch(clause: string[], alternatives: Phrase[], tolerant = true): number {
  let best = 0;
  for (const p of alternatives) {
    for (let i = 0; i < clause.length; i++) {
      const fit = phraseFit(clause, i, p, tolerant);
      if (fit) {
        best = Math.max(best, (fit * Math.min(p.length, 3)) / (1 + i / 6));
        break;
      }
    }
  }
  return best;
}

/** The indicator key whose rule fits the clause best, or null when none fits. */
export function matchIndicator(clause: string): string | null {
  const folded = words(fold(clause));
  let bestKey: string | null = null;
  let bestScore = 0;
  for (const rule of rules()) {
    if (rule.none.some((p) => bestMatch(folded, [p], false) > 0)) continue;
    let score = 0;
    let complete = true;
    for (const group of rule.all) {
      const w = bestMatch(folded, group);
      if (!w) {
        complete = false;
        break;
      }
      score += w;
    }
    if (!complete) continue;
    score += 0.5 * rule.boost.reduce((s, p) => s + bestMatch(folded, [p]), 0);
    if (score > bestScore) {
      bestKey = rule.key;
      bestScore = score;
    }
  }
  return bestKey;
}
