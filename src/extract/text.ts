// Text helpers shared by the extraction modules.
// Matching is done on a "folded" copy of the text (lowercase, no diacritics, đ -> d) that keeps
// every character at the same index as in the NFC original, so a pattern found in the folded copy
// can be sliced out of the original with its diacritics intact. Folding also makes the rules
// tolerant of tone marks that diacritic repair got wrong.

/** Lowercase, diacritic-free copy of an NFC string with the same length and character positions. */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch.length > 1) {
      out += ch; // astral characters (never Vietnamese letters) keep their two code units
      continue;
    }
    if (ch === 'đ' || ch === 'Đ') {
      out += 'd';
      continue;
    }
    const base = ch.normalize('NFD')[0] ?? ch;
    const lower = base.toLowerCase();
    out += lower.length === 1 ? lower : base;
  }
  return out;
}

/** Folds a rule phrase or keyword the same way, collapsing spaces. */
export function foldPhrase(text: string): string {
  return fold(text.normalize('NFC')).replace(/\s+/g, ' ').trim();
}

/** NFC with one space between words and straight-line trimming. */
export function clean(text: string): string {
  return text.normalize('NFC').replace(/[\u00a0\t ]+/g, ' ').replace(/\s+([,.;:)])/g, '$1').replace(/\(\s+/g, '(').trim();
}

/** Strips punctuation and connecting words a clause may start or end with. */
export function trimClause(text: string): string {
  let s = text.trim();
  for (;;) {
    const before = s;
    s = s.replace(/\s*\.\/\.$/, '').replace(/^[\s,;:.\-–]+/, '').replace(/[\s,;:\-–]+$/, '').replace(/\.+$/, '');
    s = s.replace(/^(và|hoặc)\s+/iu, '').replace(/\s+(và|hoặc)$/iu, '');
    if (s === before) return s;
  }
}

const lowerWords = new Set([
  'tỉnh', 'thành', 'phố', 'huyện', 'quận', 'thị', 'xã', 'trấn', 'phường', 'sở', 'ủy', 'ban', 'nhân', 'dân', 'và', 'của',
]);

/** "TỈNH TUYÊN QUANG" -> "tỉnh Tuyên Quang"; "SỞ XÂY DỰNG" -> "Sở xây dựng" (callers prefer a body spelling). */
export function properCase(upper: string): string {
  const words = upper.toLocaleLowerCase('vi').split(/\s+/).filter(Boolean);
  let seenName = false;
  return words
    .map((w, i) => {
      if (!seenName && lowerWords.has(w)) return i === 0 && w === 'sở' ? 'Sở' : w;
      seenName = true;
      return w.charAt(0).toLocaleUpperCase('vi') + w.slice(1);
    })
    .join(' ');
}

/** Upper-cases the first letter. */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

/** Lower-cases the first letter unless the text starts with an acronym or the name of a body or document. */
export function decapitalize(text: string): string {
  const first = text.split(/\s+/)[0] ?? '';
  if (first.length > 1 && first === first.toLocaleUpperCase('vi')) return text;
  if (/^(Ủy ban|Sở|Phòng|Văn phòng|Ban (?!hành)|Hội đồng|Trung tâm|Mặt trận|Đảng|Kế hoạch|Nghị quyết|Quyết định|Chủ tịch|Giám đốc)/u.test(text)) return text;
  return text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
}

const ocrDigit: Record<string, string> = { o: '0', O: '0', D: '0', l: '1', I: '1', '|': '1', i: '1', S: '5', B: '8', Z: '2' };

/**
 * Reads a number the way it is printed in a plan ("80", "0,5", "1.000", "02"), tolerating the stray
 * characters OCR leaves inside digits ("1O0", "9O", "l00", "lO"). Returns null when it is not a number.
 */
export function parseNumber(token: string): number | null {
  const t = token.trim();
  // A token without a real digit is a number only when it is two or more digit look-alikes ("lO").
  if (!/\d/.test(t) && !/^[OoIl|]{2,}$/.test(t)) return null;
  const digits = [...t].map((c) => ocrDigit[c] ?? c).join('');
  if (!/^\d+(?:[.,]\d+)*$/.test(digits)) return null;
  // Vietnamese writes decimals with a comma and thousands with a dot.
  if (/^\d{1,3}(\.\d{3})+$/.test(digits)) return Number(digits.replace(/\./g, ''));
  return Number(digits.replace(',', '.'));
}

