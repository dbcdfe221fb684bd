// Targets: every number a plan promises to reach. One target per number; a clause holding several
// ("100% cơ sở dữ liệu dùng chung và 80% cơ sở dữ liệu chuyên ngành được kết nối") is split, each
// part keeping the shared predicate. Year, pillar and level come from the clause, then its headings.
import type { Target } from '../schema/index.js';
import { responsibleOf } from './deadlines.js';
import { indicatorPillar, matchIndicator } from './indicators.js';
import { splitClauses, splitSentences } from './sentences.js';
import type { Paragraph } from './structure.js';
import { clean, fold, mendPercents, parseNumber, trimClause } from './text.js';

export interface TargetOptions {
  /** Year a target is due when neither the clause nor its headings say ("phấn đấu đến năm 2025"). */
  defaultYear: number | null;
  /** The issuing agency ("Sở Xây dựng") when the plan is a department's: "của Sở" targets apply to it. */
  agency: string | null;
}

type Comparator = Target['comparator'];

interface NumberMention {
  value: number;
  valueMax: number | null;
  unit: Target['unit'];
  /** Character span of the number expression (with its range and unit) in the clause. */
  start: number;
  end: number;
}

// A percentage, optionally a range ("từ 50% đến 70%", "50-70%"), optionally per year. Digits may
// carry OCR stray letters ("1O0%"), which parseNumber reads.
const percentRe =
  /(?<![\p{L}\d])(?:(?:từ\s+)?([\dOoIl|][\dOoIl|.,]*)\s*%?\s*(?:-|–|đến|tới)\s*)?([\dOoIl|][\dOoIl|.,]*)\s*(?:%|phần trăm)(\s*\/\s*năm|\s+mỗi năm)?/dgiu;

function percentMentions(clause: string): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of clause.matchAll(percentRe)) {
    const value = parseNumber(m[2]!);
    if (value === null || value > 1000) continue;
    const low = m[1] ? parseNumber(m[1]) : null;
    const isRange = low !== null && low < value && !/^\d{4}$/.test(m[1]!);
    out.push({
      value: isRange ? low : value,
      valueMax: isRange ? value : null,
      unit: m[3] ? '%/year' : '%',
      start: isRange ? m.index : m.indices![2]![0],
      end: m.index + m[0].length,
    });
  }
  return out;
}

// A rate clause ("Tỷ lệ ... đạt 600;") is a percentage even when OCR lost its sign or read it as a
// digit or letter ("600" for "60%", "700h" for "70%"): the number closing the clause after "đạt".
const rateRe = /^t[ỷỉ]\s+(?:lệ|trọng)\s.*\sđạt\s+(?:(?:trên|tối thiểu|ít nhất|khoảng)\s+)?([\dOoIl|]{1,4})h?\s*[.;,]?\s*$/diu;

function rateMention(clause: string): NumberMention | null {
  const m = rateRe.exec(clause);
  if (!m) return null;
  const token = m[1]!;
  let value = parseNumber(token);
  if (value !== null && value > 100 && /0$/.test(token)) value = Math.floor(value / 10);
  if (value === null || value > 100) return null;
  const [start, end] = m.indices![1]!;
  return { value, valueMax: null, unit: '%', start, end };
}

// Counts are targets only with a comparator or a range ("ít nhất từ 02 đến 03 đơn vị").
const countRe =
  /(?<![\p{L}\d/])((?:ít nhất|tối thiểu|không dưới|trên)\s+(?:từ\s+)?|từ\s+)(\d{1,4})(?:\s*(?:-|–|đến|tới)\s*(\d{1,4}))?\s+(?!%|(?:năm|tháng|ngày|giờ|lần|tuổi|quý)(?!\p{L}))(\p{L}+)/giu;

function countMentions(clause: string): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of clause.matchAll(countRe)) {
    const value = Number(m[2]);
    const max = m[3] ? Number(m[3]) : null;
    const isRangeOnly = /^từ\s+$/iu.test(m[1]!);
    if (isRangeOnly && max === null) continue;
    if (value >= 1900 || (max !== null && max <= value)) continue;
    out.push({ value, valueMax: max, unit: 'count', start: m.index + m[1]!.length, end: m.index + m[0].length - m[4]!.length });
  }
  return out;
}

/** Comparator from the words just before the number ("tối thiểu", "trên", "không quá") or after it ("trở lên"). */
function comparatorOf(before: string, after: string): Comparator {
  const b = fold(before).trimEnd();
  if (/\b(toi thieu|it nhat|khong duoi|khong thap hon)(\s+(la|tu|dat))?$/.test(b) || /^\s*tro len\b/.test(fold(after))) return '>=';
  if (/\b(toi da|khong qua|khong vuot qua|khong cao hon|khong nhieu hon)(\s+la)?$/.test(b)) return '<=';
  if (/\b(vuot tren|vuot|tren|hon|cao hon|nhieu hon)$/.test(b)) return '>';
  if (/\b(duoi|thap hon|it hon)$/.test(b)) return '<';
  return '=';
}

// Years a clause itself sets: "đến năm 2025", "trong quý IV năm 2021" (not "định hướng đến năm 2030").
function clauseYear(sentence: string): number | null {
  const f = fold(sentence);
  for (const m of f.matchAll(/\b(den|truoc|trong|vao|cuoi|het)\s+(?:quy\s+[ivx\d]+\s+)?nam\s+(\d{4})\b/g)) {
    if (/dinh huong\s*$/.test(f.slice(0, m.index))) continue;
    return Number(m[2]);
  }
  const lead = /^(?:[-–+]\s*)?nam\s+(\d{4})\b/.exec(f);
  return lead ? Number(lead[1]) : null;
}

