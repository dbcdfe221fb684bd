// Character-level facts about Vietnamese script used by every part of the repair stage.

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const ALL_MARKS = /[\u0300-\u036f]/g;
const VOWELS = new Set('aăâeêioôơuưy');

/** Base letter of every character: marks removed, đ → d ("Chuyển" → "Chuyen"). */
export function stripMarks(text: string): string {
  return text.normalize('NFD').replace(ALL_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** The tone mark of a syllable ('' for level tone) and the syllable without it. */
export function splitTone(syllable: string): { tone: string; bare: string } {
  const nfd = syllable.normalize('NFD');
  const tone = (nfd.match(TONE_MARKS) ?? []).join('');
  return { tone, bare: nfd.replace(TONE_MARKS, '').normalize('NFC') };
}

/** True when the character is a Vietnamese vowel letter, with or without marks. */
export function isVowel(ch: string): boolean {
  const bare = splitTone(ch.toLowerCase()).bare;
  return VOWELS.has(bare);
}

/** True for letters of any script and for Vietnamese letters in particular. */
export function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}

const ONSETS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x', ''];
const CODA = /(ch|nh|ng|c|m|n|p|t)$/;
/** Vowel groups (without tone) of syllables without a final consonant: "hoa", "người" has "ươi". */
const OPEN_NUCLEI = new Set(
  'a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ uy ưa ưi ưu iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu'.split(' '),
);
/** Vowel groups before a final consonant: "hoàn" has "oa", "thuyền" has "uyê". */
const CLOSED_NUCLEI = new Set('a ă â e ê i o ô ơ u ư y iê yê oa oă oe uâ uê uô uy uyê ươ oo'.split(' '));

/**
 * Phonotactic check of a lowercase NFC syllable: onset, a valid vowel group, final consonant,
 * at most one tone mark. Rejects typos of word lists ("cuờng", "quuyết") and foreign words.
 */
export function looksLikeSyllable(lower: string): boolean {
  const { tone, bare } = splitTone(lower);
  if (tone.length > 1 || bare.length === 0) return false;
  const coda = CODA.exec(bare)?.[0] ?? '';
  const body = bare.slice(0, bare.length - coda.length);
  const nuclei = coda ? CLOSED_NUCLEI : OPEN_NUCLEI;
  for (const onset of ONSETS) {
    if (!body.startsWith(onset)) continue;
    const nucleus = body.slice(onset.length);
    if (onset === 'qu' && /^[uư]/.test(nucleus)) continue;
    if (nuclei.has(nucleus)) return true;
    // "gì", "giếng": the i of "gi" doubles as the vowel.
    if (onset === 'gi' && (nucleus === '' ? !coda : nuclei.has('i' + nucleus))) return true;
  }
  return false;
}

/**
 * One spelling per syllable: the tone on the first vowel of open "oa", "oe", "uy"
 * ("hóa", "khỏe", "thủy"), as current administrative texts write it. Old-style
 * "hoá", "thuỷ" map to the same key so both spellings count as the same syllable.
 */
export function canonicalSyllable(lower: string): string {
  const { tone, bare } = splitTone(lower);
  if (!tone) return lower.normalize('NFC');
  const match = /^(.*?)(oa|oe|uy)$/.exec(bare);
  if (match && match[1] !== 'q' && !(match[1] ?? '').endsWith('q')) {
    const head = match[1] ?? '';
    const pair = match[2] ?? '';
    return (head + pair[0] + tone + pair[1]).normalize('NFC');
  }
  // Otherwise put the tone where the standard rules put it: on the vowel carrying a
  // modifier (ă â ê ô ơ ư), else the second of two vowels when a coda follows, else the first.
  const chars = [...bare];
  let start = 0;
  if (/^(gi|qu)/.test(bare) && chars.length > 2 && isVowel(chars[2] ?? '')) start = 2;
  const vowelIdx: number[] = [];
  for (let i = start; i < chars.length; i++) if (VOWELS.has(chars[i] ?? '')) vowelIdx.push(i);
  if (vowelIdx.length === 0) return lower.normalize('NFC');
  const modified = vowelIdx.filter((i) => 'ăâêôơư'.includes(chars[i] ?? ''));
  let at: number;
  if (modified.length > 0) at = modified[modified.length - 1] ?? 0;
  else if (vowelIdx.length >= 2 && (vowelIdx[vowelIdx.length - 1] ?? 0) < chars.length - 1) at = vowelIdx[vowelIdx.length - 1] ?? 0;
  else if (vowelIdx.length === 3) at = vowelIdx[1] ?? 0;
  else if (vowelIdx.length === 2) at = vowelIdx[0] ?? 0;
  else at = vowelIdx[0] ?? 0;
  chars[at] = (chars[at] ?? '') + tone;
  return chars.join('').normalize('NFC');
}

/** Letter case pattern of a token: decides how a repaired lowercase syllable is written. */
export type CasePattern = 'lower' | 'capitalised' | 'upper';

export function casePattern(token: string): CasePattern {
  let upper = 0;
  let letters = 0;
  for (const ch of token) {
    if (!isLetter(ch)) continue;
    letters++;
    if (ch !== ch.toLowerCase()) upper++;
  }
  const first = [...token].find((ch) => isLetter(ch) || /\d/.test(ch)) ?? '';
  if (letters >= 2 && upper * 2 > letters && upper >= 2) return 'upper';
  if (first !== first.toLowerCase()) return 'capitalised';
  return 'lower';
}

export function applyCase(lower: string, pattern: CasePattern): string {
  if (pattern === 'upper') return lower.toUpperCase();
  if (pattern === 'capitalised') return lower.charAt(0).toUpperCase() + lower.slice(1);
  return lower;
}

/**
 * The form in which the channel sees an OCR string: lowercase, except capitals inside a
 * lowercase word ("hiQu", "dQng", "sO"), which are look-alikes of marked vowels, not case.
 */
export function channelForm(core: string): string {
  const chars = [...core];
  const letters = chars.filter(isLetter);
  const uppers = letters.filter((ch) => ch !== ch.toLowerCase()).length;
  const lowers = letters.length - uppers;
  if (lowers === 0 || uppers === 0) return core.toLowerCase();
  const firstLetter = chars.findIndex(isLetter);
  if (uppers === 1 && chars[firstLetter] !== chars[firstLetter]!.toLowerCase()) return core.toLowerCase();
  // Mostly capitals ("PiCH", "VtU"): a heading with a misread letter; lowercase it all.
  if (uppers > lowers) return core.toLowerCase();
  return chars.map((ch, i) => (i === firstLetter ? ch.toLowerCase() : ch)).join('');
}
