// Document facts: kind, number, issuer, locality, date and place, title, campaign, period, phases,
// signer and legal bases, read from the header block, the title, the preamble, the body and the
// signature block. When the first page is missing, issuer and locality fall back on the body.
import type { DocumentFacts, LegalBasis, Locality } from '../schema/index.js';
import { findDate, isoDate } from './dates.js';
import { loadDictionary } from './dictionaries.js';
import { findPlaces, provinces, resolvePlace, type Level } from './places.js';
import type { Layout, Line } from './structure.js';
import { capitalize, clean, countPhrase, editDistance, escapeRegExp, fold, foldPhrase, phraseSource, properCase } from './text.js';

interface Vocabulary {
  documentKinds: string[];
  documentCodes: Record<string, string>;
  signerPositions: string[];
  surnames: string[];
  nonNameFirstWords: string[];
}

const vocabulary = () => loadDictionary<Vocabulary>('extract-vocabulary.json');

/** Unit words as printed before a place name (folded, then spelled), with the locality level they mean. */
const unitWords: [string, Level, string][] = [
  ['thanh pho', 'thanh_pho', 'thành phố'],
  ['thi xa', 'thi_xa', 'thị xã'],
  ['thi tran', 'thi_tran', 'thị trấn'],
  ['tinh', 'tinh', 'tỉnh'],
  ['huyen', 'huyen', 'huyện'],
  ['quan', 'quan', 'quận'],
  ['phuong', 'phuong', 'phường'],
  ['xa', 'xa', 'xã'],
];
const unitPattern = unitWords.map(([w]) => w.replace(' ', '\\s+')).join('|');

export interface DocumentReading {
  facts: DocumentFacts;
  warnings: string[];
}

