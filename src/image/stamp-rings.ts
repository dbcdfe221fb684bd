// Round stamps: an official seal is printed over the signer's title ("TM. ỦY BAN NHÂN DÂN /
// KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"). Its rings join the letters they cross into one large blob, which
// tesseract's layout analysis takes for a picture: the title is lost. Red ink is dropped with the
// colour; on gray and bilevel scans the rings are found by shape (a circle through the dark pixels
// of a large blob, then every sharp peak of the dark pixels' radial profile around its centre) and
// erased, keeping pixels much darker than the ring, which are the text it crosses.

/** Pixels darker than this are ink (the page's levels are mapped so that paper is near 255). */
const DARK = 200;
/** Outer ring radius of a round seal, in inches (seals are 30-45 mm across). */
const OUTER_MIN_INCHES = 0.45;
const OUTER_MAX_INCHES = 1.1;
/** Inner rings and the outer one: radii from this (inches) up to the outer ring are searched. */
const INNER_MIN_INCHES = 0.15;
/** Angular sectors a ring must be seen in (of SECTORS), outer ring and inner ones alike. */
const SECTORS = 48;
const MIN_COVER = 0.7;
/** A radius is a ring where dark pixels cover this share of its circumference more than around it. */
const PEAK_EXCESS = 0.3;
/** Share of its bounding box (on the half-resolution mask) above which a blob is no ring. */
const MAX_FILL = 0.5;
/** Circle hypotheses tried per blob, and points each is checked against. */
const HYPOTHESES = 400;
const CHECKED_POINTS = 3000;
/** Width of the level bands of which a ring's commonest is its ink level. */
const LEVEL_BAND = 16;
/** Pixels of a gray ring at least this share of its ink level are erased; darker ones are text. */
const ERASE_FROM_SHARE = 0.6;
/** Pixels beyond a ring's edge, inside and out, where a stroke that crosses it is still dark. */
const CROSSING_REACH = 2;
/** A ring whose ink level is at least this is gray, clearly lighter than text. */
const GRAY_SEAL_LEVEL = 64;
/** Text is at least this dark: the edge pixels of such strokes are kept where a gray ring crosses them. */
const TEXT_LEVEL = 64;

export interface StampRing {
  /** Centre, in pixels of the page. */
  x: number;
  y: number;
  /** Radii of the erased rings, in pixels, innermost first. */
  radii: number[];
}

/** Finds round stamps' rings on a one-band page and erases them in place. */
export function removeStampRings(pixels: Uint8Array, width: number, height: number, dpi: number): StampRing[] {
  const outerMin = OUTER_MIN_INCHES * dpi;
  const outerMax = OUTER_MAX_INCHES * dpi;
  const found: StampRing[] = [];
  for (const points of largeBlobs(pixels, width, height, 2 * outerMin)) {
    const circle = fitCircle(points, outerMin, outerMax, dpi);
    if (!circle) continue;
    const radii = eraseRings(pixels, width, height, circle, INNER_MIN_INCHES * dpi);
    if (radii.length) found.push({ x: Math.round(circle.x), y: Math.round(circle.y), radii });
  }
  return found;
}

/**
 * The dark pixels (x and y interleaved) of each connected dark region at least minSize across
 * both ways, labelled on a half-resolution mask (a 2×2 block is dark if any of its pixels is: thin
 * rings stay connected) for speed.
 */
function largeBlobs(pixels: Uint8Array, width: number, height: number, minSize: number): Int32Array[] {
  const w = width >> 1;
  const h = height >> 1;
  const labels = new Int32Array(w * h).fill(-1);
  const parent: number[] = [];
  const root = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const join = (a: number, b: number): number => {
    const ra = root(a);
    const rb = root(b);
    if (ra === rb) return ra;
    const low = ra < rb ? ra : rb;
    parent[ra + rb - low] = low;
    return low;
  };
  for (let y = 0; y < h; y++) {
    const top = 2 * y * width;
    for (let x = 0; x < w; x++) {
      const p = top + 2 * x;
      if (pixels[p]! >= DARK && pixels[p + 1]! >= DARK && pixels[p + width]! >= DARK && pixels[p + width + 1]! >= DARK) continue;
      const i = y * w + x;
      let label = -1;
      // 8-connectivity: the left neighbour and the three above
      if (x > 0 && labels[i - 1]! >= 0) label = labels[i - 1]!;
      if (y > 0) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const above = labels[i - w + dx]!;
          if (above >= 0) label = label < 0 ? above : join(label, above);
        }
      }
      if (label < 0) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  }
  const count = parent.length;
  const minX = new Int32Array(count).fill(w);
  const maxX = new Int32Array(count).fill(-1);
  const minY = new Int32Array(count).fill(h);
  const maxY = new Int32Array(count).fill(-1);
  const area = new Int32Array(count);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! < 0) continue;
    const r = root(labels[i]!);
    labels[i] = r;
    area[r]!++;
    const x = i % w;
    const y = (i - x) / w;
    if (x < minX[r]!) minX[r] = x;
    if (x > maxX[r]!) maxX[r] = x;
    if (y < minY[r]!) minY[r] = y;
    if (y > maxY[r]!) maxY[r] = y;
  }
  const half = minSize / 2;
  const blobs: Int32Array[] = [];
  for (let r = 0; r < count; r++) {
    const boxArea = (maxX[r]! - minX[r]! + 1) * (maxY[r]! - minY[r]! + 1);
    // a ring, even with the letters it joins, leaves most of its box empty; a dark area does not
    if (parent[r] !== r || maxX[r]! - minX[r]! + 1 < half || maxY[r]! - minY[r]! + 1 < half || area[r]! > MAX_FILL * boxArea) continue;
    const points: number[] = [];
    for (let y = 2 * minY[r]!; y < 2 * maxY[r]! + 2; y++) {
      for (let x = 2 * minX[r]!; x < 2 * maxX[r]! + 2; x++) {
        if (pixels[y * width + x]! < DARK && labels[(y >> 1) * w + (x >> 1)] === r) points.push(x, y);
      }
    }
    blobs.push(Int32Array.from(points));
  }
  return blobs;
}

