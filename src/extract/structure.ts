// Reads the layout of a plan: header block, kind line ("KẾ HOẠCH"), title, preamble (the "Căn cứ" /
// "Thực hiện" paragraphs), the numbered body as a section tree, and the signature block.
// Works on text page by page, as OCR or a repaired text layer gives it: the two header columns may
// be on one line or on separate lines, blank lines are unreliable, and the first page may be missing.
import { headingContext, type HeadingContext } from './context.js';
import { clean, fold, hasOpenQuote } from './text.js';

export interface Line {
  text: string;
  page: number;
}

export type MarkerKind = 'roman' | 'arabic' | 'letter' | 'dash' | 'plus' | 'star' | null;

export interface Paragraph {
  /** Paragraph text without its heading marker, lines joined. */
  text: string;
  markerKind: MarkerKind;
  /** "II", "2.1", "a", "-": the marker as printed. */
  marker: string | null;
  /** Heading path of the paragraph: "II.2.1.a" (bullets add nothing). */
  section: string | null;
  /** Texts of the enclosing headings, outermost first (the paragraph's own text is not included). */
  headings: string[];
  /** Year, pillar and level the enclosing headings (and the paragraph's own lead) give. */
  context: HeadingContext;
  /** True for a heading line without content of its own ("1. Mục đích", "Về kinh tế số"). */
  isHeading: boolean;
  page: number;
}

export interface Layout {
  header: Line[];
  kindLine: Line | null;
  title: Line[];
  preamble: Line[];
  paragraphs: Paragraph[];
  signature: Line[];
  /** All lines of the document, in reading order. */
  lines: Line[];
}

const kindWords = ['kế hoạch', 'quyết định', 'chương trình', 'hướng dẫn', 'thông báo', 'chỉ thị', 'công văn', 'nghị quyết', 'báo cáo'];
const kindFolded = kindWords.map((k) => fold(k));

