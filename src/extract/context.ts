// What a heading tells about the clauses under it: the year ("Mục tiêu cụ thể đến năm 2023"),
// the pillar ("Về kinh tế số") and who the targets apply to ("Đối với cấp xã").
import type { Target } from '../schema/index.js';
import { fold } from './text.js';

export type Pillar = NonNullable<Target['pillar']>;

export interface HeadingContext {
  year: number | null;
  pillar: Pillar | null;
  appliesTo: string | null;
}

const pillarTerms: [RegExp, Pillar][] = [
  [/\bchinh quyen (so|dien tu)\b/, 'chinh_quyen_so'],
  [/\bkinh te so\b/, 'kinh_te_so'],
  [/\bxa hoi so\b/, 'xa_hoi_so'],
  [/\bha tang( so)?\b/, 'ha_tang_so'],
];

/**
 * The part of a paragraph that acts as its heading: the whole text when it is short, otherwise
 * its lead before ":" ("Đối với xã, phường: 60% ...") or a leading year ("Năm 2022, ban hành ...").
 */
export function headingPart(text: string): string {
  if (text.length <= 90) return text;
  const colon = text.indexOf(':');
  if (colon > 0 && colon <= 100) return text.slice(0, colon);
  const year = /^(?:trong\s+)?năm\s+\d{4}\s*[,:]/iu.exec(text);
  return year ? year[0] : '';
}

/** The year a heading sets: "đến năm 2025", "Năm 2021:", "giai đoạn 2021-2025" (its end). */
export function yearOf(text: string): number | null {
  const f = fold(text);
  const m =
    /^(?:trong |den )?nam (\d{4})\b/.exec(f) ??
    /\b(?:den|toi|truoc|trong|vao) nam (\d{4})\b/.exec(f) ??
    /\b(?:giai doan|tu nam|tu)\s*(?:\d{4})\s*(?:-|–|den nam|den)\s*(\d{4})\b/.exec(f) ??
    /\bnam (\d{4})\b/.exec(f);
  if (!m) return null;
  const year = Number(m[1]);
  return year >= 1990 && year <= 2100 ? year : null;
}

/** The pillar a heading names, when it names exactly one. */
export function pillarOf(text: string): Pillar | null {
  const f = fold(text);
  const found = new Set(pillarTerms.filter(([re]) => re.test(f)).map(([, p]) => p));
  return found.size === 1 ? [...found][0]! : null;
}

/** "Đối với các cơ quan, tổ chức, đơn vị cấp tỉnh" -> "cấp tỉnh"; "Đối với xã, phường" -> "xã, phường". */
export function appliesToOf(text: string): string | null {
  const m = /(?:^|\s)đối với\s+(.+)$/iu.exec(text.trim());
  if (!m) return null;
  const who = m[1]!.split(':')[0]!.replace(/[:.;,\s]+$/u, '').replace(/^(các|những)\s+/iu, '').trim();
  const level = /cấp\s+(tỉnh|huyện|xã|thành phố|sở|phòng)/iu.exec(who);
  if (level) return `cấp ${level[1]!.toLocaleLowerCase('vi')}`;
  return who.length > 0 && who.length <= 80 ? who : null;
}

/** Merges what the headings say, outermost first; inner headings override outer ones. */
export function headingContext(headings: string[]): HeadingContext {
  const context: HeadingContext = { year: null, pillar: null, appliesTo: null };
  for (const heading of headings) {
    const part = headingPart(heading);
    if (!part) continue;
    context.year = yearOf(part) ?? context.year;
    context.pillar = pillarOf(part) ?? context.pillar;
    context.appliesTo = appliesToOf(part) ?? context.appliesTo;
  }
  return context;
}
