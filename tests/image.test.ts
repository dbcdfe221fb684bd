import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { preparePage, rotateGray } from '../src/image/index.js';
import { PdfDocument, type PageImage } from '../src/pdf/index.js';

async function scanPage(): Promise<PageImage> {
  const pdf = await PdfDocument.open(await readFile(new URL('./fixtures/scan-page.pdf', import.meta.url)), 'scan-page.pdf');
  const image = await pdf.pageImage(1);
  await pdf.close();
  return image;
}

function parsePgm(pgm: Buffer): { width: number; height: number; pixels: Buffer } {
  const header = pgm.subarray(0, 32).toString('latin1').match(/^P5\n(\d+) (\d+)\n255\n/)!;
  return { width: Number(header[1]), height: Number(header[2]), pixels: pgm.subarray(header[0].length) };
}

/** A synthetic page: black bars (text lines) on white, with a red square (stamp). */
async function syntheticPage(dpi: number, skewDegrees = 0): Promise<PageImage> {
  const width = 800;
  const height = 1000;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="white"/>
    <g transform="rotate(${skewDegrees} 400 500)">
      ${Array.from({ length: 25 }, (_, i) => `<rect x="80" y="${100 + i * 32}" width="640" height="10" fill="black"/>`).join('')}
    </g>
    <circle cx="600" cy="850" r="80" fill="rgb(230,20,20)"/>
  </svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data, dpi, origin: 'embedded' };
}

/** A gray 150 dpi signature page: grainy paper, what else the SVG draws, a few text lines over it. */
async function signaturePage(extra: string): Promise<PageImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754">
    <rect width="100%" height="100%" fill="rgb(215,215,215)"/>
    ${extra}
    ${Array.from({ length: 3 }, (_, i) => `<rect x="150" y="${200 + i * 30}" width="200" height="9" fill="rgb(20,20,20)"/>`).join('')}
    <rect x="640" y="330" width="300" height="12" fill="rgb(20,20,20)"/>
  </svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().grayscale().raw().toBuffer({ resolveWithObject: true });
  // paper grain: a fixed pseudo-random spread of ±24 levels
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    if (data[i]! > 200) data[i] = data[i]! - 24 + (seed % 49);
  }
  return { width: info.width, height: info.height, channels: 1, data, dpi: 150, origin: 'embedded' };
}

/** A round seal's three gray rings around (790, 336), over the title line. */
const grayRings = [46, 93, 110].map((r) => `<circle cx="790" cy="336" r="${r}" fill="none" stroke="rgb(110,110,110)" stroke-width="${r === 110 ? 5 : 2}"/>`).join('');

