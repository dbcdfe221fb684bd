// Reading order of an OCR'd page. Tesseract often merges side-by-side blocks (the two-column
// header: authority and number left, motto and date right; the signature block) into single
// lines. Lines are cut at wide gaps between words, regrouped into rows, and runs of rows that
// share a free vertical gutter are read as two columns: the left one first, then the right.

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PositionedWord {
  text: string;
  bbox: Box;
}

interface Segment {
  text: string;
  box: Box;
  /** Median top and bottom of its words: one tall mark (a speck joined to a letter) must not make the line overlap the next. */
  top: number;
  bottom: number;
}

/** A gap wider than this share of the page width separates columns, not words. */
const COLUMN_GAP_SHARE = 0.04;

/** A mark lower than this share of the page's typical word height is a speck of the scan, not a character. */
const SPECK_HEIGHT_SHARE = 0.5;
/** A page number: a lone number, perhaps between dashes, centred within this share of the page width. */
const PAGE_NUMBER = /^[-–]?\s*\d{1,3}\s*[-–]?$/;
const PAGE_NUMBER_CENTRING = 0.1;

/** Lines of text in reading order, from OCR lines given as their words with boxes. */
export function readingOrder(lines: PositionedWord[][], pageWidth: number): string[] {
  const minGap = pageWidth * COLUMN_GAP_SHARE;
  const segments = withoutSpecks(lines, minGap).flatMap((words) => splitAtGaps(words, minGap));
  const rows = withoutPageNumber(groupRows(segments), pageWidth);
  const out: string[] = [];
  let i = 0;
  while (i < rows.length) {
    const region = columnRegion(rows, i, minGap);
    if (region) {
      const { end, gutter } = region;
      const block = rows.slice(i, end).flat();
      // a left line may reach past the gutter (see columnRegion): a column is where a segment starts
      out.push(...block.filter((s) => s.box.x0 < gutter).map((s) => s.text));
      out.push(...block.filter((s) => s.box.x0 >= gutter).map((s) => s.text));
      i = end;
    } else {
      out.push(rows[i]!.map((s) => s.text).join(' '));
      i++;
    }
  }
  return out;
}

const height = (w: PositionedWord): number => w.bbox.y1 - w.bbox.y0;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const letterCount = (text: string): number => text.match(/[\p{L}\d]/gu)?.length ?? 0;

/**
 * Drops specks read as characters: at most one letter, far lower than the page's words, and a
 * column gap away from any other word (a bullet's dash sits a word space from its text). Left in,
 * a speck beside the text looks like a second column and splits the paragraph.
 */
function withoutSpecks(lines: PositionedWord[][], minGap: number): PositionedWord[][] {
  const heights = lines.flat().filter((w) => letterCount(w.text) >= 2).map(height);
  if (!heights.length) return lines;
  const minHeight = median(heights) * SPECK_HEIGHT_SHARE;
  return lines.map((words) =>
    words.filter((w, i) => {
      if (letterCount(w.text) > 1 || height(w) >= minHeight) return true;
      const gapBefore = i > 0 ? w.bbox.x0 - words[i - 1]!.bbox.x1 : Infinity;
      const gapAfter = i + 1 < words.length ? words[i + 1]!.bbox.x0 - w.bbox.x1 : Infinity;
      return Math.min(gapBefore, gapAfter) <= minGap;
    }),
  );
}

/** Drops the page number: the first or last row, a lone number centred on the page. Page furniture, not text. */
function withoutPageNumber(rows: Segment[][], pageWidth: number): Segment[][] {
  const isPageNumber = (row: Segment[] | undefined): boolean =>
    row?.length === 1 && PAGE_NUMBER.test(row[0]!.text.trim()) && Math.abs((row[0]!.box.x0 + row[0]!.box.x1) / 2 - pageWidth / 2) <= pageWidth * PAGE_NUMBER_CENTRING;
  const from = isPageNumber(rows[0]) ? 1 : 0;
  const to = rows.length > from && isPageNumber(rows[rows.length - 1]) ? rows.length - 1 : rows.length;
  return rows.slice(from, to);
}