// Verbs are matched with their diacritics: folded "co" would also be "cơ" (cơ sở, cơ quan).
const verbRe = /(?:^|\s)(?:được|có|đạt|tham gia|sử dụng|thực hiện|triển khai|hoàn thành|kết nối|ứng dụng|xử lý)(?=\s|$)/u;

/** Splits a clause with several numbers at the last separator before each number after the first. */
function pieces(clause: string, mentions: NumberMention[]): { text: string; mention: NumberMention; offset: number }[] {
  const out: { text: string; mention: NumberMention; offset: number }[] = [];
  let start = 0;
  mentions.forEach((mention, i) => {
    const next = mentions[i + 1];
    let end = clause.length;
    if (next) {
      const between = clause.slice(mention.end, next.start);
      // A colon or full stop (often a semicolon OCR misread) ends a clause more surely than a comma or "và".
      const strong = [...between.matchAll(/[:.]\s/gu)];
      const seps = strong.length ? strong : [...between.matchAll(/,|\svà\s|\shoặc\s/gu)];
      const last = seps[seps.length - 1];
      end = last ? mention.end + last.index : next.start;
    }
    out.push({ text: clause.slice(start, end), mention, offset: start });
    start = end;
  });
  return out;
}

/** Adds the predicate of the last part to the earlier parts that have none ("100% X ... được kết nối"). */
function sharePredicate(parts: { text: string }[]): string[] {
  const texts = parts.map((p) => trimClause(p.text));
  const last = texts[texts.length - 1] ?? '';
  const m = /(?:^|\s)(?:được|có|đạt)\s/u.exec(last.toLocaleLowerCase('vi'));
  const predicate = m ? last.slice(m.index).trim() : null;
  return texts.map((t, i) => (i < texts.length - 1 && predicate && !verbRe.test(t.toLocaleLowerCase('vi')) ? `${t} ... ${predicate}` : t));
}

const awardContext = /\b(khen thuong|bang khen|giay khen|tang thuong|danh hieu|tap the|ca nhan)\b/;

function appliesToOf(text: string, context: string | null, agency: string | null): string | null {
  const f = fold(text);
  // "cấp tỉnh và cấp huyện": every level the clause joins.
  const level = /\bcap (tinh|huyen|xa)\b(?:\s*(?:,|va)\s*cap (?:tinh|huyen|xa)\b)*/.exec(f);
  if (level && !/\b(cac|02|03|hai|ba) cap\b/.test(f)) {
    const original = text.slice(level.index, level.index + level[0].length);
    if (!context || /^cấp /u.test(context)) return original.toLocaleLowerCase('vi');
  }
  if (agency && /\b(cua|giua|thuoc tham quyen cua) so\b/.test(f)) return agency;
  if (agency && /\bcua co quan\b/.test(f) && !context) return agency;
  return context;
}

/** All targets of the plan's body. */
export function extractTargets(paragraphs: Paragraph[], options: TargetOptions): Target[] {
  const targets: Target[] = [];
  for (const p of paragraphs) {
    for (const sentence of splitSentences(mendPercents(p.text))) {
      const sentenceYear = clauseYear(sentence) ?? p.context.year ?? options.defaultYear;
      for (const rawClause of splitClauses(sentence)) {
        // A lead naming the part ("Khen thưởng sơ kết năm 2023: ...") is heading, not clause.
        const lead = /^[^:%]{3,80}:\s+(?=\S)/u.exec(rawClause);
        const clause = lead ? rawClause.slice(lead[0].length) : rawClause;
        let mentions = percentMentions(clause);
        const rate = mentions.length ? null : rateMention(clause);
        if (rate) mentions = [rate];
        if (!mentions.length && !awardContext.test(fold(clause))) mentions = countMentions(clause);
        if (!mentions.length) continue;
        const parts = pieces(clause, mentions);
        const texts = sharePredicate(parts);
        const clauseYearOrSentence = clauseYear(clause) ?? sentenceYear;
        parts.forEach((part, i) => {
          const { mention } = part;
          const text = clean(texts[i]!);
          if (!text) return;
          const before = clause.slice(Math.max(0, mention.start - 30), mention.start);
          const after = clause.slice(mention.end, mention.end + 20);
          // "khen thưởng không quá 20% số tập thể" is an award quota, not a target;
          // "đã đạt 85%" reports where things stand.
          if (/\b(toi da|khong qua)\s*$/.test(fold(before)) && awardContext.test(fold(clause))) return;
          if (/(?:^|\s)đã\s+(?:đạt|có|được|hoàn thành)(?=[\s,.;:]|$)/iu.test(before)) return;
          const indicator = matchIndicator(text);
          const target: Target = {
            text,
            indicator,
            value: mention.value,
            valueMax: mention.valueMax,
            unit: mention.unit,
            comparator: comparatorOf(before, after),
            // The nearest year wins: "50% vào năm 2023 và 80% vào năm 2025".
            year: clauseYear(part.text) ?? clauseYearOrSentence,
            // The canonical list's pillar of the indicator first (the analysts' records always agree
            // with it), then the heading's: a heading OCR lost would leave the previous one's pillar.
            pillar: (indicator ? indicatorPillar(indicator) : null) ?? p.context.pillar ?? 'chung',
            // Else the body the clause opens with, before its number ("UBND thành phố chọn ít nhất 02 đơn vị").
            appliesTo: appliesToOf(text, p.context.appliesTo, options.agency) ?? responsibleOf(clause.slice(0, mention.start)),
            section: p.section,
            page: p.page,
          };
          if (!targets.some((t) => t.section === target.section && t.text === target.text && t.value === target.value)) targets.push(target);
        });
      }
    }
  }
  return targets;
}
