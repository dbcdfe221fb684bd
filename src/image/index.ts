// Image stage: measures a page and prepares it for OCR with sharp.
// Every decision is recorded so a user can see why a page was treated as it was.
import sharp from 'sharp';
import type { PageImage } from '../pdf/index.js';
import { removeStampRings } from './stamp-rings.js';

// Pages are prepared while tesseract workers keep every core busy: one libvips thread per
// operation costs less CPU in all than several competing for the same cores.
sharp.concurrency(1);

export interface PageMeasures {
  dpi: number;
  /** Share of pixels with strong colour (stamps, signatures, colour scans). */
  colourShare: number;
  /** Spread between ink and paper gray levels, 0..255. */
  contrast: number;
  /** Standard deviation of the paper's gray levels: speckle and grain. */
  noise: number;
  /** Estimated skew in degrees (positive: lines descend to the right). */
  skewDegrees: number;
}

export interface PreparedPage {
  /** Grayscale 8-bit image encoded as binary PGM: tesseract reads it without decompression. */
  pgm: Buffer;
  width: number;
  height: number;
  dpi: number;
  measures: PageMeasures;
  decisions: string[];
}

export interface PrepareOptions {
  /** Working resolution; pages within 10% of it are read as scanned. */
  targetDpi: number;
  /** Strength of the preparation: "standard", or "strong" for a retry of a doubtful page. */
  mode: 'standard' | 'strong';
}

// Tesseract scales every text line to the 36 px of its network's input, so a higher resolution
// only adds work to its layout analysis, which grows with the pixels. Measured (bench:ocr, 3
// documents, after repair; CPU s/page): 200 dpi and better scans read at 150 dpi read as well or
// better than at 200 (clean300 99.62% vs 99.56%, office200 99.61/99.60, color200 99.61/99.48) for
// 10-16% less CPU (clean300 1.68 vs 2.00 s); 130 dpi reads worse (99.47/99.56/99.49); 150 dpi scans
// read best as scanned (fax150 98.99%, poor150 97.00%, earlier run) rather than upscaled to 225 dpi
// (98.11%, 95.13%) or 300 dpi (97.84%, 94.09%).
export const defaultPrepareOptions: PrepareOptions = { targetDpi: 150, mode: 'standard' };

const COLOUR_CHROMA = 60;
/** Below this ink-to-paper spread (of 255) the page is stretched. */
const LOW_CONTRAST = 230;