interface Circle {
  x: number;
  y: number;
  r: number;
}

/**
 * The circle of radius in [minRadius, maxRadius] through most of the points (RANSAC over circles
 * through three points, seeded: the same page gives the same answer), if the points cover most of
 * its circumference; null for blobs that are no ring (a table, a signature, joined text).
 */
function fitCircle(points: Int32Array, minRadius: number, maxRadius: number, dpi: number): Circle | null {
  const n = points.length / 2;
  if (n < 2 * Math.PI * minRadius) return null;
  const tolerance = Math.max(1.5, dpi / 100);
  const stride = Math.max(1, n / CHECKED_POINTS);
  let seed = 1;
  const pick = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let best: Circle | null = null;
  let bestSupport = 0;
  for (let t = 0; t < HYPOTHESES; t++) {
    const a = 2 * pick();
    const b = 2 * pick();
    const c = 2 * pick();
    const [x1, y1, x2, y2, x3, y3] = [points[a]!, points[a + 1]!, points[b]!, points[b + 1]!, points[c]!, points[c + 1]!];
    const d = 2 * (x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2));
    if (d === 0) continue;
    const s1 = x1 * x1 + y1 * y1;
    const s2 = x2 * x2 + y2 * y2;
    const s3 = x3 * x3 + y3 * y3;
    const x = (s1 * (y2 - y3) + s2 * (y3 - y1) + s3 * (y1 - y2)) / d;
    const y = (s1 * (x3 - x2) + s2 * (x1 - x3) + s3 * (x2 - x1)) / d;
    const r = Math.hypot(x1 - x, y1 - y);
    if (r < minRadius || r > maxRadius) continue;
    let support = 0;
    for (let k = 0; k < n; k += stride) {
      const q = 2 * Math.floor(k);
      if (Math.abs(Math.hypot(points[q]! - x, points[q + 1]! - y) - r) <= tolerance) support++;
    }
    if (support > bestSupport) {
      bestSupport = support;
      best = { x, y, r };
    }
  }
  if (!best) return null;
  const sectors = new Uint8Array(SECTORS);
  let onCircle = 0;
  for (let q = 0; q < points.length; q += 2) {
    const dx = points[q]! - best.x;
    const dy = points[q + 1]! - best.y;
    if (Math.abs(Math.hypot(dx, dy) - best.r) > tolerance) continue;
    onCircle++;
    sectors[sectorOf(dx, dy)] = 1;
  }
  const cover = sectors.reduce((s, v) => s + v, 0) / SECTORS;
  return cover >= MIN_COVER && onCircle >= Math.PI * best.r ? best : null;
}

function sectorOf(dx: number, dy: number): number {
  return Math.floor(((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI)) * SECTORS) % SECTORS;
}

/**
 * Erases the rings around a found circle's centre: radii (up to just beyond the circle) where dark
 * pixels cover much more of the circumference than at the radii around them, seen all round.
 * Returns the rings' radii.
 */