describe('image stage', () => {
  it('keeps a scan near the working resolution at its size, as a grayscale PGM', async () => {
    const image = await scanPage();
    const prepared = await preparePage(image, { targetDpi: image.dpi });
    const pgm = parsePgm(prepared.pgm);
    expect([pgm.width, pgm.height]).toEqual([image.width, image.height]);
    expect(pgm.pixels.length).toBe(image.width * image.height);
  });

  it('reads 150 dpi pages at their own resolution', async () => {
    const image = await syntheticPage(150);
    const prepared = await preparePage(image);
    expect([prepared.width, prepared.dpi]).toEqual([image.width, 150]);
    expect(prepared.decisions.join(' ')).not.toMatch(/scaled/);
  });

  it('upscales pages scanned below the working resolution', async () => {
    const prepared = await preparePage(await syntheticPage(100));
    expect(prepared.dpi).toBe(150);
    expect(prepared.decisions.join(' ')).toMatch(/upscaled 100 → 150 dpi/);
  });

  it('brings clean high-resolution pages down to the working resolution', async () => {
    const prepared = await preparePage(await syntheticPage(200));
    expect(prepared.dpi).toBe(150);
    expect(prepared.width).toBe(600);
    expect(prepared.decisions.join(' ')).toMatch(/downscaled 200 → 150 dpi/);
  });

  it('drops a red stamp', async () => {
    const prepared = await preparePage(await syntheticPage(300), { targetDpi: 300 });
    const { width, pixels } = parsePgm(prepared.pgm);
    expect(pixels[850 * width + 600]).toBeGreaterThan(200);
    expect(prepared.decisions.join(' ')).toMatch(/coloured ink/);
  });

  it('removes isolated specks and keeps strokes', async () => {
    const page = await syntheticPage(200);
    const speck = 950 * page.width + 100;
    for (let c = 0; c < 3; c++) page.data[speck * 3 + c] = 0;
    const prepared = await preparePage(page, { targetDpi: 200 });
    const { width, pixels } = parsePgm(prepared.pgm);
    expect(pixels[950 * width + 100]).toBeGreaterThan(200);
    expect(pixels[105 * width + 400]).toBeLessThan(50);
    expect(prepared.decisions.join(' ')).toMatch(/median 3×3/);
  });

  it('measures and corrects skew', async () => {
    const prepared = await preparePage(await syntheticPage(300, 1.5));
    expect(prepared.measures.skewDegrees).toBeCloseTo(1.5, 0);
    expect(prepared.decisions.join(' ')).toMatch(/deskewed/);
    const level = await preparePage(await syntheticPage(300, 0));
    expect(Math.abs(level.measures.skewDegrees)).toBeLessThan(0.15);
    // turned the right way: the prepared page measures level
    const { width, height, pixels } = parsePgm(prepared.pgm);
    const again = await preparePage({ width, height, channels: 1, data: Buffer.from(pixels), dpi: prepared.dpi, origin: 'embedded' });
    expect(Math.abs(again.measures.skewDegrees)).toBeLessThan(0.15);
  });

  it('rotates a page about its centre, filling the corners with paper', () => {
    const width = 400;
    const height = 300;
    // a black bar along row 150, from x 50 to 349
    const bar = Buffer.alloc(width * height, 255);
    for (let x = 50; x < 350; x++) for (let y = 148; y <= 152; y++) bar[y * width + x] = 0;
    expect(rotateGray(bar, width, height, 0).equals(bar)).toBe(true);
    const turned = rotateGray(bar, width, height, 2);
    const barRow = (x: number) => {
      let sum = 0;
      let weight = 0;
      for (let y = 0; y < height; y++) {
        const ink = 255 - turned[y * width + x]!;
        sum += y * ink;
        weight += ink;
      }
      return sum / weight;
    };
    // clockwise: the right end goes down by tan(2°) per pixel, the centre stays
    expect(barRow(300) - barRow(100)).toBeCloseTo(200 * Math.tan((2 * Math.PI) / 180), 0);
    expect(barRow(200)).toBeCloseTo(150, 0);
    expect(turned[0]).toBe(255);
    expect(turned[width * height - 1]).toBe(255);
  });

  it('takes the ink level from the text, not the paper grain, on a page with little text', async () => {
    const prepared = await preparePage(await signaturePage(''));
    expect(prepared.measures.contrast).toBeGreaterThan(170);
  });

  it("erases a gray round stamp's rings and keeps the title they cross", async () => {
    const prepared = await preparePage(await signaturePage(grayRings));
    const { width, pixels } = parsePgm(prepared.pgm);
    expect(prepared.decisions.join(' ')).toMatch(/round stamp's rings \(centre 7[89]\d,33\d; radii 46, 93, 110 px\)/);
    // the rings where they cross nothing (top and bottom of each), and the title line under them
    for (const r of [46, 93, 110]) {
      expect(pixels[(336 - r) * width + 790]).toBeGreaterThan(200);
      expect(pixels[(336 + r) * width + 790]).toBeGreaterThan(200);
    }
    expect(pixels[336 * width + 790 + 110]).toBeLessThan(60);
    expect(pixels[336 * width + 700]).toBeLessThan(60);
  });

  it('leaves circles too small for a seal, a filled disc and the lines of a table', async () => {
    const table = Array.from({ length: 8 }, (_, i) => `<line x1="150" y1="${600 + i * 40}" x2="1050" y2="${600 + i * 40}" stroke="black" stroke-width="2"/>`).join('') +
      Array.from({ length: 4 }, (_, i) => `<line x1="${150 + i * 300}" y1="600" x2="${150 + i * 300}" y2="880" stroke="black" stroke-width="2"/>`).join('');
    const disc = '<circle cx="300" cy="1500" r="100" fill="black"/>';
    const prepared = await preparePage(await signaturePage(`${table}${disc}<circle cx="600" cy="1200" r="30" fill="none" stroke="black" stroke-width="3"/>`));
    const { width, pixels } = parsePgm(prepared.pgm);
    expect(prepared.decisions.join(' ')).not.toMatch(/stamp/);
    expect(pixels[1200 * width + 570]).toBeLessThan(100);
    expect(pixels[640 * width + 450]).toBeLessThan(100);
    expect(pixels[1500 * width + 300]).toBeLessThan(100);
    expect(pixels[1500 * width + 205]).toBeLessThan(100);
  });
});