export async function preparePage(image: PageImage, options: Partial<PrepareOptions> = {}): Promise<PreparedPage> {
  const { targetDpi, mode } = { ...defaultPrepareOptions, ...options };
  const decisions: string[] = [];
  const { gray, colourShare } = toGrayDroppingColourInk(image);
  if (colourShare > 0.001) decisions.push(`dropped coloured ink (${(colourShare * 100).toFixed(1)}% of pixels: stamp, signature)`);

  // Everything is measured on the page as scanned; then it is rotated at the scan's own resolution
  // (rotating after a downscale saved 0.06 s a 300 dpi page but read 0.01-0.04 worse) and
  // resampled (sharp's lanczos3); then one pass over the pixels smooths it (3×3 median; libvips
  // does the stronger 5×5 of a retry) and maps its levels.
  const levels = inkAndPaperLevels(gray);
  const contrast = levels.paper - levels.ink;
  const skewDegrees = estimateSkew(gray, image.width, image.height, (levels.ink + levels.paper) >> 1);
  const deskewed = Math.abs(skewDegrees) >= 0.15 ? rotateGray(gray, image.width, image.height, -skewDegrees) : gray;
  if (deskewed !== gray) decisions.push(`deskewed ${skewDegrees.toFixed(2)}°`);
  let width = image.width;
  let height = image.height;
  let dpi = image.dpi;
  let resampled = deskewed;
  const scale = dpi > 0 && Math.abs(dpi - targetDpi) / targetDpi > 0.1 ? targetDpi / dpi : 1;
  if (scale !== 1) {
    width = Math.round(width * scale);
    height = Math.round(height * scale);
    // greyscale: a one-band pipeline (raw input otherwise makes it sRGB, three bands)
    resampled = await sharp(deskewed, { raw: { width: image.width, height: image.height, channels: 1 } })
      .grayscale()
      .resize(width, height, { kernel: 'lanczos3' })
      .extractChannel(0)
      .raw()
      .toBuffer();
    decisions.push(`${scale > 1 ? 'upscaled' : 'downscaled'} ${dpi} → ${Math.round(dpi * scale)} dpi`);
    dpi = Math.round(dpi * scale);
  }
  // Smoothing at the working resolution removes speckle and the jagged edges of upscaled or
  // 1-bit pages; a stronger one is the retry for doubtful pages.
  const window = mode === 'strong' ? 5 : 3;
  if (window !== 3) resampled = await sharp(resampled, { raw: { width, height, channels: 1 } }).median(window).extractChannel(0).raw().toBuffer();
  decisions.push(`median ${window}×${window} (paper noise ${levels.noise}${mode === 'strong' ? ', retry' : ''})`);
  // map ink to black and paper to white; percentiles of the whole page would stretch paper noise
  const stretch = contrast < LOW_CONTRAST;
  if (stretch) decisions.push(`stretched contrast (ink ${levels.ink}, paper ${levels.paper})`);
  const gain = stretch ? 255 / Math.max(1, contrast) : 1;
  const levelMap = Uint8Array.from({ length: 256 }, (_, v) => Math.max(0, Math.min(255, Math.round((v - (stretch ? levels.ink : 0)) * gain))));
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const pgm = Buffer.allocUnsafe(header.length + width * height);
  header.copy(pgm);
  const pixels = pgm.subarray(header.length);
  if (window === 3) median3x3(resampled, width, height, pixels, levelMap);
  else for (let i = 0; i < pixels.length; i++) pixels[i] = levelMap[resampled[i]!]!;
  for (const stamp of removeStampRings(pixels, width, height, dpi)) {
    decisions.push(`erased a round stamp's rings (centre ${stamp.x},${stamp.y}; radii ${stamp.radii.map((r) => Math.round(r)).join(', ')} px)`);
  }
  return {
    pgm,
    width,
    height,
    dpi,
    measures: { dpi: image.dpi, colourShare, contrast, noise: levels.noise, skewDegrees },
    decisions,
  };
}

/**
 * The page turned by `degrees` (positive: clockwise) about its centre, same size, bilinear, the
 * corners brought in filled with paper. By hand rather than with libvips's rotate, which builds
 * the larger rotated canvas and costs 2.5-3× as much (an office200 page 104 ms against 41, a
 * 150 dpi one 52 against 17).
 */
export function rotateGray(gray: Uint8Array, width: number, height: number, degrees: number): Buffer {
  const out = Buffer.alloc(width * height, 255);
  const radians = (degrees * Math.PI) / 180;
  // source positions in 16.16 fixed point: integer steps along a row, 8-bit interpolation weights
  const ONE = 65536;
  const cos = Math.round(Math.cos(radians) * ONE);
  const sin = Math.round(Math.sin(radians) * ONE);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const maxX = (width - 1) * ONE;
  const maxY = (height - 1) * ONE;
  for (let y = 0; y < height; y++) {
    // the source point of output pixel (x, y) is the inverse rotation of it about the centre
    const startX = Math.round((cx - (cos / ONE) * cx + (sin / ONE) * (y - cy)) * ONE);
    const startY = Math.round((cy + (sin / ONE) * cx + (cos / ONE) * (y - cy)) * ONE);
    // the run of x whose source lies inside the page (both coordinates move linearly with x)
    let [from, to] = insideRun(startX, cos, maxX, 0, width - 1);
    [from, to] = insideRun(startY, -sin, maxY, from, to);
    const row = y * width;
    let sx = startX + from * cos;
    let sy = startY - from * sin;
    for (let x = from; x <= to; x++, sx += cos, sy -= sin) {
      const x0 = sx >> 16;
      const y0 = sy >> 16;
      const fx = (sx >> 8) & 255;
      const fy = (sy >> 8) & 255;
      const i = y0 * width + x0;
      const a = gray[i]!;
      const b = gray[i + 1]!;
      const c = gray[i + width]!;
      const d = gray[i + width + 1]!;
      const top = (a << 8) + (b - a) * fx;
      const bottom = (c << 8) + (d - c) * fx;
      out[row + x] = ((top << 8) + (bottom - top) * fy + 32768) >> 16;
    }
  }
  return out;
}

