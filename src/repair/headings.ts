// The Roman-numbered headings of a plan ("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", ...) count up
// through the document, across its pages; OCR misreads a numeral now and then ("IL.MỤC" for
// "I. MỤC", "HII." for "III.", "II." for "III."). A heading whose numeral is off the count takes
// the count's numeral when what was read is one character from it, and the headings around it
// keep the count: both of them where the numeral read is itself a valid one (a plan's annex may
// start again at "I."), one where it is none.

/** A line opening with a numeral-like run, a dot, and a heading in capitals. */
const HEADING = /^(\s*)([IVXLHlf1|]{1,5})\.\s*(?=\p{Lu}{2})/u;
const ROMAN_NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV'];

interface Heading {
  page: number;
  line: number;
  read: string;
  /** The value of the numeral read, or 0 when it is none. */
  value: number;
}

/** Pages' text with the numerals of misread headings put back in the count; everything else as it was. */
export function renumberHeadings(pages: string[]): string[] {
  const lines = pages.map((text) => text.split('\n'));
  const headings: Heading[] = [];
  lines.forEach((pageLines, page) =>
    pageLines.forEach((text, line) => {
      const match = HEADING.exec(text);
      if (match) headings.push({ page, line, read: match[2]!, value: ROMAN_NUMERALS.indexOf(match[2]!) + 1 });
    }),
  );
  let changed = false;
  headings.forEach((heading, i) => {
    const before = headings[i - 1];
    const after = headings[i + 1];
    const expected = before ? before.value + 1 : after ? after.value - 1 : 0;
    if (expected < 1 || expected > ROMAN_NUMERALS.length || heading.value === expected) return;
    const beforeKeeps = !before || before.value === expected - 1;
    const afterKeeps = !after || after.value === expected + 1;
    const neighbours = (before ? 1 : 0) + (after ? 1 : 0);
    if (!beforeKeeps || !afterKeeps || neighbours < (heading.value ? 2 : 1)) return;
    const numeral = ROMAN_NUMERALS[expected - 1]!;
    if (editDistance(heading.read, numeral) > 1) return;
    const text = lines[heading.page]![heading.line]!;
    lines[heading.page]![heading.line] = text.replace(HEADING, (_, indent: string) => `${indent}${numeral}. `);
    heading.value = expected;
    changed = true;
  });
  return changed ? lines.map((pageLines) => pageLines.join('\n')) : pages;
}

/** Levenshtein distance of two short strings. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}
