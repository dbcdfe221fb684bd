// Deadlines: dated obligations. A date counts when it closes a task ("hoàn thành trong quý IV năm
// 2022", "tổng kết vào năm 2025", "Năm 2022: ban hành Kế hoạch", "trước ngày 05/11 hằng năm"); not
// when it opens a span ("từ quý IV năm 2022 đến năm 2025"), sets a horizon ("đến năm 2025",
// "giai đoạn 2021-2025") or dates a cited document ("Quyết định số 749/QĐ-TTg ngày 03/6/2020").
import type { Deadline } from '../schema/index.js';
import { endOfMonth, endOfQuarter, endOfYear, isoDate, monthDay } from './dates.js';
import { splitClauses, splitSentences } from './sentences.js';
import type { Paragraph } from './structure.js';
import { clean, decapitalize, escapeRegExp, fold, romanOrArabic, trimClause } from './text.js';

interface DateMention {
  start: number;
  end: number;
  due: string | null;
  precision: Deadline['precision'];
  /** Month and day of a date printed without its year ("ngày 30/5"). */
  monthDay: string | null;
  /** A year-only mention, kept only in the contexts that make it a deadline. */
  yearOnly: boolean;
}

// Words before a date that make it the start of a span or a horizon, not a deadline.
const openingWords = /\b(tu|den|toi|dinh huong(?: den)?|giai doan|ke tu|bat dau tu|sau)\s*$/;
// A cited document's number just before the date ("số 749/QĐ-TTg ngày", "91/2017/NĐ-CP ngày").
const citedDocument = /\d+\s*[/-]\s*(?:\d{4}\s*\/\s*)?[a-z]{1,8}(?:\s*[-/]\s*[a-z0-9]{1,8})*\s*,?\s*(?:ngay)?[\s.,„‚'’]*$/;
// Words before a year-only mention that make it a due year ("vào năm 2023", "tổng kết năm 2025").
const dueYearWords = /\b(vao|trong|truoc|cuoi|het|cham nhat|tong ket|so ket|hoan thanh)\s*$/;
// Tasks that run over the year rather than close in it ("Năm 2023: Triển khai sâu rộng ...").
const ongoingTask = /^(trien khai|tiep tuc|duy tri|day manh|thuc hien|to chuc thuc hien)\b/;
const yearlyMarker = /\b(hang nam|moi nam|thuong nien)\b/;
// A heading that is only a year or a span ("2. Năm 2023", "Giai đoạn 2024 - 2025:"): the tasks below it are due by its end.
const yearHeadingRe = /^(?:trong\s+)?(?:nam\s+(\d{4})|(?:giai doan|tu nam|tu)\s+\d{4}\s*(?:-|–|den nam|den)\s*(\d{4}))\s*:?$/;
// Tasks that close in the period they are listed under, as opposed to work that goes on through it.
const closingTask = /\b(so ket|tong ket|ban hanh|hoan thanh|phat dong|dang ky)\b/;

/** The innermost enclosing heading that is only a year or a span, with the last day it allows. */
function yearHeadingOf(headings: string[]): { text: string; due: string } | null {
  for (const heading of [...headings].reverse()) {
    const m = yearHeadingRe.exec(fold(heading).trim());
    if (m) return { text: clean(heading).replace(/\s*:$/, ''), due: endOfYear(Number(m[1] ?? m[2])) };
  }
  return null;
}

/** Dates in a clause (matched folded), most specific forms first; later forms skip spans already taken. */
function findDates(original: string): DateMention[] {
  const f = fold(original);
  const found: DateMention[] = [];
  const taken = (s: number, e: number) => found.some((d) => s < d.end && e > d.start);
  const add = (m: RegExpMatchArray, d: Omit<DateMention, 'start' | 'end'>) => {
    const start = m.index!;
    const end = start + m[0].length;
    if (!taken(start, end)) found.push({ start, end, ...d });
  };
  for (const m of f.matchAll(/\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b/g)) {
    add(m, { due: isoDate(+m[3]!, +m[2]!, +m[1]!), precision: 'day', monthDay: null, yearOnly: false });
  }
  for (const m of f.matchAll(/\b(?:ngay\s+)?(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})\b/g)) {
    add(m, { due: isoDate(+m[3]!, +m[2]!, +m[1]!), precision: 'day', monthDay: null, yearOnly: false });
  }
  // The numeral's I may be read as 1, l, | or ¡ ("quý ¡V năm 2025"), a speck may sit after "năm" ("năm. 2030").
  for (const m of f.matchAll(/\bquy\s+([iv1l|¡!]{1,4}|[2-4])\s*(?:\/\s*|nam\s*[.,]?\s+)(\d{4})\b/g)) {
    const q = /^[1-4]$/.test(m[1]!) ? Number(m[1]) : romanOrArabic(m[1]!.replace(/[1l|¡!]/g, 'i'));
    if (q) add(m, { due: endOfQuarter(+m[2]!, q), precision: 'quarter', monthDay: null, yearOnly: false });
  }
  // "quý" misread by OCR ("trong ca II năm 2022"): a capital roman numeral after a short word.
  for (const m of original.matchAll(/(?<=\s)(\S{1,3})\s+(IV|III|II|I)\s+năm\s+(\d{4})\b/gu)) {
    if (/^(giai|đợt|kỳ|khóa|phần|mục|lần|số|đoạn)$/iu.test(m[1]!)) continue;
    const q = romanOrArabic(m[2]!);
    if (q) add(m, { due: endOfQuarter(+m[3]!, q), precision: 'quarter', monthDay: null, yearOnly: false });
  }
  for (const m of f.matchAll(/\bthang\s+(\d{1,2})\s*(?:\/\s*|nam\s+)(\d{4})\b/g)) {
    add(m, { due: endOfMonth(+m[2]!, +m[1]!), precision: 'month', monthDay: null, yearOnly: false });
  }
  // Day and month without a year: "ngày 05/11", "ngày 30/5 và 30/11", "ngày 05 tháng 11".
  // "ngày" may have a letter damaged ("hgày 30/5"): a slashed day and month after it still says it.
  for (const m of f.matchAll(/\b(?:ngay\s+(\d{1,2})\s*(?:\/|thang)|(?:[a-z]gay|n[a-z]ay|ng[a-z]y|nga[a-z])\s+(\d{1,2})\s*\/)\s*(\d{1,2})\b(?!\s*(?:\/|nam)\s*\d)((?:\s*\.?\s*(?:va|,)\s*(?:ngay\s+)?\d{1,2}\s*\/\s*\d{1,2}\b(?!\s*\/\s*\d))*)/g)) {
    const md = monthDay(+m[3]!, +(m[1] ?? m[2])!);
    if (!md) continue;
    const firstEnd = m.index! + m[0].length - m[4]!.length;
    if (!taken(m.index!, firstEnd)) found.push({ start: m.index!, end: firstEnd, due: null, precision: 'day', monthDay: md, yearOnly: false });
    for (const more of m[4]!.matchAll(/(\d{1,2})\s*\/\s*(\d{1,2})/g)) {
      const md2 = monthDay(+more[2]!, +more[1]!);
      const start = firstEnd + more.index!;
      if (md2) found.push({ start, end: start + more[0].length, due: null, precision: 'day', monthDay: md2, yearOnly: false });
    }
  }
  for (const m of f.matchAll(/\bnam\s*[.,]?\s+(\d{4})\b/g)) {
    add(m, { due: endOfYear(+m[1]!), precision: 'year', monthDay: null, yearOnly: true });
  }
  // "năm" OCR misread as another short word after a due word ("tổng kết vào hư 2030").
  for (const m of f.matchAll(/(?<=\b(?:vao|trong|truoc|cuoi|het)\s+)(?!(?:quy|thang|ngay|so|ky|dot|tu|den)\s)[a-z]{1,3}\s+(20\d\d)\b/g)) {
    add(m, { due: endOfYear(+m[1]!), precision: 'year', monthDay: null, yearOnly: true });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Whether a date found in a clause is a deadline there. */
function isDeadline(f: string, d: DateMention): boolean {
  const before = f.slice(0, d.start).trimEnd();
  if (citedDocument.test(before.slice(-60))) return false;
  if (openingWords.test(before.replace(/\s*\bngay$/, ''))) return false;
  const after = f.slice(d.end);
  if (/^\s*(?:-|–|den|toi)\s*(?:nam\s+|quy\s+|ngay\s+)?\d/.test(after)) return false; // start of a span
  if (!d.yearOnly) return true;
  // "Khen thưởng tổng kết năm 2025" names an occasion; "tổ chức tổng kết năm 2025" is a deadline.
  if (dueYearWords.test(before)) return !/\bkhen thuong\s+(tong|so) ket$/.test(before);
  // "Năm 2022, ban hành ...": a year leading its clause, unless the task runs all year.
  if (/^[\s\-–+]*$/.test(before)) {
    const task = after.replace(/^\s*[:,.\-–]\s*/, '');
    return !ongoingTask.test(task) || /\b(so ket|tong ket|ban hanh|hoan thanh|phat dong)\b/.test(task);
  }
  return false;
}

const orgStart =
  /^(cac |nhung )?(uy ban nhan dan|ubnd|so |phong(?:,| (?!trao))|van phong|hoi dong|ban (?!hanh)|trung tam|thuong truc|co quan|don vi|doanh nghiep|mat tran|doan |hoi |chu tich|giam doc|thu truong|nguoi dung dau|cong chuc|can bo|thon|to dan pho|truong thon|bi thu)/;
const taskVerb =
  /\s(chu tri|phoi hop|chon|gui|to chuc|tiep tuc|trien khai|bao cao|xay dung|thuc hien|co trach nhiem|hoan thanh|tong hop|ban hanh|se|chiu trach nhiem|tham muu|huong dan|ra soat|dang ky|phat dong|tong ket|so ket|kiem tra|danh gia|nop|cap nhat)\b/;

/** The acting body at the start of a clause ("Ủy ban nhân dân tỉnh tiếp tục ..."), if any. */
export function responsibleOf(clause: string): string | null {
  const stripped = clause.replace(/^(?:[^,]{0,80}?,\s*)*?(?=(?:các |những )?(?:Ủy ban|UBND|Sở|Phòng|Văn phòng|Hội đồng|Ban(?!\s+hành)|Trung tâm|cơ quan|đơn vị|Công chức|thôn))/iu, '');
  const f = fold(stripped);
  if (!orgStart.test(f)) return null;
  const v = taskVerb.exec(f);
  if (!v || v.index > 140) return null;
  const who = trimClause(stripped.slice(0, v.index));
  return who.length >= 3 ? who : null;
}

/** The task: the clause without its date, time words, leading year and acting body. */
function taskOf(text: string, dueText: string, responsible: string | null): string {
  // The date goes with the preposition that introduces it ("trước ngày 05/11", "vào quý IV năm 2022").
  let t = dueText
    ? text.replace(new RegExp(`(?:\\s(?:và|vào|trong|trước|chậm nhất là|chậm nhất|hoàn thành trước|cuối))?\\s*${escapeRegExp(dueText)}`, 'iu'), ' ')
    : text;
  // What the acting body does follows it; without one, drop the lead-in phrases.
  const at = responsible ? t.indexOf(responsible) : -1;
  if (at >= 0) t = t.slice(at + responsible!.length);
  // Other dates the clause shares ("vào ngày 30/5 và 30/11") are not part of the task either.
  t = t.replace(/\s*(?:(?:và|,)\s+)?(?:(?:vào|trước)\s+)?(?:\p{L}?gày\s+)?\d{1,2}\s*\/\s*\d{1,2}\b(?!\s*\/)\.?/gu, ' ').replace(/\s+và(?=\s*[.,;]|\s*$)/gu, '');
  t = t.replace(/^[\s\-–+]*năm\s+\d{4}\s*[:,]?\s*/iu, '').replace(/,?\s*\b(?:hằng|hàng) năm\b\s*,?/giu, ' ');
  t = t.replace(/^(?:căn cứ tình hình thực tế|trên cơ sở[^,]*),\s*/iu, '');
  t = t.replace(/^\s*(?:trong|vào)\s*,?\s*/iu, '');
  return decapitalize(trimClause(clean(t)));
}

/** All deadlines of the plan's body; dates before the plan was issued are history, not deadlines. */
export function extractDeadlines(paragraphs: Paragraph[], issuedAt: string | null): Deadline[] {
  const deadlines: (Deadline & { inSchedule: boolean })[] = [];
  for (const p of paragraphs) {
    const inSchedule = /tien do|thoi gian|lo trinh/.test(fold(p.headings[0] ?? ''));
    // A year heading alone is no obligation: the tasks under it are.
    if (p.isHeading && yearHeadingOf([p.text])) continue;
    const yearHeading = inSchedule ? yearHeadingOf(p.headings) : null;
    const paragraphYearly = yearlyMarker.test(fold(p.text));
    let previous: string | null = null;
    for (const sentence of splitSentences(p.text)) {
      // The body a sentence opens with acts in all its clauses ("Phòng Nội vụ hướng dẫn ...; tổng hợp ... trước ngày 15/11").
      const subject = responsibleOf(splitClauses(sentence)[0] ?? '');
      for (const clause of splitClauses(sentence)) {
        const f = fold(clause);
        const found = findDates(clause).filter((d) => isDeadline(f, d));
        // "Năm 2022: Ban hành ... trong quý IV năm 2022": the precise date stands for the year.
        const dates = found.filter((d) => !d.yearOnly || !found.some((o) => o !== d && !o.yearOnly && o.due?.slice(0, 4) === d.due?.slice(0, 4)));
        dates.forEach((d, i) => {
          const prev = dates[i - 1];
          const next = dates[i + 1];
          // Dates joined by a bare "và" share their clause ("vào ngày 30/5 và 30/11").
          const sharedWithPrev = prev && f.slice(prev.end, d.start).trim().split(/\s+/).length <= 2;
          const sharedWithNext = next && f.slice(d.end, next.start).trim().split(/\s+/).length <= 2;
          const start = prev && !sharedWithPrev ? prev.end : 0;
          const end = next && !sharedWithNext ? d.end : clause.length;
          let text = trimClause(clause.slice(start, end).replace(/^\s*(?:và|,)\s*/u, ''));
          const dueText = clean(clause.slice(d.start, d.end));
          const responsible = responsibleOf(text) ?? (subject && !text.includes(subject) ? subject : null);
          let task = taskOf(text, dueText, responsible);
          // "Hoàn thành trong quý IV năm 2022." finishes the task the sentence before named.
          if (previous && (!task || /^hoàn thành$/iu.test(task))) {
            task = taskOf(previous, '', responsibleOf(previous));
            text = `${trimClause(previous)}. ${text}`;
          }
          const yearly = d.monthDay !== null && (paragraphYearly || p.context.year === null);
          const due = d.due ?? (d.monthDay && !yearly ? `${p.context.year}-${d.monthDay}` : null);
          if (due && issuedAt && due < issuedAt) return;
          const deadline = {
            text,
            task: task || null,
            due,
            dueText,
            precision: d.precision,
            recurrence: yearly ? ('yearly' as const) : null,
            recurDay: yearly ? d.monthDay : null,
            responsible,
            page: p.page,
            inSchedule,
          };
          addDeadline(deadlines, deadline);
        });
        if (!dates.length && !found.length && yearHeading && closingTask.test(f)) {
          const responsible = responsibleOf(clause) ?? subject;
          const text = `${yearHeading.text}: ${trimClause(clause)}`;
          const task = taskOf(trimClause(clause), '', responsible);
          if (!issuedAt || yearHeading.due >= issuedAt) {
            addDeadline(deadlines, { text, task: task || null, due: yearHeading.due, dueText: yearHeading.text, precision: 'year', recurrence: null, recurDay: null, responsible, page: p.page, inSchedule });
          }
        }
        previous = dates.length ? null : clause;
      }
    }
  }
  return deadlines.map(({ inSchedule: _, ...d }) => d);
}

const milestone = (task: string | null) => {
  const f = fold(task ?? '');
  return /\btong ket\b/.test(f) ? 'tong ket' : /\bso ket\b/.test(f) ? 'so ket' : null;
};

/**
 * Adds a deadline unless the plan already set the same one: a review ("sơ kết", "tổng kết") due
 * the same day is one obligation, kept where the schedule section states it.
 */
function addDeadline(list: (Deadline & { inSchedule: boolean })[], d: Deadline & { inSchedule: boolean }): void {
  const kind = milestone(d.task);
  const same = list.findIndex(
    (x) => x.due === d.due && x.recurDay === d.recurDay && ((kind && milestone(x.task) === kind) || (x.text === d.text && x.dueText === d.dueText)),
  );
  if (same < 0) list.push(d);
  else if (d.inSchedule && !list[same]!.inSchedule) list[same] = d;
}