/** Narrows [from, to] to the x for which start + x·step lies in [0, max) (a source pixel with a right/lower neighbour). */
function insideRun(start: number, step: number, max: number, from: number, to: number): [number, number] {
  if (step === 0) return start >= 0 && start < max ? [from, to] : [1, 0];
  // start + x·step ≥ 0 and < max
  const a = -start / step;
  const b = (max - 1 - start) / step;
  const lo = Math.ceil(Math.min(a, b));
  const hi = Math.floor(Math.max(a, b));
  return [Math.max(from, lo), Math.min(to, hi)];
}

/** A prepared page as PNG, for people to look at (--debug). */
export function pgmToPng(page: PreparedPage): Promise<Buffer> {
  const pixels = page.pgm.subarray(page.pgm.length - page.width * page.height);
  return sharp(pixels, { raw: { width: page.width, height: page.height, channels: 1 } }).png().toBuffer();
}

/**
 * 3×3 median of a one-band image (edges repeated), written through a level map into out. Exact:
 * the median of nine is the median of the columns' largest minimum, median of medians and
 * smallest maximum; each column's three values are sorted once per row, and the row is swept
 * with the last two columns held in locals. Math.min and Math.max compile to branch-free
 * instructions: the branches of compare-and-swap mispredict on noisy scans (this runs 3× faster
 * there than with them, and twice as fast as libvips's rank filter).
 */
function median3x3(src: Uint8Array, width: number, height: number, out: Uint8Array, levelMap: Uint8Array): void {
  // one column of padding either side repeats the edge columns
  const lo = new Int32Array(width + 2);
  const mid = new Int32Array(width + 2);
  const hi = new Int32Array(width + 2);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = y > 0 ? row - width : row;
    const down = y < height - 1 ? row + width : row;
    for (let x = 0; x < width; x++) {
      const a = src[up + x]!;
      const b = src[row + x]!;
      const c = src[down + x]!;
      const minAB = Math.min(a, b);
      const maxAB = Math.max(a, b);
      const lower = Math.min(maxAB, c);
      hi[x + 1] = Math.max(maxAB, c);
      lo[x + 1] = Math.min(minAB, lower);
      mid[x + 1] = Math.max(minAB, lower);
    }
    lo[0] = lo[1]!;
    mid[0] = mid[1]!;
    hi[0] = hi[1]!;
    lo[width + 1] = lo[width]!;
    mid[width + 1] = mid[width]!;
    hi[width + 1] = hi[width]!;
    let loLeft = lo[0]!;
    let loHere = lo[1]!;
    let midLeft = mid[0]!;
    let midHere = mid[1]!;
    let hiLeft = hi[0]!;
    let hiHere = hi[1]!;
    for (let x = 1; x <= width; x++) {
      const loRight = lo[x + 1]!;
      const midRight = mid[x + 1]!;
      const hiRight = hi[x + 1]!;
      const maxLo = Math.max(Math.max(loLeft, loHere), loRight);
      const minHi = Math.min(Math.min(hiLeft, hiHere), hiRight);
      const medianMid = Math.max(Math.min(midLeft, midHere), Math.min(Math.max(midLeft, midHere), midRight));
      out[row + x - 1] = levelMap[Math.max(Math.min(maxLo, medianMid), Math.min(Math.max(maxLo, medianMid), minHi))]!;
      loLeft = loHere;
      loHere = loRight;
      midLeft = midHere;
      midHere = midRight;
      hiLeft = hiHere;
      hiHere = hiRight;
    }
  }
}