// OCR may break the motto over two lines ("... CHỦ NGHĨA VIỆT" / "NAM"): its head alone is enough.
const mottoRe = /cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia(?:\s+viet(?:\s+nam)?)?|doc\s+lap\s*[-–]\s*tu\s+do\s*[-–]\s*hanh\s+phuc/g;
// "Số: 154/KH-UBND" as printed, or as OCR leaves it: "S6:", the slash read as "7" ("1057KH-UBND")
// or lost ("154KH-UBND"). Group 2 is the slash or what stands for it.
// It starts its line: "Kế hoạch số 55/KH-UBND" inside a sentence is a cited document.
const numberRe = /^[^a-z0-9]{0,4}s[o06]\s*:?\s*(\d{1,5}?(?:[a-z](?=\s*\/))?)\s*(\/|[7l|](?=[a-z]{1,8}\s*-)|(?=[a-z]{1,8}\s*-))\s*([a-z0-9d]{1,8}(?:\s*[-/]\s*[a-z0-9]{1,8}){0,3})/;
// "<place>, ngày 12 tháng 8 năm 2022", starting its line or right after the number; the three
// small words may come out damaged ("ndam"), the comma read as ";" or "." or lost.
const dateLineRe = /^[\s\-–.'"“_]*([a-z][a-z .'-]{1,40}?)\s*[,;.]?\s*ng[a-z]{1,3}\s+[.,']?(\d{1,2})\s+th[a-z]{2,4}\s+[.,']?(\d{1,2})\s+n[a-z]{1,3}\s+[.,']?(\d{4})/d;

/** Removes the parts of a header line that belong to the right column or the number. */
function authorityPart(text: string): string {
  let f = fold(text);
  let t = text;
  const cut = (re: RegExp) => {
    for (const m of [...f.matchAll(new RegExp(re.source, 'g'))].reverse()) {
      t = t.slice(0, m.index) + ' '.repeat(m[0].length) + t.slice(m.index + m[0].length);
    }
    f = fold(t);
  };
  cut(mottoRe);
  cut(numberRe);
  // The date line's place follows the authority's name on a merged line: cut from the place on.
  const date = /\s*[a-z][a-z .'-]{1,40}?\s*[,;.]?\s*ng[a-z]{1,3}\s+[.,']?\d{1,2}\s+th[a-z]{2,4}\s+[.,']?\d{1,2}\s+n[a-z]{1,3}\s+[.,']?\d{4}/.exec(f);
  if (date) t = t.slice(0, date.index);
  // the motto's last word left on a line of its own ("NAM" after "... CHỦ NGHĨA VIỆT")
  if (/^[^a-z]*(viet\s+)?nam[^a-z]*$/.test(fold(t))) return '';
  // header lines carry no punctuation of their own: what is left at the ends is specks
  return clean(t.replace(/^s[ốo]\s*:?\s*$/iu, '')).replace(/^[-.,;:'\s]+|[-.,;:'\s]+$/gu, '');
}

/** Spelling of a phrase as the body writes it (mixed case), most frequent first; null if absent. */
function bodySpelling(phrase: string, text: string, folded: string): string | null {
  const re = new RegExp(phraseSource(foldPhrase(phrase)), 'g');
  const counts = new Map<string, number>();
  for (const m of folded.matchAll(re)) {
    const original = clean(text.slice(m.index, m.index + m[0].length));
    if (original === original.toLocaleUpperCase('vi')) continue;
    counts.set(original, (counts.get(original) ?? 0) + 1);
  }
  let best: string | null = null;
  let n = 0;
  for (const [s, c] of counts) {
    // Prefer spellings that capitalise the name ("Sở Xây dựng" over "Sở xây dựng").
    const score = c + (/^\p{Lu}\S*\s+\p{Lu}/u.test(s) ? 0.5 : 0);
    if (score > n) {
      best = s;
      n = score;
    }
  }
  return best;
}

interface UnitName {
  level: Level;
  unitWord: string;
  name: string;
}

/** "TỈNH TUYÊN QUANG" / "UBND XÃ TÀ MA" / "Ủy ban nhân dân thành phố Chí Linh" -> unit and name. */
function readUnit(text: string): UnitName | null {
  // "UBND TP. HÀ TIÊN", "TX. Kiến Tường": the abbreviated unit words, written out.
  const t = text.trim().replace(/(^|\s)(TP|Tp|TX|Tx)\s*\.?\s*(?=\p{Lu})/u, (_, pre: string, ab: string) => `${pre}${/^tp$/i.test(ab) ? 'thành phố' : 'thị xã'} `);
  const f = fold(t);
  const m = new RegExp(`(?:^|\\s)(${unitPattern})\\s+([a-z0-9][a-z0-9 '-]*)$`).exec(f);
  if (m) {
    const start = f.length - m[2]!.length;
    // the unit word has one spelling; OCR's ("TÍNH") is not kept
    const [, level, spelled] = unitWords.find(([w]) => w === m[1]!.replace(/\s+/g, ' '))!;
    return { level, unitWord: spelled, name: t.slice(start).trim() };
  }
  // OCR-damaged unit word ("THÀNH PHỔỐ CHÍ LINH"): a known place name at the end, preceded by
  // words close to a unit word.
  const words = t.split(/\s+/);
  for (let k = Math.min(4, words.length - 1); k >= 1; k--) {
    const name = words.slice(-k).join(' ');
    const places = findPlaces(name);
    if (!places.length) continue;
    const before = fold(words.slice(0, -k).join(' '));
    for (const [word, level, spelled] of unitWords) {
      const tail = before.split(' ').slice(-word.split(' ').length).join(' ');
      if (places.some((p) => p.level === level || (level === 'thanh_pho' && p.level === 'thanh_pho_tw')) && editDistance(tail, word) <= 2) {
        return { level, unitWord: spelled, name };
      }
    }
  }
  return null;
}

const agencyRe = /^(so|ban|phong|van phong|hoi dong|cuc|chi cuc|trung tam|thanh tra|doan|hoi)\s/;

interface Issuing {
  issuer: string | null;
  locality: Locality | null;
}

/** Issuer and locality from the authority lines of the header. */
function fromHeader(authority: string[], text: string, folded: string, number: string | null): Issuing | null {
  if (!authority.length) return null;
  const last = authority[authority.length - 1]!;
  const lastFolded = fold(last);
  const unit = readUnit(last);
  if (unit && !agencyRe.test(lastFolded.replace(/^(uy ban nhan dan|ubnd)\s+/, ''))) {
    const locality = localityOf(unit, folded, text);
    const before = authority.slice(0, -1).map(fold).join(' ');
    const councilRe = /hoi dong nhan dan|hdnd/;
    const body = councilRe.test(before) || councilRe.test(lastFolded) ? 'Hội đồng nhân dân' : 'Ủy ban nhân dân';
    const isUbnd = body === 'Ủy ban nhân dân' && (/uy ban nhan dan|ubnd/.test(before + ' ' + lastFolded) || !number || /UBND/i.test(number));
    const issuer = isUbnd || body !== 'Ủy ban nhân dân' ? `${body} ${unitPhrase(unit, text, folded)}` : properCase(last);
    return { issuer, locality };
  }
  // An agency (Sở, Ban, Phòng...) under the unit named on the line above.
  const parent = authority.length > 1 ? readUnit(authority[authority.length - 2]!) : null;
  const agencyUpper = last.replace(/^(ỦY BAN NHÂN DÂN|UBND)\s+/iu, '');
  const agency = bodySpelling(agencyUpper, text, folded) ?? capitalize(properCase(agencyUpper).toLocaleLowerCase('vi'));
  const province = parent ? localityOf(parent, folded, text) : provinceFromMentions(folded, text);
  return {
    issuer: parent ? `${agency} ${unitPhrase(parent, text, folded)}` : province ? `${agency} tỉnh ${province.name}` : agency,
    locality: province ? { name: province.name, level: 'so_nganh', province: province.province ?? province.name } : null,
  };
}

/** "tỉnh Tuyên Quang" as the body spells it. */
function unitPhrase(unit: UnitName, text: string, folded: string): string {
  const phrase = `${unit.unitWord} ${unit.name}`;
  const spelled = bodySpelling(phrase, text, folded);
  return spelled ? spelled.charAt(0).toLocaleLowerCase('vi') + spelled.slice(1) : properCase(phrase);
}

/** Locality of a unit: its name as the document spells it, its level and its province. */
function localityOf(unit: UnitName, folded: string, text: string): Locality {
  const levels: Level[] = unit.level === 'thanh_pho' ? ['thanh_pho', 'thanh_pho_tw'] : unit.level === 'tinh' ? ['tinh', 'thanh_pho_tw'] : [unit.level];
  const place = resolvePlace(unit.name, levels, folded);
  const spelled = bodySpelling(`${unit.unitWord} ${unit.name}`, text, folded);
  const name = spelled ? clean(spelled.split(/\s+/).slice(unit.unitWord.split(/\s+/).length).join(' ')) : properCase(unit.name);
  const level: Level = place?.level === 'thanh_pho_tw' ? 'thanh_pho_tw' : unit.level;
  if (level === 'tinh' || level === 'thanh_pho_tw') return { name, level, province: name };
  // A name the list does not know (misspelt, or a unit created later): the province the text names most.
  return { name, level, province: place?.province ?? provinceFromMentions(folded, text)?.name ?? null };
}

/** The province the text mentions most ("tỉnh Kiên Giang"), for documents without a header. */
function provinceFromMentions(folded: string, text: string): Locality | null {
  let best: Locality | null = null;
  let bestCount = 0;
  for (const p of provinces()) {
    const word = p.level === 'thanh_pho_tw' ? 'thành phố' : 'tỉnh';
    // "tỉnh Kiên Giang" counts most; the bare name ("“Kiên Giang thực hiện ...”") a little.
    const n = countPhrase(folded, foldPhrase(`${word} ${p.name}`)) + 0.5 * countPhrase(folded, foldPhrase(p.name));
    if (n > bestCount) {
      bestCount = n;
      const spelled = bodySpelling(`${word} ${p.name}`, text, folded);
      const name = spelled ? clean(spelled.split(/\s+/).slice(word.split(' ').length).join(' ')) : p.name;
      best = { name, level: p.level, province: name };
    }
  }
  return best;
}

/** Issuer named in the body: "<issuer> ban hành Kế hoạch", "Kế hoạch ... của <issuer>./.". */
function fromBody(preamble: string, bodyText: string, text: string, folded: string): Issuing | null {
  const candidates: string[] = [];
  const issuing = /((?:ủy ban nhân dân|ubnd|sở|ban|phòng|hội đồng)\s[^,.;:]{2,80}?)\s+(?:ban hành|xây dựng|triển khai)\s+(?:kế hoạch|Kế hoạch)/giu;
  for (const m of preamble.matchAll(issuing)) candidates.push(m[1]!);
  const closing = /kế hoạch[^./]{0,200}?\s+của\s+((?:ủy ban nhân dân|ubnd|sở|ban|phòng)\s[^./]{2,60}?)\s*\.\/\./giu;
  for (const m of bodyText.matchAll(closing)) candidates.push(m[1]!);
  const issuer = candidates[0] ? clean(candidates[0]) : null;
  if (!issuer) return null;
  const unit = readUnit(issuer);
  if (unit && /^(ủy ban nhân dân|ubnd|hội đồng nhân dân)\s/iu.test(issuer)) {
    const full = issuer.replace(/^UBND\s/u, 'Ủy ban nhân dân ');
    return { issuer: full, locality: localityOf(unit, folded, text) };
  }
  const province = provinceFromMentions(folded, text);
  return {
    issuer: province && !fold(issuer).includes(fold(province.name)) ? `${issuer} tỉnh ${province.name}` : issuer,
    locality: province ? { name: province.name, level: 'so_nganh', province: province.name } : null,
  };
}

/** With neither header nor issuer sentence: the unit level the text refers to most ("trên địa bàn thành phố"). */
function fromMentions(text: string, folded: string): Issuing | null {
  const levelCounts = new Map<Level, number>();
  for (const [word, level] of unitWords) {
    const n = countPhrase(folded, `tren dia ban ${word}`) + countPhrase(folded, `cua ${word}`);
    if (n) levelCounts.set(level, n);
  }
  const level = [...levelCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!level) return null;
  const [word, , spelledWord] = unitWords.find(([, l]) => l === level)!;
  const named = new Map<string, number>();
  for (const m of folded.matchAll(new RegExp(`(?<![a-z])${word.replace(' ', '\\s+')}\\s+((?:[a-z]+\\s?){1,3})`, 'g'))) {
    const words = text.slice(m.index + m[0].length - m[1]!.length, m.index + m[0].length).trim().split(/\s+/);
    // The name is the capitalised words right after the unit word.
    const name = words.filter((w, i) => words.slice(0, i + 1).every((x) => /^\p{Lu}/u.test(x))).join(' ');
    if (name && findPlaces(name, [level]).length) named.set(name, (named.get(name) ?? 0) + 1);
  }
  const name = [...named.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!name) return null;
  const unit = { level, unitWord: spelledWord, name };
  return { issuer: `Ủy ban nhân dân ${unitPhrase(unit, text, folded)}`, locality: localityOf(unit, folded, text) };
}

function readNumber(lines: Line[]): string | null {
  for (const line of lines) {
    const f = fold(line.text);
    const m = numberRe.exec(f);
    if (!m) continue;
    const start = m.index + m[0].length - m[3]!.length;
    const code = line.text.slice(start, m.index + m[0].length).replace(/\s+/g, '');
    return `${m[1]}/${code}`;
  }
  return null;
}

function readDateLine(lines: Line[]): { issuedAt: string | null; place: string | null } {
  for (const line of lines) {
    let f = fold(line.text);
    const num = numberRe.exec(f);
    let offset = 0;
    if (num) {
      offset = num.index + num[0].length;
      f = f.slice(offset);
    }
    f = f.replace(mottoRe, (s) => ' '.repeat(s.length));
    const m = dateLineRe.exec(f);
    if (!m) continue;
    const [placeStart, placeEnd] = m.indices![1]!;
    const words = line.text.slice(offset + placeStart, offset + placeEnd).trim().split(/\s+/);
    // The place is the capitalised (not all-capital) words just before the comma.
    const placeWords: string[] = [];
    for (let i = words.length - 1; i >= 0 && /^\p{Lu}\p{Ll}*$/u.test(words[i]!); i--) placeWords.unshift(words[i]!);
    return { issuedAt: isoDate(Number(m[4]), Number(m[3]), Number(m[2])), place: placeWords.length ? placeWords.join(' ') : null };
  }
  return { issuedAt: null, place: null };
}

function readTitle(layout: Layout): string | null {
  const title = clean(layout.title.map((l) => l.text).join(' '));
  return title || null;
}

/** The movement's name: inside the first quotes of the title, or after "phong trào thi đua" in the text. */
function readCampaign(title: string | null, preamble: string): string | null {
  const quoted = (s: string) => /[“"«]([^”"»]{3,200})[”"»]/u.exec(s)?.[1] ?? null;
  if (title) {
    const q = quoted(title);
    if (q) return clean(q);
  }
  const m = /phong trào thi đua\s*[“"«]([^”"»]{3,200})[”"»]/iu.exec(preamble);
  return m ? clean(m[1]!) : null;
}

interface Phase {
  name: string;
  from: number;
  to: number;
}

function readPhases(bodyTexts: string[]): Phase[] {
  const phases: Phase[] = [];
  // Matched folded, tolerating damage repair left ("Giải doan2: Từ năm 2025 đến niim 2030").
  const re = /\b(giai\s*doan|dot)\s*(\d+|[ivx]+)\b\s*(?:\(|:|,|-|–)?\s*(?:tu\s+)?(?:n[a-z]{1,3}\s+)?(\d{4})\s*(?:-|–|den|toi)\s*(?:n[a-z]{1,3}\s+)?(\d{4})/g;
  for (const text of bodyTexts) {
    for (const m of fold(text).matchAll(re)) {
      const name = `${m[1]!.startsWith('dot') ? 'Đợt' : 'Giai đoạn'} ${m[2]!.toUpperCase()}`;
      const from = Number(m[3]);
      const to = Number(m[4]);
      if (to < from || phases.some((p) => p.name === name)) continue;
      phases.push({ name, from, to });
    }
  }
  return phases;
}

function readPeriod(bodyTexts: string[], phases: Phase[], title: string | null, campaign: string | null, issuedAt: string | null): DocumentFacts['period'] {
  const spans: [number, number][] = [];
  // Matched folded, tolerating damage repair or OCR left ("ừ năm 2021", "Tứ năm 2021 đến niim 2030").
  const stated = /(?:thuc hien|trien khai|to chuc|dien ra)[^.;]{0,40}?\b(?:tu|u)\s+(?:n[a-z]{1,3}\s+)?(\d{4})\s*(?:den|-|–)\s*(?:n[a-z]{1,3}\s+)?(\d{4})/;
  for (const text of bodyTexts) {
    const m = stated.exec(fold(text));
    if (m) spans.push([Number(m[1]), Number(m[2])]);
  }
  for (const p of phases) spans.push([p.from, p.to]);
  // The title's span counts too: a year OCR misread in the body ("đến năm 2023" for 2025) must not shorten it.
  if (title) {
    const m = /(\d{4})\s*[-–]\s*(\d{4})/.exec(title);
    if (m) spans.push([Number(m[1]), Number(m[2])]);
  }
  if (!spans.length && campaign && issuedAt) {
    const years = [...campaign.matchAll(/năm\s+(\d{4})/giu)].map((m) => Number(m[1]));
    if (years.length) spans.push([Number(issuedAt.slice(0, 4)), Math.max(...years)]);
  }
  const valid = spans.filter(([a, b]) => a <= b && a > 1990 && b < 2100);
  if (!valid.length) return null;
  return { from: Math.min(...valid.map((s) => s[0])), to: Math.max(...valid.map((s) => s[1])) };
}

/** The signer: position from the capitalised lines ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"), name below it. */
function readSigner(lines: Line[]): DocumentFacts['signer'] {
  const vocab = vocabulary();
  const positions = [...vocab.signerPositions].sort((a, b) => b.length - a.length);
  let position: string | null = null;
  let positionLine = -1;
  lines.forEach((line, i) => {
    for (const segment of line.text.split(/[;:]/)) {
      const upper = segment.trim();
      if (!upper || upper !== upper.toLocaleUpperCase('vi')) continue;
      const f = fold(upper);
      if (/^(tm|tl|tuq)\s*\./.test(f)) continue; // on behalf of the body, not the signer's own post
      const stripped = f.replace(/^(kt|q)\s*\.\s*/, '');
      // The post may also close a segment of the recipients' column beside it ("- Lưu: VT. PHÓ CHỦ TỊCH").
      const found =
        positions.find((p) => stripped.startsWith(foldPhrase(p))) ??
        positions.find((p) => new RegExp(`[\\s.,]${escapeRegExp(foldPhrase(p))}$`).test(stripped));
      if (!found) continue;
      // "KT. CHỦ TỊCH" is overridden by the signer's own post on the next line ("PHÓ CHỦ TỊCH").
      position = /^q\s*\./.test(f) ? `Quyền ${found.toLocaleLowerCase('vi')}` : found;
      positionLine = i;
    }
  });
  const surnames = new Set(vocab.surnames);
  const nonName = new Set(vocab.nonNameFirstWords);
  let name: string | null = null;
  let bestScore = 0;
  lines.forEach((line, i) => {
    const segments = line.text.split(/[;:]/);
    const candidate = clean(segments[segments.length - 1]!.replace(/^[-–•\s]+/, ''));
    const words = candidate.split(/\s+/);
    if (words.length < 2 || words.length > 5) return;
    if (!words.every((w) => /^\p{Lu}\p{Ll}*$/u.test(w) || /^\p{Lu}$/u.test(w))) return;
    if (nonName.has(words[0]!)) return;
    if (segments.length > 1 && /:/.test(line.text) && !/;/.test(line.text)) return;
    const score = (surnames.has(words[0]!) ? 2 : 1) + (positionLine >= 0 && i > positionLine ? 1 : 0);
    if (score > bestScore) {
      name = candidate;
      bestScore = score;
    }
  });
  if (!position && !name) return null;
  return { name, position };
}

/**
 * "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ về ..." -> one legal basis.
 * A clause ("Căn cứ ...", "Thực hiện ...", or a ";"-part) gives the document it opens with and those
 * listed after it ("..., Hướng dẫn số 15/HD-SNV ... và Công văn số ..."), not those its description
 * cites ("Kế hoạch số 55/KH-UBND ... thực hiện Nghị quyết số 48-NQ/TU").
 */
function readLegalBases(preamble: string): LegalBasis[] {
  const kinds = vocabulary().documentKinds.map((k) => foldPhrase(k).replace(/ /g, '\\s+')).join('|');
  const refRe = new RegExp(`(?<![a-z])(${kinds})\\s+(?:so\\s*:?\\s*)?(\\d{1,5}[a-z]?(?:\\s*[/-]\\s*[a-z0-9d]{1,10}){1,4})`, 'g');
  const bases: LegalBasis[] = [];
  const folded = fold(preamble);
  // "Thực hiện" opens a clause only where a sentence or ";"-part starts: elsewhere it is a description's verb.
  let clauseStart = 0;
  const clauses: [number, number][] = [];
  for (const m of folded.matchAll(/;|\bcan cu\b|(?:^|[.;:]\s*)thuc hien\b/g)) {
    const at = m[0] === ';' ? m.index : m.index + m[0].search(/[ct]/);
    if (at > clauseStart) clauses.push([clauseStart, at]);
    clauseStart = m[0] === ';' ? m.index + 1 : at;
  }
  clauses.push([clauseStart, folded.length]);
  for (const [start, end] of clauses) {
    const f = folded.slice(start, end);
    const refs = [...f.matchAll(refRe)].filter((m, i) => (i === 0 ? m.index <= 40 : /(?:,|\bva)\s*$/.test(f.slice(0, m.index))));
    if (!refs.length || refs[0]!.index > 40) continue;
    refs.forEach((m, i) => {
      const limit = refs[i + 1]?.index ?? f.length;
      const original = preamble.slice(start, start + limit);
      const kind = clean(original.slice(m.index, m.index + m[1]!.length));
      const number = original.slice(m.index + m[0].length - m[2]!.length, m.index + m[0].length).replace(/\s+/g, '');
      if (bases.some((b) => b.number === number)) return;
      const after = original.slice(m.index + m[0].length);
      const afterFolded = f.slice(m.index + m[0].length, limit);
      const date = findDate(afterFolded.slice(0, 40));
      const issuerMatch = /^[^;]{0,45}?\bcua\s+/.exec(afterFolded);
      let issuer: string | null = null;
      if (issuerMatch) {
        const rest = after.slice(issuerMatch[0].length);
        const stop = /\s+(về|v\/v|ban hành|thực hiện|phê duyệt|triển khai|hướng dẫn|quy định|tại|đã|khóa)\s|[;,(“"]|\.\s|\.$/iu.exec(rest);
        // Before the next document of a list, the issuer ends at its "và" ("... của Sở Nội vụ và Công văn ...").
        issuer = clean((stop ? rest.slice(0, stop.index) : rest.slice(0, 80)).replace(/\s+và\s*$/u, '')) || null;
      }
      bases.push({ kind: capitalize(kind.toLocaleLowerCase('vi')), number, date: date?.iso ?? null, issuer });
    });
  }
  return bases;
}

function readKind(layout: Layout, number: string | null): string | null {
  if (layout.kindLine) return capitalize(clean(layout.kindLine.text).toLocaleLowerCase('vi'));
  const code = number ? /\/([A-Za-zĐđ]+)/u.exec(number)?.[1] : null;
  return code ? (vocabulary().documentCodes[code] ?? null) : null;
}

/** All document facts. `bodyTexts` are the body paragraphs' texts in order. */
export function readDocument(layout: Layout, bodyTexts: string[]): DocumentReading {
  const warnings: string[] = [];
  const text = layout.lines.map((l) => l.text).join('\n');
  const folded = fold(text);
  // The header is what precedes the kind line; without a kind line, look at the first lines.
  const headerLines = layout.kindLine ? layout.header : layout.lines.slice(0, Math.min(8, layout.lines.length));
  const number = readNumber(headerLines);
  // OCR may put the right column's date line after the kind line and title.
  const { issuedAt, place } = readDateLine([...headerLines, ...layout.title, ...layout.preamble.slice(0, 3)]);
  const authority = layout.kindLine
    ? layout.header.map((l) => authorityPart(l.text)).filter((t) => t && t === t.toLocaleUpperCase('vi') && /\p{L}{2}/u.test(t))
    : [];
  const preamble = clean(layout.preamble.map((l) => l.text).join(' '));
  const issuing =
    fromHeader(authority, text, folded, number) ??
    fromBody(preamble, bodyTexts.join('\n'), text, folded) ??
    fromMentions(text, folded);
  if (!layout.kindLine) warnings.push('no header or title found: the first page may be missing');
  else if (!authority.length) warnings.push('header block not found: issuer and locality read from the body');
  if (!issuedAt) warnings.push('no date line found');
  const title = readTitle(layout);
  const campaign = readCampaign(title, preamble);
  const phases = readPhases(bodyTexts);
  const period = readPeriod(bodyTexts, phases, title, campaign, issuedAt);
  const signer = readSigner(layout.signature.length ? layout.signature : layout.lines.slice(-12));
  if (!signer?.name) warnings.push('signer name not found');
  return {
    facts: {
      kind: readKind(layout, number),
      number,
      issuer: issuing?.issuer ?? null,
      locality: issuing?.locality ?? null,
      issuedAt,
      place,
      title,
      campaign,
      period,
      phases,
      signer,
      legalBases: readLegalBases(preamble),
    },
    warnings,
  };
}