// A number and its percent sign as an engine without Vietnamese reads them: the sign as "%o", "%0",
// "o/o", "0/o", "Yo", "o" ("50o/o", "15Yo", "70%o"), digits as look-alike letters ("7U", "9}", "T5", "gO").
// An "o" alone closing a clause ("đạt trên 50o;") is a sign too, after real digits only.
const damagedPercentRe = /([\dOoIlU}Tg|]+?)\s?(%[o0]?|[o0]\/o|[Yy][o0]|o(?=\s?[;.,]|$))(?!\d)/gmu;
const percentDigit: Record<string, string> = { O: '0', o: '0', U: '0', '}': '0', l: '1', I: '1', '|': '1', T: '7', g: '9' };
const toDigits = (run: string) => [...run].map((c) => percentDigit[c] ?? c).join('');

/**
 * Mends percentages an old OCR layer damaged: the sign read as letters, digits read as look-alike
 * letters, and the number glued to the word before it ("dqt7Uo/o" -> "dqt 70%"). Only runs ending at
 * a percent sign are touched, so other words and numbers stay as written.
 */
export function mendPercents(text: string): string {
  // A space OCR put inside "100%" ("1 00%"): no other split reads as a percentage of at most 100.
  return text.replace(/(?<![\d.,])1\s+00(?=\s*%)/gu, '100').replace(damagedPercentRe, (match: string, run: string, sign: string, offset: number, whole: string) => {
    if (sign === 'o' && !/\d/.test(run)) return match;
    const glued = offset > 0 && /[\p{L}\d?&€]/u.test(whole[offset - 1]!);
    const after = /\p{L}/u.test(whole[offset + match.length] ?? '') ? ' ' : '';
    if (!glued) return /\d/.test(run) || run.length >= 2 ? `${toDigits(run)}%${after}` : match;
    if (!/\d/.test(run)) return match;
    // Glued to a word: lowercase letters before the digits are the word's own ("cao50%", "tăng10%"),
    // and so are capitals of a capitalised word ("ĐẠT50%"); a capital after lowercase is a digit ("dqtT5").
    let wordLength = 0;
    while (wordLength < run.length && !/\d/.test(run[wordLength]!)) {
      const previous = whole[offset + wordLength - 1]!;
      const own = /\p{Ll}/u.test(run[wordLength]!) || (/\p{Lu}/u.test(run[wordLength]!) && /\p{Lu}/u.test(previous));
      if (!own) break;
      wordLength++;
    }
    const word = run.slice(0, wordLength);
    return `${word} ${toDigits(run.slice(word.length))}%${after}`;
  });
}

const romans: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10, xi: 11, xii: 12 };

/** "IV" -> 4, "4" -> 4; null for anything else. */
export function romanOrArabic(token: string): number | null {
  const t = token.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  return romans[t] ?? null;
}

/**
 * Regex source matching a folded phrase on word boundaries. Words may be separated by any run of
 * spaces and punctuation (line breaks, "chỉ đạo, điều hành", a stray "." OCR left: "dạy và. học").
 */
export function phraseSource(foldedPhrase: string): string {
  const words = foldedPhrase.split(/[^a-z0-9%]+/).filter(Boolean);
  return `(?<![a-z0-9])${words.map(escapeRegExp).join('[^a-z0-9%]+')}(?![a-z0-9])`;
}

/** Levenshtein distance, for words OCR damaged ("phổố" for "phố"). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Counts occurrences of a folded phrase in folded text, on word boundaries. */
export function countPhrase(foldedText: string, foldedPhrase: string): number {
  if (!foldedPhrase) return 0;
  return foldedText.match(new RegExp(phraseSource(foldedPhrase), 'g'))?.length ?? 0;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when the text has an opening quote without its closing one. */
export function hasOpenQuote(text: string): boolean {
  const curlyOpen = (text.match(/[“«„]/g) ?? []).length;
  const curlyClose = (text.match(/[”»]/g) ?? []).length;
  const straight = (text.match(/"/g) ?? []).length;
  return curlyOpen > curlyClose || straight % 2 === 1;
}