/** Luminance grayscale, with strongly coloured pixels (red stamp, blue ink) turned to paper. */
function toGrayDroppingColourInk(image: PageImage): { gray: Buffer; colourShare: number } {
  const { width, height, channels, data } = image;
  if (channels === 1) return { gray: data, colourShare: 0 };
  const gray = Buffer.allocUnsafe(width * height);
  let coloured = 0;
  for (let p = 0, i = 0; p < gray.length; p++, i += channels) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const max = r > g ? (r > b ? r : b) : g > b ? g : b;
    const min = r < g ? (r < b ? r : b) : g < b ? g : b;
    if (max - min > COLOUR_CHROMA) {
      gray[p] = 255;
      coloured++;
    } else {
      gray[p] = (r * 299 + g * 587 + b * 114) / 1000;
    }
  }
  return { gray, colourShare: coloured / gray.length };
}

/** Pixels this much darker than paper are ink (strokes and their edges). */
const INK_MARGIN = 60;
/** The ink level: this percentile of the ink pixels (their dark cores). */
const INK_PERCENTILE = 0.05;
/** Fewer ink pixels than this share of the page: a blank page, whose darkest 0.5% stand for ink. */
const MIN_INK_SHARE = 0.0001;

/** Gray level of ink (a low percentile of the clearly dark pixels) and of paper (median): pages are mostly paper. */
function inkAndPaperLevels(gray: Buffer): { ink: number; paper: number; noise: number } {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < gray.length; i += 3) histogram[gray[i]!]!++;
  const total = histogram.reduce((a, b) => a + b, 0);
  // the level at which the darkest `count` sampled pixels are reached
  const levelOf = (count: number): number => {
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v]!;
      if (seen >= count) return v;
    }
    return 255;
  };
  const paper = levelOf(total * 0.5);
  // Ink: a low percentile of the pixels clearly darker than paper. Of the whole page it would be
  // paper noise on a page with little text (a signature page), and stretching to it would bring
  // the paper's grain up as texture.
  let dark = 0;
  for (let v = 0; v < paper - INK_MARGIN; v++) dark += histogram[v]!;
  const ink = dark >= total * MIN_INK_SHARE ? levelOf(dark * INK_PERCENTILE) : levelOf(total * 0.005);
  // noise: spread of the paper's gray levels (pixels nearer paper than ink)
  const middle = (ink + paper) >> 1;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let v = middle + 1; v < 256; v++) {
    n += histogram[v]!;
    sum += v * histogram[v]!;
    sumSq += v * v * histogram[v]!;
  }
  const noise = n ? Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2)) : 0;
  return { ink, paper, noise: Math.round(noise * 10) / 10 };
}

/**
 * Skew by projection profiles: text lines give the sharpest row histogram when level.
 * Measured on a downsampled ink mask over ±3° for speed.
 */
function estimateSkew(gray: Buffer, width: number, height: number, inkThreshold: number): number {
  const step = Math.max(1, Math.round(width / 800));
  const w = Math.floor(width / step);
  const h = Math.floor(height / step);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * step * width;
    for (let x = 0; x < w; x++) if (gray[row + x * step]! < inkThreshold) {
      xs.push(x);
      ys.push(y);
    }
  }
  if (xs.length < 500) return 0;
  const bins = new Float64Array(h * 2 + 2);
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    for (let k = 0; k < xs.length; k++) {
      const yy = Math.round(ys[k]! - xs[k]! * t) + (h >> 1);
      if (yy >= 0 && yy < bins.length) bins[yy]!++;
    }
    let sum = 0;
    for (let i = 1; i < bins.length; i++) {
      const d = bins[i]! - bins[i - 1]!;
      sum += d * d;
    }
    return sum;
  };
  // coarse to fine: the profile's peak is about a degree wide, so the best of a half-degree grid
  // lies next to it; a tenth of a degree around that (22 profiles instead of 61, the same angles
  // on every sample page)
  const best = (from: number, to: number, step: number): number => {
    let found = from;
    let bestScore = -1;
    for (let deg = from; deg <= to + 1e-9; deg += step) {
      const value = score(deg);
      if (value > bestScore) {
        bestScore = value;
        found = deg;
      }
    }
    return found;
  };
  const coarse = best(-3, 3, 0.5);
  const fine = best(Math.max(-3, coarse - 0.4), Math.min(3, coarse + 0.4), 0.1);
  return Math.round(fine * 100) / 100;
}
