import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { preparePage } from '../src/image/index.js';
import { OcrPool } from '../src/ocr/index.js';
import { PdfDocument } from '../src/pdf/index.js';

const pool = new OcrPool({ workers: 1 });
afterAll(() => pool.close());

describe('ocr stage', () => {
  it('reads Vietnamese with diacritics from a scanned header, with confidence', async () => {
    const pdf = await PdfDocument.open(await readFile(new URL('./fixtures/scan-page.pdf', import.meta.url)), 'scan-page.pdf');
    // the page as the pipeline hands it over: prepared
    const prepared = await preparePage(await pdf.pageImage(1));
    await pdf.close();
    // the top fifth of the page: header blocks and title
    const pixels = prepared.pgm.subarray(prepared.pgm.length - prepared.width * prepared.height);
    const crop = await sharp(pixels, { raw: { width: prepared.width, height: prepared.height, channels: 1 } })
      .extract({ left: 0, top: 0, width: prepared.width, height: Math.round(prepared.height / 5) })
      .png()
      .toBuffer();
    const result = await pool.recognize({ image: crop, width: prepared.width, dpi: prepared.dpi });
    // the two header columns come out as separate lines, left column first
    const lines = result.text.split('\n');
    expect(lines.findIndex((l) => /SỞ XÂY DỰNG/.test(l))).toBeLessThan(lines.findIndex((l) => /CỘNG HÒA/.test(l)));
    expect(lines.some((l) => /CỘNG HÒA/.test(l) && /KIÊN GIANG/.test(l))).toBe(false);
    expect(result.text).toMatch(/CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    expect(result.text).toMatch(/KẾ HOẠCH/);
    expect(result.text).toMatch(/Chuyển đổi số/);
    expect(result.confidence).toBeGreaterThan(0.7);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.words.length).toBeGreaterThan(10);
  }, 60_000);
});
