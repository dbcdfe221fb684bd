// Calendar helpers: ISO dates from the Vietnamese date forms plans use.

const pad = (n: number) => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "2022-08-12", or null when the day does not exist. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1945 || year > 2100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** "MM-DD" for a yearly date, or null when no year has that day. */
export function monthDay(month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2024, month)) return null;
  return `${pad(month)}-${pad(day)}`;
}

export const endOfYear = (year: number) => `${year}-12-31`;
export const endOfMonth = (year: number, month: number) => isoDate(year, month, daysInMonth(year, month));
export const endOfQuarter = (year: number, quarter: number) => endOfMonth(year, quarter * 3);

/** Finds "ngày 12 tháng 8 năm 2022" or "12/8/2022" (first occurrence) in folded text. */
export function findDate(folded: string): { iso: string; index: number; length: number } | null {
  const re = /\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b|\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b/g;
  for (const m of folded.matchAll(re)) {
    const [d, mo, y] = m[1] ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
    const iso = isoDate(Number(y), Number(mo), Number(d));
    if (iso) return { iso, index: m.index, length: m[0].length };
  }
  return null;
}