/** Splits pages into trimmed lines, dropping blank lines and printed page numbers. */
export function toLines(pages: string[]): Line[] {
  const lines: Line[] = [];
  pages.forEach((page, i) => {
    for (const raw of page.normalize('NFC').split(/\r?\n/)) {
      // Specks OCR reads as punctuation at the ends of lines (". V.TIẾN ĐỘ", ".c) Biểu dương", "thi đua _").
      const text = raw
        .replace(/[\u00a0\t ]+/g, ' ')
        .trim()
        .replace(/^[.,'`ˆ˜:;_~„‚’‘]+\s*(?=[\p{L}\d(*+-])/u, '')
        // a speck read as a bullet before a capitalised roman heading ("- II. NỘI DUNG, TIÊU CHÍ")
        .replace(/^[-–—•*+]\s*(?=[IVX]{1,4}\s*[.\/]\s*\p{Lu}{2,}\s)/u, '')
        // a quote or bar standing apart from the word after it is a speck ("“ KẾ HOẠCH")
        .replace(/^[“”"|]\s+(?=\p{L})/u, '')
        .replace(/\s+[`ˆ˜_~|.,:;]+$/u, '');
      if (!text || /^[.,'`ˆ˜:;_~|“”"]+$/.test(text)) continue;
      if (/^[-–\s]*\d{1,3}[-–\s]*$/.test(text)) continue; // page number
      if (/^[-_=.…\s]{3,}$/.test(text)) continue; // rule under the header
      lines.push({ text, page: i + 1 });
    }
  });
  return lines;
}

/** Index of the line holding only the document kind ("KẾ HOẠCH"), looked for near the top. */
function findKindLine(lines: Line[]): number {
  const limit = Math.min(lines.length, 25);
  for (let i = 0; i < limit; i++) {
    const text = lines[i]!.text;
    const f = fold(text).replace(/[^a-z ]/g, '').trim();
    if (text !== text.toLocaleUpperCase('vi')) continue;
    if (kindFolded.includes(f)) return i;
  }
  return -1;
}

// A marker may stand alone on its line, its heading on the next ("2.", then "Mục tiêu cụ thể").
const romanRe = /^(X{0,1}(?:IX|IV|V?I{1,3}|V|X))\s*[.\/]\s*(?=\S|$)/;
// Roman numerals as OCR reads them before a capitalised heading: "1." for "I.", "11" for "II",
// "1V" for "IV", or the dot lost ("I MỤC ĐÍCH").
const ocrRomanRe = /^([1lI|]{1,3}|[1lI|]?V[1lI|]{0,3}|[1lI|]?X)\s*[.\/]?\s+(?=\S)/;
const arabicMultiRe = /^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?=\S)/;
const arabicRe = /^(\d{1,2})\s*[.)]\s*(?=[^\d\s/%]|$)/;
const letterRe = /^([a-zđ])\s*\)\s*/;
const dashRe = /^[-–—•]\s*(?=\S)/;
const plusRe = /^\+\s*(?=\S)/;
const starRe = /^\*\s*(?=\S)/;

interface Marker {
  kind: Exclude<MarkerKind, null>;
  value: string;
  rest: string;
}

/** Words after which a line-initial number continues the sentence ("đến năm\n2030. Qua đó"). */
const numberLeadWords = /(?:năm|số|ngày|tháng|quý|đến|từ|và|đạt|khoảng|tại|mục|điểm|khoản|giai đoạn|trên|dưới|thứ)$/iu;

function readMarker(text: string, previous: string | null): Marker | null {
  // Roman numerals are read without marks ("VỊ." is "VI." with a stray dot below), capitals only.
  let m = /^\p{Lu}/u.test(text) ? romanRe.exec(fold(text).toUpperCase()) : null;
  if (m) return { kind: 'roman', value: m[1]!, rest: text.slice(m[0].length) };
  m = ocrRomanRe.exec(text);
  if (m && isAllCaps(text.slice(m[0].length)) && /\p{L}{3}/u.test(text.slice(m[0].length))) {
    return { kind: 'roman', value: m[1]!.replace(/[1lI|]/g, 'I'), rest: text.slice(m[0].length) };
  }
  m = arabicMultiRe.exec(text);
  if (m && !(previous && numberLeadWords.test(previous))) return { kind: 'arabic', value: m[1]!, rest: text.slice(m[0].length) };
  m = arabicRe.exec(text);
  if (m && Number(m[1]) <= 40 && !(previous && numberLeadWords.test(previous))) {
    return { kind: 'arabic', value: m[1]!, rest: text.slice(m[0].length) };
  }
  m = letterRe.exec(text);
  if (m) return { kind: 'letter', value: m[1]!, rest: text.slice(m[0].length) };
  m = dashRe.exec(text);
  // A dash starting a wrapped line ("chính trị -\nxã hội") is a hyphen, not a bullet.
  if (m && !/^[-–—•]\s*\p{Ll}/u.test(text)) return { kind: 'dash', value: '-', rest: text.slice(m[0].length) };
  m = plusRe.exec(text);
  if (m) return { kind: 'plus', value: '+', rest: text.slice(m[0].length) };
  m = starRe.exec(text);
  if (m) return { kind: 'star', value: '*', rest: text.slice(m[0].length) };
  return null;
}

function medianWidth(lines: Line[]): number {
  const widths = lines.map((l) => l.text.length).filter((n) => n >= 30).sort((a, b) => a - b);
  return widths.length ? widths[Math.floor(widths.length / 2)]! : 80;
}

const isUpperStart = (s: string) => /^[\p{Lu}“"«(]/u.test(s);
const endsSentence = (s: string) => /[.!?:;]["”»)]?$/.test(s) || s.endsWith('./.');
const isAllCaps = (s: string) => /\p{L}/u.test(s) && s === s.toLocaleUpperCase('vi');

interface RawParagraph {
  lines: Line[];
  marker: Marker | null;
}

/** Groups body lines into paragraphs: a marker starts one; otherwise layout decides. */
function groupParagraphs(lines: Line[]): RawParagraph[] {
  const width = medianWidth(lines);
  const reflowed = width > 150; // one line per paragraph (rendered or reflowed text)
  const paragraphs: RawParagraph[] = [];
  let current: RawParagraph | null = null;
  let pendingMarker: Marker | null = null;
  for (const line of lines) {
    const prevText = current?.lines[current.lines.length - 1]?.text ?? null;
    const marker = readMarker(line.text, prevText);
    if (marker && marker.rest.trim() === '') {
      pendingMarker = marker; // a marker left alone on its line: the heading goes on below
      continue;
    }
    if (pendingMarker) {
      current = { lines: [line], marker: { ...pendingMarker, rest: line.text } };
      paragraphs.push(current);
      pendingMarker = null;
      continue;
    }
    if (marker || !current || !prevText) {
      current = { lines: [line], marker };
      paragraphs.push(current);
      continue;
    }
    const first = current.lines[0]!.text;
    let continues: boolean;
    if (!isUpperStart(line.text)) continues = true;
    else if (isAllCaps(first) && isAllCaps(line.text) && !endsSentence(prevText)) continues = true; // wrapped capital heading
    else if (hasOpenQuote(current.lines.map((l) => l.text).join(' '))) continues = true;
    else if (reflowed) continues = false;
    else if (endsSentence(prevText)) continues = prevText.length >= width * 0.9;
    else continues = prevText.length >= width * 0.6;
    if (continues) current.lines.push(line);
    else {
      current = { lines: [line], marker: null };
      paragraphs.push(current);
    }
  }
  return paragraphs;
}

// A clause left hanging on its comparator ("... đạt trên") and a number alone on a nearby line
// ("40%.") are one clause that OCR or repair read out of order.
const danglingEnd = /(?:đạt|trên|dưới|tối thiểu|ít nhất|khoảng|là|bằng)\s*$/iu;
const orphanNumber = /^\d+(?:[.,]\d+)?\s*%\s*[.;,]?$/;

function reattachOrphans(paragraphs: RawParagraph[]): RawParagraph[] {
  paragraphs.forEach((p, i) => {
    if (!danglingEnd.test(p.lines[p.lines.length - 1]!.text)) return;
    for (const q of paragraphs.slice(i + 1, i + 3)) {
      const k = q.lines.findIndex((l) => orphanNumber.test(l.text));
      if (k < 0 || (k === 0 && q.lines.length === 1 && q.marker)) continue;
      p.lines.push(...q.lines.splice(k, 1));
      return;
    }
  });
  return paragraphs.filter((p) => p.lines.length > 0);
}

function joinLines(lines: Line[]): string {
  return clean(lines.map((l) => l.text).join(' '));
}

/** Splits lines into header, title, preamble, body paragraphs (with section paths) and signature. */
export function readLayout(pages: string[]): Layout {
  const lines = toLines(pages);
  const kindIndex = findKindLine(lines);
  const header = kindIndex >= 0 ? lines.slice(0, kindIndex) : [];
  const kindLine = kindIndex >= 0 ? lines[kindIndex]! : null;

  // Title: the first line under the kind, then lines continuing it (lowercase start or open quote).
  const title: Line[] = [];
  let cursor = kindIndex + 1;
  if (kindIndex >= 0) {
    while (cursor < lines.length) {
      const text = lines[cursor]!.text;
      if (title.length > 0) {
        const joined = title.map((l) => l.text).join(' ');
        const continues = hasOpenQuote(joined) || /^[\p{Ll}\d(]/u.test(text);
        if (!continues || /^(căn cứ|thực hiện)\s/iu.test(text) || readMarker(text, null)) break;
      }
      title.push(lines[cursor]!);
      cursor++;
      if (title.length >= 5) break;
    }
  }

  // Body starts at the first roman heading (or the first numbered heading if none is roman).
  let bodyStart = -1;
  for (let i = cursor < 0 ? 0 : cursor; i < lines.length; i++) {
    const m = readMarker(lines[i]!.text, null);
    if (m?.kind === 'roman') {
      bodyStart = i;
      break;
    }
  }
  if (bodyStart < 0) {
    for (let i = Math.max(cursor, 0); i < lines.length; i++) {
      if (readMarker(lines[i]!.text, null)?.kind === 'arabic') {
        bodyStart = i;
        break;
      }
    }
  }
  if (bodyStart < 0) bodyStart = Math.max(cursor, 0);
  const preamble = lines.slice(Math.max(cursor, 0), bodyStart);

  // Signature block: from "Nơi nhận", the signing lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH": OCR
  // may read that column first) or the line closing the text with "./.", whichever comes first.
  let signatureStart = lines.length;
  for (let i = lines.length - 1; i > bodyStart && i >= lines.length - 60; i--) {
    const text = lines[i]!.text;
    if (/^n[oơ]i nh[aậ]n\b/iu.test(text) || /^(TM|KT|TL|TUQ)\s*\.\s*\p{Lu}{2}/u.test(text)) signatureStart = i;
  }
  for (let i = bodyStart; i < signatureStart; i++) {
    if (/\.\/\.\s*$/.test(lines[i]!.text)) {
      signatureStart = i + 1;
      break;
    }
  }
  const signature = lines.slice(signatureStart);
  const paragraphs = buildTree(reattachOrphans(groupParagraphs(lines.slice(bodyStart, signatureStart))));
  return { header, kindLine, title, preamble, paragraphs, signature, lines };
}

/** Heading lines without content: short, no sentence end, or a capitalised line. */
function looksLikeHeading(text: string, marker: Marker | null): boolean {
  if (marker?.kind === 'dash' || marker?.kind === 'plus') return false;
  if (isAllCaps(text)) return true;
  if (text.length > 90) return false;
  if (/%/.test(text)) return false;
  return !/[.;]$/.test(text);
}

/** Assigns section paths and heading contexts. */
function buildTree(raw: RawParagraph[]): Paragraph[] {
  let roman: string | null = null;
  let arabic: string[] = [];
  let letter: string | null = null;
  // Heading texts per level: roman, arabic (by depth), letter, unnumbered subheading.
  let romanText: string | null = null;
  let arabicTexts: string[] = [];
  let letterText: string | null = null;
  let subheading: string | null = null;
  const out: Paragraph[] = [];
  for (const p of raw) {
    const marker = p.marker;
    const body = marker ? joinLines([{ text: marker.rest, page: 0 }, ...p.lines.slice(1)]) : joinLines(p.lines);
    const heading = looksLikeHeading(body, marker);
    if (marker?.kind === 'roman') {
      roman = marker.value;
      arabic = [];
      letter = null;
      romanText = body;
      arabicTexts = [];
      letterText = null;
      subheading = null;
    } else if (marker?.kind === 'arabic') {
      arabic = marker.value.split('.');
      letter = null;
      arabicTexts = arabicTexts.slice(0, arabic.length - 1);
      arabicTexts[arabic.length - 1] = body;
      letterText = null;
      subheading = null;
    } else if (marker?.kind === 'letter') {
      letter = marker.value;
      letterText = body;
      subheading = null;
    } else if ((marker?.kind === 'star' || !marker) && heading && body.length <= 80) {
      subheading = body;
    }
    const path = [roman, ...arabic, letter].filter((x): x is string => !!x);
    const headings = [romanText, ...arabicTexts, letterText, subheading].filter((x): x is string => !!x);
    // A paragraph's own heading text is context for its content too ("a) Đối với cấp xã: 60% ...").
    const ownHeadings = headings.filter((h) => h !== body);
    const context = headingContext([...ownHeadings, body]);
    out.push({
      text: body,
      markerKind: marker?.kind ?? null,
      marker: marker?.value ?? null,
      section: path.length ? path.join('.') : null,
      headings: ownHeadings,
      context,
      isHeading: heading,
      page: p.lines[0]!.page,
    });
  }
  return out;
}

