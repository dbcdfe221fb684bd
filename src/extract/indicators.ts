// Canonical indicator of a target clause, matched on meaning through the keyword rules in
// dictionaries/indicators-rules.json (keys and pillars from dictionaries/indicators.json).
import type { Pillar } from './context.js';
import { loadDictionary } from './dictionaries.js';
import { fold, foldPhrase, phraseSource } from './text.js';

interface RuleFile {
  rules: { key: string; all: string[][]; none?: string[]; boost?: string[] }[];
}
interface IndicatorFile {
  key: string;
  label: string;
  pillar: Pillar;
}

interface CompiledRule {
  key: string;
  all: RegExp[][];
  none: RegExp[];
  boost: RegExp[];
}

let compiled: CompiledRule[] | null = null;
let pillarByKey: Map<string, Pillar> | null = null;

const phraseRe = (p: string) => new RegExp(phraseSource(foldPhrase(p)));

function rules(): CompiledRule[] {
  compiled ??= loadDictionary<RuleFile>('indicators-rules.json').rules.map((r) => ({
    key: r.key,
    all: r.all.map((group) => group.map(phraseRe)),
    none: (r.none ?? []).map(phraseRe),
    boost: (r.boost ?? []).map(phraseRe),
  }));
  return compiled;
}

/** Pillar the canonical list gives an indicator key. */
export function indicatorPillar(key: string): Pillar | null {
  pillarByKey ??= new Map(loadDictionary<IndicatorFile[]>('indicators.json').map((i) => [i.key, i.pillar]));
  return pillarByKey.get(key) ?? null;
}

/**
 * Weight of a phrase found at a character index: longer phrases weigh more (up to three words),
 * and earlier ones much more, since a clause names its indicator first and qualifies it after.
 */
function weight(folded: string, index: number, length: number): number {
  const wordsBefore = folded.slice(0, index).split(/\s+/).filter(Boolean).length;
  const words = folded.slice(index, index + length).split(/\s+/).length;
  return Math.min(words, 3) / (1 + wordsBefore / 6);
}

function bestMatch(folded: string, alternatives: RegExp[]): number {
  let best = 0;
  for (const re of alternatives) {
    const m = re.exec(folded);
    if (m) best = Math.max(best, weight(folded, m.index, m[0].length));
  }
  return best;
}

/** The indicator key whose rule fits the clause best, or null when none fits. */
export function matchIndicator(clause: string): string | null {
  const folded = fold(clause);
  let bestKey: string | null = null;
  let bestScore = 0;
  for (const rule of rules()) {
    if (rule.none.some((re) => re.test(folded))) continue;
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
    score += 0.5 * rule.boost.reduce((s, re) => s + bestMatch(folded, [re]), 0);
    if (score > bestScore) {
      bestKey = rule.key;
      bestScore = score;
    }
  }
  return bestKey;
}