function eraseRings(pixels: Uint8Array, width: number, height: number, circle: Circle, minRadius: number): number[] {
  const outer = Math.ceil(circle.r) + 3;
  const x0 = Math.max(0, Math.floor(circle.x - outer));
  const x1 = Math.min(width - 1, Math.ceil(circle.x + outer));
  const y0 = Math.max(0, Math.floor(circle.y - outer));
  const y1 = Math.min(height - 1, Math.ceil(circle.y + outer));
  // each pixel of the box at its rounded distance from the centre, row by row
  const boxWidth = x1 - x0 + 1;
  const radiusAt = new Int32Array(boxWidth * (y1 - y0 + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) radiusAt[(y - y0) * boxWidth + x - x0] = Math.round(Math.hypot(x - circle.x, y - circle.y));
  }
  const counts = new Float64Array(outer + 2);
  const seen = new Uint8Array((outer + 2) * SECTORS);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (pixels[y * width + x]! >= DARK) continue;
      const radius = radiusAt[(y - y0) * boxWidth + x - x0]!;
      if (radius > outer) continue;
      counts[radius]!++;
      seen[radius * SECTORS + sectorOf(x - circle.x, y - circle.y)] = 1;
    }
  }
  const profile = Array.from(counts, (c, r) => (r > 0 ? c / (2 * Math.PI * r) : 0));
  const ring = new Uint8Array(outer + 2);
  const from = Math.max(2, Math.floor(minRadius));
  for (let r = from; r <= outer; r++) {
    const around: number[] = [];
    for (let q = r - 12; q <= r + 12; q++) if (q >= from && q <= outer && Math.abs(q - r) > 3) around.push(profile[q]!);
    around.sort((a, b) => a - b);
    const baseline = around[around.length >> 1] ?? 0;
    if (profile[r]! - baseline < PEAK_EXCESS) continue;
    let sectors = 0;
    for (let s = 0; s < SECTORS; s++) if (seen[(r - 1) * SECTORS + s] || seen[r * SECTORS + s] || seen[(r + 1) * SECTORS + s]) sectors++;
    if (sectors / SECTORS < MIN_COVER) continue;
    // the ring's anti-aliased edges: one radius either side
    ring[r - 1] = ring[r] = ring[r + 1] = 1;
  }
  // the rings, each a run of radii, and each ring's own ink level (its pixels' commonest level: a
  // thin black ring is mostly anti-aliased edge of spread levels, and the text crossing a gray one
  // is a minority): seals are printed with rings of different weights, and a faint inner ring must
  // not decide for the outer
  const ringOf = new Int32Array(outer + 2).fill(-1);
  const rings: Array<{ from: number; to: number; levels: Uint32Array }> = [];
  for (let r = 0; r < ring.length; r++) {
    if (!ring[r]) continue;
    if (!ring[r - 1]) rings.push({ from: r, to: r, levels: new Uint32Array(256) });
    rings[rings.length - 1]!.to = r;
    ringOf[r] = rings.length - 1;
  }
  if (rings.length === 0) return [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = pixels[y * width + x]!;
      const radius = radiusAt[(y - y0) * boxWidth + x - x0]!;
      if (v < DARK && radius <= outer && ringOf[radius]! >= 0) rings[ringOf[radius]!]!.levels[v]!++;
    }
  }
  // A ring goes at every level from its ink's up. A gray ring (its ink clearly lighter than text's)
  // keeps the edge pixels of the darker text it crosses; inside a gray innermost ring the star goes
  // too. (Erasing the gray lettering between the rings as well eroded the title's letters and read
  // worse.) On a bilevel page ring and text are alike black.
  const erasure = rings.map(({ levels }) => {
    const ink = commonestLevel(levels);
    const gray = ink >= GRAY_SEAL_LEVEL;
    const from = gray ? ERASE_FROM_SHARE * ink : 0;
    return { gray, from, text: Math.min(from, TEXT_LEVEL) };
  });
  const inside = erasure[0]!.gray ? erasure[0]! : null;
  // a stroke crossing a ring is dark just inside and just outside it, along the same ray
  const crossed = ({ from, to }: { from: number; to: number }, x: number, y: number): boolean => {
    const dx = x - circle.x;
    const dy = y - circle.y;
    const d = Math.hypot(dx, dy) || 1;
    const darkAt = (radius: number): boolean => {
      const px = Math.round(circle.x + (dx / d) * radius);
      const py = Math.round(circle.y + (dy / d) * radius);
      return px >= 0 && px < width && py >= 0 && py < height && pixels[py * width + px]! < DARK;
    };
    return darkAt(from - CROSSING_REACH) && darkAt(to + CROSSING_REACH);
  };
  const erased: number[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const p = y * width + x;
      const v = pixels[p]!;
      if (v === 255) continue;
      const radius = radiusAt[(y - y0) * boxWidth + x - x0]!;
      if (radius > outer) continue;
      const rule = ringOf[radius]! >= 0 ? erasure[ringOf[radius]!]! : radius < rings[0]!.from ? inside : null;
      if (!rule || v < rule.from || (rule.gray && nextToDarker(pixels, width, height, x, y, rule.text))) continue;
      if (ringOf[radius]! >= 0 && crossed(rings[ringOf[radius]!]!, x, y)) continue;
      erased.push(p);
    }
  }
  for (const p of erased) pixels[p] = 255;
  return rings.map(({ from, to }) => (from + to) / 2);
}

/** The middle of the commonest band of LEVEL_BAND levels in a histogram. */
function commonestLevel(levels: Uint32Array): number {
  let best = 0;
  let bestCount = -1;
  for (let from = 0; from < 256; from += LEVEL_BAND) {
    let count = 0;
    for (let v = from; v < from + LEVEL_BAND; v++) count += levels[v]!;
    if (count > bestCount) [best, bestCount] = [from, count];
  }
  return best + LEVEL_BAND / 2;
}

/** True when a neighbour of (x, y) is darker than level: the pixel is the edge of a darker stroke. */
function nextToDarker(pixels: Uint8Array, width: number, height: number, x: number, y: number, level: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const ny = y + dy;
    if (ny < 0 || ny >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx;
      if (nx >= 0 && nx < width && pixels[ny * width + nx]! < level) return true;
    }
  }
  return false;
}