function splitAtGaps(words: PositionedWord[], minGap: number): Segment[] {
  const segments: Segment[] = [];
  let current: PositionedWord[] = [];
  const flush = () => {
    if (!current.length) return;
    segments.push({
      text: current.map((w) => w.text).join(' '),
      box: {
        x0: Math.min(...current.map((w) => w.bbox.x0)),
        y0: Math.min(...current.map((w) => w.bbox.y0)),
        x1: Math.max(...current.map((w) => w.bbox.x1)),
        y1: Math.max(...current.map((w) => w.bbox.y1)),
      },
      top: median(current.map((w) => w.bbox.y0)),
      bottom: median(current.map((w) => w.bbox.y1)),
    });
    current = [];
  };
  for (const word of words) {
    if (!word.text.trim()) continue;
    const last = current[current.length - 1];
    if (last && word.bbox.x0 - last.bbox.x1 > minGap) flush();
    current.push(word);
  }
  flush();
  return segments;
}

/** Segments whose vertical centres fall inside one another's extent form a row, left to right. */
function groupRows(segments: Segment[]): Segment[][] {
  const sorted = [...segments].sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
  const rows: { top: number; bottom: number; segments: Segment[] }[] = [];
  for (const s of sorted) {
    const centre = (s.top + s.bottom) / 2;
    const row = rows[rows.length - 1];
    if (row && centre >= row.top && centre <= row.bottom) {
      row.segments.push(s);
      row.top = Math.min(row.top, s.top);
      row.bottom = Math.max(row.bottom, s.bottom);
    } else rows.push({ top: s.top, bottom: s.bottom, segments: [s] });
  }
  return rows.map((r) => r.segments.sort((a, b) => a.box.x0 - b.box.x0));
}

/**
 * A column region starts at a row cut in two by a wide gap and goes on while following rows leave
 * some of that gutter free. Returns the row after the region and an x inside the gutter.
 */
function columnRegion(rows: Segment[][], start: number, minGap: number): { end: number; gutter: number } | null {
  const first = rows[start]!;
  if (first.length < 2) return null;
  // the widest gap of the first row is the candidate gutter
  let lo = 0;
  let hi = 0;
  for (let k = 1; k < first.length; k++) {
    const gapLo = first[k - 1]!.box.x1;
    const gapHi = first[k]!.box.x0;
    if (gapHi - gapLo > hi - lo) [lo, hi] = [gapLo, gapHi];
  }
  let leftStart = Math.min(...first.filter((s) => s.box.x1 <= lo).map((s) => s.box.x0));
  let rightEnd = Math.max(...first.filter((s) => s.box.x0 >= hi).map((s) => s.box.x1));
  let end = start + 1;
  for (; end < rows.length; end++) {
    const row = rows[end]!;
    let rowLo = lo;
    let rowHi = hi;
    for (const s of row) {
      if (s.box.x1 <= rowLo || s.box.x0 >= rowHi) continue;
      // narrow the gutter to the part this row's segments leave free, unless that closes it and
      // the segment is a long line of the left column
      const [narrowLo, narrowHi] = s.box.x0 - rowLo > rowHi - s.box.x1 ? [rowLo, s.box.x0] : [s.box.x1, rowHi];
      if (narrowHi - narrowLo < minGap / 2 && runsPastGutter(s, row, leftStart, (lo + hi) / 2, rightEnd, minGap)) continue;
      [rowLo, rowHi] = [narrowLo, narrowHi];
    }
    if (rowHi - rowLo < minGap / 2) break;
    [lo, hi] = [rowLo, rowHi];
    for (const s of row) {
      if (s.box.x0 >= hi) rightEnd = Math.max(rightEnd, s.box.x1);
      else if (s.box.x1 <= lo) leftStart = Math.min(leftStart, s.box.x0);
    }
  }
  return { end, gutter: (lo + hi) / 2 };
}

/**
 * A line of the left column that reaches past the gutter where the right column leaves room: the
 * recipients' list beside a signature block ("Nơi nhận: ...") has lines longer than the gutter
 * allows, under or beside the signer's title and name. It starts where the left column starts,
 * stops well short of the right column's far edge and overlaps no segment of its row. (Body text
 * after a header runs across the page; a centred title starts elsewhere.)
 */
function runsPastGutter(s: Segment, row: Segment[], leftStart: number, gutter: number, rightEnd: number, minGap: number): boolean {
  if (Math.abs(s.box.x0 - leftStart) > minGap || s.box.x1 >= (gutter + rightEnd) / 2) return false;
  return row.every((other) => other === s || other.box.x0 >= s.box.x1 || other.box.x1 <= s.box.x0);
}

